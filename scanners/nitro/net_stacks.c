/* Which network services read which configuration format, and whether the
 * guest starts them: a program that reads the format must be installed; a
 * systemd wants/ link or a SysV S* link says it starts at boot, a unit
 * linked to /dev/null that it never does.  Without either, enablement is
 * unknown and the format counts as read. */
#include "nitro_int.h"
#include "net_cfg.h"

#include <stdlib.h>
#include <string.h>

struct stack_def {
    const char *format;
    const char *markers[7];      /* any of these installed */
    const char *units[4];        /* systemd units that start it */
    const char *scripts[3];      /* SysV init scripts that start it */
};

static const struct stack_def defs[NET_FMT_COUNT] = {
    { "ifcfg",
      { "/etc/sysconfig/network-scripts/ifup-eth", "/etc/rc.d/init.d/network",
        "/etc/init.d/network", "/usr/sbin/wicked", "/sbin/wicked", NULL },
      { "network.service", "wicked.service", "NetworkManager.service", NULL },
      { "network", "NetworkManager", NULL } },
    { "networkd",
      { "/lib/systemd/systemd-networkd", "/usr/lib/systemd/systemd-networkd", NULL },
      { "systemd-networkd.service", NULL }, { NULL } },
    { "netplan",
      { "/usr/sbin/netplan", "/lib/netplan/generate", "/usr/lib/netplan/generate",
        "/usr/libexec/netplan/generate", NULL },
      { NULL }, { NULL } },
    { "nm",
      { "/usr/sbin/NetworkManager", NULL },
      { "NetworkManager.service", NULL },
      { "NetworkManager", NULL } },
    { "ifupdown",
      { "/etc/init.d/networking", "/lib/systemd/system/networking.service",
        "/usr/lib/systemd/system/networking.service", NULL },
      { "networking.service", NULL },
      { "networking", NULL } },
};

static const char *const wants_dirs[] = {
    "/etc/systemd/system/multi-user.target.wants", "/etc/systemd/system/network-online.target.wants",
    "/etc/systemd/system/network.target.wants", "/etc/systemd/system/graphical.target.wants", NULL
};
static const char *const rc_dirs[] = { "/etc/rc.d/rc3.d", "/etc/rc3.d", "/etc/rc2.d", "/etc/rcS.d",
                                       "/etc/init.d/rc3.d", NULL };

static int present(vfs *v, const char *path)
{
    struct vfs_stat st;
    return vfs_lstat(v, path, &st) == 0;
}

static int masked(vfs *v, const char *unit)
{
    char p[300], *t = NULL;
    str_fmt(p, sizeof p, "/etc/systemd/system/%s", unit);
    int r = vfs_readlink(v, p, &t) == 0 && !strcmp(t, "/dev/null");
    free(t);
    return r;
}

/* An S* link to script in a SysV runlevel directory. */
static int sysv_started(vfs *v, const char *script, char *where, size_t cap)
{
    for (const char *const *d = rc_dirs; *d; d++) {
        char **names = NULL;
        if (vfs_list(v, *d, &names) < 0)
            continue;
        int found = 0;
        for (char **n = names; *n && !found; n++)
            if ((*n)[0] == 'S' && strlen(*n) > 3 && !strcmp(*n + 3, script)) {
                found = 1;
                str_fmt(where, cap, "%s/%s", *d, *n);
            }
        vfs_free_names(names);
        if (found)
            return 1;
    }
    return 0;
}

static void one_stack(const struct scan_ctx *c, const struct stack_def *d, int systemd, int sysv,
                      struct net_stack *s)
{
    s->format = d->format;
    s->enabled = -1;
    for (int i = 0; d->markers[i] && !s->installed; i++)
        if (present(c->v, d->markers[i])) {
            s->installed = 1;
            str_fmt(s->evidence, sizeof s->evidence, "%s", d->markers[i]);
        }
    /* NetworkManager reads ifcfg files on RHEL through its ifcfg-rh plugin */
    if (!s->installed && !strcmp(d->format, "ifcfg") && distro_is_rhel_family(c) &&
        present(c->v, "/usr/sbin/NetworkManager")) {
        s->installed = 1;
        str_fmt(s->evidence, sizeof s->evidence, "/usr/sbin/NetworkManager (ifcfg-rh)");
    }
    if (!s->installed) {
        s->enabled = 0;
        return;
    }
    char where[300];
    for (int u = 0; d->units[u]; u++) {
        for (const char *const *w = wants_dirs; *w; w++) {
            str_fmt(where, sizeof where, "%s/%s", *w, d->units[u]);
            if (present(c->v, where)) {
                s->enabled = 1;
                str_fmt(s->evidence, sizeof s->evidence, "%s", where);
                return;
            }
        }
    }
    for (int i = 0; d->scripts[i]; i++)
        if (sysv_started(c->v, d->scripts[i], where, sizeof where)) {
            s->enabled = 1;
            str_fmt(s->evidence, sizeof s->evidence, "%s", where);
            return;
        }
    int all_masked = d->units[0] != NULL;
    for (int u = 0; d->units[u]; u++)
        all_masked &= masked(c->v, d->units[u]);
    if (all_masked) {
        s->enabled = 0;
        str_fmt(s->evidence, sizeof s->evidence, "/etc/systemd/system/%s -> /dev/null",
                d->units[0]);
    } else if (d->units[0] && systemd) {
        /* systemctl enable and the presets leave a wants/ link: none means off */
        s->enabled = 0;
        str_fmt(where, sizeof where, "%s", s->evidence);
        str_fmt(s->evidence, sizeof s->evidence, "%s (no %s link in a wants/ directory)", where,
                d->units[0]);
    } else if (sysv) {
        s->enabled = 0;
    }
    /* netplan's generator runs at every boot once installed */
    if (!strcmp(d->format, "netplan"))
        s->enabled = 1;
}

void net_stacks_scan(const struct scan_ctx *c, struct net_stacks *st)
{
    memset(st, 0, sizeof *st);
    st->none_found = 1;
    int systemd = present(c->v, "/lib/systemd/systemd") || present(c->v, "/usr/lib/systemd/systemd");
    int sysv = 0;
    for (const char *const *d = rc_dirs; *d && !sysv; d++)
        sysv = present(c->v, *d);
    for (int i = 0; i < NET_FMT_COUNT; i++) {
        one_stack(c, &defs[i], systemd, sysv, &st->s[i]);
        if (st->s[i].installed)
            st->none_found = 0;
    }
    /* netplan hands its configuration to networkd (or NetworkManager) */
    struct net_stack *nd = &st->s[NET_FMT_NETWORKD];
    if (st->s[NET_FMT_NETPLAN].installed && nd->installed && !masked(c->v, "systemd-networkd.service")) {
        nd->enabled = 1;
        str_fmt(nd->evidence, sizeof nd->evidence, "started by netplan's generator");
    }
}

int net_stack_active(const struct net_stacks *st, const char *format)
{
    if (st->none_found)
        return 1;
    for (int i = 0; i < NET_FMT_COUNT; i++)
        if (!strcmp(st->s[i].format, format))
            return st->s[i].installed && st->s[i].enabled != 0;
    return 1;
}
