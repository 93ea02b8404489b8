/* The wave's summary as CSV (RFC 4180), one row per server, for a
 * spreadsheet; lists within a cell are joined with "; ". */
#include "summary.h"

#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "doc.h"
#include "escape.h"

#define CELL_MAX 10000

static void field(struct strbuf *o, const char *s)
{
    csv_field(o, s, CELL_MAX);
    sb_puts(o, ",");
}

static void field_int(struct strbuf *o, json_object *s, const char *key)
{
    int64_t v;
    if (doc_int(s, key, &v))
        sb_printf(o, "%" PRId64, v);
    sb_puts(o, ",");
}

static void field_list(struct strbuf *o, json_object *arr)
{
    struct strbuf t;
    sb_init(&t);
    doc_join(&t, arr, "; ");
    field(o, t.s);
    sb_free(&t);
}

static void field_apps(struct strbuf *o, json_object *apps)
{
    struct strbuf t;
    sb_init(&t);
    summary_apps_text(&t, apps, SIZE_MAX);
    field(o, t.s);
    sb_free(&t);
}

int summary_csv(json_object *doc, struct strbuf *out)
{
    json_object *servers = doc_arr(doc, "servers");

    if (!doc || !json_object_is_type(doc, json_type_object) || !out)
        return -1;
    sb_puts(out, "server,report,status,error,hostname,os,nitro_boot,blockers,warnings,fails,"
                 "complete,blocker_ids,warning_ids,server_decision,applications\r\n");
    for (size_t i = 0; i < doc_len(servers); i++) {
        json_object *s = doc_at(servers, i);
        field(out, doc_str(s, "name"));
        field(out, doc_str(s, "report"));
        field(out, doc_str(s, "status"));
        field(out, doc_str(s, "error"));
        field(out, doc_str(s, "hostname"));
        field(out, doc_str(s, "os"));
        field(out, doc_str(s, "nitro_boot"));
        field_int(out, s, "blockers");
        field_int(out, s, "warnings");
        field(out, doc_bool(s, "fails") < 0 ? NULL : doc_bool(s, "fails") ? "yes" : "no");
        field(out, doc_bool(s, "complete") < 0 ? NULL : doc_bool(s, "complete") ? "yes" : "no");
        field_list(out, doc_arr(s, "blocker_ids"));
        field_list(out, doc_arr(s, "warning_ids"));
        field(out, doc_str(s, "server_decision"));
        field_apps(out, doc_arr(s, "applications"));
        out->len--;   /* the last "," */
        sb_puts(out, "\r\n");
    }
    return 0;
}
