/* The report model: one JSON document per server (json-c objects).
 *
 * Scanners add facts (top-level sections) and findings; the verdict is then
 * computed from the document alone, so it can be recomputed from a saved
 * report; renderers only read it.  Keeping the model as JSON makes the saved
 * report and the in-memory model the same thing.  The one exception is the
 * ELF inventory, which a scan keeps compact and json-c writes from there
 * (elf_files.h): read it through elf_files_count/at/find, never as an array.
 */
#ifndef LIFTCHECK_REPORT_H
#define LIFTCHECK_REPORT_H

#include <json-c/json.h>
#include <stdarg.h>

#include "jdoc.h"

#define REPORT_SCHEMA_VERSION "1.0"

enum severity { SEV_INFO, SEV_WARNING, SEV_BLOCKER };

enum finding_id {
#define FINDING(sym, id, sev, title) F_##sym,
#include "findings.def"
#undef FINDING
    F__COUNT
};

struct report {
    json_object *doc;       /* the whole document */
    json_object *findings;  /* array inside doc */
    int incomplete;         /* some scan was cut short or failed */
};

struct report *report_new(void);
void report_free(struct report *r);

const char *finding_id_str(enum finding_id id);
const char *finding_title(enum finding_id id);
enum severity finding_default_severity(enum finding_id id);
const char *severity_str(enum severity s);

/* Adds a finding with its default severity.  volume < 0 means the whole
 * server.  evidence is a NULL-terminated list of strings (may be NULL);
 * remediation may be NULL.  Returns the finding object, so a caller can add
 * more evidence with report_finding_evidence(). */
json_object *report_add_finding(struct report *r, enum finding_id id,
                                int volume, const char *remediation,
                                const char *const *evidence);
/* The same with a printf-formatted title detail appended to the title:
 * "Kernel has no NVMe driver: 4.4.0-21-generic". */
json_object *report_add_findingf(struct report *r, enum finding_id id,
                                 int volume, const char *remediation,
                                 const char *detail_fmt, ...)
    __attribute__((format(printf, 5, 6)));
void report_finding_evidence(json_object *finding, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void report_finding_severity(json_object *finding, enum severity s);

/* Sets doc[key] = val (takes ownership of val). */
void report_set(struct report *r, const char *key, json_object *val);
json_object *report_get(struct report *r, const char *key);

/* {"name": "liftcheck", "version": ...}, and the current UTC time as
 * "2026-01-31T12:00:00Z": the header of every document liftcheck writes. */
json_object *report_tool(void);
json_object *report_utc_now(void);


/* A deep copy of doc narrowed to volume idx: its volume, the findings on it
 * or on the whole server, its ELF files; NULL on failure. */
json_object *report_volume_view(json_object *doc, int idx);

/* Recomputes doc["verdict"] (and the application decisions) from facts and
 * findings, whatever their types.  Returns 0, or -1 when doc is not an
 * object (the verdict is then missing). */
int verdict_compute(json_object *doc);

#endif
