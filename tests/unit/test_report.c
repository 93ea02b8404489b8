#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "model/jdoc.h"
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
    assert_int_equal(verdict_compute(r->doc), 0);
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

/* The verdict of a document parsed from text: nitro_boot, blockers. */
static json_object *judged(const char *text, const char **nitro, int64_t *blockers)
{
    json_object *doc = json_tokener_parse(text);
    assert_non_null(doc);
    assert_int_equal(verdict_compute(doc), 0);
    *nitro = doc_str(doc_obj(doc, "verdict"), "nitro_boot");
    assert_non_null(*nitro);
    assert_true(doc_int(doc_obj(doc, "verdict"), "blockers", blockers));
    return doc;
}

/* Members of the wrong type read as absent: no abort in json-c, no crash. */
static void test_verdict_of_mistyped_documents(void **state)
{
    (void)state;
    const char *nitro;
    int64_t blockers;
    json_object *doc;

    doc = judged("{\"os\": {}, \"kernels\": [{\"default\": true, \"nitro_ready\": true}],"
                 " \"findings\": {\"id\": \"BOOT-X\", \"severity\": \"blocker\"}}", &nitro, &blockers);
    assert_string_equal(nitro, "ready");
    assert_int_equal(blockers, 0);
    json_object_put(doc);

    doc = judged("{\"os\": {}, \"kernels\": [7, {\"nvme\": {\"status\": \"module\"},"
                 " \"ena\": {\"status\": \"module\"}, \"bits\": \"32\", \"xen_pv_only\": 1}],"
                 " \"findings\": [{\"severity\": null}, 7, {\"id\": null, \"severity\": \"blocker\"}],"
                 " \"applications\": [7, \"app\", null, {\"name\": \"a\", \"needs\": {\"sonames\": [1, null]}}]}",
                 &nitro, &blockers);
    assert_string_equal(nitro, "fixable");
    assert_int_equal(blockers, 1);
    json_object *apps = doc_arr(doc, "applications");
    assert_int_equal(json_object_get_int(doc_at(apps, 0)), 7);
    assert_string_equal(doc_str(doc_at(apps, 3), "decision"), "container");
    assert_string_equal(doc_str(doc_obj(doc, "server_decision"), "decision"), "container");
    json_object_put(doc);

    doc = judged("{\"os\": \"debian\", \"kernels\": {}, \"applications\": {}}", &nitro, &blockers);
    assert_string_equal(nitro, "not_applicable");
    json_object_put(doc);
    doc = judged("{\"os\": {}, \"kernels\": \"6.1\"}", &nitro, &blockers);
    assert_string_equal(nitro, "unknown");
    json_object_put(doc);

    doc = json_tokener_parse("[1, 2]");
    assert_int_equal(verdict_compute(doc), -1);
    json_object_put(doc);
}

static void test_volume_view_of_mistyped_document(void **state)
{
    (void)state;
    json_object *doc = json_tokener_parse(
        "{\"volumes\": \"vda\", \"findings\": [{\"volume\": \"0\"}, {\"volume\": null}, 3, null,"
        " {\"volume\": 0}, {\"volume\": 1}], \"elf_files\": {}, \"applications\": [[0]]}");
    json_object *view = report_volume_view(doc, 0);
    assert_non_null(view);
    /* kept: the server-wide ones (volume null, none; a null item) and volume 0 */
    assert_int_equal(doc_len(doc_arr(view, "findings")), 4);
    assert_non_null(doc_get(view, "volumes"));
    assert_int_equal(doc_len(doc_arr(view, "applications")), 1);
    json_object_put(view);
    json_object_put(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_finding_shape),
        cmocka_unit_test(test_ids_unique_and_well_formed),
        cmocka_unit_test(test_invalid_utf8_becomes_valid_json),
        cmocka_unit_test(test_verdict_of_mistyped_documents),
        cmocka_unit_test(test_volume_view_of_mistyped_document),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
