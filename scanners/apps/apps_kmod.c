/* Which kernel module files something can load.  A module counts when it is
 * installed for an installed kernel (its modules tree, DKMS trees included)
 * or when a loader names it: modprobe.d, modules-load.d, /etc/modules, a
 * unit, an init script or another script (insmod with its path, modprobe
 * with its name).  A name counts only for a file outside transient trees
 * and only when no installed kernel provides a module of that name (then
 * modprobe loads the kernel's own).  Any other module file (a backup copy,
 * an unpacked initramfs, a build cache) is inventory only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/jdoc.h"
#include "scanners/apps/apps_int.h"
#include "scanners/nitro/nitro_int.h"

#define CONF_CAP (1u << 20)
#define DEP_CAP (32u << 20)
#define MAX_CONF_FILES 2000
#define MAX_REFS 100000

static void ref_add(json_object *set, const char *key)
{
    if (json_object_object_length(set) < MAX_REFS)
        doc_put(set, key, NULL);
}

static int ref_has(json_object *set, const char *key)
{
    return json_object_object_get_ex(set, key, NULL);
}

/* A module name as modprobe compares them: '-' is '_', no .ko suffix. */
static void add_name(json_object *set, const char *word)
{
    char name[256], file[300];
    /* A word too long for a module name names none (rather than a cut one). */
    int n = snprintf(file, sizeof file, "%s%s", word, strstr(word, ".ko") ? "" : ".ko");
    if (n > 0 && (size_t)n < sizeof file && module_name_of(file, name, sizeof name) == 0 && name[0])
        ref_add(set, name);
}

/* Copies the next shell word of *p (quotes dropped); 0 at a command's end. */
static size_t next_word(const char **p, char *buf, size_t cap)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t' || *s == '"' || *s == '\'')
        s++;
    size_t n = strcspn(s, " \t\"';|&)`<>\n");
    *p = s + n;
    if (!n || n >= cap)
        return 0;
    memcpy(buf, s, n);
    buf[n] = 0;
    return n;
}

/* A module name or path, or a shell variable or unit specifier ("%I")
 * standing for one. */
static int module_word(const char *w)
{
    if (strchr(w, '$') || strchr(w, '%'))
        return 1;
    return w[strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.+-/")] == 0;
}

/* The modules one modprobe or insmod command names; 1 when the command
 * has a module argument at all ("[ -x /sbin/modprobe ]" has none). */
static int command_refs(struct kmod_refs *k, const char *args, int modprobe)
{
    char w[1024];
    int all = 0, skip_arg = 0, loads = 0;
    while (next_word(&args, w, sizeof w)) {
        if (skip_arg) {
            skip_arg = 0;
            continue;
        }
        if (w[0] == '-') {
            /* modprobe -a/--all takes several names; -C, -d, -S take a value. */
            all |= modprobe && (!strcmp(w, "--all") || (w[1] != '-' && strchr(w, 'a')));
            skip_arg = modprobe && (!strcmp(w, "-C") || !strcmp(w, "-d") || !strcmp(w, "-S") ||
                                    !strcmp(w, "--config") || !strcmp(w, "--dirname") ||
                                    !strcmp(w, "--set-version"));
            continue;
        }
        if (!module_word(w))
            break;
        loads = 1;
        if (strchr(w, '$') || strchr(w, '%') || strchr(w, '='))
            break;      /* a variable or a module parameter: nothing to name */
        if (w[0] == '/')
            ref_add(k->paths, w);
        else if (!strchr(w, '/'))
            add_name(k->names, w);
        if (!all)
            break;
    }
    return loads;
}

int apps_kmod_note_line(struct kmod_refs *k, const char *text)
{
    int loads = 0;
    for (const char *p = text; *p; p++) {
        int modprobe = !strncmp(p, "modprobe", 8), insmod = !strncmp(p, "insmod", 6);
        if (!modprobe && !insmod)
            continue;
        /* Only the command word itself: "/sbin/insmod", "; modprobe". */
        if (p > text && !strchr(" \t/;&|(`\"'", p[-1]))
            continue;
        p += modprobe ? 8 : 6;
        if (*p && *p != ' ' && *p != '\t')
            continue;
        loads += command_refs(k, p, modprobe);
    }
    return loads;
}

/* modprobe.d: install, alias, options and softdep lines name modules. */
static int modprobe_conf_line(char *line, void *opaque)
{
    struct kmod_refs *k = opaque;
    char w[1024];
    const char *p = trim(line);
    if (*p == '#' || !next_word(&p, w, sizeof w))
        return 0;
    if (!strcmp(w, "install")) {
        char name[1024];
        if (!next_word(&p, name, sizeof name))
            return 0;
        /* "install foo /bin/false" is how a module is kept from loading. */
        if (!strstr(p, "/bin/false") && !strstr(p, "/bin/true")) {
            add_name(k->names, name);
            apps_kmod_note_line(k, p);
        }
    } else if (!strcmp(w, "alias")) {
        if (next_word(&p, w, sizeof w) && next_word(&p, w, sizeof w))
            add_name(k->names, w);
    } else if (!strcmp(w, "options")) {
        if (next_word(&p, w, sizeof w))
            add_name(k->names, w);
    } else if (!strcmp(w, "softdep")) {
        while (next_word(&p, w, sizeof w))
            if (strcmp(w, "pre:") && strcmp(w, "post:"))
                add_name(k->names, w);
    }
    return 0;
}

/* modules-load.d and /etc/modules: one module name a line. */
static int load_conf_line(char *line, void *opaque)
{
    struct kmod_refs *k = opaque;
    char w[1024];
    const char *p = trim(line);
    if (*p != '#' && *p != ';' && next_word(&p, w, sizeof w))
        add_name(k->names, w);
    return 0;
}

static int script_line(char *line, void *opaque)
{
    line[strcspn(line, "#")] = 0;
    apps_kmod_note_line(opaque, line);
    return 0;
}

static void read_lines(struct scan_ctx *c, struct kmod_refs *k, const char *path, size_t cap,
                       line_fn fn)
{
    size_t len = 0;
    char *text = read_small(c->v, path, cap, &len);
    if (text)
        for_each_line(text, len, fn, k);
    free(text);
}

static void read_conf_dir(struct scan_ctx *c, struct kmod_refs *k, const char *dir,
                          const char *suffix, line_fn fn)
{
    char **names = NULL;
    if (vfs_list(c->v, dir, &names) < 0)
        return;
    for (size_t i = 0; names[i] && i < MAX_CONF_FILES; i++) {
        size_t n = strlen(names[i]), m = strlen(suffix);
        char path[4096];
        if (n < m || strcmp(names[i] + n - m, suffix))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        read_lines(c, k, path, CONF_CAP, fn);
    }
    vfs_free_names(names);
}

/* modules.dep and modules.builtin: the names an installed kernel provides. */
static int provided_line(char *line, void *opaque)
{
    struct kmod_refs *k = opaque;
    line[strcspn(line, ": \t")] = 0;
    char name[256];
    if (module_name_of(line, name, sizeof name) == 0)
        ref_add(k->provided, name);
    return 0;
}

int apps_kmod_init(struct scan_ctx *c, struct kmod_refs *k, int have_pkgdb)
{
    static const char *const modprobe_dirs[] = {"/etc/modprobe.d", "/run/modprobe.d",
        "/usr/local/lib/modprobe.d", "/usr/lib/modprobe.d", "/lib/modprobe.d", NULL};
    static const char *const load_dirs[] = {"/etc/modules-load.d", "/run/modules-load.d",
        "/usr/local/lib/modules-load.d", "/usr/lib/modules-load.d", "/lib/modules-load.d", NULL};
    struct kernel_list kl = {0};

    memset(k, 0, sizeof *k);
    k->have_pkgdb = have_pkgdb;
    k->paths = jobject();
    k->names = jobject();
    k->provided = jobject();
    k->trees = jarray();
    if (!k->paths || !k->names || !k->provided || !k->trees)
        return -1;
    for (int i = 0; modprobe_dirs[i]; i++)
        read_conf_dir(c, k, modprobe_dirs[i], ".conf", modprobe_conf_line);
    read_lines(c, k, "/etc/modprobe.conf", CONF_CAP, modprobe_conf_line);
    for (int i = 0; load_dirs[i]; i++)
        read_conf_dir(c, k, load_dirs[i], ".conf", load_conf_line);
    read_lines(c, k, "/etc/modules", CONF_CAP, load_conf_line);
    read_conf_dir(c, k, "/etc/sysconfig/modules", ".modules", script_line);
    read_lines(c, k, "/etc/rc.modules", CONF_CAP, script_line);

    kernels_find(c, &kl);
    for (int i = 0; i < kl.n; i++) {
        static const char *const roots[] = {"/lib/modules", "/usr/lib/modules"};
        char p[1024];
        for (int r = 0; r < 2; r++) {
            snprintf(p, sizeof p, "%s/%s/", roots[r], kl.k[i].version);
            doc_push(k->trees, jstr(p));
        }
        if (!kl.k[i].modules_dir[0])
            continue;
        snprintf(p, sizeof p, "%s/modules.dep", kl.k[i].modules_dir);
        read_lines(c, k, p, DEP_CAP, provided_line);
        snprintf(p, sizeof p, "%s/modules.builtin", kl.k[i].modules_dir);
        read_lines(c, k, p, DEP_CAP, provided_line);
    }
    kernels_free(&kl);
    return 0;
}

void apps_kmod_free(struct kmod_refs *k)
{
    json_object_put(k->paths);
    json_object_put(k->names);
    json_object_put(k->provided);
    json_object_put(k->trees);
    memset(k, 0, sizeof *k);
}

/* Installed for an installed kernel, where modprobe finds it. */
static int installed(const struct kmod_refs *k, const char *path)
{
    if (!strncmp(path, "/var/lib/dkms/", 14))
        return 1;
    for (size_t i = 0; i < doc_len(k->trees); i++) {
        const char *t = json_object_get_string(json_object_array_get_idx(k->trees, i));
        if (strncmp(path, t, strlen(t)))
            continue;
        /* Without a package database only the out-of-tree places say third-party. */
        return k->have_pkgdb || strstr(path, "/extra/") || strstr(path, "/updates/") ||
               strstr(path, "/weak-updates/") || strstr(path, "/dkms/") || strstr(path, "/misc/");
    }
    return 0;
}

int apps_kmod_loaded_by_path(const struct kmod_refs *k, const char *path)
{
    return installed(k, path) || ref_has(k->paths, path);
}

int apps_kmod_counts(const struct kmod_refs *k, const struct apps_transient *t, const char *path)
{
    char name[256];
    const char *base = strrchr(path, '/');
    if (apps_kmod_loaded_by_path(k, path))
        return 1;
    if (apps_is_transient(t, path))
        return 0;
    if (base && !strcmp(base, "/dkms.conf"))
        return 1;       /* a DKMS source tree: DKMS builds it for every kernel */
    return module_name_of(path, name, sizeof name) == 0 && ref_has(k->names, name) &&
           !ref_has(k->provided, name);
}
