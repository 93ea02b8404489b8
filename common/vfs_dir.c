/* vfs backend over a host directory taken as the guest's root: a mounted
 * snapshot, "/" on a live server, or a test tree.
 *
 * Every lookup goes through openat2(RESOLVE_IN_ROOT), so absolute symlinks
 * and ".." resolve inside the root exactly as the guest would see them and
 * never reach host files outside it. */
#include "vfs.h"

#include "util/grow.h"
#include "util/stop.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

struct vfs_dir {
    struct vfs base;
    int rootfd;
    char *root;
    /* The file last read: parsers read several ranges of one file in a row,
     * and each open is a path walk. */
    int last_fd;
    char *last_path;
};

#define MAX_LINKS 40

/* The same resolution as RESOLVE_IN_ROOT, one component at a time, for
 * kernels or tools (valgrind) without openat2: ".." stops at the root and
 * absolute symlinks restart from it. */
static int open_in_root_slow(struct vfs_dir *d, const char *path, int flags)
{
    int cur = dup(d->rootfd), links = 0, depth = 0, err = 0;
    /* Directory fds from the root down, so ".." never leaves the root. */
    int stack[256];

    if (cur < 0)
        return -1;
    char *rest = xstrdup(path), *p;
    stack[0] = cur;
    p = rest;
    size_t n;
    while ((p = vfs_path_component(p, &n)), n) {
        char comp[NAME_MAX + 1];
        if (n > NAME_MAX) { err = ENAMETOOLONG; break; }
        memcpy(comp, p, n);
        comp[n] = '\0';
        p += n;
        int last = strspn(p, "/") == strlen(p);
        if (!strcmp(comp, "."))
            continue;
        if (!strcmp(comp, "..")) {
            if (depth > 0)
                close(stack[depth--]);
            continue;
        }
        struct stat st;
        if (fstatat(stack[depth], comp, &st, AT_SYMLINK_NOFOLLOW) < 0) { err = errno; break; }
        if (S_ISLNK(st.st_mode) && !(last && (flags & O_NOFOLLOW))) {
            char target[4096];
            ssize_t tl = readlinkat(stack[depth], comp, target, sizeof target - 1);
            if (tl < 0) { err = errno; break; }
            if (++links > MAX_LINKS) { err = ELOOP; break; }
            target[tl] = '\0';
            size_t rl = strlen(p);
            char *nrest = xmalloc((size_t)tl + rl + 2);
            snprintf(nrest, (size_t)tl + rl + 2, "%s/%s", target, p);
            free(rest);
            rest = p = nrest;
            if (target[0] == '/')
                while (depth > 0)
                    close(stack[depth--]);
            continue;
        }
        if (last)
            break;
        if (!S_ISDIR(st.st_mode)) { err = ENOTDIR; break; }
        if (depth + 1 >= (int)(sizeof stack / sizeof stack[0])) { err = ENAMETOOLONG; break; }
        int fd = openat(stack[depth], comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) { err = errno; break; }
        stack[++depth] = fd;
        /* Remember the name we stopped at: the final open needs it. */
    }
    int fd = -1;
    if (!err) {
        /* rest was consumed up to its last component; reopen it. */
        const char *lastname = p;
        while (lastname > rest && lastname[-1] == '/')
            lastname--;
        const char *b = lastname;
        while (b > rest && b[-1] != '/')
            b--;
        char name[NAME_MAX + 1];
        size_t n = (size_t)(lastname - b);
        if (n == 0 || n > NAME_MAX || (n == 1 && b[0] == '.') || (n == 2 && !strncmp(b, "..", 2)))
            fd = openat(stack[depth], ".", flags | O_CLOEXEC);
        else {
            memcpy(name, b, n);
            name[n] = '\0';
            fd = openat(stack[depth], name, flags | O_NOFOLLOW | O_CLOEXEC);
        }
        if (fd < 0)
            err = errno;
    }
    while (depth >= 0)
        close(stack[depth--]);
    free(rest);
    errno = err;
    return fd;
}

static int open_in_root(struct vfs_dir *d, const char *path, int flags)
{
    static int no_openat2;
    struct open_how how = {
        .flags = (uint64_t)flags | O_CLOEXEC,
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
    };
    const char *rel = path;
    while (*rel == '/')
        rel++;
    if (!*rel)
        rel = ".";
    if (!no_openat2) {
        int fd = (int)syscall(SYS_openat2, d->rootfd, rel, &how, sizeof how);
        if (fd >= 0 || errno != ENOSYS)
            return fd;
        no_openat2 = 1;
    }
    return open_in_root_slow(d, rel, flags);
}

/* Opens the parent directory of path (inside the root) and returns the
 * last component in *base; "/" itself yields the root and ".". */
static int open_parent(struct vfs_dir *d, const char *path, char *base, size_t cap)
{
    char buf[4096];
    size_t n = strlen(path);

    if (n >= sizeof buf)
        return errno = ENAMETOOLONG, -1;
    memcpy(buf, path, n + 1);
    while (n > 1 && buf[n - 1] == '/')
        buf[--n] = '\0';
    char *slash = strrchr(buf, '/');
    const char *last = slash ? slash + 1 : buf;
    if (!*last)
        last = ".";
    if (strlen(last) >= cap)
        return errno = ENAMETOOLONG, -1;
    strcpy(base, last);
    if (slash)
        slash[1] = '\0';
    else
        strcpy(buf, "/");
    return open_in_root(d, buf, O_PATH | O_DIRECTORY);
}

static int dir_lstat(vfs *v, const char *path, struct vfs_stat *st)
{
    struct vfs_dir *d = (struct vfs_dir *)v;
    char base[1024];
    struct stat s;
    int fd = open_parent(d, path, base, sizeof base);

    if (fd < 0)
        return vfs_fail(v, errno, "%s: %s", path, strerror(errno));
    /* ".." as the last component: let the kernel resolve it in the root. */
    int r;
    if (strcmp(base, "..") == 0) {
        close(fd);
        fd = open_in_root(d, path, O_PATH);
        if (fd < 0)
            return vfs_fail(v, errno, "%s: %s", path, strerror(errno));
        r = fstat(fd, &s);
    } else {
        r = fstatat(fd, base, &s, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH);
    }
    int err = errno;
    close(fd);
    if (r < 0)
        return vfs_fail(v, err, "%s: %s", path, strerror(err));
    vfs_stat_from(st, &s);
    return 0;
}

static void forget_last(struct vfs_dir *d)
{
    if (d->last_fd >= 0)
        close(d->last_fd);
    d->last_fd = -1;
    free(d->last_path);
    d->last_path = NULL;
}

static ssize_t dir_pread(vfs *v, const char *path, void *buf, size_t len, uint64_t off)
{
    struct vfs_dir *d = (struct vfs_dir *)v;
    size_t got = 0;
    int fd;

    if (d->last_path && !strcmp(d->last_path, path)) {
        fd = d->last_fd;
    } else {
        forget_last(d);
        fd = open_in_root(d, path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
            return vfs_fail(v, errno, "%s: %s", path, strerror(errno));
        struct stat s;
        if (fstat(fd, &s) < 0 || !S_ISREG(s.st_mode)) {
            close(fd);
            return vfs_fail(v, EINVAL, "%s: not a regular file", path);
        }
        d->last_fd = fd;
        d->last_path = xstrdup(path);
    }
    while (got < len) {
        ssize_t r = pread(fd, (char *)buf + got, len - got, (off_t)(off + got));
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int err = errno;
            forget_last(d);
            return vfs_fail(v, err, "%s: %s", path, strerror(err));
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

static int dir_readlink(vfs *v, const char *path, char **target)
{
    struct vfs_dir *d = (struct vfs_dir *)v;
    char base[1024], buf[4096];
    int fd = open_parent(d, path, base, sizeof base);

    if (fd < 0)
        return vfs_fail(v, errno, "%s: %s", path, strerror(errno));
    ssize_t n = readlinkat(fd, base, buf, sizeof buf - 1);
    int err = errno;
    close(fd);
    if (n < 0)
        return vfs_fail(v, err, "%s: %s", path, strerror(err));
    buf[n] = '\0';
    *target = xstrdup(buf);
    return 0;
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One directory still to read during a walk. */
struct pending {
    char *path;
    unsigned depth;
};

/* Iterative depth-first walk with an explicit stack: hostile trees cannot
 * exhaust the C stack, and symlinks are never followed. */
static int dir_walk(vfs *v, const char *start, const struct vfs_walk_limits *lim,
                    vfs_walk_fn fn, void *opaque, struct vfs_walk_result *res)
{
    struct vfs_dir *d = (struct vfs_dir *)v;
    struct pending *stack = NULL;
    size_t sp = 0, cap = 0;
    int rc = 0;

    stack = malloc(sizeof *stack * (cap = 64));
    if (!stack)
        return vfs_fail(v, ENOMEM, "out of memory");
    stack[sp++] = (struct pending){strdup(start), 0};
    if (!stack[0].path) {
        free(stack);
        return vfs_fail(v, ENOMEM, "out of memory");
    }

    while (sp > 0 && rc == 0 && !stop_requested()) {
        struct pending cur = stack[--sp];
        int fd = open_in_root(d, cur.path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
        DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
        if (!dir) {
            if (fd >= 0)
                close(fd);
            res->errors++;
            if (cur.depth == 0)
                rc = vfs_fail(v, errno, "%s: %s", cur.path, strerror(errno));
            free(cur.path);
            continue;
        }
        /* Children are pushed after the parent's callback; to keep a stable
         * order, read names first, sort, then visit. */
        char **names = NULL;
        size_t nn = 0, ncap = 0;
        struct dirent *e;
        while ((e = readdir(dir))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            if (grow_array((void **)&names, &ncap, nn, sizeof *names, 64) < 0) {
                rc = vfs_fail(v, ENOMEM, "out of memory");
                break;
            }
            if (!(names[nn] = strdup(e->d_name))) { rc = vfs_fail(v, ENOMEM, "out of memory"); break; }
            nn++;
        }
        if (nn)
            qsort(names, nn, sizeof *names, cmp_cstr);
        int dfd = dirfd(dir);
        /* Visit in reverse so that pushed subdirectories pop in name order. */
        size_t first_child = sp;
        for (size_t i = 0; i < nn && rc == 0; i++) {
            char path[4096];
            struct stat s;
            struct vfs_stat vs;
            if (res->entries >= lim->max_entries) {
                res->entries_limited = 1;
                rc = 1;
                break;
            }
            if (vfs_join(path, sizeof path, cur.path, names[i]) < 0 ||
                fstatat(dfd, names[i], &s, AT_SYMLINK_NOFOLLOW) < 0) {
                res->errors++;
                continue;
            }
            vfs_stat_from(&vs, &s);
            res->entries++;
            int r = fn(path, &vs, opaque);
            if (r < 0) { rc = 1; break; }
            if (r == 1 || vs.type != VFS_DIR)
                continue;
            if (cur.depth + 1 >= lim->max_depth) {
                res->depth_limited = 1;
                continue;
            }
            if (grow_array((void **)&stack, &cap, sp, sizeof *stack, 64) < 0) {
                rc = vfs_fail(v, ENOMEM, "out of memory");
                break;
            }
            if (!(stack[sp].path = strdup(path))) { rc = vfs_fail(v, ENOMEM, "out of memory"); break; }
            stack[sp++].depth = cur.depth + 1;
        }
        /* Reverse the children just pushed so the smallest name pops first. */
        for (size_t a = first_child, b = sp; a + 1 < b; a++, b--) {
            struct pending t = stack[a];
            stack[a] = stack[b - 1];
            stack[b - 1] = t;
        }
        for (size_t i = 0; i < nn; i++)
            free(names[i]);
        free(names);
        closedir(dir);
        free(cur.path);
    }
    while (sp > 0)
        free(stack[--sp].path);
    free(stack);
    return rc < 0 ? -1 : 0;
}

static void dir_close(vfs *v)
{
    struct vfs_dir *d = (struct vfs_dir *)v;
    forget_last(d);
    close(d->rootfd);
    free(d->root);
    free(d);
}

static const struct vfs_ops dir_ops = {
    .lstat = dir_lstat,
    .pread = dir_pread,
    .readlink = dir_readlink,
    .walk = dir_walk,
    .close = dir_close,
};

vfs *vfs_dir_open(const char *root)
{
    struct vfs_dir *d = xcalloc(1, sizeof *d);
    d->rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d->rootfd < 0) {
        free(d);
        return NULL;
    }
    d->root = xstrdup(root);
    d->last_fd = -1;
    d->base.ops = &dir_ops;
    d->base.backend = "dir";
    return &d->base;
}
