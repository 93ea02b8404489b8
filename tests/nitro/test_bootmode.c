/* The boot mode (BIOS, UEFI, both, unknown) from the partition table and
 * partitions of the boot disk and from the tree, on the trees and disk
 * descriptions of tests/nitro/make_bootmode_fixtures.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tree_scan.h"

static const char *fx;

/* disks: a volumes file of the fixtures, or NULL for a --root run */
static struct report *scan(const char *tree, const char *disks)
{
    char p[1024], d[1024];
    snprintf(p, sizeof p, "%s/%s", fx, tree);
    snprintf(d, sizeof d, "%s/%s", fx, disks ? disks : "");
    return tree_scan(p, "debian", "deb", disks ? d : NULL);
}

static json_object *mode_of(struct report *r)
{
    json_object *boot = report_get(r, "boot"), *m;
    assert_non_null(boot);
    assert_true(json_object_object_get_ex(boot, "mode", &m));
    return m;
}

/* 1 when o has key, set to null */
static int is_null(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && !v;
}

static void expect_mode(struct report *r, const char *mode, const char *ami)
{
    json_object *m = mode_of(r);
    assert_string_equal(tree_sget(m, "mode"), mode);
    if (ami)
        assert_string_equal(tree_sget(m, "ami_boot_mode"), ami);
    else
        assert_true(is_null(m, "ami_boot_mode"));
}

static void test_uefi_only_gpt(void **s)
{
    (void)s;
    struct report *r = scan("uefi", "gpt-esp.json");
    json_object *m = mode_of(r), *f = NULL, *l;
    expect_mode(r, "uefi", "uefi");
    assert_string_equal(tree_sget(m, "partition_table"), "gpt");
    assert_string_equal(tree_sget(m, "esp"), "/dev/sda1");
    assert_true(is_null(m, "bios_boot_partition"));
    assert_true(is_null(m, "grub_pc"));
    /* shim and grub, not BOOTX64.EFI nor MokManager */
    assert_true(json_object_object_get_ex(m, "efi_loaders", &l));
    assert_int_equal(json_object_array_length(l), 2);
    assert_true(tree_has_evidence(m, "/boot/efi/EFI/redhat/shimx64.efi"));
    assert_true(tree_has_evidence(m, "partition table: GPT"));
    assert_int_equal(tree_findings(r, "BOOT-MODE-UEFI-ONLY", NULL, NULL, &f), 1);
    assert_string_equal(tree_sget(f, "severity"), "info");
    assert_non_null(strstr(tree_sget(f, "remediation"), "uefi"));
    assert_true(tree_has_evidence(f, "EFI system partition: /dev/sda1"));
    assert_int_equal(tree_findings(r, "BOOT-MODE-UNKNOWN", NULL, NULL, NULL), 0);
    report_free(r);
}

/* UEFI loaders without an ESP on the disk: firmware never sees them */
static void test_loaders_without_esp(void **s)
{
    (void)s;
    struct report *r = scan("uefi", "gpt-plain.json");
    expect_mode(r, "unknown", NULL);
    assert_true(tree_has_evidence(mode_of(r), "no EFI system partition"));
    /* a grub config is there: unknown is said, not a warning */
    assert_int_equal(tree_findings(r, "BOOT-MODE-UNKNOWN", NULL, NULL, NULL), 0);
    assert_int_equal(tree_findings(r, "BOOT-MODE-UEFI-ONLY", NULL, NULL, NULL), 0);
    report_free(r);
}

static void test_bios_gpt(void **s)
{
    (void)s;
    struct report *r = scan("bios-gpt", "gpt-bios.json");
    json_object *m = mode_of(r);
    expect_mode(r, "bios", "legacy-bios");
    assert_string_equal(tree_sget(m, "bios_boot_partition"), "/dev/sda1");
    assert_string_equal(tree_sget(m, "grub_pc"), "/boot/grub2/i386-pc");
    assert_non_null(strstr(tree_sget(m, "meaning"), "Graviton"));
    assert_int_equal(tree_findings(r, "BOOT-MODE-UEFI-ONLY", NULL, NULL, NULL), 0);
    report_free(r);
    /* grub-pc on GPT has nowhere to put its core image without one */
    r = scan("bios-gpt", "gpt-plain.json");
    expect_mode(r, "unknown", NULL);
    assert_true(tree_has_evidence(mode_of(r), "without a BIOS boot partition"));
    report_free(r);
}

static void test_both(void **s)
{
    (void)s;
    struct report *r = scan("both", "gpt-both.json");
    json_object *m = mode_of(r);
    expect_mode(r, "both", "uefi-preferred");
    assert_string_equal(tree_sget(m, "esp"), "/dev/sda2");
    assert_string_equal(tree_sget(m, "grub_efi"), "/boot/grub/x86_64-efi");
    assert_true(tree_has_evidence(m, "/efi/EFI/debian/grubx64.efi"));
    assert_int_equal(tree_findings(r, "BOOT-MODE-UEFI-ONLY", NULL, NULL, NULL), 0);
    report_free(r);
}

static void test_mbr(void **s)
{
    (void)s;
    /* an MBR disk with no ESP only BIOS firmware starts */
    struct report *r = scan("mbr-plain", "mbr.json");
    json_object *m = mode_of(r);
    expect_mode(r, "bios", "legacy-bios");
    assert_string_equal(tree_sget(m, "partition_table"), "mbr");
    assert_true(tree_has_evidence(m, "MBR disk without an EFI system partition"));
    report_free(r);
    /* an MBR ESP (type 0xef) with loaders and no grub-pc: UEFI */
    r = scan("uefi", "mbr-esp.json");
    m = mode_of(r);
    expect_mode(r, "uefi", "uefi");
    assert_string_equal(tree_sget(m, "esp"), "/dev/sda2");
    assert_int_equal(tree_findings(r, "BOOT-MODE-UEFI-ONLY", NULL, NULL, NULL), 1);
    report_free(r);
}

/* --root: the table is not seen, the tree decides */
static void test_tree_only(void **s)
{
    (void)s;
    struct report *r = scan("uefi", NULL);
    json_object *m = mode_of(r), *seen;
    expect_mode(r, "uefi", "uefi");
    assert_true(is_null(m, "partition_table"));
    assert_true(json_object_object_get_ex(m, "table_seen", &seen));
    assert_false(json_object_get_boolean(seen));
    assert_true(tree_has_evidence(m, "partition table not seen"));
    report_free(r);
    r = scan("both", NULL);
    expect_mode(r, "both", "uefi-preferred");
    report_free(r);
    r = scan("mbr-plain", NULL);
    expect_mode(r, "unknown", NULL);
    assert_int_equal(tree_findings(r, "BOOT-MODE-UNKNOWN", NULL, NULL, NULL), 0);
    report_free(r);
}

static void test_nothing_bootable(void **s)
{
    (void)s;
    json_object *f = NULL;
    struct report *r = scan("bare", "mbr.json");
    expect_mode(r, "unknown", NULL);
    assert_int_equal(tree_findings(r, "BOOT-MODE-UNKNOWN", NULL, NULL, &f), 1);
    assert_string_equal(tree_sget(f, "severity"), "warning");
    assert_true(tree_has_evidence(f, "partition table: MBR"));
    report_free(r);
}

int main(void)
{
    fx = getenv("BOOTMODE_FIXTURES");
    if (!fx) {
        fprintf(stderr, "BOOTMODE_FIXTURES not set\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uefi_only_gpt),
        cmocka_unit_test(test_loaders_without_esp),
        cmocka_unit_test(test_bios_gpt),
        cmocka_unit_test(test_both),
        cmocka_unit_test(test_mbr),
        cmocka_unit_test(test_tree_only),
        cmocka_unit_test(test_nothing_bootable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
