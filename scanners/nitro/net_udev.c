/* udev rules that give a MAC address a fixed name, as
 * 70-persistent-net.rules does: SUBSYSTEM=="net", ATTR{address}=="...",
 * NAME="eth0". */
#include "net_cfg.h"
#include "nitro_int.h"

#include <string.h>

struct udev_ctx {
    struct net_rules *rs;
    const char *path;
};

/* Value after key in a udev rule: ATTR{address}=="..." */
static int udev_val(const char *line, const char *key, char *out, size_t cap)
{
    const char *p = strstr(line, key);
    if (!p)
        return 0;
    p += strlen(key);
    while (*p == '=' || *p == '!' || *p == ' ' || *p == ':')
        p++;
    if (*p == '"')
        p++;
    size_t k = strcspn(p, "\"");
    str_fmt(out, cap, "%.*s", (int)k, p);
    return 1;
}

static int rules_line(char *raw, void *opaque)
{
    struct udev_ctx *u = opaque;
    char *line = trim(raw), mac[NET_NAME_MAX], name[NET_NAME_MAX];
    if (*line == '#' || !udev_val(line, "ATTR{address}", mac, sizeof mac) ||
        !udev_val(line, "NAME", name, sizeof name) || !*name)
        return 0;
    if (u->rs->n >= NET_RULES_MAX)
        return 1;
    struct net_rule *r = &u->rs->r[u->rs->n++];
    str_fmt(r->name, sizeof r->name, "%s", name);
    str_fmt(r->mac, sizeof r->mac, "%s", mac);
    str_fmt(r->path, sizeof r->path, "%s", u->path);
    str_fmt(r->line, sizeof r->line, "%s", line);
    return 0;
}

void net_udev_rules_parse(struct net_rules *rs, const char *path, const char *buf, size_t len)
{
    struct udev_ctx u = { rs, path };
    for_each_line(buf, len, rules_line, &u);
}
