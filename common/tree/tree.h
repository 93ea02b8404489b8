/* The guest's file tree, read by several threads, then walked in the
 * snapshot's order.
 *
 * The snapshot lists entries in one fixed order (the order of vfs_dir's
 * walk).  Read in that order, one directory at a time, a cold tree costs a
 * disk round trip per directory and inode block: about a millisecond each
 * under emulation.  Threads read the directories in any order, keeping
 * several round trips in flight, and keep what they read (lstat, link
 * targets, where each file's first block lies); an ext2/3/4 filesystem is
 * listed from its index instead (ext_index.h), the kernel answering only
 * for mount points and what the index cannot read.  The walk then runs
 * from memory and gives the same entries, errors and limits vfs_walk
 * would. */
#ifndef LIFTCHECK_PROBE_TREE_H
#define LIFTCHECK_PROBE_TREE_H

#include "mounts.h"
#include "probe_progress.h"

#include "common/vfs.h"

struct tree_node {
    char *name;
    char *link;                 /* symlink target, or NULL */
    struct vfs_stat st;
    int stat_ok;                /* 0: lstat failed, the walk counts an error */
    int listed;                 /* directories: 1 listed, -1 could not be
                                 * opened, -2 not read (the tree hit the
                                 * entry limit), 0 below the depth limit */
    struct tree_node *kids;     /* sorted by name */
    size_t nkids;
    int placed;                 /* regular files: phys holds where the first */
    uint64_t phys;              /* byte lies on the filesystem's device */
    int ask_kernel;             /* ext_index could not read it: lstat it */
    int foreign;                /* a mount point whose tree another reader
                                 * lists (tree_read_indexed): no kids here */
};

struct tree_stats {
    size_t ext_filesystems;     /* read through ext_index */
    uint64_t ext_inodes, warm_bytes;
    double index_seconds;       /* spent reading the indexes */
    uint64_t dirs;              /* directories listed */
    uint64_t ext_dirs;          /* of those, from an index */
};

typedef int (*tree_fn)(const char *path, const struct tree_node *n, void *opaque);

struct tree;
struct ext_index;

/* Reads the tree under root (the guest's "/"); want_head(size) says which
 * regular files to place on their device, for head bytes; use_ext reads
 * ext2/3/4 filesystems through ext_index.  NULL when out of memory or root
 * cannot be opened (errno set). */
struct tree *tree_read(const char *root, const struct vfs_walk_limits *lim,
                       unsigned threads, size_t (*want_head)(uint64_t size),
                       int use_ext, struct probe_progress *pr);
/* The same without a kernel (on the host): every filesystem is read from
 * its index.  ms: the mounts under the root (taken); x[i]: the index of
 * ms->m[i] (taken; NULL when there is none).  A mount marked foreign shows
 * as its root's metadata, with no entries (another reader lists them).
 * Whatever only the kernel could answer (another filesystem without an
 * index, an entry the index leaves to the kernel) is left out and makes
 * tree_needs_kernel true. */
struct tree *tree_read_indexed(struct mounts *ms, struct ext_index **x,
                               const struct vfs_walk_limits *lim, struct probe_progress *pr);
int tree_needs_kernel(const struct tree *t);
/* The mounts under the root, as read or as given. */
const struct mounts *tree_mounts(const struct tree *t);
const struct tree_stats *tree_stats(const struct tree *t);
/* The root directory's own metadata. */
const struct vfs_stat *tree_root(const struct tree *t);
/* The index of the filesystem whose files have st_dev dev, or NULL. */
struct ext_index *tree_index(struct tree *t, uint64_t dev);
/* Calls fn for every entry in vfs_walk's order, and enter (when not NULL)
 * for each directory when its own entries' turn comes (where another
 * reader's entries for a foreign mount point go); both return 0, or -1 to
 * stop.  Returns 0, or -1 if the root could not be listed or fn stopped. */
int tree_walk(struct tree *t, tree_fn fn, tree_fn enter, void *opaque,
              struct vfs_walk_result *res);
void tree_free(struct tree *t);

#endif
