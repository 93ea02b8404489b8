#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "model/report.h"
#include "util/utf8.h"

static void test_finding_shape(void **state)
{
    (void)state;
    struct report *r = report_new();
    const char *ev[] = {"/etc/fstab: /dev/xvda1 / ext4", NULL};
    json_object *f = report_add_finding(r, F_BOOT_FSTAB_DEVNAME, 0, "use UUID=", ev);
    report_finding_evidence(f, "line %d", 3);
    json_object *o;
    assert_true(json_object_object_get_ex(f, "id", &o));
    assert_string_equal(json_object_get_string(o), "BOOT-FSTAB-DEVNAME");
    assert_true(json_object_object_get_ex(f, "severity", &o));
    assert_string_equal(json_object_get_string(o), "blocker");
    assert_true(json_object_object_get_ex(f, "evidence", &o));
    assert_int_equal(json_object_array_length(o), 2);
    report_add_finding(r, F_FS_MOUNT_FAILED, 1, NULL, NULL);
    report_set(r, "os", NULL);
    verdict_compute(r->doc);
    json_object *v = report_get(r, "verdict");
    assert_true(json_object_object_get_ex(v, "blockers", &o));
    assert_int_equal(json_object_get_int(o), 1);
    assert_true(json_object_object_get_ex(v, "warnings", &o));
    assert_int_equal(json_object_get_int(o), 1);
    report_free(r);
}

static void test_ids_unique_and_well_formed(void **state)
{
    (void)state;
    for (int i = 0; i < F__COUNT; i++) {
        const char *id = finding_id_str(i);
        assert_non_null(strchr(id, '-'));
        for (int j = i + 1; j < F__COUNT; j++)
            assert_string_not_equal(id, finding_id_str(j));
    }
}

static void test_invalid_utf8_becomes_valid_json(void **state)
{
    (void)state;
    const char bad[] = "/opt/\xff\xfe\xc0\xafname\xed\xa0\x80\n<script>";
    assert_false(utf8_valid(bad, strlen(bad)));
    json_object *s = jstr(bad);
    const char *out = json_object_get_string(s);
    assert_true(utf8_valid(out, strlen(out)));
    assert_non_null(strstr(out, "name"));
    assert_non_null(strstr(out, "\xef\xbf\xbd"));
    json_object_put(s);
    assert_true(utf8_valid("caf\xc3\xa9 \xf0\x9f\x98\x80", 10));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_finding_shape),
        cmocka_unit_test(test_ids_unique_and_well_formed),
        cmocka_unit_test(test_invalid_utf8_becomes_valid_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
