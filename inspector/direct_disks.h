/* Choosing the ext2/3/4 filesystems the host reads from raw input disks
 * itself, bypassing the appliance for file contents: an emulated
 * appliance pays several times what the host does for the same bytes.
 *
 * A filesystem qualifies when its disk is raw (no backing file) and its
 * superblock on that disk shows that the appliance sees the same data
 * blocks: no journal left to replay (the appliance replays it into its
 * overlay, which the host does not read), no data journaled by default. */
#ifndef LIFTCHECK_DIRECT_DISKS_H
#define LIFTCHECK_DIRECT_DISKS_H

#include "disk_format.h"
#include "vfs.h"

#include <stddef.h>

/* listing: the probe's --partitions output ("LABEL START" lines, labels as
 * image.h gives them).  Fills out (at most cap) with the filesystems that
 * qualify, each with its own read-only descriptor; the count. */
size_t direct_disks_choose(const struct disk *disks, int ndisks, const char *listing,
                           struct vfs_direct_fs *out, size_t cap);
void direct_disks_close(struct vfs_direct_fs *fs, size_t n);

/* Whether the ext2/3/4 superblock (1024 bytes, read at byte 1024 of the
 * filesystem) qualifies; its UUID into uuid when it does. */
int direct_superblock_ok(const unsigned char sb[1024], unsigned char uuid[16]);

#endif
