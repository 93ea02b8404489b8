/* The reads the ELF inventory makes of every ELF file, made by the very
 * parser the host runs (with exact reads) and recorded into the snapshot,
 * so the host's replay finds each range it asks for.  Files are parsed on
 * several threads; each file's ranges are written together. */
#ifndef LIFTCHECK_PROBE_ELF_PASS_H
#define LIFTCHECK_PROBE_ELF_PASS_H

#include "common/tree/heads.h"
#include "common/tree/probe_out.h"
#include "common/tree/probe_progress.h"

/* Parses the files in elf (heads already read) under root; returns -1 if
 * out of memory. */
int elf_pass(const char *root, struct cand **elf, size_t n, struct out *o,
             struct probe_progress *pr);

#endif
