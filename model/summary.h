/* The roll-up of many servers' reports (`liftcheck summary`): per server
 * its verdict, findings and applications; per finding id the servers it
 * hits and how many its fix alone unblocks; per base image the
 * applications that land on it.  The result is one JSON document
 * (schema/liftcheck-summary.schema.json) that the summary renderers read.
 *
 * Reports are guest-derived and may be hand-edited or hostile: each is
 * read with a size cap and its types checked, and one that cannot be read
 * is listed as unreadable with the reason instead of stopping the rest. */
#ifndef LIFTCHECK_SUMMARY_H
#define LIFTCHECK_SUMMARY_H

#include <json-c/json.h>
#include <stddef.h>

#define SUMMARY_SCHEMA_VERSION "1.0"
/* Larger reports are refused rather than read into memory. */
#define SUMMARY_REPORT_MAX ((long long)512 << 20)

/* The level that makes a server fail the gate, as --fail-on names it. */
enum summary_fail_on { SUMMARY_FAIL_BLOCKER, SUMMARY_FAIL_WARNING, SUMMARY_FAIL_NEVER };

/* One server's entry of the summary (its "servers" item) from the report
 * at path, named name.  Never NULL but on allocation failure: a report
 * that cannot be read gives an entry with status "unreadable" and the
 * reason in "error". */
json_object *summary_read_report(const char *path, const char *name,
                                 enum summary_fail_on fail_on);

/* The entry of a server whose report could not be read, with why. */
json_object *summary_unreadable(const char *path, const char *name, const char *why);

/* The same from a parsed document (any JSON value, or NULL). */
json_object *summary_read_doc(json_object *doc, const char *path, const char *name,
                              enum summary_fail_on fail_on);

/* The summary document from the server entries (an array, taken over). */
json_object *summary_build(json_object *servers, enum summary_fail_on fail_on);

#endif
