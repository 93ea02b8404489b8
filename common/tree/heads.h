/* First bytes of every file that may be ELF, read in the order of their
 * blocks on disk.
 *
 * A file's head read through the filesystem costs a round trip per file
 * (~1 ms under emulation, so minutes on a server).  For files on ext2/3/4
 * and XFS, FIEMAP tells where the first block lies on the filesystem's
 * device (the tree reader asks, heads_place); sorted by that place, the
 * heads come in a few thousand large device reads.  Files it cannot place (inline data, holes, encryption,
 * other filesystems, a failed device read) are read through the file. */
#ifndef LIFTCHECK_PROBE_HEADS_H
#define LIFTCHECK_PROBE_HEADS_H

#include "probe_progress.h"

#include <stddef.h>
#include <stdint.h>

#define HEAD_MAX 64

struct cand {
    uint64_t entry;         /* index of its entry in the snapshot */
    char *path;             /* guest path, "/usr/bin/ls" */
    uint64_t size, ino, dev;
    int placed;             /* heads_place found the head on the device */
    uint64_t phys;          /* byte offset of the head on the device */
    int dev_slot;           /* device; -1: read through the file */
    uint16_t want;          /* head bytes the ELF scan asks for */
    int16_t got;            /* head bytes read; -1: none */
    int64_t whole;          /* index in the whole-file list, or -1 */
    unsigned char head[HEAD_MAX];
};

struct head_stats {
    size_t placed;              /* heads located on a device */
    size_t device_requests;
    uint64_t device_bytes;
    size_t from_device, through_files;
};

/* Where the first want bytes of the open file fd lie on its filesystem's
 * device, if FIEMAP says they are stored there as they are. */
int heads_place(int fd, size_t want, uint64_t *phys);

/* Fills head/got of every candidate; root is the directory the guest
 * paths are under. */
void heads_read(const char *root, struct cand *c, size_t n, struct probe_progress *pr,
                struct head_stats *stats);

#endif
