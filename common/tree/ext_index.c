#include "ext_index.h"

#include "util/grow.h"

#include <errno.h>
#include <ext2fs/ext2_fs.h>
#include <ext2fs/ext2fs.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Directory and link blocks asked for ahead of the walk, at most: the
 * appliance's page cache must hold them until the walk gets there. */
#define WARM_BUDGET (384ull << 20)
#define WARM_GAP 2                  /* blocks read through between two ranges */
#define WARM_MAX 2048               /* blocks in one request */

enum {
    R_KERNEL = 1,                   /* lstat/readlink through the kernel */
    R_PLACED = 2,                   /* regular file: blk holds its first block */
    R_LINK_BLOCK = 4,               /* symlink: the target is in block blk */
};

struct rec {
    uint32_t ino;
    uint16_t mode;
    uint16_t flags;
    uint32_t nlink;
    uint64_t size;
    int64_t mtime;
    uint64_t blk;
    char *link;                     /* fast symlink target */
    uint32_t *map;                  /* placed files: i_block, the extent tree's root */
};

struct range {
    uint64_t blk, count;
};

struct ext_index {
    ext2_filsys fs;
    uint64_t dev;
    struct rec *r;                  /* in inode order */
    size_t n, cap;
    uint32_t *slot;                 /* inode number -> index in r + 1, 0: none */
    uint64_t nslot;
    struct range *warm;
    size_t nwarm, warmcap;
    char *dirbuf, *blkbuf;
    pthread_mutex_t lock;
};

static int64_t mtime_of(const struct ext2_inode_large *in, size_t isz)
{
    int64_t t = (int32_t)in->i_mtime;
    /* The epoch bits extend the 32-bit seconds past 2038, when present. */
    if (isz > EXT2_GOOD_OLD_INODE_SIZE &&
        offsetof(struct ext2_inode_large, i_mtime_extra) + sizeof in->i_mtime_extra <=
            EXT2_GOOD_OLD_INODE_SIZE + (size_t)in->i_extra_isize)
        t += (int64_t)(in->i_mtime_extra & EXT4_EPOCH_MASK) << 32;
    return t;
}

/* The size the kernel reports: directories keep the high word only on
 * largedir filesystems. */
static uint64_t size_of(ext2_filsys fs, const struct ext2_inode *in)
{
    uint64_t lo = in->i_size;
    if (LINUX_S_ISREG(in->i_mode) || ext2fs_has_feature_largedir(fs->super))
        return lo | (uint64_t)in->i_size_high << 32;
    return lo;
}

static int add_warm(struct ext_index *x, uint64_t blk, uint64_t count)
{
    if (!blk || !count)
        return 0;
    if (grow_array((void **)&x->warm, &x->warmcap, x->nwarm, sizeof *x->warm, 1024) < 0)
        return -1;
    x->warm[x->nwarm++] = (struct range){blk, count};
    return 0;
}

/* The blocks of a directory, to ask for ahead; no reads for the usual
 * directories (extents held in the inode, or direct blocks). */
static int dir_blocks(struct ext_index *x, ext2_ino_t ino, struct ext2_inode *in)
{
    if (in->i_flags & EXT4_INLINE_DATA_FL)
        return 0;
    if (!(in->i_flags & EXT4_EXTENTS_FL)) {
        for (int i = 0; i < EXT2_NDIR_BLOCKS; i++)
            if (add_warm(x, in->i_block[i], 1) < 0)
                return -1;
        return 0;
    }
    ext2_extent_handle_t h;
    struct ext2fs_extent e;
    if (ext2fs_extent_open2(x->fs, ino, in, &h))
        return 0;                   /* the walk will read it as it can */
    errcode_t err = ext2fs_extent_get(h, EXT2_EXTENT_ROOT, &e);
    int rc = 0;
    while (!err && rc == 0) {
        if ((e.e_flags & EXT2_EXTENT_FLAGS_LEAF) && !(e.e_flags & EXT2_EXTENT_FLAGS_UNINIT))
            rc = add_warm(x, e.e_pblk, e.e_len);
        err = ext2fs_extent_get(h, EXT2_EXTENT_NEXT, &e);
    }
    ext2fs_extent_free(h);
    return rc;
}

/* The block holding logical block 0, if it is written. */
static int first_block(struct ext_index *x, ext2_ino_t ino, struct ext2_inode *in, uint64_t *blk)
{
    blk64_t p = 0;
    int rf = 0;
    if (ext2fs_bmap2(x->fs, ino, in, x->blkbuf, 0, 0, &rf, &p) || !p || (rf & BMAP_RET_UNINIT))
        return -1;
    *blk = p;
    return 0;
}

static int keep_inode(struct ext_index *x, ext2_ino_t ino, struct ext2_inode_large *big,
                      size_t isz, size_t (*want_head)(uint64_t))
{
    struct ext2_inode *in = (struct ext2_inode *)big;
    if (grow_array((void **)&x->r, &x->cap, x->n, sizeof *x->r, 4096) < 0)
        return -1;
    struct rec *r = &x->r[x->n];
    memset(r, 0, sizeof *r);
    r->ino = ino;
    r->mode = in->i_mode;
    r->nlink = in->i_links_count;
    r->size = size_of(x->fs, in);
    r->mtime = mtime_of(big, isz);
    int odd = (in->i_flags & (EXT4_ENCRYPT_FL | EXT4_INLINE_DATA_FL)) != 0;

    if (LINUX_S_ISREG(in->i_mode)) {
        if (!odd && want_head(r->size) && first_block(x, ino, in, &r->blk) == 0)
            r->flags |= R_PLACED;
        /* Kept so that ext_index_extents maps the file without reading
         * its inode again.  Data journaled per file may still sit in the
         * journal: such files are read through the kernel. */
        if (!odd && (in->i_flags & EXT4_EXTENTS_FL) && !(in->i_flags & EXT3_JOURNAL_DATA_FL)) {
            if (!(r->map = malloc(sizeof in->i_block)))
                return -1;
            memcpy(r->map, in->i_block, sizeof in->i_block);
        }
    } else if (LINUX_S_ISLNK(in->i_mode)) {
        if (odd || r->size == 0 || r->size >= x->fs->blocksize) {
            r->flags |= R_KERNEL;
        } else if (ext2fs_is_fast_symlink(in)) {
            if (!(r->link = strndup((const char *)in->i_block, (size_t)r->size)))
                return -1;
        } else if (first_block(x, ino, in, &r->blk) == 0) {
            r->flags |= R_LINK_BLOCK;
            if (add_warm(x, r->blk, 1) < 0)
                return -1;
        } else {
            r->flags |= R_KERNEL;
        }
    } else if (LINUX_S_ISDIR(in->i_mode)) {
        if (in->i_flags & EXT4_ENCRYPT_FL)
            r->flags |= R_KERNEL;   /* names on disk are ciphertext */
        else if (dir_blocks(x, ino, in) < 0)
            return -1;
    }
    x->n++;
    return 0;
}

/* Through the channel: the device's page cache in the appliance, the disk
 * map's files on the host. */
static void advise(ext2_filsys fs, uint64_t blk, uint64_t count)
{
    io_channel_cache_readahead(fs->io, blk, count);
}

/* Every used part of every inode table, asked for at once: the scan then
 * finds them in the page cache instead of waiting for each in turn. */
static void warm_inode_tables(struct ext_index *x)
{
    ext2_filsys fs = x->fs;
    uint64_t isz = EXT2_INODE_SIZE(fs->super);
    for (dgrp_t g = 0; g < fs->group_desc_count; g++) {
        uint64_t used = fs->super->s_inodes_per_group;
        if (ext2fs_has_group_desc_csum(fs)) {
            if (ext2fs_bg_flags_test(fs, g, EXT2_BG_INODE_UNINIT))
                continue;
            uint64_t unused = ext2fs_bg_itable_unused(fs, g);
            used = unused < used ? used - unused : 0;
        }
        if (used)
            advise(fs, ext2fs_inode_table_loc(fs, g),
                   (used * isz + fs->blocksize - 1) / fs->blocksize);
    }
}

static int by_blk(const void *a, const void *b)
{
    const struct range *x = a, *y = b;
    return x->blk < y->blk ? -1 : x->blk > y->blk;
}

/* Directory and link blocks, merged into large requests in disk order. */
static uint64_t warm_blocks(struct ext_index *x)
{
    uint64_t asked = 0, budget = WARM_BUDGET / x->fs->blocksize;
    qsort(x->warm, x->nwarm, sizeof *x->warm, by_blk);
    for (size_t i = 0; i < x->nwarm && asked < budget;) {
        uint64_t start = x->warm[i].blk, end = start + x->warm[i].count;
        for (i++; i < x->nwarm; i++) {
            const struct range *r = &x->warm[i];
            if (r->blk > end + WARM_GAP || r->blk + r->count - start > WARM_MAX)
                break;
            if (r->blk + r->count > end)
                end = r->blk + r->count;
        }
        advise(x->fs, start, end - start);
        asked += end - start;
    }
    free(x->warm);
    x->warm = NULL;
    x->nwarm = x->warmcap = 0;
    return asked * x->fs->blocksize;
}

static int scan(struct ext_index *x, size_t (*want_head)(uint64_t))
{
    ext2_filsys fs = x->fs;
    size_t isz = EXT2_INODE_SIZE(fs->super);
    int per_group = (int)fs->inode_blocks_per_group;
    ext2_inode_scan s;
    struct ext2_inode_large *big = malloc(isz);
    ext2_ino_t ino;
    errcode_t err;
    int rc = 0;

    if (!big || ext2fs_open_inode_scan(fs, per_group < 4096 ? per_group : 4096, &s)) {
        free(big);
        return -1;
    }
    while (rc == 0 && !(err = ext2fs_get_next_inode_full(s, &ino, (struct ext2_inode *)big,
                                                         (int)isz)) && ino) {
        if (big->i_links_count && big->i_mode)
            rc = keep_inode(x, ino, big, isz, want_head);
    }
    if (err)
        rc = -1;
    ext2fs_close_inode_scan(s);
    free(big);
    return rc;
}

/* Every listed entry and mapped file looks its inode up: a table by inode
 * number costs one load where a binary search costs about twenty, each a
 * cache miss (and, emulated, a software TLB walk).  Up to 16M inodes
 * (64 MiB); larger filesystems are searched. */
#define MAX_SLOTS (16u << 20)

static void index_slots(struct ext_index *x)
{
    uint64_t count = x->fs->super->s_inodes_count;
    if (count >= MAX_SLOTS || !(x->slot = calloc((size_t)count + 1, sizeof *x->slot)))
        return;
    x->nslot = count + 1;
    for (size_t i = 0; i < x->n; i++)
        if (x->r[i].ino < x->nslot)
            x->slot[x->r[i].ino] = (uint32_t)i + 1;
}

static void free_index(struct ext_index *x)
{
    for (size_t i = 0; i < x->n; i++) {
        free(x->r[i].link);
        free(x->r[i].map);
    }
    free(x->r);
    free(x->slot);
    free(x->warm);
    free(x->dirbuf);
    free(x->blkbuf);
    if (x->fs)
        ext2fs_close_free(&x->fs);
    free(x);
}

struct ext_index *ext_index_open_io(const char *name, struct struct_io_manager *io, uint64_t dev,
                                    size_t (*want_head)(uint64_t size),
                                    struct ext_index_stats *stats)
{
    struct ext_index *x = calloc(1, sizeof *x);
    memset(stats, 0, sizeof *stats);
    if (!x)
        return NULL;
    x->dev = dev;
    if (ext2fs_open2(name, NULL, EXT2_FLAG_64BITS | EXT2_FLAG_SKIP_MMP |
                     EXT2_FLAG_IGNORE_CSUM_ERRORS, 0, 0, io, &x->fs) ||
        !(x->dirbuf = malloc(x->fs->blocksize)) || !(x->blkbuf = malloc(3 * x->fs->blocksize))) {
        free_index(x);
        return NULL;
    }
    warm_inode_tables(x);
    if (scan(x, want_head) < 0) {
        free_index(x);
        return NULL;
    }
    index_slots(x);
    stats->inodes = x->n;
    stats->warm_bytes = warm_blocks(x);
    pthread_mutex_init(&x->lock, NULL);
    return x;
}

struct ext_index *ext_index_open(const char *device, uint64_t dev,
                                 size_t (*want_head)(uint64_t size),
                                 struct ext_index_stats *stats)
{
    return ext_index_open_io(device, unix_io_manager, dev, want_head, stats);
}

static struct rec *find(struct ext_index *x, uint64_t ino)
{
    if (x->slot)
        return ino < x->nslot && x->slot[ino] ? &x->r[x->slot[ino] - 1] : NULL;
    size_t lo = 0, hi = x->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->r[mid].ino == ino)
            return &x->r[mid];
        if (x->r[mid].ino < ino)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

struct listing {
    struct ext_index *x;
    struct tree_node *kids;
    size_t n, cap;
    int oom;
};

/* A symlink's target from its block; NULL if unreadable. */
static char *slow_link(struct ext_index *x, const struct rec *r)
{
    if (io_channel_read_blk64(x->fs->io, r->blk, 1, x->blkbuf))
        return NULL;
    return strndup(x->blkbuf, (size_t)r->size);
}

static void fill(struct ext_index *x, struct tree_node *k, ext2_ino_t ino)
{
    const struct rec *r = find(x, ino);
    if (!r || (r->flags & R_KERNEL) || (k->name && strchr(k->name, '/'))) {
        k->ask_kernel = 1;
        return;
    }
    if (LINUX_S_ISLNK(r->mode)) {
        k->link = r->link ? strdup(r->link) : slow_link(x, r);
        if (!k->link) {
            k->ask_kernel = 1;
            return;
        }
    }
    struct stat s;
    memset(&s, 0, sizeof s);
    s.st_mode = r->mode;
    s.st_size = (off_t)r->size;
    s.st_ino = r->ino;
    s.st_dev = (dev_t)x->dev;
    s.st_nlink = r->nlink;
    s.st_mtime = (time_t)r->mtime;
    vfs_stat_from(&k->st, &s);
    k->stat_ok = 1;
    if (r->flags & R_PLACED) {
        k->placed = 1;
        k->phys = r->blk * x->fs->blocksize;
    }
}

int ext_index_node(struct ext_index *x, uint64_t ino, struct tree_node *k)
{
    pthread_mutex_lock(&x->lock);
    free(k->link);
    k->link = NULL;
    k->stat_ok = k->placed = k->ask_kernel = 0;
    fill(x, k, (ext2_ino_t)ino);
    pthread_mutex_unlock(&x->lock);
    return k->stat_ok ? 0 : -1;
}

static int on_dirent(ext2_ino_t dir, int entry, struct ext2_dir_entry *d, int offset,
                     int blocksize, char *buf, void *opaque)
{
    struct listing *l = opaque;
    int len = ext2fs_dirent_name_len(d);
    (void)dir, (void)entry, (void)offset, (void)blocksize, (void)buf;

    if ((len == 1 && d->name[0] == '.') || (len == 2 && d->name[0] == '.' && d->name[1] == '.'))
        return 0;
    if (grow_array((void **)&l->kids, &l->cap, l->n, sizeof *l->kids, 16) < 0) {
        l->oom = 1;
        return DIRENT_ABORT;
    }
    struct tree_node *k = &l->kids[l->n];
    memset(k, 0, sizeof *k);
    /* A NUL in a damaged name ends it, as readdir's d_name would. */
    if (!(k->name = strndup(d->name, (size_t)len))) {
        l->oom = 1;
        return DIRENT_ABORT;
    }
    l->n++;
    fill(l->x, k, d->inode);
    return 0;
}

int ext_index_list(struct ext_index *x, uint64_t ino, struct tree_node **kids, size_t *n)
{
    struct listing l = {.x = x};
    int rc = -1;

    pthread_mutex_lock(&x->lock);
    const struct rec *r = find(x, ino);
    if (r && LINUX_S_ISDIR(r->mode) && !(r->flags & R_KERNEL)) {
        /* Inline directories too (DIRENT_FLAG_INCLUDE_INLINE_DATA is for
         * callers handing in the inode's data: with it, block directories
         * read as corrupt). */
        errcode_t err = ext2fs_dir_iterate2(x->fs, (ext2_ino_t)ino, 0, x->dirbuf, on_dirent, &l);
        rc = err || l.oom ? -1 : 0;
    }
    pthread_mutex_unlock(&x->lock);
    if (rc < 0) {
        for (size_t i = 0; i < l.n; i++) {
            free(l.kids[i].name);
            free(l.kids[i].link);
        }
        free(l.kids);
        return -1;
    }
    *kids = l.kids;
    *n = l.n;
    return 0;
}

int ext_index_extents(struct ext_index *x, uint64_t ino, struct ext_extent *out, size_t max)
{
    struct ext2_inode in;
    ext2_extent_handle_t h;
    struct ext2fs_extent e;
    int n = 0;

    pthread_mutex_lock(&x->lock);
    const struct rec *r = find(x, ino);
    memset(&in, 0, sizeof in);
    if (r && r->map) {
        in.i_mode = r->mode;
        in.i_flags = EXT4_EXTENTS_FL;
        memcpy(in.i_block, r->map, sizeof in.i_block);
    }
    if (!r || !r->map || ext2fs_extent_open2(x->fs, (ext2_ino_t)ino, &in, &h)) {
        pthread_mutex_unlock(&x->lock);
        return -1;
    }
    errcode_t err = ext2fs_extent_get(h, EXT2_EXTENT_ROOT, &e);
    while (!err && n >= 0) {
        if ((e.e_flags & EXT2_EXTENT_FLAGS_LEAF) && !(e.e_flags & EXT2_EXTENT_FLAGS_UNINIT)) {
            if ((size_t)n == max)
                n = -1;
            else
                out[n++] = (struct ext_extent){e.e_lblk, e.e_pblk, e.e_len};
        }
        err = ext2fs_extent_get(h, EXT2_EXTENT_NEXT, &e);
    }
    if (err != EXT2_ET_EXTENT_NO_NEXT)
        n = -1;
    ext2fs_extent_free(h);
    pthread_mutex_unlock(&x->lock);
    return n;
}

unsigned ext_index_block_size(const struct ext_index *x)
{
    return x->fs->blocksize;
}

void ext_index_uuid(const struct ext_index *x, unsigned char uuid[16])
{
    memcpy(uuid, x->fs->super->s_uuid, 16);
}

void ext_index_close(struct ext_index *x)
{
    if (!x)
        return;
    pthread_mutex_destroy(&x->lock);
    free_index(x);
}
