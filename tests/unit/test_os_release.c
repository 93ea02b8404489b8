#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "inspector/os_release.h"

static void test_amazon_linux_2(void **state)
{
    (void)state;
    struct os_info o = {0};
    assert_int_equal(os_release_parse(
        "NAME=\"Amazon Linux\"\nVERSION=\"2\"\nID=\"amzn\"\nID_LIKE=\"centos rhel fedora\"\n"
        "VERSION_ID=\"2\"\nPRETTY_NAME=\"Amazon Linux 2\"\n", &o), 0);
    assert_string_equal(o.distro, "amazonlinux");
    assert_string_equal(o.version, "2");
    assert_int_equal(o.major, 2);
    assert_int_equal(o.minor, 0);
    assert_string_equal(o.product_name, "Amazon Linux 2");
    assert_string_equal(os_package_format(o.distro), "rpm");
    os_info_free(&o);
}

static void test_oracle_alma_rocky(void **state)
{
    (void)state;
    struct os_info o = {0};
    assert_int_equal(os_release_parse("ID=\"ol\"\nVERSION_ID=\"8.9\"\n", &o), 0);
    assert_string_equal(o.distro, "oraclelinux");
    assert_int_equal(o.major, 8);
    assert_int_equal(o.minor, 9);
    os_info_free(&o);
    assert_int_equal(os_release_parse("ID='almalinux'\nVERSION_ID='8.10'\r\n", &o), 0);
    assert_string_equal(o.distro, "almalinux");
    assert_int_equal(o.minor, 10);
    os_info_free(&o);
    assert_int_equal(os_release_parse_rhel_line("Rocky Linux release 9.3 (Blue Onyx)\n", &o), 0);
    assert_string_equal(o.distro, "rocky");
    assert_string_equal(o.version, "9.3");
    assert_string_equal(o.product_name, "Rocky Linux release 9.3 (Blue Onyx)");
    os_info_free(&o);
    assert_int_equal(os_release_parse_rhel_line("CentOS release 6.10 (Final)", &o), 0);
    assert_string_equal(o.distro, "centos");
    assert_int_equal(o.major, 6);
    os_info_free(&o);
}

static void test_garbage(void **state)
{
    (void)state;
    struct os_info o = {0};
    assert_int_equal(os_release_parse("# only a comment\n=\n==\nVERSION_ID=\n", &o), -1);
    assert_null(o.distro);
    assert_int_equal(os_release_parse_rhel_line("no release word here", &o), -1);
    assert_int_equal(os_release_parse_rhel_line("Some Unknown OS release 1", &o), -1);
    os_info_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_amazon_linux_2),
        cmocka_unit_test(test_oracle_alma_rocky),
        cmocka_unit_test(test_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
