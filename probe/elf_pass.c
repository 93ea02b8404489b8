#include "elf_pass.h"

#include "common/tree/parallel.h"
#include "common/vfs.h"
#include "common/elf/elf_read.h"
#include "util/grow.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct rec_range {
    uint64_t off;
    uint32_t len;
    size_t at;                  /* into data */
};

/* A vfs that forwards to a directory backend and keeps every read. */
struct recorder {
    struct vfs base;
    vfs *inner;
    struct rec_range *r;
    size_t nr, rcap;
    unsigned char *data;
    size_t len, cap;
    int oom;
};

struct pass {
    const char *root;
    struct cand **elf;
    struct out *o;
    struct probe_progress *pr;
    int oom;
};

static int keep(struct recorder *r, uint64_t off, const void *buf, size_t len)
{
    if (len > UINT32_MAX)
        return 0;                   /* cannot be recorded: the host reads it live */
    if (grow_array((void **)&r->r, &r->rcap, r->nr, sizeof *r->r, 16) < 0 ||
        grow_bytes(&r->data, &r->cap, r->len + len, 65536) < 0)
        return -1;
    memcpy(r->data + r->len, buf, len);
    r->r[r->nr++] = (struct rec_range){off, (uint32_t)len, r->len};
    r->len += len;
    return 0;
}

static int rec_lstat(vfs *v, const char *path, struct vfs_stat *st)
{
    struct recorder *r = (struct recorder *)v;
    if (vfs_lstat(r->inner, path, st) < 0)
        return vfs_fail(v, errno, "%s", vfs_error(r->inner));
    return 0;
}

static ssize_t rec_pread(vfs *v, const char *path, void *buf, size_t len, uint64_t off)
{
    struct recorder *r = (struct recorder *)v;
    ssize_t n = vfs_pread(r->inner, path, buf, len, off);
    if (n < 0)
        return vfs_fail(v, errno, "%s", vfs_error(r->inner));
    if (n > 0 && keep(r, off, buf, (size_t)n) < 0)
        r->oom = 1;
    return n;
}

static int rec_readlink(vfs *v, const char *path, char **target)
{
    struct recorder *r = (struct recorder *)v;
    if (vfs_readlink(r->inner, path, target) < 0)
        return vfs_fail(v, errno, "%s", vfs_error(r->inner));
    return 0;
}

static int rec_walk(vfs *v, const char *start, const struct vfs_walk_limits *lim,
                    vfs_walk_fn fn, void *opaque, struct vfs_walk_result *res)
{
    struct recorder *r = (struct recorder *)v;
    return vfs_walk(r->inner, start, lim, fn, opaque, res);
}

static void rec_close(vfs *v)
{
    (void)v;
}

static const struct vfs_ops rec_ops = {
    .lstat = rec_lstat, .pread = rec_pread, .readlink = rec_readlink,
    .walk = rec_walk, .close = rec_close,
};

static void *new_recorder(void *ctx)
{
    struct pass *p = ctx;
    struct recorder *r = calloc(1, sizeof *r);
    if (!r || !(r->inner = vfs_dir_open(p->root))) {
        free(r);
        return NULL;
    }
    r->base.ops = &rec_ops;
    r->base.backend = "probe";
    r->base.exact_reads = 1;
    return r;
}

static void free_recorder(void *local)
{
    struct recorder *r = local;
    vfs_close(r->inner);
    free(r->r);
    free(r->data);
    free(r);
}

static void parse_one(void *ctx, void *local, size_t i)
{
    struct pass *p = ctx;
    struct recorder *r = local;
    struct cand *c = p->elf[i];
    struct elf_info info;

    if (!r) {
        __atomic_store_n(&p->oom, 1, __ATOMIC_RELAXED);
        return;
    }
    r->nr = r->len = 0;
    memset(&info, 0, sizeof info);
    info.size = c->size;
    if (keep(r, 0, c->head, (size_t)c->got) < 0 || !(info.path = strdup(c->path)) ||
        elf_parse(&r->base, c->head, (size_t)c->got, &info) < 0 || r->oom) {
        __atomic_store_n(&p->oom, 1, __ATOMIC_RELAXED);
        r->oom = 0;
    }
    elf_info_free(&info);
    pthread_mutex_lock(&p->o->lock);
    for (size_t k = 0; k < r->nr; k++)
        if (out_range(p->o, c->entry, r->r[k].off, r->data + r->r[k].at, r->r[k].len) < 0)
            break;
    pthread_mutex_unlock(&p->o->lock);
    pprogress_add(p->pr, 1);
}

static int by_inode(const void *a, const void *b)
{
    const struct cand *x = *(struct cand *const *)a, *y = *(struct cand *const *)b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    return x->ino < y->ino ? -1 : x->ino > y->ino;
}

int elf_pass(const char *root, struct cand **elf, size_t n, struct out *o,
             struct probe_progress *pr)
{
    struct pass p = {.root = root, .elf = elf, .o = o, .pr = pr};
    /* Inode order: neighbouring inodes tend to have neighbouring blocks. */
    qsort(elf, n, sizeof *elf, by_inode);
    struct par_loop loop = {.fn = parse_one, .local_new = new_recorder,
                            .local_free = free_recorder, .ctx = &p};
    parallel_for(n, io_threads(), &loop);
    return p.oom ? -1 : 0;
}
