/* Renders a saved report to stdout: lc_render markdown|html|junit REPORT.json
 * Used by the hostile-input and browser tests. */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "reports/reports.h"
#include "util/strbuf.h"

int main(int argc, char **argv)
{
    json_object *doc = NULL;
    struct strbuf out;
    int rc = 1, r;

    sb_init(&out);
    if (argc != 3) {
        fprintf(stderr, "usage: lc_render markdown|html|junit REPORT.json\n");
        return 2;
    }
    doc = json_object_from_file(argv[2]);
    if (!doc) {
        fprintf(stderr, "%s: %s\n", argv[2], json_util_get_last_err());
        goto out;
    }
    if (!strcmp(argv[1], "markdown"))
        r = render_markdown(doc, &out);
    else if (!strcmp(argv[1], "html"))
        r = render_html(doc, &out);
    else if (!strcmp(argv[1], "junit"))
        r = render_junit(doc, &out);
    else {
        fprintf(stderr, "%s: unknown format\n", argv[1]);
        rc = 2;
        goto out;
    }
    if (r < 0 || fwrite(out.s, 1, out.len, stdout) != out.len) {
        fprintf(stderr, "rendering %s failed\n", argv[2]);
        goto out;
    }
    rc = 0;
out:
    sb_free(&out);
    json_object_put(doc);
    return rc;
}
