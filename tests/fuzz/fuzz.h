/* Shared pieces of the fuzz targets: the libFuzzer entry point and an
 * in-memory vfs, so parsers that only read through a vfs can be fed guest
 * bytes without touching the disk. */
#ifndef LIFTCHECK_FUZZ_H
#define LIFTCHECK_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "common/vfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An empty in-memory tree; directories exist implicitly as prefixes of the
 * files added.  Close with vfs_close. */
vfs *memvfs_new(void);
/* Adds a regular file (the bytes are copied).  0, or -1 if full. */
int memvfs_add(vfs *v, const char *path, const void *data, size_t len);
/* Adds a symbolic link. */
int memvfs_symlink(vfs *v, const char *path, const char *target);

/* Builds a tree from "==> /path <==" header lines, each followed by the
 * file's bytes up to the newline that precedes the next header line
 * ("==> /path -> target <==" makes a symlink), close to what `head` prints
 * for several files: seeds stay readable and the fuzzer can mutate names as
 * well as contents. */
vfs *memvfs_from_tree(const uint8_t *data, size_t size);

/* Removes every file whose path starts with prefix. */
void memvfs_remove(vfs *v, const char *prefix);

/* Content of a file of the tree as a NUL-terminated malloc'd copy, or NULL. */
char *memvfs_get(vfs *v, const char *path);

/* The input as a NUL-terminated malloc'd copy (as files reach the
 * parsers), or NULL when out of memory. */
char *fuzz_text(const uint8_t *data, size_t size);

/* Reads every byte of a string, so a missing terminator shows under ASan. */
void fuzz_touch(const char *s);

#endif
