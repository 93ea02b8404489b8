/* Writing the summary in every format asked for: one to a file or stdout,
 * or each as DIR/summary.<ext>. */
#include "summary.h"

#include "output.h"

static const struct output_format formats[] = {
    {SUMMARY_JSON, "json", "json", NULL},
    {SUMMARY_MARKDOWN, "markdown", "md", summary_markdown},
    {SUMMARY_HTML, "html", "html", summary_html},
    {SUMMARY_CSV, "csv", "csv", summary_csv},
};
#define NFORMATS (sizeof formats / sizeof formats[0])

int summary_parse_formats(const char *list)
{
    return output_formats_parse(formats, NFORMATS, list);
}

int summary_write(json_object *doc, int mask, const char *file, const char *dir,
                  struct lc_error *err)
{
    return output_write_formats(formats, NFORMATS, mask, doc, file, dir, "summary", "summary",
                                err);
}
