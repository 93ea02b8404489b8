/* Which filesystems the host reads from a raw input disk itself: only
 * ext2/3/4 superblocks the appliance would see unchanged (no journal left
 * to replay, no data journaled by default), only on raw disks with nothing
 * below them, only at the places the probe's listing names.  The images
 * are made here with mkfs.ext4, debugfs and tune2fs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "inspector/direct_disks.h"

static char dir[64];

static void sh(const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    assert_int_equal(system(cmd), 0);
}

/* An ext4 image of 16 MiB at byte offset off of a file named name. */
static void make_image(char *path, size_t cap, const char *name, unsigned long off)
{
    snprintf(path, cap, "%s/%s", dir, name);
    sh("truncate -s %lu %s && mkfs.ext4 -q -F -E offset=%lu %s 16M >/dev/null 2>&1",
       off + (16ul << 20), path, off, path);
}

static struct disk raw_disk(char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (struct disk){.path = path, .format = "raw", .virtual_size = (uint64_t)st.st_size};
}

static size_t choose(struct disk *d, int n, const char *listing, struct vfs_direct_fs *out)
{
    return direct_disks_choose(d, n, listing, out, 8);
}

static void test_partition_found_at_its_offset(void **state)
{
    (void)state;
    char path[128];
    make_image(path, sizeof path, "part.img", 1ul << 20);
    struct disk d = raw_disk(path);
    struct vfs_direct_fs fs[8];
    /* Nothing at 0 (the partition table's place), the filesystem at 1 MiB. */
    size_t n = choose(&d, 1, "lcdiska 0\nlcdiska 1048576\n", fs);
    assert_int_equal(n, 1);
    assert_string_equal(fs[0].label, "lcdiska");
    assert_int_equal(fs[0].start, 1ul << 20);
    assert_int_equal(fs[0].disk_size, d.virtual_size);
    /* The UUID is the superblock's, as the probe reports it. */
    unsigned char sb[1024];
    assert_int_equal(pread(fs[0].fd, sb, sizeof sb, (1 << 20) + 1024), (ssize_t)sizeof sb);
    assert_memory_equal(fs[0].uuid, sb + 104, 16);
    unsigned char zero[16] = {0};
    assert_memory_not_equal(fs[0].uuid, zero, 16);
    direct_disks_close(fs, n);
}

static void test_only_raw_disks_without_backing(void **state)
{
    (void)state;
    char path[128];
    make_image(path, sizeof path, "whole.img", 0);
    struct vfs_direct_fs fs[8];
    struct disk d = raw_disk(path);
    size_t n = choose(&d, 1, "lcdiska 0\n", fs);
    assert_int_equal(n, 1);
    direct_disks_close(fs, n);
    d.format = "qcow2";
    assert_int_equal(choose(&d, 1, "lcdiska 0\n", fs), 0);
    d.format = "raw";
    d.backing_file = "/elsewhere";
    assert_int_equal(choose(&d, 1, "lcdiska 0\n", fs), 0);
}

static void test_labels_name_known_disks_only(void **state)
{
    (void)state;
    char path[128];
    make_image(path, sizeof path, "labels.img", 0);
    struct disk d = raw_disk(path);
    struct vfs_direct_fs fs[8];
    /* The second disk's label with one disk given; the probe's own disk;
     * other names; garbage; offsets past the end. */
    assert_int_equal(choose(&d, 1,
                            "lcdiskb 0\nlcprobe 0\nlcdisk 0\nlcdiskaa 0\nsda 0\n"
                            "lcdiska\n\n lcdiska x\nlcdiska 18446744073709551615\n"
                            "lcdiska 16777216\n",
                            fs),
                     0);
    assert_int_equal(choose(&d, 1, "", fs), 0);
}

/* An image changed by cmd (a format with %s for its path) is refused. */
static void assert_refused_after(const char *name, const char *cmd)
{
    char path[128];
    make_image(path, sizeof path, name, 0);
    sh(cmd, path);
    struct disk d = raw_disk(path);
    struct vfs_direct_fs fs[8];
    assert_int_equal(choose(&d, 1, "lcdiska 0\n", fs), 0);
}

static void test_journal_to_replay_is_refused(void **state)
{
    (void)state;
    /* As a snapshot of a mounted filesystem leaves it: the appliance
     * replays the journal into its overlay, which the host never sees. */
    assert_refused_after("dirty.img", "debugfs -w -R 'feature needs_recovery' %s >/dev/null 2>&1");
}

static void test_data_journaling_is_refused(void **state)
{
    (void)state;
    assert_refused_after("jdata.img", "tune2fs -o journal_data %s >/dev/null 2>&1");
}

static void test_superblock_checks(void **state)
{
    (void)state;
    unsigned char sb[1024] = {0}, uuid[16];
    assert_int_equal(direct_superblock_ok(sb, uuid), 0);        /* no magic */
    sb[56] = 0x53;
    sb[57] = 0xEF;
    memset(sb + 104, 0xab, 16);
    assert_int_equal(direct_superblock_ok(sb, uuid), 1);
    assert_int_equal(uuid[0], 0xab);
    sb[96] = 0x08;                                               /* journal device */
    assert_int_equal(direct_superblock_ok(sb, uuid), 0);
    sb[96] = 0x04;                                               /* needs recovery */
    assert_int_equal(direct_superblock_ok(sb, uuid), 0);
    sb[96] = 0x02;                                               /* filetype: fine */
    sb[256] = 0x60;                                              /* data=writeback */
    assert_int_equal(direct_superblock_ok(sb, uuid), 1);
    sb[256] = 0x20;                                              /* data=journal */
    assert_int_equal(direct_superblock_ok(sb, uuid), 0);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/liftcheck-direct-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sh("rm -rf %s", dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partition_found_at_its_offset),
        cmocka_unit_test(test_only_raw_disks_without_backing),
        cmocka_unit_test(test_labels_name_known_disks_only),
        cmocka_unit_test(test_journal_to_replay_is_refused),
        cmocka_unit_test(test_data_journaling_is_refused),
        cmocka_unit_test(test_superblock_checks),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
