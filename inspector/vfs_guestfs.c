/* vfs backend over a launched libguestfs appliance whose filesystems are
 * mounted read-only under /.
 *
 * Every call is a round trip to the appliance (~1 ms under TCG), so the walk
 * fetches all names in one find0 call and their metadata with lstatnslist in
 * large batches, and pread fetches up to 2 MiB a call. */
#include "vfs.h"

#include <errno.h>
#include <guestfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Stay well below the 4 MiB protocol message limit. */
#define PREAD_MAX (2u << 20)
#define BATCH_NAMES 4000
#define BATCH_BYTES (1u << 20)

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

/* Names from find0 waiting for their lstatnslist batch. */
struct batch {
    char *names[BATCH_NAMES + 1];
    size_t n, bytes;
};

struct walk_state {
    vfs *v;
    const char *start;
    const struct vfs_walk_limits *lim;
    vfs_walk_fn fn;
    void *opaque;
    struct vfs_walk_result *res;
    char *skip;            /* a directory whose children are skipped */
    size_t skip_len;
    int stop;
};

static unsigned depth_of(const char *rel)
{
    unsigned d = 1;
    for (; *rel; rel++)
        d += *rel == '/';
    return d;
}

static int flush(struct walk_state *w, struct batch *b)
{
    struct vfs_gfs *gv = (struct vfs_gfs *)w->v;
    int rc = 0;

    if (b->n == 0)
        return 0;
    b->names[b->n] = NULL;
    struct guestfs_statns_list *l = guestfs_lstatnslist(gv->g, w->start, b->names);
    if (!l) {
        w->res->errors += b->n;
        rc = gfail(w->v, w->start);
        goto out;
    }
    for (size_t i = 0; i < b->n && i < l->len && !w->stop; i++) {
        const char *rel = b->names[i];
        char path[4096];
        struct vfs_stat st;

        if (w->skip && strncmp(rel, w->skip, w->skip_len) == 0 && rel[w->skip_len] == '/')
            continue;
        if (l->val[i].st_ino < 0) {     /* lstat failed for this name */
            w->res->errors++;
            continue;
        }
        if (snprintf(path, sizeof path, "%s%s%s", w->start,
                     strcmp(w->start, "/") ? "/" : "", rel) >= (int)sizeof path) {
            w->res->errors++;
            continue;
        }
        fill_stat(&st, &l->val[i]);
        if (w->res->entries >= w->lim->max_entries) {
            w->res->entries_limited = 1;
            w->stop = 1;
            break;
        }
        w->res->entries++;
        int r = w->fn(path, &st, w->opaque);
        if (r < 0) {
            w->stop = 1;
        } else if (r == 1 && st.type == VFS_DIR) {
            free(w->skip);
            w->skip = strdup(rel);
            w->skip_len = w->skip ? strlen(w->skip) : 0;
        }
    }
    guestfs_free_statns_list(l);
out:
    for (size_t i = 0; i < b->n; i++)
        free(b->names[i]);
    b->n = b->bytes = 0;
    return rc;
}

/* Queues one name (relative to the walk's start) for its batch. */
static int feed(struct walk_state *w, struct batch *b, const char *rel, size_t n)
{
    if (depth_of(rel) > w->lim->max_depth) {
        w->res->depth_limited = 1;
        return 0;
    }
    if (b->n == BATCH_NAMES || b->bytes + n > BATCH_BYTES)
        if (flush(w, b) < 0)
            return -1;
    if (!(b->names[b->n] = strdup(rel)))
        return vfs_fail(w->v, ENOMEM, "out of memory");
    b->n++;
    b->bytes += n + 8;
    return 0;
}

/* A one-level listing needs no recursive find. */
static int walk_one_level(struct walk_state *w, struct batch *b)
{
    struct vfs_gfs *gv = (struct vfs_gfs *)w->v;
    char **names = guestfs_ls(gv->g, w->start);
    int rc = 0;

    if (!names) {
        w->res->errors++;
        return gfail(w->v, w->start);
    }
    for (size_t i = 0; names[i]; i++) {
        if (rc == 0 && !w->stop)
            rc = feed(w, b, names[i], strlen(names[i]));
        free(names[i]);
    }
    free(names);
    if (rc == 0 && !w->stop)
        rc = flush(w, b);
    return rc;
}

static int g_walk(vfs *v, const char *start, const struct vfs_walk_limits *lim,
                  vfs_walk_fn fn, void *opaque, struct vfs_walk_result *res)
{
    struct vfs_gfs *gv = (struct vfs_gfs *)v;
    struct walk_state w = {v, start, lim, fn, opaque, res, NULL, 0, 0};
    struct batch *b = calloc(1, sizeof *b);
    char tmpl[] = "/tmp/liftcheck-find0-XXXXXX";
    FILE *f = NULL;
    int fd = -1, rc = -1, made = 0;
    char *line = NULL;
    size_t cap = 0;

    if (!b)
        return vfs_fail(v, ENOMEM, "out of memory");
    if (lim->max_depth == 1) {
        rc = walk_one_level(&w, b);
        goto out;
    }
    fd = mkstemp(tmpl);
    made = fd >= 0;
    if (fd < 0) {
        vfs_fail(v, errno, "temporary file: %s", strerror(errno));
        goto out;
    }
    /* One call lists every name below start, parents before children. */
    if (guestfs_find0(gv->g, start, tmpl) < 0) {
        res->errors++;
        gfail(v, start);
        goto out;
    }
    f = fdopen(fd, "r");
    if (!f)
        goto out;
    fd = -1;
    ssize_t n;
    while (!w.stop && (n = getdelim(&line, &cap, '\0', f)) > 0) {
        if (line[n - 1] == '\0')
            n--;
        if (n == 0)
            continue;
        line[n] = '\0';
        if (feed(&w, b, line, (size_t)n) < 0)
            goto out;
    }
    if (!w.stop && flush(&w, b) < 0)
        goto out;
    rc = 0;
out:
    if (b) {
        for (size_t i = 0; i < b->n; i++)
            free(b->names[i]);
        free(b);
    }
    free(line);
    free(w.skip);
    if (f)
        fclose(f);
    if (fd >= 0)
        close(fd);
    if (made)
        unlink(tmpl);
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
    struct vfs_gfs *gv = calloc(1, sizeof *gv);
    if (!gv)
        return NULL;
    gv->g = g;
    gv->base.ops = &gfs_ops;
    gv->base.backend = "guestfs";
    return &gv->base;
}
