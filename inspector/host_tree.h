/* The file-tree snapshot made by the host itself, when every filesystem
 * the appliance mounted is ext2/3/4 and readable through its disk's map
 * (direct_disks.h): the probe's tree reader (probe/tree.h) runs here on
 * metadata read through libext2fs (ext_io.h), so the emulated appliance
 * only boots, mounts (replaying journals) and flushes.  What only a kernel
 * can answer (other filesystem types, encrypted names, inline-data
 * symlinks, many files whose blocks cannot be mapped) leaves the tree to
 * the probe inside the appliance. */
#ifndef LIFTCHECK_HOST_TREE_H
#define LIFTCHECK_HOST_TREE_H

#include "vfs.h"

#include <stddef.h>
#include <stdint.h>

/* listing: the probe's "--partitions /sysroot" output (its "mount" lines
 * say what is mounted where, and where each device lies); direct: the
 * filesystems the host may read.  Writes a snapshot (snapshot_format.h)
 * into file, at most max bytes of records.  1 when it did; 0 when the
 * appliance must read the tree (why says what stood in the way); -1 on an
 * error (why says). */
int host_tree_snapshot(const char *listing, const struct vfs_direct_fs *direct, size_t ndirect,
                       const char *file, uint64_t max, char *why, size_t cap);

#endif
