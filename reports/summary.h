/* Renderers of the summary document (model/summary.h).  Like the report
 * renderers they only read the document and escape every string in it:
 * server names, hostnames, finding titles and fixes come from reports,
 * and reports from guests.  Each appends one whole document to out and
 * returns 0, or -1 when doc is not an object.
 *
 * summary_markdown: the wave's totals on the first line, then the fixes
 *   that unblock the most servers, the servers, and the base images.
 * summary_html: the same as one self-contained page (no script).
 * summary_csv: one row per server, for a spreadsheet. */
#ifndef LIFTCHECK_REPORTS_SUMMARY_H
#define LIFTCHECK_REPORTS_SUMMARY_H

#include <json-c/json.h>

#include "util/error.h"
#include "util/strbuf.h"

int summary_markdown(json_object *doc, struct strbuf *out);
int summary_html(json_object *doc, struct strbuf *out);
int summary_csv(json_object *doc, struct strbuf *out);

/* The sections after the headline, in the format f (summary_sections.c). */
struct doc_fmt;
void summary_sections(const struct doc_fmt *f, json_object *doc, struct strbuf *o);

/* The tables Markdown and HTML share (summary_tables.c). */
struct table_fmt;
void summary_table_fixes(const struct table_fmt *f, json_object *findings, struct strbuf *o);
void summary_table_servers(const struct table_fmt *f, json_object *servers, struct strbuf *o);
void summary_table_images(const struct table_fmt *f, json_object *images, struct strbuf *o);
void summary_table_unreadable(const struct table_fmt *f, json_object *servers, struct strbuf *o);
/* "web: container (rockylinux:9); ..." for up to max applications. */
void summary_apps_text(struct strbuf *t, json_object *apps, size_t max);
/* "3 servers: 1 ready, 1 fixable, 1 blocked; 1 unreadable; 2 fail --fail-on
 * blocker", numbers and our own words only. */
void summary_headline(json_object *doc, struct strbuf *o);

/* Formats of `liftcheck summary`; masks as in reports/output.h. */
enum { SUMMARY_JSON = 1, SUMMARY_MARKDOWN = 2, SUMMARY_HTML = 4, SUMMARY_CSV = 8 };
/* "json,markdown,html,csv" into a mask; -1 on an unknown name. */
int summary_parse_formats(const char *list);
/* Writes doc in each format: one to file (NULL: stdout), or every one as
 * DIR/summary.<ext>.  0, or a negative errno with the message in err. */
int summary_write(json_object *doc, int formats, const char *file, const char *dir,
                  struct lc_error *err);

#endif
