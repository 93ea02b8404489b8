/* NetworkManager keyfiles: a connection binds to interface-name= (or
 * [match] interface-name=), to mac-address=, or, with neither, to any
 * device of its type; autoconnect=false never starts it at boot. */
#include "net_cfg.h"
#include "nitro_int.h"

#include <string.h>
#include <strings.h>

struct nm {
    struct net_cfg *c;
    unsigned line;
    char section[48];
    char type[48];
    int connection;     /* a [connection] section: the file is a keyfile */
};

static int nm_key(const char *line, const char *key, char *out, size_t cap)
{
    size_t kl = strlen(key);
    if (strncmp(line, key, kl))
        return 0;
    const char *p = line + kl;
    while (*p == ' ')
        p++;
    if (*p != '=')
        return 0;
    str_fmt(out, cap, "%s", p + 1);
    char *t = trim(out);
    memmove(out, t, strlen(t) + 1);
    return 1;
}

static int nm_line(char *raw, void *opaque)
{
    struct nm *m = opaque;
    struct net_cfg *c = m->c;
    char *line = trim(raw), v[NET_NAME_MAX];
    m->line++;
    if (*line == '#' || !*line)
        return 0;
    if (*line == '[') {
        str_fmt(m->section, sizeof m->section, "%s", line);
        m->connection |= !strcmp(line, "[connection]");
        return 0;
    }
    const char *s = m->section;
    int conn = !strcmp(s, "[connection]");
    int eth = !strcmp(s, "[ethernet]") || !strcmp(s, "[802-3-ethernet]");
    if (conn && nm_key(line, "type", v, sizeof v)) {
        str_fmt(m->type, sizeof m->type, "%s", v);
        c->is_virtual = !strcmp(v, "bond") || !strcmp(v, "bridge") || !strcmp(v, "vlan") ||
                        !strcmp(v, "team");
    } else if (((conn || !strcmp(s, "[match]")) && nm_key(line, "interface-name", v, sizeof v))) {
        /* [match] lists globs separated by ';' */
        for (char *p = v; *p; p++)
            if (*p == ';' || *p == ',')
                *p = ' ';
        net_cfg_bind_name(c, trim(v));
        net_cfg_evidence(c, line);
        c->line = m->line;
    } else if (conn && (nm_key(line, "master", v, sizeof v) ||
                        nm_key(line, "controller", v, sizeof v)) && *v) {
        str_fmt(c->master, sizeof c->master, "%s", v);
    } else if (conn && nm_key(line, "autoconnect", v, sizeof v)) {
        c->onboot = strcasecmp(v, "false") && strcmp(v, "0") && strcasecmp(v, "no");
    } else if (eth && nm_key(line, "mac-address", v, sizeof v) && *v) {
        net_cfg_bind_mac(c, v);
        net_cfg_evidence(c, line);
        c->line = m->line;
    } else if (eth && nm_key(line, "cloned-mac-address", v, sizeof v) && strchr(v, ':') &&
               c->bind != NET_BIND_MAC) {
        str_fmt(c->mac, sizeof c->mac, "%s", v);
        c->mac_set = 1;
    } else if (!strcmp(s, "[ipv4]") && nm_key(line, "method", v, sizeof v)) {
        if (!strcmp(v, "auto"))
            c->addr = NET_ADDR_DHCP;
        else if (!strcmp(v, "manual"))
            c->addr = NET_ADDR_STATIC;
    } else if (!strcmp(s, "[ipv4]") && !strncmp(line, "address", 7) && c->addr == NET_ADDR_NONE) {
        c->addr = NET_ADDR_STATIC;
    }
    return 0;
}

/* Connection types that cannot carry the ENA interface. */
static int other_medium(const char *type)
{
    static const char *const other[] = { "wifi", "802-11-wireless", "gsm", "cdma", "vpn",
                                         "wireguard", "loopback", "tun", "bluetooth", "dummy",
                                         "wpan", "infiniband", NULL };
    for (const char *const *o = other; *o; o++)
        if (!strcmp(type, *o))
            return 1;
    return 0;
}

void net_nm_parse(struct net_cfgs *l, const char *path, const char *buf, size_t len)
{
    struct nm m;
    memset(&m, 0, sizeof m);
    if (!(m.c = net_cfg_add(l, path, 1, "nm")))
        return;
    net_cfg_evidence(m.c, "no interface-name= or mac-address= (any Ethernet device)");
    for_each_line(buf, len, nm_line, &m);
    if (!m.connection || other_medium(m.type))
        l->n--;
}
