/* A saved report as `liftcheck render` reads it: parsed with json-c, the
 * verdict and application decisions recomputed from its facts, then every
 * format rendered into memory for the server and for each volume's view,
 * and a Dockerfile for each application.  Whatever the types of its
 * members, nothing may abort, and what the renderers write must stay valid
 * UTF-8 (they escape every string of the document). */
#include "fuzz.h"

#include <json-c/json.h>
#include <stdlib.h>

#include "model/jdoc.h"
#include "model/report.h"
#include "reports/dockerfile.h"
#include "reports/reports.h"
#include "util/utf8.h"

#define VIEWS_MAX 4     /* volume views rendered per input */
#define APPS_MAX 8      /* Dockerfiles per input */

static void render_all(json_object *doc)
{
    static int (*const render[])(json_object *, struct strbuf *) = {
        render_markdown, render_html, render_junit,
    };

    (void)json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                  JSON_C_TO_STRING_NOSLASHESCAPE);
    for (size_t i = 0; i < sizeof render / sizeof render[0]; i++) {
        struct strbuf sb;
        sb_init(&sb);
        if (render[i](doc, &sb) == 0 && !utf8_valid(sb.s ? sb.s : "", sb.len))
            abort();
        sb_free(&sb);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_tokener *tok = json_tokener_new();
    json_object *doc = tok ? json_tokener_parse_ex(tok, (const char *)data, (int)(size > 1 << 20 ? 1 << 20 : size))
                           : NULL;

    json_tokener_free(tok);
    /* `liftcheck render` refuses anything but an object before this point */
    if (!json_object_is_type(doc, json_type_object)) {
        json_object_put(doc);
        return 0;
    }
    /* whatever the fields' types, only running out of memory may fail */
    if (verdict_compute(doc) < 0)
        abort();
    render_all(doc);
    json_object *vols = doc_arr(doc, "volumes"), *apps = doc_arr(doc, "applications");
    for (size_t v = 0; v < doc_len(vols) && v < VIEWS_MAX; v++) {
        json_object *view = report_volume_view(doc, (int)v);
        if (view)
            render_all(view);
        json_object_put(view);
    }
    for (size_t i = 0; i < doc_len(apps) && i < APPS_MAX; i++) {
        struct strbuf sb;
        sb_init(&sb);
        app_dockerfile(doc_at(apps, i), &sb);
        sb_free(&sb);
    }
    json_object_put(doc);
    return 0;
}
