#include "host_tree.h"

#include "ext_io.h"
#include "common/tree/direct_map.h"
#include "common/tree/ext_index.h"
#include "common/tree/mounts.h"
#include "common/tree/probe_out.h"
#include "common/tree/tree.h"
#include "common/snapshot_format.h"
#include "snapshot_header.h"
#include "snapshot_records.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Files whose blocks cannot be mapped (block-mapped, inline, too many
 * extents) are read through the appliance one request at a time, several
 * milliseconds each; past this many, the probe there reads them faster. */
#define MAX_UNMAPPED 256
/* A foreign subtree's snapshot, copied here: an EFI partition's is a few
 * KiB; a large XFS /var's some MiB per 10k files. */
#define MAX_FOREIGN_BYTES (1ull << 30)
#define MAX_SPECS 64

struct foreign {
    char *path;                 /* guest path of its mount point */
    unsigned max_depth;
    unsigned char *snap;        /* header and records, NULL until added */
    struct snap_header h;
    uint64_t base;              /* the host's index of its first entry */
    uint64_t entries;
};

struct host_tree {
    struct mounts ms;
    struct ext_index **x;       /* per mount; NULL for foreign ones */
    const struct vfs_direct_fs *direct;
    size_t ndirect;
    struct foreign *f;
    size_t nf;
};

/* The filesystem the host reads for mount m: ext2/3/4 at a place it
 * chose (direct_disks.h); NULL when the probe must read it. */
static const struct vfs_direct_fs *readable(const struct host_tree *h, const struct mount *m)
{
    for (size_t i = 0; m->label[0] && mount_is_ext(m) && i < h->ndirect; i++)
        if (!strcmp(h->direct[i].label, m->label) && h->direct[i].start == m->start)
            return &h->direct[i];
    return NULL;
}

/* Is guest path at or below dir? */
static int below(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    if (!strcmp(dir, "/"))
        return 1;
    return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

static unsigned depth_of(const char *path)
{
    unsigned d = 0;
    for (const char *c = path; *c; c++)
        d += *c == '/' && c[1] && c[1] != '/';
    return d;
}

void host_tree_free(struct host_tree *h)
{
    if (!h)
        return;
    for (size_t i = 0; h->x && i < h->ms.n; i++)
        ext_index_close(h->x[i]);
    free(h->x);
    mounts_free(&h->ms);
    for (size_t i = 0; i < h->nf; i++) {
        free(h->f[i].path);
        free(h->f[i].snap);
    }
    free(h->f);
    free(h);
}

/* Marks the foreign mounts: those the host cannot read with none such
 * above them (what lies below one is the probe's, whatever it is). */
static int mark_foreign(struct host_tree *h, struct lc_error *err)
{
    struct mounts *ms = &h->ms;
    for (size_t i = 0; i < ms->n; i++) {
        struct mount *m = &ms->m[i];
        if (readable(h, m))
            continue;
        if (!m->parent) {
            return lc_fail(err, -ENOTSUP, "the root filesystem is %s%s", m->fstype,
                           mount_is_ext(m) ? " not read through its disk's map" : "");
        }
        int covered = 0;
        for (size_t k = 0; k < ms->n && !covered; k++) {
            const struct mount *o = &ms->m[k];
            covered = o->parent && strcmp(o->path, m->path) && below(m->path, o->path) &&
                      !readable(h, o);
        }
        m->foreign = !covered;
        if (!covered) {
            h->f = xreallocarray(h->f, h->nf + 1, sizeof *h->f);
            struct foreign *f = &h->f[h->nf];
            memset(f, 0, sizeof *f);
            f->path = xstrdup(m->path);
            unsigned d = depth_of(m->path);
            f->max_depth = d < VFS_WALK_DEFAULT_DEPTH ? VFS_WALK_DEFAULT_DEPTH - d : 1;
            h->nf++;
        }
    }
    return 0;
}

static size_t no_heads(uint64_t size)
{
    (void)size;
    return 0;               /* the host reads heads through the map */
}

struct host_tree *host_tree_plan(const char *listing, const struct vfs_direct_fs *direct,
                                 size_t ndirect, struct lc_error *err)
{
    struct host_tree *h = xcalloc(1, sizeof *h);
    h->direct = direct;
    h->ndirect = ndirect;
    if (mounts_parse(listing, &h->ms) < 0) {
        lc_fail(err, -EINVAL, "the appliance's mount list is malformed");
        goto fail;
    }
    if (!mounts_at(&h->ms, "/")) {
        lc_fail(err, -ENOENT, "the appliance listed no root filesystem");
        goto fail;
    }
    h->x = xcalloc(h->ms.n, sizeof *h->x);
    if (mark_foreign(h, err) < 0)
        goto fail;
    for (size_t i = 0; i < h->ms.n; i++) {
        const struct mount *m = &h->ms.m[i];
        int under_foreign = 0;
        for (size_t k = 0; k < h->nf; k++)
            under_foreign |= below(m->path, h->f[k].path);
        if (under_foreign)
            continue;
        const struct vfs_direct_fs *d = readable(h, m);
        char name[128];
        struct ext_index_stats st;
        if (!d || ext_io_name(d->map, d->start, name, sizeof name) < 0 ||
            !(h->x[i] = ext_index_open_io(name, ext_io_manager, m->dev, no_heads, &st))) {
            /* No guest path in messages: it may hold terminal escapes. */
            lc_fail(err, -EIO, "a mounted filesystem's ext2/3/4 metadata cannot be read");
            goto fail;
        }
    }
    return h;
fail:
    host_tree_free(h);
    return NULL;
}

size_t host_tree_foreign_count(const struct host_tree *h)
{
    return h->nf;
}

void host_tree_foreign(const struct host_tree *h, size_t i, const char **path,
                       unsigned *max_depth)
{
    *path = h->f[i].path;
    *max_depth = h->f[i].max_depth;
}

int host_tree_add_foreign(struct host_tree *h, size_t i, const char *file, uint64_t offset,
                          struct lc_error *err)
{
    struct foreign *f = &h->f[i];
    struct snap_header sh;
    struct lc_error stale = {0};
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    int ok = fd >= 0 && pread(fd, &sh, sizeof sh, (off_t)offset) == (ssize_t)sizeof sh &&
             snap_header_check(&sh, &stale) == 0 && !sh.truncated &&
             sh.payload_len <= MAX_FOREIGN_BYTES && sh.root.type == VFS_DIR;
    if (ok && (f->snap = malloc(SNAP_HEADER_SIZE + sh.payload_len)))
        ok = pread(fd, f->snap, SNAP_HEADER_SIZE + sh.payload_len, (off_t)offset) ==
             (ssize_t)(SNAP_HEADER_SIZE + sh.payload_len);
    else
        ok = 0;
    if (fd >= 0)
        close(fd);
    if (!ok) {
        free(f->snap);
        f->snap = NULL;
        return lc_fail(err, stale.code ? stale.code : -EINVAL,
                       "the probe's snapshot of a subtree is unusable%s%s",
                       stale.msg[0] ? ": " : "", stale.msg);
    }
    f->h = sh;
    for (size_t k = 0; k < h->ms.n; k++) {
        struct mount *m = &h->ms.m[k];
        if (m->foreign && !strcmp(m->path, f->path))
            m->root = (struct vfs_stat){.type = VFS_DIR, .mode = sh.root.mode,
                                        .size = sh.root.size, .ino = sh.root.ino,
                                        .dev = sh.root.dev, .nlink = sh.root.nlink,
                                        .mtime = sh.root.mtime};
    }
    return 0;
}

struct host_walk {
    struct host_tree *h;
    struct out *o;
    struct direct_map *dm;
    struct tree *t;
    char *path;                 /* room for a spliced path */
    uint64_t unmapped;
    int too_many, bad;
};

static int on_entry(const char *path, const struct tree_node *n, void *opaque)
{
    struct host_walk *w = opaque;
    int e = out_entry(w->o, path, &n->st, n->link);
    if (e <= 0)
        return e;
    if (n->st.type == VFS_REG) {
        int d = direct_map_file(w->dm, w->t, w->o, w->o->entries - 1, &n->st);
        if (d < 0)
            return -1;
        if (d == 0 && n->st.size && ++w->unmapped > MAX_UNMAPPED) {
            w->too_many = 1;
            return -1;
        }
    }
    return w->o->truncated || w->o->io_error ? -1 : 0;
}

/* A foreign mount point's turn: its snapshot's entries, under its path. */
static int on_enter(const char *path, const struct tree_node *n, void *opaque)
{
    struct host_walk *w = opaque;
    struct foreign *f = NULL;
    if (!n->foreign)
        return 0;
    for (size_t i = 0; i < w->h->nf && !f; i++)
        if (!strcmp(w->h->f[i].path, path))
            f = &w->h->f[i];
    if (!f || !f->snap) {
        w->bad = 1;
        return -1;
    }
    size_t plen = strlen(path);
    const unsigned char *p = f->snap + SNAP_HEADER_SIZE, *end = p + f->h.payload_len;
    struct snap_record r;
    int k;
    f->base = w->o->entries;
    while ((k = snap_next_record(&p, end, &r)) > 0) {
        if (r.tag != 'E')
            continue;
        struct snap_entry e;
        memcpy(&e, r.fixed, sizeof e);
        const char *sub = (const char *)r.body;
        if (e.path_len < 2 || sub[0] != '/' || sub[e.path_len - 1] ||
            plen + e.path_len > UINT16_MAX) {
            w->bad = 1;
            return -1;
        }
        memcpy(w->path, path, plen);
        memcpy(w->path + plen, sub, e.path_len);
        e.path_len = (uint16_t)(plen + e.path_len);
        if (out_emit(w->o, &e, sizeof e, w->path, e.path_len, r.body + (e.path_len - plen),
                     e.link_len) < 0)
            return -1;
        w->o->entries++;
        f->entries++;
    }
    if (k < 0)
        w->bad = 1;
    return k < 0 ? -1 : 0;
}

/* The foreign snapshots' ranges, disks and extents, renumbered after the
 * host's own; their counts into hdr.  0, or -1. */
static int append_foreign(struct host_walk *w, struct snap_header *hdr)
{
    uint32_t disks = direct_map_disks(w->dm);
    for (size_t i = 0; i < w->h->nf; i++) {
        const struct foreign *f = &w->h->f[i];
        const unsigned char *p = f->snap + SNAP_HEADER_SIZE, *end = p + f->h.payload_len;
        uint32_t first_disk = disks;
        struct snap_record r;
        int k;
        while ((k = snap_next_record(&p, end, &r)) > 0) {
            int rc = 0;
            if (r.tag == 'R') {
                struct snap_range g;
                memcpy(&g, r.fixed, sizeof g);
                if (g.entry >= f->entries)
                    return w->bad = 1, -1;
                g.entry += f->base;
                rc = out_emit(w->o, &g, sizeof g, r.body, r.body_len, NULL, 0);
                w->o->ranges++;
            } else if (r.tag == 'D') {
                rc = out_emit(w->o, r.fixed, sizeof(struct snap_disk), NULL, 0, NULL, 0);
                disks++;
            } else if (r.tag == 'X') {
                struct snap_extents x;
                memcpy(&x, r.fixed, sizeof x);
                if (x.entry >= f->entries || x.disk >= disks - first_disk)
                    return w->bad = 1, -1;
                x.entry += f->base;
                x.disk += first_disk;
                rc = out_emit(w->o, &x, sizeof x, r.body, r.body_len, NULL, 0);
            }
            if (rc < 0)
                return -1;
        }
        if (k < 0)
            return w->bad = 1, -1;
        const struct snap_header *s = &f->h;
        hdr->walk_errors += s->walk_errors;
        hdr->depth_limited |= s->depth_limited;
        hdr->entries_limited |= s->entries_limited;
        hdr->heads += s->heads;
        hdr->heads_in_disk_order += s->heads_in_disk_order;
        hdr->dirs += s->dirs;
        hdr->dirs_from_metadata += s->dirs_from_metadata;
        hdr->elf_files += s->elf_files;
        hdr->elf_from_device += s->elf_from_device;
        hdr->direct_files += s->direct_files;
        hdr->complete = hdr->complete && s->complete == 1;
    }
    hdr->ranges = w->o->ranges;
    hdr->payload_len = w->o->pos;
    return 0;
}

static int place(uint64_t dev, struct disk_place *out, void *opaque)
{
    const struct mounts *ms = opaque;
    for (size_t i = 0; i < ms->n; i++)
        if (ms->m[i].dev == dev && ms->m[i].label[0]) {
            snprintf(out->label, sizeof out->label, "%s", ms->m[i].label);
            out->start = ms->m[i].start;
            return 0;
        }
    return -1;
}

/* Walks the tree into the snapshot file; 1, 0 (err says why), or a
 * negative errno. */
static int write_snapshot(struct host_tree *h, struct tree *t, const char *file, uint64_t max,
                          struct lc_error *err)
{
    struct disk_place specs[MAX_SPECS];
    size_t nspec = 0;
    for (; nspec < h->ndirect && nspec < MAX_SPECS; nspec++) {
        snprintf(specs[nspec].label, sizeof specs[nspec].label, "%s", h->direct[nspec].label);
        specs[nspec].start = h->direct[nspec].start;
    }
    struct out o;
    struct host_walk w = {.h = h, .o = &o, .t = t};
    w.dm = direct_map_new(specs, nspec, place, (void *)tree_mounts(t));
    w.path = xmalloc(UINT16_MAX + 1);
    if (out_open(&o, file, 0, max) < 0) {
        int e = errno ? errno : EIO;
        direct_map_free(w.dm);
        free(w.path);
        return lc_fail(err, -e, "%s: %s", file, strerror(e));
    }
    struct vfs_walk_result res;
    int wrc = tree_walk(t, on_entry, on_enter, &w, &res);
    struct tree_stats ts = *tree_stats(t);
    struct snap_header hdr;
    out_header(&hdr, &o, &res, ts.dirs, ts.ext_dirs, tree_root(t));
    hdr.direct_files = direct_map_files(w.dm);
    hdr.complete = wrc == 0 && !o.truncated && !o.io_error && !res.errors &&
                   !res.depth_limited && !res.entries_limited;
    int rc = 0;
    if (!w.too_many && !w.bad && !o.truncated && !o.io_error && wrc == 0)
        rc = append_foreign(&w, &hdr) == 0 ? 1 : -1;
    if (w.too_many) {
        lc_fail(err, 0, "more than %d files whose blocks cannot be mapped", MAX_UNMAPPED);
        rc = 0;
    } else if (w.bad) {
        lc_fail(err, 0, "a foreign subtree's snapshot is malformed");
        rc = 0;
    } else if (o.truncated) {
        lc_fail(err, 0, "the tree outgrew %llu bytes", (unsigned long long)max);
        rc = 0;
    } else if (rc <= 0) {
        int e = o.io_error ? o.io_error : errno ? errno : EIO;
        rc = lc_fail(err, -e, "writing the snapshot: %s", strerror(e));
    } else {
        unsigned char buf[SNAP_HEADER_SIZE] = {0};
        memcpy(buf, &hdr, sizeof hdr);
        if (out_finish(&o, buf, sizeof buf) < 0)
            rc = lc_fail(err, errno ? -errno : -EIO, "%s: %s", file, strerror(errno));
    }
    out_close(&o);
    direct_map_free(w.dm);
    free(w.path);
    return rc;
}

int host_tree_write(struct host_tree *h, const char *file, uint64_t max, struct lc_error *err)
{
    for (size_t i = 0; i < h->nf; i++)
        if (!h->f[i].snap) {
            lc_fail(err, 0, "a subtree the probe was to read is missing");
            return 0;
        }
    const struct vfs_walk_limits lim = {VFS_WALK_DEFAULT_DEPTH, VFS_WALK_DEFAULT_ENTRIES};
    struct tree *t = tree_read_indexed(&h->ms, h->x, &lim, NULL);  /* takes both */
    free(h->x);
    h->x = NULL;
    int rc;
    if (!t) {
        rc = lc_fail(err, errno ? -errno : -EIO, "reading the tree: %s", strerror(errno));
    } else if (tree_needs_kernel(t)) {
        lc_fail(err, 0, "an entry only the kernel can read");
        rc = 0;
    } else {
        rc = write_snapshot(h, t, file, max, err);
    }
    tree_free(t);
    return rc;
}
