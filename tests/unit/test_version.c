/* util/version.c: the one order of version strings, on the cases each of
 * its callers meets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "util/version.h"

struct pair {
    const char *older, *newer;
};

/* Each pair is checked both ways, and each string against itself. */
static void check_order(const struct pair *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (version_cmp(p[i].older, p[i].newer) >= 0 || version_cmp(p[i].newer, p[i].older) <= 0)
            fail_msg("expected \"%s\" < \"%s\"", p[i].older, p[i].newer);
        assert_int_equal(version_cmp(p[i].older, p[i].older), 0);
        assert_int_equal(version_cmp(p[i].newer, p[i].newer), 0);
    }
}

#define CHECK(table) check_order(table, sizeof table / sizeof table[0])

/* scanners/nitro: kernel releases from /boot and /lib/modules, and boot
 * entry ids that embed them. */
static void test_kernel_releases(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"5.10.0-9-amd64", "5.10.0-26-amd64"},
        {"4.19.0-25-amd64", "5.10.0-9-amd64"},
        {"5.10.0", "5.10.0-26-amd64"},
        {"5.4.0-1018-aws", "5.15.0-1051-aws"},
        {"6.1.0-13-amd64", "6.1.0-13-cloud-amd64"},
        {"3.10.0-1160.el7.x86_64", "3.10.0-1160.102.1.el7.x86_64"},
        {"4.18.0-477.10.1.el8_8.x86_64", "4.18.0-513.5.1.el8_9.x86_64"},
        {"5.14.0-362.8.1.el9_3.x86_64", "5.14.0-362.13.1.el9_3.x86_64"},
        {"6.1.0-13", "6.1.0a"},
        {"debian-5.10.0-9-amd64", "debian-5.10.0-26-amd64"},
        {"gnulinux-5.10.0-26-amd64-advanced-0a1b", "gnulinux-6.1.0-13-amd64-advanced-0a1b"},
    };
    CHECK(p);
}

/* scanners/elf: the number part of symbol versions, family by family. */
static void test_symbol_versions(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"2.3.4", "2.17"},
        {"2.9", "2.10"},
        {"2.2", "2.2.5"},
        {"2.2.5", "2.12"},
        {"3.4.9", "3.4.30"},
        {"1.3.9", "1.3.10"},
        {"1_1_0", "1_1_1"},
        {"1_1_0", "1_1_0d"},
        {"1_1_0d", "1_1_1"},
        {"1_1_1", "3.0.0"},
        {"GLIBC_2.3.4", "GLIBC_2.17"},
        {"18446744073709551615", "18446744073709551616"},
    };
    CHECK(p);
    assert_int_equal(version_cmp("3.4.30", "3.4.30"), 0);
    assert_int_equal(version_cmp("2.010", "2.10"), 0);
    /* OpenSSL moved from 1_1_1 to 3.0.0: separators only separate. */
    assert_int_equal(version_cmp("1_1_0", "1.1.0"), 0);
}

/* model/decide and scanners/apps: runtime and release versions. */
static void test_runtime_versions(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"3.9", "3.10"},
        {"3.9.18", "3.10.2"},
        {"2.7.18", "3.6.8"},
        {"1.8.0_392", "11.0.2"},
        {"1.8.0_382", "1.8.0_392"},
        {"11.0.2", "17.0.9+9"},
        {"16.20.2", "18.19.0"},
        {"7", "18"},
        {"18.04", "20.04"},
        {"2.8.1", "2.8.1g"},
        {"1.0.2k", "1.0.2u"},
        {"3.12.0~rc1", "3.12.0"},
        {"3.12.0~rc1", "3.12.0~rc2"},
        {"", "1"},
    };
    CHECK(p);
}

/* NULL reads as the empty string rather than crashing. */
static void test_null(void **state)
{
    (void)state;
    assert_int_equal(version_cmp(NULL, NULL), 0);
    assert_int_equal(version_cmp(NULL, ""), 0);
    assert_true(version_cmp(NULL, "2.17") < 0);
    assert_true(version_cmp("2.17", NULL) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kernel_releases),
        cmocka_unit_test(test_symbol_versions),
        cmocka_unit_test(test_runtime_versions),
        cmocka_unit_test(test_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
