/* An ext2/3/4 filesystem's tree, read from its device in bulk.
 *
 * Through the kernel, each entry costs syscalls (lstat, readlink, FIEMAP)
 * whose emulated cost dominates the probe on a large tree.  libext2fs reads
 * the inode tables in a few large sequential reads (after asking for all of
 * them at once), keeps what the tree needs of every inode in use, and asks
 * for every directory block before the walk lists them.  Whatever it cannot
 * answer as the kernel would (encrypted names, inline-data symlinks, a
 * damaged directory) is left to the kernel, entry by entry or directory by
 * directory. */
#ifndef LIFTCHECK_PROBE_EXT_INDEX_H
#define LIFTCHECK_PROBE_EXT_INDEX_H

#include "tree.h"

#include <stddef.h>
#include <stdint.h>

struct ext_index;
struct struct_io_manager;     /* libext2fs's io_manager */

struct ext_index_stats {
    uint64_t inodes;            /* inodes in use */
    uint64_t warm_bytes;        /* directory and link blocks asked for ahead */
};

/* Reads the filesystem on device (a block device path) whose files have
 * st_dev dev; want_head(size) says which regular files to place.  NULL if
 * it is not ext2/3/4 or cannot be read: the kernel serves it all. */
struct ext_index *ext_index_open(const char *device, uint64_t dev,
                                 size_t (*want_head)(uint64_t size),
                                 struct ext_index_stats *stats);
/* The same through another libext2fs I/O manager (the host reads a disk
 * image through its map: inspector/ext_io.h). */
struct ext_index *ext_index_open_io(const char *name, struct struct_io_manager *io, uint64_t dev,
                                    size_t (*want_head)(uint64_t size),
                                    struct ext_index_stats *stats);

/* Fills k's metadata (not its name) from inode ino: 0, or -1 when the
 * index cannot answer as the kernel would (k->ask_kernel set). */
int ext_index_node(struct ext_index *x, uint64_t ino, struct tree_node *k);

/* The entries of directory ino ("." and ".." left out), unsorted, in a
 * malloc'd array; entries with ask_kernel set must be read through the
 * kernel.  0, or -1 if the kernel must list this directory.  Thread-safe. */
int ext_index_list(struct ext_index *x, uint64_t ino, struct tree_node **kids, size_t *n);

/* A run of a file's written blocks: logical block lblk on, len blocks, at
 * device block pblk. */
struct ext_extent {
    uint64_t lblk, pblk;
    uint32_t len;
};

/* The written extents of regular file ino, in logical order, into out (at
 * most max); the count, or -1 when its bytes cannot be read from the device
 * as they are (inline or encrypted data, data journaled per file,
 * block-mapped, too many extents, unreadable tree).  Logical blocks in no extent read as zeros.  Thread-safe. */
int ext_index_extents(struct ext_index *x, uint64_t ino, struct ext_extent *out, size_t max);
unsigned ext_index_block_size(const struct ext_index *x);
/* The filesystem's UUID, from its superblock. */
void ext_index_uuid(const struct ext_index *x, unsigned char uuid[16]);

void ext_index_close(struct ext_index *x);

#endif
