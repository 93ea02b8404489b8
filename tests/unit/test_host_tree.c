/* The file tree read on the host from ext2/3/4 metadata through a disk's
 * map must be the tree the filesystems were made from: every name (hostile
 * ones too), type, mode, size, link target and byte, across a mount point,
 * with no help from the live backend (here an empty directory, which
 * answers nothing).  Where the host cannot read the tree as a kernel would,
 * it must say so and leave it to the appliance.  The disk is made here with
 * mkfs.ext4 -d: the root at 0, /boot at 64 MiB. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "inspector/direct_disks.h"
#include "inspector/disk_map.h"
#include "inspector/host_tree.h"
#include "inspector/snapshot_header.h"
#include "common/vfs.h"
#include "staging.h"

#define BOOT_AT (64ul << 20)
#define ROOT_DEV 64769
#define BOOT_DEV 64770

static char dir[64];

static char tree[128];

#define sh stage_sh
#define put(rel, data, len) stage_put(tree, rel, data, len)
#define mk(rel, mode) stage_dir(tree, rel, mode)
#define link_to(target, rel) stage_link(tree, target, rel)

/* The tree: /boot on its own filesystem, the rest on the root's. */
static void stage(void)
{
    static char big[300000];
    snprintf(tree, sizeof tree, "%s/tree", dir);
    mk("", 0750);
    mk("/etc", 0750);
    mk("/bin", 0750);
    /* The mount point shows the root of /boot's filesystem (0755 from mkfs). */
    mk("/boot", 0755);
    mk("/boot/grub", 0750);
    mk("/deep", 0750);
    /* mkfs makes one on each filesystem, mode 0700. */
    mk("/lost+found", 0700);
    mk("/boot/lost+found", 0700);
    put("/etc/hostname", "web01\n", 6);
    put("/etc/empty", "", 0);
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)(i * 7 + i / 4096);
    put("/bin/prog", big, sizeof big);
    put("/bin/name with space", "x", 1);
    put("/bin/new\nline", "y", 1);
    put("/bin/\xff\xfe bytes", "z", 1);
    link_to("prog", "/bin/fast-link");
    link_to("/a/target/longer/than/sixty/bytes/so/it/lives/in/a/block/of/its/own/x",
            "/bin/slow-link");
    char p[512], q[512];
    snprintf(p, sizeof p, "%s/tree/bin/prog", dir);
    snprintf(q, sizeof q, "%s/tree/bin/hard", dir);
    assert_int_equal(link(p, q), 0);
    put("/boot/vmlinuz-6.1", big, 100000);
    put("/boot/grub/grub.cfg", "set default=0\n", 14);
    char rel[256] = "/deep";
    for (int i = 0; i < 20; i++) {
        strcat(rel, "/d");
        mk(rel, 0750);
    }
    /* A sparse file: its hole reads as zeros. */
    snprintf(p, sizeof p, "%s/tree/etc/sparse", dir);
    sh("truncate -s 1M '%s' && printf tail >> '%s'", p, p);
}

/* The disk: the root filesystem (without /boot's files) at 0, /boot at
 * BOOT_AT, as one raw file with its overlay, like liftcheck prepares it. */
static struct disk make_disk(const char *features)
{
    struct disk d;
    struct lc_error err = {0};
    sh("rm -rf %s/rootfs %s/disk.img %s/disk.qcow2 && cp -a %s/tree %s/rootfs && "
       "rm -rf %s/rootfs/boot/* && truncate -s 96M %s/disk.img && "
       "mkfs.ext4 -q -F -b 1024 %s -d %s/rootfs %s/disk.img 64M >/dev/null 2>&1 && "
       "mkfs.ext4 -q -F -E offset=%lu -d %s/tree/boot %s/disk.img 32M >/dev/null 2>&1",
       dir, dir, dir, dir, dir, dir, dir, features, dir, dir, BOOT_AT, dir, dir);
    char path[128];
    snprintf(path, sizeof path, "%s/disk.img", dir);
    assert_int_equal(disk_prepare(&d, path, "raw", 0, &err), 0);
    assert_int_equal(disk_make_overlay(&d, dir, 0, &err), 0);
    return d;
}

static const char *listing(const char *root_type, const char *boot_type)
{
    static char buf[512];
    snprintf(buf, sizeof buf,
             "lcdiska 0\nlcdiska %lu\n"
             "mount %d %s lcdiska 0 /\nmount %d %s lcdiska %lu /boot\n",
             BOOT_AT, ROOT_DEV, root_type, BOOT_DEV, boot_type, BOOT_AT);
    return buf;
}

/* The host's snapshot into file, each foreign subtree snapshotted by the
 * probe (LIFTCHECK_PROBE) over its staged directory, as it would be in
 * the appliance.  host_tree_write's result, 0 when no plan was made. */
static int host_snapshot(const char *l, const struct vfs_direct_fs *fs, size_t n,
                         const char *file, struct lc_error *why, size_t *foreign)
{
    struct host_tree *h = host_tree_plan(l, fs, n, why);
    assert_non_null(getenv("LIFTCHECK_PROBE"));     /* set by meson */
    *foreign = h ? host_tree_foreign_count(h) : 0;
    for (size_t i = 0; i < *foreign; i++) {
        const char *path;
        unsigned depth;
        host_tree_foreign(h, i, &path, &depth);
        assert_int_equal(depth, VFS_WALK_DEFAULT_DEPTH - 1);
        sh("%s --max-depth %u '%s%s' %s/foreign.snap 0 1073741824 >/dev/null",
           getenv("LIFTCHECK_PROBE"), depth, tree, path, dir);
        char sub[128];
        snprintf(sub, sizeof sub, "%s/foreign.snap", dir);
        assert_int_equal(host_tree_add_foreign(h, i, sub, 0, why), 0);
    }
    int r = h ? host_tree_write(h, file, 1u << 30, why) : 0;
    host_tree_free(h);
    return r;
}

struct entry {
    char path[300];
    struct vfs_stat st;
};

struct listing_of {
    struct entry e[200];
    size_t n;
};

static int collect(const char *path, const struct vfs_stat *st, void *opaque)
{
    struct listing_of *l = opaque;
    assert_true(l->n < 200);
    snprintf(l->e[l->n].path, sizeof l->e[l->n].path, "%s", path);
    l->e[l->n++].st = *st;
    return 0;
}

static void walk(vfs *v, struct listing_of *l)
{
    struct vfs_walk_limits lim = {0, 0};
    struct vfs_walk_result res;
    l->n = 0;
    assert_int_equal(vfs_walk(v, "/", &lim, collect, l, &res), 0);
    assert_int_equal(res.errors, 0);
}

/* Every entry of want is in got with the same type, mode, size, target
 * and bytes, read through v (but for files under a foreign /boot, whose
 * bytes the probe reads only in part).  The count of regular files outside
 * it. */
static size_t assert_same_tree(vfs *v, vfs *staged, int foreign_boot)
{
    size_t files = 0;
    struct listing_of *got = calloc(1, sizeof *got), *want = calloc(1, sizeof *want);
    assert_non_null(got);
    assert_non_null(want);
    walk(v, got);
    walk(staged, want);
    assert_int_equal(got->n, want->n);
    for (size_t i = 0; i < want->n; i++) {
        const struct entry *w = &want->e[i], *g = &got->e[i];
        assert_string_equal(g->path, w->path);
        if (g->st.mode != w->st.mode)
            fprintf(stderr, "%s: mode %o, staged %o\n", g->path, g->st.mode, w->st.mode);
        assert_int_equal(g->st.type, w->st.type);
        assert_int_equal(g->st.mode, w->st.mode);
        if (w->st.type == VFS_DIR)
            continue;
        int on_boot = !strncmp(w->path, "/boot/", 6);
        files += w->st.type == VFS_REG && !(on_boot && foreign_boot);
        assert_int_equal(g->st.size, w->st.size);
        assert_int_equal(g->st.nlink, w->st.nlink);
        if (w->st.type == VFS_LNK) {
            char *a = NULL, *b = NULL;
            assert_int_equal(vfs_readlink(v, g->path, &a), 0);
            assert_int_equal(vfs_readlink(staged, w->path, &b), 0);
            assert_string_equal(a, b);
            free(a);
            free(b);
        } else if (w->st.type == VFS_REG && w->st.size && !(on_boot && foreign_boot)) {
            char *a = malloc(w->st.size), *b = malloc(w->st.size);
            assert_non_null(a);
            assert_non_null(b);
            assert_int_equal(vfs_pread(v, g->path, a, w->st.size, 0), (ssize_t)w->st.size);
            assert_int_equal(vfs_pread(staged, w->path, b, w->st.size, 0),
                             (ssize_t)w->st.size);
            assert_memory_equal(a, b, w->st.size);
            free(a);
            free(b);
        }
    }
    /* /boot's files are on the other filesystem, the mount point too (a
     * foreign one's as the probe saw them: the staged directory's). */
    uint64_t boot_dev = 0;
    for (size_t i = 0; i < got->n; i++) {
        const struct entry *g = &got->e[i];
        if (strncmp(g->path, "/boot", 5)) {
            assert_int_equal(g->st.dev, ROOT_DEV);
            continue;
        }
        if (!boot_dev)
            boot_dev = g->st.dev;
        assert_int_equal(g->st.dev, boot_dev);
    }
    assert_int_equal(boot_dev == BOOT_DEV, !foreign_boot);
    free(got);
    free(want);
    return files;
}

/* The host's snapshot of the staged disk (/boot's filesystem of type
 * boot_type) into file, its n direct filesystems into fs[8]; how many
 * subtrees it left to the probe. */
static size_t write_snapshot(struct disk *d, const char *boot_type, struct vfs_direct_fs *fs,
                             size_t *n, char *file, size_t cap)
{
    const char *l = listing("ext4", boot_type);
    struct lc_error why = {0};
    size_t foreign;
    *d = make_disk("");
    *n = direct_disks_choose(d, 1, l, fs, 8);
    assert_int_equal(*n, 2);
    snprintf(file, cap, "%s/snapshot", dir);
    assert_int_equal(host_snapshot(l, fs, *n, file, &why, &foreign), 1);
    return foreign;
}

/* An empty directory as the live backend: it answers nothing. */
static vfs *empty_live(void)
{
    char empty[128];
    snprintf(empty, sizeof empty, "%s/empty", dir);
    mkdir(empty, 0700);
    vfs *live = vfs_dir_open(empty);
    assert_non_null(live);
    return live;
}

/* The snapshot's tree is the staged one; foreign_boot: /boot's type. */
static void check_tree(const char *boot_type, size_t want_foreign)
{
    struct disk d;
    struct vfs_direct_fs fs[8];
    size_t n;
    char file[128], staged_root[128];
    struct lc_error why = {0};
    size_t foreign = write_snapshot(&d, boot_type, fs, &n, file, sizeof file);
    assert_int_equal(foreign, want_foreign);
    vfs *v = vfs_snapshot_open_at(empty_live(), file, 0, fs, n, &why);
    assert_non_null(v);
    struct vfs_snapshot_info info;
    vfs_snapshot_info(v, &info);
    assert_true(info.complete);
    snprintf(staged_root, sizeof staged_root, "%s/tree", dir);
    vfs *staged = vfs_dir_open(staged_root);
    assert_non_null(staged);
    assert_int_equal(info.direct_files, assert_same_tree(v, staged, foreign != 0));
    if (!foreign) {
        assert_int_equal(info.dirs, info.dirs_from_metadata);
        assert_int_equal(info.ranges, 0);   /* the host reads every file itself */
    } else {
        assert_true(info.ranges > 0);       /* /boot's heads, read by the probe */
    }
    vfs_close(staged);
    vfs_close(v);
    direct_disks_close(fs, n);
    disk_free(&d);
}

static void test_tree_as_staged(void **state)
{
    (void)state;
    check_tree("ext4", 0);
}

/* /boot on a filesystem the host cannot read (an EFI partition's vfat):
 * the probe's snapshot of it is spliced in at the mount point. */
static void test_foreign_subtree_spliced(void **state)
{
    (void)state;
    check_tree("vfat", 1);
}

/* A root the host cannot read, or an entry only the kernel can read (an
 * inline-data symlink), leave the whole tree to the appliance, saying
 * why. */
static void test_left_to_the_appliance(void **state)
{
    (void)state;
    struct disk d = make_disk("");
    struct vfs_direct_fs fs[8];
    char file[128];
    struct lc_error why = {0};
    size_t foreign;
    snprintf(file, sizeof file, "%s/snapshot", dir);
    size_t n = direct_disks_choose(&d, 1, listing("ext4", "ext4"), fs, 8);
    assert_int_equal(n, 2);
    assert_int_equal(host_snapshot(listing("xfs", "ext4"), fs, n, file, &why, &foreign), 0);
    assert_non_null(strstr(why.msg, "root filesystem is xfs"));
    assert_int_equal(why.code, -ENOTSUP);
    /* No mount lines: an appliance that listed none. */
    assert_int_equal(host_snapshot("lcdiska 0\n", fs, n, file, &why, &foreign), 0);
    assert_non_null(strstr(why.msg, "no root"));
    /* A plan whose foreign subtree never came. */
    struct host_tree *h = host_tree_plan(listing("ext4", "vfat"), fs, n, &why);
    assert_non_null(h);
    lc_error_clear(&why);
    assert_int_equal(host_tree_write(h, file, 1u << 30, &why), 0);
    assert_non_null(strstr(why.msg, "missing"));
    assert_int_equal(why.code, 0);
    host_tree_free(h);
    direct_disks_close(fs, n);
    disk_free(&d);

    d = make_disk("-O inline_data");
    n = direct_disks_choose(&d, 1, listing("ext4", "ext4"), fs, 8);
    assert_int_equal(n, 2);
    assert_int_equal(host_snapshot(listing("ext4", "ext4"), fs, n, file, &why, &foreign), 0);
    assert_non_null(strstr(why.msg, "only the kernel"));
    direct_disks_close(fs, n);
    disk_free(&d);
}

/* A snapshot from a probe of another build (its parser may read the guest
 * differently) is refused, naming both builds' ids: the run then reads file
 * by file instead of trusting it. */
static void test_stale_probe_refused(void **state)
{
    (void)state;
    struct disk d;
    struct vfs_direct_fs fs[8];
    size_t n;
    char file[128];
    struct lc_error why = {0};
    assert_int_equal(write_snapshot(&d, "ext4", fs, &n, file, sizeof file), 0);

    /* As written: this build's id, accepted. */
    vfs *v = vfs_snapshot_open_at(empty_live(), file, 0, fs, n, &why);
    assert_non_null(v);
    vfs_close(v);        /* and its live backend with it */

    static const char other[SNAP_BUILD_ID_LEN] = "0123456789abcdef";
    int fd = open(file, O_WRONLY);
    assert_true(fd >= 0);
    assert_int_equal(pwrite(fd, other, sizeof other, offsetof(struct snap_header, build_id)),
                     (ssize_t)sizeof other);
    close(fd);
    vfs *live = empty_live();
    assert_null(vfs_snapshot_open_at(live, file, 0, fs, n, &why));
    assert_non_null(strstr(why.msg, "id 0123456789abcdef"));
    assert_non_null(strstr(why.msg, snap_build_id()));

    /* One written before the header carried an id. */
    static const char none[SNAP_BUILD_ID_LEN];
    fd = open(file, O_WRONLY);
    assert_true(fd >= 0);
    assert_int_equal(pwrite(fd, none, sizeof none, offsetof(struct snap_header, build_id)),
                     (ssize_t)sizeof none);
    close(fd);
    assert_null(vfs_snapshot_open_at(live, file, 0, fs, n, &why));
    assert_non_null(strstr(why.msg, "(id none)"));
    vfs_close(live);     /* a refused snapshot leaves it to the caller */
    direct_disks_close(fs, n);
    disk_free(&d);
}

static int setup(void **state)
{
    (void)state;
    if (stage_tmpdir(dir, sizeof dir, "host-tree") < 0)
        return -1;
    stage();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return stage_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree_as_staged),
        cmocka_unit_test(test_foreign_subtree_spliced),
        cmocka_unit_test(test_left_to_the_appliance),
        cmocka_unit_test(test_stale_probe_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
