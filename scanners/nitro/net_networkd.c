/* systemd-networkd: a .network file configures what its [Match] section
 * takes (Name= globs, MACAddress=, or anything when it names neither); a
 * .link file only names or sets the MAC of what it matches. */
#include "net_cfg.h"
#include "nitro_int.h"

#include <string.h>
#include <strings.h>

struct networkd {
    struct net_cfg *c;
    unsigned line;
    char section[32];
    int other_medium;   /* matches containers, wireless, virtual kinds: never ENA */
};

static int is_yes(const char *v)
{
    return !strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcasecmp(v, "ipv4") ||
           !strcasecmp(v, "ipv6") || !strcasecmp(v, "both") || !strcmp(v, "1");
}

static void match_key(struct networkd *d, const char *key, const char *v, const char *line)
{
    struct net_cfg *c = d->c;
    if (!strcmp(key, "MACAddress") || !strcmp(key, "PermanentMACAddress")) {
        net_cfg_bind_mac(c, v);
    } else if (!strcmp(key, "Name") || !strcmp(key, "OriginalName")) {
        /* Name= lists add up; an empty assignment resets the list */
        char names[NET_NAME_MAX];
        if (c->bind == NET_BIND_NAME && *v)
            str_fmt(names, sizeof names, "%s %s", c->name, v);
        else
            str_fmt(names, sizeof names, "%s", v);
        net_cfg_bind_name(c, names);
    } else if (!strcmp(key, "Driver")) {
        if (net_virtual_driver(v))
            d->other_medium = 1;
        str_fmt(c->driver, sizeof c->driver, "%s", v);
        return;
    } else {
        if (!strcmp(key, "Virtualization") || !strcmp(key, "Kind") || !strcmp(key, "SSID") ||
            !strcmp(key, "WLANInterfaceType") || (!strcmp(key, "Type") && strcmp(v, "ether")))
            d->other_medium = 1;
        return;   /* Type=ether, Path=: any Ethernet interface may match */
    }
    net_cfg_evidence(c, line);
    c->line = d->line;
}

static int networkd_line(char *raw, void *opaque)
{
    struct networkd *d = opaque;
    struct net_cfg *c = d->c;
    char *line = trim(raw);
    d->line++;
    if (*line == '#' || *line == ';' || !*line)
        return 0;
    if (*line == '[') {
        str_fmt(d->section, sizeof d->section, "%s", line);
        return 0;
    }
    char *eq = strchr(line, '=');
    if (!eq)
        return 0;
    char key[48], v[NET_NAME_MAX];
    str_fmt(key, sizeof key, "%.*s", (int)(eq - line), line);
    char *k = trim(key);
    str_fmt(v, sizeof v, "%s", eq + 1);
    char *val = trim(v);
    if (!strcmp(d->section, "[Match]"))
        match_key(d, k, val, line);
    else if (!strcmp(d->section, "[Link]") && c->is_link && !strcmp(k, "Name"))
        str_fmt(c->set_name, sizeof c->set_name, "%s", val);
    else if (!strcmp(d->section, "[Link]") && !strcmp(k, "MACAddress") && *val &&
             c->bind != NET_BIND_MAC) {
        c->mac_set = 1;
        str_fmt(c->mac, sizeof c->mac, "%s", val);
    } else if (!strcmp(d->section, "[Network]") && !strcmp(k, "DHCP") && is_yes(val))
        c->addr = NET_ADDR_DHCP;
    else if ((!strcmp(d->section, "[Network]") || !strcmp(d->section, "[Address]")) &&
             !strcmp(k, "Address") && c->addr != NET_ADDR_DHCP)
        c->addr = NET_ADDR_STATIC;
    else if (!strcmp(d->section, "[Network]") && (!strcmp(k, "Bond") || !strcmp(k, "Bridge")))
        str_fmt(c->master, sizeof c->master, "%s", val);
    return 0;
}

void net_networkd_parse(struct net_cfgs *l, const char *path, const char *buf, size_t len)
{
    size_t n = strlen(path);
    int link = n > 5 && !strcmp(path + n - 5, ".link");
    struct networkd d;
    memset(&d, 0, sizeof d);
    if (!(d.c = net_cfg_add(l, path, 1, "networkd")))
        return;
    d.c->is_link = link;
    net_cfg_evidence(d.c, "[Match] (matches every interface)");
    for_each_line(buf, len, networkd_line, &d);
    /* a .link that neither renames nor binds a MAC only sets a naming
     * policy (99-default.link) */
    if (d.other_medium || (link && !d.c->set_name[0] && d.c->bind != NET_BIND_MAC))
        l->n--;
}
