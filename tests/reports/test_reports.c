/* Renderer tests: escaping rules, golden files, partial and malformed
 * documents.
 *
 * Golden files: each tests/reports/data/NAME.json is rendered (after
 * fixing started_at and duration_ms, which change on every run) and
 * compared with tests/reports/golden/NAME.{md,html,xml}.  After an
 * intended change, regenerate them and review the diff:
 *   LIFTCHECK_UPDATE_GOLDEN=1 meson test -C BUILD reports_golden */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "reports/escape.h"
#include "reports/reports.h"
#include "util/strbuf.h"
#include "util/utf8.h"

typedef void (*esc_fn)(struct strbuf *, const char *, size_t, int);

static char *md(const char *s, size_t max)
{
    struct strbuf b;
    sb_init(&b);
    md_escape(&b, s, max);
    return sb_detach(&b);
}

static char *ml(esc_fn f, const char *s, size_t max, int flags)
{
    struct strbuf b;
    sb_init(&b);
    f(&b, s, max, flags);
    return sb_detach(&b);
}

#define CHECK_MD(in, want) do { char *g_ = md((in), 0); assert_string_equal(g_, (want)); free(g_); } while (0)
#define CHECK_ML(f, in, flags, want) do { char *g_ = ml((f), (in), 0, (flags)); assert_string_equal(g_, (want)); free(g_); } while (0)

static void test_md_escape(void **state)
{
    (void)state;
    CHECK_MD("plain /usr/lib/x86-64 (ok)", "plain /usr/lib/x86-64 (ok)");
    CHECK_MD("a|b", "a&#124;b");
    CHECK_MD("`x`", "&#96;x&#96;");
    CHECK_MD("<script>&", "&lt;script&gt;&amp;");
    CHECK_MD("[l](javascript:x)", "\\[l\\](javascript:x)");
    CHECK_MD("*b* _i_ # ~ $ \\", "\\*b\\* \\_i\\_ \\# \\~ \\$ \\\\");
    CHECK_MD("a\nb\rc\td", "a\\nb\\rc d");
    CHECK_MD("\x1b[31m", "\\x1B\\[31m");
    CHECK_MD("bad\xff\xc3(", "bad\\xFF\\xC3(");
    CHECK_MD("\xed\xa0\x80", "\\xED\\xA0\\x80");          /* a surrogate */
    CHECK_MD("\xc0\xaf", "\\xC0\\xAF");                   /* an overlong '/' */
    CHECK_MD("\xe2\x80\xae" "exe", "\\u{202E}exe");       /* right-to-left override */
    CHECK_MD("\xc2\x85", "\\u{0085}");
    CHECK_MD("caf\xc3\xa9 \xf0\x9f\x98\x80", "caf\xc3\xa9 \xf0\x9f\x98\x80");
    CHECK_MD(NULL, "");
}

static void test_md_escape_block(void **state)
{
    static const char *const cases[][2] = {
        {"- x", "\\- x"}, {"+ x", "\\+ x"}, {"===", "\\==="}, {"12. x", "12\\. x"},
        {"3) x", "3\\) x"}, {"    code", "&#32;&#32;&#32;&#32;code"}, {"2026 ok", "2026 ok"},
        {"> q", "&gt; q"}, {"# h", "\\# h"}, {"___", "\\_\\_\\_"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct strbuf b;
        sb_init(&b);
        md_escape_block(&b, cases[i][0], 0);
        assert_string_equal(b.s, cases[i][1]);
        sb_free(&b);
    }
}

static void test_truncate(void **state)
{
    char *g;
    char longs[10001];

    (void)state;
    memset(longs, 'x', sizeof longs - 1);
    longs[sizeof longs - 1] = '\0';
    g = md(longs, 300);
    assert_int_equal(strlen(g), 300 + 3);
    assert_string_equal(g + 300, "\xE2\x80\xA6");
    free(g);
    g = md("\xc3\xa9\xc3\xa9\xc3\xa9", 2);                /* counts characters, not bytes */
    assert_string_equal(g, "\xc3\xa9\xc3\xa9\xE2\x80\xA6");
    free(g);
    g = md("abc", 3);
    assert_string_equal(g, "abc");
    free(g);
}

static void test_fence(void **state)
{
    struct strbuf b;
    char *g;

    (void)state;
    assert_int_equal(md_fence_len("no ticks"), 3);
    assert_int_equal(md_fence_len("``"), 3);
    assert_int_equal(md_fence_len("a ``` b"), 4);
    assert_int_equal(md_fence_len("````` and ``"), 6);
    sb_init(&b);
    md_code_block(&b, "run ```\n```` x\n<script>\x1b", 0);
    g = sb_detach(&b);
    assert_string_equal(g, "`````\nrun ```\n```` x\n\\x3Cscript>\\x1B\n`````\n");
    free(g);
    md_code_block(&b, "a <kver> <uuid> <b onclick=x> </pre> <!-- <? < b <Style> 2<3", 0);
    g = sb_detach(&b);
    assert_string_equal(g, "```\na <kver> <uuid> \\x3Cb onclick=x> \\x3C/pre> \\x3C!-- \\x3C? < b "
                           "\\x3CStyle> 2<3\n```\n");
    free(g);
}

static void test_html_xml_escape(void **state)
{
    (void)state;
    CHECK_ML(html_escape, "<a href=\"x\" o='y'>&", 0, "&lt;a href=&quot;x&quot; o=&#39;y&#39;&gt;&amp;");
    CHECK_ML(html_escape, "a\nb", 0, "a\\nb");
    CHECK_ML(html_escape, "a\nb\x01", ESC_MULTILINE, "a\nb\\x01");
    CHECK_ML(xml_escape, "'\"<>&", 0, "&apos;&quot;&lt;&gt;&amp;");
    /* XML 1.0 forbids these: they are shown by code, never emitted. */
    CHECK_ML(xml_escape, "\x01\x1f\xef\xbf\xbe\xef\xbf\xbf\x7f", 0,
             "\\x01\\x1F\\u{FFFE}\\u{FFFF}\\x7F");
    CHECK_ML(xml_escape, "\xfe\xff", 0, "\\xFE\\xFF");
}

/* --- documents --------------------------------------------------------- */

typedef int (*render_fn)(json_object *, struct strbuf *);
static const struct { const char *ext; render_fn fn; } formats[] = {
    {"md", render_markdown}, {"html", render_html}, {"xml", render_junit},
};

static char *render(render_fn fn, json_object *doc)
{
    struct strbuf b;
    sb_init(&b);
    assert_int_equal(fn(doc, &b), 0);
    assert_true(utf8_valid(b.s ? b.s : "", b.len));
    return sb_detach(&b);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct strbuf b;
    char buf[65536];
    size_t n;

    if (!f)
        return NULL;
    sb_init(&b);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_add(&b, buf, n);
    fclose(f);
    *len = b.len;
    return sb_detach(&b);
}

/* The passing "No such finding." testcases come from model/findings.def,
 * which grows as checks are added: drop them and the test counts, so
 * the golden files do not change with the catalogue (test_junit_mapping
 * covers them). */
static char *junit_normalise(char *x)
{
    static const char *const nf = "      <system-out>No such finding.</system-out>\n    </testcase>\n";
    struct strbuf b;
    char *line = x;

    sb_init(&b);
    while (*line) {
        char *eol = strchr(line, '\n');
        char *next = eol ? eol + 1 : line + strlen(line);
        if (!strncmp(line, "    <testcase ", 14) && !strncmp(next, nf, strlen(nf))) {
            line = next + strlen(nf);
            continue;
        }
        for (char *p = line; p < next; p++) {
            if (!strncmp(p, " tests=\"", 8)) {
                sb_puts(&b, " tests=\"*\"");
                p = strchr(p + 8, '"');
                continue;
            }
            sb_add(&b, p, 1);
        }
        line = next;
    }
    free(x);
    return sb_detach(&b);
}

static void golden(const char *name)
{
    const char *data = getenv("REPORTS_DATA"), *gold = getenv("REPORTS_GOLDEN");
    int update = getenv("LIFTCHECK_UPDATE_GOLDEN") && *getenv("LIFTCHECK_UPDATE_GOLDEN");
    char path[4096];
    json_object *doc;

    assert_non_null(data);
    assert_non_null(gold);
    snprintf(path, sizeof path, "%s/%s.json", data, name);
    doc = json_object_from_file(path);
    if (!doc)
        fail_msg("%s: %s", path, json_util_get_last_err());
    json_object_object_add(doc, "started_at", json_object_new_string("2000-01-01T00:00:00Z"));
    json_object_object_add(doc, "duration_ms", json_object_new_int(0));
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        char *got = render(formats[i].fn, doc), *want;
        if (formats[i].fn == render_junit)
            got = junit_normalise(got);
        size_t len;

        snprintf(path, sizeof path, "%s/%s.%s", gold, name, formats[i].ext);
        if (update) {
            FILE *f = fopen(path, "wb");
            assert_non_null(f);
            assert_int_equal(fwrite(got, 1, strlen(got), f), strlen(got));
            assert_int_equal(fclose(f), 0);
        }
        want = slurp(path, &len);
        if (!want)
            fail_msg("%s is missing: run with LIFTCHECK_UPDATE_GOLDEN=1 to create it", path);
        if (strcmp(got, want)) {
            size_t at = 0;
            while (got[at] && got[at] == want[at])
                at++;
            fail_msg("%s differs at byte %zu (rerun with LIFTCHECK_UPDATE_GOLDEN=1 and review "
                     "the diff if the change is intended)", path, at);
        }
        free(got);
        free(want);
    }
    json_object_put(doc);
}

static void test_golden_debian12(void **s) { (void)s; golden("debian12"); }
static void test_golden_blocked(void **s) { (void)s; golden("blocked"); }
static void test_golden_dataonly(void **s) { (void)s; golden("dataonly"); }
static void test_golden_rootmode(void **s) { (void)s; golden("rootmode"); }
static void test_golden_hostile(void **s) { (void)s; golden("hostile"); }

static int contains(const char *hay, const char *needle) { return strstr(hay, needle) != NULL; }

/* Sections missing, null or of the wrong type render as absent. */
static void test_partial_documents(void **state)
{
    const char *const docs[] = {
        "{}",
        "{\"os\":null,\"findings\":[],\"volumes\":[],\"verdict\":{}}",
        "{\"findings\":\"x\",\"volumes\":{},\"os\":[],\"kernels\":{},\"verdict\":[],"
        "\"fstab\":7,\"network\":[],\"applications\":{},\"elf_summary\":\"x\"}",
        "{\"findings\":[null,1,\"s\",{},{\"id\":null,\"severity\":3,\"evidence\":[null,2]}],"
        "\"kernels\":[null,{},{\"nvme\":null,\"ena\":7,\"version\":5}],"
        "\"volumes\":[null,{\"filesystems\":[null,{}]}],\"fstab\":[null,{}],"
        "\"network\":{\"mac_pinned\":[null,{}]},\"applications\":[null,{\"reasons\":[1,null]}],"
        "\"elf_summary\":{\"by_type\":{\"x\":\"y\"}},\"elf_files\":[null,{\"missing_needed\":[1]}]}",
    };
    (void)state;
    for (size_t d = 0; d < sizeof docs / sizeof docs[0]; d++) {
        json_object *doc = json_tokener_parse(docs[d]);
        assert_non_null(doc);
        for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
            free(render(formats[i].fn, doc));
        json_object_put(doc);
    }
    /* Not an object at all. */
    struct strbuf b;
    sb_init(&b);
    json_object *arr = json_object_new_array();
    assert_int_equal(render_markdown(arr, &b), -1);
    assert_int_equal(render_html(NULL, &b), -1);
    assert_int_equal(render_junit(arr, &b), -1);
    json_object_put(arr);
    sb_free(&b);
}

/* Strings that bypassed jstr(): invalid UTF-8 straight into the document. */
static void test_raw_bytes(void **state)
{
    json_object *doc = json_object_new_object(), *os = json_object_new_object();
    json_object *fs = json_object_new_array(), *f = json_object_new_object();
    json_object *ev = json_object_new_array();

    (void)state;
    json_object_object_add(os, "hostname", json_object_new_string("h\xff\xfe<script>\x01"));
    json_object_object_add(doc, "os", os);
    json_object_object_add(f, "id", json_object_new_string("X-\xc0\xaf"));
    json_object_object_add(f, "severity", json_object_new_string("blocker"));
    json_object_object_add(f, "title", json_object_new_string("t\xe2\x82"));
    json_object_array_add(ev, json_object_new_string("\xf4\x90\x80\x80 beyond U+10FFFF"));
    json_object_object_add(f, "evidence", ev);
    json_object_object_add(f, "remediation", json_object_new_string("```\xff\n```"));
    json_object_array_add(fs, f);
    json_object_object_add(doc, "findings", fs);
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        char *out = render(formats[i].fn, doc);
        assert_false(contains(out, "<script"));
        assert_true(contains(out, "\\xFF\\xFE"));
        free(out);
    }
    json_object_put(doc);
}

/* The first Markdown line carries the verdict and counts. */
static void test_markdown_first_line(void **state)
{
    json_object *doc = json_tokener_parse(
        "{\"verdict\":{\"nitro_boot\":\"fixable\",\"blockers\":2,\"warnings\":1},"
        "\"os\":{\"hostname\":\"web_01\",\"product_name\":\"Debian GNU/Linux 12 (bookworm)\","
        "\"arch\":\"x86_64\"}}");
    char *out;

    (void)state;
    const char *want = "**Nitro boot: FIXABLE** \xE2\x80\x94 2 blockers, 1 warning \xC2\xB7 "
                       "host web\\_01 \xC2\xB7 Debian GNU/Linux 12 (bookworm) x86\\_64\n\n";
    out = render(render_markdown, doc);
    if (strncmp(out, want, strlen(want)))
        fail_msg("first line: %.200s", out);
    free(out);
    json_object_put(doc);
}

/* JUnit: blockers fail, warnings pass with a note, a missing check passes,
 * scanners that did not run are skipped. */
static void test_junit_mapping(void **state)
{
    json_object *doc = json_tokener_parse(
        "{\"findings\":[{\"id\":\"NITRO-ENA-MISSING\",\"severity\":\"blocker\",\"title\":\"no ena\","
        "\"evidence\":[\"e1\"],\"remediation\":\"r\"},"
        "{\"id\":\"BOOT-FSTAB-NOFAIL\",\"severity\":\"warning\",\"title\":\"nofail\",\"evidence\":[]}],"
        "\"kernels\":[{\"version\":\"6.1\",\"default\":true,\"nitro_ready\":false,"
        "\"nvme\":{\"status\":\"builtin\"},\"ena\":{\"status\":\"absent\"}}]}");
    char *out;

    (void)state;
    out = render(render_junit, doc);
    assert_true(contains(out, "name=\"NITRO-ENA-MISSING: no ena\">\n      <failure type=\"blocker\""));
    assert_true(contains(out, "<system-out>WARNING: nofail"));
    assert_true(contains(out, "name=\"NVMe driver for 6.1\">\n    </testcase>"));
    assert_true(contains(out, "name=\"ENA driver for 6.1\">\n      <skipped message=\"ENA driver: absent\""));
    assert_true(contains(out, "name=\"NITRO-NVME-MISSING: Kernel has no NVMe driver\">\n"
                              "      <system-out>No such finding.</system-out>"));
    assert_true(contains(out, "<testsuite name=\"liftcheck.network\" tests=\"1\" failures=\"0\" "
                              "errors=\"0\" skipped=\"1\">"));
    assert_false(contains(out, "NITRO-ENA-MISSING: Kernel has no ENA"));
    free(out);
    json_object_put(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_md_escape),
        cmocka_unit_test(test_md_escape_block),
        cmocka_unit_test(test_truncate),
        cmocka_unit_test(test_fence),
        cmocka_unit_test(test_html_xml_escape),
        cmocka_unit_test(test_partial_documents),
        cmocka_unit_test(test_raw_bytes),
        cmocka_unit_test(test_markdown_first_line),
        cmocka_unit_test(test_junit_mapping),
        cmocka_unit_test(test_golden_debian12),
        cmocka_unit_test(test_golden_blocked),
        cmocka_unit_test(test_golden_dataonly),
        cmocka_unit_test(test_golden_rootmode),
        cmocka_unit_test(test_golden_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
