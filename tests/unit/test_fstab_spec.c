#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "common/fstab_spec.h"

static const struct fs_ident fss[] = {
    {"/dev/sda1", "0a1b-2c3d", "EFI", "11111111-01"},
    {"/dev/sda2", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "rootfs", "11111111-02"},
    {"/dev/sdb1", "ffffffff-0000-1111-2222-333333333333", NULL, NULL},
    {"/dev/my-vg/root", "12345678-1234-1234-1234-123456789abc", NULL, NULL},
    {"/dev/md127", NULL, "raid", NULL},
};
#define N (sizeof fss / sizeof fss[0])

static void test_keyed_specs(void **state)
{
    (void)state;
    assert_int_equal(fstab_spec_match("UUID=AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE", fss, N), 1);
    assert_int_equal(fstab_spec_match("UUID=\"0a1b-2c3d\"", fss, N), 0);
    assert_int_equal(fstab_spec_match("LABEL=rootfs", fss, N), 1);
    assert_int_equal(fstab_spec_match("LABEL=ROOTFS", fss, N), -1);   /* labels are case-sensitive */
    assert_int_equal(fstab_spec_match("PARTUUID=11111111-01", fss, N), 0);
    assert_int_equal(fstab_spec_match("/dev/disk/by-uuid/ffffffff-0000-1111-2222-333333333333", fss, N), 2);
    assert_int_equal(fstab_spec_match("/dev/disk/by-label/raid", fss, N), 4);
    assert_int_equal(fstab_spec_match("UUID=nope", fss, N), -1);
}

static void test_device_names(void **state)
{
    (void)state;
    /* Old names of the same disks map by position. */
    assert_int_equal(fstab_spec_match("/dev/xvda2", fss, N), 1);
    assert_int_equal(fstab_spec_match("/dev/hda1", fss, N), 0);
    assert_int_equal(fstab_spec_match("/dev/vdb1", fss, N), 2);
    assert_int_equal(fstab_spec_match("/dev/nvme0n1p2", fss, N), 1);
    assert_int_equal(fstab_spec_match("/dev/nvme1n1p1", fss, N), 2);
    assert_int_equal(fstab_spec_match("/dev/mapper/my--vg-root", fss, N), 3);
    assert_int_equal(fstab_spec_match("/dev/my-vg/root", fss, N), 3);
    assert_int_equal(fstab_spec_match("/dev/md127", fss, N), 4);
    assert_int_equal(fstab_spec_match("/dev/sdz9", fss, N), -1);
    assert_int_equal(fstab_spec_match("/dev/xvd", fss, N), -1);
    assert_int_equal(fstab_spec_match("tmpfs", fss, N), -1);
}

static void test_raid_controller_names(void **state)
{
    (void)state;
    /* the logical drive is the disk's position; the controller is dropped */
    assert_int_equal(fstab_spec_match("/dev/cciss/c0d0p2", fss, N), 1);
    assert_int_equal(fstab_spec_match("/dev/cciss/c1d0p1", fss, N), 0);
    assert_int_equal(fstab_spec_match("/dev/ida/c0d1p1", fss, N), 2);
    assert_int_equal(fstab_spec_match("/dev/rd/c0d0p2", fss, N), 1);
    assert_int_equal(fstab_spec_match("/dev/cciss/c0d1", fss, N), -1);   /* no whole-disk fs */
    assert_int_equal(fstab_spec_match("/dev/cciss/c0d0p", fss, N), -1);
    assert_int_equal(fstab_spec_match("/dev/cciss/c0d0p0", fss, N), -1);
    assert_int_equal(fstab_spec_match("/dev/cciss/c0d0p2x", fss, N), -1);
    assert_int_equal(fstab_spec_match("/dev/cciss/c0d26p1", fss, N), -1);
    assert_int_equal(fstab_spec_match("/dev/cciss/c0d0001p1", fss, N), -1);
    assert_int_equal(fstab_spec_match("/dev/cciss/cd0p1", fss, N), -1);
    assert_int_equal(fstab_spec_match("/dev/cciss/c0 d0p1", fss, N), -1);
}

static void test_split(void **state)
{
    (void)state;
    char line[] = "  LABEL=my\\040disk\t/mnt/with\\040space  ext4 defaults,nofail 0 2";
    char *f[4];
    assert_int_equal(fstab_split(line, f), 4);
    assert_string_equal(f[0], "LABEL=my disk");
    assert_string_equal(f[1], "/mnt/with space");
    assert_string_equal(f[2], "ext4");
    assert_string_equal(f[3], "defaults,nofail");
    char c[] = "   # a comment";
    assert_int_equal(fstab_split(c, f), 0);
    char z[] = "/dev/x \\000 ext4";
    assert_int_equal(fstab_split(z, f), 3);
    assert_string_equal(f[1], "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keyed_specs),
        cmocka_unit_test(test_device_names),
        cmocka_unit_test(test_raid_controller_names),
        cmocka_unit_test(test_split),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
