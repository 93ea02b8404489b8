/* vfs backend over a launched libguestfs appliance whose filesystems are
 * mounted read-only under /.
 *
 * Every call is a round trip to the appliance (~1 ms under TCG), so the walk
 * fetches all names in one find0 call and their metadata with lstatnslist in
 * large batches, and pread fetches up to 2 MiB a call. */
#include "common/vfs.h"

#include "util/grow.h"
#include "util/stop.h"
#include "util/tmpdir.h"
#include "util/xalloc.h"

#include <errno.h>
#include <guestfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Stay well below the 4 MiB protocol message limit. */
#define PREAD_MAX (2u << 20)
#define BATCH_NAMES 4000

struct vfs_gfs {
    struct vfs base;
    guestfs_h *g;
};

static int gfail(vfs *v, const char *path)
{
    struct vfs_gfs *gv = (struct vfs_gfs *)v;
    const char *msg = guestfs_last_error(gv->g);
    int err = guestfs_last_errno(gv->g);
    return vfs_fail(v, err ? err : EIO, "%s: %s", path, msg ? msg : "appliance error");
}

static void fill_stat(struct vfs_stat *o, const struct guestfs_statns *s)
{
    uint32_t m = (uint32_t)s->st_mode;
    switch (m & 0170000) {
    case 0100000: o->type = VFS_REG; break;
    case 0040000: o->type = VFS_DIR; break;
    case 0120000: o->type = VFS_LNK; break;
    case 0020000: o->type = VFS_CHR; break;
    case 0060000: o->type = VFS_BLK; break;
    case 0010000: o->type = VFS_FIFO; break;
    case 0140000: o->type = VFS_SOCK; break;
    default: o->type = VFS_OTHER;
    }
    o->mode = m;
    o->size = (uint64_t)s->st_size;
    o->ino = (uint64_t)s->st_ino;
    o->dev = (uint64_t)s->st_dev;
    o->nlink = (uint64_t)s->st_nlink;
    o->mtime = s->st_mtime_sec;
}

static int g_lstat(vfs *v, const char *path, struct vfs_stat *st)
{
    struct vfs_gfs *gv = (struct vfs_gfs *)v;
    struct guestfs_statns *s = guestfs_lstatns(gv->g, path);
    if (!s)
        return gfail(v, path);
    fill_stat(st, s);
    guestfs_free_statns(s);
    return 0;
}

static ssize_t g_pread(vfs *v, const char *path, void *buf, size_t len, uint64_t off)
{
    struct vfs_gfs *gv = (struct vfs_gfs *)v;
    size_t got = 0;

    while (got < len) {
        size_t want = len - got > PREAD_MAX ? PREAD_MAX : len - got;
        size_t n = 0;
        char *data = guestfs_pread(gv->g, path, (int)want, (int64_t)(off + got), &n);
        if (!data)
            return gfail(v, path);
        if (n > want)
            n = want;
        memcpy((char *)buf + got, data, n);
        free(data);
        got += n;
        if (n < want)
            break;
    }
    return (ssize_t)got;
}

static int g_readlink(vfs *v, const char *path, char **target)
{
    struct vfs_gfs *gv = (struct vfs_gfs *)v;
    char *t = guestfs_readlink(gv->g, path);
    if (!t)
        return gfail(v, path);
    *target = t;
    return 0;
}

/* A walk: one find0 call lists every name below the start in pre-order;
 * lstatnslist only takes plain names of one directory, so names are grouped
 * by parent directory and stat'ed in batches (one round trip per directory
 * or per BATCH_NAMES names), then reported in find0's order. */
struct entry {
    char *rel;             /* path relative to the walk's start */
    size_t parent_len;     /* length of its parent part within rel (0: start) */
    struct vfs_stat st;
    int ok;
};

static unsigned depth_of(const char *rel)
{
    unsigned d = 1;
    for (; *rel; rel++)
        d += *rel == '/';
    return d;
}

static int cmp_by_parent(const void *a, const void *b)
{
    const struct entry *x = *(struct entry *const *)a, *y = *(struct entry *const *)b;
    size_t n = x->parent_len < y->parent_len ? x->parent_len : y->parent_len;
    int c = memcmp(x->rel, y->rel, n);
    if (c)
        return c;
    return x->parent_len < y->parent_len ? -1 : x->parent_len > y->parent_len;
}

static void join_path(char *out, size_t cap, const char *start, const char *rel, size_t rel_len)
{
    if (rel_len == 0)
        snprintf(out, cap, "%s", start);
    else
        snprintf(out, cap, "%s%s%.*s", start, strcmp(start, "/") ? "/" : "", (int)rel_len, rel);
}

/* Stats one group of names sharing a parent directory. */
static void stat_group(vfs *v, const char *start, struct entry **grp, size_t n,
                       struct vfs_walk_result *res)
{
    struct vfs_gfs *gv = (struct vfs_gfs *)v;
    char dir[4096];
    char *names[BATCH_NAMES + 1];

    join_path(dir, sizeof dir, start, grp[0]->rel, grp[0]->parent_len);
    for (size_t off = 0; off < n; off += BATCH_NAMES) {
        size_t k = n - off < BATCH_NAMES ? n - off : BATCH_NAMES;
        for (size_t i = 0; i < k; i++) {
            struct entry *e = grp[off + i];
            names[i] = e->rel + e->parent_len + (e->parent_len ? 1 : 0);
        }
        names[k] = NULL;
        struct guestfs_statns_list *l = guestfs_lstatnslist(gv->g, dir, names);
        if (!l) {
            res->errors += k;
            continue;
        }
        for (size_t i = 0; i < k && i < l->len; i++) {
            if (l->val[i].st_ino < 0) {     /* that name could not be stat'ed */
                res->errors++;
                continue;
            }
            fill_stat(&grp[off + i]->st, &l->val[i]);
            grp[off + i]->ok = 1;
        }
        guestfs_free_statns_list(l);
    }
}

/* Reads find0's output: NUL-separated names relative to start. */
static int read_names(vfs *v, const char *start, const struct vfs_walk_limits *lim,
                      struct entry **out, size_t *nout, struct vfs_walk_result *res)
{
    struct vfs_gfs *gv = (struct vfs_gfs *)v;
    char tmpl[4096];
    struct entry *es = NULL;
    size_t n = 0, cap = 0, lcap = 0;
    char *line = NULL;
    int rc = -1;
    snprintf(tmpl, sizeof tmpl, "%s/liftcheck-find0-XXXXXX", tmp_dir());
    int fd = mkstemp(tmpl);

    if (fd < 0)
        return vfs_fail(v, errno, "temporary file: %s", strerror(errno));
    FILE *f = fdopen(fd, "r");
    if (!f) {
        close(fd);
        unlink(tmpl);
        return vfs_fail(v, errno, "temporary file: %s", strerror(errno));
    }
    if (lim->max_depth == 1) {
        /* One level needs no recursive listing. */
        if (guestfs_ls0(gv->g, start, tmpl) < 0) {
            res->errors++;
            gfail(v, start);
            goto out;
        }
    } else if (guestfs_find0(gv->g, start, tmpl) < 0) {
        res->errors++;
        gfail(v, start);
        goto out;
    }
    ssize_t len;
    while ((len = getdelim(&line, &lcap, '\0', f)) > 0) {
        if (line[len - 1] == '\0')
            len--;
        if (len == 0)
            continue;
        line[len] = '\0';
        if (depth_of(line) > lim->max_depth) {
            res->depth_limited = 1;
            continue;
        }
        if (n >= lim->max_entries) {
            res->entries_limited = 1;
            break;
        }
        if (grow_array((void **)&es, &cap, n, sizeof *es, 1024) < 0) {
            vfs_fail(v, ENOMEM, "out of memory");
            goto out;
        }
        struct entry *e = &es[n];
        memset(e, 0, sizeof *e);
        e->rel = xstrdup(line);
        char *slash = strrchr(e->rel, '/');
        e->parent_len = slash ? (size_t)(slash - e->rel) : 0;
        n++;
    }
    rc = 0;
out:
    free(line);
    fclose(f);
    unlink(tmpl);
    *out = es;
    *nout = n;
    return rc;
}

static int g_walk(vfs *v, const char *start, const struct vfs_walk_limits *lim,
                  vfs_walk_fn fn, void *opaque, struct vfs_walk_result *res)
{
    struct entry *es = NULL, **order = NULL;
    size_t n = 0;
    int rc = -1;

    if (read_names(v, start, lim, &es, &n, res) < 0)
        goto out;
    order = malloc((n ? n : 1) * sizeof *order);
    if (!order) {
        vfs_fail(v, ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        order[i] = &es[i];
    qsort(order, n, sizeof *order, cmp_by_parent);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && order[j]->parent_len == order[i]->parent_len &&
               memcmp(order[j]->rel, order[i]->rel, order[i]->parent_len) == 0)
            j++;
        stat_group(v, start, order + i, j - i, res);
        i = j;
    }

    /* Report in pre-order; a callback may skip a directory's subtree. */
    const char *skip = NULL;
    size_t skip_len = 0;
    for (size_t i = 0; i < n; i++) {
        struct entry *e = &es[i];
        char path[4096];
        if (stop_requested())
            break;
        if (skip && strncmp(e->rel, skip, skip_len) == 0 && e->rel[skip_len] == '/')
            continue;
        skip = NULL;
        if (!e->ok)
            continue;
        join_path(path, sizeof path, start, e->rel, strlen(e->rel));
        res->entries++;
        int r = fn(path, &e->st, opaque);
        if (r < 0)
            break;
        if (r == 1 && e->st.type == VFS_DIR) {
            skip = e->rel;
            skip_len = strlen(skip);
        }
    }
    rc = 0;
out:
    for (size_t i = 0; i < n; i++)
        free(es[i].rel);
    free(es);
    free(order);
    return rc;
}

static void g_close(vfs *v)
{
    free(v);    /* the handle belongs to the image, not to the vfs */
}

static const struct vfs_ops gfs_ops = {
    .lstat = g_lstat,
    .pread = g_pread,
    .readlink = g_readlink,
    .walk = g_walk,
    .close = g_close,
};

vfs *vfs_guestfs_open(struct guestfs_h *g)
{
    struct vfs_gfs *gv = xcalloc(1, sizeof *gv);
    gv->g = g;
    gv->base.ops = &gfs_ops;
    gv->base.backend = "guestfs";
    return &gv->base;
}
