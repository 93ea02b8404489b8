#include "output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model/jdoc.h"
#include "model/report.h"
#include "reports.h"
#include "reports/dockerfile.h"

static const struct {
    int bit;
    const char *name, *ext;
    int (*render)(json_object *, struct strbuf *);
} formats[] = {
    {FMT_JSON, "json", "json", NULL},
    {FMT_MARKDOWN, "markdown", "md", render_markdown},
    {FMT_HTML, "html", "html", render_html},
    {FMT_JUNIT, "junit", "junit.xml", render_junit},
};
#define NFORMATS (sizeof formats / sizeof formats[0])

int output_parse_formats(const char *list)
{
    int mask = 0;
    char *copy = strdup(list), *save = NULL;
    if (!copy)
        return -1;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        size_t i;
        for (i = 0; i < NFORMATS; i++)
            if (!strcmp(t, formats[i].name) || (!strcmp(t, "md") && formats[i].bit == FMT_MARKDOWN))
                break;
        if (i == NFORMATS) {
            free(copy);
            return -1;
        }
        mask |= formats[i].bit;
    }
    free(copy);
    return mask ? mask : -1;
}

/* Renders doc in format i to path (NULL: stdout). */
static int write_one(json_object *doc, size_t i, const char *path)
{
    if (!formats[i].render) {
        if (report_write_json(doc, path) == 0)
            return 0;
    } else {
        struct strbuf sb;
        int rc = -1;
        sb_init(&sb);
        if (formats[i].render(doc, &sb) == 0 && !sb.oom) {
            if (!path || !strcmp(path, "-"))
                rc = fwrite(sb.s, 1, sb.len, stdout) == sb.len && fflush(stdout) == 0 ? 0 : -1;
            else
                rc = write_file_atomic(path, sb.s, sb.len, NULL);
        } else {
            errno = ENOMEM;
        }
        sb_free(&sb);
        if (rc == 0)
            return 0;
    }
    fprintf(stderr, "liftcheck: %s: cannot write the %s report: %s\n",
            path ? path : "stdout", formats[i].name, strerror(errno));
    return -1;
}

/* Dockerfile.<n> for each application decided `container`. */
static int write_dockerfiles(json_object *doc, const char *dir)
{
    json_object *apps = doc_arr(doc, "applications");
    for (size_t i = 0; i < doc_len(apps); i++) {
        struct strbuf sb;
        char path[4096];
        sb_init(&sb);
        if (app_dockerfile(doc_at(apps, i), &sb) == 0 && !sb.oom) {
            snprintf(path, sizeof path, "%s/Dockerfile.%zu", dir, i);
            if (write_file_atomic(path, sb.s, sb.len, NULL) < 0) {
                fprintf(stderr, "liftcheck: %s: cannot write: %s\n", path, strerror(errno));
                sb_free(&sb);
                return -1;
            }
        }
        sb_free(&sb);
    }
    return 0;
}

int output_write(json_object *doc, int mask, const char *file, const char *dir)
{
    if (!dir) {
        for (size_t i = 0; i < NFORMATS; i++)
            if (mask & formats[i].bit)
                return write_one(doc, i, file);
        return -1;
    }
    if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
        fprintf(stderr, "liftcheck: %s: cannot create the output directory: %s\n", dir, strerror(errno));
        return -1;
    }
    size_t nvol = doc_len(doc_arr(doc, "volumes"));
    for (size_t i = 0; i < NFORMATS; i++) {
        if (!(mask & formats[i].bit))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/report.%s", dir, formats[i].ext);
        if (write_one(doc, i, path) < 0)
            return -1;
        for (size_t v = 0; v < nvol; v++) {
            json_object *view = report_volume_view(doc, (int)v);
            if (!view) {
                fprintf(stderr, "liftcheck: %s: out of memory for the report of volume %zu\n", dir, v);
                return -1;
            }
            snprintf(path, sizeof path, "%s/volume-%zu.%s", dir, v, formats[i].ext);
            int r = write_one(view, i, path);
            json_object_put(view);
            if (r < 0)
                return -1;
        }
    }
    return write_dockerfiles(doc, dir);
}
