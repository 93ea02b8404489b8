/* The server verdict, computed from the report document alone so that a
 * saved report can be re-judged. */
#include "report.h"

#include "decide.h"
#include "jdoc.h"

#include <string.h>

/* Nitro boot verdict from the kernels section (verdict_nitro.c). */
const char *verdict_nitro_boot(json_object *doc);

int verdict_compute(json_object *doc)
{
    json_object *findings = doc_arr(doc, "findings"), *v;
    int blockers = 0, warnings = 0, rc = 0;

    if (!json_object_is_type(doc, json_type_object))
        return -1;
    /* Application decisions are facts-derived too; recompute them first. */
    if (doc_get(doc, "applications") && decide_compute(doc) < 0)
        rc = -1;
    for (size_t i = 0; i < doc_len(findings); i++) {
        const char *sev = doc_str(doc_at(findings, i), "severity");
        if (sev && !strcmp(sev, "blocker"))
            blockers++;
        else if (sev && !strcmp(sev, "warning"))
            warnings++;
    }
    v = jobject();
    if (doc_put(v, "nitro_boot", jstr(verdict_nitro_boot(doc))) < 0 ||
        doc_put(v, "blockers", jint(blockers)) < 0 ||
        doc_put(v, "warnings", jint(warnings)) < 0)
        rc = -1;
    if (doc_put(doc, "verdict", v) < 0)
        rc = -1;
    return rc;
}
