#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/utf8.h"

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

json_object *jstr(const char *s)
{
    if (!s)
        s = "";
    size_t n = strlen(s);
    if (utf8_valid(s, n))
        return json_object_new_string_len(s, (int)n);
    char *clean = utf8_sanitize(s, n);
    json_object *o = json_object_new_string(clean ? clean : "");
    free(clean);
    return o;
}

json_object *jstr_or_null(const char *s) { return s ? jstr(s) : NULL; }

json_object *report_tool(void)
{
    json_object *tool = json_object_new_object();
    json_object_object_add(tool, "name", jstr("liftcheck"));
    json_object_object_add(tool, "version", jstr(LIFTCHECK_VERSION));
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
    struct report *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->doc = json_object_new_object();
    r->findings = json_object_new_array();
    json_object_object_add(r->doc, "schema_version", jstr(REPORT_SCHEMA_VERSION));
    json_object_object_add(r->doc, "findings", r->findings);
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
    json_object_object_add(r->doc, key, val);
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
    json_object *f = json_object_new_object();
    json_object_object_add(f, "id", jstr(finding_id_str(id)));
    json_object_object_add(f, "severity", jstr(severity_str(finding_default_severity(id))));
    json_object_object_add(f, "volume", volume >= 0 ? json_object_new_int(volume) : NULL);
    json_object_object_add(f, "title", jstr(title));
    json_object_object_add(f, "evidence", json_object_new_array());
    json_object_object_add(f, "remediation", jstr_or_null(remediation));
    json_object_array_add(r->findings, f);
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
    json_object *ev;
    char buf[4096];
    va_list ap;

    if (!finding || !json_object_object_get_ex(finding, "evidence", &ev))
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    json_object_array_add(ev, jstr(buf));
}

void report_finding_severity(json_object *finding, enum severity s)
{
    json_object_object_add(finding, "severity", jstr(severity_str(s)));
}
