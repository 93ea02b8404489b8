/* GitHub-flavoured Markdown, to paste into a ticket: the verdict on the
 * first line, then what to fix first. */
#include "reports.h"

#include "doc.h"
#include "escape.h"
#include "sections.h"
#include "table.h"

#define CELL_MAX 300      /* characters per table cell */
#define TEXT_MAX 2000     /* characters per line of prose or evidence */
#define CODE_MAX 20000    /* characters per code block */
#define EVIDENCE_MAX 50   /* evidence lines per finding */
#define ROWS_MAX 200      /* rows of an unbounded list */
#define CONFIGS_MAX 20    /* network configurations listed */
#define NAME_MAX_MD 100   /* characters of a name in a sentence */

static void text(struct strbuf *o, const char *s) { md_escape(o, s, TEXT_MAX); }

static void cell(struct strbuf *o, const char *s)
{
    sb_puts(o, " ");
    if (s && *s)
        md_escape(o, s, CELL_MAX);
    else
        sb_puts(o, "\xE2\x80\x94");
    sb_puts(o, " |");
}

static void table_head(struct strbuf *o, const char *const *cols)
{
    size_t n = 0;

    sb_puts(o, "|");
    for (; cols[n]; n++)
        sb_printf(o, " %s |", cols[n]);
    sb_puts(o, "\n|");
    while (n--)
        sb_puts(o, " --- |");
    sb_puts(o, "\n");
}

static void row_begin(struct strbuf *o) { sb_puts(o, "|"); }
/* Ends a row, an item or a list, a table or a block's last line. */
static void line_end(struct strbuf *o) { sb_puts(o, "\n"); }

/* Several lines in one cell: joined, a table row is one line. */
static void cell_list(struct strbuf *o, json_object *r)
{
    struct strbuf t;
    sb_init(&t);
    doc_join(&t, r, "; ");
    cell(o, t.len ? t.s : NULL);
    sb_free(&t);
}

const struct table_fmt table_md = {
    .head = table_head, .row_begin = row_begin, .cell = cell, .list_cell = cell_list,
    .row_end = line_end, .end = line_end, .max_rows = ROWS_MAX,
};

/* The first line of a ticket: shorter than prose. */
static void headline_text(struct strbuf *o, const char *s) { md_escape(o, s, CELL_MAX); }

static void section_open(struct strbuf *o, const char *title)
{
    sb_printf(o, "## %s\n\n", title);
}

static void nothing(struct strbuf *o) { (void)o; }

static void subheading(struct strbuf *o, const char *title, const size_t *count)
{
    if (count)
        sb_printf(o, "%s: %zu.\n\n", title, *count);
    else
        sb_printf(o, "%s:\n\n", title);
}

static void para_open(struct strbuf *o, int flags) { (void)o, (void)flags; }
static void para_close(struct strbuf *o, int flags) { (void)flags, sb_puts(o, "\n\n"); }

static void list_open(struct strbuf *o, enum list_kind kind)
{
    if (kind == LIST_EVIDENCE)
        sb_puts(o, "Evidence:\n\n");
}

static void item_open(struct strbuf *o) { sb_puts(o, "- "); }

/* At the start of an item, where - + = or "1." would start a block. */
static void item_code(struct strbuf *o, const char *s)
{
    item_open(o);
    md_escape_block(o, s, TEXT_MAX);
    line_end(o);
}

static void strong(struct strbuf *o, const char *s) { sb_printf(o, "**%s**", s); }
static void em(struct strbuf *o, const char *s) { sb_printf(o, "*%s*", s); }
static void short_text(struct strbuf *o, const char *s) { md_escape(o, s, NAME_MAX_MD); }

static void code_block(struct strbuf *o, const char *s)
{
    md_code_block(o, s, CODE_MAX);
    line_end(o);
}

static void fields_open(struct strbuf *o)
{
    static const char *const cols[] = {"Field", "Value", NULL};

    table_head(o, cols);
}

static void field(struct strbuf *o, const char *label, const char *value)
{
    sb_printf(o, "| %s |", label);
    cell(o, value);
    line_end(o);
}

static void run_open(struct strbuf *o)
{
    sb_puts(o, "# liftcheck report\n\n");
    fields_open(o);
}

static void finding_open(struct strbuf *o, int severity, const char *id, const char *title)
{
    (void)severity;
    sb_puts(o, "### ");
    text(o, id);
    sb_puts(o, " \xE2\x80\x94 ");
    text(o, title);
    sb_puts(o, "\n\n");
}

/* No fold and no whole ELF inventory: a ticket has no room for it.  Code
 * in a sentence is plain escaped text: md_escape already keeps a backtick
 * from opening a code span. */
const struct doc_fmt doc_md = {
    .table = &table_md,
    .headline_sep = " \xC2\xB7 ", .headline_host = headline_text, .headline_text = headline_text,
    .section_open = section_open, .section_close = nothing, .subheading = subheading,
    .para_open = para_open, .para_close = para_close,
    .list_open = list_open, .item_open = item_open, .item_close = line_end,
    .item_code = item_code, .list_close = line_end,
    .text = text, .code = text, .strong = strong, .em = em, .short_text = short_text,
    .code_block = code_block, .ellipsis = "\xE2\x80\xA6",
    .fields_open = fields_open, .field = field, .fields_close = line_end,
    .run_open = run_open, .run_close = line_end,
    .finding_open = finding_open, .finding_close = nothing,
    .evidence_max = EVIDENCE_MAX, .configs_max = CONFIGS_MAX, .elf_wide = 0, .elf_rows_max = 0,
};

int render_markdown(json_object *doc, struct strbuf *out)
{
    if (!doc || !json_object_is_type(doc, json_type_object) || !out)
        return -1;
    sb_printf(out, "**Nitro boot: %s** \xE2\x80\x94 ", doc_verdict_label(doc));
    sections_headline(&doc_md, doc, out);
    sb_puts(out, "\n\n");
    sections_write(&doc_md, doc, out);
    return 0;
}
