/* One server's entry of the summary, read from its saved report.  Every
 * field the roll-up counts is type-checked here: a report whose findings,
 * verdict or applications have the wrong shape is refused with the field
 * named, so the roll-up never counts half-understood data. */
#include "summary.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jdoc.h"
#include "report.h"

#define JSON_DEPTH 64

struct why {
    char s[512];
};

static __attribute__((format(printf, 2, 3))) int fail(struct why *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->s, sizeof w->s, fmt, ap);
    va_end(ap);
    return -1;
}

static json_object *load(const char *path, struct why *w)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        fail(w, "cannot open: %s", strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        fail(w, "not a regular file");
        close(fd);
        return NULL;
    }
    if (st.st_size > SUMMARY_REPORT_MAX) {
        fail(w, "larger than %lld MiB", SUMMARY_REPORT_MAX >> 20);
        close(fd);
        return NULL;
    }
    json_object *doc = json_object_from_fd_ex(fd, JSON_DEPTH);
    close(fd);
    if (!doc) {
        const char *e = json_util_get_last_err();
        fail(w, "not JSON: %.*s", e ? (int)strcspn(e, "\n") : 7, e ? e : "unknown");
    }
    return doc;
}

/* "1.3" -> major 1; -1 when not MAJOR.MINOR digits. */
static int schema_major(const char *v)
{
    char *end;
    if (!v || *v < '0' || *v > '9')
        return -1;
    long major = strtol(v, &end, 10);
    if (*end != '.' || end[1] < '0' || end[1] > '9')
        return -1;
    strtol(end + 1, &end, 10);
    return *end || major > 1000 ? -1 : (int)major;
}

static int check_header(json_object *doc, struct why *w)
{
    json_object *ver = doc_get(doc, "schema_version");
    const char *tool = doc_str(doc_obj(doc, "tool"), "name");

    if (!json_object_is_type(doc, json_type_object))
        return fail(w, "not a liftcheck report: the top level is not a JSON object");
    if (doc_obj(doc, "totals") && doc_arr(doc, "servers"))
        return fail(w, "a liftcheck summary, not a server's report");
    if (!ver || !tool || strcmp(tool, "liftcheck"))
        return fail(w, "not a liftcheck report: no schema_version or tool.name \"liftcheck\"");
    if (!json_object_is_type(ver, json_type_string))
        return fail(w, "schema_version is not a string");
    int major = schema_major(json_object_get_string(ver));
    if (major < 0)
        return fail(w, "schema_version is not MAJOR.MINOR");
    if (major != 1)
        return fail(w, "schema_version %d.x is not supported: this liftcheck reads 1.x reports",
                    major);
    return 0;
}

static int sev_rank(const char *s)
{
    return !strcmp(s, "blocker") ? 2 : !strcmp(s, "warning") ? 1 : 0;
}

/* An id once in arr: set remembers the ids added (a hash lookup, as a
 * hostile report may hold any number of findings). */
static void add_unique(json_object *arr, json_object *set, const char *s)
{
    if (doc_get(set, s))
        return;
    doc_put(set, s, jbool(1));
    doc_push(arr, jstr(s));
}

static int by_string(const void *a, const void *b)
{
    return strcmp(json_object_get_string(*(json_object *const *)a),
                  json_object_get_string(*(json_object *const *)b));
}

static int read_findings(json_object *doc, json_object *e, struct why *w, int64_t *b, int64_t *wn)
{
    json_object *fs = doc_get(doc, "findings"), *out = jarray();
    json_object *bids = jarray(), *wids = jarray();
    json_object *bset = jobject(), *wset = jobject();
    int rc = 0;

    doc_put(e, "findings", out);
    doc_put(e, "blocker_ids", bids);
    doc_put(e, "warning_ids", wids);
    if (!json_object_is_type(fs, json_type_array))
        rc = fail(w, "findings is not an array");
    for (size_t i = 0; i < doc_len(fs); i++) {
        json_object *f = doc_at(fs, i);
        const char *id = doc_str(f, "id"), *sev = doc_str(f, "severity");
        if (!json_object_is_type(f, json_type_object) || !id || !sev) {
            rc = fail(w, "findings[%zu] %s", i,
                      !json_object_is_type(f, json_type_object) ? "is not an object"
                      : !id ? "has no id string" : "has no severity string");
            break;
        }
        int rank = sev_rank(sev);
        if (!rank)
            continue;   /* info: not part of the roll-up */
        json_object *o = jobject();
        doc_put(o, "id", jstr(id));
        doc_put(o, "severity", jstr(rank == 2 ? "blocker" : "warning"));
        doc_put(o, "title", jstr_or_null(doc_str(f, "title")));
        doc_put(o, "remediation", jstr_or_null(doc_str(f, "remediation")));
        doc_push(out, o);
        add_unique(rank == 2 ? bids : wids, rank == 2 ? bset : wset, id);
        ++*(rank == 2 ? b : wn);
    }
    json_object_array_sort(bids, by_string);
    json_object_array_sort(wids, by_string);
    json_object_put(bset);
    json_object_put(wset);
    return rc;
}

static int read_apps(json_object *doc, json_object *e, struct why *w)
{
    json_object *apps = doc_get(doc, "applications"), *out;

    if (!apps) {
        doc_put(e, "applications", NULL);
        return 0;
    }
    out = jarray();
    doc_put(e, "applications", out);
    if (!json_object_is_type(apps, json_type_array))
        return fail(w, "applications is not an array");
    for (size_t i = 0; i < doc_len(apps); i++) {
        json_object *a = doc_at(apps, i), *base = doc_get(a, "base_image");
        const char *name = doc_str(a, "name"), *decision = doc_str(a, "decision");
        if (!name || !decision)
            return fail(w, "applications[%zu] has no name or decision string", i);
        if (base && !json_object_is_type(base, json_type_string))
            return fail(w, "applications[%zu].base_image is not a string", i);
        json_object *o = jobject();
        doc_put(o, "name", jstr(name));
        doc_put(o, "decision", jstr(decision));
        doc_put(o, "base_image", jstr_or_null(doc_str(a, "base_image")));
        doc_push(out, o);
    }
    json_object *sd = doc_obj(doc, "server_decision");
    doc_put(e, "server_decision", jstr_or_null(doc_str(sd, "decision")));
    return 0;
}

/* "Debian GNU/Linux 12 (bookworm) x86_64", or NULL without an OS. */
static json_object *os_line(json_object *os)
{
    const char *name = doc_str(os, "product_name"), *arch = doc_str(os, "arch");
    char buf[512];

    if (!name)
        name = doc_str(os, "distro");
    if (!name)
        return NULL;
    snprintf(buf, sizeof buf, "%s%s%s", name, arch ? " " : "", arch ? arch : "");
    return jstr(buf);
}

static int read_server(json_object *doc, json_object *e, enum summary_fail_on fail_on,
                       struct why *w)
{
    json_object *v = doc_get(doc, "verdict"), *os = doc_get(doc, "os");
    static const char *const verdicts[] = {"ready", "fixable", "blocked", "unknown",
                                           "not_applicable"};
    int64_t b = 0, wn = 0;
    size_t k;

    if (check_header(doc, w) < 0)
        return -1;
    const char *nb = doc_str(v, "nitro_boot");
    if (!nb)
        return fail(w, "verdict.nitro_boot is missing or not a string");
    /* A verdict this liftcheck does not know (a later 1.x) counts as unknown. */
    for (k = 0; k < sizeof verdicts / sizeof verdicts[0] && strcmp(nb, verdicts[k]); k++)
        ;
    if (k == sizeof verdicts / sizeof verdicts[0])
        k = 3;
    if (os && !json_object_is_type(os, json_type_object))
        return fail(w, "os is neither an object nor null");
    doc_put(e, "schema_version", jstr(doc_str(doc, "schema_version")));
    doc_put(e, "hostname", jstr_or_null(doc_str(os, "hostname")));
    doc_put(e, "os", os_line(os));
    doc_put(e, "nitro_boot", jstr(verdicts[k]));
    doc_put(e, "complete", jbool(doc_bool(doc, "complete") != 0));
    doc_put(e, "fails", NULL);
    doc_put(e, "blockers", NULL);
    doc_put(e, "warnings", NULL);
    doc_put(e, "server_decision", NULL);
    if (read_findings(doc, e, w, &b, &wn) < 0 || read_apps(doc, e, w) < 0)
        return -1;
    doc_put(e, "blockers", jint(b));
    doc_put(e, "warnings", jint(wn));
    int fails = fail_on == SUMMARY_FAIL_BLOCKER ? b > 0
              : fail_on == SUMMARY_FAIL_WARNING ? b + wn > 0 : 0;
    doc_put(e, "fails", jbool(fails));
    return 0;
}

json_object *summary_unreadable(const char *path, const char *name, const char *why)
{
    json_object *u = jobject();
    doc_put(u, "name", jstr(name));
    doc_put(u, "report", jstr(path));
    doc_put(u, "status", jstr("unreadable"));
    doc_put(u, "error", jstr(why));
    return u;
}

json_object *summary_read_doc(json_object *doc, const char *path, const char *name,
                              enum summary_fail_on fail_on)
{
    json_object *e = jobject();
    struct why w = {""};

    if (!e)
        return NULL;
    doc_put(e, "name", jstr(name));
    doc_put(e, "report", jstr(path));
    doc_put(e, "status", jstr("read"));   /* members keep this order */
    doc_put(e, "error", NULL);
    if (read_server(doc, e, fail_on, &w) < 0) {
        /* Only what was sure before the failure: name, path and why. */
        json_object_put(e);
        return summary_unreadable(path, name, w.s);
    }
    return e;
}

json_object *summary_read_report(const char *path, const char *name, enum summary_fail_on fail_on)
{
    struct why w = {""};
    json_object *doc = load(path, &w);

    if (!doc)
        return summary_unreadable(path, name, w.s);
    json_object *e = summary_read_doc(doc, path, name, fail_on);
    json_object_put(doc);
    return e;
}
