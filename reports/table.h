/* The tables the Markdown and HTML reports share, written once: which rows
 * and cells each table has.  A format only says how a table, a row and a
 * cell are written (struct table_fmt); headings and prose around the
 * tables are struct doc_fmt's (sections.h). */
#ifndef LIFTCHECK_TABLE_H
#define LIFTCHECK_TABLE_H

#include <json-c/json.h>
#include <stddef.h>

#include "util/strbuf.h"

struct table_fmt {
    void (*head)(struct strbuf *o, const char *const *cols);  /* opens a table */
    void (*row_begin)(struct strbuf *o);
    /* One cell; NULL or "" shows as a dash.  Guest text is escaped. */
    void (*cell)(struct strbuf *o, const char *s);
    /* One cell holding the strings of a JSON array (or one string). */
    void (*list_cell)(struct strbuf *o, json_object *list);
    void (*row_end)(struct strbuf *o);
    void (*end)(struct strbuf *o);
    size_t max_rows;          /* rows of an unbounded list */
};

/* The Markdown and HTML ways (markdown.c, html.c), for other documents'
 * tables too. */
extern const struct table_fmt table_md, table_html;

/* obj[key] as a number cell, a dash when it is not an integer. */
void table_cell_int(const struct table_fmt *f, struct strbuf *o, json_object *obj,
                    const char *key);

const char *table_yes_no(int b);
const char *table_yes_no_unknown(int b);

/* Each writes nothing when there is nothing to list. */
void table_kernels(const struct table_fmt *f, json_object *kernels, struct strbuf *o);
void table_volumes(const struct table_fmt *f, json_object *volumes, struct strbuf *o);
void table_filesystems(const struct table_fmt *f, json_object *volumes, struct strbuf *o);
void table_fstab_issues(const struct table_fmt *f, json_object *fstab, struct strbuf *o);
void table_mac_pins(const struct table_fmt *f, json_object *pins, struct strbuf *o);
void table_applications(const struct table_fmt *f, json_object *apps, struct strbuf *o);

/* network.configs[], the first max of them; returns how many were left off. */
size_t table_net_configs(const struct table_fmt *f, json_object *configs, size_t max,
                         struct strbuf *o);

/* The ELF files' table: path, package and missing libraries; wide adds
 * type, machine and GLIBC. */
void table_elf_head(const struct table_fmt *f, int wide, struct strbuf *o);
void table_elf_row(const struct table_fmt *f, json_object *file, int wide, struct strbuf *o);

#endif
