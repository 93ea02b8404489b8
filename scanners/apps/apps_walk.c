/* What an application root holds besides ELF files: scripts, sources, build
 * trees, module sources, and commands in its scripts that load modules. */
#include <string.h>
#include <stdlib.h>

#include "scanners/apps/apps_int.h"

#define SCRIPT_CAP (256u << 10)   /* bytes of a script read */
#define LIST_CAP 200              /* paths listed per key */

struct walk {
    struct scan_ctx *c;
    json_object *app;
    const struct apps_transient *t;
    struct kmod_refs *refs;
    struct apps_rt *rt;
    long files, sources;
};

static const char *const src_ext[] = {".c", ".cc", ".cpp", ".cxx", ".h", ".hpp", ".java", ".go",
                                      ".rs", ".f", ".f90", ".for", ".pas", ".cob", ".cbl", ".s",
                                      ".S", ".ada", ".adb", ".pc", NULL};
static const char *const build_files[] = {"Makefile", "makefile", "GNUmakefile", "CMakeLists.txt",
                                          "configure", "configure.ac", "Makefile.am", "pom.xml",
                                          "build.xml", "build.gradle", "go.mod", "Cargo.toml",
                                          "meson.build", "SConstruct", "Kbuild", NULL};

int apps_ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcmp(s + n - m, suf);
}

static int is_source(const char *base)
{
    for (int i = 0; build_files[i]; i++)
        if (!strcmp(base, build_files[i]))
            return 1;
    for (int i = 0; src_ext[i]; i++)
        if (apps_ends_with(base, src_ext[i]))
            return 1;
    return 0;
}

/* Lines of a script that load kernel modules. */
static void module_lines(const char *path, const char *text, json_object *app,
                         struct kmod_refs *refs)
{
    const char *line = text;
    int n = 0;
    while (*line && n < 8) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        const char *hash = memchr(line, '#', len);
        size_t code = hash ? (size_t)(hash - line) : len;
        char buf[256];
        size_t m = code < sizeof buf - 1 ? code : sizeof buf - 1;
        memcpy(buf, line, m);
        buf[m] = 0;
        if ((strstr(buf, "insmod") || strstr(buf, "modprobe")) && apps_kmod_note_line(refs, buf)) {
            json_object *e = jobject();
            char *s = buf;
            while (*s == ' ' || *s == '\t')
                s++;
            doc_put(e, "path", jstr(path));
            doc_put(e, "text", jstr(s));
            apps_push(app, "module_loaders", e);
            n++;
        }
        line = nl ? nl + 1 : line + len;
    }
}

static void script(struct walk *w, const char *path)
{
    char *text = NULL;
    size_t len = 0;
    unsigned char head[2];
    if (vfs_pread(w->c->v, path, head, 2, 0) != 2 || head[0] != '#' || head[1] != '!')
        return;
    apps_push_str(w->app, "files", path, LIST_CAP);
    apps_push_str(w->app, "scripts", path, LIST_CAP);
    if (vfs_read_file(w->c->v, path, SCRIPT_CAP, &text, &len) == 0) {
        module_lines(path, text, w->app, w->refs);
        apps_rt_script(w->rt, path, text, len);
        free(text);
    }
    apps_kernel_strings(w->c->v, path, w->app);
}

static int visit(const char *path, const struct vfs_stat *st, void *opaque)
{
    struct walk *w = opaque;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (st->type == VFS_DIR) {
        if (apps_is_transient(w->t, path) || apps_os_copy(w->c, path))
            return 1;
        apps_rt_entry(w->rt, path, st);     /* notes node_modules for its addons */
        return !strcmp(base, ".git") || !strcmp(base, "node_modules") ? 1 : 0;
    }
    apps_rt_entry(w->rt, path, st);
    if (st->type != VFS_REG)
        return 0;
    w->files++;
    if (is_source(base)) {
        w->sources++;
        apps_push_str(w->app, "sources", path, 20);
    } else if (apps_ends_with(base, ".ko") || apps_ends_with(base, ".ko.xz") || apps_ends_with(base, ".ko.gz") ||
               !strcmp(base, "dkms.conf")) {
        apps_push(w->app, "module_candidates", jstr(path));
    } else if (apps_ends_with(base, ".jar") || apps_ends_with(base, ".war") || apps_ends_with(base, ".ear")) {
        apps_push_str(w->app, "files", path, LIST_CAP);
    } else if ((st->mode & 0111) || apps_ends_with(base, ".sh")) {
        script(w, path);
    }
    return 0;
}

void apps_walk_root(struct scan_ctx *c, json_object *app, const char *root,
                    const struct apps_transient *t, struct kmod_refs *refs)
{
    struct walk w = {c, app, t, refs, NULL, 0, 0};
    struct vfs_walk_limits lim = {12, 20000};
    struct vfs_walk_result res = {0};
    struct vfs_stat st;

    if (vfs_lstat(c->v, root, &st) < 0 || (st.type == VFS_DIR && apps_os_copy(c, root)))
        return;
    w.rt = apps_rt_new(c->v, app);    /* after the early return: finish frees it */
    if (st.type == VFS_REG) {
        visit(root, &st, &w);
    } else if (st.type == VFS_DIR) {
        vfs_walk(c->v, root, &lim, visit, &w, &res);
    }
    apps_rt_finish(w.rt);
    doc_put(app, "file_count", jint(w.files));
    doc_put(app, "source_count", jint(w.sources));
    if (res.depth_limited || res.entries_limited)
        doc_put(app, "walk_truncated", jbool(1));
}
