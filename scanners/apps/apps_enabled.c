/* Whether what starts an application runs at boot: systemd units are
 * enabled by links in a target's .wants/ or .requires/ directory and masked
 * by a link to /dev/null; SysV init scripts run in the runlevels whose
 * rc?.d directory holds an S link to them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/jdoc.h"
#include "scanners/apps/apps_int.h"

#define MAX_NAMES 4000

static const char *const unit_roots[] = {"/etc/systemd/system", "/usr/lib/systemd/system",
                                         "/lib/systemd/system", "/usr/local/lib/systemd/system",
                                         NULL};

/* Every name in a .wants/ or .requires/ directory of root is enabled. */
static void wants_links(struct scan_ctx *c, json_object *units, const char *root)
{
    char **dirs = NULL;
    if (vfs_list(c->v, root, &dirs) < 0)
        return;
    for (size_t i = 0; dirs[i] && i < MAX_NAMES; i++) {
        char path[4096], **names = NULL;
        if (!apps_ends_with(dirs[i], ".wants") && !apps_ends_with(dirs[i], ".requires"))
            continue;
        snprintf(path, sizeof path, "%s/%s", root, dirs[i]);
        if (vfs_list(c->v, path, &names) < 0)
            continue;
        for (size_t k = 0; names[k] && k < MAX_NAMES; k++) {
            doc_put(units, names[k], jstr("enabled"));
            /* An instance "getty@tty1.service" enables its template. */
            char *at = strchr(names[k], '@'), *dot = strrchr(names[k], '.');
            if (at && dot && dot > at) {
                char tmpl[512];
                snprintf(tmpl, sizeof tmpl, "%.*s%s", (int)(at + 1 - names[k]), names[k], dot);
                doc_put(units, tmpl, jstr("enabled"));
            }
        }
        vfs_free_names(names);
    }
    vfs_free_names(dirs);
}

static void masked_units(struct scan_ctx *c, json_object *units)
{
    char **names = NULL;
    if (vfs_list(c->v, "/etc/systemd/system", &names) < 0)
        return;
    for (size_t i = 0; names[i] && i < MAX_NAMES; i++) {
        char path[4096], *target = NULL;
        struct vfs_stat st;
        snprintf(path, sizeof path, "/etc/systemd/system/%s", names[i]);
        if (vfs_lstat(c->v, path, &st) < 0 || st.type != VFS_LNK ||
            vfs_readlink(c->v, path, &target) < 0)
            continue;
        if (!strcmp(target, "/dev/null"))
            doc_put(units, names[i], jstr("masked"));
        free(target);
    }
    vfs_free_names(names);
}

/* "S20foo" in /etc/rc2.d: foo runs in runlevel 2. */
static void rc_links(struct scan_ctx *c, json_object *sysv, const char *fmt)
{
    static const char levels[] = "0123456S";
    for (const char *l = levels; *l; l++) {
        char dir[64], **names = NULL;
        snprintf(dir, sizeof dir, fmt, *l);
        if (vfs_list(c->v, dir, &names) < 0)
            continue;
        for (size_t i = 0; names[i] && i < MAX_NAMES; i++) {
            const char *n = names[i];
            if (n[0] != 'S' || !n[1] || !n[2] || !n[3])
                continue;
            const char *name = n + 3, *cur = doc_str(sysv, name);
            char buf[16];
            if (cur && strchr(cur, *l))
                continue;
            snprintf(buf, sizeof buf, "%s%c", cur ? cur : "", *l);
            doc_put(sysv, name, jstr(buf));
        }
        vfs_free_names(names);
    }
}

int apps_enabled_load(struct scan_ctx *c, struct apps_enabled *e)
{
    e->units = jobject();
    e->sysv = jobject();
    if (!e->units || !e->sysv)
        return -1;
    for (int i = 0; unit_roots[i]; i++)
        wants_links(c, e->units, unit_roots[i]);
    masked_units(c, e->units);
    rc_links(c, e->sysv, "/etc/rc%c.d");
    rc_links(c, e->sysv, "/etc/rc.d/rc%c.d");
    return 0;
}

void apps_enabled_free(struct apps_enabled *e)
{
    json_object_put(e->units);
    json_object_put(e->sysv);
    e->units = e->sysv = NULL;
}

const char *apps_unit_state(const struct apps_enabled *e, const char *unit)
{
    const char *s = doc_str(e->units, unit);
    return s ? s : "disabled";
}

const char *apps_sysv_runlevels(const struct apps_enabled *e, const char *script)
{
    const char *s = doc_str(e->sysv, script);
    return s ? s : "";
}
