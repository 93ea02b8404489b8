#include "direct_disks.h"

#include "disk_map.h"
#include "image.h"
#include "util/progress.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* ext2/3/4 superblock fields (Documentation/filesystems/ext4/super.rst). */
#define SB_BLOCKS_LO_AT 4
#define SB_LOG_BLOCK_SIZE_AT 24
#define SB_MAGIC_AT 56
#define SB_MAGIC 0xEF53
#define SB_INCOMPAT_AT 96
#define SB_UUID_AT 104
#define SB_DEFAULT_MOUNT_AT 256
#define SB_BLOCKS_HI_AT 336
#define INCOMPAT_RECOVER 0x0004u        /* the journal holds unreplayed changes */
#define INCOMPAT_JOURNAL_DEV 0x0008u    /* an external journal, not a filesystem */
#define INCOMPAT_64BIT 0x0080u
#define DEFM_JMODE 0x0060u
#define DEFM_JMODE_DATA 0x0020u         /* data=journal by default */

static uint32_t le(const unsigned char *p, int bytes)
{
    uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

int direct_superblock_ok(const unsigned char sb[1024], unsigned char uuid[16])
{
    if (le(sb + SB_MAGIC_AT, 2) != SB_MAGIC)
        return 0;
    uint32_t incompat = le(sb + SB_INCOMPAT_AT, 4);
    if (incompat & (INCOMPAT_RECOVER | INCOMPAT_JOURNAL_DEV))
        return 0;
    if ((le(sb + SB_DEFAULT_MOUNT_AT, 4) & DEFM_JMODE) == DEFM_JMODE_DATA)
        return 0;
    memcpy(uuid, sb + SB_UUID_AT, 16);
    return 1;
}

/* The input disk a label names (image.h). */
static int disk_index(int ndisks, const char *label)
{
    size_t pl = strlen(DISK_LABEL_PREFIX);
    if (strncmp(label, DISK_LABEL_PREFIX, pl) || !label[pl] || label[pl + 1])
        return -1;
    int i = label[pl] - 'a';
    return i >= 0 && i < ndisks && i < 26 ? i : -1;
}

/* Bytes the filesystem spans, from its superblock; 0 if absurd. */
static uint64_t fs_bytes(const unsigned char sb[1024])
{
    uint32_t log = le(sb + SB_LOG_BLOCK_SIZE_AT, 4);
    uint64_t blocks = le(sb + SB_BLOCKS_LO_AT, 4);
    if (le(sb + SB_INCOMPAT_AT, 4) & INCOMPAT_64BIT)
        blocks |= (uint64_t)le(sb + SB_BLOCKS_HI_AT, 4) << 32;
    if (log > 6 || blocks > UINT64_MAX >> (10 + log))
        return 0;
    return blocks << (10 + log);
}

size_t direct_disks_choose(const struct disk *disks, int ndisks, const char *listing,
                           struct vfs_direct_fs *out, size_t cap)
{
    struct disk_map *maps[26] = {NULL};
    int tried[26] = {0};
    size_t n = 0;
    for (const char *line = listing; line && *line && n < cap;) {
        const char *nl = strchr(line, '\n');
        char label[32];
        unsigned long long start;
        char buf[128];
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf ? len : sizeof buf - 1), line);
        line = nl ? nl + 1 : NULL;
        int i;
        if (!strncmp(buf, "mount ", 6))
            continue;               /* what is mounted where: host_tree.h */
        if (sscanf(buf, "%31s %llu", label, &start) != 2 || (i = disk_index(ndisks, label)) < 0)
            continue;
        if (!tried[i]) {
            struct lc_error err = {0};
            tried[i] = 1;
            if (!(maps[i] = disk_map_of(&disks[i], &err)))
                notice("%s: the appliance reads its files (slower): %s", disks[i].path, err.msg);
        }
        unsigned char sb[1024];
        struct vfs_direct_fs *f = &out[n];
        if (!maps[i] || start > disks[i].virtual_size ||
            disk_map_pread(maps[i], sb, sizeof sb, start + 1024) < 0 ||
            !direct_superblock_ok(sb, f->uuid) || !fs_bytes(sb) ||
            !disk_map_readable(maps[i], start, fs_bytes(sb)))
            continue;
        snprintf(f->label, sizeof f->label, "%s", label);
        f->start = start;
        f->map = disk_map_ref(maps[i]);
        n++;
    }
    for (int i = 0; i < 26; i++)
        disk_map_unref(maps[i]);
    return n;
}

void direct_disks_close(struct vfs_direct_fs *fs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        disk_map_unref(fs[i].map);
}
