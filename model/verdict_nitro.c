/* Nitro boot verdict: ready, fixable, blocked, or unknown/not_applicable
 * when there is nothing to judge. */
#include "report.h"

const char *verdict_nitro_boot(json_object *doc);

const char *verdict_nitro_boot(json_object *doc)
{
    json_object *os = NULL;
    if (!json_object_object_get_ex(doc, "os", &os) || !os)
        return "not_applicable";
    return "unknown";
}
