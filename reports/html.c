/* The server report as one HTML5 page in the frame of html_page.h: how
 * HTML writes the tables and the blocks of the sections (sections.h), and
 * the verdict at the top.  <details> folds the long parts without script. */
#include "reports.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "doc.h"
#include "escape.h"
#include "html_page.h"
#include "sections.h"
#include "table.h"

#define CELL_MAX 1000
#define TEXT_MAX 4000
#define CODE_MAX 20000
#define EVIDENCE_MAX 200
#define ELF_ROWS_MAX 20000
#define CONFIGS_MAX 100   /* network configurations listed */

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

static void section_open(struct strbuf *o, const char *title)
{
    sb_printf(o, "<section><h2>%s</h2>\n", title);
}

static void section_close(struct strbuf *o) { sb_puts(o, "</section>\n"); }

static void subheading(struct strbuf *o, const char *title, const size_t *count)
{
    sb_printf(o, "<h3>%s", title);
    if (count)
        sb_printf(o, " (%zu)", *count);
    sb_puts(o, "</h3>\n");
}

static void para_open(struct strbuf *o, int flags)
{
    sb_puts(o, flags & PARA_MUTED ? "<p class=\"muted\">" : "<p>");
}

static void para_close(struct strbuf *o, int flags)
{
    sb_puts(o, flags & PARA_RUN_ON ? "</p>" : "</p>\n");
}

static void list_open(struct strbuf *o, enum list_kind kind)
{
    sb_puts(o, kind == LIST_EVIDENCE ? "<ul class=\"evidence\">\n" : "<ul>\n");
}

static void item_open(struct strbuf *o) { sb_puts(o, "<li>"); }
static void item_close(struct strbuf *o) { sb_puts(o, "</li>\n"); }
static void list_close(struct strbuf *o) { sb_puts(o, "</ul>\n"); }

static void code(struct strbuf *o, const char *s)
{
    sb_puts(o, "<code>");
    esc(o, s);
    sb_puts(o, "</code>");
}

static void item_code(struct strbuf *o, const char *s)
{
    item_open(o);
    code(o, s);
    item_close(o);
}

static void strong(struct strbuf *o, const char *s) { sb_printf(o, "<strong>%s</strong>", s); }
static void em(struct strbuf *o, const char *s) { sb_printf(o, "<em>%s</em>", s); }

static void code_block(struct strbuf *o, const char *s)
{
    sb_puts(o, "<pre>");
    html_escape(o, s, CODE_MAX, ESC_MULTILINE);
    sb_puts(o, "</pre>\n");
}

static void fields_open(struct strbuf *o) { sb_puts(o, "<table><tbody>\n"); }
static void fields_close(struct strbuf *o) { sb_puts(o, "</tbody></table>\n"); }

static void run_open(struct strbuf *o)
{
    section_open(o, "Run");
    fields_open(o);
}

static void run_close(struct strbuf *o) { sb_puts(o, "</tbody></table></section>\n"); }

static void finding_open(struct strbuf *o, int severity, const char *id, const char *title)
{
    static const char *const cls[] = {"info", "warning", "blocker"};

    sb_printf(o, "<article class=\"finding %s\"><h3>", cls[severity]);
    code(o, id);
    sb_puts(o, " ");
    esc(o, title);
    sb_puts(o, "</h3>\n");
}

static void finding_close(struct strbuf *o) { sb_puts(o, "</article>\n"); }

static void fold_open(struct strbuf *o, const char *summary)
{
    sb_printf(o, "<details><summary>%s</summary>\n", summary);
}

static void fold_close(struct strbuf *o) { sb_puts(o, "</details>\n"); }

static void headline_host(struct strbuf *o, const char *host)
{
    sb_puts(o, "<strong>");
    esc(o, host);
    sb_puts(o, "</strong>");
}

const struct doc_fmt doc_html = {
    .table = &table_html,
    .headline_sep = " &middot; ", .headline_host = headline_host, .headline_text = esc,
    .section_open = section_open, .section_close = section_close, .subheading = subheading,
    .para_open = para_open, .para_close = para_close,
    .list_open = list_open, .item_open = item_open, .item_close = item_close,
    .item_code = item_code, .list_close = list_close,
    .text = esc, .code = code, .strong = strong, .em = em, .short_text = esc,
    .code_block = code_block, .ellipsis = "&hellip;",
    .fields_open = fields_open, .field = row2, .fields_close = fields_close,
    .run_open = run_open, .run_close = run_close,
    .finding_open = finding_open, .finding_close = finding_close,
    .fold_open = fold_open, .fold_close = fold_close,
    .evidence_max = EVIDENCE_MAX, .configs_max = CONFIGS_MAX, .elf_wide = 1,
    .elf_rows_max = ELF_ROWS_MAX,
};

int render_html(json_object *doc, struct strbuf *out)
{
    const char *label;
    char heading[64];

    if (!doc || !json_object_is_type(doc, json_type_object) || !out)
        return -1;
    label = doc_verdict_label(doc);
    snprintf(heading, sizeof heading, "Nitro boot: %s", label);
    html_page_open(out, label, doc_str(doc_obj(doc, "os"), "hostname"));
    html_page_banner(out, verdict_class(label), heading);
    sections_headline(&doc_html, doc, out);
    html_page_main(out);
    sections_write(&doc_html, doc, out);
    html_page_close(out, "Rendered from the liftcheck JSON report; the JSON report is "
                         "authoritative.");
    return 0;
}
