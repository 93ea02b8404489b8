/* Writing the report in every format asked for, to stdout, one file, or a
 * directory with the server report and one report per volume. */
#ifndef LIFTCHECK_OUTPUT_H
#define LIFTCHECK_OUTPUT_H

#include <json-c/json.h>

enum { FMT_JSON = 1, FMT_MARKDOWN = 2, FMT_HTML = 4, FMT_JUNIT = 8 };

/* Parses "json,markdown,html,junit" into a mask; -1 on an unknown name. */
int output_parse_formats(const char *list);

/* formats: mask; file: -o FILE or NULL; dir: --output-dir or NULL.
 * Without dir, exactly one format goes to file or stdout.  With dir,
 * report.<ext> and volume-<n>.<ext> are written for each format.
 * Returns 0, or -1 with a message printed naming the file. */
int output_write(json_object *doc, int formats, const char *file, const char *dir);

#endif
