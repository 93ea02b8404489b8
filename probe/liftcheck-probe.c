/* liftcheck-probe: the appliance-side half of the file-tree snapshot.
 *
 * Runs inside the libguestfs appliance (a static program, so it needs
 * nothing from the appliance but its kernel), walks the guest filesystems
 * mounted under ROOT, and writes every entry and the byte ranges that the
 * ELF inventory will ask for into OUTPUT at OFFSET (snapshot_format.h).
 * The ELF reads are made by the very parser the host runs, with exact
 * reads, so the host's replay asks for the same ranges in the same order.
 *
 *   liftcheck-probe ROOT OUTPUT OFFSET MAX_BYTES [PROGRESS_FILE]
 *
 * OUTPUT may be a block device (in the appliance) or a regular file.
 * PROGRESS_FILE, rewritten as the walk goes, holds "DONE TOTAL": entries
 * seen so far and the inodes in use on the filesystems under ROOT. */
#include "inspector/snapshot_format.h"
#include "inspector/vfs.h"
#include "scanners/elf/elf_int.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define OUT_BUF (1u << 20)

struct out {
    int fd;
    uint64_t base;          /* where the header goes */
    uint64_t max;           /* payload bytes allowed */
    uint64_t pos;           /* payload bytes emitted */
    uint64_t flushed;
    unsigned char *buf;
    size_t n;
    int truncated, io_error;
    uint64_t entries, ranges;
};

static int flush_out(struct out *o)
{
    size_t done = 0;
    while (done < o->n) {
        ssize_t w = pwrite(o->fd, o->buf + done, o->n - done,
                           (off_t)(o->base + SNAP_HEADER_SIZE + o->flushed + done));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            o->io_error = errno ? errno : EIO;
            return -1;
        }
        done += (size_t)w;
    }
    o->flushed += o->n;
    o->n = 0;
    return 0;
}

/* Appends one record made of up to three parts; a record that does not fit
 * in the output area ends the snapshot (truncated), never half-written. */
static int emit(struct out *o, const void *a, size_t alen, const void *b, size_t blen,
                const void *c, size_t clen)
{
    if (o->truncated || o->io_error)
        return -1;
    if (o->pos + alen + blen + clen > o->max) {
        o->truncated = 1;
        return -1;
    }
    const void *parts[3] = {a, b, c};
    size_t lens[3] = {alen, blen, clen};
    for (int i = 0; i < 3; i++) {
        const unsigned char *p = parts[i];
        size_t left = lens[i];
        while (left) {
            if (o->n == OUT_BUF && flush_out(o) < 0)
                return -1;
            size_t k = OUT_BUF - o->n < left ? OUT_BUF - o->n : left;
            memcpy(o->buf + o->n, p, k);
            o->n += k;
            p += k;
            left -= k;
        }
    }
    o->pos += alen + blen + clen;
    return 0;
}

/* A vfs that forwards to the directory backend and records every read. */
struct recorder {
    struct vfs base;
    vfs *inner;
    struct out *o;
};

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
    if (n > 0 && (uint64_t)n <= UINT32_MAX) {
        struct snap_range h = {.tag = 'R', .len = (uint32_t)n, .off = off};
        if (emit(r->o, &h, sizeof h, buf, (size_t)n, NULL, 0) == 0)
            r->o->ranges++;
    }
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

/* Inodes in use on every filesystem mounted at or below root: the number
 * of entries the walk will meet, give or take the roots themselves. */
static unsigned long long inodes_in_use(const char *root)
{
    FILE *m = fopen("/proc/self/mounts", "r");
    char line[8192], dev[4096], dir[4096];
    size_t rl = strlen(root);
    unsigned long long total = 0;

    if (!m)
        return 0;
    while (fgets(line, sizeof line, m)) {
        struct statvfs sv;
        if (sscanf(line, "%4095s %4095s", dev, dir) != 2 || strncmp(dir, root, rl) != 0 ||
            (dir[rl] != '\0' && dir[rl] != '/') || statvfs(dir, &sv) < 0)
            continue;
        if (sv.f_files >= sv.f_ffree)
            total += sv.f_files - sv.f_ffree;
    }
    fclose(m);
    return total;
}

struct progress {
    int fd;
    unsigned long long total;
};

static void progress_write(struct progress *pr, unsigned long long done)
{
    char buf[64];
    if (pr->fd < 0)
        return;
    int n = snprintf(buf, sizeof buf, "%20llu %20llu\n", done, pr->total);
    if (pwrite(pr->fd, buf, (size_t)n, 0) < 0)
        pr->fd = -1;    /* progress is a courtesy: never fail the walk for it */
}

struct probe {
    struct recorder rec;
    struct progress pr;
    struct out *o;
    struct strmap inodes;       /* "dev:ino" of hard-linked files already read */
    unsigned char head[64];
    int oom;
};

/* The reads the ELF inventory makes for one regular file (elf_scan.c's walk
 * callback, with the snapshot's exact reads). */
static void read_file(struct probe *p, const char *path, const struct vfs_stat *st)
{
    vfs *v = &p->rec.base;
    char key[64];

    if (st->size < MIN_ELF_SIZE)
        return;
    if (st->nlink > 1) {
        snprintf(key, sizeof key, "%" PRIu64 ":%" PRIu64, st->dev, st->ino);
        if (strmap_get(&p->inodes, key) != -1)
            return;
        if (strmap_put(&p->inodes, key, 1) < 0) {
            p->oom = 1;
            return;
        }
    }
    size_t want = elf_head_len(v, st->size);
    ssize_t n = vfs_pread(v, path, p->head, want, 0);
    if (n < SELFMAG || memcmp(p->head, ELFMAG, SELFMAG) != 0)
        return;
    struct elf_info info;
    memset(&info, 0, sizeof info);
    if (!(info.path = strdup(path))) {
        p->oom = 1;
        return;
    }
    info.size = st->size;
    if (elf_parse(v, p->head, (size_t)n, &info) < 0)
        p->oom = 1;
    elf_info_free(&info);
}

static int on_entry(const char *path, const struct vfs_stat *st, void *opaque)
{
    struct probe *p = opaque;
    char *link = NULL;
    size_t plen = strlen(path) + 1, llen = 0;

    if (plen > UINT16_MAX)
        return 0;
    if (st->type == VFS_LNK && vfs_readlink(p->rec.inner, path, &link) == 0) {
        llen = strlen(link) + 1;
        if (llen > UINT16_MAX) {
            free(link);
            link = NULL;
            llen = 0;
        }
    }
    struct snap_entry e = {
        .tag = 'E', .type = (uint8_t)st->type, .path_len = (uint16_t)plen,
        .link_len = (uint16_t)llen, .mode = st->mode, .size = st->size, .ino = st->ino,
        .dev = st->dev, .nlink = st->nlink, .mtime = st->mtime,
    };
    int rc = emit(p->o, &e, sizeof e, path, plen, link, llen);
    free(link);
    if (rc < 0)
        return -1;
    p->o->entries++;
    if (p->o->entries % 1000 == 0)
        progress_write(&p->pr, p->o->entries);
    if (st->type == VFS_REG)
        read_file(p, path, st);
    return p->oom || p->o->truncated || p->o->io_error ? -1 : 0;
}

int main(int argc, char **argv)
{
    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: liftcheck-probe ROOT OUTPUT OFFSET MAX_BYTES [PROGRESS_FILE]\n");
        return 2;
    }
    struct out o = {.base = strtoull(argv[3], NULL, 0), .max = strtoull(argv[4], NULL, 0)};
    o.fd = open(argv[2], O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (o.fd < 0) {
        fprintf(stderr, "liftcheck-probe: %s: %s\n", argv[2], strerror(errno));
        return 1;
    }
    if (!(o.buf = malloc(OUT_BUF)))
        return 1;
    vfs *dir = vfs_dir_open(argv[1]);
    if (!dir) {
        fprintf(stderr, "liftcheck-probe: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    struct probe p;
    memset(&p, 0, sizeof p);
    p.o = &o;
    p.rec.base.ops = &rec_ops;
    p.rec.base.backend = "probe";
    p.rec.base.exact_reads = 1;
    p.rec.inner = dir;
    p.rec.o = &o;
    p.pr.fd = argc == 6 ? open(argv[5], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600) : -1;
    if (p.pr.fd >= 0) {
        p.pr.total = inodes_in_use(argv[1]);
        progress_write(&p.pr, 0);
    }

    struct vfs_walk_result res;
    int wrc = vfs_walk(dir, "/", NULL, on_entry, &p, &res);
    if (wrc < 0 && !o.truncated && !p.oom)
        fprintf(stderr, "liftcheck-probe: walk: %s\n", vfs_error(dir));
    if (o.n && !o.io_error)
        flush_out(&o);

    struct snap_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, SNAP_MAGIC, sizeof h.magic);
    h.payload_len = o.flushed;
    h.entries = o.entries;
    h.ranges = o.ranges;
    h.truncated = (uint32_t)o.truncated;
    h.walk_errors = res.errors;
    h.depth_limited = (uint32_t)res.depth_limited;
    h.entries_limited = (uint32_t)res.entries_limited;
    h.complete = wrc == 0 && !o.truncated && !p.oom && !o.io_error && !res.errors &&
                 !res.depth_limited && !res.entries_limited;
    unsigned char hdr[SNAP_HEADER_SIZE] = {0};
    memcpy(hdr, &h, sizeof h);
    if (o.io_error || pwrite(o.fd, hdr, sizeof hdr, (off_t)o.base) != (ssize_t)sizeof hdr ||
        fsync(o.fd) < 0) {
        fprintf(stderr, "liftcheck-probe: %s: %s\n", argv[2],
                strerror(o.io_error ? o.io_error : errno));
        return 1;
    }
    /* Whoever reads the disk next, through the cache or around it, sees
     * the snapshot. */
    struct stat ost;
    if (fstat(o.fd, &ost) == 0 && S_ISBLK(ost.st_mode))
        ioctl(o.fd, BLKFLSBUF, 0);
    printf("entries %" PRIu64 " ranges %" PRIu64 " bytes %" PRIu64 "%s%s\n", o.entries,
           o.ranges, o.flushed, h.complete ? "" : " incomplete", o.truncated ? " truncated" : "");
    progress_write(&p.pr, o.entries);
    if (p.pr.fd >= 0)
        close(p.pr.fd);
    strmap_free(&p.inodes);
    free(o.buf);
    vfs_close(dir);
    close(o.fd);
    return 0;
}
