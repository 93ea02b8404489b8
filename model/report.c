#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jdoc.h"
#include "util/utf8.h"
#include "util/xalloc.h"

static const struct {
    const char *id;
    enum severity sev;
    const char *title;
} finding_table[] = {
#define FINDING(sym, id, sev, title) [F_##sym] = {id, sev, title},
#include "findings.def"
#undef FINDING
};

static int known(enum finding_id id) { return (unsigned)id < F__COUNT; }

const char *finding_id_str(enum finding_id id) { return known(id) ? finding_table[id].id : "UNKNOWN"; }
const char *finding_title(enum finding_id id) { return known(id) ? finding_table[id].title : "Unknown finding"; }
enum severity finding_default_severity(enum finding_id id)
{
    return known(id) ? finding_table[id].sev : SEV_WARNING;
}

const char *severity_str(enum severity s)
{
    switch (s) {
    case SEV_BLOCKER: return "blocker";
    case SEV_WARNING: return "warning";
    default: return "info";
    }
}

json_object *report_tool(void)
{
    json_object *tool = jobject();
    doc_put(tool, "name", jstr("liftcheck"));
    doc_put(tool, "version", jstr(LIFTCHECK_VERSION));
    return tool;
}

json_object *report_utc_now(void)
{
    char when[32];
    time_t t = time(NULL);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return jstr(when);
}

struct report *report_new(void)
{
    struct report *r = xcalloc(1, sizeof *r);
    r->doc = jobject();
    r->findings = jarray();
    /* the document holds the findings array; r->findings borrows it */
    doc_put(r->doc, "schema_version", jstr(REPORT_SCHEMA_VERSION));
    doc_put(r->doc, "findings", r->findings);
    return r;
}

void report_free(struct report *r)
{
    if (!r)
        return;
    json_object_put(r->doc);
    free(r);
}

void report_set(struct report *r, const char *key, json_object *val)
{
    if (doc_put(r->doc, key, val) < 0)     /* val is released */
        r->incomplete = 1;
}

json_object *report_get(struct report *r, const char *key)
{
    json_object *o = NULL;
    json_object_object_get_ex(r->doc, key, &o);
    return o;
}

static json_object *add_finding(struct report *r, enum finding_id id, int volume,
                                const char *remediation, const char *title)
{
    json_object *f = jobject();
    if (doc_put(f, "id", jstr(finding_id_str(id))) < 0 ||
        doc_put(f, "severity", jstr(severity_str(finding_default_severity(id)))) < 0 ||
        doc_put(f, "volume", volume >= 0 ? jint(volume) : NULL) < 0 ||
        doc_put(f, "title", jstr(title)) < 0 || doc_put(f, "evidence", jarray()) < 0 ||
        doc_put(f, "remediation", jstr_or_null(remediation)) < 0 ||
        doc_push(r->findings, json_object_get(f)) < 0) {
        /* a finding that cannot be recorded makes the report incomplete */
        json_object_put(f);
        r->incomplete = 1;
        return NULL;
    }
    json_object_put(f);
    return f;
}

json_object *report_add_finding(struct report *r, enum finding_id id, int volume,
                                const char *remediation, const char *const *evidence)
{
    json_object *f = add_finding(r, id, volume, remediation, finding_title(id));
    for (; evidence && *evidence; evidence++)
        report_finding_evidence(f, "%s", *evidence);
    return f;
}

json_object *report_add_findingf(struct report *r, enum finding_id id, int volume,
                                 const char *remediation, const char *fmt, ...)
{
    char detail[1024], title[1200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    snprintf(title, sizeof title, "%s: %s", finding_title(id), detail);
    return add_finding(r, id, volume, remediation, title);
}

void report_finding_evidence(json_object *finding, const char *fmt, ...)
{
    json_object *ev = doc_arr(finding, "evidence");
    char buf[4096];
    va_list ap;

    if (!ev)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    doc_push(ev, jstr(buf));
}

void report_finding_severity(json_object *finding, enum severity s)
{
    doc_put(finding, "severity", jstr(severity_str(s)));
}
