/* Deciding and checking each input disk before anything launches. */
#ifndef LIFTCHECK_DISK_FORMAT_H
#define LIFTCHECK_DISK_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

struct disk {
    char *path;
    char *format;              /* "raw", "qcow2", "vmdk", "vpc", "vhdx" */
    const char *format_source; /* "option", "extension", "probed" */
    uint64_t virtual_size;
    char *backing_file;        /* NULL when none */
    int block_device;
    int data_in_file;          /* qemu's offsets of its data are in path itself */
    char *overlay;             /* our qcow2 overlay over the disk, or NULL */
};

/* Format implied by the file name, or NULL. */
const char *disk_format_from_name(const char *path);

/* Maps user spellings (vhd) to qemu driver names (vpc); NULL if unknown. */
const char *disk_format_normalise(const char *fmt);

/* Checks that path is a readable, non-empty image or block device, decides
 * its format (fmt_option, else the name, else a probe) and reads its header
 * with `qemu-img info` (which never opens backing files).  On failure
 * returns a negative errno with a one-line reason in err (without the
 * path). */
int disk_prepare(struct disk *d, const char *path, const char *fmt_option,
                 int allow_backing, struct lc_error *err);
/* Creates dir/overlay<index>.qcow2 whose backing file is the disk with its
 * format stated explicitly.  The appliance writes only to the overlay, and
 * qemu never probes the guest's bytes for a format: libguestfs's own
 * read-only overlay leaves the format of the layer below to qemu's probe,
 * which a raw disk starting with a qcow2 header turns into a read of any
 * host file its header names.  0, or a negative errno with err set. */
int disk_make_overlay(struct disk *d, const char *dir, int index, struct lc_error *err);

void disk_free(struct disk *d);

#endif
