#include "direct_map.h"

#include "disk_place.h"
#include "ext_index.h"

#include "common/snapshot_format.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define MAX_SPECS 64
#define MAX_DEVS 64

struct dev_slot {
    uint64_t dev;
    struct ext_index *x;        /* NULL: not read by the host */
    uint32_t disk;              /* its 'D' record */
    uint64_t start;
};

struct direct_map {
    struct disk_place spec[MAX_SPECS];
    size_t nspec;
    direct_place_fn place;
    void *opaque;
    struct dev_slot dev[MAX_DEVS];
    size_t ndev;
    struct dev_slot overflow;   /* past MAX_DEVS: read by the probe */
    uint32_t disks;             /* 'D' records emitted */
    uint64_t files;
    struct ext_extent ext[SNAP_MAX_EXTENTS];
    struct snap_extent rec[SNAP_MAX_EXTENTS];
};

struct direct_map *direct_map_new(const struct disk_place *specs, size_t n,
                                  direct_place_fn place, void *opaque)
{
    struct direct_map *m = xcalloc(1, sizeof *m);
    m->place = place;
    m->opaque = opaque;
    m->nspec = n < MAX_SPECS ? n : MAX_SPECS;
    memcpy(m->spec, specs, m->nspec * sizeof *specs);
    return m;
}

/* The slot of st_dev dev, deciding it (and emitting its 'D' record) the
 * first time; NULL when the output is full. */
static struct dev_slot *slot_of(struct direct_map *m, struct tree *t, struct out *o,
                                uint64_t dev)
{
    for (size_t i = 0; i < m->ndev; i++)
        if (m->dev[i].dev == dev)
            return &m->dev[i];
    if (m->ndev == MAX_DEVS) {
        m->overflow = (struct dev_slot){.dev = dev};
        return &m->overflow;
    }
    struct dev_slot *s = &m->dev[m->ndev++];
    *s = (struct dev_slot){.dev = dev};
    struct ext_index *x = tree_index(t, dev);
    struct disk_place pl;
    memset(&pl, 0, sizeof pl);
    if (!x || !m->nspec || m->place(dev, &pl, m->opaque) < 0)
        return s;
    for (size_t i = 0; i < m->nspec; i++) {
        if (strcmp(m->spec[i].label, pl.label) || m->spec[i].start != pl.start)
            continue;
        struct snap_disk d = {.tag = 'D', .start = pl.start};
        memcpy(d.label, pl.label, sizeof pl.label);
        ext_index_uuid(x, d.uuid);
        if (out_emit(o, &d, sizeof d, NULL, 0, NULL, 0) < 0)
            return NULL;
        s->x = x;
        s->disk = m->disks++;
        s->start = pl.start;
        break;
    }
    return s;
}

int direct_map_file(struct direct_map *m, struct tree *t, struct out *o, uint64_t entry,
                    const struct vfs_stat *st)
{
    struct dev_slot *s = slot_of(m, t, o, st->dev);
    if (!s)
        return -1;
    if (!s->x)
        return 0;
    int n = ext_index_extents(s->x, st->ino, m->ext, SNAP_MAX_EXTENTS);
    if (n < 0)
        return 0;
    uint64_t bs = ext_index_block_size(s->x);
    for (int i = 0; i < n; i++)
        m->rec[i] = (struct snap_extent){m->ext[i].lblk * bs, s->start + m->ext[i].pblk * bs,
                                         (uint64_t)m->ext[i].len * bs};
    struct snap_extents h = {.tag = 'X', .count = (uint32_t)n, .disk = s->disk, .entry = entry};
    if (out_emit(o, &h, sizeof h, m->rec, (size_t)n * sizeof *m->rec, NULL, 0) < 0)
        return -1;
    m->files++;
    return 1;
}

uint64_t direct_map_files(const struct direct_map *m)
{
    return m ? m->files : 0;
}

uint32_t direct_map_disks(const struct direct_map *m)
{
    return m ? m->disks : 0;
}

void direct_map_free(struct direct_map *m)
{
    free(m);
}
