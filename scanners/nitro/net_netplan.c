/* netplan: network.ethernets entries bind to their id, or to what their
 * match: takes (name glob, macaddress, driver); bonds and bridges list
 * their members by id.  Read through the bounded YAML tree (net_yaml.c). */
#include "net_cfg.h"
#include "net_yaml.h"
#include "nitro_int.h"

#include <string.h>

#define NETPLAN_MEMBERS 64

struct members {
    char id[NETPLAN_MEMBERS][NET_NAME_MAX];
    char master[NETPLAN_MEMBERS][NET_NAME_MAX];
    int n;
};

static void addressing(const struct ytree *t, int dev, struct net_cfg *c)
{
    if (ytree_true(t, ytree_get(t, dev, "dhcp4")) || ytree_true(t, ytree_get(t, dev, "dhcp6")))
        c->addr = NET_ADDR_DHCP;
    else if (ytree_seq_next(t, ytree_get(t, dev, "addresses"), -1) >= 0)
        c->addr = NET_ADDR_STATIC;
}

static void collect_members(const struct ytree *t, int group, struct members *m)
{
    int k, v = -1;
    while ((v = ytree_map_next(t, group, v, &k)) >= 0) {
        const char *master = ytree_str(t, k);
        int ifs = ytree_get(t, v, "interfaces");
        for (int e = ytree_seq_next(t, ifs, -1); e >= 0 && master; e = ytree_seq_next(t, ifs, e)) {
            const char *id = ytree_str(t, e);
            if (!id || m->n >= NETPLAN_MEMBERS)
                continue;
            str_fmt(m->id[m->n], sizeof m->id[0], "%s", id);
            str_fmt(m->master[m->n++], sizeof m->master[0], "%s", master);
        }
    }
}

static void ethernet(struct net_cfgs *l, const char *path, const struct ytree *t, int key,
                     int dev, const struct members *m)
{
    const char *id = ytree_str(t, key);
    struct net_cfg *c = net_cfg_add(l, path, t->n[key].line, "netplan");
    if (!c || !id)
        return;
    char ev[300];
    str_fmt(ev, sizeof ev, "ethernets: %s:", id);
    net_cfg_evidence(c, ev);
    int match = ytree_get(t, dev, "match");
    const char *name = ytree_str(t, ytree_get(t, match, "name"));
    const char *mac = ytree_str(t, ytree_get(t, match, "macaddress"));
    if (mac) {
        net_cfg_bind_mac(c, mac);
        str_fmt(ev, sizeof ev, "%s: match: macaddress: %s", id, mac);
        net_cfg_evidence(c, ev);
        c->line = t->n[ytree_get(t, match, "macaddress")].line;
    } else if (name) {
        net_cfg_bind_name(c, name);
        str_fmt(ev, sizeof ev, "%s: match: name: %s", id, name);
        net_cfg_evidence(c, ev);
    } else if (match < 0) {
        net_cfg_bind_name(c, id);
    } else {
        str_fmt(ev, sizeof ev, "%s: match: (driver or nothing: any interface)", id);
        net_cfg_evidence(c, ev);
    }
    const char *driver = ytree_str(t, ytree_get(t, match, "driver"));
    if (driver)
        str_fmt(c->driver, sizeof c->driver, "%s", driver);
    const char *set_name = ytree_str(t, ytree_get(t, dev, "set-name"));
    if (set_name && match >= 0)
        str_fmt(c->set_name, sizeof c->set_name, "%s", set_name);
    const char *own_mac = ytree_str(t, ytree_get(t, dev, "macaddress"));
    if (own_mac && c->bind != NET_BIND_MAC) {
        str_fmt(c->mac, sizeof c->mac, "%s", own_mac);
        c->mac_set = 1;
    }
    addressing(t, dev, c);
    for (int i = 0; i < m->n; i++)
        if (!strcmp(m->id[i], id))
            str_fmt(c->master, sizeof c->master, "%s", m->master[i]);
}

static void virtual_dev(struct net_cfgs *l, const char *path, const struct ytree *t, int key,
                        int dev, const char *kind)
{
    const char *id = ytree_str(t, key);
    struct net_cfg *c = id ? net_cfg_add(l, path, t->n[key].line, "netplan") : NULL;
    if (!c)
        return;
    char ev[300];
    str_fmt(ev, sizeof ev, "%s: %s:", kind, id);
    net_cfg_evidence(c, ev);
    net_cfg_bind_name(c, id);
    c->is_virtual = 1;
    addressing(t, dev, c);
}

void net_netplan_parse(struct net_cfgs *l, const char *path, const char *buf, size_t len)
{
    struct ytree t;
    if (ytree_parse(&t, buf, len) < 0) {
        ytree_free(&t);
        return;
    }
    int net = ytree_get(&t, ytree_root(&t), "network");
    static const char *const groups[] = { "bonds", "bridges" };
    struct members m;
    memset(&m, 0, sizeof m);
    for (int g = 0; g < 2; g++)
        collect_members(&t, ytree_get(&t, net, groups[g]), &m);
    int k, v = -1, eths = ytree_get(&t, net, "ethernets");
    while ((v = ytree_map_next(&t, eths, v, &k)) >= 0)
        ethernet(l, path, &t, k, v, &m);
    for (int g = 0; g < 2; g++) {
        int grp = ytree_get(&t, net, groups[g]);
        v = -1;
        while ((v = ytree_map_next(&t, grp, v, &k)) >= 0)
            virtual_dev(l, path, &t, k, v, groups[g]);
    }
    ytree_free(&t);
}
