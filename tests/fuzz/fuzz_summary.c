/* liftcheck summary on a hostile report: the JSON parsed as the summary
 * parses it (depth-capped), read into a server entry beside a copy of
 * itself, rolled up at both gate levels, and rendered in every format; the
 * output must be valid UTF-8 whatever the report held. */
#include "fuzz.h"
#include "model/summary.h"
#include "reports/summary.h"
#include "util/utf8.h"

#include <stdlib.h>

static void render(json_object *doc, int (*fn)(json_object *, struct strbuf *))
{
    struct strbuf sb;
    sb_init(&sb);
    if (fn(doc, &sb) == 0 && !utf8_valid(sb.s, sb.len))
        abort();
    sb_free(&sb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_tokener *tok = json_tokener_new_ex(64);
    if (!tok)
        return 0;
    json_object *report = json_tokener_parse_ex(tok, (const char *)data, (int)size);
    json_tokener_free(tok);

    for (int level = SUMMARY_FAIL_BLOCKER; level <= SUMMARY_FAIL_WARNING; level++) {
        json_object *servers = json_object_new_array();
        json_object_array_add(servers, summary_read_doc(report, "a.json", "a", level));
        json_object_array_add(servers, summary_read_doc(report, "b/report.json", "b", level));
        json_object *doc = summary_build(servers, level);
        render(doc, summary_markdown);
        render(doc, summary_html);
        render(doc, summary_csv);
        fuzz_touch(json_object_to_json_string(doc));
        json_object_put(doc);
    }
    json_object_put(report);
    return 0;
}
