/* Backend-independent parts of the vfs: dispatch, realpath, whole-file reads. */
#include "vfs.h"

#include "util/cleanup.h"
#include "util/grow.h"
#include "util/stop.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int vfs_fail(vfs *v, int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->error, sizeof v->error, fmt, ap);
    va_end(ap);
    errno = err ? err : EIO;
    return -1;
}

const char *vfs_error(vfs *v) { return v->error; }

/* After a stop request every call fails fast, so scanners unwind.  A call
 * here also means that the last wait outside the process is over (its
 * bound no longer runs while the process works on its own). */
static int stopped(vfs *v, const char *path)
{
    stop_wait_done();
    return stop_requested() ? vfs_fail(v, ECANCELED, "%s: scan stopped", path) : 0;
}

int vfs_lstat(vfs *v, const char *path, struct vfs_stat *st)
{
    if (stopped(v, path))
        return -1;
    return v->ops->lstat(v, path, st);
}

ssize_t vfs_pread(vfs *v, const char *path, void *buf, size_t len, uint64_t off)
{
    if (stopped(v, path))
        return -1;
    return v->ops->pread(v, path, buf, len, off);
}

int vfs_readlink(vfs *v, const char *path, char **target)
{
    if (stopped(v, path))
        return -1;
    return v->ops->readlink(v, path, target);
}

int vfs_walk(vfs *v, const char *start, const struct vfs_walk_limits *lim,
             vfs_walk_fn fn, void *opaque, struct vfs_walk_result *res)
{
    struct vfs_walk_limits l = {0, 0};
    struct vfs_walk_result dummy;

    if (lim)
        l = *lim;
    if (!l.max_depth)
        l.max_depth = VFS_WALK_DEFAULT_DEPTH;
    if (!l.max_entries)
        l.max_entries = VFS_WALK_DEFAULT_ENTRIES;
    if (!res)
        res = &dummy;
    memset(res, 0, sizeof *res);
    if (stopped(v, start))
        return -1;
    return v->ops->walk(v, start, &l, fn, opaque, res);
}

void vfs_close(vfs *v)
{
    if (v)
        v->ops->close(v);
}

int vfs_exists(vfs *v, const char *path)
{
    struct vfs_stat st;
    return vfs_lstat(v, path, &st) == 0;
}

/* Appends component c (length n) to the canonical path in out (capacity
 * cap), handling "." and "..".  out always starts with "/". */
static int push_component(char *out, size_t cap, const char *c, size_t n)
{
    size_t len = strlen(out);

    if (n == 0 || (n == 1 && c[0] == '.'))
        return 0;
    if (n == 2 && c[0] == '.' && c[1] == '.') {
        char *slash = strrchr(out, '/');
        if (slash == out)
            out[1] = '\0';      /* ".." at the root stays at the root */
        else
            *slash = '\0';
        return 0;
    }
    if (len + (len > 1) + n + 1 > cap)
        return -1;
    if (len > 1)
        out[len++] = '/';
    memcpy(out + len, c, n);
    out[len + n] = '\0';
    return 0;
}

#define VFS_MAX_LINKS 40
#define VFS_PATH_CAP 4096

char *vfs_path_component(char *p, size_t *len)
{
    p += strspn(p, "/");
    *len = strcspn(p, "/");
    return p;
}

int vfs_realpath(vfs *v, const char *path, char **result)
{
    /* rest holds what is still to resolve; out the resolved prefix. */
    _cleanup_free_ char *rest = NULL, *out = NULL;
    int links = 0;

    if (!path || path[0] != '/')
        return vfs_fail(v, EINVAL, "%s: not an absolute path", path ? path : "(null)");
    rest = xstrdup(path);
    out = xmalloc(VFS_PATH_CAP);
    strcpy(out, "/");

    char *p = rest;
    size_t n;
    while ((p = vfs_path_component(p, &n)), n) {
        size_t saved = strlen(out);
        if (push_component(out, VFS_PATH_CAP, p, n) < 0)
            return vfs_fail(v, ENAMETOOLONG, "%s: path too long", path);
        p += n;
        struct vfs_stat st;
        if (vfs_lstat(v, out, &st) < 0)
            return -1;
        if (st.type != VFS_LNK)
            continue;
        if (++links > VFS_MAX_LINKS)
            return vfs_fail(v, ELOOP, "%s: too many levels of symbolic links", path);
        _cleanup_free_ char *target = NULL;
        if (vfs_readlink(v, out, &target) < 0)
            return -1;
        /* New rest = target + remaining part of the path. */
        size_t tl = strlen(target), rl = strlen(p);
        if (tl + rl + 2 > VFS_PATH_CAP)
            return vfs_fail(v, ENAMETOOLONG, "%s: path too long", path);
        char *nrest = xmalloc(tl + rl + 2);
        memcpy(nrest, target, tl);
        nrest[tl] = '/';
        memcpy(nrest + tl + 1, p, rl + 1);
        if (target[0] == '/')
            strcpy(out, "/");
        else
            out[saved] = '\0';    /* relative: resolve from the link's dir */
        free(rest);
        rest = nrest;
        p = rest;
    }
    *result = TAKE_PTR(out);
    return 0;
}

int vfs_stat(vfs *v, const char *path, struct vfs_stat *st)
{
    char *real;
    if (vfs_realpath(v, path, &real) < 0)
        return -1;
    int r = vfs_lstat(v, real, st);
    free(real);
    return r;
}

int vfs_read_file(vfs *v, const char *path, size_t cap, char **buf, size_t *len)
{
    struct vfs_stat st;
    char *real = NULL, *data = NULL;
    size_t got = 0;

    if (vfs_realpath(v, path, &real) < 0)
        return -1;
    if (vfs_lstat(v, real, &st) < 0)
        goto fail;
    if (st.type != VFS_REG) {
        vfs_fail(v, EINVAL, "%s: not a regular file", path);
        goto fail;
    }
    if (st.size > cap) {
        vfs_fail(v, EFBIG, "%s: %llu bytes, larger than the %zu-byte cap", path,
                 (unsigned long long)st.size, cap);
        goto fail;
    }
    data = malloc(st.size + 1);
    if (!data) {
        vfs_fail(v, ENOMEM, "%s: out of memory", path);
        goto fail;
    }
    while (got < st.size) {
        ssize_t r = vfs_pread(v, real, data + got, st.size - got, got);
        if (r < 0)
            goto fail;
        if (r == 0)
            break;      /* the file shrank: take what is there */
        got += (size_t)r;
    }
    data[got] = '\0';
    free(real);
    *buf = data;
    *len = got;
    return 0;
fail:
    free(real);
    free(data);
    return -1;
}

struct list_ctx {
    char **names;
    size_t n, cap;
    size_t prefix;
};

static int list_cb(const char *path, const struct vfs_stat *st, void *opaque)
{
    struct list_ctx *c = opaque;
    (void)st;
    if (grow_array((void **)&c->names, &c->cap, c->n + 1, sizeof *c->names, 32) < 0)
        return -1;      /* room for the name and the closing NULL */
    const char *base = strrchr(path, '/');
    c->names[c->n] = strdup(base ? base + 1 : path);
    if (!c->names[c->n])
        return -1;
    c->n++;
    c->names[c->n] = NULL;
    return 1;   /* never descend */
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int vfs_list(vfs *v, const char *dir, char ***names)
{
    struct list_ctx c = {0};
    struct vfs_walk_limits lim = {1, 0};
    struct vfs_walk_result res;

    if (vfs_walk(v, dir, &lim, list_cb, &c, &res) < 0) {
        vfs_free_names(c.names);
        return -1;
    }
    if (!c.names) {
        c.names = calloc(1, sizeof *c.names);
        if (!c.names)
            return -1;
    }
    qsort(c.names, c.n, sizeof *c.names, cmp_names);
    *names = c.names;
    return 0;
}

void vfs_free_names(char **names)
{
    if (!names)
        return;
    for (char **p = names; *p; p++)
        free(*p);
    free(names);
}

static enum vfs_type mode_type(mode_t m)
{
    switch (m & S_IFMT) {
    case S_IFREG: return VFS_REG;
    case S_IFDIR: return VFS_DIR;
    case S_IFLNK: return VFS_LNK;
    case S_IFCHR: return VFS_CHR;
    case S_IFBLK: return VFS_BLK;
    case S_IFIFO: return VFS_FIFO;
    case S_IFSOCK: return VFS_SOCK;
    default: return VFS_OTHER;
    }
}

void vfs_stat_from(struct vfs_stat *o, const struct stat *s)
{
    o->type = mode_type(s->st_mode);
    o->mode = (uint32_t)s->st_mode;
    o->size = (uint64_t)s->st_size;
    o->ino = (uint64_t)s->st_ino;
    o->dev = (uint64_t)s->st_dev;
    o->nlink = (uint64_t)s->st_nlink;
    o->mtime = (int64_t)s->st_mtime;
}

int vfs_join(char *out, size_t cap, const char *dir, const char *name)
{
    int n = snprintf(out, cap, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", name);
    return (n < 0 || (size_t)n >= cap) ? -1 : 0;
}
