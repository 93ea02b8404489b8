/* The roll-up of server entries (summary_read.c) into the summary
 * document.  "Fix once, unblocks N": a server is unblocked only when every
 * blocker on it is fixed, so a finding id counts as unblocking a server
 * only when it is that server's one blocking id; the servers it merely
 * blocks and the servers it hits at all are counted beside it. */
#include "summary.h"

#include <string.h>

#include "jdoc.h"
#include "report.h"

static const char *fail_on_name(enum summary_fail_on f)
{
    return f == SUMMARY_FAIL_WARNING ? "warning" : f == SUMMARY_FAIL_NEVER ? "never" : "blocker";
}

/* The catalogue's title for a known id: the same for every server, where
 * a finding's own title carries the server's details. */
static const char *catalogue_title(const char *id)
{
    for (int i = 0; i < F__COUNT; i++)
        if (!strcmp(finding_id_str((enum finding_id)i), id))
            return finding_title((enum finding_id)i);
    return NULL;
}

static void bump(json_object *o, const char *key, int64_t by)
{
    json_object *v = doc_get(o, key);
    if (v)
        json_object_set_int64(v, json_object_get_int64(v) + by);
    else
        doc_put(o, key, jint(by));
}

static int64_t get_int(json_object *o, const char *key)
{
    int64_t v = 0;
    doc_int(o, key, &v);
    return v;
}

static json_object *finding_entry(json_object *by_id, json_object *f)
{
    const char *id = doc_str(f, "id");
    json_object *e = doc_obj(by_id, id);
    if (e)
        return e;
    const char *title = catalogue_title(id);
    e = jobject();
    doc_put(e, "id", jstr(id));
    doc_put(e, "severity", jstr("warning"));
    doc_put(e, "title", title ? jstr(title) : jstr_or_null(doc_str(f, "title")));
    doc_put(e, "servers_hit", jint(0));
    doc_put(e, "servers_blocked", jint(0));
    doc_put(e, "servers_unblocked", jint(0));
    doc_put(e, "servers", jarray());
    doc_put(e, "fixes", jobject());   /* text -> servers, for now */
    doc_put(by_id, id, e);
    return e;
}

/* The member key of o, created as an empty object when absent. */
static json_object *child(json_object *o, const char *key)
{
    json_object *c = doc_obj(o, key);
    if (!c) {
        c = jobject();
        doc_put(o, key, c);
    }
    return c;
}

/* One server's findings into the per-id roll-up: each id and each fix text
 * of an id counts once per server. */
static void roll_findings(json_object *by_id, json_object *server)
{
    json_object *fs = doc_arr(server, "findings"), *seen = jobject();
    json_object *bids = doc_arr(server, "blocker_ids");

    for (size_t i = 0; i < doc_len(fs); i++) {
        json_object *f = doc_at(fs, i), *e = finding_entry(by_id, f);
        const char *id = doc_str(f, "id"), *fix = doc_str(f, "remediation");
        json_object *fixes_seen = doc_obj(seen, id);
        if (!strcmp(doc_str(f, "severity"), "blocker"))
            doc_put(e, "severity", jstr("blocker"));
        if (!fixes_seen) {
            fixes_seen = child(seen, id);
            bump(e, "servers_hit", 1);
            doc_push(doc_arr(e, "servers"), jstr(doc_str(server, "name")));
        }
        if (fix && *fix && !doc_get(fixes_seen, fix)) {
            doc_put(fixes_seen, fix, jbool(1));
            bump(doc_obj(e, "fixes"), fix, 1);
        }
    }
    for (size_t i = 0; i < doc_len(bids); i++) {
        json_object *e = doc_obj(by_id, json_object_get_string(doc_at(bids, i)));
        bump(e, "servers_blocked", 1);
        if (doc_len(bids) == 1)
            bump(e, "servers_unblocked", 1);
    }
    json_object_put(seen);
}

static int by_fix_count(const void *a, const void *b)
{
    int64_t x = get_int(*(json_object *const *)a, "servers");
    int64_t y = get_int(*(json_object *const *)b, "servers");
    if (x != y)
        return x > y ? -1 : 1;
    return strcmp(doc_str(*(json_object *const *)a, "remediation"),
                  doc_str(*(json_object *const *)b, "remediation"));
}

/* Most servers unblocked first, then most blocked, most hit, then by id. */
static int by_unblocked(const void *a, const void *b)
{
    json_object *x = *(json_object *const *)a, *y = *(json_object *const *)b;
    static const char *const keys[] = {"servers_unblocked", "servers_blocked", "servers_hit"};
    for (size_t i = 0; i < 3; i++) {
        int64_t p = get_int(x, keys[i]), q = get_int(y, keys[i]);
        if (p != q)
            return p > q ? -1 : 1;
    }
    return strcmp(doc_str(x, "id"), doc_str(y, "id"));
}

static json_object *finding_list(json_object *by_id)
{
    json_object *out = jarray();
    json_object_object_foreach(by_id, id, e) {
        json_object *fixes = jarray();
        (void)id;
        json_object_object_foreach(doc_obj(e, "fixes"), text, n) {
            json_object *fx = jobject();
            doc_put(fx, "remediation", jstr(text));
            doc_put(fx, "servers", json_object_get(n));
            doc_push(fixes, fx);
        }
        json_object_array_sort(fixes, by_fix_count);
        doc_put(e, "fixes", fixes);
        doc_push(out, json_object_get(e));
    }
    json_object_array_sort(out, by_unblocked);
    return out;
}

static int by_apps(const void *a, const void *b)
{
    json_object *x = *(json_object *const *)a, *y = *(json_object *const *)b;
    int64_t p = get_int(x, "applications"), q = get_int(y, "applications");
    if (p != q)
        return p > q ? -1 : 1;
    return strcmp(doc_str(x, "image"), doc_str(y, "image"));
}

/* Applications per base image (and per decision), servers per image. */
static void roll_apps(json_object *images, json_object *decisions, json_object *server)
{
    json_object *apps = doc_arr(server, "applications"), *seen = jobject();

    for (size_t i = 0; i < doc_len(apps); i++) {
        json_object *a = doc_at(apps, i);
        const char *img = doc_str(a, "base_image");
        bump(decisions, doc_str(a, "decision"), 1);
        if (!img)
            continue;
        json_object *e = doc_obj(images, img);
        if (!e) {
            e = jobject();
            doc_put(e, "image", jstr(img));
            doc_put(e, "applications", jint(0));
            doc_put(e, "servers", jint(0));
            doc_put(images, img, e);
        }
        bump(e, "applications", 1);
        if (!doc_get(seen, img)) {
            doc_put(seen, img, jbool(1));
            bump(e, "servers", 1);
        }
    }
    json_object_put(seen);
}

static json_object *image_list(json_object *images)
{
    json_object *out = jarray();
    json_object_object_foreach(images, name, e) {
        (void)name;
        doc_push(out, json_object_get(e));
    }
    json_object_array_sort(out, by_apps);
    return out;
}

json_object *summary_build(json_object *servers, enum summary_fail_on fail_on)
{
    json_object *doc = jobject();
    json_object *totals = jobject(), *verdicts = jobject();
    json_object *by_id = jobject(), *images = jobject();
    json_object *decisions = jobject();
    static const char *const vnames[] = {"ready", "fixable", "blocked", "unknown",
                                         "not_applicable"};

    for (size_t i = 0; i < sizeof vnames / sizeof vnames[0]; i++)
        doc_put(verdicts, vnames[i], jint(0));
    static const char *const tnames[] = {"servers", "read", "unreadable", "incomplete",
                                         "failing"};
    for (size_t i = 0; i < sizeof tnames / sizeof tnames[0]; i++)
        doc_put(totals, tnames[i], jint(0));
    for (size_t i = 0; i < doc_len(servers); i++) {
        json_object *s = doc_at(servers, i);
        bump(totals, "servers", 1);
        if (strcmp(doc_str(s, "status"), "read")) {
            bump(totals, "unreadable", 1);
            continue;
        }
        bump(totals, "read", 1);
        bump(verdicts, doc_str(s, "nitro_boot"), 1);
        if (doc_bool(s, "complete") == 0)
            bump(totals, "incomplete", 1);
        if (doc_bool(s, "fails") == 1)
            bump(totals, "failing", 1);
        roll_findings(by_id, s);
        roll_apps(images, decisions, s);
    }
    doc_put(totals, "verdicts", verdicts);
    doc_put(doc, "schema_version", jstr(SUMMARY_SCHEMA_VERSION));
    doc_put(doc, "tool", report_tool());
    doc_put(doc, "generated_at", report_utc_now());
    doc_put(doc, "fail_on", jstr(fail_on_name(fail_on)));
    doc_put(doc, "totals", totals);
    doc_put(doc, "findings", finding_list(by_id));
    doc_put(doc, "base_images", image_list(images));
    doc_put(doc, "decisions", decisions);
    doc_put(doc, "servers", servers);
    json_object_put(by_id);
    json_object_put(images);
    return doc;
}
