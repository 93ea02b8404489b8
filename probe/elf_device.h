/* ELF files on ext2/3/4, parsed from memory, their bytes read from the
 * device in disk order.
 *
 * Parsing an ELF file is a chain of reads, each found through the last;
 * through the kernel each is a round trip (open, page-cache miss, disk)
 * per file, ~10 s of waiting on a server's 12k ELF files under emulation.
 * Here every file is parsed by the host's parser (exact reads) against
 * the bytes fetched so far; the reads it misses, for all files at once,
 * are mapped through the index's extents, sorted by place and read in a
 * few large direct reads; then the files parse again, until none misses.
 * A file's recorded ranges come from its parse that completed, so they are
 * exactly what the host asks for. */
#ifndef LIFTCHECK_PROBE_ELF_DEVICE_H
#define LIFTCHECK_PROBE_ELF_DEVICE_H

#include "common/tree/heads.h"
#include "common/tree/probe_out.h"
#include "common/tree/probe_progress.h"
#include "common/tree/tree.h"

#include <stddef.h>

struct elf_device_stats {
    size_t files;               /* parsed from the device */
    size_t rounds, requests;
    uint64_t bytes;
};

/* Parses the files of elf that lie on indexed filesystems and records their
 * ranges; the others (not indexed, or not readable as they are) are moved
 * to the front of elf, and their count returned in *rest.  -1 if out of
 * memory. */
int elf_device_pass(struct tree *t, struct cand **elf, size_t n, struct out *o,
                    struct probe_progress *pr, size_t *rest, struct elf_device_stats *stats);

#endif
