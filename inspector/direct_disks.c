#include "direct_disks.h"

#include "image.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* ext2/3/4 superblock fields (Documentation/filesystems/ext4/super.rst). */
#define SB_MAGIC_AT 56
#define SB_MAGIC 0xEF53
#define SB_INCOMPAT_AT 96
#define SB_UUID_AT 104
#define SB_DEFAULT_MOUNT_AT 256
#define INCOMPAT_RECOVER 0x0004u        /* the journal holds unreplayed changes */
#define INCOMPAT_JOURNAL_DEV 0x0008u    /* an external journal, not a filesystem */
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

/* The input disk a label names (image.h), if the host can read it as the
 * appliance does: raw, with nothing below it. */
static const struct disk *raw_disk(const struct disk *disks, int ndisks, const char *label)
{
    size_t pl = strlen(DISK_LABEL_PREFIX);
    if (strncmp(label, DISK_LABEL_PREFIX, pl) || !label[pl] || label[pl + 1])
        return NULL;
    int i = label[pl] - 'a';
    if (i < 0 || i >= ndisks || i >= 26)
        return NULL;
    const struct disk *d = &disks[i];
    return d->format && !strcmp(d->format, "raw") && !d->backing_file ? d : NULL;
}

size_t direct_disks_choose(const struct disk *disks, int ndisks, const char *listing,
                           struct vfs_direct_fs *out, size_t cap)
{
    size_t n = 0;
    for (const char *line = listing; line && *line && n < cap;) {
        const char *nl = strchr(line, '\n');
        char label[32];
        unsigned long long start;
        char buf[128];
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf ? len : sizeof buf - 1), line);
        line = nl ? nl + 1 : NULL;
        if (sscanf(buf, "%31s %llu", label, &start) != 2)
            continue;
        const struct disk *d = raw_disk(disks, ndisks, label);
        if (!d || start > d->virtual_size || d->virtual_size - start < 2048)
            continue;
        int fd = open(d->path, O_RDONLY | O_CLOEXEC);
        unsigned char sb[1024];
        struct vfs_direct_fs *f = &out[n];
        if (fd < 0)
            continue;
        if (pread(fd, sb, sizeof sb, (off_t)(start + 1024)) != (ssize_t)sizeof sb ||
            !direct_superblock_ok(sb, f->uuid)) {
            close(fd);
            continue;
        }
        snprintf(f->label, sizeof f->label, "%s", label);
        f->start = start;
        f->fd = fd;
        f->disk_size = d->virtual_size;
        n++;
    }
    return n;
}

void direct_disks_close(struct vfs_direct_fs *fs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fs[i].fd >= 0)
            close(fs[i].fd);
}
