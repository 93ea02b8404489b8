/* Renderers: they only read the report document. */
#ifndef LIFTCHECK_REPORTS_H
#define LIFTCHECK_REPORTS_H

#include <json-c/json.h>

/* Writes the JSON report to path (NULL or "-" = stdout).  A file is
 * written next to its final name and renamed, so a reader never sees half
 * a report.  Returns 0 or -1 with errno set. */
int report_write_json(json_object *doc, const char *path);

/* Writes text to path atomically (temp file + rename). */
int write_file_atomic(const char *path, const char *text, size_t len);

#endif
