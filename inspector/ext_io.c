#include "ext_io.h"

#include "disk_map.h"
#include "util/xalloc.h"

#include <ext2fs/ext2fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct chan {
    struct disk_map *map;
    uint64_t start;
};

/* The name carries the map's address: it only ever comes from
 * ext_io_name in this process. */
#define NAME_FMT "disk-map:%p:%llu"

int ext_io_name(struct disk_map *map, uint64_t start, char *name, size_t cap)
{
    int n = snprintf(name, cap, NAME_FMT, (void *)map, (unsigned long long)start);
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

static errcode_t e_close(io_channel ch)
{
    if (--ch->refcount > 0)
        return 0;
    struct chan *c = ch->private_data;
    disk_map_unref(c->map);
    free(c);
    ext2fs_free_mem(&ch->name);
    ext2fs_free_mem(&ch);
    return 0;
}

static errcode_t e_open(const char *name, int flags, io_channel *out)
{
    void *p = NULL;
    unsigned long long start = 0;
    int used = 0;
    if (!name || sscanf(name, NAME_FMT "%n", &p, &start, &used) != 2 || name[used] || !p)
        return EXT2_ET_BAD_DEVICE_NAME;
    if (flags & IO_FLAG_RW)
        return EXT2_ET_RO_FILSYS;
    io_channel ch = NULL;
    struct chan *c = xcalloc(1, sizeof *c);
    if (!c || ext2fs_get_memzero(sizeof *ch, &ch) || ext2fs_get_mem(strlen(name) + 1, &ch->name)) {
        if (ch)
            ext2fs_free_mem(&ch);
        free(c);
        return EXT2_ET_NO_MEMORY;
    }
    strcpy(ch->name, name);
    c->map = disk_map_ref(p);
    c->start = start;
    ch->magic = EXT2_ET_MAGIC_IO_CHANNEL;
    ch->manager = ext_io_manager;
    ch->block_size = 1024;
    ch->refcount = 1;
    ch->private_data = c;
    *out = ch;
    return 0;
}

static errcode_t e_set_blksize(io_channel ch, int blksize)
{
    if (blksize <= 0)
        return EXT2_ET_INVALID_ARGUMENT;
    ch->block_size = blksize;
    return 0;
}

/* count > 0: blocks; count < 0: bytes (libext2fs's convention). */
static errcode_t e_read64(io_channel ch, unsigned long long block, int count, void *data)
{
    const struct chan *c = ch->private_data;
    uint64_t bs = (uint64_t)ch->block_size;
    uint64_t len = count < 0 ? (uint64_t)-(int64_t)count : (uint64_t)count * bs;
    if (block > (UINT64_MAX - c->start) / bs || len > SIZE_MAX)
        return EXT2_ET_SHORT_READ;
    uint64_t off = c->start + block * bs;
    if (off > UINT64_MAX - len || disk_map_pread(c->map, data, (size_t)len, off) < 0)
        return EXT2_ET_SHORT_READ;
    return 0;
}

static errcode_t e_read(io_channel ch, unsigned long block, int count, void *data)
{
    return e_read64(ch, block, count, data);
}

static errcode_t e_write(io_channel ch, unsigned long block, int count, const void *data)
{
    (void)ch, (void)block, (void)count, (void)data;
    return EXT2_ET_RO_FILSYS;
}

static errcode_t e_write64(io_channel ch, unsigned long long block, int count, const void *data)
{
    (void)ch, (void)block, (void)count, (void)data;
    return EXT2_ET_RO_FILSYS;
}

static errcode_t e_write_byte(io_channel ch, unsigned long off, int count, const void *data)
{
    (void)ch, (void)off, (void)count, (void)data;
    return EXT2_ET_RO_FILSYS;
}

static errcode_t e_flush(io_channel ch)
{
    (void)ch;
    return 0;
}

static errcode_t e_set_option(io_channel ch, const char *option, const char *arg)
{
    (void)ch, (void)option, (void)arg;
    return EXT2_ET_INVALID_ARGUMENT;
}

static errcode_t e_readahead(io_channel ch, unsigned long long block, unsigned long long count)
{
    const struct chan *c = ch->private_data;
    uint64_t bs = (uint64_t)ch->block_size;
    if (block <= (UINT64_MAX - c->start) / bs && count <= UINT64_MAX / bs)
        disk_map_advise(c->map, c->start + block * bs, count * bs);
    return 0;
}

static struct struct_io_manager manager = {
    .magic = EXT2_ET_MAGIC_IO_MANAGER,
    .name = "liftcheck disk map",
    .open = e_open,
    .close = e_close,
    .set_blksize = e_set_blksize,
    .read_blk = e_read,
    .write_blk = e_write,
    .flush = e_flush,
    .write_byte = e_write_byte,
    .set_option = e_set_option,
    .read_blk64 = e_read64,
    .write_blk64 = e_write64,
    .cache_readahead = e_readahead,
};

struct struct_io_manager *const ext_io_manager = &manager;
