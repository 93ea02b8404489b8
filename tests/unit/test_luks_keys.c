/* --key selectors and --keys-from-stdin, as guestfs-tools take them. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "inspector/luks_keys.h"
#include "staging.h"

static void test_selectors(void **state)
{
    (void)state;
    struct luks_keys ks = {0};
    struct lc_error err = {0};
    char dir[256];
    assert_int_equal(stage_tmpdir(dir, sizeof dir, "keys"), 0);
    stage_text(dir, "/srv.key", "second: key\nignored line\n");
    char sel[512];
    snprintf(sel, sizeof sel, "1f000000-0000-4000-8000-000000000904:file:%s/srv.key", dir);

    assert_int_equal(luks_keys_add(&ks, "/dev/sda2:key:pass:with:colons", &err), 0);
    assert_int_equal(luks_keys_add(&ks, "/dev/sda2:key:other", &err), 0);
    assert_int_equal(luks_keys_add(&ks, sel, &err), 0);

    char **k = luks_keys_for(&ks, "/dev/sda2", "some-uuid");
    assert_string_equal(k[0], "pass:with:colons");
    assert_string_equal(k[1], "other");
    assert_null(k[2]);
    luks_keys_free_list(k);
    /* By LUKS UUID; a file gives its first line. */
    k = luks_keys_for(&ks, "/dev/vgdata/secret", "1f000000-0000-4000-8000-000000000904");
    assert_string_equal(k[0], "second: key");
    assert_null(k[1]);
    luks_keys_free_list(k);
    k = luks_keys_for(&ks, "/dev/sdb1", NULL);
    assert_null(k[0]);
    luks_keys_free_list(k);

    assert_int_equal(luks_keys_add(&ks, "/dev/sda2", &err), -EINVAL);
    assert_int_equal(luks_keys_add(&ks, ":key:x", &err), -EINVAL);
    assert_int_equal(luks_keys_add(&ks, "/dev/sda2:pass:x", &err), -EINVAL);
    assert_non_null(strstr(err.msg, "'pass'"));
    snprintf(sel, sizeof sel, "/dev/sda2:file:%s/missing", dir);
    assert_int_equal(luks_keys_add(&ks, sel, &err), -ENOENT);
    assert_int_equal(err.code, -ENOENT);
    assert_non_null(strstr(err.msg, "missing"));
    stage_text(dir, "/empty", "");
    snprintf(sel, sizeof sel, "/dev/sda2:file:%s/empty", dir);
    assert_int_equal(luks_keys_add(&ks, sel, &err), -ENODATA);
    assert_int_equal(ks.n, 3);
    luks_keys_free(&ks);
    assert_int_equal(stage_rmdir(dir), 0);
}

/* One line of input per volume no --key names, in the order asked. */
static void test_stdin(void **state)
{
    (void)state;
    struct luks_keys ks = {0};
    struct lc_error err = {0};
    char input[] = "first\nsecond\n";
    ks.from_stdin = 1;
    ks.in = fmemopen(input, strlen(input), "r");
    assert_non_null(ks.in);
    assert_int_equal(luks_keys_add(&ks, "/dev/sdb1:key:named", &err), 0);

    char **k = luks_keys_for(&ks, "/dev/sda2", NULL);
    assert_string_equal(k[0], "first");
    luks_keys_free_list(k);
    k = luks_keys_for(&ks, "/dev/sdb1", NULL);     /* named: no line taken */
    assert_string_equal(k[0], "named");
    assert_null(k[1]);
    luks_keys_free_list(k);
    k = luks_keys_for(&ks, "/dev/sda3", NULL);
    assert_string_equal(k[0], "second");
    luks_keys_free_list(k);
    k = luks_keys_for(&ks, "/dev/sda4", NULL);     /* input ran out */
    assert_null(k[0]);
    luks_keys_free_list(k);
    fclose(ks.in);
    luks_keys_free(&ks);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_selectors),
        cmocka_unit_test(test_stdin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
