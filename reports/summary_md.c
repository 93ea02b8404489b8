/* The wave's summary in GitHub-flavoured Markdown: the totals on the first
 * line, then the fixes that unblock the most servers (summary_sections.c). */
#include "summary.h"

#include "sections.h"

int summary_markdown(json_object *doc, struct strbuf *out)
{
    if (!doc || !json_object_is_type(doc, json_type_object) || !out)
        return -1;
    sb_puts(out, "**Wave: ");
    summary_headline(doc, out);
    sb_puts(out, "**\n\n# liftcheck summary\n\n");
    summary_sections(&doc_md, doc, out);
    return 0;
}
