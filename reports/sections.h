/* The sections of the server report, written once for Markdown and HTML:
 * what each section says and in what order.  A format only says how a
 * heading, a paragraph, a list or a field is written (struct doc_fmt), as
 * struct table_fmt does for tables; its page frame stays with it.  The
 * wave summary writes its sections through the same struct
 * (summary_sections.c). */
#ifndef LIFTCHECK_SECTIONS_H
#define LIFTCHECK_SECTIONS_H

#include <json-c/json.h>
#include <stddef.h>

#include "util/strbuf.h"

struct table_fmt;

/* Paragraph flags.  PARA_MUTED: shown dimmed where the format can.
 * PARA_RUN_ON: no line break after it in HTML, where the page has always
 * run these on into the next tag (pages stay byte-for-byte comparable). */
#define PARA_MUTED 1
#define PARA_RUN_ON 2

enum list_kind { LIST_PLAIN, LIST_EVIDENCE };

/* Text handed to a format is ours unless a comment says "guest": guest
 * text is escaped by the format, ours is written as it is. */
struct doc_fmt {
    const struct table_fmt *table;
    /* The verdict line: its separator, and how the host and the OS (guest)
     * are shown on it. */
    const char *headline_sep;
    void (*headline_host)(struct strbuf *o, const char *host);
    void (*headline_text)(struct strbuf *o, const char *s);
    void (*section_open)(struct strbuf *o, const char *title);
    void (*section_close)(struct strbuf *o);
    /* A heading inside a section, with a count when count is not NULL. */
    void (*subheading)(struct strbuf *o, const char *title, const size_t *count);
    void (*para_open)(struct strbuf *o, int flags);
    void (*para_close)(struct strbuf *o, int flags);
    void (*list_open)(struct strbuf *o, enum list_kind kind);
    void (*item_open)(struct strbuf *o);
    void (*item_close)(struct strbuf *o);
    /* A whole item: one line of guest text shown as code. */
    void (*item_code)(struct strbuf *o, const char *s);
    void (*list_close)(struct strbuf *o);
    void (*text)(struct strbuf *o, const char *s);        /* guest */
    void (*code)(struct strbuf *o, const char *s);        /* guest */
    void (*strong)(struct strbuf *o, const char *s);
    void (*em)(struct strbuf *o, const char *s);
    void (*short_text)(struct strbuf *o, const char *s);  /* guest: a name in a sentence */
    void (*code_block)(struct strbuf *o, const char *s);  /* guest, many lines */
    const char *ellipsis;  /* where a list was cut short */
    /* A table of labelled values: the label is ours, the value guest
     * (NULL or "" shows as a dash). */
    void (*fields_open)(struct strbuf *o);
    void (*field)(struct strbuf *o, const char *label, const char *value);
    void (*fields_close)(struct strbuf *o);
    /* The run's facts open the report: under the document's title in
     * Markdown, in a section of their own in HTML. */
    void (*run_open)(struct strbuf *o);
    void (*run_close)(struct strbuf *o);
    /* A finding's frame, by severity rank (doc_severity); id and title
     * guest. */
    void (*finding_open)(struct strbuf *o, int severity, const char *id, const char *title);
    void (*finding_close)(struct strbuf *o);
    /* A part folded away until opened; NULL where elf_rows_max is 0. */
    void (*fold_open)(struct strbuf *o, const char *summary);
    void (*fold_close)(struct strbuf *o);
    size_t evidence_max;  /* evidence lines per finding */
    size_t configs_max;   /* network configurations listed */
    int elf_wide;         /* ELF file rows with type, machine and GLIBC */
    size_t elf_rows_max;  /* rows of the whole ELF inventory; 0: none */
};

/* The Markdown and HTML ways (markdown.c, html.c). */
extern const struct doc_fmt doc_md, doc_html;

/* A paragraph of our own words, printf-style, short (160 bytes at most). */
void sections_note(const struct doc_fmt *f, struct strbuf *o, int flags, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The verdict line after its label: the blocker and warning counts, the
 * host, the OS, and whether the scan is incomplete. */
void sections_headline(const struct doc_fmt *f, json_object *doc, struct strbuf *o);

/* Every section after the verdict, from the run's facts to the ELF
 * summary; a section the report lacks is left out or says so. */
void sections_write(const struct doc_fmt *f, json_object *doc, struct strbuf *o);

#endif
