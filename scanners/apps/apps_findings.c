/* Findings of one application: one per concern, whatever the number of
 * files behind it, with the first items as evidence and a count of the
 * rest.  A report with one warning per file is closed unread. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/jdoc.h"
#include "scanners/apps/apps_int.h"

#define EVIDENCE_SHOWN 20
#define NAMES_SHOWN 4

/* One finding and how many evidence items it had in all. */
struct concern {
    json_object *f;
    size_t items;
};

__attribute__((format(printf, 2, 3)))
static void item(struct concern *k, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    if (!k->f || k->items++ >= EVIDENCE_SHOWN)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    report_finding_evidence(k->f, "%s", buf);
}

static void close_concern(struct concern *k, size_t total)
{
    if (total < k->items)
        total = k->items;
    if (k->f && total > EVIDENCE_SHOWN)
        report_finding_evidence(k->f, "... and %zu more", total - EVIDENCE_SHOWN);
}

/* What to do about a kernel-dependent syscall, by kind. */
static const char *fix_for(const char *kind)
{
    if (kind && !strcmp(kind, "hardware"))
        return "Give it CAP_SYS_RAWIO (a privileged container or a VM) and check which I/O "
               "ports it drives: real devices behind them exist only on EC2 bare metal";
    if (kind && !strcmp(kind, "removed"))
        return "Run it on EC2 bare metal with KVM and its original kernel in a guest, or port "
               "it off the removed syscall";
    return "Run it on EC2 bare metal with KVM and its original kernel in a guest";
}

static const char *kind_of_id(enum finding_id id)
{
    return id == F_APP_REMOVED_SYSCALL ? "removed" : id == F_APP_RAW_IO ? "hardware" : "module";
}

static int of_kind(json_object *e, enum finding_id id)
{
    const char *kind = doc_str(e, "kind");
    enum finding_id k = !kind ? F_APP_MODULE_SYSCALL : !strcmp(kind, "removed") ? F_APP_REMOVED_SYSCALL
                      : !strcmp(kind, "hardware") ? F_APP_RAW_IO : F_APP_MODULE_SYSCALL;
    return k == id;
}

/* Appends "what" to the title's list of names unless it is there. */
static void name_once(char *list, size_t cap, size_t *n, const char *what)
{
    char quoted[300];
    int len = snprintf(quoted, sizeof quoted, "%s, ", what);
    if (len < 0 || (size_t)len >= sizeof quoted ||   /* a name this long is not one */
        strstr(list, quoted) || (*n)++ >= NAMES_SHOWN)
        return;
    strncat(list, quoted, cap - strlen(list) - 1);
}

/* The syscalls of one kind an application makes directly or imports. */
static void syscall_concern(struct scan_ctx *c, json_object *app, enum finding_id id)
{
    const char *name = doc_str(app, "name");
    int vol = json_object_get_int(doc_get(app, "volume"));
    json_object *flagged = doc_get(doc_get(app, "syscalls"), "flagged");
    json_object *imports = doc_get(doc_get(app, "syscalls"), "imports");
    char calls[1024] = "", imp[1024] = "";
    size_t ncalls = 0, nimp = 0, sites = 0;

    for (size_t i = 0; i < doc_len(flagged); i++) {
        json_object *e = json_object_array_get_idx(flagged, i);
        if (of_kind(e, id))
            name_once(calls, sizeof calls, &ncalls, doc_str(e, "name") ? doc_str(e, "name") : "?");
    }
    for (size_t i = 0; i < doc_len(imports); i++) {
        json_object *e = json_object_array_get_idx(imports, i);
        char fn[256];
        int len = snprintf(fn, sizeof fn, "%s()", doc_str(e, "import") ? doc_str(e, "import") : "?");
        if (len > 0 && (size_t)len < sizeof fn && of_kind(e, id))
            name_once(imp, sizeof imp, &nimp, fn);
    }
    if (!ncalls && !nimp)
        return;
    /* "calls _sysctl, imports sysctl(), iopl() and 2 more" */
    size_t cl = strlen(calls), il = strlen(imp);
    if (cl)
        calls[cl - 2] = 0;
    if (il)
        imp[il - 2] = 0;
    struct concern k = {report_add_findingf(c->r, id, vol, fix_for(kind_of_id(id)),
                        "%s%s%s%s%s%s", name, ncalls ? " calls " : "", calls,
                        nimp ? (ncalls ? "; imports " : " imports ") : "", imp,
                        ncalls > NAMES_SHOWN || nimp > NAMES_SHOWN ? " and more" : ""), 0};
    for (size_t i = 0; i < doc_len(flagged); i++) {
        json_object *e = json_object_array_get_idx(flagged, i), *ad = doc_get(e, "addresses");
        if (!of_kind(e, id))
            continue;
        for (size_t a = 0; a < doc_len(ad); a++, sites++)
            item(&k, "%s: %s (%s %d) at %s", doc_str(e, "path"), doc_str(e, "name"),
                 doc_str(e, "abi"), json_object_get_int(doc_get(e, "nr")),
                 json_object_get_string(json_object_array_get_idx(ad, a)));
    }
    for (size_t i = 0; i < doc_len(imports); i++) {
        json_object *e = json_object_array_get_idx(imports, i);
        if (!of_kind(e, id))
            continue;
        sites++;
        item(&k, "%s: imports %s() for the %s syscall", doc_str(e, "path"), doc_str(e, "import"),
             doc_str(e, "name"));
    }
    close_concern(&k, sites);
}

static void kernel_module_concern(struct scan_ctx *c, json_object *app)
{
    json_object *mods = doc_get(app, "kernel_modules"), *loaders = doc_get(app, "module_loaders");
    int vol = json_object_get_int(doc_get(app, "volume"));
    size_t nmods = doc_len(mods), total = (size_t)json_object_get_int(doc_get(app, "kernel_module_count"));

    if (!nmods && !doc_len(loaders))
        return;
    if (total < nmods)
        total = nmods;
    struct concern k = {NULL, 0};
    if (total)
        k.f = report_add_findingf(c->r, F_APP_KERNEL_MODULE, vol, "Run it on EC2 bare metal with "
                                  "KVM and the original kernel in a guest, or port the module",
                                  "%s ships %zu module file(s)%s", doc_str(app, "name"), total,
                                  doc_len(loaders) ? " and loads modules" : "");
    else
        k.f = report_add_findingf(c->r, F_APP_KERNEL_MODULE, vol, NULL, "%s loads modules",
                                  doc_str(app, "name"));
    for (size_t i = 0; i < nmods; i++)
        item(&k, "%s", json_object_get_string(json_object_array_get_idx(mods, i)));
    for (size_t i = 0; i < doc_len(loaders); i++) {
        json_object *e = json_object_array_get_idx(loaders, i);
        item(&k, "%s: %s", doc_str(e, "path"), doc_str(e, "text"));
    }
    close_concern(&k, total + doc_len(loaders));
}

void apps_findings(struct scan_ctx *c, json_object *app)
{
    const char *name = doc_str(app, "name");
    int vol = json_object_get_int(doc_get(app, "volume"));
    json_object *arr;
    struct concern k;

    kernel_module_concern(c, app);
    syscall_concern(c, app, F_APP_REMOVED_SYSCALL);
    syscall_concern(c, app, F_APP_MODULE_SYSCALL);
    syscall_concern(c, app, F_APP_RAW_IO);
    json_object *compat = doc_get(app, "compat");
    const char *base = doc_str(app, "base_image");
    if ((arr = doc_get(compat, "vsyscall")) || (base && !strcmp(base, "centos:6"))) {
        k = (struct concern){report_add_findingf(c->r, F_APP_VSYSCALL, vol, "Boot the container "
                             "host with vsyscall=emulate, or rebuild against glibc >= 2.14",
                             "%s", name), 0};
        for (size_t i = 0; i < doc_len(arr); i++) {
            json_object *e = json_object_array_get_idx(arr, i);
            item(&k, "%s: vsyscall address at %s", doc_str(e, "path"), doc_str(e, "address"));
        }
        close_concern(&k, doc_len(arr));
        if (k.f && base && !strcmp(base, "centos:6"))
            report_finding_evidence(k.f, "needs centos:6 (glibc 2.12)");
    }
    if ((arr = doc_get(app, "kernel_paths")) && doc_len(arr)) {
        k = (struct concern){report_add_findingf(c->r, F_APP_KERNEL_PATH, vol, NULL, "%s", name), 0};
        for (size_t i = 0; i < doc_len(arr); i++) {
            json_object *e = json_object_array_get_idx(arr, i);
            item(&k, "%s: %s", doc_str(e, "path"), doc_str(e, "string"));
        }
        close_concern(&k, doc_len(arr));
    }
    if (doc_get(compat, "i386") || doc_get(compat, "x32"))
        report_add_findingf(c->r, F_APP_32BIT, vol, NULL, "%s", name);
    const char *d = doc_str(app, "decision");
    if (d && (!strcmp(d, "port") || !strcmp(d, "uml")))
        report_add_findingf(c->r, F_APP_NO_BASE_IMAGE, vol, NULL, "%s", name);
    json_object *f = report_add_findingf(c->r, F_APP_DECISION, vol, NULL, "%s: %s%s%s", name,
                                         d ? d : "?", base ? " on " : "", base ? base : "");
    arr = doc_get(app, "reasons");
    for (size_t i = 0; f && i < doc_len(arr); i++)
        report_finding_evidence(f, "%s", json_object_get_string(json_object_array_get_idx(arr, i)));
}
