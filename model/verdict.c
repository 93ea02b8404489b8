/* The server verdict, computed from the report document alone so that a
 * saved report can be re-judged. */
#include "report.h"

#include "decide.h"

#include <string.h>

/* Nitro boot verdict from the kernels section (verdict_nitro.c). */
const char *verdict_nitro_boot(json_object *doc);

void verdict_compute(json_object *doc)
{
    json_object *findings = NULL, *v = json_object_new_object();
    int blockers = 0, warnings = 0;

    /* Application decisions are facts-derived too; recompute them first. */
    json_object *apps = NULL;
    if (json_object_object_get_ex(doc, "applications", &apps) && apps)
        decide_compute(doc);

    if (json_object_object_get_ex(doc, "findings", &findings)) {
        size_t n = json_object_array_length(findings);
        for (size_t i = 0; i < n; i++) {
            json_object *f = json_object_array_get_idx(findings, i), *s;
            if (!json_object_object_get_ex(f, "severity", &s))
                continue;
            const char *sev = json_object_get_string(s);
            if (!strcmp(sev, "blocker"))
                blockers++;
            else if (!strcmp(sev, "warning"))
                warnings++;
        }
    }
    json_object_object_add(v, "nitro_boot", json_object_new_string(verdict_nitro_boot(doc)));
    json_object_object_add(v, "blockers", json_object_new_int(blockers));
    json_object_object_add(v, "warnings", json_object_new_int(warnings));
    json_object_object_add(doc, "verdict", v);
}
