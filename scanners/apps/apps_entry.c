/* What starts each application: systemd units, SysV init scripts, upstart
 * jobs, inittab, xinetd services, crontabs and anacrontab, rc.local.  Only
 * files that name a path inside an application root count, which leaves
 * the distribution's own units out without a package lookup. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scanners/apps/apps_int.h"

#define TEXT_CAP (256u << 10)
#define MAX_DIR_FILES 4000

enum kind { K_SYSTEMD, K_SYSV, K_CRON, K_UPSTART, K_INITTAB, K_XINETD, K_ANACRON };
static const char *const kind_name[] = {"systemd", "sysv", "cron", "upstart", "inittab", "xinetd",
                                        "anacron"};

struct entry_ctx {
    struct scan_ctx *c;
    struct apps *a;
    struct kmod_refs *refs;
    struct apps_enabled en;
};

/* The application a command line belongs to: the first token that names a
 * file inside a root (a directory or a path that is not there names no
 * program: a distribution's script may list /usr/local/lib directories). */
static json_object *app_of_command(vfs *v, const struct apps *a, const char *cmd)
{
    char tok[1024];
    const char *p = cmd;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '"' || *p == '\'' || *p == '=')
            p++;
        if (!*p)
            break;      /* a trailing quote or '=' ends the line */
        size_t n = strcspn(p, " \t\"'=;|&<>");
        if (n && n < sizeof tok) {
            memcpy(tok, p, n);
            tok[n] = 0;
            /* "PATH=/usr/local/sbin:/usr/bin" names no program. */
            if (tok[0] == '/' && !strchr(tok, ':')) {
                json_object *app = apps_find_path(a, tok);
                struct vfs_stat st;
                if (app && vfs_stat(v, tok, &st) == 0 && st.type == VFS_REG)
                    return app;
            }
        }
        p += n ? n : 1;
    }
    return NULL;
}

/* The application shipping the module a modprobe/insmod line names. */
static json_object *app_of_module(const struct apps *a, const char *line)
{
    const char *p = strstr(line, "modprobe");
    p = p ? p + 8 : strstr(line, "insmod") + 6;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p != '-')
            break;
        p += strcspn(p, " \t");
    }
    char name[256];
    size_t n = strcspn(p, " \t;|&\n");
    if (!n || n >= sizeof name - 4)
        return NULL;
    memcpy(name, p, n);
    name[n] = 0;
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    char want[300];
    snprintf(want, sizeof want, "%s%s", base, strstr(base, ".ko") ? "" : ".ko");
    for (size_t i = 0; i < a->n; i++) {
        json_object *mods = NULL;
        if (!json_object_object_get_ex(a->v[i].o, "kernel_modules", &mods))
            continue;
        for (size_t k = 0; k < json_object_array_length(mods); k++) {
            const char *m = json_object_get_string(json_object_array_get_idx(mods, k));
            const char *mb = strrchr(m, '/');
            mb = mb ? mb + 1 : m;
            /* modprobe treats '-' and '_' alike. */
            size_t j = 0;
            while (mb[j] && want[j] && (mb[j] == want[j] ||
                   ((mb[j] == '-' || mb[j] == '_') && (want[j] == '-' || want[j] == '_'))))
                j++;
            if (!mb[j] && !want[j])
                return a->v[i].o;
        }
    }
    return NULL;
}

/* Whether the file starting it runs at boot: a unit's state, an init
 * script's runlevels (inittab gives its own). */
static void boot_state(const struct entry_ctx *x, enum kind k, const char *src,
                       const char *runlevels, json_object *e)
{
    const char *base = strrchr(src, '/');
    base = base ? base + 1 : src;
    if (k == K_SYSTEMD) {
        doc_put(e, "state", jstr(apps_unit_state(&x->en, base)));
        return;
    }
    if (k == K_SYSV && strstr(src, "/init.d/"))
        runlevels = apps_sysv_runlevels(&x->en, base);
    if (!runlevels)
        return;
    doc_put(e, "state", jstr(runlevels[0] ? "enabled" : "disabled"));
    doc_put(e, "runlevels", jstr(runlevels));
}

static void add_entry(const struct entry_ctx *x, json_object *app, enum kind k, const char *src,
                      const char *cmd, const char *runlevels)
{
    json_object *eps = NULL;
    if (json_object_object_get_ex(app, "entry_points", &eps)) {
        for (size_t i = 0; i < json_object_array_length(eps); i++) {
            json_object *e = json_object_array_get_idx(eps, i), *s, *c;
            if (json_object_object_get_ex(e, "source", &s) && json_object_object_get_ex(e, "command", &c) &&
                !strcmp(json_object_get_string(s), src) && !strcmp(json_object_get_string(c), cmd))
                return;
        }
    }
    json_object *e = jobject();
    doc_put(e, "kind", jstr(kind_name[k]));
    doc_put(e, "source", jstr(src));
    doc_put(e, "command", jstr(cmd));
    boot_state(x, k, src, runlevels, e);
    apps_push(app, "entry_points", e);
}

/* Keeps a module-loading line until modules are known. */
static void keep_loader(struct apps *a, const char *path, const char *text, json_object *owner)
{
    json_object *e = jobject();
    if (!a->loaders)
        a->loaders = jarray();
    doc_put(e, "path", jstr(path));
    doc_put(e, "text", jstr(text));
    doc_put(e, "owner", json_object_get(owner));
    doc_push(a->loaders, e);
}

void apps_attach_loaders(struct apps *a)
{
    for (size_t i = 0; a->loaders && i < json_object_array_length(a->loaders); i++) {
        json_object *l = json_object_array_get_idx(a->loaders, i), *path, *text, *owner = NULL;
        json_object_object_get_ex(l, "path", &path);
        json_object_object_get_ex(l, "text", &text);
        json_object_object_get_ex(l, "owner", &owner);
        json_object *app = app_of_module(a, json_object_get_string(text));
        if (!app)
            app = owner;
        if (!app)
            continue;
        json_object *e = jobject();
        doc_put(e, "path", json_object_get(path));
        doc_put(e, "text", json_object_get(text));
        apps_push(app, "module_loaders", e);
    }
    json_object_put(a->loaders);
    a->loaders = NULL;
}

/* inittab's "id:runlevels:action:process": the process, and the runlevels. */
static const char *inittab_process(char *line, char *runlevels, size_t cap)
{
    char *f[4] = {line, NULL, NULL, NULL};
    for (int i = 1; i < 4; i++) {
        f[i] = strchr(f[i - 1], ':');
        if (!f[i])
            return NULL;
        *f[i]++ = 0;
    }
    snprintf(runlevels, cap, "%s", f[1]);
    return f[3];
}

/* The value of a unit's JAVA_HOME= assignment, without trailing slashes. */
static void java_home_of(const char *v, char *out, size_t cap)
{
    snprintf(out, cap, "%.*s", (int)strcspn(v, " \t\"'"), v);
    for (size_t n = strlen(out); n > 1 && out[n - 1] == '/';)
        out[--n] = 0;
}

static void one_file(struct entry_ctx *x, enum kind k, const char *path)
{
    struct apps *a = x->a;
    char *text = NULL, runlevels[32], java_home[512] = "";
    size_t len = 0;
    json_object *owner = NULL;

    if (vfs_read_file(x->c->v, path, TEXT_CAP, &text, &len) < 0)
        return;
    /* Two passes: first who the file starts, then what it loads. */
    for (int pass = 0; pass < 2; pass++) {
        char *line = text;
        while (line && *line) {
            char *nl = strchr(line, '\n');
            size_t n = nl ? (size_t)(nl - line) : strlen(line);
            char buf[2048];
            if (n >= sizeof buf)
                n = sizeof buf - 1;
            memcpy(buf, line, n);
            buf[n] = 0;
            line = nl ? nl + 1 : NULL;
            char *s = buf;
            while (*s == ' ' || *s == '\t')
                s++;
            if (*s == '#' || !*s)
                continue;
            const char *cmd = s, *jh;
            if (k == K_SYSTEMD) {
                if (pass == 0 && !strncmp(s, "Environment", 11) && (jh = strstr(s, "JAVA_HOME=")))
                    java_home_of(jh + 10, java_home, sizeof java_home);
                if (strncmp(s, "Exec", 4))
                    continue;
                cmd = strchr(s, '=');
                if (!cmd)
                    continue;
                cmd++;
            } else if (k == K_INITTAB && !(cmd = inittab_process(s, runlevels, sizeof runlevels))) {
                continue;
            }
            int loads = strstr(cmd, "modprobe") || strstr(cmd, "insmod");
            if (pass == 0 && !loads) {
                json_object *app = app_of_command(x->c->v, a, cmd);
                int start = k != K_SYSTEMD || !strncmp(s, "ExecStart=", 10);
                if (app && start) {
                    add_entry(x, app, k, path, cmd, k == K_INITTAB ? runlevels : NULL);
                    if (!owner)
                        owner = app;
                }
            } else if (pass == 1 && loads && apps_kmod_note_line(x->refs, cmd)) {
                keep_loader(a, path, cmd, owner);
            }
        }
    }
    /* The Java runtime a unit names, for apps_rt_link (which drops the key). */
    if (owner && java_home[0])
        doc_put(owner, "java_home_named", jstr(java_home));
    /* An init script runs on its shebang's interpreter (rc.local starts many). */
    if (owner && k == K_SYSV && strstr(path, "/init.d/"))
        apps_rt_entry_script(x->c->v, owner, path, text, len);
    free(text);
}

static void dir_files(struct entry_ctx *x, enum kind k, const char *dir, const char *suffix)
{
    char **names = NULL;
    if (vfs_list(x->c->v, dir, &names) < 0)
        return;
    for (size_t i = 0; names[i] && i < MAX_DIR_FILES; i++) {
        char path[4096];
        size_t n = strlen(names[i]), m = suffix ? strlen(suffix) : 0;
        if (suffix && (n < m || strcmp(names[i] + n - m, suffix)))
            continue;
        if (snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= (int)sizeof path)
            continue;
        struct vfs_stat st;
        /* Enabled units are symlinks into the unit directories: read the targets there. */
        if (vfs_lstat(x->c->v, path, &st) < 0 || st.type != VFS_REG)
            continue;
        one_file(x, k, path);
    }
    vfs_free_names(names);
}

/* A single file, following links (RHEL's /etc/rc.local is a link to
 * /etc/rc.d/rc.local). */
static void one_path(struct entry_ctx *x, enum kind k, const char *path)
{
    struct vfs_stat st;
    if (vfs_stat(x->c->v, path, &st) == 0 && st.type == VFS_REG)
        one_file(x, k, path);
}

void apps_entries(struct scan_ctx *c, struct apps *a, struct kmod_refs *refs)
{
    static const char *const unit_dirs[] = {"/etc/systemd/system", "/lib/systemd/system",
                                            "/usr/lib/systemd/system", "/usr/local/lib/systemd/system",
                                            NULL};
    static const char *const cron_dirs[] = {"/etc/cron.d", "/var/spool/cron/crontabs",
                                            "/var/spool/cron", "/etc/cron.hourly", "/etc/cron.daily",
                                            "/etc/cron.weekly", "/etc/cron.monthly", NULL};
    struct entry_ctx x = {c, a, refs, {0}};
    char real[4][4096];
    int nreal = 0;

    if (apps_enabled_load(c, &x.en) < 0) {
        apps_enabled_free(&x.en);
        return;
    }
    for (int i = 0; unit_dirs[i]; i++) {
        /* On usr-merged systems /lib is /usr/lib: read it once. */
        char *rp = NULL;
        int dup = 0;
        if (vfs_realpath(c->v, unit_dirs[i], &rp) == 0) {
            for (int k = 0; k < nreal; k++)
                dup |= !strcmp(real[k], rp);
            if (!dup && nreal < 4)
                snprintf(real[nreal++], sizeof real[0], "%s", rp);
            free(rp);
        }
        if (!dup)
            dir_files(&x, K_SYSTEMD, unit_dirs[i], ".service");
    }
    dir_files(&x, K_SYSV, "/etc/init.d", NULL);
    dir_files(&x, K_SYSV, "/etc/rc.d/init.d", NULL);
    one_path(&x, K_SYSV, "/etc/rc.local");
    dir_files(&x, K_UPSTART, "/etc/init", ".conf");
    one_path(&x, K_INITTAB, "/etc/inittab");
    dir_files(&x, K_XINETD, "/etc/xinetd.d", NULL);
    one_path(&x, K_CRON, "/etc/crontab");
    for (int i = 0; cron_dirs[i]; i++)
        dir_files(&x, K_CRON, cron_dirs[i], NULL);
    one_path(&x, K_ANACRON, "/etc/anacrontab");
    apps_enabled_free(&x.en);
}
