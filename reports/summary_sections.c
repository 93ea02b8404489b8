/* The wave summary's sections in any format (summary.h), written once for
 * Markdown and HTML through struct doc_fmt (sections.h). */
#include "summary.h"

#include <inttypes.h>

#include "doc.h"
#include "sections.h"
#include "table.h"

#define FIXES_MAX 3     /* distinct fix texts shown per finding */

static void fix_details(const struct doc_fmt *f, json_object *e, struct strbuf *o)
{
    json_object *fixes = doc_arr(e, "fixes");
    const char *sev = doc_str(e, "severity");
    int64_t u = 0, b = 0, h = 0;

    doc_int(e, "servers_unblocked", &u);
    doc_int(e, "servers_blocked", &b);
    doc_int(e, "servers_hit", &h);
    f->finding_open(o, sev && sev[0] == 'b' ? 2 : 1, doc_str(e, "id"), doc_str(e, "title"));
    sections_note(f, o, 0, "Hits %" PRId64 " server%s, blocks %" PRId64
                  ", and is the only blocker on %" PRId64 ".", h, h == 1 ? "" : "s", b, u);
    for (size_t i = 0; i < doc_len(fixes) && i < FIXES_MAX; i++) {
        json_object *fx = doc_at(fixes, i);
        int64_t n = 0;
        doc_int(fx, "servers", &n);
        sections_note(f, o, 0, "Fix (on %" PRId64 " server%s):", n, n == 1 ? "" : "s");
        f->code_block(o, doc_str(fx, "remediation"));
    }
    if (doc_len(fixes) > FIXES_MAX)
        sections_note(f, o, 0, "%s and %zu other fixes (see the JSON summary).", f->ellipsis,
                      doc_len(fixes) - FIXES_MAX);
    f->finding_close(o);
}

static void fixes(const struct doc_fmt *f, json_object *findings, struct strbuf *o)
{
    f->section_open(o, "Fixes that unblock the most servers");
    if (!doc_len(findings)) {
        sections_note(f, o, 0, "No blocker or warning on any server.");
    } else {
        f->para_open(o, PARA_MUTED);
        sb_puts(o, "A server is unblocked when every blocker on it is fixed: ");
        f->em(o, "Unblocks");
        sb_puts(o, " counts the servers whose only blocking finding is this one.");
        f->para_close(o, PARA_MUTED);
    }
    summary_table_fixes(f->table, findings, o);
    for (size_t i = 0; i < doc_len(findings) && i < f->table->max_rows; i++)
        fix_details(f, doc_at(findings, i), o);
    f->section_close(o);
}

static void images(const struct doc_fmt *f, json_object *doc, struct strbuf *o)
{
    json_object *dec = doc_obj(doc, "decisions");

    f->section_open(o, "Applications by base image");
    if (!doc_len(doc_arr(doc, "base_images")))
        sections_note(f, o, 0, "No application lands on a container base image.");
    summary_table_images(f->table, doc_arr(doc, "base_images"), o);
    if (dec && json_object_object_length(dec)) {
        f->para_open(o, 0);
        sb_puts(o, "Decisions:");
        json_object_object_foreach(dec, k, v) {
            sb_puts(o, " ");
            f->short_text(o, k);
            sb_printf(o, " %" PRId64 ";", json_object_get_int64(v));
        }
        o->len--;   /* the last ";" */
        sb_puts(o, ".");
        f->para_close(o, 0);
    }
    f->section_close(o);
}

void summary_sections(const struct doc_fmt *f, json_object *doc, struct strbuf *o)
{
    json_object *servers = doc_arr(doc, "servers");
    int64_t unreadable = 0;

    fixes(f, doc_arr(doc, "findings"), o);
    f->section_open(o, "Servers");
    summary_table_servers(f->table, servers, o);
    f->section_close(o);
    images(f, doc, o);
    doc_int(doc_obj(doc, "totals"), "unreadable", &unreadable);
    if (unreadable) {
        f->section_open(o, "Unreadable reports");
        summary_table_unreadable(f->table, servers, o);
        f->section_close(o);
    }
}
