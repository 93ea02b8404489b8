/* Where a filesystem's block device lies on the appliance's input disks,
 * named by their labels (/dev/disk/guestfs/LABEL): the host knows each
 * input disk by its label, and can read a raw one itself. */
#ifndef LIFTCHECK_PROBE_DISK_PLACE_H
#define LIFTCHECK_PROBE_DISK_PLACE_H

#include <stdint.h>
#include <stdio.h>

#define DISK_LABEL_MAX 32

struct disk_place {
    char label[DISK_LABEL_MAX];
    uint64_t start;             /* byte offset of the device on the disk */
};

/* "LABEL:START" (as the probe's --direct takes it) into out: 0, or -1
 * when malformed. */
int disk_place_parse(const char *spec, struct disk_place *out);

/* The labelled disk and offset of block device dev: a whole disk, one of
 * its partitions, or a linear device-mapper volume on either (dm_linear.h);
 * -1 otherwise (md, other device-mapper targets, unlabelled disks). */
int disk_place_of(uint64_t dev, struct disk_place *out);

/* Prints "LABEL START" for every labelled disk (START 0), each of its
 * partitions and each linear volume on them: where a filesystem may begin.  Flushes each disk first (the
 * host then reads what the appliance sees).  The count of lines. */
int disk_place_list(FILE *out);

#endif
