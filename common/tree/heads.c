#include "heads.h"

#include "block_dev.h"
#include "guest_file.h"
#include "parallel.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#define MAX_DEVS 64
#define ALIGN BLOCK_DEV_ALIGN
#define MAX_REQUEST BLOCK_DEV_MAX_READ
/* Read through gaps up to this size: a request costs more than the bytes. */
#define MAX_GAP (256u << 10)
#define EXT_MAGIC 0xEF53            /* ext2, ext3, ext4 */
#define XFS_MAGIC 0x58465342
/* Extents whose bytes are not the file's bytes at fe_physical. */
#define NOT_PLAIN (FIEMAP_EXTENT_UNKNOWN | FIEMAP_EXTENT_DELALLOC | FIEMAP_EXTENT_ENCODED | \
                   FIEMAP_EXTENT_DATA_ENCRYPTED | FIEMAP_EXTENT_NOT_ALIGNED | \
                   FIEMAP_EXTENT_DATA_INLINE | FIEMAP_EXTENT_DATA_TAIL | FIEMAP_EXTENT_UNWRITTEN)

struct dev_slot {
    uint64_t dev;
    int fd;                         /* the device, O_DIRECT; -1: unusable */
};

struct request {
    int slot;
    uint64_t start, end;
    size_t first, count;            /* into the sorted candidate pointers */
};

struct heads {
    int rootfd;
    struct cand *c;
    struct cand **sorted;
    struct request *req;
    struct dev_slot devs[MAX_DEVS];
    int ndevs;
    struct probe_progress *pr;
    size_t from_device, through_files;
};

/* The block device a filesystem's st_dev names, opened for direct reads,
 * if the filesystem's FIEMAP gives offsets on that device. */
static int open_device(uint64_t dev, int file_fd)
{
    struct statfs sf;

    if (fstatfs(file_fd, &sf) < 0 || (sf.f_type != EXT_MAGIC && sf.f_type != XFS_MAGIC))
        return -1;
    return block_dev_open(dev, O_RDONLY | O_DIRECT);
}

/* The slot of a filesystem not seen yet, found through one of its files. */
static int add_device(struct heads *h, uint64_t dev, const char *path)
{
    if (h->ndevs == MAX_DEVS)
        return -1;
    int file_fd = open_guest_file(h->rootfd, path);
    int fd = file_fd >= 0 ? open_device(dev, file_fd) : -1;
    if (file_fd >= 0)
        close(file_fd);
    h->devs[h->ndevs++] = (struct dev_slot){dev, fd};
    return fd >= 0 ? h->ndevs - 1 : -1;
}

int heads_place(int fd, size_t want, uint64_t *phys)
{
    /* One extent after the header: the first block is all we ask. */
    union {
        struct fiemap fm;
        unsigned char room[sizeof(struct fiemap) + sizeof(struct fiemap_extent)];
    } m;

    memset(&m, 0, sizeof m);
    m.fm.fm_length = want;
    m.fm.fm_extent_count = 1;
    const struct fiemap_extent *x = &m.fm.fm_extents[0];
    if (ioctl(fd, FS_IOC_FIEMAP, &m.fm) < 0 || m.fm.fm_mapped_extents != 1 ||
        x->fe_logical != 0 || x->fe_length < want || (x->fe_flags & NOT_PLAIN) ||
        x->fe_physical > UINT64_MAX - ALIGN - want)
        return -1;
    *phys = x->fe_physical;
    return 0;
}

/* The device slot of a placed file's filesystem; -1 if unusable. */
static int slot_of(struct heads *h, const struct cand *c)
{
    for (int k = 0; k < h->ndevs; k++)
        if (h->devs[k].dev == c->dev)
            return h->devs[k].fd >= 0 ? k : -1;
    return add_device(h, c->dev, c->path);
}

static int by_place(const void *a, const void *b)
{
    const struct cand *x = *(struct cand *const *)a, *y = *(struct cand *const *)b;
    if (x->dev_slot != y->dev_slot)
        return x->dev_slot < y->dev_slot ? -1 : 1;
    return x->phys < y->phys ? -1 : x->phys > y->phys;
}

static uint64_t align_down(uint64_t x)
{
    return x & ~(uint64_t)(ALIGN - 1);
}

static uint64_t align_up(uint64_t x)
{
    return align_down(x + ALIGN - 1);
}

/* Groups the sorted heads into device reads; returns how many. */
static size_t plan(struct heads *h, size_t placed)
{
    size_t nreq = 0;
    for (size_t i = 0; i < placed;) {
        struct cand *c = h->sorted[i];
        struct request r = {c->dev_slot, align_down(c->phys), align_up(c->phys + c->want), i, 1};
        for (i++; i < placed; i++) {
            struct cand *d = h->sorted[i];
            uint64_t s = align_down(d->phys), e = align_up(d->phys + d->want);
            if (d->dev_slot != r.slot || s > r.end + MAX_GAP || e - r.start > MAX_REQUEST)
                break;
            if (e > r.end)
                r.end = e;
            r.count++;
        }
        h->req[nreq++] = r;
    }
    return nreq;
}

static void read_request(void *ctx, void *buf, size_t i)
{
    struct heads *h = ctx;
    const struct request *r = &h->req[i];
    ssize_t got = -1;

    if (buf)
        got = (ssize_t)block_dev_read(h->devs[r->slot].fd, buf, (size_t)(r->end - r->start),
                                      r->start);
    size_t hits = 0;
    for (size_t k = 0; k < r->count; k++) {
        struct cand *c = h->sorted[r->first + k];
        uint64_t off = c->phys - r->start;
        if (got >= 0 && off + c->want <= (uint64_t)got) {
            memcpy(c->head, (char *)buf + off, c->want);
            c->got = (int16_t)c->want;
            hits++;
        }
    }
    __atomic_add_fetch(&h->from_device, hits, __ATOMIC_RELAXED);
    pprogress_add(h->pr, r->count);
}

static void read_through_file(void *ctx, void *local, size_t i)
{
    struct heads *h = ctx;
    struct cand *c = &h->c[i];
    (void)local;

    if (c->got >= 0)
        return;
    int fd = open_guest_file(h->rootfd, c->path);
    if (fd >= 0) {
        ssize_t k = pread(fd, c->head, c->want, 0);
        if (k >= 0)
            c->got = (int16_t)k;
        close(fd);
        __atomic_add_fetch(&h->through_files, 1, __ATOMIC_RELAXED);
    }
    if (c->dev_slot < 0)
        pprogress_add(h->pr, 1);
}

void heads_read(const char *root, struct cand *c, size_t n, struct probe_progress *pr,
                struct head_stats *stats)
{
    struct heads h = {.c = c, .pr = pr};
    unsigned threads = io_threads();

    memset(stats, 0, sizeof *stats);
    for (size_t i = 0; i < n; i++)
        c[i].got = -1;
    h.rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (h.rootfd < 0)
        return;
    for (size_t i = 0; i < n; i++)
        c[i].dev_slot = c[i].placed ? slot_of(&h, &c[i]) : -1;

    size_t placed = 0;
    h.sorted = malloc((n ? n : 1) * sizeof *h.sorted);
    h.req = malloc((n ? n : 1) * sizeof *h.req);
    if (h.sorted && h.req) {
        for (size_t i = 0; i < n; i++)
            if (c[i].dev_slot >= 0)
                h.sorted[placed++] = &c[i];
        qsort(h.sorted, placed, sizeof *h.sorted, by_place);
        size_t nreq = plan(&h, placed);
        struct par_loop dev = {.fn = read_request, .local_new = block_dev_buffer,
                               .local_free = free, .ctx = &h};
        /* Two readers keep the device busy; more only split large reads. */
        parallel_for(nreq, 2, &dev);
        stats->device_requests = nreq;
        for (size_t k = 0; k < nreq; k++)
            stats->device_bytes += h.req[k].end - h.req[k].start;
    } else {
        for (size_t i = 0; i < n; i++)
            c[i].dev_slot = -1;
    }
    stats->placed = placed;
    struct par_loop files = {.fn = read_through_file, .ctx = &h};
    parallel_for(n, threads, &files);
    stats->from_device = h.from_device;
    stats->through_files = h.through_files;
    free(h.sorted);
    free(h.req);
    for (int k = 0; k < h.ndevs; k++)
        if (h.devs[k].fd >= 0)
            close(h.devs[k].fd);
    close(h.rootfd);
}
