/* Which filesystems the host reads from the input disks' files itself,
 * and that it reads them as qemu does: through our overlay (where the
 * appliance's writes, such as a replayed journal, land) onto the disk's
 * own file, at the places the probe's listing names, only where the
 * superblock seen that way shows nothing left to replay.  The images are
 * made here with mkfs.ext4, debugfs, tune2fs, qemu-img and qemu-io. */
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
#include "inspector/disk_map.h"
#include "staging.h"

#define FS_SIZE (16ul << 20)

static char dir[64];
static int overlays;

#define sh stage_sh

/* An ext4 image of 16 MiB at byte offset off of a file named name. */
static void make_image(char *path, size_t cap, const char *name, unsigned long off)
{
    snprintf(path, cap, "%s/%s", dir, name);
    sh("truncate -s %lu %s && mkfs.ext4 -q -F -E offset=%lu %s 16M >/dev/null 2>&1",
       off + FS_SIZE, path, off, path);
}

/* The disk as liftcheck prepares it: header read, overlay made. */
static struct disk prepared(const char *path, const char *fmt)
{
    struct disk d;
    struct lc_error err = {0};
    assert_int_equal(disk_prepare(&d, path, fmt, 0, &err), 0);
    assert_int_equal(disk_make_overlay(&d, dir, overlays++, &err), 0);
    return d;
}

static size_t choose(struct disk *d, int n, const char *listing, struct vfs_direct_fs *out)
{
    return direct_disks_choose(d, n, listing, out, 8);
}

/* Bytes [off, off + len) of a file. */
static unsigned char *file_bytes(const char *path, uint64_t off, size_t len)
{
    unsigned char *b = malloc(len);
    FILE *f = fopen(path, "rb");
    assert_non_null(b);
    assert_non_null(f);
    assert_int_equal(fseeko(f, (off_t)off, SEEK_SET), 0);
    assert_int_equal(fread(b, 1, len, f), len);
    fclose(f);
    return b;
}

/* The whole filesystem read through the map equals the raw image's bytes. */
static void assert_reads_as(const struct vfs_direct_fs *fs, const char *raw, uint64_t raw_off)
{
    unsigned char *want = file_bytes(raw, raw_off, FS_SIZE), *got = malloc(FS_SIZE);
    assert_non_null(got);
    assert_int_equal(disk_map_pread(fs->map, got, FS_SIZE, fs->start), 0);
    assert_memory_equal(got, want, FS_SIZE);
    free(want);
    free(got);
}

static void test_partition_found_at_its_offset(void **state)
{
    (void)state;
    char path[128];
    make_image(path, sizeof path, "part.img", 1ul << 20);
    struct disk d = prepared(path, "raw");
    struct vfs_direct_fs fs[8];
    /* Nothing at 0 (the partition table's place), the filesystem at 1 MiB. */
    size_t n = choose(&d, 1, "lcdiska 0\nlcdiska 1048576\n", fs);
    assert_int_equal(n, 1);
    assert_string_equal(fs[0].label, "lcdiska");
    assert_int_equal(fs[0].start, 1ul << 20);
    assert_int_equal(disk_map_size(fs[0].map), d.virtual_size);
    /* The UUID is the superblock's, as the probe reports it. */
    unsigned char *sb = file_bytes(path, (1 << 20) + 1024, 1024);
    assert_memory_equal(fs[0].uuid, sb + 104, 16);
    unsigned char zero[16] = {0};
    assert_memory_not_equal(fs[0].uuid, zero, 16);
    free(sb);
    assert_reads_as(&fs[0], path, 1ul << 20);
    /* Nothing past the disk's end. */
    unsigned char c;
    assert_int_equal(disk_map_pread(fs[0].map, &c, 1, d.virtual_size), -1);
    direct_disks_close(fs, n);
    disk_free(&d);
}

/* qcow2 (and vhd) disks are read at the offsets qemu gives for their
 * clusters; compressed clusters have none, nor have a vmdk's extents. */
static void test_image_formats(void **state)
{
    (void)state;
    char raw[128], img[160];
    make_image(raw, sizeof raw, "formats.img", 0);
    struct vfs_direct_fs fs[8];
    static const struct { const char *fmt, *opts; int chosen; } cases[] = {
        {"qcow2", "", 1}, {"vpc", "-o subformat=fixed", 1}, {"qcow2", "-c", 0}, {"vmdk", "", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(img, sizeof img, "%s/formats-%zu.%s", dir, i, cases[i].fmt);
        sh("qemu-img convert -f raw -O %s %s %s %s", cases[i].fmt, cases[i].opts, raw, img);
        struct disk d = prepared(img, cases[i].fmt);
        size_t n = choose(&d, 1, "lcdiska 0\n", fs);
        assert_int_equal(n, cases[i].chosen);
        if (n)
            assert_reads_as(&fs[0], raw, 0);
        direct_disks_close(fs, n);
        disk_free(&d);
    }
}

static void test_labels_name_known_disks_only(void **state)
{
    (void)state;
    char path[128];
    make_image(path, sizeof path, "labels.img", 0);
    struct disk d = prepared(path, "raw");
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
    /* Without its overlay qemu-img cannot map the disk: nothing is chosen
     * (the run says so and the appliance reads the files). */
    assert_int_equal(choose(&d, 1, "lcdiska 0\n", fs), 1);
    direct_disks_close(fs, 1);
    unlink(d.overlay);
    assert_int_equal(choose(&d, 1, "lcdiska 0\n", fs), 0);
    disk_free(&d);
}

/* An image changed by cmd (a format with %s for its path) is refused. */
static void assert_refused_after(const char *name, const char *cmd)
{
    char path[128];
    make_image(path, sizeof path, name, 0);
    sh(cmd, path);
    struct disk d = prepared(path, "raw");
    struct vfs_direct_fs fs[8];
    assert_int_equal(choose(&d, 1, "lcdiska 0\n", fs), 0);
    disk_free(&d);
}

static void test_journal_to_replay_is_read_as_replayed(void **state)
{
    (void)state;
    /* As a snapshot of a mounted filesystem leaves it.  Not replayed: the
     * host would read blocks the journal replaces. */
    char path[128];
    const char *dirty = "debugfs -w -R 'feature needs_recovery' %s >/dev/null 2>&1";
    assert_refused_after("dirty.img", dirty);
    /* Replayed by the appliance: its writes are in the overlay (here made
     * with qemu-io: the superblock without needs_recovery, and a block the
     * journal held), and the host reads them from there. */
    make_image(path, sizeof path, "replayed.img", 0);
    unsigned char *clean_sb = file_bytes(path, 1024, 1024);
    sh(dirty, path);
    struct disk d = prepared(path, "raw");
    char sbfile[160];
    snprintf(sbfile, sizeof sbfile, "%s/clean-sb", dir);
    FILE *f = fopen(sbfile, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(clean_sb, 1, 1024, f), 1024);
    fclose(f);
    sh("qemu-io -f qcow2 -c 'write -P 0x5a 8M 64k' %s >/dev/null", d.overlay);
    sh("qemu-io -f qcow2 -c 'write -s %s 1024 1024' %s >/dev/null", sbfile, d.overlay);
    struct vfs_direct_fs fs[8];
    size_t n = choose(&d, 1, "lcdiska 0\n", fs);
    assert_int_equal(n, 1);
    unsigned char *got = malloc(3u << 20);
    assert_non_null(got);
    assert_int_equal(disk_map_pread(fs[0].map, got, 3u << 20, (8u << 20) - (1u << 20)), 0);
    unsigned char *raw = file_bytes(path, (8u << 20) - (1u << 20), 3u << 20);
    for (size_t i = 0; i < (3u << 20); i++) {
        int in_overlay = i >= (1u << 20) && i < (1u << 20) + (64u << 10);
        if (got[i] != (in_overlay ? 0x5a : raw[i]))
            fail_msg("byte %zu: 0x%02x", i, got[i]);
    }
    free(got);
    free(raw);
    free(clean_sb);
    direct_disks_close(fs, n);
    disk_free(&d);
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
    return stage_tmpdir(dir, sizeof dir, "direct");
}

static int teardown(void **state)
{
    (void)state;
    return stage_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partition_found_at_its_offset),
        cmocka_unit_test(test_image_formats),
        cmocka_unit_test(test_labels_name_known_disks_only),
        cmocka_unit_test(test_journal_to_replay_is_read_as_replayed),
        cmocka_unit_test(test_data_journaling_is_refused),
        cmocka_unit_test(test_superblock_checks),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
