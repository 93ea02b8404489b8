#include "output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model/jdoc.h"
#include "model/report.h"
#include "util/xalloc.h"
#include "reports.h"
#include "reports/dockerfile.h"

static const struct output_format formats[] = {
    {FMT_JSON, "json", "json", NULL},
    {FMT_MARKDOWN, "markdown", "md", render_markdown},
    {FMT_HTML, "html", "html", render_html},
    {FMT_JUNIT, "junit", "junit.xml", render_junit},
};
#define NFORMATS (sizeof formats / sizeof formats[0])

int output_formats_parse(const struct output_format *table, size_t n, const char *list)
{
    int mask = 0;
    const char *p = list;

    while (*p) {
        size_t len = strcspn(p, ","), i;
        if (!len) {   /* empty items are skipped, as strtok did */
            p++;
            continue;
        }
        for (i = 0; i < n; i++)
            if ((strlen(table[i].name) == len && !strncmp(p, table[i].name, len)) ||
                (len == 2 && !strncmp(p, "md", 2) && !strcmp(table[i].name, "markdown")))
                break;
        if (i == n)
            return -1;
        mask |= table[i].bit;
        p += len + (p[len] == ',');
    }
    return mask ? mask : -1;
}

int output_parse_formats(const char *list)
{
    return output_formats_parse(formats, NFORMATS, list);
}

int output_render(json_object *doc, int (*render)(json_object *, struct strbuf *),
                  const char *path)
{
    struct strbuf sb;
    int rc = -1;

    if (!render)
        return report_write_json(doc, path);
    sb_init(&sb);
    if (render(doc, &sb) == 0) {
        if (!path || !strcmp(path, "-"))
            rc = fwrite(sb.s, 1, sb.len, stdout) == sb.len && fflush(stdout) == 0 ? 0 : -1;
        else
            rc = write_file_atomic(path, sb.s, sb.len, NULL);
    } else {
        errno = ENOMEM;
    }
    sb_free(&sb);
    return rc;
}

int output_format_write(const struct output_format *f, json_object *doc, const char *path,
                        const char *what, struct lc_error *err)
{
    if (output_render(doc, f->render, path) == 0)
        return 0;
    return lc_fail(err, errno ? -errno : -EIO, "%s: cannot write the %s %s: %s",
                   path ? path : "stdout", f->name, what, strerror(errno));
}

static int write_one(json_object *doc, size_t i, const char *path, struct lc_error *err)
{
    return output_format_write(&formats[i], doc, path, "report", err);
}

/* Dockerfile.<n> for each application decided `container`. */
static int write_dockerfiles(json_object *doc, const char *dir, struct lc_error *err)
{
    json_object *apps = doc_arr(doc, "applications");
    for (size_t i = 0; i < doc_len(apps); i++) {
        struct strbuf sb;
        char path[4096];
        sb_init(&sb);
        if (app_dockerfile(doc_at(apps, i), &sb) == 0) {
            snprintf(path, sizeof path, "%s/Dockerfile.%zu", dir, i);
            if (write_file_atomic(path, sb.s, sb.len, NULL) < 0) {
                sb_free(&sb);
                return lc_fail(err, errno ? -errno : -EIO, "%s: cannot write: %s", path,
                               strerror(errno));
            }
        }
        sb_free(&sb);
    }
    return 0;
}

int output_write_formats(const struct output_format *table, size_t n, int mask,
                         json_object *doc, const char *file, const char *dir,
                         const char *stem, const char *what, struct lc_error *err)
{
    if (!dir) {
        for (size_t i = 0; i < n; i++)
            if (mask & table[i].bit)
                return output_format_write(&table[i], doc, file, what, err);
        return lc_fail(err, -EINVAL, "no output format");
    }
    if (mkdir(dir, 0755) < 0 && errno != EEXIST)
        return lc_fail(err, -errno, "%s: cannot create the output directory: %s", dir,
                       strerror(errno));
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        if (!(mask & table[i].bit))
            continue;
        snprintf(path, sizeof path, "%s/%s.%s", dir, stem, table[i].ext);
        int rc = output_format_write(&table[i], doc, path, what, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int output_write(json_object *doc, int mask, const char *file, const char *dir,
                 struct lc_error *err)
{
    int rc = output_write_formats(formats, NFORMATS, mask, doc, file, dir, "report", "report", err);
    if (rc < 0)
        return rc;
    if (!dir)
        return 0;
    size_t nvol = doc_len(doc_arr(doc, "volumes"));
    for (size_t i = 0; i < NFORMATS; i++) {
        if (!(mask & formats[i].bit))
            continue;
        for (size_t v = 0; v < nvol; v++) {
            char path[4096];
            json_object *view = report_volume_view(doc, (int)v);
            if (!view)
                oom_die();      /* json-c's deep copy fails only for memory */
            snprintf(path, sizeof path, "%s/volume-%zu.%s", dir, v, formats[i].ext);
            rc = write_one(view, i, path, err);
            json_object_put(view);
            if (rc < 0)
                return rc;
        }
    }
    return write_dockerfiles(doc, dir, err);
}
