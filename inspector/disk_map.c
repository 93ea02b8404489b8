#include "disk_map.h"

#include "run_capture.h"
#include "util/stop.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A fragmented image prints a line per extent: past this the rest of the
 * disk is left to the appliance rather than held in memory. */
#define MAP_OUTPUT_CAP (64u << 20)
#define MAP_TIMEOUT_MS 120000
#define MAX_LAYERS 2            /* our overlay, the input disk */
#define ZEROS (-1)
#define UNREADABLE (-2)
#define MALFORMED (-3)

struct piece {
    uint64_t start, len;
    uint64_t file_off;          /* in fds[layer] */
    int layer;                  /* depth, ZEROS or UNREADABLE */
};

struct disk_map {
    int refs;
    uint64_t size;
    int fds[MAX_LAYERS];
    uint64_t file_size[MAX_LAYERS];
    struct piece *p;            /* in disk order, covering [0, size) */
    size_t n, cap;
};

static uint64_t size_of(int fd)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        return 0;
    if (S_ISREG(st.st_mode))
        return (uint64_t)st.st_size;
    off_t end = lseek(fd, 0, SEEK_END);     /* a block device */
    return end > 0 ? (uint64_t)end : 0;
}

static void add_piece(struct disk_map *m, uint64_t start, uint64_t len, int layer,
                      uint64_t file_off)
{
    if (m->n) {
        struct piece *l = &m->p[m->n - 1];
        if (l->layer == layer && (layer < 0 || l->file_off + l->len == file_off)) {
            l->len += len;
            return;
        }
    }
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        m->p = xreallocarray(m->p, cap, sizeof *m->p);
        m->cap = cap;
    }
    m->p[m->n++] = (struct piece){start, len, file_off, layer};
}

static int get_u64(json_object *o, const char *key, uint64_t *v)
{
    json_object *x;
    if (!json_object_object_get_ex(o, key, &x) || !json_object_is_type(x, json_type_int))
        return -1;
    int64_t i = json_object_get_int64(x);
    if (i < 0)
        return -1;
    *v = (uint64_t)i;
    return 0;
}

static int get_bool(json_object *o, const char *key)
{
    json_object *x;
    return json_object_object_get_ex(o, key, &x) && json_object_get_boolean(x);
}

/* Where the bytes of one map entry come from; MALFORMED if it does not
 * continue the map where it stands (pos). */
static int entry_layer(const struct disk_map *m, json_object *o, uint64_t pos, uint64_t *len,
                       uint64_t *file_off)
{
    uint64_t start, depth, off;
    if (get_u64(o, "start", &start) || get_u64(o, "length", len) || start != pos || !*len ||
        *len > m->size - pos)
        return MALFORMED;
    *file_off = 0;
    if (!get_bool(o, "data"))
        return get_bool(o, "zero") ? ZEROS : UNREADABLE;
    if (get_u64(o, "depth", &depth) || depth >= MAX_LAYERS || m->fds[depth] < 0 ||
        get_u64(o, "offset", &off) || off > m->file_size[depth] ||
        *len > m->file_size[depth] - off)
        return UNREADABLE;
    *file_off = off;
    return (int)depth;
}

struct disk_map *disk_map_parse(const char *json, uint64_t size, const int *fds, int nfds)
{
    struct disk_map *m = xcalloc(1, sizeof *m);
    json_tokener *tok = NULL;
    m->refs = 1;
    m->size = size;
    for (int i = 0; i < MAX_LAYERS; i++)
        m->fds[i] = -1;             /* before any failure: unref closes them */
    tok = oom_check(json_tokener_new());
    for (int i = 0; i < MAX_LAYERS; i++) {
        m->fds[i] = i < nfds && fds[i] >= 0 ? fcntl(fds[i], F_DUPFD_CLOEXEC, 0) : -1;
        if (i < nfds && fds[i] >= 0 && m->fds[i] < 0)
            goto fail;
        m->file_size[i] = m->fds[i] >= 0 ? size_of(m->fds[i]) : 0;
    }
    /* One entry a line: "[{...}," then "{...}," ... "{...}]". */
    uint64_t pos = 0;
    for (const char *line = json; line && *line && pos < size;) {
        const char *nl = strchr(line, '\n');
        const char *end = nl ? nl : line + strlen(line);
        const char *a = memchr(line, '{', (size_t)(end - line));
        const char *b = end;
        while (b > line && b[-1] != '}')
            b--;
        int bare = !a && b == line;         /* "[", "]" or nothing */
        line = nl ? nl + 1 : NULL;
        if (bare)
            continue;
        if (!a || b <= a)
            break;
        json_tokener_reset(tok);
        json_object *o = json_tokener_parse_ex(tok, a, (int)(b - a));
        uint64_t len, file_off;
        int layer = o ? entry_layer(m, o, pos, &len, &file_off) : MALFORMED;
        json_object_put(o);
        if (layer == MALFORMED)
            break;
        add_piece(m, pos, len, layer, file_off);
        pos += len;
    }
    if (pos < size)
        add_piece(m, pos, size - pos, UNREADABLE, 0);
    json_tokener_free(tok);
    return m;
fail:
    if (tok)
        json_tokener_free(tok);
    disk_map_unref(m);
    return NULL;
}

struct disk_map *disk_map_of(const struct disk *d, struct lc_error *err)
{
    if (!d->overlay) {
        lc_fail(err, -ENOENT, "no overlay");
        return NULL;
    }
    int fds[MAX_LAYERS] = {-1, -1};
    struct disk_map *m = NULL;
    char *out = NULL, *eout = NULL;
    fds[0] = open(d->overlay, O_RDONLY | O_CLOEXEC);
    if (d->data_in_file)
        fds[1] = open(d->path, O_RDONLY | O_CLOEXEC);
    if (fds[0] < 0) {
        lc_fail(err, -errno, "%s: %s", d->overlay, strerror(errno));
        goto out;
    }
    /* -U: qemu holds the overlay open; what the appliance flushed is read. */
    char *argv[] = {"qemu-img", "map", "--output=json", "-U", "-f", "qcow2", "--",
                    d->overlay, NULL};
    int st = run_capture(argv, MAP_OUTPUT_CAP, MAP_TIMEOUT_MS, &out, &eout);
    if (st != 0) {
        lc_fail(err, -EIO, "qemu-img map: %.200s",
                st < 0 ? "did not run or timed out" : eout ? eout : "failed");
        goto out;
    }
    if (!(m = disk_map_parse(out ? out : "", d->virtual_size, fds, MAX_LAYERS)))
        lc_fail(err, -errno, "cannot keep the image's layers open: %s", strerror(errno));
out:
    for (int i = 0; i < MAX_LAYERS; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    free(out);
    free(eout);
    return m;
}

struct disk_map *disk_map_ref(struct disk_map *m)
{
    if (m)
        __atomic_add_fetch(&m->refs, 1, __ATOMIC_RELAXED);
    return m;
}

void disk_map_unref(struct disk_map *m)
{
    if (!m || __atomic_sub_fetch(&m->refs, 1, __ATOMIC_ACQ_REL) > 0)
        return;
    for (int i = 0; i < MAX_LAYERS; i++)
        if (m->fds[i] >= 0)
            close(m->fds[i]);
    free(m->p);
    free(m);
}

uint64_t disk_map_size(const struct disk_map *m)
{
    return m->size;
}

/* The piece holding disk offset off (< size). */
static size_t piece_at(const struct disk_map *m, uint64_t off)
{
    size_t lo = 0, hi = m->n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->p[mid].start <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

int disk_map_readable(const struct disk_map *m, uint64_t off, uint64_t len)
{
    if (off > m->size || len > m->size - off)
        return 0;
    for (size_t i = len ? piece_at(m, off) : m->n; i < m->n && m->p[i].start < off + len; i++)
        if (m->p[i].layer == UNREADABLE)
            return 0;
    return 1;
}

static int pread_pieces(const struct disk_map *m, void *buf, size_t len, uint64_t off)
{
    if (off > m->size || len > m->size - off)
        return -1;
    uint64_t pos = off, end = off + len;
    for (size_t i = len ? piece_at(m, off) : m->n; pos < end && i < m->n; i++) {
        const struct piece *p = &m->p[i];
        uint64_t upto = p->start + p->len < end ? p->start + p->len : end;
        char *dst = (char *)buf + (pos - off);
        if (p->layer == UNREADABLE)
            return -1;
        if (p->layer == ZEROS) {
            memset(dst, 0, (size_t)(upto - pos));
        } else {
            uint64_t at = p->file_off + (pos - p->start);
            for (size_t done = 0; done < upto - pos;) {
                ssize_t n = pread(m->fds[p->layer], dst + done, (size_t)(upto - pos - done),
                                  (off_t)(at + done));
                if (n < 0 && errno == EINTR)
                    continue;
                if (n <= 0)
                    return -1;
                done += (size_t)n;
            }
        }
        pos = upto;
    }
    return pos == end ? 0 : -1;
}

int disk_map_pread(const struct disk_map *m, void *buf, size_t len, uint64_t off)
{
    /* A disk that stops answering (a dead network block device) is a stall. */
    stop_wait("a read of an input disk on the host");
    int r = pread_pieces(m, buf, len, off);
    stop_wait_done();
    return r;
}

void disk_map_advise(const struct disk_map *m, uint64_t off, uint64_t len)
{
    if (off > m->size || len > m->size - off)
        return;
    for (size_t i = len ? piece_at(m, off) : m->n; i < m->n && m->p[i].start < off + len; i++) {
        const struct piece *p = &m->p[i];
        if (p->layer < 0)
            continue;
        uint64_t a = p->start > off ? p->start : off;
        uint64_t b = p->start + p->len < off + len ? p->start + p->len : off + len;
        posix_fadvise(m->fds[p->layer], (off_t)(p->file_off + (a - p->start)), (off_t)(b - a),
                      POSIX_FADV_WILLNEED);
    }
}
