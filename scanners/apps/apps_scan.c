/* scan_apps: groups third-party files into applications, gathers the
 * evidence of kernel dependence, and decides where each can run.  Reads the
 * "elf_files" facts scan_elf left in the report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/decide.h"
#include "model/jdoc.h"
#include "scanners/apps/apps_int.h"

#define FILES_CAP 500
#define SCAN_FILES_CAP 200      /* static programs disassembled in all */




/* Keeps the highest version of a family in needs[key] with its evidence. */
static void need_max(json_object *needs, const char *key, const char *ver, const char *path,
                     const char *family)
{
    const char *cur = doc_str(needs, key);
    if (!ver || (cur && decide_vercmp(ver, cur) <= 0))
        return;
    char buf[1024];
    json_object_object_add(needs, key, jstr(ver));
    snprintf(buf, sizeof buf, "%s: %s_%s", path, family, ver);
    apps_push_str(needs, "evidence", buf, 20);
}

/* The glibc version of the guest: the highest GLIBC_ node libc.so.6 defines. */
static const char *guest_glibc(json_object *files, char *buf, size_t cap)
{
    buf[0] = 0;
    for (size_t i = 0; i < json_object_array_length(files); i++) {
        json_object *f = json_object_array_get_idx(files, i), *vd = doc_get(f, "versions_defined");
        const char *so = doc_str(f, "soname");
        if (!so || strcmp(so, "libc.so.6") || !doc_str(f, "package"))
            continue;
        for (size_t k = 0; vd && k < json_object_array_length(vd); k++) {
            const char *v = json_object_get_string(json_object_array_get_idx(vd, k));
            if (!strncmp(v, "GLIBC_2", 7) && (!buf[0] || decide_vercmp(v + 6, buf) > 0))
                snprintf(buf, cap, "%s", v + 6);
        }
    }
    return buf[0] ? buf : NULL;
}

static int third_party_module(const char *path, int have_pkgdb)
{
    if (strstr(path, "/extra/") || strstr(path, "/updates/") || strstr(path, "/dkms/") ||
        strstr(path, "/misc/"))
        return 1;
    return have_pkgdb;
}

static json_object *elf_by_path(json_object *files, const char *path)
{
    for (size_t i = 0; path && i < json_object_array_length(files); i++) {
        json_object *f = json_object_array_get_idx(files, i);
        const char *p = doc_str(f, "path");
        if (p && !strcmp(p, path))
            return f;
    }
    return NULL;
}

static void syscall_facts(struct scan_ctx *c, json_object *app, const char *path, int *budget)
{
    if (*budget <= 0)
        return;
    (*budget)--;
    json_object *res = apps_syscalls_of(c->v, path);
    if (!res)
        return;
    json_object *sys = apps_obj(app, "syscalls"), *list = doc_get(res, "syscalls");
    json_object_object_add(res, "path", jstr(path));
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *e = json_object_array_get_idx(list, i);
        int kind = 0;
        const char *why = apps_syscall_flag(doc_str(e, "name"), &kind);
        if (!why)
            continue;
        static const char *const kinds[] = {"", "removed", "module", "hardware", "kexec"};
        json_object *fl = json_object_new_object();
        json_object_object_add(fl, "path", jstr(path));
        json_object_object_add(fl, "name", jstr(doc_str(e, "name")));
        json_object_object_add(fl, "nr", json_object_new_int(json_object_get_int(doc_get(e, "nr"))));
        json_object_object_add(fl, "abi", jstr(doc_str(e, "abi")));
        json_object_object_add(fl, "kind", jstr(kinds[kind]));
        json_object_object_add(fl, "why", jstr(why));
        json_object_object_add(fl, "addresses", json_object_get(doc_get(e, "addresses")));
        apps_push(sys, "flagged", fl);
    }
    json_object *vs = doc_get(res, "vsyscall_addresses");
    for (size_t i = 0; vs && i < json_object_array_length(vs); i++) {
        json_object *e = json_object_new_object();
        json_object_object_add(e, "path", jstr(path));
        json_object_object_add(e, "address",
                               jstr(json_object_get_string(json_object_array_get_idx(vs, i))));
        apps_push(apps_obj(app, "compat"), "vsyscall", e);
    }
    apps_push(sys, "files", res);
}

static void import_facts(struct scan_ctx *c, json_object *app, const char *path, int *budget)
{
    if (*budget <= 0)
        return;
    (*budget)--;
    json_object *list = apps_imports_of(c->v, path);
    for (size_t i = 0; list && i < json_object_array_length(list); i++)
        apps_push(apps_obj(app, "syscalls"), "imports",
                  json_object_get(json_object_array_get_idx(list, i)));
    json_object_put(list);
}

/* Library needs of one program: sonames from outside the application, and
 * third-party libraries it uses from elsewhere (to copy along). */
static void lib_facts(json_object *files, json_object *app, json_object *f, const char *root)
{
    json_object *needs = apps_obj(app, "needs"), *res = doc_get(f, "resolved");
    json_object *needed = doc_get(f, "needed"), *missing = doc_get(f, "missing_needed");
    const char *path = doc_str(f, "path");
    size_t rl = strlen(root);

    need_max(needs, "glibc_max", doc_str(f, "glibc_max"), path, "GLIBC");
    need_max(needs, "glibcxx_max", doc_str(f, "glibcxx_max"), path, "GLIBCXX");
    need_max(needs, "cxxabi_max", doc_str(f, "cxxabi_max"), path, "CXXABI");
    for (size_t i = 0; needed && i < json_object_array_length(needed); i++) {
        const char *so = json_object_get_string(json_object_array_get_idx(needed, i));
        const char *to = doc_str(res, so);
        if (to && !strncmp(to, root, rl) && to[rl] == '/')
            continue;       /* shipped inside the application */
        if (!to && doc_get(doc_get(f, "found_outside_path"), so))
            continue;
        json_object *lib = elf_by_path(files, to);
        if (lib && !doc_str(lib, "package")) {
            apps_push_str(app, "libraries_outside", to, 100);
            continue;
        }
        apps_push_str(needs, "sonames", so, 200);
    }
    for (size_t i = 0; missing && i < json_object_array_length(missing); i++)
        apps_push_str(needs, "missing", json_object_get_string(json_object_array_get_idx(missing, i)), 100);
}

static void group_elf(struct scan_ctx *c, struct apps *a, json_object *files, int have_pkgdb,
                      int *budget)
{
    for (size_t i = 0; i < json_object_array_length(files); i++) {
        json_object *f = json_object_array_get_idx(files, i), *app;
        const char *path = doc_str(f, "path"), *type = doc_str(f, "type");
        char name[256], root[4096];
        if (!path || doc_str(f, "package") || !type || doc_str(f, "error"))
            continue;
        int kmod = (doc_bool(f, "kernel_module") == 1);
        if (apps_root_of(path, name, sizeof name, root, sizeof root)) {
            app = apps_get(a, name, root, json_object_get_int(doc_get(f, "volume")));
        } else if (kmod && third_party_module(path, have_pkgdb)) {
            const char *b = strrchr(path, '/') + 1;
            snprintf(name, sizeof name, "%.*s", (int)strcspn(b, "."), b);
            app = apps_get(a, name, path, json_object_get_int(doc_get(f, "volume")));
        } else {
            continue;
        }
        if (!app)
            return;
        apps_push_str(app, "files", path, FILES_CAP);
        if (kmod) {
            apps_push_str(app, "kernel_modules", path, 200);
            continue;
        }
        lib_facts(files, app, f, root);
        const char *cls = doc_str(f, "class");
        if ((doc_bool(f, "x32") == 1))
            apps_push_str(apps_obj(app, "compat"), "x32", path, 100);
        else if (cls && !strcmp(cls, "ELF32"))
            apps_push_str(apps_obj(app, "compat"), "i386", path, 100);
        if (((doc_bool(f, "static") == 1) || doc_str(f, "go_version")) && strcmp(type, "shared") &&
            strcmp(type, "relocatable"))
            syscall_facts(c, app, path, budget);
        else if (strcmp(type, "relocatable"))
            import_facts(c, app, path, budget);
        apps_kernel_strings(c->v, path, app);
    }
}

/* Directories under the usual roots with no ELF file can still be
 * applications: scripts, jars, sources. */
static void other_roots(struct scan_ctx *c, struct apps *a)
{
    static const char *const tops[] = {"/opt", "/srv", "/data", "/var/lib/dkms", NULL};
    for (int t = 0; tops[t]; t++) {
        char **names = NULL;
        if (vfs_list(c->v, tops[t], &names) < 0)
            continue;
        for (size_t i = 0; names[i] && i < 1000; i++) {
            char path[4096], name[256], root[4096];
            struct vfs_stat st;
            snprintf(path, sizeof path, "%s/%s", tops[t], names[i]);
            if (vfs_lstat(c->v, path, &st) < 0 || st.type != VFS_DIR ||
                !apps_root_of(path, name, sizeof name, root, sizeof root) ||
                apps_find_path(a, root))
                continue;
            apps_get(a, name, root, scan_volume_of(c, &st));
        }
        vfs_free_names(names);
    }
    struct vfs_stat st;
    if (vfs_lstat(c->v, "/app", &st) == 0 && st.type == VFS_DIR && !apps_find_path(a, "/app"))
        apps_get(a, "app", "/app", scan_volume_of(c, &st));
}

static int empty(json_object *app)
{
    static const char *const keys[] = {"files", "sources", "kernel_modules", "scripts", NULL};
    for (int i = 0; keys[i]; i++) {
        json_object *v = doc_get(app, keys[i]);
        if (v && json_object_array_length(v))
            return 0;
    }
    return 1;
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

static void findings(struct scan_ctx *c, json_object *app)
{
    const char *name = doc_str(app, "name");
    int vol = json_object_get_int(doc_get(app, "volume"));
    json_object *f, *arr;

    if ((arr = doc_get(app, "kernel_modules")) && json_object_array_length(arr)) {
        f = report_add_findingf(c->r, F_APP_KERNEL_MODULE, vol, "Run it on EC2 bare metal with KVM "
                                "and the original kernel in a guest, or port the module",
                                "%s", name);
        for (size_t i = 0; f && i < json_object_array_length(arr) && i < 20; i++)
            report_finding_evidence(f, "%s", json_object_get_string(json_object_array_get_idx(arr, i)));
    }
    if ((arr = doc_get(app, "module_loaders")) && json_object_array_length(arr)) {
        f = report_add_findingf(c->r, F_APP_KERNEL_MODULE, vol, NULL, "%s loads modules", name);
        for (size_t i = 0; f && i < json_object_array_length(arr) && i < 20; i++) {
            json_object *e = json_object_array_get_idx(arr, i);
            report_finding_evidence(f, "%s: %s", doc_str(e, "path"), doc_str(e, "text"));
        }
    }
    arr = doc_get(doc_get(app, "syscalls"), "flagged");
    for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
        json_object *e = json_object_array_get_idx(arr, i), *ad = doc_get(e, "addresses");
        const char *kind = doc_str(e, "kind");
        enum finding_id id = !strcmp(kind, "removed") ? F_APP_REMOVED_SYSCALL
                           : !strcmp(kind, "hardware") ? F_APP_RAW_IO : F_APP_MODULE_SYSCALL;
        f = report_add_findingf(c->r, id, vol, fix_for(kind), "%s calls %s", name, doc_str(e, "name"));
        for (size_t k = 0; f && ad && k < json_object_array_length(ad); k++)
            report_finding_evidence(f, "%s: %s (%s %d) at %s", doc_str(e, "path"), doc_str(e, "name"),
                                    doc_str(e, "abi"), json_object_get_int(doc_get(e, "nr")),
                                    json_object_get_string(json_object_array_get_idx(ad, k)));
    }
    arr = doc_get(doc_get(app, "syscalls"), "imports");
    for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
        json_object *e = json_object_array_get_idx(arr, i);
        const char *kind = doc_str(e, "kind");
        enum finding_id id = !strcmp(kind, "removed") ? F_APP_REMOVED_SYSCALL
                           : !strcmp(kind, "hardware") ? F_APP_RAW_IO : F_APP_MODULE_SYSCALL;
        f = report_add_findingf(c->r, id, vol, fix_for(kind), "%s imports %s()", name,
                                doc_str(e, "import"));
        if (f)
            report_finding_evidence(f, "%s: imports %s() for the %s syscall", doc_str(e, "path"),
                                    doc_str(e, "import"), doc_str(e, "name"));
    }
    json_object *compat = doc_get(app, "compat");
    const char *base = doc_str(app, "base_image");
    if ((arr = doc_get(compat, "vsyscall")) || (base && !strcmp(base, "centos:6"))) {
        f = report_add_findingf(c->r, F_APP_VSYSCALL, vol, "Boot the container host with "
                                "vsyscall=emulate, or rebuild against glibc >= 2.14", "%s", name);
        for (size_t i = 0; f && arr && i < json_object_array_length(arr); i++) {
            json_object *e = json_object_array_get_idx(arr, i);
            report_finding_evidence(f, "%s: vsyscall address at %s", doc_str(e, "path"), doc_str(e, "address"));
        }
        if (f && base && !strcmp(base, "centos:6"))
            report_finding_evidence(f, "needs centos:6 (glibc 2.12)");
    }
    if ((arr = doc_get(app, "kernel_paths")) && json_object_array_length(arr)) {
        f = report_add_findingf(c->r, F_APP_KERNEL_PATH, vol, NULL, "%s", name);
        for (size_t i = 0; f && i < json_object_array_length(arr) && i < 20; i++) {
            json_object *e = json_object_array_get_idx(arr, i);
            report_finding_evidence(f, "%s: %s", doc_str(e, "path"), doc_str(e, "string"));
        }
    }
    if (doc_get(compat, "i386") || doc_get(compat, "x32"))
        report_add_findingf(c->r, F_APP_32BIT, vol, NULL, "%s", name);
    const char *d = doc_str(app, "decision");
    if (d && (!strcmp(d, "port") || !strcmp(d, "uml")))
        report_add_findingf(c->r, F_APP_NO_BASE_IMAGE, vol, NULL, "%s", name);
    f = report_add_findingf(c->r, F_APP_DECISION, vol, NULL, "%s: %s%s%s", name, d ? d : "?",
                            base ? " on " : "", base ? base : "");
    arr = doc_get(app, "reasons");
    for (size_t i = 0; f && arr && i < json_object_array_length(arr); i++)
        report_finding_evidence(f, "%s", json_object_get_string(json_object_array_get_idx(arr, i)));
}

/* Applications in the order of their install roots, for stable reports. */
static int cmp_app_root(const void *a, const void *b)
{
    const char *ra = doc_str(*(json_object *const *)a, "root");
    const char *rb = doc_str(*(json_object *const *)b, "root");
    return strcmp(ra ? ra : "", rb ? rb : "");
}

int scan_apps(struct scan_ctx *c)
{
    json_object *files = report_get(c->r, "elf_files"), *sum = report_get(c->r, "elf_summary");
    struct apps a = {0};
    char gg[32];
    int budget = SCAN_FILES_CAP;

    if (!files || !json_object_is_type(files, json_type_array))
        files = NULL;
    int have_pkgdb = doc_str(sum, "package_db") != NULL;
    if (files)
        group_elf(c, &a, files, have_pkgdb, &budget);
    other_roots(c, &a);
    json_object *aout = doc_get(sum, "aout_files");
    for (size_t i = 0; aout && i < json_object_array_length(aout); i++) {
        const char *p = json_object_get_string(json_object_array_get_idx(aout, i));
        char name[256], root[4096];
        if (!apps_root_of(p, name, sizeof name, root, sizeof root))
            continue;
        json_object *app = apps_get(&a, name, root, c->root_volume);
        if (app)
            apps_push_str(apps_obj(app, "compat"), "aout", p, 100);
    }
    for (size_t i = 0; i < a.n; i++)
        apps_walk_root(c, a.v[i].o, a.v[i].root);
    apps_entries(c, &a);

    const char *g = files ? guest_glibc(files, gg, sizeof gg) : NULL;
    json_object *list = json_object_new_array();
    for (size_t i = 0; i < a.n; i++) {
        json_object *app = a.v[i].o;
        if (empty(app) && !doc_get(doc_get(app, "compat"), "aout"))
            continue;
        if (g)
            json_object_object_add(apps_obj(app, "compat"), "guest_glibc", jstr(g));
        json_object_array_add(list, json_object_get(app));
    }
    apps_free(&a);
    json_object_array_sort(list, cmp_app_root);
    report_set(c->r, "applications", list);
    decide_compute(c->r->doc);
    for (size_t i = 0; i < json_object_array_length(list); i++)
        findings(c, json_object_array_get_idx(list, i));
    return 0;
}
