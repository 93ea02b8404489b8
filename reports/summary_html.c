/* The wave's summary as one self-contained HTML page, in the frame and
 * style of the server report (html_page.h): no script, strict CSP. */
#include "summary.h"

#include <inttypes.h>
#include <stdio.h>

#include "doc.h"
#include "escape.h"
#include "html_page.h"
#include "table.h"

#define TEXT_MAX 4000
#define CODE_MAX 20000
#define FIXES_MAX 3

static void esc(struct strbuf *o, const char *s) { html_escape(o, s, TEXT_MAX, 0); }

static void fix_details(json_object *e, struct strbuf *o)
{
    json_object *fixes = doc_arr(e, "fixes");
    int64_t u = 0, b = 0, h = 0;
    const char *sev = doc_str(e, "severity");

    doc_int(e, "servers_unblocked", &u);
    doc_int(e, "servers_blocked", &b);
    doc_int(e, "servers_hit", &h);
    /* The class comes from a fixed pair, never from the document. */
    sb_printf(o, "<article class=\"finding %s\"><h3><code>",
              sev && sev[0] == 'b' ? "blocker" : "warning");
    esc(o, doc_str(e, "id"));
    sb_puts(o, "</code> ");
    esc(o, doc_str(e, "title"));
    sb_printf(o, "</h3>\n<p>Hits %" PRId64 " server%s, blocks %" PRId64
                 ", and is the only blocker on %" PRId64 ".</p>\n",
              h, h == 1 ? "" : "s", b, u);
    for (size_t i = 0; i < doc_len(fixes) && i < FIXES_MAX; i++) {
        json_object *fx = doc_at(fixes, i);
        int64_t n = 0;
        doc_int(fx, "servers", &n);
        sb_printf(o, "<p>Fix (on %" PRId64 " server%s):</p>\n<pre>", n, n == 1 ? "" : "s");
        html_escape(o, doc_str(fx, "remediation"), CODE_MAX, ESC_MULTILINE);
        sb_puts(o, "</pre>\n");
    }
    if (doc_len(fixes) > FIXES_MAX)
        sb_printf(o, "<p>&hellip; and %zu other fixes (see the JSON summary).</p>\n",
                  doc_len(fixes) - FIXES_MAX);
    sb_puts(o, "</article>\n");
}

int summary_html(json_object *doc, struct strbuf *out)
{
    json_object *findings = doc_arr(doc, "findings"), *servers = doc_arr(doc, "servers");
    json_object *t = doc_obj(doc, "totals");
    int64_t unreadable = 0, failing = 0;

    if (!doc || !json_object_is_type(doc, json_type_object) || !out)
        return -1;
    doc_int(t, "failing", &failing);
    doc_int(t, "unreadable", &unreadable);
    html_page_open(out, "wave summary", NULL);
    sb_printf(out, "<header class=\"verdict %s\"><h1>Wave summary</h1>\n<p>",
              unreadable ? "v-other" : failing ? "v-blocked" : "v-ready");
    summary_headline(doc, out);
    sb_puts(out, "</p></header>\n<main>\n<section><h2>Fixes that unblock the most servers</h2>\n");
    if (!doc_len(findings))
        sb_puts(out, "<p>No blocker or warning on any server.</p>\n");
    else
        sb_puts(out, "<p class=\"muted\">A server is unblocked when every blocker on it is "
                     "fixed: <em>Unblocks</em> counts the servers whose only blocking finding "
                     "is this one.</p>\n");
    summary_table_fixes(&table_html, findings, out);
    for (size_t i = 0; i < doc_len(findings); i++)
        fix_details(doc_at(findings, i), out);
    sb_puts(out, "</section>\n<section><h2>Servers</h2>\n");
    summary_table_servers(&table_html, servers, out);
    sb_puts(out, "</section>\n<section><h2>Applications by base image</h2>\n");
    if (!doc_len(doc_arr(doc, "base_images")))
        sb_puts(out, "<p>No application lands on a container base image.</p>\n");
    summary_table_images(&table_html, doc_arr(doc, "base_images"), out);
    json_object *dec = doc_obj(doc, "decisions");
    if (dec && json_object_object_length(dec)) {
        sb_puts(out, "<p>Decisions:");
        json_object_object_foreach(dec, k, v) {
            sb_puts(out, " ");
            esc(out, k);
            sb_printf(out, " %" PRId64 ";", json_object_get_int64(v));
        }
        out->len--;   /* the last ";" */
        sb_puts(out, ".</p>\n");
    }
    sb_puts(out, "</section>\n");
    if (unreadable) {
        sb_puts(out, "<section><h2>Unreadable reports</h2>\n");
        summary_table_unreadable(&table_html, servers, out);
        sb_puts(out, "</section>\n");
    }
    sb_puts(out, "</main>\n<footer class=\"muted\"><p>Rolled up from liftcheck JSON reports; "
                 "each server's report is authoritative.</p></footer>\n</body>\n</html>\n");
    return 0;
}
