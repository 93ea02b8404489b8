/* The interpreted runtimes an application root holds or runs on: Java (a
 * JRE/JDK by its `release` file or bin/java with libjvm.so; JAR/WAR/EAR
 * archives), Python (interpreter and libpython names, virtualenvs, compiled
 * extensions), Node.js (node_version.h or the binary's version string,
 * native addons) and the interpreters scripts' shebangs name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scanners/apps/apps_int.h"
#include "scanners/apps/apps_rt_parse.h"
#include "model/jdoc.h"
#include "util/xalloc.h"

#define RT_CAP 16                /* runtimes per application */
#define EVIDENCE_CAP 10          /* paths listed per runtime */
#define SMALL_CAP (64u << 10)    /* release, pyvenv.cfg, node_version.h */
#define NODE_SCAN_CAP (256u << 20)
#define NODE_CHUNK (1u << 20)
#define NODE_OVERLAP 64

struct apps_rt {
    vfs *v;
    json_object *app, *list;
    json_object *archives, *extensions, *addons, *node_modules;
    long narchives, nextensions, naddons;
};

struct apps_rt *apps_rt_new(vfs *v, json_object *app)
{
    struct apps_rt *r = xcalloc(1, sizeof *r);
    r->v = v;
    r->app = app;
    r->list = jarray();
    r->archives = jarray();
    r->extensions = jarray();
    r->addons = jarray();
    r->node_modules = jarray();
    return r;
}

/* The runtime of this kind and home (NULL home: none known), made on demand. */
static json_object *rt_get(struct apps_rt *r, const char *kind, const char *home)
{
    for (size_t i = 0; i < json_object_array_length(r->list); i++) {
        json_object *e = json_object_array_get_idx(r->list, i);
        const char *h = doc_str(e, "home");
        if (!strcmp(doc_str(e, "kind"), kind) && ((!h && !home) || (h && home && !strcmp(h, home))))
            return e;
    }
    if (json_object_array_length(r->list) >= RT_CAP)
        return NULL;
    json_object *e = jobject();
    doc_put(e, "kind", jstr(kind));
    doc_put(e, "home", jstr_or_null(home));
    doc_put(e, "version", NULL);
    doc_put(e, "evidence", jarray());
    doc_push(r->list, e);
    return e;
}

static void set_version(json_object *e, const char *ver, const char *path)
{
    if (!e)
        return;
    if (ver && ver[0] && !doc_str(e, "version")) {
        char rel[32];
        doc_put(e, "version", jstr(ver));
        rt_release_of(doc_str(e, "kind"), ver, rel, sizeof rel);
        if (rel[0])
            doc_put(e, "release", jstr(rel));
    }
    apps_push_str(e, "evidence", path, EVIDENCE_CAP);
}

/* path's directory, up levels, into out. */
static const char *up(const char *path, int levels, char *out, size_t cap)
{
    snprintf(out, cap, "%s", path);
    while (levels-- > 0) {
        char *s = strrchr(out, '/');
        if (!s)
            return NULL;
        *s = 0;
    }
    return out[0] ? out : "/";
}

static int small_file(struct apps_rt *r, const char *path, char **text, size_t *len)
{
    return vfs_read_file(r->v, path, SMALL_CAP, text, len);
}

static void java_release(struct apps_rt *r, const char *path)
{
    char *text = NULL, ver[80], home[4096];
    size_t len = 0;
    if (small_file(r, path, &text, &len) == 0 && rt_java_release(text, len, ver, sizeof ver) &&
        up(path, 1, home, sizeof home))
        set_version(rt_get(r, "java", home), ver, path);
    free(text);
}

/* bin/java with a libjvm.so beside it: a JRE or JDK with no release file. */
static void java_binary(struct apps_rt *r, const char *path)
{
    static const char *const jvm[] = {"/lib/server/libjvm.so", "/jre/lib/amd64/server/libjvm.so",
                                      "/lib/amd64/server/libjvm.so", NULL};
    char home[4096], probe[4200];
    if (!up(path, 2, home, sizeof home))
        return;
    for (int i = 0; jvm[i]; i++) {
        snprintf(probe, sizeof probe, "%s%s", home, jvm[i]);
        if (vfs_exists(r->v, probe)) {
            set_version(rt_get(r, "java", home), NULL, path);
            return;
        }
    }
}

static void pyvenv(struct apps_rt *r, const char *path)
{
    char *text = NULL, ver[80], pyhome[1024], home[4096];
    size_t len = 0;
    if (small_file(r, path, &text, &len) == 0 && up(path, 1, home, sizeof home)) {
        json_object *e = rt_get(r, "python", home);
        rt_pyvenv(text, len, ver, sizeof ver, pyhome, sizeof pyhome);
        if (e) {
            doc_put(e, "virtualenv", jbool(1));
            if (pyhome[0])
                doc_put(e, "interpreter_home", jstr(pyhome));
        }
        set_version(e, ver, path);
    }
    free(text);
}

/* The version in the first NODE_SCAN_CAP bytes of a node binary, read in
 * overlapping chunks. */
static int node_binary_version(struct apps_rt *r, const char *path, char *ver, size_t cap)
{
    unsigned char *buf = xmalloc(NODE_CHUNK + NODE_OVERLAP);
    size_t keep = 0;
    int found = 0;
    for (uint64_t off = 0; !found && off < NODE_SCAN_CAP; off += NODE_CHUNK) {
        ssize_t n = vfs_pread(r->v, path, buf + keep, NODE_CHUNK, off);
        if (n <= 0)
            break;
        found = rt_node_in_binary(buf, keep + (size_t)n, ver, cap);
        size_t total = keep + (size_t)n;
        keep = total < NODE_OVERLAP ? total : NODE_OVERLAP;
        memmove(buf, buf + total - keep, keep);
        if ((size_t)n < NODE_CHUNK)
            break;
    }
    free(buf);
    return found;
}

static void node_header(struct apps_rt *r, const char *path)
{
    char *text = NULL, ver[64], home[4096];
    size_t len = 0;
    const char *inc = strstr(path, "/include/node/");
    if (!inc || (size_t)(inc - path) >= sizeof home)
        return;
    snprintf(home, sizeof home, "%.*s", (int)(inc - path), path);
    if (small_file(r, path, &text, &len) == 0 && rt_node_version_h(text, len, ver, sizeof ver))
        set_version(rt_get(r, "node", home), ver, path);
    free(text);
}

static void node_binary(struct apps_rt *r, const char *path)
{
    char home[4096], ver[64], hdr[4200];
    if (!up(path, 2, home, sizeof home))
        return;
    json_object *e = rt_get(r, "node", home);
    snprintf(hdr, sizeof hdr, "%s/include/node/node_version.h", home);
    if (e && !doc_str(e, "version") && !vfs_exists(r->v, hdr) &&
        node_binary_version(r, path, ver, sizeof ver))
        set_version(e, ver, path);
    else
        set_version(e, NULL, path);
}

static void listed(json_object *arr, long *count, const char *path)
{
    (*count)++;
    if (json_object_array_length(arr) < EVIDENCE_CAP)
        doc_push(arr, jstr(path));
}

/* A Java archive is a zip by its bytes, whatever its name says: libmagic's
 * type, or the zip signature when libmagic has no database. */
static void java_archive(struct apps_rt *r, const char *path)
{
    char mime[128];
    unsigned char sig[4];
    int zip;
    if (apps_magic_mime(r->v, path, mime, sizeof mime))
        zip = !strcmp(mime, "application/java-archive") || !strcmp(mime, "application/zip") ||
              !strcmp(mime, "application/x-java-archive");
    else
        zip = vfs_pread(r->v, path, sig, 4, 0) == 4 && !memcmp(sig, "PK\3\4", 4);
    if (zip)
        listed(r->archives, &r->narchives, path);
}

void apps_rt_entry(struct apps_rt *r, const char *path, const struct vfs_stat *st)
{
    const char *base = strrchr(path, '/');
    char ver[32];
    if (!r)
        return;
    base = base ? base + 1 : path;
    if (st->type == VFS_DIR) {
        if (!strcmp(base, "node_modules") && json_object_array_length(r->node_modules) < 50)
            doc_push(r->node_modules, jstr(path));
        return;
    }
    if (st->type == VFS_LNK && rt_python_name(base, ver, sizeof ver)) {
        char home[4096];
        if (up(path, 2, home, sizeof home))
            set_version(rt_get(r, "python", home), ver, path);
        return;
    }
    if (st->type != VFS_REG)
        return;
    if (!strcmp(base, "release"))
        java_release(r, path);
    else if (!strcmp(base, "java") && apps_ends_with(path, "/bin/java"))
        java_binary(r, path);
    else if (!strcmp(base, "pyvenv.cfg"))
        pyvenv(r, path);
    else if (!strcmp(base, "node_version.h"))
        node_header(r, path);
    else if (!strcmp(base, "node") && apps_ends_with(path, "/bin/node"))
        node_binary(r, path);
    else if (apps_ends_with(base, ".node"))
        listed(r->addons, &r->naddons, path);
    else if (apps_ends_with(base, ".jar") || apps_ends_with(base, ".war") || apps_ends_with(base, ".ear"))
        java_archive(r, path);
    else if ((strstr(path, "/site-packages/") || strstr(path, "/dist-packages/")) &&
             (apps_ends_with(base, ".so") || strstr(base, ".so.")))
        listed(r->extensions, &r->nextensions, path);
    else if (rt_python_name(base, ver, sizeof ver)) {
        char home[4096];
        if (up(path, 2, home, sizeof home))
            set_version(rt_get(r, "python", home), ver, path);
    }
}

/* Counts a script under the runtime of its shebang's interpreter in list. */
static void script_runtime(vfs *v, json_object *list, const char *path, const char *text, size_t len)
{
    char interp[64], mime[128];
    if (!rt_shebang(text, len, interp, sizeof interp))
        return;
    json_object *e = NULL;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *x = json_object_array_get_idx(list, i);
        const char *in = doc_str(x, "interpreter");
        if (in && !strcmp(in, interp))
            e = x;
    }
    if (!e && json_object_array_length(list) < RT_CAP) {
        e = jobject();
        doc_put(e, "kind", jstr("script"));
        doc_put(e, "interpreter", jstr(interp));
        doc_put(e, "home", NULL);
        doc_put(e, "version", NULL);
        doc_put(e, "scripts", jint(0));
        doc_put(e, "evidence", jarray());
        if (apps_magic_mime(v, path, mime, sizeof mime))
            doc_put(e, "mime", jstr(mime));
        doc_push(list, e);
    }
    if (!e)
        return;
    doc_put(e, "scripts", jint(json_object_get_int(doc_get(e, "scripts")) + 1));
    apps_push_str(e, "evidence", path, EVIDENCE_CAP);
}

void apps_rt_script(struct apps_rt *r, const char *path, const char *text, size_t len)
{
    if (r)
        script_runtime(r->v, r->list, path, text, len);
}

void apps_rt_entry_script(vfs *v, json_object *app, const char *path, const char *text, size_t len)
{
    json_object *list = doc_get(app, "runtimes");
    if (!list) {
        list = jarray();
        doc_put(app, "runtimes", list);
    }
    script_runtime(v, list, path, text, len);
    if (!json_object_array_length(list))
        json_object_object_del(app, "runtimes");
}

/* The runtime of this kind whose home holds path, else the first of the kind,
 * else a new one with no home. */
static json_object *owner_of(struct apps_rt *r, const char *kind, const char *path)
{
    json_object *first = NULL;
    for (size_t i = 0; i < json_object_array_length(r->list); i++) {
        json_object *e = json_object_array_get_idx(r->list, i);
        const char *h = doc_str(e, "home");
        if (strcmp(doc_str(e, "kind"), kind))
            continue;
        size_t hl = h ? strlen(h) : 0;
        if (path && h && !strncmp(path, h, hl) && path[hl] == '/')
            return e;
        if (!first)
            first = e;
    }
    return first ? first : rt_get(r, kind, NULL);
}

/* Moves a list with its count into the owning runtime's key. */
static void attach(struct apps_rt *r, const char *kind, const char *key, json_object *arr, long n)
{
    if (!n)
        return;
    json_object *e = owner_of(r, kind, json_object_get_string(json_object_array_get_idx(arr, 0)));
    if (!e)
        return;
    json_object *o = jobject();
    doc_put(o, "count", jint(n));
    doc_put(o, "paths", json_object_get(arr));
    doc_put(e, key, o);
}

static int addon_visit(const char *path, const struct vfs_stat *st, void *opaque)
{
    struct apps_rt *r = opaque;
    if (st->type == VFS_REG && apps_ends_with(path, ".node"))
        listed(r->addons, &r->naddons, path);
    return 0;
}

void apps_rt_finish(struct apps_rt *r)
{
    if (!r)
        return;
    /* The walk leaves node_modules out; native addons live there. */
    for (size_t i = 0; i < json_object_array_length(r->node_modules); i++) {
        struct vfs_walk_limits lim = {10, 20000};
        struct vfs_walk_result res = {0};
        vfs_walk(r->v, json_object_get_string(json_object_array_get_idx(r->node_modules, i)), &lim,
                 addon_visit, r, &res);
    }
    attach(r, "java", "archives", r->archives, r->narchives);
    attach(r, "python", "extensions", r->extensions, r->nextensions);
    attach(r, "node", "addons", r->addons, r->naddons);
    if (json_object_array_length(r->list))
        doc_put(r->app, "runtimes", json_object_get(r->list));
    json_object_put(r->list);
    json_object_put(r->archives);
    json_object_put(r->extensions);
    json_object_put(r->addons);
    json_object_put(r->node_modules);
    free(r);
}

/* The Java runtimes with a home across all applications. */
static json_object *java_homes(struct apps *a)
{
    json_object *homes = jarray();
    for (size_t i = 0; homes && i < a->n; i++) {
        json_object *rts = doc_get(a->v[i].o, "runtimes");
        for (size_t k = 0; k < doc_len(rts); k++) {
            json_object *e = json_object_array_get_idx(rts, k);
            if (!strcmp(doc_str(e, "kind"), "java") && doc_str(e, "home")) {
                json_object *h = jobject();
                doc_put(h, "rt", json_object_get(e));
                doc_put(h, "app", jstr(doc_str(a->v[i].o, "name")));
                doc_push(homes, h);
            }
        }
    }
    return homes;
}

void apps_rt_link(struct apps *a)
{
    json_object *homes = java_homes(a);
    for (size_t i = 0; homes && i < a->n; i++) {
        json_object *rts = doc_get(a->v[i].o, "runtimes"), *pick = NULL;
        const char *how = NULL;
        for (size_t k = 0; k < doc_len(rts); k++) {
            json_object *e = json_object_array_get_idx(rts, k);
            if (strcmp(doc_str(e, "kind"), "java") || doc_str(e, "home"))
                continue;
            const char *named = doc_str(a->v[i].o, "java_home_named");
            const char *ep = json_object_to_json_string_ext(doc_get(a->v[i].o, "entry_points"),
                                                            JSON_C_TO_STRING_NOSLASHESCAPE);
            for (size_t h = 0; h < doc_len(homes); h++) {
                json_object *x = json_object_array_get_idx(homes, h);
                const char *home = doc_str(doc_get(x, "rt"), "home");
                if (named && !strcmp(named, home)) {
                    pick = x;
                    how = "JAVA_HOME of its unit";
                    break;
                }
                if (ep && strstr(ep, home)) {
                    pick = x;
                    how = "named by its entry points";
                }
            }
            if (!pick && doc_len(homes) == 1) {
                pick = json_object_array_get_idx(homes, 0);
                how = "the server's only Java runtime";
            }
            if (!pick)
                continue;
            json_object *rt = doc_get(pick, "rt");
            doc_put(e, "home", jstr(doc_str(rt, "home")));
            doc_put(e, "version", jstr_or_null(doc_str(rt, "version")));
            if (doc_str(rt, "release"))
                doc_put(e, "release", jstr(doc_str(rt, "release")));
            doc_put(e, "from_application", jstr(doc_str(pick, "app")));
            doc_put(e, "found_by", jstr(how));
            json_object *ev = doc_get(rt, "evidence");
            for (size_t m = 0; m < doc_len(ev); m++)
                apps_push_str(e, "evidence", json_object_get_string(json_object_array_get_idx(ev, m)),
                              EVIDENCE_CAP);
        }
    }
    json_object_put(homes);
    for (size_t i = 0; i < a->n; i++)
        json_object_object_del(a->v[i].o, "java_home_named");
}
