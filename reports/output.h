/* Writing the report in every format asked for, to stdout, one file, or a
 * directory with the server report and one report per volume. */
#ifndef LIFTCHECK_OUTPUT_H
#define LIFTCHECK_OUTPUT_H

#include <json-c/json.h>

#include "util/error.h"
#include "util/strbuf.h"

enum { FMT_JSON = 1, FMT_MARKDOWN = 2, FMT_HTML = 4, FMT_JUNIT = 8 };

/* One output format of a document: its bit in a mask, its name for
 * --format, its file extension, and its renderer (NULL: JSON). */
struct output_format {
    int bit;
    const char *name, *ext;
    int (*render)(json_object *, struct strbuf *);
};

/* A comma list of the names in table[0..n) (and "md" for "markdown") into
 * a mask; -1 on an unknown name or an empty list. */
int output_formats_parse(const struct output_format *table, size_t n, const char *list);

/* Writes doc as f to path (NULL: stdout); 0, or a negative errno with a
 * message in err naming the file and what ("report", "summary") could not
 * be written. */
int output_format_write(const struct output_format *f, json_object *doc, const char *path,
                        const char *what, struct lc_error *err);

/* Writes doc in the formats of mask: the first to file (NULL: stdout)
 * without dir, else each as DIR/<stem>.<ext> (DIR is created).  0, or a
 * negative errno with the message in err. */
int output_write_formats(const struct output_format *table, size_t n, int mask,
                         json_object *doc, const char *file, const char *dir,
                         const char *stem, const char *what, struct lc_error *err);

/* Parses "json,markdown,html,junit" into a mask; -1 on an unknown name. */
int output_parse_formats(const char *list);

/* formats: mask; file: -o FILE or NULL; dir: --output-dir or NULL.
 * Without dir, exactly one format goes to file or stdout.  With dir,
 * report.<ext> and volume-<n>.<ext> are written for each format.
 * Returns 0, or a negative errno with a message in err naming the file. */
int output_write(json_object *doc, int formats, const char *file, const char *dir,
                 struct lc_error *err);

/* Renders doc with render (NULL: JSON) to path (NULL or "-": stdout),
 * a file atomically.  0, or -1 with errno set; prints nothing. */
int output_render(json_object *doc, int (*render)(json_object *, struct strbuf *),
                  const char *path);

#endif
