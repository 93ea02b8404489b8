/* What the next initramfs rebuild (a kernel update, or the fix for another
 * finding) will put in: dracut's configuration in the order dracut reads it,
 * initramfs-tools' MODULES and module lists.  A rebuild made on the old
 * hardware in host-only mode keeps only the drivers that hardware uses, so
 * nvme is dropped unless a setting adds it back. */
#include "nitro_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define DROPINS_MAX 256

struct rebuild {
    int hostonly, added, forced, omitted, exclusive, exclusive_nvme;
    char hostonly_ev[600], omit_ev[600], exclusive_ev[600];
    char modules[16], modules_ev[600];
    const char *path;
    int lineno;
};

/* Whether a space-separated list names the module (or, with also, that one). */
static int names_module(const char *list, const char *mod, const char *also)
{
    char buf[1024], *save = NULL;
    str_fmt(buf, sizeof buf, "%s", list);
    for (char *w = strtok_r(buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
        if (modname_eq(w, mod) || (also && modname_eq(w, also)))
            return 1;
    return 0;
}

/* Adding nvme_core alone is not enough; omitting it drops nvme too. */
static int names_nvme(const char *list)
{
    return names_module(list, "nvme", NULL);
}

/* name=value or name+=value with the value unquoted; 0 when not one. */
int shell_assignment(char *line, char **name, int *append, char **value)
{
    char *eq = strchr(line, '=');
    if (!eq || eq == line)
        return 0;
    *append = eq[-1] == '+';
    char *end = *append ? eq - 1 : eq;
    for (char *p = line; p < end; p++)
        if (!(p[0] == '_' || (p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z') ||
              (p[0] >= '0' && p[0] <= '9')))
            return 0;
    *end = '\0';
    *name = line;
    char *v = eq + 1;
    size_t l = strlen(v);
    if (l && (v[0] == '"' || v[0] == '\'')) {
        char *close = strchr(v + 1, v[0]);
        if (close)
            *close = '\0';
        v++;
    } else {
        v[strcspn(v, " \t#;")] = '\0';
    }
    *value = v;
    return 1;
}

/* The next line of a shell-style file as an assignment, with "path:line:
 * text" for evidence; 0 for comments and other lines. */
static int next_assignment(struct rebuild *rb, char *raw, char **name, int *append, char **val,
                           char *ev, size_t evcap)
{
    char *line = trim(raw);
    rb->lineno++;
    if (*line == '#')
        return 0;
    str_fmt(ev, evcap, "%s:%d: %s", rb->path, rb->lineno, line);
    return shell_assignment(line, name, append, val);
}

static int dracut_line(char *raw, void *opaque)
{
    struct rebuild *rb = opaque;
    char *name, *val, ev[600];
    int append;
    if (!next_assignment(rb, raw, &name, &append, &val, ev, sizeof ev))
        return 0;
    if (!strcmp(name, "hostonly")) {
        rb->hostonly = !strcmp(val, "yes");
        str_fmt(rb->hostonly_ev, sizeof rb->hostonly_ev, "%s", ev);
    } else if (!strcmp(name, "add_drivers")) {
        rb->added = (append && rb->added) || names_nvme(val);
    } else if (!strcmp(name, "force_drivers")) {
        rb->forced = (append && rb->forced) || names_nvme(val);
    } else if (!strcmp(name, "omit_drivers")) {
        rb->omitted = (append && rb->omitted) || names_module(val, "nvme", "nvme_core");
        if (rb->omitted)
            str_fmt(rb->omit_ev, sizeof rb->omit_ev, "%s", ev);
    } else if (!strcmp(name, "drivers")) {
        /* drivers= is the exclusive list of what goes in */
        rb->exclusive = *val != '\0';
        rb->exclusive_nvme = names_nvme(val);
        str_fmt(rb->exclusive_ev, sizeof rb->exclusive_ev, "%s", ev);
    }
    return 0;
}

static void read_conf(struct rebuild *rb, vfs *v, const char *path, line_fn fn)
{
    rb->path = path;
    rb->lineno = 0;
    for_each_config_line(v, path, fn, rb);
}

/* The files of dirs ending in suffix, sorted by name, a name in an earlier
 * directory hiding the same name in a later one (dracut's dropindirs_sort). */
static int dropins(vfs *v, const char *const *dirs, int ndirs, const char *suffix,
                   char paths[][600])
{
    char *names[DROPINS_MAX];
    int nn = 0, np = 0;
    for (int d = 0; d < ndirs; d++) {
        char **list = NULL;
        if (vfs_list(v, dirs[d], &list) < 0)
            continue;
        for (char **n = list; *n && nn < DROPINS_MAX; n++) {
            size_t l = strlen(*n), sl = strlen(suffix);
            if (l <= sl || strcmp(*n + l - sl, suffix) || (*n)[0] == '.')
                continue;
            int dup = 0;
            for (int i = 0; i < nn && !dup; i++)
                dup = !strcmp(strchr(names[i], '\n') + 1, *n);
            if (!dup)
                names[nn++] = xasprintf("%s\n%s", dirs[d], *n);
        }
        vfs_free_names(list);
    }
    /* sort by base name */
    for (int i = 1; i < nn; i++)
        for (int j = i; j > 0 && strcmp(strchr(names[j - 1], '\n') + 1,
                                        strchr(names[j], '\n') + 1) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    for (int i = 0; i < nn; i++) {
        char *nl = strchr(names[i], '\n');
        str_fmt(paths[np++], 600, "%.*s/%s", (int)(nl - names[i]), names[i], nl + 1);
        free(names[i]);
    }
    return np;
}

static const char *newest(const struct kernel_list *kl)
{
    return kl && kl->n ? kl->k[0].version : "<kver>";
}

static void dracut_scan(struct scan_ctx *c, const struct kernel_list *kl)
{
    static const char *const dirs[] = { "/etc/dracut.conf.d", "/usr/lib/dracut/dracut.conf.d" };
    struct rebuild rb;
    char (*paths)[600] = xcalloc(DROPINS_MAX, 600), rem[600];
    memset(&rb, 0, sizeof rb);
    read_conf(&rb, c->v, "/etc/dracut.conf", dracut_line);
    int n = dropins(c->v, dirs, 2, ".conf", paths);
    for (int i = 0; i < n; i++)
        read_conf(&rb, c->v, paths[i], dracut_line);
    free(paths);
    int added = rb.added || rb.forced;
    int drops = rb.omitted || (!added && (rb.hostonly || (rb.exclusive && !rb.exclusive_nvme)));
    if (!drops)
        return;
    str_fmt(rem, sizeof rem,
            "Add add_drivers+=\" nvme ena \" to a file in /etc/dracut.conf.d/ so that "
            "host-only rebuilds keep them%s, then run dracut -f /boot/initramfs-%s.img %s.",
            rb.omitted ? " and take nvme out of omit_drivers" : "", newest(kl), newest(kl));
    json_object *f = report_add_findingf(c->r, F_NITRO_INITRAMFS_HOSTONLY, c->root_volume, rem,
        "dracut %s", rb.omitted ? "omit_drivers nvme" : rb.hostonly ? "hostonly" : "drivers");
    if (rb.omitted)
        report_finding_evidence(f, "%s", rb.omit_ev);
    if (rb.hostonly)
        report_finding_evidence(f, "%s", rb.hostonly_ev);
    if (rb.exclusive && !rb.exclusive_nvme)
        report_finding_evidence(f, "%s", rb.exclusive_ev);
    if (!added)
        report_finding_evidence(f, "no add_drivers or force_drivers names nvme");
}

static int itools_conf_line(char *raw, void *opaque)
{
    struct rebuild *rb = opaque;
    char *name, *val, ev[600];
    int append;
    if (next_assignment(rb, raw, &name, &append, &val, ev, sizeof ev) && !strcmp(name, "MODULES")) {
        str_fmt(rb->modules, sizeof rb->modules, "%s", val);
        str_fmt(rb->modules_ev, sizeof rb->modules_ev, "%s", ev);
    }
    return 0;
}

static int itools_modules_line(char *raw, void *opaque)
{
    struct rebuild *rb = opaque;
    char *line = trim(raw);
    line[strcspn(line, " \t")] = '\0';
    if (*line != '#' && modname_eq(line, "nvme"))
        rb->added = 1;
    return 0;
}

static void itools_scan(struct scan_ctx *c, const struct kernel_list *kl)
{
    static const char *const confd[] = { "/etc/initramfs-tools/conf.d" };
    static const char *const modd[] = { "/etc/initramfs-tools/modules.d",
                                        "/usr/share/initramfs-tools/modules.d" };
    struct rebuild rb;
    char (*paths)[600] = xcalloc(DROPINS_MAX, 600), rem[600];
    memset(&rb, 0, sizeof rb);
    str_fmt(rb.modules, sizeof rb.modules, "most");
    read_conf(&rb, c->v, "/etc/initramfs-tools/initramfs.conf", itools_conf_line);
    int n = dropins(c->v, confd, 1, "", paths);
    for (int i = 0; i < n; i++)
        read_conf(&rb, c->v, paths[i], itools_conf_line);
    read_conf(&rb, c->v, "/etc/initramfs-tools/modules", itools_modules_line);
    n = dropins(c->v, modd, 2, "", paths);
    for (int i = 0; i < n; i++)
        read_conf(&rb, c->v, paths[i], itools_modules_line);
    free(paths);
    /* dep: the running hardware's modules; list: the lists only; netboot:
     * network drivers only.  most (the default) carries every disk driver. */
    if (rb.added || !(!strcmp(rb.modules, "dep") || !strcmp(rb.modules, "list") ||
                      !strcmp(rb.modules, "netboot")))
        return;
    str_fmt(rem, sizeof rem,
            "Set MODULES=most in /etc/initramfs-tools/initramfs.conf (or add nvme and ena to "
            "/etc/initramfs-tools/modules), then run update-initramfs -u -k %s.", newest(kl));
    json_object *f = report_add_findingf(c->r, F_NITRO_INITRAMFS_HOSTONLY, c->root_volume, rem,
                                         "initramfs-tools MODULES=%s", rb.modules);
    report_finding_evidence(f, "%s", rb.modules_ev);
    report_finding_evidence(f, "nvme is in neither /etc/initramfs-tools/modules nor modules.d");
}

/* A rebuild cannot drop what is built into the kernel image: when every
 * installed kernel has nvme built in (cloud kernels often do), the next one
 * from the same series will too, and host-only settings are harmless. */
static int nvme_builtin_everywhere(const struct kernel_list *kl)
{
    if (!kl || kl->n == 0)
        return 0;
    for (int i = 0; i < kl->n; i++)
        if (kl->k[i].nvme.status != DRV_BUILTIN)
            return 0;
    return 1;
}

void rebuild_scan(struct scan_ctx *c, const struct kernel_list *kl)
{
    if (nvme_builtin_everywhere(kl))
        return;
    dracut_scan(c, kl);
    itools_scan(c, kl);
}
