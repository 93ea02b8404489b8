/* The summary's tables, written once for Markdown and HTML (table.h says
 * how a format writes a table). */
#include "summary.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "doc.h"
#include "table.h"

#define NAMES_MAX 50    /* server names listed in one cell */

/* Up to NAMES_MAX strings of arr joined with ", ", then "... and N more". */
static void names_cell(const struct table_fmt *f, struct strbuf *o, json_object *arr)
{
    struct strbuf t;
    size_t n = doc_len(arr);

    sb_init(&t);
    for (size_t i = 0; i < n && i < NAMES_MAX; i++) {
        json_object *s = doc_at(arr, i);
        sb_printf(&t, "%s%s", i ? ", " : "",
                  json_object_is_type(s, json_type_string) ? json_object_get_string(s) : "?");
    }
    if (n > NAMES_MAX)
        sb_printf(&t, ", \xE2\x80\xA6 and %zu more", n - NAMES_MAX);
    f->cell(o, t.s);
    sb_free(&t);
}

void summary_table_fixes(const struct table_fmt *f, json_object *findings, struct strbuf *o)
{
    static const char *const cols[] = {"Finding", "Severity", "Unblocks (its only blocker)",
                                       "Blocks", "Hits", "What it is", "Servers hit", NULL};
    if (!doc_len(findings))
        return;
    f->head(o, cols);
    for (size_t i = 0; i < doc_len(findings) && i < f->max_rows; i++) {
        json_object *e = doc_at(findings, i);
        f->row_begin(o);
        f->cell(o, doc_str(e, "id"));
        f->cell(o, doc_str(e, "severity"));
        table_cell_int(f, o, e, "servers_unblocked");
        table_cell_int(f, o, e, "servers_blocked");
        table_cell_int(f, o, e, "servers_hit");
        f->cell(o, doc_str(e, "title"));
        names_cell(f, o, doc_arr(e, "servers"));
        f->row_end(o);
    }
    f->end(o);
}

void summary_apps_text(struct strbuf *t, json_object *apps, size_t max)
{
    size_t n = doc_len(apps);

    for (size_t i = 0; i < n && i < max; i++) {
        json_object *a = doc_at(apps, i);
        const char *name = doc_str(a, "name"), *dec = doc_str(a, "decision");
        const char *img = doc_str(a, "base_image");
        sb_printf(t, "%s%s: %s", i ? "; " : "", name ? name : "?", dec ? dec : "?");
        if (img)
            sb_printf(t, " (%s)", img);
    }
    if (n > max)
        sb_printf(t, "; \xE2\x80\xA6 and %zu more", n - max);
}

static void apps_cell(const struct table_fmt *f, struct strbuf *o, json_object *apps)
{
    struct strbuf t;
    sb_init(&t);
    summary_apps_text(&t, apps, NAMES_MAX);
    f->cell(o, t.s);
    sb_free(&t);
}

void summary_table_servers(const struct table_fmt *f, json_object *servers, struct strbuf *o)
{
    static const char *const cols[] = {"Server", "Host", "OS", "Nitro boot", "Blockers",
                                       "Warnings", "Blocking findings", "Warning findings",
                                       "Server decision", "Applications", NULL};
    size_t shown = 0;

    for (size_t i = 0; i < doc_len(servers) && shown < f->max_rows; i++) {
        json_object *s = doc_at(servers, i);
        const char *st = doc_str(s, "status");
        if (!st || strcmp(st, "read"))
            continue;
        if (!shown++)
            f->head(o, cols);
        f->row_begin(o);
        f->cell(o, doc_str(s, "name"));
        f->cell(o, doc_str(s, "hostname"));
        f->cell(o, doc_str(s, "os"));
        f->cell(o, doc_str(s, "nitro_boot"));
        table_cell_int(f, o, s, "blockers");
        table_cell_int(f, o, s, "warnings");
        names_cell(f, o, doc_arr(s, "blocker_ids"));
        names_cell(f, o, doc_arr(s, "warning_ids"));
        f->cell(o, doc_str(s, "server_decision"));
        apps_cell(f, o, doc_arr(s, "applications"));
        f->row_end(o);
    }
    if (shown)
        f->end(o);
}

void summary_table_images(const struct table_fmt *f, json_object *images, struct strbuf *o)
{
    static const char *const cols[] = {"Base image", "Applications", "Servers", NULL};
    if (!doc_len(images))
        return;
    f->head(o, cols);
    for (size_t i = 0; i < doc_len(images) && i < f->max_rows; i++) {
        json_object *e = doc_at(images, i);
        f->row_begin(o);
        f->cell(o, doc_str(e, "image"));
        table_cell_int(f, o, e, "applications");
        table_cell_int(f, o, e, "servers");
        f->row_end(o);
    }
    f->end(o);
}

void summary_table_unreadable(const struct table_fmt *f, json_object *servers, struct strbuf *o)
{
    static const char *const cols[] = {"Server", "Report", "Why it was not read", NULL};
    size_t shown = 0;

    for (size_t i = 0; i < doc_len(servers) && shown < f->max_rows; i++) {
        json_object *s = doc_at(servers, i);
        const char *st = doc_str(s, "status");
        if (st && !strcmp(st, "read"))
            continue;
        if (!shown++)
            f->head(o, cols);
        f->row_begin(o);
        f->cell(o, doc_str(s, "name"));
        f->cell(o, doc_str(s, "report"));
        f->cell(o, doc_str(s, "error"));
        f->row_end(o);
    }
    if (shown)
        f->end(o);
}

static int64_t num(json_object *o, const char *key)
{
    int64_t v = 0;
    doc_int(o, key, &v);
    return v;
}

void summary_headline(json_object *doc, struct strbuf *o)
{
    json_object *t = doc_obj(doc, "totals"), *v = doc_obj(t, "verdicts");
    const char *fail_on = doc_str(doc, "fail_on");

    sb_printf(o, "%" PRId64 " server%s: %" PRId64 " ready, %" PRId64 " fixable, %" PRId64
                 " blocked, %" PRId64 " unknown, %" PRId64 " without an OS",
              num(t, "servers"), num(t, "servers") == 1 ? "" : "s", num(v, "ready"),
              num(v, "fixable"), num(v, "blocked"), num(v, "unknown"), num(v, "not_applicable"));
    if (num(t, "unreadable"))
        sb_printf(o, "; %" PRId64 " report%s unreadable", num(t, "unreadable"),
                  num(t, "unreadable") == 1 ? "" : "s");
    if (num(t, "incomplete"))
        sb_printf(o, "; %" PRId64 " incomplete", num(t, "incomplete"));
    /* fail_on is ours ("blocker", "warning", "never"), but read from a
     * document: only a known word is shown. */
    if (fail_on && (!strcmp(fail_on, "blocker") || !strcmp(fail_on, "warning")))
        sb_printf(o, "; %" PRId64 " fail --fail-on %s", num(t, "failing"), fail_on);
}
