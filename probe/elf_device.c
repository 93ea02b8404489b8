#include "elf_device.h"

#include "common/tree/block_dev.h"
#include "common/tree/ext_index.h"
#include "common/tree/parallel.h"
#include "common/vfs.h"
#include "common/elf/elf_read.h"
#include "util/grow.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BATCH 4096                  /* files in memory at once */
#define FIRST_HEAD (16u << 10)      /* fetched before the first parse: */
#define FIRST_TAIL (4u << 10)       /* headers lie at the start and the end */
#define MAX_NEEDS 16                /* misses kept per file and round */
#define MAX_NEED (16u << 20)        /* a larger read goes through the kernel */
#define MAX_EXTENTS 256
#define MAX_ROUNDS 12
#define MAX_DEVS 64
#define ALIGN BLOCK_DEV_ALIGN
#define MAX_REQUEST BLOCK_DEV_MAX_READ
#define MAX_PIECE (MAX_REQUEST - 2 * ALIGN)
#define READERS 8                   /* requests in flight: most are small */
#define MAX_GAP (256u << 10)        /* read through smaller gaps: a request costs more */

enum { PENDING, DONE, KERNEL };

struct seg {
    uint64_t off;
    uint32_t len;
    unsigned char *data;
};

struct need {
    uint64_t off;
    uint32_t len;
};

struct dfile {
    struct cand *c;
    int slot;                       /* device */
    struct ext_extent *ext;
    int next;
    unsigned bs;                    /* block size */
    struct seg *seg;
    size_t nseg, segcap;
    struct need need[MAX_NEEDS];
    unsigned nneed;
    int state;
};

struct piece {
    struct dfile *f;
    unsigned char *dst;
    uint64_t phys;
    uint32_t len;
};

struct request {
    int slot;
    uint64_t start, end;
    size_t first, count;            /* into the sorted pieces */
};

struct dpass {
    struct dfile *f;
    size_t n;
    struct out *o;
    struct probe_progress *pr;
    int devfd[MAX_DEVS];
    struct piece *pc;
    struct request *req;
    int oom;
    struct elf_device_stats *stats;
};

/* A vfs over one file's fetched bytes; a read it cannot answer is noted
 * as a need, and the parse is done again once it is fetched. */
struct memvfs {
    struct vfs base;
    struct dfile *f;
    struct need *rec;               /* reads answered, in order, for the snapshot */
    size_t nrec, reccap;
    int missed, kernel;
};

static const unsigned char *find_bytes(const struct dfile *f, uint64_t off, size_t len)
{
    for (size_t i = 0; i < f->nseg; i++)
        if (off >= f->seg[i].off && off + len <= f->seg[i].off + f->seg[i].len)
            return f->seg[i].data + (off - f->seg[i].off);
    return NULL;
}

static ssize_t mem_pread(vfs *v, const char *path, void *buf, size_t len, uint64_t off)
{
    struct memvfs *m = (struct memvfs *)v;
    struct dfile *f = m->f;
    uint64_t size = f->c->size;

    if (strcmp(path, f->c->path)) {     /* the parser reads one file only */
        m->kernel = 1;
        return vfs_fail(v, EINVAL, "%s: not the file parsed", path);
    }
    if (off >= size)
        return 0;
    if (len > size - off)
        len = (size_t)(size - off);
    const unsigned char *p = find_bytes(f, off, len);
    if (p) {
        memcpy(buf, p, len);
        if (grow_array((void **)&m->rec, &m->reccap, m->nrec, sizeof *m->rec, 16) < 0)
            return vfs_fail(v, ENOMEM, "out of memory");
        m->rec[m->nrec++] = (struct need){off, (uint32_t)len};
        return (ssize_t)len;
    }
    if (len > MAX_NEED || f->nneed == MAX_NEEDS)
        m->kernel = 1;
    else
        f->need[f->nneed++] = (struct need){off, (uint32_t)len};
    m->missed = 1;
    return vfs_fail(v, EAGAIN, "%s: not fetched yet", path);
}

static int mem_lstat(vfs *v, const char *path, struct vfs_stat *st)
{
    (void)st;
    ((struct memvfs *)v)->kernel = 1;
    return vfs_fail(v, ENOSYS, "%s: no lstat here", path);
}

static int mem_readlink(vfs *v, const char *path, char **target)
{
    (void)target;
    ((struct memvfs *)v)->kernel = 1;
    return vfs_fail(v, ENOSYS, "%s: no readlink here", path);
}

static int mem_walk(vfs *v, const char *start, const struct vfs_walk_limits *lim,
                    vfs_walk_fn fn, void *opaque, struct vfs_walk_result *res)
{
    (void)lim, (void)fn, (void)opaque, (void)res;
    ((struct memvfs *)v)->kernel = 1;
    return vfs_fail(v, ENOSYS, "%s: no walk here", start);
}

static void mem_close(vfs *v)
{
    (void)v;
}

static const struct vfs_ops mem_ops = {
    .lstat = mem_lstat, .pread = mem_pread, .readlink = mem_readlink,
    .walk = mem_walk, .close = mem_close,
};

static void *new_memvfs(void *ctx)
{
    struct memvfs *m = calloc(1, sizeof *m);
    (void)ctx;
    if (m) {
        m->base.ops = &mem_ops;
        m->base.backend = "probe";
        m->base.exact_reads = 1;
    }
    return m;
}

static void free_memvfs(void *local)
{
    struct memvfs *m = local;
    if (m)
        free(m->rec);
    free(m);
}

static void free_segs(struct dfile *f)
{
    for (size_t i = 0; i < f->nseg; i++)
        free(f->seg[i].data);
    free(f->seg);
    f->seg = NULL;
    f->nseg = f->segcap = 0;
    free(f->ext);
    f->ext = NULL;
}

/* Records a finished file's ranges: its head, then each read answered. */
static int emit(struct dpass *p, struct dfile *f, const struct memvfs *m)
{
    struct cand *c = f->c;
    int rc = 0;
    pthread_mutex_lock(&p->o->lock);
    if (out_range(p->o, c->entry, 0, c->head, (uint32_t)c->got) < 0)
        rc = -1;
    for (size_t k = 0; rc == 0 && k < m->nrec; k++)
        if (out_range(p->o, c->entry, m->rec[k].off, find_bytes(f, m->rec[k].off, m->rec[k].len),
                      m->rec[k].len) < 0)
            rc = -1;
    pthread_mutex_unlock(&p->o->lock);
    return rc;
}

static void parse_one(void *ctx, void *local, size_t i)
{
    struct dpass *p = ctx;
    struct memvfs *m = local;
    struct dfile *f = &p->f[i];
    struct elf_info info;

    if (f->state != PENDING || f->nneed)
        return;
    if (!m) {
        __atomic_store_n(&p->oom, 1, __ATOMIC_RELAXED);
        return;
    }
    m->f = f;
    m->nrec = 0;
    m->missed = m->kernel = 0;
    memset(&info, 0, sizeof info);
    info.size = f->c->size;
    if (!(info.path = strdup(f->c->path)) ||
        elf_parse(&m->base, f->c->head, (size_t)f->c->got, &info) < 0) {
        __atomic_store_n(&p->oom, 1, __ATOMIC_RELAXED);
        elf_info_free(&info);
        return;
    }
    elf_info_free(&info);
    if (m->kernel) {
        f->state = KERNEL;
        f->nneed = 0;
    } else if (!m->missed) {
        f->state = DONE;
        emit(p, f, m);
        pprogress_add(p->pr, 1);
    }
    if (f->state != PENDING)
        free_segs(f);
}

/* Maps one need onto the file's extents, as pieces to read; blocks in no
 * written extent (holes, unwritten extents) read as zeros, as the kernel
 * gives them.  -2 when out of memory. */
static int map_need(struct dpass *p, struct dfile *f, const struct need *nd,
                    unsigned char *dst, size_t *npc, size_t *pccap)
{
    uint64_t off = nd->off, end = nd->off + nd->len;
    while (off < end) {
        uint64_t lb = off / f->bs;
        const struct ext_extent *e = NULL;
        for (int k = 0; k < f->next && !e; k++)
            if (lb >= f->ext[k].lblk && lb < f->ext[k].lblk + f->ext[k].len)
                e = &f->ext[k];
        if (!e) {
            uint64_t hole_end = end;
            for (int k = 0; k < f->next; k++) {
                uint64_t s = f->ext[k].lblk * (uint64_t)f->bs;
                if (s > off && s < hole_end)
                    hole_end = s;
            }
            memset(dst + (off - nd->off), 0, (size_t)(hole_end - off));
            off = hole_end;
            continue;
        }
        uint64_t ext_end = (e->lblk + e->len) * (uint64_t)f->bs;
        uint64_t take = (end < ext_end ? end : ext_end) - off;
        if (take > MAX_PIECE)       /* each piece fits one aligned request */
            take = MAX_PIECE;
        if (grow_array((void **)&p->pc, pccap, *npc, sizeof *p->pc, 4096) < 0)
            return -2;
        p->pc[(*npc)++] = (struct piece){f, dst + (off - nd->off),
                                         (e->pblk + (lb - e->lblk)) * (uint64_t)f->bs +
                                             off % f->bs,
                                         (uint32_t)take};
        off += take;
    }
    return 0;
}

static int by_place(const void *a, const void *b)
{
    const struct piece *x = a, *y = b;
    if (x->f->slot != y->f->slot)
        return x->f->slot < y->f->slot ? -1 : 1;
    return x->phys < y->phys ? -1 : x->phys > y->phys;
}

static void read_request(void *ctx, void *buf, size_t i)
{
    struct dpass *p = ctx;
    const struct request *r = &p->req[i];
    size_t len = (size_t)(r->end - r->start), done = 0;

    if (buf)
        done = block_dev_read(p->devfd[r->slot], buf, len, r->start);
    for (size_t k = 0; k < r->count; k++) {
        struct piece *pc = &p->pc[r->first + k];
        uint64_t at = pc->phys - r->start;
        if (at + pc->len <= done)
            memcpy(pc->dst, (char *)buf + at, pc->len);
        else    /* the device read failed: let the kernel try */
            __atomic_store_n(&pc->f->state, KERNEL, __ATOMIC_RELAXED);
    }
}

/* Fetches every pending file's needs: pieces sorted by place, merged into
 * large aligned reads. */
static int fetch(struct dpass *p)
{
    size_t npc = 0, pccap = 0;
    p->pc = NULL;
    for (size_t i = 0; i < p->n; i++) {
        struct dfile *f = &p->f[i];
        for (unsigned k = 0; f->state == PENDING && k < f->nneed; k++) {
            const struct need *nd = &f->need[k];
            unsigned char *dst = malloc(nd->len ? nd->len : 1);
            if (!dst || grow_array((void **)&f->seg, &f->segcap, f->nseg, sizeof *f->seg, 8) < 0) {
                free(dst);
                free(p->pc);
                return -1;
            }
            f->seg[f->nseg++] = (struct seg){nd->off, nd->len, dst};
            if (map_need(p, f, nd, dst, &npc, &pccap) < 0) {
                free(p->pc);
                return -1;
            }
        }
        f->nneed = 0;
    }
    qsort(p->pc, npc, sizeof *p->pc, by_place);
    p->req = malloc((npc ? npc : 1) * sizeof *p->req);
    if (!p->req) {
        free(p->pc);
        return -1;
    }
    size_t nreq = 0;
    for (size_t i = 0; i < npc;) {
        struct piece *pc = &p->pc[i];
        uint64_t s = pc->phys & ~(uint64_t)(ALIGN - 1);
        struct request r = {pc->f->slot, s, (pc->phys + pc->len + ALIGN - 1) & ~(uint64_t)(ALIGN - 1),
                            i, 1};
        for (i++; i < npc; i++) {
            struct piece *d = &p->pc[i];
            uint64_t ds = d->phys & ~(uint64_t)(ALIGN - 1);
            uint64_t de = (d->phys + d->len + ALIGN - 1) & ~(uint64_t)(ALIGN - 1);
            if (d->f->slot != r.slot || ds > r.end + MAX_GAP || de - r.start > MAX_REQUEST)
                break;
            if (de > r.end)
                r.end = de;
            r.count++;
        }
        p->req[nreq++] = r;
        p->stats->bytes += r.end - r.start;
    }
    struct par_loop dev = {.fn = read_request, .local_new = block_dev_buffer, .local_free = free, .ctx = p};
    parallel_for(nreq, READERS, &dev);
    p->stats->requests += nreq;
    free(p->req);
    free(p->pc);
    p->req = NULL;
    p->pc = NULL;
    return 0;
}

static unsigned cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

/* One batch: first regions, then parse and fetch until nothing misses. */
static int run_batch(struct dpass *p)
{
    for (size_t i = 0; i < p->n; i++) {
        struct dfile *f = &p->f[i];
        uint64_t size = f->c->size;
        if (size <= FIRST_HEAD + FIRST_TAIL) {
            f->need[f->nneed++] = (struct need){0, (uint32_t)size};
        } else {
            f->need[f->nneed++] = (struct need){0, FIRST_HEAD};
            f->need[f->nneed++] = (struct need){size - FIRST_TAIL, FIRST_TAIL};
        }
    }
    struct par_loop parse = {.fn = parse_one, .local_new = new_memvfs,
                             .local_free = free_memvfs, .ctx = p};
    for (int round = 0; round < MAX_ROUNDS && !p->oom; round++) {
        size_t waiting = 0;
        for (size_t i = 0; i < p->n; i++)
            waiting += p->f[i].state == PENDING && p->f[i].nneed;
        if (!waiting)
            break;
        if (fetch(p) < 0)
            return -1;
        p->stats->rounds++;
        parallel_for(p->n, cpus(), &parse);
    }
    for (size_t i = 0; i < p->n; i++)
        if (p->f[i].state == PENDING) {
            p->f[i].state = KERNEL;
            free_segs(&p->f[i]);
        }
    return p->oom ? -1 : 0;
}

int elf_device_pass(struct tree *t, struct cand **elf, size_t n, struct out *o,
                    struct probe_progress *pr, size_t *rest, struct elf_device_stats *stats)
{
    struct dpass p = {.o = o, .pr = pr, .stats = stats};
    uint64_t devs[MAX_DEVS];
    int ndevs = 0, rc = 0;
    size_t kept = 0;

    memset(stats, 0, sizeof *stats);
    p.f = calloc(BATCH, sizeof *p.f);
    struct ext_extent *ext = malloc(MAX_EXTENTS * sizeof *ext);
    if (!p.f || !ext) {
        free(p.f);
        free(ext);
        return -1;
    }
    for (size_t start = 0; start < n && rc == 0;) {
        p.n = 0;
        size_t i = start;
        for (; i < n && p.n < BATCH; i++) {
            struct cand *c = elf[i];
            struct ext_index *x = tree_index(t, c->dev);
            int slot = -1;
            for (int k = 0; k < ndevs && slot < 0; k++)
                if (devs[k] == c->dev)
                    slot = k;
            if (x && slot < 0 && ndevs < MAX_DEVS) {
                p.devfd[ndevs] = block_dev_open(c->dev, O_RDONLY | O_DIRECT);
                devs[ndevs] = c->dev;
                slot = ndevs++;
            }
            int ne = x && slot >= 0 && p.devfd[slot] >= 0 && c->got > 0
                         ? ext_index_extents(x, c->ino, ext, MAX_EXTENTS) : -1;
            struct ext_extent *copy = ne > 0 ? malloc((size_t)ne * sizeof *ext) : NULL;
            if (!copy) {
                elf[kept++] = c;            /* through the kernel */
                continue;
            }
            memcpy(copy, ext, (size_t)ne * sizeof *ext);
            p.f[p.n++] = (struct dfile){.c = c, .slot = slot, .ext = copy, .next = ne,
                                        .bs = ext_index_block_size(x)};
        }
        start = i;
        rc = run_batch(&p);
        for (size_t k = 0; k < p.n; k++) {
            if (p.f[k].state == KERNEL)
                elf[kept++] = p.f[k].c;
            else
                stats->files += p.f[k].state == DONE;
            free_segs(&p.f[k]);
        }
    }
    for (int k = 0; k < ndevs; k++)
        if (p.devfd[k] >= 0)
            close(p.devfd[k]);
    free(p.f);
    free(ext);
    *rest = kept;
    return rc;
}
