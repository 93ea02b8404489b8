/* What the initramfs needs to mount the root, on trees whose initramfs
 * dracut built from the host's kernel modules (make_rootneeds_fixtures.sh).
 * Which modules each initramfs holds comes from the fixtures' expect file,
 * written from the images' own listings; which ones a module depends on,
 * from the tree's modules.dep. */
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
static char gen[128];

/* TREE.MODULE from expect: 1, 0, or -1 when not recorded. */
static int expect_int(const char *key)
{
    char p[1024], line[512];
    int v = -1;
    snprintf(p, sizeof p, "%s/expect", fx);
    FILE *f = fopen(p, "r");
    assert_non_null(f);
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *eq = strchr(line, '=');
        if (!eq)
            continue;
        *eq = '\0';
        if (!strcmp(line, key)) {
            if (!strcmp(key, "generic_release"))
                snprintf(gen, sizeof gen, "%s", eq + 1);
            else
                v = atoi(eq + 1);
        }
    }
    fclose(f);
    return v;
}

/* Whether the tree's initramfs lacks module or anything modules.dep says it
 * depends on; the first such name into missing. */
static int lacks(const char *tree, const char *module, char *missing, size_t cap)
{
    char key[256], p[1024], line[8192], want[128];
    snprintf(key, sizeof key, "%s.%s", tree, module);
    int have = expect_int(key);
    assert_int_not_equal(have, -1);
    if (!have) {
        snprintf(missing, cap, "%s", module);
        return 1;
    }
    snprintf(p, sizeof p, "%s/%s/usr/lib/modules/%s/modules.dep", fx, tree, gen);
    FILE *f = fopen(p, "r");
    assert_non_null(f);
    snprintf(want, sizeof want, "/%s.ko:", module);
    for (char *c = want; *c; c++)
        if (*c == '_')
            *c = '-';
    int found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        char *hit = strstr(line, want), alt[128];
        snprintf(alt, sizeof alt, "/%s.ko:", module);
        if (!hit)
            hit = strstr(line, alt);
        if (!hit)
            continue;
        found = 1;
        char *save = NULL;
        for (char *t = strtok_r(strchr(line, ':') + 1, " \n", &save); t; t = strtok_r(NULL, " \n", &save)) {
            char dep[128], *base = strrchr(t, '/');
            snprintf(dep, sizeof dep, "%s", base ? base + 1 : t);
            dep[strcspn(dep, ".")] = '\0';
            for (char *c = dep; *c; c++)
                if (*c == '-')
                    *c = '_';
            snprintf(key, sizeof key, "%s.%s", tree, dep);
            if (expect_int(key) == 0) {
                snprintf(missing, cap, "%s", dep);
                fclose(f);
                return 1;
            }
            /* a dependency not recorded is not judged here */
        }
    }
    fclose(f);
    assert_true(found);
    return 0;
}

static json_object *need_of(struct report *r, const char *module)
{
    json_object *boot = report_get(r, "boot"), *rn, *mods;
    assert_non_null(boot);
    assert_true(json_object_object_get_ex(boot, "root_needs", &rn) && rn);
    assert_true(json_object_object_get_ex(rn, "modules", &mods));
    for (size_t i = 0; i < json_object_array_length(mods); i++) {
        json_object *m = json_object_array_get_idx(mods, i);
        if (!strcmp(tree_sget(m, "module"), module))
            return m;
    }
    fail_msg("no root need %s", module);
    return NULL;
}

/* Each module is judged as the initramfs's listing says: a finding naming
 * what is missing, or none. */
static void check_tree(const char *tree, int with_volumes, const char *const *modules)
{
    char root[1024], vols[1100], missing[128], subject[300];
    snprintf(root, sizeof root, "%s/%s", fx, tree);
    snprintf(vols, sizeof vols, "%s/volumes.json", root);
    struct report *r = tree_scan(root, "debian", "deb", with_volumes ? vols : NULL);
    int want_findings = 0;
    for (const char *const *m = modules; *m; m++) {
        json_object *n = need_of(r, *m), *f = NULL;
        if (lacks(tree, *m, missing, sizeof missing)) {
            want_findings++;
            assert_string_equal(tree_sget(n, "state"), "missing");
            assert_string_equal(tree_sget(n, "missing"), missing);
            snprintf(subject, sizeof subject, ": %s (%s)", missing, gen);
            assert_int_equal(tree_findings(r, "NITRO-INITRAMFS-ROOT-DRIVER", "blocker", subject,
                                           &f), 1);
            assert_true(tree_has_evidence(f, "/boot/initrd.img-"));
            assert_true(tree_has_evidence(f, *m));
        } else {
            assert_string_equal(tree_sget(n, "state"), "in_initramfs");
        }
    }
    assert_int_equal(tree_findings(r, "NITRO-INITRAMFS-ROOT-DRIVER", NULL, NULL, NULL),
                     want_findings);
    report_free(r);
}

static void test_lvm_with_device_mapper(void **s)
{
    (void)s;
    check_tree("lvm-ok", 1, (const char *const[]){ "dm_mod", "xfs", NULL });
}

static void test_lvm_without_device_mapper(void **s)
{
    (void)s;
    /* the fixture is only worth its name when dracut really left dm-mod out */
    assert_int_equal(expect_int("lvm-nodm.dm_mod"), 0);
    check_tree("lvm-nodm", 1, (const char *const[]){ "dm_mod", "xfs", NULL });
}

static void test_md_raid1_without_personality(void **s)
{
    (void)s;
    assert_int_equal(expect_int("md-noraid1.raid1"), 0);
    check_tree("md-noraid1", 1, (const char *const[]){ "md_mod", "raid1", "ext4", NULL });
}

/* --root with fstab's /dev/md0: md_mod and ext4 are judged, the array's
 * personality cannot be: said as info, never as missing */
static void test_md_level_unknown_without_disks(void **s)
{
    (void)s;
    char root[1024];
    json_object *f = NULL;
    check_tree("md-config", 0, (const char *const[]){ "md_mod", "ext4", NULL });
    snprintf(root, sizeof root, "%s/md-config", fx);
    struct report *r = tree_scan(root, "debian", "deb", NULL);
    assert_int_equal(tree_findings(r, "NITRO-ROOT-NEEDS-UNCHECKED", "info", NULL, &f), 1);
    assert_true(tree_has_evidence(f, "RAID level of /dev/md0"));
    report_free(r);
}

static void test_luks_without_dm_crypt(void **s)
{
    (void)s;
    assert_int_equal(expect_int("luks-nocrypt.dm_crypt"), 0);
    check_tree("luks-nocrypt", 1, (const char *const[]){ "dm_mod", "dm_crypt", "xfs", NULL });
}

/* --root: fstab's /dev/mapper name and rd.lvm.lv; modules compressed under
 * updates/, xfs without the libcrc32c it needs */
static void test_config_only_compressed_and_dependency(void **s)
{
    (void)s;
    check_tree("config-only", 0, (const char *const[]){ "dm_mod", "xfs", NULL });
    char root[1024];
    snprintf(root, sizeof root, "%s/config-only", fx);
    struct report *r = tree_scan(root, "debian", "deb", NULL);
    json_object *n = need_of(r, "dm_mod");
    assert_non_null(strstr(tree_sget(n, "initramfs_path"), "updates/dm-mod.ko.xz"));
    report_free(r);
}

static void test_builtin_needs_nothing(void **s)
{
    (void)s;
    char root[1024], vols[1100];
    snprintf(root, sizeof root, "%s/cloud-ext4", fx);
    if (expect_int("cloud.ext4_builtin") != 1)
        skip();     /* no cloud kernel, or one with ext4 as a module */
    snprintf(vols, sizeof vols, "%s/volumes.json", root);
    struct report *r = tree_scan(root, "debian", "deb", vols);
    assert_string_equal(tree_sget(need_of(r, "ext4"), "state"), "builtin");
    assert_int_equal(tree_findings(r, "NITRO-INITRAMFS-ROOT-DRIVER", NULL, NULL, NULL), 0);
    report_free(r);
}

int main(void)
{
    fx = getenv("ROOTNEEDS_FIXTURES");
    if (!fx)
        return 77;
    expect_int("generic_release");
    if (!gen[0])
        return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lvm_with_device_mapper),
        cmocka_unit_test(test_lvm_without_device_mapper),
        cmocka_unit_test(test_md_raid1_without_personality),
        cmocka_unit_test(test_md_level_unknown_without_disks),
        cmocka_unit_test(test_luks_without_dm_crypt),
        cmocka_unit_test(test_config_only_compressed_and_dependency),
        cmocka_unit_test(test_builtin_needs_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
