/* The filesystems mounted at or below the guest's root, from
 * /proc/self/mountinfo. */
#ifndef LIFTCHECK_PROBE_MOUNTS_H
#define LIFTCHECK_PROBE_MOUNTS_H

#include <stddef.h>
#include <stdint.h>

struct mount {
    char *path;             /* guest path: "/" for root itself, "/boot" */
    char *parent;           /* guest path of the directory holding it; NULL for "/" */
    uint64_t dev;           /* st_dev of the files on it */
    char fstype[32];
};

struct mounts {
    struct mount *m;
    size_t n;
};

/* Reads the mounts under root (a host path, "/sysroot"); 0, or -1 when
 * mountinfo cannot be read or memory runs out. */
int mounts_read(const char *root, struct mounts *out);
/* Is guest path a mount point (other than "/")? */
int mounts_is_point(const struct mounts *ms, const char *path);
/* Does a mount point lie directly in directory dir? */
int mounts_has_child(const struct mounts *ms, const char *dir);
void mounts_free(struct mounts *ms);

#endif
