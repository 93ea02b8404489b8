/* The file-tree snapshot made by the host itself, when the root and the
 * filesystems mounted under it are ext2/3/4 readable through their disks'
 * maps (direct_disks.h): the probe's tree reader (common/tree/tree.h) runs here
 * on metadata read through libext2fs (ext_io.h), so the emulated appliance
 * only boots, mounts (replaying journals) and flushes.
 *
 * A mounted filesystem the host cannot read (an EFI system partition's
 * vfat, XFS) is a foreign subtree: the probe in the appliance snapshots
 * just that subtree, and its records are spliced into the host's at the
 * mount point.  What only a kernel can answer on the host's side (a root
 * it cannot read, encrypted names, inline-data symlinks, many files whose
 * blocks cannot be mapped) leaves the whole tree to the probe. */
#ifndef LIFTCHECK_HOST_TREE_H
#define LIFTCHECK_HOST_TREE_H

#include "common/vfs.h"
#include "util/error.h"

#include <stddef.h>
#include <stdint.h>

struct host_tree;

/* listing: the probe's "--partitions /sysroot" output (its "mount" lines
 * say what is mounted where, and where each device lies); direct: the
 * filesystems the host may read (kept by reference until host_tree_free).
 * NULL when the appliance must read the tree (err says what stood in the
 * way). */
struct host_tree *host_tree_plan(const char *listing, const struct vfs_direct_fs *direct,
                                 size_t ndirect, struct lc_error *err);

/* The foreign subtrees, each to be snapshotted by the probe with its root
 * at the guest path *path and at most *max_depth levels deep. */
size_t host_tree_foreign_count(const struct host_tree *h);
void host_tree_foreign(const struct host_tree *h, size_t i, const char **path,
                       unsigned *max_depth);
/* The probe's snapshot of the i-th foreign subtree, at offset of file (a
 * copy is kept).  0, or a negative errno when it is unusable (err says
 * why). */
int host_tree_add_foreign(struct host_tree *h, size_t i, const char *file, uint64_t offset,
                          struct lc_error *err);

/* Reads the tree and writes the snapshot (snapshot_format.h) into file, at
 * most max bytes of records; every foreign subtree must have been added.
 * 1 when it did; 0 when the appliance must read the tree (err's message
 * says why, its code is 0); a negative errno on an error (err says). */
int host_tree_write(struct host_tree *h, const char *file, uint64_t max, struct lc_error *err);

void host_tree_free(struct host_tree *h);

#endif
