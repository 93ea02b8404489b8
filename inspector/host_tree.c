#include "host_tree.h"

#include "ext_io.h"
#include "probe/direct_map.h"
#include "probe/ext_index.h"
#include "probe/mounts.h"
#include "probe/probe_out.h"
#include "probe/tree.h"
#include "snapshot_format.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Files whose blocks cannot be mapped (block-mapped, inline, too many
 * extents) are read through the appliance one request at a time, several
 * milliseconds each; past this many, the probe there reads them faster. */
#define MAX_UNMAPPED 256

struct host_walk {
    struct out *o;
    struct direct_map *dm;
    struct tree *t;
    uint64_t unmapped;
    int too_many;
};

static size_t no_heads(uint64_t size)
{
    (void)size;
    return 0;               /* the host reads heads through the map */
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

static const struct vfs_direct_fs *direct_of(const struct mount *m,
                                             const struct vfs_direct_fs *direct, size_t n)
{
    for (size_t i = 0; m->label[0] && i < n; i++)
        if (!strcmp(direct[i].label, m->label) && direct[i].start == m->start)
            return &direct[i];
    return NULL;
}

/* An index for each mount, read through its disk's map; 0, or -1 when a
 * mount is not one the host can read (why says). */
static int open_indexes(const struct mounts *ms, const struct vfs_direct_fs *direct, size_t n,
                        struct ext_index **x, char *why, size_t cap)
{
    for (size_t i = 0; i < ms->n; i++) {
        const struct mount *m = &ms->m[i];
        const struct vfs_direct_fs *d = direct_of(m, direct, n);
        char name[128];
        struct ext_index_stats st;
        if (strcmp(m->fstype, "ext2") && strcmp(m->fstype, "ext3") && strcmp(m->fstype, "ext4")) {
            snprintf(why, cap, "%s is %s", m->path, m->fstype);
            return -1;
        }
        if (!d) {
            snprintf(why, cap, "%s is not read through its disk's map", m->path);
            return -1;
        }
        if (ext_io_name(d->map, d->start, name, sizeof name) < 0 ||
            !(x[i] = ext_index_open_io(name, ext_io_manager, m->dev, no_heads, &st))) {
            snprintf(why, cap, "%s: its ext2/3/4 metadata cannot be read", m->path);
            return -1;
        }
    }
    return 0;
}

/* Walks the tree into the snapshot file; 1, 0 (why says), or -1. */
static int write_snapshot(struct tree *t, const struct vfs_direct_fs *direct,
                          size_t ndirect, const char *file, uint64_t max, char *why, size_t cap)
{
    char *specs[64];
    char spec[64][SNAP_LABEL_LEN + 24];
    size_t nspec = 0;
    for (size_t i = 0; i < ndirect && nspec < 64; i++, nspec++) {
        snprintf(spec[nspec], sizeof spec[nspec], "%s:%llu", direct[i].label,
                 (unsigned long long)direct[i].start);
        specs[nspec] = spec[nspec];
    }
    struct out o;
    struct direct_map *dm = direct_map_new(specs, nspec, place, (void *)tree_mounts(t));
    if (!dm || out_open(&o, file, 0, max) < 0) {
        snprintf(why, cap, "%s: %s", file, strerror(dm ? errno : ENOMEM));
        direct_map_free(dm);
        return -1;
    }
    struct host_walk w = {.o = &o, .dm = dm, .t = t};
    struct vfs_walk_result res;
    int wrc = tree_walk(t, on_entry, &w, &res);
    struct tree_stats ts = *tree_stats(t);
    struct snap_header h;
    out_header(&h, &o, &res, ts.dirs, ts.ext_dirs);
    h.direct_files = direct_map_files(dm);
    h.complete = wrc == 0 && !o.truncated && !o.io_error && !res.errors &&
                 !res.depth_limited && !res.entries_limited;
    unsigned char hdr[SNAP_HEADER_SIZE] = {0};
    memcpy(hdr, &h, sizeof h);
    int rc = 1;
    if (w.too_many) {
        snprintf(why, cap, "more than %d files whose blocks cannot be mapped", MAX_UNMAPPED);
        rc = 0;
    } else if (wrc < 0 && !o.truncated) {
        snprintf(why, cap, "walking the tree: %s", strerror(errno));
        rc = -1;
    } else if (out_finish(&o, hdr, sizeof hdr) < 0) {
        snprintf(why, cap, "%s: %s", file, strerror(errno));
        rc = -1;
    }
    out_close(&o);
    direct_map_free(dm);
    return rc;
}

int host_tree_snapshot(const char *listing, const struct vfs_direct_fs *direct, size_t ndirect,
                       const char *file, uint64_t max, char *why, size_t cap)
{
    struct mounts ms;
    if (mounts_parse(listing, &ms) < 0) {
        snprintf(why, cap, "the appliance's mount list is malformed");
        return 0;
    }
    if (!mounts_at(&ms, "/")) {
        snprintf(why, cap, "the appliance listed no root filesystem");
        mounts_free(&ms);
        return 0;
    }
    struct ext_index **x = calloc(ms.n, sizeof *x);
    if (!x) {
        mounts_free(&ms);
        snprintf(why, cap, "out of memory");
        return -1;
    }
    if (open_indexes(&ms, direct, ndirect, x, why, cap) < 0) {
        for (size_t i = 0; i < ms.n; i++)
            ext_index_close(x[i]);
        free(x);
        mounts_free(&ms);
        return 0;
    }
    const struct vfs_walk_limits lim = {VFS_WALK_DEFAULT_DEPTH, VFS_WALK_DEFAULT_ENTRIES};
    struct tree *t = tree_read_indexed(&ms, x, &lim, NULL);   /* takes ms and x[] */
    free(x);
    int rc;
    if (!t) {
        snprintf(why, cap, "reading the tree: %s", strerror(errno));
        rc = -1;
    } else if (tree_needs_kernel(t)) {
        snprintf(why, cap, "an entry only the kernel can read");
        rc = 0;
    } else {
        rc = write_snapshot(t, direct, ndirect, file, max, why, cap);
    }
    tree_free(t);
    return rc;
}
