/* vfs backend over a file-tree snapshot (snapshot_format.h), with a live
 * backend behind it for whatever the snapshot does not hold.
 *
 * lstat, readlink, walks and the reads the probe recorded come from memory;
 * the files whose extents it recorded on a disk the host reads itself come
 * from that disk's files (disk_map.h); anything else (files read whole,
 * paths through symlinked directories) goes to the live backend.  A name
 * the snapshot lacks is reported missing without a round trip only when
 * the probe listed every directory. */
#include "common/vfs.h"
#include "disk_map.h"
#include "common/snapshot_format.h"
#include "snapshot_header.h"
#include "snapshot_records.h"

#include "util/grow.h"
#include "util/stop.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define NONE UINT32_MAX
#define MAX_SNAP_ENTRIES 50000000u

struct snap_ent {
    const char *path;          /* into the mapping, NUL-terminated */
    const char *link;          /* likewise, or NULL */
    struct vfs_stat st;
    uint32_t first_range, nranges;
    uint32_t first_child;      /* first entry whose parent this is, or NONE */
    uint32_t disk;             /* 'D' record of its extents, or NONE */
    uint32_t nextents;
    const unsigned char *extents;   /* struct snap_extent[nextents], unaligned */
};

#define MAX_DISKS 64

struct snap_dsk {
    struct disk_map *map;      /* NULL: not one the host reads */
    uint64_t size;
};

struct snap_rng {
    uint64_t off;
    uint32_t len;
    const unsigned char *data;
};

struct vfs_snap {
    struct vfs base;
    vfs *live;
    unsigned char *map;
    size_t maplen;
    struct snap_ent *e;
    size_t n, ecap;
    struct snap_rng *r;
    size_t nr, rcap;
    uint32_t *slots;           /* open addressing: entry index + 1, 0 = empty */
    size_t nslots;
    uint32_t root_first_child;
    int complete;              /* every directory listed: misses are answers */
    int walkable;              /* listed but for directories past the depth limit */
    uint64_t heads, heads_in_disk_order;    /* from the header */
    uint64_t dirs, dirs_from_metadata, elf_files, elf_from_device, direct_files;
    struct snap_dsk disk[MAX_DISKS];
    size_t ndisks;
    const struct vfs_direct_fs *direct;     /* while parsing */
    size_t ndirect;
    pthread_t ahead;           /* readahead_heads, while it runs */
    int ahead_running;
    int ahead_stop;            /* atomic */
};

static uint64_t hash_path(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;   /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

/* Index of the entry named by the first n bytes of path, or NONE. */
static uint32_t find_n(const struct vfs_snap *s, const char *path, size_t n)
{
    if (!s->nslots)
        return NONE;
    size_t mask = s->nslots - 1, i = hash_path(path, n) & mask;
    for (; s->slots[i]; i = (i + 1) & mask) {
        const char *p = s->e[s->slots[i] - 1].path;
        if (!strncmp(p, path, n) && p[n] == '\0')
            return s->slots[i] - 1;
    }
    return NONE;
}

static uint32_t find(const struct vfs_snap *s, const char *path)
{
    return find_n(s, path, strlen(path));
}

static size_t parent_len(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? (size_t)(slash - path) : 0;
}

/* The entry a miss may be answered for: the parent directory was listed. */
static int parent_listed(const struct vfs_snap *s, const char *path)
{
    if (!s->complete || path[0] != '/' || strstr(path, "//") || strstr(path, "/./") ||
        strstr(path, "/../"))
        return 0;
    size_t pl = parent_len(path);
    if (pl == 0)
        return 1;                       /* "/" itself */
    uint32_t i = find_n(s, path, pl);
    return i != NONE && s->e[i].st.type == VFS_DIR;
}

#define MAX_LINKS 40
#define PATH_CAP 4096

/* The same file as path with every directory before its last component
 * resolved through the snapshot's own symlinks (/lib/systemd/x ->
 * /usr/lib/systemd/x on a usr-merged system), as the kernel would with the
 * guest's root as "/".  -1 when the snapshot cannot tell (incomplete, a
 * component missing or not a directory): the live backend answers then. */
static int resolve_dirs(const struct vfs_snap *s, const char *path, char *out)
{
    char rest[2 * PATH_CAP], next[2 * PATH_CAP];
    size_t olen = 0;
    int links = 0;

    if (!s->complete || path[0] != '/' || strlen(path) >= PATH_CAP)
        return -1;
    snprintf(rest, sizeof rest, "%s", path);
    out[0] = '\0';
    for (char *p = rest;;) {
        while (*p == '/')
            p++;
        char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *after = end ? end : p + n;
        if (strspn(after, "/") == strlen(after)) {     /* the last component */
            if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && !strncmp(p, "..", 2)))
                return -1;
            if (olen + 1 + n >= PATH_CAP)
                return -1;
            out[olen++] = '/';
            memcpy(out + olen, p, n);
            out[olen + n] = '\0';
            return 0;
        }
        if (n == 1 && p[0] == '.') {
            p += n;
            continue;
        }
        if (n == 2 && !strncmp(p, "..", 2)) {
            char *slash = strrchr(out, '/');
            olen = slash ? (size_t)(slash - out) : 0;
            out[olen] = '\0';
            p += n;
            continue;
        }
        if (olen + 1 + n >= PATH_CAP)
            return -1;
        out[olen] = '/';
        memcpy(out + olen + 1, p, n);
        out[olen + 1 + n] = '\0';
        uint32_t i = find_n(s, out, olen + 1 + n);
        if (i == NONE)
            return -1;
        if (s->e[i].st.type == VFS_DIR) {
            olen += 1 + n;
            p += n;
            continue;
        }
        if (s->e[i].st.type != VFS_LNK || !s->e[i].link || ++links > MAX_LINKS)
            return -1;
        /* Splice the target in front of what is left. */
        const char *target = s->e[i].link;
        if (snprintf(next, sizeof next, "%s%s", target, p + n) >= (int)sizeof next)
            return -1;
        memcpy(rest, next, strlen(next) + 1);
        p = rest;
        out[olen] = '\0';
        if (target[0] == '/')
            olen = 0, out[0] = '\0';
    }
}

/* The entry for path, looked up as given, else through symlinked
 * directories; NONE, with *missing set when the snapshot knows there is no
 * such entry (else the live backend must answer). */
static uint32_t lookup(const struct vfs_snap *s, const char *path, int *missing)
{
    char real[PATH_CAP];
    uint32_t i = find(s, path);

    *missing = 0;
    if (i != NONE)
        return i;
    if (strcmp(path, "/") && parent_listed(s, path)) {
        *missing = 1;
        return NONE;
    }
    if (resolve_dirs(s, path, real) < 0 || !strcmp(real, path))
        return NONE;
    i = find(s, real);
    if (i == NONE && parent_listed(s, real))
        *missing = 1;
    return i;
}

static int s_lstat(vfs *v, const char *path, struct vfs_stat *st)
{
    struct vfs_snap *s = (struct vfs_snap *)v;
    int missing;
    uint32_t i = lookup(s, path, &missing);
    if (i != NONE) {
        *st = s->e[i].st;
        return 0;
    }
    if (missing)
        return vfs_fail(v, ENOENT, "%s: No such file or directory", path);
    if (vfs_lstat(s->live, path, st) < 0)
        return vfs_fail(v, errno, "%s", vfs_error(s->live));
    return 0;
}

/* len bytes at off of a file mapped on a disk the host reads (off + len
 * within its size): extents from the disk, the rest zeros. */
static int direct_read(const struct vfs_snap *s, const struct snap_ent *e, void *buf, size_t len,
                       uint64_t off)
{
    const struct snap_dsk *d = &s->disk[e->disk];
    uint64_t end = off + len;
    memset(buf, 0, len);
    for (uint32_t k = 0; k < e->nextents; k++) {
        struct snap_extent x;
        memcpy(&x, e->extents + (size_t)k * sizeof x, sizeof x);
        if (x.file_off >= end)
            break;                  /* in file order */
        if (x.file_off + x.len <= off)
            continue;
        uint64_t a = x.file_off > off ? x.file_off : off;
        uint64_t b = x.file_off + x.len < end ? x.file_off + x.len : end;
        if (disk_map_pread(d->map, (char *)buf + (a - off), (size_t)(b - a),
                           x.disk_off + (a - x.file_off)) < 0)
            return -1;
    }
    return 0;
}

static ssize_t s_pread(vfs *v, const char *path, void *buf, size_t len, uint64_t off)
{
    struct vfs_snap *s = (struct vfs_snap *)v;
    int missing;
    uint32_t i = lookup(s, path, &missing);
    if (i != NONE && s->e[i].st.type == VFS_REG) {
        const struct snap_ent *e = &s->e[i];
        if (off >= e->st.size)
            return 0;
        if (len > e->st.size - off)
            len = (size_t)(e->st.size - off);
        for (uint32_t k = 0; k < e->nranges; k++) {
            const struct snap_rng *r = &s->r[e->first_range + k];
            if (off >= r->off && off + len <= r->off + r->len) {
                memcpy(buf, r->data + (off - r->off), len);
                return (ssize_t)len;
            }
        }
        if (e->disk != NONE && s->disk[e->disk].map && direct_read(s, e, buf, len, off) == 0)
            return (ssize_t)len;
    }
    ssize_t n = vfs_pread(s->live, path, buf, len, off);
    if (n < 0)
        return vfs_fail(v, errno, "%s", vfs_error(s->live));
    return n;
}

static int s_readlink(vfs *v, const char *path, char **target)
{
    struct vfs_snap *s = (struct vfs_snap *)v;
    int missing;
    uint32_t i = lookup(s, path, &missing);
    if (missing)
        return vfs_fail(v, ENOENT, "%s: No such file or directory", path);
    if (i != NONE && s->e[i].link) {
        *target = xstrdup(s->e[i].link);
        return 0;
    }
    if (i != NONE && s->e[i].st.type != VFS_LNK)
        return vfs_fail(v, EINVAL, "%s: not a symbolic link", path);
    if (vfs_readlink(s->live, path, target) < 0)
        return vfs_fail(v, errno, "%s", vfs_error(s->live));
    return 0;
}

static int under(const char *path, const char *dir, size_t dlen)
{
    return !strncmp(path, dir, dlen) && path[dlen] == '/';
}

/* Replays the probe's walk below start: the descendants of a directory are
 * one contiguous run beginning with its first child. */
static int s_walk(vfs *v, const char *start, const struct vfs_walk_limits *lim,
                  vfs_walk_fn fn, void *opaque, struct vfs_walk_result *res)
{
    struct vfs_snap *s = (struct vfs_snap *)v;
    int root = !strcmp(start, "/"), missing = 0;
    uint32_t si = root ? NONE : lookup(s, start, &missing);
    if (missing) {
        res->errors++;          /* as the other backends count it */
        return vfs_fail(v, ENOENT, "%s: No such file or directory", start);
    }
    /* A start through symlinked directories: walk the real one, and show
     * its entries under the name asked for. */
    const char *base = si != NONE ? s->e[si].path : start;
    int renamed = strcmp(base, start) != 0;
    char shown[2 * PATH_CAP];

    if (!s->walkable || (!root && (si == NONE || s->e[si].st.type != VFS_DIR)))
        return vfs_walk(s->live, start, lim, fn, opaque, res) < 0
                   ? vfs_fail(v, errno, "%s", vfs_error(s->live)) : 0;
    size_t slen = root ? 0 : strlen(base);
    uint32_t first = root ? s->root_first_child : s->e[si].first_child;
    /* Directories whose children the callback declined. */
    const char **skip = NULL;
    size_t nskip = 0, skipcap = 0;
    int rc = 0;

    for (size_t i = first; first != NONE && i < s->n; i++) {
        const struct snap_ent *e = &s->e[i];
        if (!root && !under(e->path, base, slen))
            break;
        if ((i & 4095) == 0 && stop_requested()) {
            rc = vfs_fail(v, ECANCELED, "%s: stopped", start);
            break;
        }
        int skipped = 0;
        for (size_t k = 0; k < nskip && !skipped; k++)
            skipped = under(e->path, skip[k], strlen(skip[k]));
        if (skipped)
            continue;
        unsigned depth = 0;
        for (const char *p = e->path + slen + 1; *p; p++)
            depth += *p == '/';
        if (depth >= lim->max_depth) {
            res->depth_limited = 1;
            continue;
        }
        if (res->entries >= lim->max_entries) {
            res->entries_limited = 1;
            break;
        }
        res->entries++;
        if (!s->complete && e->st.type == VFS_DIR) {
            /* The probe did not go below this depth: neither can we. */
            unsigned abs = 0;
            for (const char *p = e->path + 1; *p; p++)
                abs += *p == '/';
            if (abs + 1 >= VFS_WALK_DEFAULT_DEPTH)
                res->depth_limited = 1;
        }
        const char *name = e->path;
        if (renamed) {
            snprintf(shown, sizeof shown, "%s%s", start, e->path + slen);
            name = shown;
        }
        int r = fn(name, &e->st, opaque);
        if (r < 0)
            break;
        if (r == 1 && e->st.type == VFS_DIR) {
            if (grow_array((void **)&skip, &skipcap, nskip, sizeof *skip, 16) < 0) {
                rc = vfs_fail(v, ENOMEM, "out of memory");
                break;
            }
            skip[nskip++] = e->path;
        }
    }
    free(skip);
    return rc;
}

#define AHEAD_HEAD 4096u        /* what the scans read first of a file */
#define AHEAD_GAP (64u << 10)   /* read through smaller gaps */

struct place {
    uint32_t disk;
    uint64_t off;
};

static int by_place(const void *a, const void *b)
{
    const struct place *x = a, *y = b;
    if (x->disk != y->disk)
        return x->disk < y->disk ? -1 : 1;
    return x->off < y->off ? -1 : x->off > y->off;
}

/* The first block of every file mapped on a disk, asked of the host's page
 * cache in disk order: the scans then read the files in name order
 * without a random disk read each. */
static void *readahead_heads(void *arg)
{
    struct vfs_snap *s = arg;
    struct place *pl = malloc((s->n ? s->n : 1) * sizeof *pl);
    size_t n = 0;
    if (!pl)
        return NULL;
    for (size_t i = 0; i < s->n; i++) {
        const struct snap_ent *e = &s->e[i];
        struct snap_extent x;
        if (e->disk == NONE || !s->disk[e->disk].map || !e->nextents)
            continue;
        memcpy(&x, e->extents, sizeof x);
        if (x.file_off == 0)
            pl[n++] = (struct place){e->disk, x.disk_off};
    }
    qsort(pl, n, sizeof *pl, by_place);
    for (size_t i = 0; i < n && !__atomic_load_n(&s->ahead_stop, __ATOMIC_RELAXED);) {
        uint64_t start = pl[i].off & ~(uint64_t)(AHEAD_HEAD - 1), end = start + AHEAD_HEAD;
        size_t j = i + 1;
        for (; j < n && pl[j].disk == pl[i].disk && pl[j].off <= end + AHEAD_GAP; j++)
            end = (pl[j].off & ~(uint64_t)(AHEAD_HEAD - 1)) + AHEAD_HEAD;
        const struct disk_map *m = s->disk[pl[i].disk].map;
        if (end > disk_map_size(m))
            end = disk_map_size(m);
        if (end > start)
            disk_map_advise(m, start, end - start);
        i = j;
    }
    free(pl);
    return NULL;
}

static void free_snap(struct vfs_snap *s)
{
    if (s->ahead_running) {
        __atomic_store_n(&s->ahead_stop, 1, __ATOMIC_RELAXED);
        pthread_join(s->ahead, NULL);
    }
    for (size_t i = 0; i < s->ndisks; i++)
        disk_map_unref(s->disk[i].map);
    if (s->map)
        munmap(s->map, s->maplen);
    free(s->e);
    free(s->r);
    free(s->slots);
    free(s);
}

static void s_close(vfs *v)
{
    struct vfs_snap *s = (struct vfs_snap *)v;
    vfs_close(s->live);
    free_snap(s);
}

static const struct vfs_ops snap_ops = {
    .lstat = s_lstat, .pread = s_pread, .readlink = s_readlink,
    .walk = s_walk, .close = s_close,
};

/* A NUL-terminated string of exactly len bytes (NUL included) at p. */
static int valid_str(const unsigned char *p, size_t len)
{
    return len > 0 && p[len - 1] == '\0' && memchr(p, '\0', len - 1) == NULL;
}

static int add_entry(struct vfs_snap *s, const struct snap_entry *h, const char *path,
                     const char *link)
{
    if (grow_array((void **)&s->e, &s->ecap, s->n, sizeof *s->e, 4096) < 0)
        return -1;
    struct snap_ent *e = &s->e[s->n++];
    e->path = path;
    e->link = link;
    e->st = (struct vfs_stat){.type = (enum vfs_type)h->type, .mode = h->mode, .size = h->size,
                              .ino = h->ino, .dev = h->dev, .nlink = h->nlink,
                              .mtime = h->mtime};
    e->first_range = 0;
    e->nranges = 0;
    e->first_child = NONE;
    e->disk = NONE;
    e->nextents = 0;
    e->extents = NULL;
    return 0;
}

static int add_range(struct vfs_snap *s, struct snap_ent *e, uint64_t off, uint32_t len,
                     const unsigned char *data)
{
    if (grow_array((void **)&s->r, &s->rcap, s->nr, sizeof *s->r, 4096) < 0)
        return -1;
    if (!e->nranges)
        e->first_range = (uint32_t)s->nr;
    s->r[s->nr++] = (struct snap_rng){off, len, data};
    e->nranges++;
    return 0;
}

/* A 'D' record: read from the disk when it is one the host chose. */
static int add_disk(struct vfs_snap *s, const struct snap_disk *d)
{
    struct snap_dsk *k = &s->disk[s->ndisks++];
    k->map = NULL;
    k->size = 0;
    for (size_t i = 0; i < s->ndirect; i++) {
        const struct vfs_direct_fs *f = &s->direct[i];
        if (strcmp(f->label, d->label) || f->start != d->start ||
            memcmp(f->uuid, d->uuid, sizeof f->uuid))
            continue;
        k->map = disk_map_ref(f->map);
        k->size = disk_map_size(f->map);
        break;
    }
    return 0;
}

/* Extents in file order, not overlapping, within the disk (when it is
 * read: size 0 otherwise). */
static int check_extents(const unsigned char *p, uint32_t n, uint64_t disk_size)
{
    uint64_t next = 0;
    for (uint32_t i = 0; i < n; i++) {
        struct snap_extent x;
        memcpy(&x, p + (size_t)i * sizeof x, sizeof x);
        if (x.file_off < next || x.len == 0 || x.file_off + x.len < x.file_off)
            return -1;
        if (disk_size && (x.disk_off > disk_size || x.len > disk_size - x.disk_off))
            return -1;
        next = x.file_off + x.len;
    }
    return 0;
}

static int parse(struct vfs_snap *s, struct lc_error *err)
{
    struct snap_header h;
    if (s->maplen < SNAP_HEADER_SIZE) {
        return lc_fail(err, -EINVAL, "snapshot shorter than its header");
    }
    memcpy(&h, s->map, sizeof h);
    struct lc_error bad = {0};
    if (snap_header_check(&h, &bad) < 0)
        return lc_fail(err, bad.code ? bad.code : -EINVAL, "%s", bad.msg);
    if (h.payload_len > s->maplen - SNAP_HEADER_SIZE) {
        return lc_fail(err, -EINVAL, "snapshot payload of %llu bytes exceeds the file",
                 (unsigned long long)h.payload_len);
    }
    if (h.truncated) {
        return lc_fail(err, -EINVAL, "the probe's output area filled up");
    }
    s->complete = h.complete == 1;
    s->heads = h.heads;
    s->heads_in_disk_order = h.heads_in_disk_order;
    s->dirs = h.dirs;
    s->dirs_from_metadata = h.dirs_from_metadata;
    s->elf_files = h.elf_files;
    s->elf_from_device = h.elf_from_device;
    s->direct_files = h.direct_files;
    s->walkable = s->complete || (h.depth_limited && !h.walk_errors && !h.entries_limited);
    const unsigned char *p = s->map + SNAP_HEADER_SIZE, *end = p + h.payload_len;
    uint64_t last_ranged = UINT64_MAX;
    struct snap_record rec;
    int k;
    while ((k = snap_next_record(&p, end, &rec)) > 0) {
        const unsigned char *b = rec.body;
        if (rec.tag == 'E') {
            struct snap_entry e;
            memcpy(&e, rec.fixed, sizeof e);
            if (e.type > VFS_OTHER || !valid_str(b, e.path_len) || b[0] != '/' ||
                (e.link_len && !valid_str(b + e.path_len, e.link_len)))
                goto bad;
            if (s->n >= MAX_SNAP_ENTRIES)
                goto bad;
            if (add_entry(s, &e, (const char *)b,
                          e.link_len ? (const char *)b + e.path_len : NULL) < 0)
                goto oom;
        } else if (rec.tag == 'R') {
            struct snap_range r;
            memcpy(&r, rec.fixed, sizeof r);
            /* An earlier entry, whose ranges are all in one run. */
            if (r.entry >= s->n || (s->e[r.entry].nranges && r.entry != last_ranged))
                goto bad;
            struct snap_ent *re = &s->e[r.entry];
            if (re->st.type != VFS_REG || r.off > re->st.size || r.len > re->st.size - r.off)
                goto bad;
            if (add_range(s, re, r.off, r.len, b) < 0)
                goto oom;
            last_ranged = r.entry;
        } else if (rec.tag == 'D') {
            struct snap_disk d;
            memcpy(&d, rec.fixed, sizeof d);
            if (s->ndisks == MAX_DISKS || !memchr(d.label, '\0', sizeof d.label))
                goto bad;
            if (add_disk(s, &d) < 0)
                goto oom;
        } else {
            struct snap_extents x;
            memcpy(&x, rec.fixed, sizeof x);
            if (x.entry >= s->n || x.disk >= s->ndisks)
                goto bad;
            struct snap_ent *xe = &s->e[x.entry];
            if (xe->st.type != VFS_REG || xe->disk != NONE ||
                check_extents(b, x.count, s->disk[x.disk].size) < 0)
                goto bad;
            xe->disk = x.disk;
            xe->nextents = x.count;
            xe->extents = b;
        }
    }
    if (k < 0)
        goto bad;
    /* Name index, and each directory's first child. */
    size_t want = 16;
    while (want < s->n * 2)
        want *= 2;
    if (!(s->slots = calloc(want, sizeof *s->slots)))
        goto oom;
    s->nslots = want;
    s->root_first_child = NONE;
    for (size_t i = 0; i < s->n; i++) {
        const char *path = s->e[i].path;
        if (find(s, path) != NONE)
            goto bad;               /* a name twice: not the probe's output */
        size_t k = hash_path(path, strlen(path)) & (want - 1);
        while (s->slots[k])
            k = (k + 1) & (want - 1);
        s->slots[k] = (uint32_t)i + 1;
        size_t pl = parent_len(path);
        uint32_t parent = pl ? find_n(s, path, pl) : NONE;
        uint32_t *fc = pl == 0 ? &s->root_first_child
                     : parent != NONE ? &s->e[parent].first_child : NULL;
        if (!fc || (pl && s->e[parent].st.type != VFS_DIR))
            goto bad;               /* children come after their directory */
        if (*fc == NONE)
            *fc = (uint32_t)i;
    }
    return 0;
bad:
    return lc_fail(err, -EINVAL, "snapshot is malformed near byte %zu",
             s->n ? (size_t)(s->e[s->n - 1].path - (const char *)s->map) : 0);
oom:
    return lc_fail(err, -ENOMEM, "out of memory reading the snapshot");
}

vfs *vfs_snapshot_open_at(vfs *live, const char *file, uint64_t offset,
                          const struct vfs_direct_fs *direct, size_t ndirect,
                          struct lc_error *err)
{
    struct vfs_snap *s = xcalloc(1, sizeof *s);
    struct stat st;
    struct snap_header h;
    int fd = open(file, O_RDONLY | O_CLOEXEC);

    if (fd < 0 || fstat(fd, &st) < 0) {
        lc_fail(err, -errno, "%s: %s", file, strerror(errno));
        goto fail;
    }
    /* Map the header and the records it announces, no more: the file may
     * be a mostly empty disk image. */
    uint64_t size = (uint64_t)st.st_size;
    if (offset > size || size - offset < SNAP_HEADER_SIZE ||
        pread(fd, &h, sizeof h, (off_t)offset) != (ssize_t)sizeof h) {
        lc_fail(err, -EINVAL, "%s: too short for a snapshot", file);
        goto fail;
    }
    uint64_t len = size - offset;
    if (!memcmp(h.magic, SNAP_MAGIC, sizeof h.magic) &&
        h.payload_len <= len - SNAP_HEADER_SIZE)
        len = SNAP_HEADER_SIZE + h.payload_len;
    if (len > SIZE_MAX) {
        lc_fail(err, -EFBIG, "%s: snapshot too large", file);
        goto fail;
    }
    s->maplen = (size_t)len;
    s->map = mmap(NULL, s->maplen, PROT_READ, MAP_PRIVATE, fd, (off_t)offset);
    if (s->map == MAP_FAILED) {
        s->map = NULL;
        lc_fail(err, -errno, "%s: %s", file, strerror(errno));
        goto fail;
    }
    close(fd);
    fd = -1;
    s->direct = direct;
    s->ndirect = ndirect;
    int prc = parse(s, err);
    s->direct = NULL;
    if (prc < 0)
        goto fail;
    s->base.ops = &snap_ops;
    s->base.backend = "snapshot";
    s->base.exact_reads = 1;
    s->live = live;
    for (size_t i = 0; i < s->ndisks && !s->ahead_running; i++)
        if (s->disk[i].map)
            s->ahead_running = pthread_create(&s->ahead, NULL, readahead_heads, s) == 0;
    return &s->base;
fail:
    if (fd >= 0)
        close(fd);
    if (s)
        free_snap(s);
    return NULL;
}

vfs *vfs_snapshot_open(vfs *live, const char *snapshot_file, struct lc_error *err)
{
    return vfs_snapshot_open_at(live, snapshot_file, 0, NULL, 0, err);
}

/* How many entries and recorded ranges a snapshot vfs holds (for -v). */
void vfs_snapshot_info(vfs *v, struct vfs_snapshot_info *info)
{
    struct vfs_snap *s = (struct vfs_snap *)v;
    *info = (struct vfs_snapshot_info){s->n, s->nr, s->complete, s->heads,
                                       s->heads_in_disk_order, s->dirs,
                                       s->dirs_from_metadata, s->elf_files,
                                       s->elf_from_device, s->direct_files};
}
