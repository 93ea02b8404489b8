/* The one filesystem interface every scanner uses.
 *
 * Paths are absolute paths inside the guest ("/etc/fstab"), whatever the
 * backend.  Scanners never see libguestfs or host paths.  Two backends:
 * vfs_guestfs (a launched libguestfs appliance with filesystems mounted
 * read-only under /) and vfs_dir (a host directory taken as the guest root).
 *
 * All functions return 0 on success and -1 on failure with errno set and a
 * message available through vfs_error(); failures on one path never make the
 * vfs unusable for the next.
 */
#ifndef LIFTCHECK_VFS_H
#define LIFTCHECK_VFS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum vfs_type {
    VFS_REG, VFS_DIR, VFS_LNK, VFS_CHR, VFS_BLK, VFS_FIFO, VFS_SOCK, VFS_OTHER
};

struct vfs_stat {
    enum vfs_type type;
    uint32_t mode;      /* permission bits and file type, as st_mode */
    uint64_t size;
    uint64_t ino;
    uint64_t dev;
    uint64_t nlink;
    int64_t mtime;
};

/* Limits of a walk: hostile trees can be deep, wide or huge. */
struct vfs_walk_limits {
    unsigned max_depth;      /* directories below the start; 0 = default */
    uint64_t max_entries;    /* entries reported in all; 0 = default */
};

#define VFS_WALK_DEFAULT_DEPTH 64
#define VFS_WALK_DEFAULT_ENTRIES 5000000ULL

/* Called for every entry below the start directory (not the start itself),
 * parents before children.  Return 0 to go on, 1 to skip this directory's
 * children, -1 to stop the walk. */
typedef int (*vfs_walk_fn)(const char *path, const struct vfs_stat *st,
                           void *opaque);

/* What a walk ran into; a scanner turns these into findings. */
struct vfs_walk_result {
    uint64_t entries;
    int depth_limited;       /* some directory was deeper than max_depth */
    int entries_limited;     /* stopped at max_entries */
    uint64_t errors;         /* directories that could not be listed */
};

typedef struct vfs vfs;

struct vfs_ops {
    int (*lstat)(vfs *v, const char *path, struct vfs_stat *st);
    /* Reads up to len bytes at off; returns bytes read (0 at end) or -1. */
    ssize_t (*pread)(vfs *v, const char *path, void *buf, size_t len,
                     uint64_t off);
    /* *target is malloc'd. */
    int (*readlink)(vfs *v, const char *path, char **target);
    int (*walk)(vfs *v, const char *start, const struct vfs_walk_limits *lim,
                vfs_walk_fn fn, void *opaque, struct vfs_walk_result *res);
    void (*close)(vfs *v);
};

struct vfs {
    const struct vfs_ops *ops;
    const char *backend;     /* "guestfs", "dir" or "snapshot" */
    /* Readers ask for exactly the bytes they need instead of generous
     * windows: set where a read costs little whatever its size, and where
     * reads must be the same on both sides of a snapshot (see
     * snapshot_format.h). */
    int exact_reads;
    char error[512];         /* last failure, for messages */
};

/* Backends. */
vfs *vfs_dir_open(const char *root);
struct guestfs_h;
vfs *vfs_guestfs_open(struct guestfs_h *g);
/* Serves lookups, walks and reads from a snapshot file written by
 * liftcheck-probe, and whatever the snapshot does not hold from live, which
 * it then owns.  On failure returns NULL with the reason in err (live stays
 * the caller's). */
struct lc_error;
vfs *vfs_snapshot_open(vfs *live, const char *snapshot_file, struct lc_error *err);
/* A filesystem whose files the host reads from its input disk itself: the
 * one at byte start of the disk labelled label, with this UUID, read
 * through map (disk_map.h). */
struct disk_map;
struct vfs_direct_fs {
    char label[32];
    uint64_t start;
    unsigned char uuid[16];
    struct disk_map *map;
};
/* The same for a snapshot at a page-aligned offset of a larger file (the
 * probe's disk image).  Files the snapshot maps onto one of the n direct
 * filesystems are read from its disk (the snapshot takes its own reference
 * to the map); mapped onto any other, from live. */
vfs *vfs_snapshot_open_at(vfs *live, const char *file, uint64_t offset,
                          const struct vfs_direct_fs *direct, size_t n, struct lc_error *err);
/* What a snapshot vfs holds and how the probe read it, for diagnostics. */
struct vfs_snapshot_info {
    size_t entries, ranges;
    int complete;
    uint64_t heads, heads_in_disk_order;
    uint64_t dirs, dirs_from_metadata;
    uint64_t elf_files, elf_from_device;
    uint64_t direct_files;      /* read from the disk by the host */
};
void vfs_snapshot_info(vfs *v, struct vfs_snapshot_info *info);

/* Thin dispatchers. */
int vfs_lstat(vfs *v, const char *path, struct vfs_stat *st);
ssize_t vfs_pread(vfs *v, const char *path, void *buf, size_t len, uint64_t off);
int vfs_readlink(vfs *v, const char *path, char **target);
int vfs_walk(vfs *v, const char *start, const struct vfs_walk_limits *lim,
             vfs_walk_fn fn, void *opaque, struct vfs_walk_result *res);
void vfs_close(vfs *v);
const char *vfs_error(vfs *v);

/* Follows symlinks like the kernel would with the guest root as "/":
 * ".." never climbs above /, at most 40 links.  *out is malloc'd. */
int vfs_realpath(vfs *v, const char *path, char **out);
/* Skips the slashes at p and returns where the next path component starts,
 * its length in *len (0 at the end of the path). */
char *vfs_path_component(char *p, size_t *len);

/* stat() that follows symlinks inside the guest. */
int vfs_stat(vfs *v, const char *path, struct vfs_stat *st);

/* Reads a whole regular file (following symlinks) of at most cap bytes.
 * A larger file fails with errno EFBIG.  *buf is malloc'd and
 * NUL-terminated (not counted in *len). */
int vfs_read_file(vfs *v, const char *path, size_t cap, char **buf,
                  size_t *len);

/* 1 if path exists (lstat succeeds), else 0. */
int vfs_exists(vfs *v, const char *path);

/* Lists the names of one directory (no "." or ".."), sorted.  *names is a
 * NULL-terminated malloc'd array of malloc'd strings; free with
 * vfs_free_names. */
int vfs_list(vfs *v, const char *dir, char ***names);
void vfs_free_names(char **names);

/* A struct stat as a vfs_stat. */
struct stat;
void vfs_stat_from(struct vfs_stat *out, const struct stat *s);
/* dir + "/" + name into out; -1 if it does not fit in cap. */
int vfs_join(char *out, size_t cap, const char *dir, const char *name);

/* printf into v->error; returns -1 so backends can `return vfs_fail(...)`. */
int vfs_fail(vfs *v, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Which volume (disk index) a filesystem device number belongs to. */
struct dev_volume {
    uint64_t dev;
    int volume;
};

#endif
