/* The file-tree snapshot written inside the appliance: its reader, and every
 * vfs call answered from it (lookups, walks with skips and limits, reads,
 * links, reads through extent maps from a disk the host reads), with an
 * empty in-memory tree as the live backend behind it.  That disk is 64 KiB,
 * labelled "lcdiska" at offset 0 with an all-zero UUID: a known pattern,
 * then zeros, then a part it cannot read (disk_map.h). */
#include "fuzz.h"
#include "inspector/disk_map.h"
#include "inspector/snapshot_header.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct seen {
    vfs *v;
    unsigned n;
};

static int each(const char *path, const struct vfs_stat *st, void *opaque)
{
    struct seen *s = opaque;
    unsigned char buf[256];
    char *target = NULL;
    struct vfs_stat again;

    fuzz_touch(path);
    if (vfs_lstat(s->v, path, &again) == 0 && again.type != st->type)
        abort();
    if (st->type == VFS_REG) {
        vfs_pread(s->v, path, buf, sizeof buf, 0);
        vfs_pread(s->v, path, buf, 64, st->size > 64 ? st->size - 64 : 0);
    }
    if (st->type == VFS_LNK && vfs_readlink(s->v, path, &target) == 0) {
        fuzz_touch(target);
        free(target);
    }
    /* Decline every third directory: the replay must skip its subtree. */
    return st->type == VFS_DIR && ++s->n % 3 == 0 ? 1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    struct lc_error err = {0};
    int fd = memfd_create("snapshot", 0);
    if (fd < 0)
        return 0;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    /* Every input carries this build's id, so that the seeds (written by
     * the probe of some earlier build) reach past the header's check. */
    size_t at = offsetof(struct snap_header, build_id);
    if (size >= at + SNAP_BUILD_ID_LEN &&
        pwrite(fd, snap_build_id(), strlen(snap_build_id()) + 1, (off_t)at) < 0)
        abort();
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    static int disk = -1;
    if (disk < 0) {
        static unsigned char pattern[64 << 10];
        for (size_t i = 0; i < sizeof pattern; i++)
            pattern[i] = (unsigned char)(i * 7 + (i >> 8));
        disk = memfd_create("disk", 0);
        if (disk < 0 || write(disk, pattern, sizeof pattern) != (ssize_t)sizeof pattern)
            abort();
    }
    /* The disk as the host reads it: the first half from the file, then
     * zeros, then a part qemu gives no offset for (a compressed cluster). */
    static struct disk_map *map;
    if (!map) {
        const char *json =
            "[{ \"start\": 0, \"length\": 32768, \"depth\": 1, \"present\": true, "
            "\"zero\": false, \"data\": true, \"offset\": 0},\n"
            "{ \"start\": 32768, \"length\": 16384, \"depth\": 1, \"present\": true, "
            "\"zero\": true, \"data\": false, \"offset\": 32768},\n"
            "{ \"start\": 49152, \"length\": 16384, \"depth\": 0, \"present\": true, "
            "\"zero\": false, \"data\": true}]\n";
        int fds[2] = {-1, disk};
        if (!(map = disk_map_parse(json, 64 << 10, fds, 2)))
            abort();
    }
    struct vfs_direct_fs direct = {.label = "lcdiska", .map = map};
    vfs *live = memvfs_new();
    vfs *v = vfs_snapshot_open_at(live, path, 0, &direct, 1, &err);
    close(fd);
    if (!v) {
        fuzz_touch(err.msg);
        vfs_close(live);
        return 0;
    }
    struct seen s = {v, 0};
    struct vfs_walk_limits lim = {4, 1000};
    vfs_walk(v, "/", NULL, each, &s, NULL);
    vfs_walk(v, "/", &lim, each, &s, NULL);
    char **names = NULL;
    if (vfs_list(v, "/", &names) == 0) {
        for (size_t i = 0; names[i]; i++) {
            char sub[4096];
            snprintf(sub, sizeof sub, "/%s", names[i]);
            vfs_walk(v, sub, NULL, each, &s, NULL);
        }
        vfs_free_names(names);
    }
    struct vfs_stat st;
    vfs_lstat(v, "/missing/name", &st);
    vfs_close(v);
    return 0;
}
