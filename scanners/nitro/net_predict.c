/* The name the ENA interface will get on the instance.  Predictable names
 * (systemd's udev, RHEL 7, Debian 9, Ubuntu 15.10, SLES 12 and later) name
 * it after its PCI slot, usually ens5 on Nitro; net.ifnames=0, a masked
 * naming policy or an older distribution leave the kernel's eth0, and on
 * those udev's persistent-net generator gives the new MAC the next free
 * ethN when 70-persistent-net.rules holds eth0 for the old one. */
#include "nitro_int.h"
#include "net_cfg.h"

#include <stdlib.h>
#include <string.h>

static int links_to_null(vfs *v, const char *path)
{
    char *t = NULL;
    int r = vfs_readlink(v, path, &t) == 0 && !strcmp(t, "/dev/null");
    free(t);
    return r;
}

static int has(const struct scan_ctx *c, const char *d)
{
    return c->distro && !strcmp(c->distro, d);
}

/* A distribution release from before predictable names; why in out. */
static int legacy_release(const struct scan_ctx *c, char *why, size_t cap)
{
    int maj = c->os_major, min = c->os_minor, old = 0;
    if (!c->distro || maj <= 0)
        return 0;
    if (has(c, "amazonlinux"))
        old = maj >= 2010 && maj < 2022;          /* Amazon Linux 1: 2011.09 to 2018.03 */
    else if (has(c, "fedora"))
        old = maj < 19;
    else if (distro_is_rhel_family(c))
        old = maj <= 6;
    else if (has(c, "debian"))
        old = maj < 9;
    else if (has(c, "ubuntu"))
        old = maj < 15 || (maj == 15 && min < 10);
    else if (distro_is_suse(c))
        old = maj <= 11 && maj > 0 && maj < 42;   /* openSUSE 42.x and later have them */
    if (old)
        str_fmt(why, cap, "%s %s has no predictable interface names", c->distro,
                c->os_version ? c->os_version : "");
    return old;
}

static int systemd_udev(const struct scan_ctx *c)
{
    return vfs_exists(c->v, "/lib/systemd/systemd-udevd") ||
           vfs_exists(c->v, "/usr/lib/systemd/systemd-udevd") ||
           vfs_exists(c->v, "/lib/systemd/systemd") ||
           vfs_exists(c->v, "/usr/lib/systemd/systemd");
}

/* First ethN that no persistent rule gives to an old MAC. */
static void next_free_eth(const struct net_rules *rs, char *out, size_t cap, char *why,
                          size_t wcap)
{
    for (int n = 0; n < NET_RULES_MAX + 1; n++) {
        char name[16];
        str_fmt(name, sizeof name, "eth%d", n);
        int taken = -1;
        for (int i = 0; i < rs->n && taken < 0; i++)
            if (!strcmp(rs->r[i].name, name))
                taken = i;
        if (taken < 0) {
            str_fmt(out, cap, "%s", name);
            return;
        }
        if (n == 0)
            str_fmt(why, wcap, "; %s gives eth0 to the old MAC %s, so the new MAC gets the "
                    "next free name", rs->r[taken].path, rs->r[taken].mac);
    }
}

/* Does the kernel's ethN stay?  why says what decides it. */
static int kernel_names(const struct scan_ctx *c, const char *cmdline, char *why, size_t cap)
{
    char val[32];
    if (cmdline && cmdline_get(cmdline, "net.ifnames", val, sizeof val) && !strcmp(val, "0")) {
        str_fmt(why, cap, "net.ifnames=0 on the default kernel's command line");
        return 1;
    }
    if (links_to_null(c->v, "/etc/udev/rules.d/80-net-setup-link.rules") ||
        links_to_null(c->v, "/etc/systemd/network/99-default.link")) {
        str_fmt(why, cap, "the naming policy is masked (80-net-setup-link.rules or "
                "99-default.link links to /dev/null)");
        return 1;
    }
    if (legacy_release(c, why, cap))
        return 1;
    if ((c->distro && c->os_major > 0) || systemd_udev(c))
        return 0;
    str_fmt(why, cap, "no systemd udev on the disk: kernel names");
    return 1;
}

void net_predict(const struct scan_ctx *c, const char *cmdline, const struct net_rules *rs,
                 const struct net_cfgs *l, struct net_prediction *p)
{
    char val[32], why[300] = "", extra[300] = "";
    memset(p, 0, sizeof p[0]);
    int legacy = kernel_names(c, cmdline, why, sizeof why);
    if (cmdline && cmdline_get(cmdline, "biosdevname", val, sizeof val))
        str_fmt(extra, sizeof extra, " (biosdevname=%s: it names only Dell-style hardware "
                "NICs, never ENA)", val);

    if (legacy) {
        char rules[400] = "";
        next_free_eth(rs, p->name, sizeof p->name, rules, sizeof rules);
        p->shifted = strcmp(p->name, "eth0") != 0;
        str_fmt(p->reason, sizeof p->reason, "%s%s%s", why, extra, rules);
    } else {
        p->predictable = 1;
        str_fmt(p->name, sizeof p->name, "ens5");
        str_fmt(p->reason, sizeof p->reason, "predictable interface names are on (systemd "
                "udev)%s: ENA is usually ens5 on Nitro, a name taken from its PCI slot, so it "
                "depends on the instance type", extra);
    }
    /* a naming rule that takes any interface renames the ENA one too; a
     * .link's OriginalName= is the kernel's name, eth0 for the first NIC */
    for (int i = 0; l && i < l->n; i++) {
        const struct net_cfg *k = &l->v[i];
        if (!k->set_name[0] || k->bind == NET_BIND_MAC ||
            (k->driver[0] && !net_name_matches(k->driver, "ena")))
            continue;
        if (k->bind == NET_BIND_ANY || net_name_matches(k->name, "eth0") ||
            net_name_matches(k->name, p->name)) {
            size_t n = strlen(p->reason);
            str_fmt(p->reason + n, sizeof p->reason - n, "; %s:%u renames it to %s", k->path,
                    k->line, k->set_name);
            str_fmt(p->name, sizeof p->name, "%s", k->set_name);
            break;
        }
    }
}
