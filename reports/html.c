/* One self-contained HTML5 page: inline CSS, a Content-Security-Policy that
 * forbids every script and external resource, readable on screen and on
 * paper.  <details> folds the long parts without script. */
#include "reports.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "doc.h"
#include "model/elf_files.h"
#include "escape.h"
#include "html_page.h"
#include "table.h"

#define CELL_MAX 1000
#define TEXT_MAX 4000
#define CODE_MAX 20000
#define EVIDENCE_MAX 200
#define ELF_ROWS_MAX 20000
#define CONFIGS_MAX 100   /* network configurations listed */

static const char style[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0 auto;"
    "max-width:72rem;padding:1rem 1.5rem;color:#1b1f24;background:#fff}"
    "h1{font-size:1.6rem;margin:.2rem 0}h2{border-bottom:1px solid #d0d7de;padding-bottom:.2rem;"
    "margin-top:2rem}h3{font-size:1.05rem;margin:.2rem 0 .4rem}"
    "table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}"
    "th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top;"
    "overflow-wrap:anywhere;min-width:4.5em}th{background:#f6f8fa}td ul{padding-left:1rem}"
    "code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em}"
    "pre{background:#f6f8fa;border:1px solid #d0d7de;padding:.5rem;white-space:pre-wrap;"
    "overflow-wrap:anywhere}"
    ".verdict{padding:.8rem 1rem;border-radius:6px;border:2px solid}"
    ".v-ready{background:#dafbe1;border-color:#1a7f37}.v-fixable{background:#fff8c5;"
    "border-color:#9a6700}.v-blocked{background:#ffebe9;border-color:#cf222e}"
    ".v-other{background:#f6f8fa;border-color:#57606a}"
    ".finding{border-left:4px solid #57606a;padding:.3rem .8rem;margin:.8rem 0;"
    "break-inside:avoid}.blocker{border-color:#cf222e}.warning{border-color:#9a6700}"
    ".info{border-color:#0969da}.muted{color:#57606a}ul{margin:.2rem 0}"
    "summary{cursor:pointer;font-weight:600}"
    "@media print{body{max-width:none;font-size:11pt;padding:0}"
    "h2{break-after:avoid}pre{white-space:pre-wrap}"
    ".verdict{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

static void esc(struct strbuf *o, const char *s) { html_escape(o, s, TEXT_MAX, 0); }

static void td(struct strbuf *o, const char *s)
{
    sb_puts(o, "<td>");
    if (s && *s)
        html_escape(o, s, CELL_MAX, 0);
    else
        sb_puts(o, "&mdash;");
    sb_puts(o, "</td>");
}


static void thead(struct strbuf *o, const char *const *cols)
{
    sb_puts(o, "<table><thead><tr>");
    for (size_t i = 0; cols[i]; i++)
        sb_printf(o, "<th>%s</th>", cols[i]);
    sb_puts(o, "</tr></thead><tbody>\n");
}

static void tr_begin(struct strbuf *o) { sb_puts(o, "<tr>"); }
static void tr_end(struct strbuf *o) { sb_puts(o, "</tr>\n"); }
static void table_close(struct strbuf *o) { sb_puts(o, "</tbody></table>\n"); }

/* Several lines in one cell: a list. */
static void td_list(struct strbuf *o, json_object *r)
{
    sb_puts(o, "<td>");
    if (r && json_object_is_type(r, json_type_array)) {
        sb_puts(o, "<ul>");
        for (size_t j = 0; j < doc_len(r); j++) {
            json_object *e = doc_at(r, j);
            if (!json_object_is_type(e, json_type_string))
                continue;
            sb_puts(o, "<li>");
            html_escape(o, json_object_get_string(e), CELL_MAX, 0);
            sb_puts(o, "</li>");
        }
        sb_puts(o, "</ul>");
    } else if (r && json_object_is_type(r, json_type_string)) {
        html_escape(o, json_object_get_string(r), CELL_MAX, 0);
    }
    sb_puts(o, "</td>");
}

const struct table_fmt table_html = {
    .head = thead, .row_begin = tr_begin, .cell = td, .list_cell = td_list,
    .row_end = tr_end, .end = table_close, .max_rows = SIZE_MAX,
};

static void row2(struct strbuf *o, const char *label, const char *value)
{
    sb_printf(o, "<tr><th>%s</th>", label);
    td(o, value);
    sb_puts(o, "</tr>\n");
}

/* Class names come from a fixed list, never from the document. */
static const char *verdict_class(const char *label)
{
    if (!strcmp(label, "READY"))
        return "v-ready";
    if (!strcmp(label, "FIXABLE"))
        return "v-fixable";
    if (!strcmp(label, "BLOCKED"))
        return "v-blocked";
    return "v-other";
}

void html_page_open(struct strbuf *o, const char *title, const char *guest)
{
    sb_puts(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
               "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n"
               "<meta name=\"referrer\" content=\"no-referrer\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    sb_printf(o, "<title>liftcheck: %s", title);
    if (guest && *guest) {
        sb_puts(o, " \xE2\x80\x94 ");
        html_escape(o, guest, 200, 0);
    }
    sb_printf(o, "</title>\n<style>%s</style>\n</head>\n<body>\n", style);
}

static void head(json_object *doc, struct strbuf *o)
{
    const char *label = doc_verdict_label(doc);
    const char *host = doc_str(doc_obj(doc, "os"), "hostname");
    json_object *v = doc_obj(doc, "verdict");
    int64_t b = 0, w = 0;
    struct strbuf os;

    doc_int(v, "blockers", &b);
    doc_int(v, "warnings", &w);
    html_page_open(o, label, host);
    sb_printf(o, "<header class=\"verdict %s\"><h1>Nitro boot: %s</h1>\n<p>%" PRId64
                 " blocker%s, %" PRId64 " warning%s",
              verdict_class(label), label, b, b == 1 ? "" : "s", w, w == 1 ? "" : "s");
    if (host && *host) {
        sb_puts(o, " &middot; host <strong>");
        esc(o, host);
        sb_puts(o, "</strong>");
    }
    sb_init(&os);
    doc_os_line(doc, &os);
    sb_puts(o, " &middot; ");
    if (os.len)
        esc(o, os.s);
    else
        sb_puts(o, "no operating system found");
    sb_free(&os);
    if (doc_bool(doc, "complete") == 0)
        sb_puts(o, " &middot; <strong>incomplete scan</strong>");
    sb_puts(o, "</p></header>\n");
}

static void about(json_object *doc, struct strbuf *o)
{
    json_object *tool = doc_obj(doc, "tool"), *launch = doc_obj(doc, "launch");
    json_object *vols = doc_arr(doc, "volumes");
    struct strbuf t;
    int64_t ms;

    sb_init(&t);
    sb_puts(o, "<section><h2>Run</h2>\n<table><tbody>\n");
    for (size_t i = 0; i < doc_len(vols); i++) {
        const char *p = doc_str(doc_at(vols, i), "path");
        sb_printf(&t, "%s%s", i ? ", " : "", p ? p : "?");
    }
    row2(o, "Disks", t.s);
    row2(o, "Started", doc_str(doc, "started_at"));
    t.len = 0;
    if (doc_int(doc, "duration_ms", &ms))
        sb_printf(&t, "%.1f s", (double)ms / 1000.0);
    row2(o, "Duration", t.len ? t.s : NULL);
    t.len = 0;
    const char *acc = doc_str(launch, "accelerator"), *why = doc_str(launch, "fallback_reason");
    sb_puts(&t, acc ? acc : "?");
    if (why)
        sb_printf(&t, " (KVM not used: %s)", why);
    row2(o, "Appliance", t.s);
    row2(o, "Complete", doc_bool(doc, "complete") == 0
                            ? "no: part of the scan failed or was cut short"
                            : table_yes_no(doc_bool(doc, "complete")));
    t.len = 0;
    const char *ver = doc_str(tool, "version"), *schema = doc_str(doc, "schema_version");
    sb_printf(&t, "%s, schema %s", ver ? ver : "?", schema ? schema : "?");
    row2(o, "liftcheck", t.s);
    sb_puts(o, "</tbody></table></section>\n");
    sb_free(&t);
}

static void finding(struct strbuf *o, json_object *f, const char *cls)
{
    json_object *ev = doc_arr(f, "evidence");
    const char *rem = doc_str(f, "remediation");
    size_t n = doc_len(ev);
    int64_t vol;

    sb_printf(o, "<article class=\"finding %s\"><h3><code>", cls);
    esc(o, doc_str(f, "id") ? doc_str(f, "id") : "?");
    sb_puts(o, "</code> ");
    esc(o, doc_str(f, "title"));
    sb_puts(o, "</h3>\n");
    if (doc_int(f, "volume", &vol))
        sb_printf(o, "<p class=\"muted\">Volume %" PRId64 ".</p>\n", vol);
    else
        sb_puts(o, "<p class=\"muted\">Whole server.</p>\n");
    if (n) {
        sb_puts(o, "<ul class=\"evidence\">\n");
        for (size_t i = 0; i < n && i < EVIDENCE_MAX; i++) {
            json_object *e = doc_at(ev, i);
            sb_puts(o, "<li><code>");
            esc(o, json_object_is_type(e, json_type_string) ? json_object_get_string(e) : "");
            sb_puts(o, "</code></li>\n");
        }
        if (n > EVIDENCE_MAX)
            sb_printf(o, "<li>&hellip; and %zu more</li>\n", n - EVIDENCE_MAX);
        sb_puts(o, "</ul>\n");
    }
    if (rem && *rem) {
        sb_puts(o, "<p>Remediation:</p>\n<pre>");
        html_escape(o, rem, CODE_MAX, ESC_MULTILINE);
        sb_puts(o, "</pre>\n");
    }
    sb_puts(o, "</article>\n");
}

static void findings(json_object *doc, struct strbuf *o)
{
    static const char *const heads[] = {"Info", "Warnings", "Blockers"};
    static const char *const cls[] = {"info", "warning", "blocker"};
    json_object *fs = doc_arr(doc, "findings");

    for (int sev = 2; sev >= 0; sev--) {
        size_t count = 0;
        for (size_t i = 0; i < doc_len(fs); i++)
            count += doc_severity(doc_at(fs, i)) == sev;
        sb_printf(o, "<section><h2>%s (%zu)</h2>\n", heads[sev], count);
        if (!count)
            sb_puts(o, "<p class=\"muted\">None.</p>\n");
        for (size_t i = 0; i < doc_len(fs); i++)
            if (doc_severity(doc_at(fs, i)) == sev)
                finding(o, doc_at(fs, i), cls[sev]);
        sb_puts(o, "</section>\n");
    }
}

static void kernels(json_object *doc, struct strbuf *o)
{
    json_object *ks = doc_arr(doc, "kernels"), *boot = doc_obj(doc, "boot");

    sb_puts(o, "<section><h2>Kernels</h2>\n");
    if (!ks)
        sb_puts(o, "<p class=\"muted\">Not scanned.</p>\n");
    else if (!doc_len(ks))
        sb_puts(o, "<p>No installed kernel found.</p>\n");
    table_kernels(&table_html, ks, o);
    if (boot) {
        sb_puts(o, "<p>Bootloader: ");
        esc(o, doc_str(boot, "loader") ? doc_str(boot, "loader") : "?");
        if (doc_str(boot, "config")) {
            sb_puts(o, ", config <code>");
            esc(o, doc_str(boot, "config"));
            sb_puts(o, "</code>");
        }
        if (doc_str(boot, "default_kernel")) {
            sb_puts(o, ", default kernel <code>");
            esc(o, doc_str(boot, "default_kernel"));
            sb_puts(o, "</code>");
        }
        sb_puts(o, ".</p>\n");
    }
    if (doc_obj(boot, "mode")) {
        struct strbuf t;
        sb_init(&t);
        doc_boot_mode_line(doc_obj(boot, "mode"), &t);
        sb_puts(o, "<p>Boot mode: ");
        esc(o, t.s);
        sb_puts(o, "</p>\n");
        sb_free(&t);
    }
    sb_puts(o, "</section>\n");
}

static void volumes(json_object *doc, struct strbuf *o)
{
    json_object *vols = doc_arr(doc, "volumes");

    sb_puts(o, "<section><h2>Volumes and filesystems</h2>\n");
    if (!doc_len(vols))
        sb_puts(o, "<p class=\"muted\">None listed.</p>");
    table_volumes(&table_html, vols, o);
    table_filesystems(&table_html, vols, o);
    sb_puts(o, "</section>\n");
}

static void fstab(json_object *doc, struct strbuf *o)
{
    json_object *fs = doc_arr(doc, "fstab");
    size_t issues = 0;

    if (!fs)
        return;
    for (size_t i = 0; i < doc_len(fs); i++)
        issues += doc_str(doc_at(fs, i), "issue") != NULL;
    sb_printf(o, "<section><h2>fstab issues</h2>\n<p>%zu entr%s, %zu with issues.</p>\n",
              doc_len(fs), doc_len(fs) == 1 ? "y" : "ies", issues);
    table_fstab_issues(&table_html, fs, o);
    sb_puts(o, "</section>\n");
}

static void network(json_object *doc, struct strbuf *o)
{
    json_object *n = doc_obj(doc, "network"), *pins, *configs;
    struct strbuf primary;
    size_t more;

    if (!n)
        return;
    pins = doc_arr(n, "mac_pinned");
    configs = doc_arr(n, "configs");
    sb_init(&primary);
    doc_primary_line(doc_obj(n, "predicted_primary"), &primary);
    sb_puts(o, "<section><h2>Network on the instance</h2>\n");
    if (primary.len) {
        sb_puts(o, "<p><strong>ENA interface name:</strong> ");
        esc(o, primary.s);
        sb_puts(o, ".</p>\n");
    }
    sb_free(&primary);
    sb_puts(o, "<ul>\n");
    sb_printf(o, "<li>udev persistent-net rules: %s</li>\n",
              table_yes_no_unknown(doc_bool(n, "persistent_rules")));
    sb_printf(o, "<li>predictable interface names: %s</li>\n",
              table_yes_no_unknown(doc_bool(n, "predictable_names")));
    sb_printf(o, "<li>cloud-init: %s</li>\n", table_yes_no_unknown(doc_bool(n, "cloud_init")));
    if (doc_bool(n, "primary_configured") >= 0)
        sb_printf(o, "<li>a configuration brings it up: %s</li>\n",
                  table_yes_no(doc_bool(n, "primary_configured")));
    sb_printf(o, "<li>MAC-pinned configurations: %zu</li>\n</ul>\n", doc_len(pins));
    table_mac_pins(&table_html, pins, o);
    if (configs) {
        sb_printf(o, "<h3>Interface configurations (%zu)</h3>\n", doc_len(configs));
        more = table_net_configs(&table_html, configs, CONFIGS_MAX, o);
        if (more)
            sb_printf(o, "<p>&hellip; and %zu more (see the JSON report).</p>\n", more);
    }
    sb_puts(o, "</section>\n");
}

static void applications(json_object *doc, struct strbuf *o)
{
    json_object *apps = doc_arr(doc, "applications");

    if (!apps)
        return;
    sb_puts(o, "<section><h2>Applications</h2>\n");
    if (!doc_len(apps))
        sb_puts(o, "<p>No third-party applications found.</p>");
    table_applications(&table_html, apps, o);
    sb_puts(o, "</section>\n");
}

static void counts(struct strbuf *o, const char *label, json_object *obj)
{
    struct strbuf t;

    if (!obj)
        return;
    sb_init(&t);
    doc_counts(&t, obj);
    row2(o, label, t.len ? t.s : NULL);
    sb_free(&t);
}

static void elf_row(struct strbuf *o, json_object *f, struct strbuf *t)
{
    const char *type = doc_str(f, "type");

    sb_puts(o, "<tr>");
    td(o, doc_str(f, "path"));
    td(o, doc_bool(f, "kernel_module") == 1 ? "kernel module" : type ? type : "corrupt");
    td(o, doc_str(f, "machine"));
    td(o, doc_str(f, "package") ? doc_str(f, "package") : "(none)");
    td(o, doc_str(f, "glibc_max"));
    t->len = 0;
    doc_join(t, doc_arr(f, "missing_needed"), ", ");
    td(o, t->len ? t->s : NULL);
    sb_puts(o, "</tr>\n");
}

static void elf(json_object *doc, struct strbuf *o)
{
    static const char *const cols[] = {"Path", "Type", "Machine", "Package", "GLIBC",
                                       "Missing", NULL};
    static const char *const keys[][2] = {
        {"count", "ELF files"}, {"third_party", "Owned by no package"},
        {"missing_libs", "With missing libraries"}, {"corrupt", "Corrupt"},
        {"go_binaries", "Go programs"}, {"aout_count", "a.out programs"},
    };
    static const char *const vers[][2] = {
        {"glibc_max", "Highest GLIBC needed"},
        {"glibc_max_third_party", "Highest GLIBC needed by third-party files"},
        {"glibcxx_max", "Highest GLIBCXX needed"}, {"package_db", "Package database"},
    };
    json_object *s = doc_obj(doc, "elf_summary");
    struct strbuf t;
    size_t missing = 0, n = elf_files_count(doc);

    if (!s)
        return;
    sb_init(&t);
    sb_puts(o, "<section><h2>ELF summary</h2>\n<table><tbody>\n");
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        int64_t v;
        if (!doc_int(s, keys[i][0], &v))
            continue;
        sb_printf(o, "<tr><th>%s</th><td>%" PRId64 "</td></tr>\n", keys[i][1], v);
    }
    counts(o, "By type", doc_obj(s, "by_type"));
    counts(o, "By class", doc_obj(s, "by_class"));
    counts(o, "By machine", doc_obj(s, "by_machine"));
    for (size_t i = 0; i < sizeof vers / sizeof vers[0]; i++)
        row2(o, vers[i][1], doc_str(s, vers[i][0]));
    sb_puts(o, "</tbody></table>\n");
    for (size_t i = 0; i < n; i++) {
        json_object *f = elf_files_at(doc, i);
        if (doc_len(doc_arr(f, "missing_needed"))) {
            if (!missing++) {
                sb_puts(o, "<h3>Files with missing libraries</h3>\n");
                thead(o, cols);
            }
            elf_row(o, f, &t);
        }
        json_object_put(f);
    }
    if (missing)
        sb_puts(o, "</tbody></table>\n");
    if (n) {
        sb_printf(o, "<details><summary>ELF inventory (%zu files)</summary>\n", n);
        thead(o, cols);
        for (size_t i = 0; i < n && i < ELF_ROWS_MAX; i++) {
            json_object *f = elf_files_at(doc, i);
            elf_row(o, f, &t);
            json_object_put(f);
        }
        sb_puts(o, "</tbody></table>\n");
        if (n > ELF_ROWS_MAX)
            sb_printf(o, "<p>&hellip; and %zu more (see the JSON report).</p>\n",
                      n - ELF_ROWS_MAX);
        sb_puts(o, "</details>\n");
    }
    sb_puts(o, "</section>\n");
    sb_free(&t);
}

int render_html(json_object *doc, struct strbuf *out)
{
    if (!doc || !json_object_is_type(doc, json_type_object) || !out)
        return -1;
    head(doc, out);
    sb_puts(out, "<main>\n");
    about(doc, out);
    findings(doc, out);
    kernels(doc, out);
    volumes(doc, out);
    fstab(doc, out);
    network(doc, out);
    applications(doc, out);
    elf(doc, out);
    sb_puts(out, "</main>\n<footer class=\"muted\"><p>Rendered from the liftcheck JSON report; "
                 "the JSON report is authoritative.</p></footer>\n</body>\n</html>\n");
    return 0;
}
