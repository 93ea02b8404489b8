/* Debian ifupdown: /etc/network/interfaces and what its source and
 * source-directory lines bring in.  An iface stanza binds its name; it is
 * started at boot only when an auto or allow-hotplug line names it. */
#include "net_cfg.h"
#include "nitro_int.h"

#include <string.h>

struct ifup {
    struct net_cfgs *l;
    struct net_ifupdown *st;
    const char *path;
    int cur;            /* index of the stanza being read, -1 outside one */
    unsigned line;
};

static void add_auto(struct net_ifupdown *st, const char *name)
{
    if (st->nautos < NET_IFUP_AUTOS)
        str_fmt(st->autos[st->nautos++], sizeof st->autos[0], "%s", name);
}

static void members(struct ifup *u, char *list, const char *line)
{
    char master[NET_NAME_MAX], *save = NULL;
    str_fmt(master, sizeof master, "%s", u->l->v[u->cur].name);
    u->l->v[u->cur].is_virtual = 1;
    for (char *w = strtok_r(list, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
        if (!strcmp(w, "none"))
            continue;
        struct net_cfg *s = net_cfg_add(u->l, u->path, u->line, "ifupdown");
        if (!s)
            return;
        net_cfg_bind_name(s, w);
        str_fmt(s->master, sizeof s->master, "%s", master);
        net_cfg_evidence(s, line);
    }
}

static void stanza(struct ifup *u, const char *name, const char *method, const char *line)
{
    u->cur = -1;
    if (!strcmp(method, "loopback") || !strcmp(name, "lo"))
        return;
    struct net_cfg *c = net_cfg_add(u->l, u->path, u->line, "ifupdown");
    if (!c)
        return;
    net_cfg_bind_name(c, name);
    net_cfg_evidence(c, line);
    c->addr = !strcmp(method, "dhcp") ? NET_ADDR_DHCP
            : !strcmp(method, "static") ? NET_ADDR_STATIC : NET_ADDR_NONE;
    u->cur = u->l->n - 1;
}

static void source(struct net_ifupdown *st, const char *what, int dir)
{
    if (st->nsources >= NET_IFUP_SOURCES)
        return;
    st->source_dir[st->nsources] = dir;
    str_fmt(st->sources[st->nsources++], sizeof st->sources[0], "%s", what);
}

static int ifup_line(char *raw, void *opaque)
{
    struct ifup *u = opaque;
    char *line = trim(raw), copy[4096], *save = NULL;
    u->line++;
    if (*line == '#' || !*line)
        return 0;
    str_fmt(copy, sizeof copy, "%s", line);
    char *kw = strtok_r(copy, " \t", &save), *rest = save ? trim(save) : (char *)"";
    if (!kw)
        return 0;
    if (!strcmp(kw, "auto") || !strncmp(kw, "allow-", 6)) {
        for (char *w = strtok_r(rest, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
            add_auto(u->st, w);
        u->cur = -1;
    } else if (!strcmp(kw, "iface")) {
        char name[NET_NAME_MAX] = "", fam[16] = "", method[32] = "";
        char *w = strtok_r(rest, " \t", &save);
        str_fmt(name, sizeof name, "%s", w ? w : "");
        w = strtok_r(NULL, " \t", &save);
        str_fmt(fam, sizeof fam, "%s", w ? w : "");
        w = strtok_r(NULL, " \t", &save);
        str_fmt(method, sizeof method, "%s", w ? w : "");
        stanza(u, name, method, line);
    } else if (!strcmp(kw, "source") || !strcmp(kw, "source-directory")) {
        source(u->st, rest, !strcmp(kw, "source-directory"));
        u->cur = -1;
    } else if (!strcmp(kw, "mapping")) {
        u->cur = -1;
    } else if (u->cur >= 0) {
        struct net_cfg *c = &u->l->v[u->cur];
        if (!strcmp(kw, "hwaddress") && *rest) {
            const char *mac = strncmp(rest, "ether ", 6) ? rest : trim(rest + 6);
            str_fmt(c->mac, sizeof c->mac, "%s", mac);
            c->mac_set = 1;
        } else if (!strcmp(kw, "bond-master") || !strcmp(kw, "bond_master")) {
            str_fmt(c->master, sizeof c->master, "%s", rest);
        } else if (!strcmp(kw, "bond-slaves") || !strcmp(kw, "slaves") ||
                   !strcmp(kw, "bridge_ports") || !strcmp(kw, "bridge-ports")) {
            members(u, rest, line);
        } else if (!strcmp(kw, "bond-mode") || !strcmp(kw, "vlan-raw-device")) {
            c->is_virtual = 1;
        }
    }
    return 0;
}

void net_ifupdown_parse(struct net_cfgs *l, struct net_ifupdown *st, const char *path,
                        const char *buf, size_t len)
{
    struct ifup u = { .l = l, .st = st, .path = path, .cur = -1, .line = 0 };
    for_each_line(buf, len, ifup_line, &u);
}

void net_ifupdown_finish(struct net_cfgs *l, const struct net_ifupdown *st)
{
    for (int i = 0; i < l->n; i++) {
        struct net_cfg *c = &l->v[i];
        if (strcmp(c->format, "ifupdown") || c->master[0])
            continue;
        c->onboot = 0;
        for (int a = 0; a < st->nautos; a++)
            if (!strcmp(st->autos[a], c->name))
                c->onboot = 1;
    }
}
