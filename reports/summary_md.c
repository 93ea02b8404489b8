/* The wave's summary in GitHub-flavoured Markdown: the totals on the first
 * line, then the fixes that unblock the most servers. */
#include "summary.h"

#include <inttypes.h>
#include <stdio.h>

#include "doc.h"
#include "escape.h"
#include "table.h"

#define TEXT_MAX 2000
#define CODE_MAX 20000
#define FIXES_MAX 3     /* distinct fix texts shown per finding */

static void fix_details(json_object *e, struct strbuf *o)
{
    json_object *fixes = doc_arr(e, "fixes");
    int64_t u = 0, b = 0, h = 0;

    doc_int(e, "servers_unblocked", &u);
    doc_int(e, "servers_blocked", &b);
    doc_int(e, "servers_hit", &h);
    sb_puts(o, "### ");
    md_escape(o, doc_str(e, "id"), TEXT_MAX);
    sb_puts(o, " \xE2\x80\x94 ");
    md_escape(o, doc_str(e, "title"), TEXT_MAX);
    sb_printf(o, "\n\nHits %" PRId64 " server%s, blocks %" PRId64 ", and is the only blocker on %"
                 PRId64 ".\n\n", h, h == 1 ? "" : "s", b, u);
    for (size_t i = 0; i < doc_len(fixes) && i < FIXES_MAX; i++) {
        json_object *fx = doc_at(fixes, i);
        int64_t n = 0;
        doc_int(fx, "servers", &n);
        sb_printf(o, "Fix (on %" PRId64 " server%s):\n\n", n, n == 1 ? "" : "s");
        md_code_block(o, doc_str(fx, "remediation"), CODE_MAX);
        sb_puts(o, "\n");
    }
    if (doc_len(fixes) > FIXES_MAX)
        sb_printf(o, "\xE2\x80\xA6 and %zu other fixes (see the JSON summary).\n\n",
                  doc_len(fixes) - FIXES_MAX);
}

int summary_markdown(json_object *doc, struct strbuf *out)
{
    json_object *findings = doc_arr(doc, "findings"), *servers = doc_arr(doc, "servers");
    json_object *t = doc_obj(doc, "totals");
    int64_t unreadable = 0;

    if (!doc || !json_object_is_type(doc, json_type_object) || !out)
        return -1;
    sb_puts(out, "**Wave: ");
    summary_headline(doc, out);
    sb_puts(out, "**\n\n# liftcheck summary\n\n## Fixes that unblock the most servers\n\n");
    if (!doc_len(findings))
        sb_puts(out, "No blocker or warning on any server.\n\n");
    else
        sb_puts(out, "A server is unblocked when every blocker on it is fixed: *Unblocks* "
                     "counts the servers whose only blocking finding is this one.\n\n");
    summary_table_fixes(&table_md, findings, out);
    for (size_t i = 0; i < doc_len(findings) && i < table_md.max_rows; i++)
        fix_details(doc_at(findings, i), out);
    sb_puts(out, "## Servers\n\n");
    summary_table_servers(&table_md, servers, out);
    sb_puts(out, "## Applications by base image\n\n");
    if (!doc_len(doc_arr(doc, "base_images")))
        sb_puts(out, "No application lands on a container base image.\n\n");
    summary_table_images(&table_md, doc_arr(doc, "base_images"), out);
    json_object *dec = doc_obj(doc, "decisions");
    if (dec && json_object_object_length(dec)) {
        sb_puts(out, "Decisions:");
        json_object_object_foreach(dec, k, v) {
            sb_puts(out, " ");
            md_escape(out, k, 100);
            sb_printf(out, " %" PRId64 ";", json_object_get_int64(v));
        }
        out->len--;   /* the last ";" */
        sb_puts(out, ".\n\n");
    }
    doc_int(t, "unreadable", &unreadable);
    if (unreadable) {
        sb_puts(out, "## Unreadable reports\n\n");
        summary_table_unreadable(&table_md, servers, out);
    }
    return 0;
}
