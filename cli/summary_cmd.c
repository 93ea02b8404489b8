/* `liftcheck summary REPORT...`: finds the reports, rolls them up, writes
 * the summary and gates the wave. */
#include "summary_cmd.h"

#include <dirent.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model/jdoc.h"
#include "model/summary.h"
#include "reports/summary.h"
#include "util/xalloc.h"

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The server entries so far, and the reports already read by real path:
 * a report named twice (a file and its directory, say) is one server. */
struct wave {
    json_object *servers, *seen;
    enum summary_fail_on fail_on;
};

static void add(struct wave *w, const char *path, const char *name)
{
    char *real = realpath(path, NULL);
    if (real && doc_get(w->seen, real)) {
        free(real);
        return;
    }
    if (real)
        doc_put(w->seen, real, jbool(1));
    free(real);
    json_object *e = summary_read_report(path, name, w->fail_on);
    const char *err = doc_str(e, "error");
    if (err)
        fprintf(stderr, "liftcheck: %s: %s\n", path, err);
    doc_push(w->servers, e);
}

/* A report file's server: its directory's name for DIR/report.json (as
 * --output-dir writes it), else the file name without ".json". */
static void add_file(struct wave *w, const char *path)
{
    char *copy = xstrdup(path), *dcopy = xstrdup(path);
    char *base = basename(copy);
    size_t n = strlen(base);
    if (!strcmp(base, "report.json")) {
        char *dir = basename(dirname(dcopy));
        add(w, path, strcmp(dir, ".") && strcmp(dir, "/") ? dir : base);
    } else {
        if (n > 5 && !strcmp(base + n - 5, ".json"))
            base[n - 5] = '\0';
        add(w, path, base);
    }
    free(copy);
    free(dcopy);
}

static int json_name(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && !strcmp(name + n - 5, ".json");
}

/* A directory is one server's --output-dir (it holds report.json), or
 * holds such directories and report files one level down. */
static void add_dir(struct wave *w, const char *dir)
{
    char path[4096];
    struct dirent **ents = NULL;
    size_t before = json_object_array_length(w->servers);

    snprintf(path, sizeof path, "%s/report.json", dir);
    if (is_file(path)) {
        add_file(w, path);
        return;
    }
    int n = scandir(dir, &ents, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        const char *name = ents[i]->d_name;
        if (name[0] != '.') {
            snprintf(path, sizeof path, "%s/%s/report.json", dir, name);
            if (is_file(path)) {
                add_file(w, path);
            } else {
                snprintf(path, sizeof path, "%s/%s", dir, name);
                if (json_name(name) && is_file(path))
                    add_file(w, path);
            }
        }
        free(ents[i]);
    }
    free(ents);
    if (json_object_array_length(w->servers) == before) {
        /* Listed, so the exit code and the summary say a server is missing. */
        json_object *e = summary_unreadable(dir, dir, "no report.json, server directory or "
                                                      ".json report in this directory");
        fprintf(stderr, "liftcheck: %s: no report found in this directory\n", dir);
        doc_push(w->servers, e);
    }
}

int run_summary(const struct options *o)
{
    struct wave w = {
        .servers = jarray(),
        .seen = jobject(),
        .fail_on = o->fail_on == FAIL_ON_WARNING ? SUMMARY_FAIL_WARNING
                 : o->fail_on == FAIL_ON_NEVER ? SUMMARY_FAIL_NEVER : SUMMARY_FAIL_BLOCKER,
    };
    int64_t unreadable = 0, failing = 0, incomplete = 0;

    if (!w.servers || !w.seen) {
        json_object_put(w.servers);
        json_object_put(w.seen);
        return EXIT_INSPECT;
    }
    for (int i = 0; i < o->ndisks; i++) {
        if (is_dir(o->disks[i]))
            add_dir(&w, o->disks[i]);
        else
            add_file(&w, o->disks[i]);
    }
    json_object_put(w.seen);
    json_object *doc = summary_build(w.servers, w.fail_on);
    json_object *t = doc_obj(doc, "totals");
    doc_int(t, "unreadable", &unreadable);
    doc_int(t, "failing", &failing);
    doc_int(t, "incomplete", &incomplete);
    struct lc_error err = {0};
    int written = summary_write(doc, o->formats, o->output, o->output_dir, &err);
    if (written < 0)
        fprintf(stderr, "liftcheck: %s\n", err.msg);
    int rc = written < 0 ? EXIT_INSPECT
           : unreadable ? EXIT_INSPECT
           : failing ? EXIT_BLOCKERS
           : incomplete ? EXIT_INCOMPLETE : EXIT_OK;
    json_object_put(doc);
    return rc;
}
