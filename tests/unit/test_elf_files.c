/* The compact elf_files store against the plain json-c array it replaces:
 * the same text in every serialization mode, the same entries read back,
 * the same volume views. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/elf_files.h"
#include "model/jdoc.h"
#include "model/report.h"
#include "util/strbuf.h"

#define NENTRIES 5

/* Entry i: nested arrays and objects, and names that need escaping. */
static json_object *entry(int i)
{
    static const char *const paths[NENTRIES] = {
        "/opt/app/bin/a", "/usr/lib/x86_64-linux-gnu/libc.so.6", "/opt/new\nline/b\"q\"",
        "/srv/\xc3\xa9t\xc3\xa9/c\\d", "/tmp/\x1b[31mred",
    };
    json_object *o = json_object_new_object();
    json_object_object_add(o, "path", jstr(paths[i % NENTRIES]));
    json_object_object_add(o, "volume", json_object_new_int(i % 2));
    json_object_object_add(o, "size", json_object_new_int64(4096LL * (i + 1) + 5000000000LL));
    json_object_object_add(o, "type", i == 3 ? NULL : jstr("executable"));
    json_object_object_add(o, "static", json_object_new_boolean(i & 1));
    json_object *needed = json_object_new_array();
    for (int k = 0; k < i % 7; k++) {
        char so[32];
        snprintf(so, sizeof so, "lib%d.so.%d", k, i);
        json_object_array_add(needed, jstr(so));
    }
    json_object_object_add(o, "needed", needed);
    json_object_object_add(o, "rpath", json_object_new_array());
    json_object *vn = json_object_new_object();
    if (i) {
        json_object *vers = json_object_new_array();
        json_object_array_add(vers, jstr("GLIBC_2.2.5"));
        json_object_array_add(vers, jstr("GLIBC_2.34"));
        json_object_object_add(vn, "libc.so.6", vers);
    }
    json_object_object_add(o, "version_needs", vn);
    json_object_object_add(o, "resolved", json_object_new_object());
    return o;
}

/* A report holding the entries twice over: as the plain array and as the
 * compact node. */
static void make_docs(json_object **plain, json_object **compact, int n)
{
    json_object *arr = json_object_new_array();
    struct elf_files *s = elf_files_new();
    assert_non_null(s);
    for (int i = 0; i < n; i++) {
        json_object *e = entry(i);
        assert_int_equal(elf_files_add(s, e), 0);
        json_object_array_add(arr, e);
    }
    *plain = json_object_new_object();
    *compact = json_object_new_object();
    json_object *vols = json_object_new_array();
    json_object_array_add(vols, json_object_new_object());
    json_object_array_add(vols, json_object_new_object());
    json_object_object_add(*plain, "volumes", json_object_get(vols));
    json_object_object_add(*compact, "volumes", vols);
    json_object_object_add(*plain, "elf_files", arr);
    json_object *node = elf_files_node(s);
    assert_non_null(node);
    json_object_object_add(*compact, "elf_files", node);
    json_object_object_add(*plain, "after", jstr("x"));
    json_object_object_add(*compact, "after", jstr("x"));
}

static const int modes[] = {
    JSON_C_TO_STRING_PLAIN,
    JSON_C_TO_STRING_SPACED,
    JSON_C_TO_STRING_PRETTY,
    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE,
    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_PRETTY_TAB,
    JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE,
};

static void same_text(json_object *a, json_object *b)
{
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        char *ta = strdup(json_object_to_json_string_ext(a, modes[m]));
        assert_non_null(ta);
        assert_string_equal(ta, json_object_to_json_string_ext(b, modes[m]));
        free(ta);
    }
}

static int put_sb(const char *s, size_t n, void *ctx)
{
    sb_add(ctx, s, n);
    return 0;
}

/* Written in parts, the inventory streamed: the same bytes again. */
static void same_streamed(json_object *plain, json_object *compact)
{
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        struct strbuf a, b;
        sb_init(&a);
        sb_init(&b);
        assert_int_equal(elf_files_write_doc(plain, modes[m], put_sb, &a), 0);
        assert_int_equal(elf_files_write_doc(compact, modes[m], put_sb, &b), 0);
        sb_add(&a, "", 1);
        sb_add(&b, "", 1);
        assert_string_equal(a.s, json_object_to_json_string_ext(plain, modes[m]));
        assert_string_equal(b.s, a.s);
        sb_free(&a);
        sb_free(&b);
    }
}

static void test_serialized_like_json_c(void **state)
{
    (void)state;
    for (int n = 0; n <= NENTRIES; n++) {
        json_object *plain, *compact;
        make_docs(&plain, &compact, n);
        assert_int_equal(elf_files_compact(doc_get(compact, "elf_files")), 1);
        assert_int_equal(elf_files_compact(doc_get(plain, "elf_files")), 0);
        same_text(plain, compact);
        same_streamed(plain, compact);
        json_object_put(plain);
        json_object_put(compact);
    }
}

/* More entries than are buffered at once while streaming. */
static void test_streamed_in_parts(void **state)
{
    (void)state;
    json_object *plain, *compact;
    make_docs(&plain, &compact, 400);
    assert_true(strlen(json_object_to_json_string_ext(plain, JSON_C_TO_STRING_PRETTY)) > (128u << 10));
    same_streamed(plain, compact);
    json_object_put(plain);
    json_object_put(compact);
}

static void test_read_back(void **state)
{
    (void)state;
    json_object *plain, *compact;
    make_docs(&plain, &compact, NENTRIES);
    assert_int_equal(elf_files_count(compact), NENTRIES);
    assert_int_equal(elf_files_count(plain), NENTRIES);
    for (size_t i = 0; i < NENTRIES; i++) {
        json_object *a = elf_files_at(plain, i), *b = elf_files_at(compact, i);
        assert_true(json_object_equal(a, b));
        json_object *fa = elf_files_find(plain, doc_str(a, "path"));
        json_object *fb = elf_files_find(compact, doc_str(a, "path"));
        assert_true(json_object_equal(fa, a));
        assert_true(json_object_equal(fb, a));
        json_object_put(fa);
        json_object_put(fb);
        json_object_put(a);
        json_object_put(b);
    }
    assert_null(elf_files_at(compact, NENTRIES));
    assert_null(elf_files_find(compact, "/opt/app/bin"));
    assert_null(elf_files_find(compact, NULL));
    assert_null(elf_files_find(plain, "/nowhere"));
    json_object_put(plain);
    json_object_put(compact);
}

static void test_volume_views(void **state)
{
    (void)state;
    json_object *plain, *compact;
    make_docs(&plain, &compact, NENTRIES);
    for (int v = 0; v < 3; v++) {
        json_object *a = report_volume_view(plain, v), *b = report_volume_view(compact, v);
        assert_non_null(a);
        assert_non_null(b);
        same_text(a, b);
        size_t want = v == 0 ? 3 : v == 1 ? 2 : 0;
        assert_int_equal(elf_files_count(b), want);
        /* a view finds only its volume's entries */
        json_object *libc = elf_files_find(b, "/usr/lib/x86_64-linux-gnu/libc.so.6");
        assert_int_equal(libc != NULL, v == 1);
        json_object_put(libc);
        json_object_put(a);
        json_object_put(b);
    }
    json_object_put(plain);
    json_object_put(compact);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_serialized_like_json_c),
        cmocka_unit_test(test_streamed_in_parts),
        cmocka_unit_test(test_read_back),
        cmocka_unit_test(test_volume_views),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
