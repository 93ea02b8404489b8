/* scan_apps: groups third-party files into applications, gathers the
 * evidence of kernel dependence, and decides where each can run.  Reads the
 * "elf_files" facts scan_elf left in the report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/decide.h"
#include "model/elf_files.h"
#include "model/jdoc.h"
#include "scanners/apps/apps_int.h"
#include "util/version.h"

#define FILES_CAP 500
#define SCAN_FILES_CAP 200      /* static programs disassembled in all */




/* Keeps the highest version of a family in needs[key] with its evidence. */
static void need_max(json_object *needs, const char *key, const char *ver, const char *path,
                     const char *family)
{
    const char *cur = doc_str(needs, key);
    if (!ver || (cur && version_cmp(ver, cur) <= 0))
        return;
    char buf[1024];
    doc_put(needs, key, jstr(ver));
    snprintf(buf, sizeof buf, "%s: %s_%s", path, family, ver);
    apps_push_str(needs, "evidence", buf, 20);
}

/* The glibc version of the guest: the highest GLIBC_ node libc.so.6 defines. */
static const char *guest_glibc(json_object *doc, char *buf, size_t cap)
{
    buf[0] = 0;
    for (size_t i = 0; i < elf_files_count(doc); i++) {
        json_object *f = elf_files_at(doc, i), *vd = doc_get(f, "versions_defined");
        const char *so = doc_str(f, "soname");
        for (size_t k = 0; so && !strcmp(so, "libc.so.6") && doc_str(f, "package") && k < doc_len(vd); k++) {
            const char *v = json_object_get_string(json_object_array_get_idx(vd, k));
            if (!strncmp(v, "GLIBC_2", 7) && (!buf[0] || version_cmp(v + 6, buf) > 0))
                snprintf(buf, cap, "%s", v + 6);
        }
        json_object_put(f);
    }
    return buf[0] ? buf : NULL;
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
    doc_put(res, "path", jstr(path));
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *e = json_object_array_get_idx(list, i);
        int kind = 0;
        const char *why = apps_syscall_flag(doc_str(e, "name"), &kind);
        if (!why)
            continue;
        static const char *const kinds[] = {"", "removed", "module", "hardware", "kexec"};
        json_object *fl = jobject();
        doc_put(fl, "path", jstr(path));
        doc_put(fl, "name", jstr(doc_str(e, "name")));
        doc_put(fl, "nr", jint(json_object_get_int(doc_get(e, "nr"))));
        doc_put(fl, "abi", jstr(doc_str(e, "abi")));
        doc_put(fl, "kind", jstr(kinds[kind]));
        doc_put(fl, "why", jstr(why));
        doc_put(fl, "addresses", json_object_get(doc_get(e, "addresses")));
        apps_push(sys, "flagged", fl);
    }
    json_object *vs = doc_get(res, "vsyscall_addresses");
    for (size_t i = 0; vs && i < json_object_array_length(vs); i++) {
        json_object *e = jobject();
        doc_put(e, "path", jstr(path));
        doc_put(e, "address",
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

/* needs.libraries[soname]: where the OS provides it and from which
 * package; null for both when it is not there. */
static void os_library(json_object *needs, const char *so, const char *path, const char *pkg)
{
    json_object *libs = apps_obj(needs, "libraries");
    if (doc_get(libs, so) || json_object_object_length(libs) >= 200)
        return;
    json_object *l = jobject();
    doc_put(l, "path", path ? jstr(path) : NULL);
    doc_put(l, "package", pkg ? jstr(pkg) : NULL);
    doc_put(libs, so, l);
}

/* Library needs of one program: sonames from outside the application, and
 * third-party libraries it uses from elsewhere (to copy along). */
static void lib_facts(json_object *doc, json_object *app, json_object *f, const char *root)
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
        json_object *lib = elf_files_find(doc, to);
        if (lib && !doc_str(lib, "package")) {
            apps_push_str(app, "libraries_outside", to, 100);
        } else {
            apps_push_str(needs, "sonames", so, 200);
            if (lib)
                apps_push_str(needs, "packages", doc_str(lib, "package"), 200);
            os_library(needs, so, to, lib ? doc_str(lib, "package") : NULL);
        }
        json_object_put(lib);
    }
    for (size_t i = 0; missing && i < json_object_array_length(missing); i++)
        apps_push_str(needs, "missing", json_object_get_string(json_object_array_get_idx(missing, i)), 100);
}

/* The GLIBC/GLIBCXX needs of a runtime's native parts (extensions, addons),
 * from the ELF inventory, kept beside their paths. */
static void runtime_native_needs(json_object *doc, json_object *app)
{
    static const char *const keys[] = {"extensions", "addons"};
    json_object *rts = doc_get(app, "runtimes");
    for (size_t i = 0; i < doc_len(rts); i++)
        for (int k = 0; k < 2; k++) {
            json_object *part = doc_get(json_object_array_get_idx(rts, i), keys[k]);
            json_object *paths = doc_get(part, "paths");
            for (size_t p = 0; p < doc_len(paths); p++) {
                const char *path = json_object_get_string(json_object_array_get_idx(paths, p));
                json_object *f = elf_files_find(doc, path);
                need_max(part, "glibc_max", doc_str(f, "glibc_max"), path, "GLIBC");
                need_max(part, "glibcxx_max", doc_str(f, "glibcxx_max"), path, "GLIBCXX");
                json_object_put(f);
            }
        }
}

/* Third-party ELF files into applications by install root.  Files in
 * transient trees make none; kernel module files wait in kmods (indexes
 * into files) or in their application's module_candidates until what can
 * load them is known. */
struct grouping {
    struct scan_ctx *c;
    struct apps *a;
    const struct apps_transient *t;
    json_object *kmods, *copies;
    int *budget;
};

/* One ELF file f (entry i) into its application; 0 when out of memory. */
static int group_file(struct grouping *g, json_object *f, size_t i)
{
    json_object *app;
    const char *path = doc_str(f, "path"), *type = doc_str(f, "type");
    char name[256], root[4096];
    if (!path || doc_str(f, "package") || !type || doc_str(f, "error"))
        return 1;
    int kmod = (doc_bool(f, "kernel_module") == 1), usual = 0;
    /* A tree found by structure alone, or in a home, is no install
     * when it is a checkout: a build tree. */
    if (apps_is_transient(g->t, path) ||
        (!(usual = apps_root_of(path, name, sizeof name, root, sizeof root)) &&
         !apps_root_by_structure(path, name, sizeof name, root, sizeof root)) ||
        apps_inside_copy(g->c, g->copies, path, !usual || !strncmp(path, "/home/", 6))) {
        if (kmod)
            doc_push(g->kmods, jint((int64_t)i));
        return 1;
    }
    app = apps_get(g->a, name, root, json_object_get_int(doc_get(f, "volume")));
    if (!app)
        return 0;
    if (kmod) {
        apps_push(app, "module_candidates", jstr(path));
        return 1;
    }
    apps_push_str(app, "files", path, FILES_CAP);
    lib_facts(g->c->r->doc, app, f, root);
    const char *cls = doc_str(f, "class");
    if ((doc_bool(f, "x32") == 1))
        apps_push_str(apps_obj(app, "compat"), "x32", path, 100);
    else if (cls && !strcmp(cls, "ELF32"))
        apps_push_str(apps_obj(app, "compat"), "i386", path, 100);
    if (((doc_bool(f, "static") == 1) || doc_str(f, "go_version")) && strcmp(type, "shared") &&
        strcmp(type, "relocatable"))
        syscall_facts(g->c, app, path, g->budget);
    else if (strcmp(type, "relocatable"))
        import_facts(g->c, app, path, g->budget);
    apps_kernel_strings(g->c->v, path, app);
    return 1;
}

static void group_elf(struct scan_ctx *c, struct apps *a, const struct apps_transient *t,
                      json_object *kmods, int *budget)
{
    struct grouping g = {c, a, t, kmods, jobject(), budget};
    for (size_t i = 0; g.copies && i < elf_files_count(c->r->doc); i++) {
        json_object *f = elf_files_at(c->r->doc, i);
        int more = group_file(&g, f, i);
        json_object_put(f);
        if (!more)
            break;
    }
    json_object_put(g.copies);
}

/* Module files of an application that something can load become its
 * kernel modules; the others stay inventory only. */
static void gate_candidates(json_object *app, const struct kmod_refs *refs,
                            const struct apps_transient *t)
{
    json_object *cand = doc_get(app, "module_candidates"), *seen = jobject();
    for (size_t i = 0; seen && i < doc_len(cand); i++) {
        const char *p = json_object_get_string(json_object_array_get_idx(cand, i));
        /* The ELF inventory and the root's walk both list a module. */
        if (json_object_object_get_ex(seen, p, NULL) || !apps_kmod_counts(refs, t, p))
            continue;
        doc_put(seen, p, NULL);
        if (strstr(p, ".ko"))
            apps_push_str(app, "files", p, FILES_CAP);
        apps_push_str(app, "kernel_modules", p, 200);
    }
    /* Counted across calls: a module application gains its other kernels' copies. */
    if (seen && json_object_object_length(seen))
        doc_put(app, "kernel_module_count",
                jint(json_object_get_int(doc_get(app, "kernel_module_count")) +
                     json_object_object_length(seen)));
    json_object_put(seen);
    json_object_object_del(app, "module_candidates");
}

/* Loadable module files outside any install root: an application per
 * module name (a module installed for three kernels is one). */
static void module_apps(struct scan_ctx *c, struct apps *a, json_object *kmods,
                        struct kmod_refs *refs, const struct apps_transient *t)
{
    json_object *by_name = jobject(), *copies = jobject();
    for (size_t i = 0; by_name && copies && i < doc_len(kmods); i++) {
        json_object *f = elf_files_at(c->r->doc,
            (size_t)json_object_get_int64(json_object_array_get_idx(kmods, i)));
        char path[4096];
        const char *b;
        int volume = json_object_get_int(doc_get(f, "volume"));
        snprintf(path, sizeof path, "%s", doc_str(f, "path") ? doc_str(f, "path") : "");
        json_object_put(f);
        if (!path[0] || !(b = strrchr(path, '/')) ||
            !(apps_inside_copy(c, copies, path, 0) ? apps_kmod_loaded_by_path(refs, path)
                                                   : apps_kmod_counts(refs, t, path)))
            continue;
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)strcspn(b + 1, "."), b + 1);
        json_object *app = doc_get(by_name, name);
        if (!app) {
            app = apps_get(a, name, path, volume);
            if (!app)
                break;
            doc_put(by_name, name, json_object_get(app));
            apps_walk_root(c, app, path, t, refs);
        } else {
            apps_push(app, "module_candidates", jstr(path));
        }
        gate_candidates(app, refs, t);
    }
    json_object_put(by_name);
    json_object_put(copies);
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

/* Applications in the order of their install roots, for stable reports. */
static int cmp_app_root(const void *a, const void *b)
{
    const char *ra = doc_str(*(json_object *const *)a, "root");
    const char *rb = doc_str(*(json_object *const *)b, "root");
    return strcmp(ra ? ra : "", rb ? rb : "");
}

int scan_apps(struct scan_ctx *c)
{
    json_object *sum = report_get(c->r, "elf_summary");
    json_object *kmods = jarray();
    struct apps a = {0};
    struct apps_transient t = {0};
    struct kmod_refs refs = {0};
    char gg[32];
    int budget = SCAN_FILES_CAP;

    if (!kmods || apps_transient_init(c, &t, doc_get(sum, "cache_dirs")) < 0 ||
        apps_kmod_init(c, &refs, doc_str(sum, "package_db") != NULL) < 0) {
        json_object_put(kmods);
        apps_transient_free(&t);
        apps_kmod_free(&refs);
        return -1;
    }
    group_elf(c, &a, &t, kmods, &budget);
    other_roots(c, &a);
    json_object *aout = doc_get(sum, "aout_files");
    for (size_t i = 0; aout && i < json_object_array_length(aout); i++) {
        const char *p = json_object_get_string(json_object_array_get_idx(aout, i));
        char name[256], root[4096];
        if (apps_is_transient(&t, p) || !apps_root_of(p, name, sizeof name, root, sizeof root))
            continue;
        json_object *app = apps_get(&a, name, root, c->root_volume);
        if (app)
            apps_push_str(apps_obj(app, "compat"), "aout", p, 100);
    }
    for (size_t i = 0; i < a.n; i++)
        apps_walk_root(c, a.v[i].o, a.v[i].root, &t, &refs);
    apps_entries(c, &a, &refs);
    /* Every loader is known now: which module files count. */
    for (size_t i = 0; i < a.n; i++)
        gate_candidates(a.v[i].o, &refs, &t);
    module_apps(c, &a, kmods, &refs, &t);
    apps_attach_loaders(&a);
    apps_name_by_entry(&a);
    apps_rt_link(&a);
    for (size_t i = 0; i < a.n; i++)
        runtime_native_needs(c->r->doc, a.v[i].o);
    apps_magic_close();
    json_object_put(kmods);
    apps_transient_free(&t);
    apps_kmod_free(&refs);

    const char *g = guest_glibc(c->r->doc, gg, sizeof gg);
    json_object *list = jarray();
    for (size_t i = 0; i < a.n; i++) {
        json_object *app = a.v[i].o;
        if (empty(app) && !doc_get(doc_get(app, "compat"), "aout"))
            continue;
        if (g)
            doc_put(apps_obj(app, "compat"), "guest_glibc", jstr(g));
        doc_push(list, json_object_get(app));
    }
    apps_free(&a);
    json_object_array_sort(list, cmp_app_root);
    report_set(c->r, "applications", list);
    /* Out of memory leaves a decision without its reasons: still report the
     * findings, and say the report is incomplete. */
    int rc = decide_compute(c->r->doc);
    for (size_t i = 0; i < json_object_array_length(list); i++)
        apps_findings(c, json_object_array_get_idx(list, i));
    return rc < 0 ? -1 : 0;
}
