/* The wave's summary as one self-contained HTML page, in the frame and
 * style of the server report (html_page.h): no script, strict CSP. */
#include "summary.h"

#include "doc.h"
#include "html_page.h"
#include "sections.h"

int summary_html(json_object *doc, struct strbuf *out)
{
    json_object *t = doc_obj(doc, "totals");
    int64_t unreadable = 0, failing = 0;

    if (!doc || !json_object_is_type(doc, json_type_object) || !out)
        return -1;
    doc_int(t, "failing", &failing);
    doc_int(t, "unreadable", &unreadable);
    html_page_open(out, "wave summary", NULL);
    html_page_banner(out, unreadable ? "v-other" : failing ? "v-blocked" : "v-ready",
                     "Wave summary");
    summary_headline(doc, out);
    html_page_main(out);
    summary_sections(&doc_html, doc, out);
    html_page_close(out, "Rolled up from liftcheck JSON reports; each server's report is "
                         "authoritative.");
    return 0;
}
