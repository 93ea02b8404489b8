/* mdadm.conf ARRAY lines as Debian and RHEL write them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "inspector/mdadm_conf.h"

static void test_debian(void **state)
{
    (void)state;
    struct md_conf_array a[4];
    const char *conf =
        "# definitions of existing MD arrays\n"
        "HOMEHOST <system>\nMAILADDR root\n"
        "ARRAY /dev/md/0  metadata=1.2 UUID=3aaa0122:29827cfa:5331ad66:ca767371 name=web01:0\n"
        "ARRAY /dev/md/boot metadata=1.2 name=web01:boot\n"
        "   UUID=5BBB0122:29827cfa:5331ad66:ca767371\n"
        "#ARRAY /dev/md9 UUID=00000000:00000000:00000000:00000000\n"
        "ARRAY <ignore> UUID=6ccc0122:29827cfa:5331ad66:ca767371\n";
    assert_int_equal(mdadm_conf_parse(conf, a, 4), 3);
    assert_string_equal(a[0].devname, "/dev/md/0");
    assert_string_equal(a[0].uuid, "3aaa012229827cfa5331ad66ca767371");
    assert_string_equal(a[0].name, "web01:0");
    /* continued on the next line, upper-case hex */
    assert_string_equal(a[1].devname, "/dev/md/boot");
    assert_string_equal(a[1].uuid, "5bbb012229827cfa5331ad66ca767371");
    assert_string_equal(a[2].devname, "");
    assert_string_equal(a[2].uuid, "6ccc012229827cfa5331ad66ca767371");
}

static void test_rhel6_and_caps(void **state)
{
    (void)state;
    struct md_conf_array a[1];
    const char *conf =
        "ARRAY /dev/md0 level=raid1 num-devices=2 UUID=a1b2c3d4:e5f60718:293a4b5c:6d7e8f90\n"
        "ARRAY /dev/md1 level=raid1 num-devices=2 UUID=b1b2c3d4:e5f60718:293a4b5c:6d7e8f90\n";
    assert_int_equal(mdadm_conf_parse(conf, a, 1), 1);
    assert_string_equal(a[0].devname, "/dev/md0");
    char hex[33];
    assert_int_equal(md_uuid_hex("a1b2c3d4-e5f6-0718-293a-4b5c6d7e8f90", hex), 0);
    assert_string_equal(hex, a[0].uuid);
    assert_int_equal(md_uuid_hex("a1b2c3d4", hex), -1);
    assert_int_equal(md_uuid_hex("a1b2c3d4:e5f60718:293a4b5c:6d7e8f90:00", hex), -1);
    assert_int_equal(md_uuid_hex("z1b2c3d4:e5f60718:293a4b5c:6d7e8f90", hex), -1);
    /* a bad UUID is dropped, the line still names its array */
    assert_int_equal(mdadm_conf_parse("ARRAY /dev/md2 UUID=xyz\n", a, 1), 1);
    assert_string_equal(a[0].uuid, "");
    assert_int_equal(mdadm_conf_parse("ARRAYS /dev/md3\nARRAY\n", a, 1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_debian),
        cmocka_unit_test(test_rhel6_and_caps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
