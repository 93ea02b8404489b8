/* The filesystems mounted at or below the guest's root, from
 * /proc/self/mountinfo. */
#ifndef LIFTCHECK_PROBE_MOUNTS_H
#define LIFTCHECK_PROBE_MOUNTS_H

#include "common/vfs.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct mount {
    char *path;             /* guest path: "/" for root itself, "/boot" */
    char *parent;           /* guest path of the directory holding it; NULL for "/" */
    uint64_t dev;           /* st_dev of the files on it */
    char fstype[32];
    char label[32];         /* where its device lies on an input disk */
    uint64_t start;         /* (disk_place.h); label "" when it does not */
    int foreign;            /* on the host: its tree comes from the probe, */
    struct vfs_stat root;   /* with its root's metadata */
};

struct mounts {
    struct mount *m;
    size_t n;
};

/* Reads the mounts under root (a host path, "/sysroot"); 0, or -1 when
 * mountinfo cannot be read or memory runs out. */
int mounts_read(const char *root, struct mounts *out);
/* Prints each mount as a "mount DEV FSTYPE LABEL START PATH" line (LABEL
 * "-" when unplaced; PATH escaped as mountinfo does), for the host. */
void mounts_print(const struct mounts *ms, FILE *out);
/* Reads the "mount" lines of such a listing (other lines are skipped);
 * 0, or -1 when a line is malformed or memory runs out. */
int mounts_parse(const char *listing, struct mounts *out);
/* The mount at guest path (the last one mounted there), or NULL. */
const struct mount *mounts_at(const struct mounts *ms, const char *path);
/* Is it ext2, ext3 or ext4 (what ext_index.h reads)? */
int mount_is_ext(const struct mount *m);
/* Is guest path a mount point (other than "/")? */
int mounts_is_point(const struct mounts *ms, const char *path);
/* Does a mount point lie directly in directory dir? */
int mounts_has_child(const struct mounts *ms, const char *dir);
void mounts_free(struct mounts *ms);

#endif
