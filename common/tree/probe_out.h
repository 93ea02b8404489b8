/* The probe's output: snapshot records (common/snapshot_format.h)
 * buffered and written at an offset of a block device or file. */
#ifndef LIFTCHECK_PROBE_OUT_H
#define LIFTCHECK_PROBE_OUT_H

#include "common/snapshot_format.h"
#include "common/vfs.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

struct out {
    int fd;
    uint64_t base;          /* where the header goes */
    uint64_t max;           /* payload bytes allowed */
    uint64_t pos;           /* payload bytes emitted */
    uint64_t flushed;
    unsigned char *buf;
    size_t n;
    int truncated, io_error;
    uint64_t entries, ranges;
    pthread_mutex_t lock;   /* held by whoever emits from a worker thread */
};

int out_open(struct out *o, const char *path, uint64_t base, uint64_t max);
/* Appends one record made of up to three parts; a record that does not fit
 * in the output area ends the snapshot (truncated), never half-written. */
int out_emit(struct out *o, const void *a, size_t alen, const void *b, size_t blen,
             const void *c, size_t clen);
/* One range of the entry-th entry (snap_range), counted in o->ranges. */
int out_range(struct out *o, uint64_t entry, uint64_t off, const void *data, uint32_t len);
/* The 'E' record of the entry at path (snapshot_format.h), counted in
 * o->entries: 1, 0 when the path is too long for the format (left out; a
 * link target too long is dropped), -1 when the output is full. */
int out_entry(struct out *o, const char *path, const struct vfs_stat *st, const char *link);
/* The header's fields that every snapshot fills: what was emitted and how
 * the walk ended. */
void out_header(struct snap_header *h, const struct out *o, const struct vfs_walk_result *res,
                uint64_t dirs, uint64_t dirs_from_metadata, const struct vfs_stat *root);
/* Flushes the records, then writes the header, then syncs: a reader never
 * sees a header promising records that are not there. */
int out_finish(struct out *o, const void *header, size_t len);
void out_close(struct out *o);

#endif
