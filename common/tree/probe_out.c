#include "probe_out.h"

#include "common/snapshot_format.h"
#include "snapshot_build_id.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define OUT_BUF (1u << 20)

int out_open(struct out *o, const char *path, uint64_t base, uint64_t max)
{
    memset(o, 0, sizeof *o);
    o->base = base;
    o->max = max;
    if ((o->fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) < 0)
        return -1;
    if (!(o->buf = malloc(OUT_BUF))) {
        close(o->fd);
        return errno = ENOMEM, -1;
    }
    pthread_mutex_init(&o->lock, NULL);
    return 0;
}

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

int out_emit(struct out *o, const void *a, size_t alen, const void *b, size_t blen,
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

int out_range(struct out *o, uint64_t entry, uint64_t off, const void *data, uint32_t len)
{
    struct snap_range h = {.tag = 'R', .len = len, .off = off, .entry = entry};
    if (out_emit(o, &h, sizeof h, data, len, NULL, 0) < 0)
        return -1;
    o->ranges++;
    return 0;
}

static struct snap_entry entry_of(const struct vfs_stat *st, size_t plen, size_t llen)
{
    return (struct snap_entry){
        .tag = 'E', .type = (uint8_t)st->type, .path_len = (uint16_t)plen,
        .link_len = (uint16_t)llen, .mode = st->mode, .size = st->size, .ino = st->ino,
        .dev = st->dev, .nlink = st->nlink, .mtime = st->mtime,
    };
}

int out_entry(struct out *o, const char *path, const struct vfs_stat *st, const char *link)
{
    size_t plen = strlen(path) + 1, llen = link ? strlen(link) + 1 : 0;
    if (plen > UINT16_MAX)
        return 0;
    if (llen > UINT16_MAX) {
        link = NULL;
        llen = 0;
    }
    struct snap_entry e = entry_of(st, plen, llen);
    if (out_emit(o, &e, sizeof e, path, plen, link, llen) < 0)
        return -1;
    o->entries++;
    return 1;
}

void out_header(struct snap_header *h, const struct out *o, const struct vfs_walk_result *res,
                uint64_t dirs, uint64_t dirs_from_metadata, const struct vfs_stat *root)
{
    memset(h, 0, sizeof *h);
    memcpy(h->magic, SNAP_MAGIC, sizeof h->magic);
    memcpy(h->build_id, SNAP_BUILD_ID, sizeof SNAP_BUILD_ID);
    h->payload_len = o->pos;
    h->entries = o->entries;
    h->ranges = o->ranges;
    h->truncated = (uint32_t)o->truncated;
    h->walk_errors = res->errors;
    h->depth_limited = (uint32_t)res->depth_limited;
    h->entries_limited = (uint32_t)res->entries_limited;
    h->dirs = dirs;
    h->dirs_from_metadata = dirs_from_metadata;
    h->root = entry_of(root, 0, 0);
}

int out_finish(struct out *o, const void *header, size_t len)
{
    if (o->n && !o->io_error)
        flush_out(o);
    if (o->io_error)
        return errno = o->io_error, -1;
    if (pwrite(o->fd, header, len, (off_t)o->base) != (ssize_t)len)
        return -1;
    /* Whoever reads the disk next, through the cache or around it, sees
     * the snapshot (a file is read back through this kernel's cache). */
    struct stat st;
    if (fstat(o->fd, &st) == 0 && S_ISBLK(st.st_mode)) {
        if (fsync(o->fd) < 0)
            return -1;
        ioctl(o->fd, BLKFLSBUF, 0);
    }
    return 0;
}

void out_close(struct out *o)
{
    free(o->buf);
    o->buf = NULL;
    if (o->fd >= 0)
        close(o->fd);
    o->fd = -1;
    pthread_mutex_destroy(&o->lock);
}
