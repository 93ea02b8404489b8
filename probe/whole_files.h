/* Small files the host's scanners read whole (package databases, service
 * units, boot and network configuration), recorded whole in the snapshot:
 * through libguestfs each is a round trip, and a server has thousands of
 * them (one dpkg .list file per package). */
#ifndef LIFTCHECK_PROBE_WHOLE_FILES_H
#define LIFTCHECK_PROBE_WHOLE_FILES_H

#include "common/tree/probe_out.h"
#include "common/tree/probe_progress.h"

#include <stddef.h>
#include <stdint.h>

/* Per file and in all: a larger file is read live by the host. */
#define WHOLE_FILE_MAX (4u << 20)
#define WHOLE_FILES_BUDGET (64ull << 20)

struct whole_file {
    uint64_t entry;             /* index of its entry in the snapshot */
    char *path;
    uint64_t size;
    int skip;                   /* its ranges are recorded otherwise (ELF) */
};

/* 1 if the regular file at path is one the scanners read whole. */
int whole_file_wanted(const char *path, uint64_t size);
/* Reads each file (not skipped) under root and records it as one range. */
void whole_files_read(const char *root, struct whole_file *w, size_t n, struct out *o,
                      struct probe_progress *pr);

#endif
