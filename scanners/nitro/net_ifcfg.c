/* ifcfg-NAME files: RHEL /etc/sysconfig/network-scripts (initscripts and
 * NetworkManager's ifcfg-rh plugin) and SUSE /etc/sysconfig/network
 * (sysconfig, wicked).  One file is one interface: the file name gives its
 * name unless DEVICE= does; HWADDR= binds it to a MAC; MACADDR= (RHEL) and
 * LLADDR= (SUSE) set the old MAC on it. */
#include "net_cfg.h"
#include "nitro_int.h"

#include <string.h>
#include <strings.h>

struct ifcfg {
    struct net_cfgs *l;
    int idx;            /* of the file's own config: slaves may move the array */
    unsigned line;
    int have_ip;
    char bootproto[32];
};

/* Files the network scripts themselves skip (backups, aliases, ranges). */
static int ifcfg_ignored(const char *base)
{
    static const char *const tails[] = { "~", ".bak", ".orig", ".old", ".rpmnew", ".rpmorig",
                                         ".rpmsave", ".dpkg-old", "-range", NULL };
    size_t n = strlen(base);
    if (strncmp(base, "ifcfg-", 6) || !strcmp(base, "ifcfg-lo") || strchr(base, ':'))
        return 1;
    for (const char *const *t = tails; *t; t++) {
        size_t k = strlen(*t);
        if (n >= k && !strcmp(base + n - k, *t))
            return 1;
    }
    return 0;
}

static void suse_slave(struct ifcfg *f, const char *name, const char *line)
{
    /* copies first: adding may move the array they live in */
    char path[256], master[NET_NAME_MAX];
    str_fmt(path, sizeof path, "%s", f->l->v[f->idx].path);
    str_fmt(master, sizeof master, "%s", f->l->v[f->idx].name);
    struct net_cfg *s = net_cfg_add(f->l, path, f->line, "ifcfg");
    if (!s)
        return;
    net_cfg_bind_name(s, name);
    str_fmt(s->master, sizeof s->master, "%s", master);
    net_cfg_evidence(s, line);
}

static int ifcfg_line(char *raw, void *opaque)
{
    struct ifcfg *f = opaque;
    struct net_cfg *c = &f->l->v[f->idx];
    char *line = trim(raw), v[128];
    f->line++;
    if (*line == '#' || !*line)
        return 0;
    if (net_shell_kv(line, "DEVICE", v, sizeof v) && *v) {
        net_cfg_bind_name(c, v);
        if (c->bind == NET_BIND_NAME)
            net_cfg_evidence(c, line);
    } else if (net_shell_kv(line, "HWADDR", v, sizeof v) && *v) {
        net_cfg_bind_mac(c, v);
        net_cfg_evidence(c, line);
        c->line = f->line;
    } else if ((net_shell_kv(line, "MACADDR", v, sizeof v) ||
                net_shell_kv(line, "LLADDR", v, sizeof v)) && *v && c->bind != NET_BIND_MAC) {
        str_fmt(c->mac, sizeof c->mac, "%s", v);
        c->mac_set = 1;
    } else if (net_shell_kv(line, "BOOTPROTO", v, sizeof v)) {
        str_fmt(f->bootproto, sizeof f->bootproto, "%s", v);
    } else if (!strncmp(line, "IPADDR", 6) && strchr(line, '=')) {
        net_shell_kv(line, "IPADDR", v, sizeof v);
        f->have_ip = 1;
    } else if (net_shell_kv(line, "ONBOOT", v, sizeof v)) {
        c->onboot = !strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1");
    } else if (net_shell_kv(line, "STARTMODE", v, sizeof v)) {
        c->onboot = strcasecmp(v, "manual") && strcasecmp(v, "off");
    } else if (net_shell_kv(line, "TYPE", v, sizeof v)) {
        c->is_virtual |= !strcasecmp(v, "bond") || !strcasecmp(v, "bridge") ||
                         !strcasecmp(v, "vlan") || !strcasecmp(v, "team");
    } else if (net_shell_kv(line, "BONDING_OPTS", v, sizeof v) ||
               (net_shell_kv(line, "BONDING_MASTER", v, sizeof v) && !strcasecmp(v, "yes")) ||
               (net_shell_kv(line, "VLAN", v, sizeof v) && !strcasecmp(v, "yes")) ||
               (net_shell_kv(line, "DEVICETYPE", v, sizeof v) && *v)) {
        c->is_virtual = 1;
    } else if ((net_shell_kv(line, "MASTER", v, sizeof v) ||
                net_shell_kv(line, "BRIDGE", v, sizeof v) ||
                net_shell_kv(line, "TEAM_MASTER", v, sizeof v)) && *v) {
        str_fmt(c->master, sizeof c->master, "%s", v);
    } else if (!strncmp(line, "BONDING_SLAVE", 13) && strchr(line, '=')) {
        char key[32];
        str_fmt(key, sizeof key, "%.*s", (int)(strchr(line, '=') - line), line);
        if (net_shell_kv(line, key, v, sizeof v) && *v)
            suse_slave(f, v, line);
    }
    return 0;
}

void net_ifcfg_parse(struct net_cfgs *l, const char *path, const char *buf, size_t len)
{
    const char *base = net_basename(path);
    if (ifcfg_ignored(base))
        return;
    struct ifcfg f;
    memset(&f, 0, sizeof f);
    f.l = l;
    struct net_cfg *c = net_cfg_add(l, path, 1, "ifcfg");
    if (!c)
        return;
    net_cfg_bind_name(c, base + 6);
    net_cfg_evidence(c, base);
    f.idx = l->n - 1;
    for_each_line(buf, len, ifcfg_line, &f);
    c = &l->v[f.idx];
    const char *bp = f.bootproto;
    if (!strncasecmp(bp, "dhcp", 4) || !strcasecmp(bp, "bootp") || !strcasecmp(bp, "autoip"))
        c->addr = NET_ADDR_DHCP;
    else if (f.have_ip)
        c->addr = NET_ADDR_STATIC;
}
