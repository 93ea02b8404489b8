/* liftcheck-probe: the appliance-side half of the file-tree snapshot.
 *
 * Runs inside the libguestfs appliance (a static program, so it needs
 * nothing from the appliance but its kernel), walks the guest filesystems
 * mounted under ROOT, and writes every entry and the byte ranges that the
 * ELF inventory will ask for into OUTPUT at OFFSET (snapshot_format.h).
 *
 *   liftcheck-probe [--direct LABEL:START]... [--max-depth N] ROOT OUTPUT OFFSET
 *                   MAX_BYTES [PROGRESS [PROGRESS_OFFSET]]
 *   liftcheck-probe --partitions [ROOT]
 *
 * --direct names an ext2/3/4 filesystem that the host reads from the
 * input disk's files itself: the probe records where each of its files lies
 * (direct_map.c) and reads none of them.  --max-depth limits the walk
 * (the host asks for a subtree that lies that deep in the guest's tree).
 * --partitions prints where
 * filesystems may begin on the labelled disks (disk_place.h), for the host
 * to choose them, after flushing the disks; with ROOT, also the
 * filesystems mounted there and where each lies (mounts.h): when the host
 * can read them all, it reads the tree itself (inspector/host_tree.h).
 * Four phases, each shaped by what a read costs in an emulated appliance
 * (a round trip of about a millisecond, whatever its size):
 *   1. the tree, read in bulk from ext2/3/4 metadata (ext_index.c) or by
 *      threads in any order, then walked from memory in the snapshot's
 *      order (tree.c);
 *   2. the heads of all files that may be ELF, in the order of their blocks
 *      on disk (heads.c);
 *   3. the ELF files, parsed by the host's own parser with exact reads, so
 *      the host asks for the same ranges: from device reads in disk order
 *      on ext2/3/4 (elf_device.c), through the kernel otherwise (elf_pass.c);
 *   4. the small files the scanners read whole (whole_files.c).
 * OUTPUT may be a block device (in the appliance) or a regular file.
 * PROGRESS (a file, or a block device with PROGRESS_OFFSET) gets the
 * progress record (probe_progress.h). */
#include "common/tree/direct_map.h"
#include "common/tree/disk_place.h"
#include "elf_device.h"
#include "elf_pass.h"
#include "common/tree/heads.h"
#include "common/tree/mounts.h"
#include "common/tree/parallel.h"
#include "common/tree/probe_out.h"
#include "common/tree/probe_progress.h"
#include "common/tree/tree.h"
#include "whole_files.h"

#include "common/snapshot_format.h"
#include "common/vfs.h"
#include "common/elf/elf_read.h"
#include "util/grow.h"

#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct probe {
    struct out *o;
    struct tree *t;
    struct direct_map *direct;  /* NULL: every file is read here */
    struct probe_progress *pr;
    struct strmap inodes;       /* "dev:ino" of hard-linked files already listed */
    struct cand *c;             /* files that may be ELF, in walk order */
    size_t nc, ccap;
    struct whole_file *w;       /* files to record whole */
    size_t nw, wcap;
    uint64_t wbytes;
    int oom;
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

/* Exactly the first read of the host's ELF scan; 0 for files it skips. */
static size_t head_len(uint64_t size)
{
    struct vfs exact = {.exact_reads = 1};
    return size < MIN_ELF_SIZE ? 0 : elf_head_len(&exact, size);
}

/* A regular file the ELF scan will open: big enough to be ELF, and the
 * first name of its inode (the scan reads a hard-linked file once). */
static int add_candidate(struct probe *p, const char *path, const struct tree_node *n)
{
    const struct vfs_stat *st = &n->st;
    char key[64];

    if (st->size < MIN_ELF_SIZE)
        return 0;
    if (st->nlink > 1) {
        snprintf(key, sizeof key, "%" PRIu64 ":%" PRIu64, st->dev, st->ino);
        if (strmap_get(&p->inodes, key) != -1)
            return 0;
        if (strmap_put(&p->inodes, key, 1) < 0)
            return -1;
    }
    if (grow_array((void **)&p->c, &p->ccap, p->nc, sizeof *p->c, 4096) < 0)
        return -1;
    struct cand *c = &p->c[p->nc];
    memset(c, 0, sizeof *c);
    if (!(c->path = strdup(path)))
        return -1;
    c->entry = p->o->entries - 1;
    c->size = st->size;
    c->ino = st->ino;
    c->dev = st->dev;
    c->want = (uint16_t)head_len(st->size);
    c->placed = n->placed;
    c->phys = n->phys;
    c->whole = -1;
    if (p->nw && p->w[p->nw - 1].entry == c->entry)
        c->whole = (int64_t)p->nw - 1;
    p->nc++;
    return 0;
}

/* A file the scanners read whole, within the budget. */
static int add_whole(struct probe *p, const char *path, const struct vfs_stat *st)
{
    if (!whole_file_wanted(path, st->size) || p->wbytes + st->size > WHOLE_FILES_BUDGET)
        return 0;
    if (grow_array((void **)&p->w, &p->wcap, p->nw, sizeof *p->w, 1024) < 0)
        return -1;
    struct whole_file *w = &p->w[p->nw];
    if (!(w->path = strdup(path)))
        return -1;
    w->entry = p->o->entries - 1;
    w->size = st->size;
    w->skip = 0;
    p->wbytes += st->size;
    p->nw++;
    return 0;
}

static int on_entry(const char *path, const struct tree_node *n, void *opaque)
{
    struct probe *p = opaque;
    const struct vfs_stat *st = &n->st;

    int e = out_entry(p->o, path, st, n->link);
    if (e <= 0)
        return e;
    if (st->type == VFS_REG && p->direct) {
        int d = direct_map_file(p->direct, p->t, p->o, p->o->entries - 1, st);
        if (d != 0)
            return d < 0 ? -1 : 0;      /* the host reads it */
    }
    if (st->type == VFS_REG && add_whole(p, path, st) < 0)
        p->oom = 1;
    if (st->type == VFS_REG && add_candidate(p, path, n) < 0)
        p->oom = 1;
    return p->oom || p->o->truncated || p->o->io_error ? -1 : 0;
}

/* Phases 2 to 4: heads; the ELF files go on to phase 3, the others' heads
 * are recorded as they are (the host reads them to learn they are not ELF),
 * unless the whole file is recorded in phase 4. */
/* What phases 2 and 3 did, for the header and the summary line. */
struct read_stats {
    struct head_stats heads;
    struct elf_device_stats device;
    size_t elf_files;
    double heads_seconds, elf_seconds;
};

static int read_heads(struct probe *p, struct tree *t, const char *root, struct read_stats *rs)
{
    double t0 = seconds();
    pprogress_phase(p->pr, PHASE_HEADS, p->nc);
    heads_read(root, p->c, p->nc, p->pr, &rs->heads);

    struct cand **elf = malloc((p->nc ? p->nc : 1) * sizeof *elf);
    size_t ne = 0;
    if (!elf)
        return -1;
    for (size_t i = 0; i < p->nc; i++) {
        struct cand *c = &p->c[i];
        if (c->got < 0)
            continue;               /* unreadable: the host tries it live */
        if (c->got >= SELFMAG && memcmp(c->head, ELFMAG, SELFMAG) == 0) {
            elf[ne++] = c;
            if (c->whole >= 0)
                p->w[c->whole].skip = 1;    /* the ELF pass records it */
        } else if (c->whole < 0 &&
                   out_range(p->o, c->entry, 0, c->head, (uint32_t)c->got) < 0)
            break;
    }
    pprogress_phase(p->pr, PHASE_ELF, ne);
    double t1 = seconds();
    size_t rest = 0;
    int rc = elf_device_pass(t, elf, ne, p->o, p->pr, &rest, &rs->device);
    if (rc == 0)
        rc = elf_pass(root, elf, rest, p->o, p->pr);
    rs->elf_files = ne;
    rs->heads_seconds = t1 - t0;
    rs->elf_seconds = seconds() - t1;
    free(elf);
    pprogress_phase(p->pr, PHASE_WHOLE, p->nw);
    whole_files_read(root, p->w, p->nw, p->o, p->pr);
    return rc;
}

#define MAX_DIRECT 64

static int place(uint64_t dev, struct disk_place *out, void *opaque)
{
    (void)opaque;
    return disk_place_of(dev, out);
}

/* --partitions [ROOT]: where filesystems may begin on the disks, then the
 * filesystems mounted under ROOT and where each lies. */
static int list_partitions(const char *root)
{
    disk_place_list(stdout);
    struct mounts ms;
    if (root && mounts_read(root, &ms) == 0) {
        for (size_t i = 0; i < ms.n; i++) {
            struct disk_place pl;
            if (disk_place_of(ms.m[i].dev, &pl) == 0) {
                memcpy(ms.m[i].label, pl.label, sizeof ms.m[i].label);
                ms.m[i].start = pl.start;
            }
        }
        mounts_print(&ms, stdout);
        mounts_free(&ms);
    }
    return fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if ((argc == 2 || argc == 3) && !strcmp(argv[1], "--partitions"))
        return list_partitions(argc == 3 ? argv[2] : NULL);
    struct disk_place direct[MAX_DIRECT];
    size_t ndirect = 0;
    unsigned max_depth = VFS_WALK_DEFAULT_DEPTH;
    int a = 1;
    for (; a + 1 < argc && (!strcmp(argv[a], "--direct") || !strcmp(argv[a], "--max-depth"));
         a += 2) {
        if (!strcmp(argv[a], "--max-depth"))
            max_depth = (unsigned)strtoul(argv[a + 1], NULL, 10);
        else if (ndirect < MAX_DIRECT && disk_place_parse(argv[a + 1], &direct[ndirect]) == 0)
            ndirect++;
    }
    argv[a - 1] = argv[0];
    argv += a - 1;
    argc -= a - 1;
    if (argc < 5 || argc > 7) {
        fprintf(stderr, "usage: liftcheck-probe [--direct LABEL:START]... [--max-depth N] ROOT "
                        "OUTPUT OFFSET MAX_BYTES [PROGRESS [PROGRESS_OFFSET]]\n"
                        "       liftcheck-probe --partitions [ROOT]\n");
        return 2;
    }
    const char *root = argv[1];
    struct out o;
    if (out_open(&o, argv[2], strtoull(argv[3], NULL, 0), strtoull(argv[4], NULL, 0)) < 0) {
        fprintf(stderr, "liftcheck-probe: %s: %s\n", argv[2], strerror(errno));
        return 1;
    }
    struct probe_progress pr;
    pprogress_open(&pr, argc >= 6 ? argv[5] : NULL, argc == 7 ? strtoull(argv[6], NULL, 0) : 0);
    pprogress_phase(&pr, PHASE_WALK, inodes_in_use(root));
    struct probe p;
    memset(&p, 0, sizeof p);
    p.o = &o;
    p.pr = &pr;
    if (ndirect && !(p.direct = direct_map_new(direct, ndirect, place, NULL))) {
        fprintf(stderr, "liftcheck-probe: out of memory\n");
        return 1;
    }
    double t0 = seconds();
    const struct vfs_walk_limits lim = {max_depth ? max_depth : 1, VFS_WALK_DEFAULT_ENTRIES};
    /* LIFTCHECK_PROBE_NO_EXT=1 reads every filesystem through the kernel,
     * to compare the two readers. */
    const char *no_ext = getenv("LIFTCHECK_PROBE_NO_EXT");
    struct tree *t = tree_read(root, &lim, io_threads(), head_len, !(no_ext && *no_ext == '1'),
                               &pr);
    if (!t) {
        fprintf(stderr, "liftcheck-probe: %s: %s\n", root, strerror(errno));
        pprogress_close(&pr, 0);
        return 1;
    }
    struct vfs_walk_result res;
    p.t = t;
    int wrc = tree_walk(t, on_entry, NULL, &p, &res);
    if (wrc < 0 && !o.truncated && !p.oom)
        fprintf(stderr, "liftcheck-probe: walk: %s\n", strerror(errno));
    struct tree_stats ts = *tree_stats(t);
    struct vfs_stat root_st = *tree_root(t);
    double t1 = seconds();
    struct read_stats rs;
    memset(&rs, 0, sizeof rs);
    const struct head_stats *hs = &rs.heads;
    const struct elf_device_stats *ds = &rs.device;
    if (!p.oom && !o.truncated && !o.io_error && read_heads(&p, t, root, &rs) < 0)
        p.oom = 1;
    tree_free(t);       /* its indexes served the ELF pass */
    double t2 = seconds();

    struct snap_header h;
    out_header(&h, &o, &res, ts.dirs, ts.ext_dirs, &root_st);
    h.heads = p.nc;
    h.heads_in_disk_order = hs->from_device;
    h.elf_files = rs.elf_files;
    h.elf_from_device = ds->files;
    h.direct_files = direct_map_files(p.direct);
    h.complete = wrc == 0 && !o.truncated && !p.oom && !o.io_error && !res.errors &&
                 !res.depth_limited && !res.entries_limited;
    unsigned char hdr[SNAP_HEADER_SIZE] = {0};
    memcpy(hdr, &h, sizeof h);
    int rc = 0;
    if (out_finish(&o, hdr, sizeof hdr) < 0) {
        fprintf(stderr, "liftcheck-probe: %s: %s\n", argv[2], strerror(errno));
        rc = 1;
    } else {
        printf("entries %" PRIu64 " ranges %" PRIu64 " bytes %" PRIu64
               " heads %zu placed %zu device %zu files %zu requests %zu MiB %.1f"
               " seconds tree %.1f heads+elf %.1f (heads %.1f elf %.1f) threads %u"
               " ext %zu inodes %" PRIu64 " dirs %" PRIu64 " warm MiB %.1f index seconds %.1f"
               " elf-device %zu rounds %zu requests %zu MiB %.1f direct %" PRIu64 "%s%s\n",
               o.entries, o.ranges, o.pos, p.nc, hs->placed, hs->from_device,
               hs->through_files, hs->device_requests, (double)hs->device_bytes / (1 << 20),
               t1 - t0, t2 - t1, rs.heads_seconds, rs.elf_seconds, io_threads(),
               ts.ext_filesystems, ts.ext_inodes, ts.ext_dirs, (double)ts.warm_bytes / (1 << 20),
               ts.index_seconds, ds->files, ds->rounds, ds->requests,
               (double)ds->bytes / (1 << 20), h.direct_files, h.complete ? "" : " incomplete",
               o.truncated ? " truncated" : "");
    }
    pprogress_close(&pr, rc == 0);
    for (size_t i = 0; i < p.nc; i++)
        free(p.c[i].path);
    free(p.c);
    for (size_t i = 0; i < p.nw; i++)
        free(p.w[i].path);
    free(p.w);
    strmap_free(&p.inodes);
    direct_map_free(p.direct);
    out_close(&o);
    return rc;
}
