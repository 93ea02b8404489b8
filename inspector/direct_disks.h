/* Choosing the ext2/3/4 filesystems whose file contents the host reads
 * from the input disks' files itself, bypassing the appliance: an emulated
 * appliance pays several times what the host does for the same bytes.
 *
 * The host reads each disk as qemu holds it (disk_map.h), the journal the
 * appliance replayed included.  A filesystem qualifies when all of it can
 * be read that way and its superblock there shows nothing left to replay
 * and no data journaled by default. */
#ifndef LIFTCHECK_DIRECT_DISKS_H
#define LIFTCHECK_DIRECT_DISKS_H

#include "disk_format.h"
#include "common/vfs.h"

#include <stddef.h>

/* listing: the probe's --partitions output ("LABEL START" lines, labels as
 * image.h gives them), printed after the appliance flushed its disks.
 * Fills out (at most cap) with the filesystems that qualify, each holding
 * a reference to its disk's map; the count. */
size_t direct_disks_choose(const struct disk *disks, int ndisks, const char *listing,
                           struct vfs_direct_fs *out, size_t cap);
void direct_disks_close(struct vfs_direct_fs *fs, size_t n);

/* Whether the ext2/3/4 superblock (1024 bytes, read at byte 1024 of the
 * filesystem) qualifies; its UUID into uuid when it does. */
int direct_superblock_ok(const unsigned char sb[1024], unsigned char uuid[16]);

#endif
