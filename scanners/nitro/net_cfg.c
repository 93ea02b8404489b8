/* The common model of an interface configuration (net_cfg.h) and the
 * small text helpers its parsers share. */
#include "net_cfg.h"
#include "nitro_int.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "util/grow.h"

struct net_cfg *net_cfg_add(struct net_cfgs *l, const char *path, unsigned line,
                            const char *format)
{
    if (l->n >= NET_CFG_MAX) {
        l->dropped++;
        return NULL;
    }
    if (grow_array((void **)&l->v, &l->cap, (size_t)l->n, sizeof *l->v, 16) < 0)
        return NULL;
    struct net_cfg *c = &l->v[l->n++];
    memset(c, 0, sizeof *c);
    str_fmt(c->path, sizeof c->path, "%s", path);
    c->line = line;
    c->format = format;
    c->bind = NET_BIND_ANY;
    c->onboot = 1;
    return c;
}

void net_cfgs_free(struct net_cfgs *l)
{
    free(l->v);
    memset(l, 0, sizeof *l);
}

struct net_cfg *net_cfg_find(struct net_cfgs *l, const char *path, const char *name)
{
    for (int i = 0; i < l->n; i++)
        if (!strcmp(l->v[i].path, path) && !strcmp(l->v[i].name, name))
            return &l->v[i];
    return NULL;
}

void net_cfg_bind_name(struct net_cfg *c, const char *name)
{
    /* a MAC binding is the narrower one and stays */
    if (c->bind == NET_BIND_MAC)
        return;
    if (!*name || !strcmp(name, "*") || *name == '!') {
        c->bind = NET_BIND_ANY;
        c->name[0] = '\0';
        return;
    }
    c->bind = NET_BIND_NAME;
    str_fmt(c->name, sizeof c->name, "%s", name);
}

void net_cfg_bind_mac(struct net_cfg *c, const char *mac)
{
    c->bind = NET_BIND_MAC;
    c->mac_set = 0;
    str_fmt(c->mac, sizeof c->mac, "%s", mac);
}

void net_cfg_evidence(struct net_cfg *c, const char *line)
{
    str_fmt(c->evidence, sizeof c->evidence, "%s", line);
}

int net_name_matches(const char *pattern, const char *ifname)
{
    char one[NET_NAME_MAX];
    const char *p = pattern;
    while (*p) {
        size_t k = strcspn(p, " \t");
        if (k) {
            str_fmt(one, sizeof one, "%.*s", (int)k, p);
            if (fnmatch(one, ifname, 0) == 0)
                return 1;
        }
        p += k;
        p += strspn(p, " \t");
    }
    return 0;
}

int net_virtual_driver(const char *driver)
{
    static const char *const virt[] = { "veth", "bridge", "tun", "bonding", "dummy", "vxlan",
                                        "macvlan", "ipvlan", "wireguard", "team", NULL };
    for (const char *const *v = virt; *v; v++)
        if (!strcmp(driver, *v))
            return 1;
    return 0;
}

void net_unquote(char *out, size_t cap, const char *s)
{
    size_t n = strlen(s);
    if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
        s++;
        n -= 2;
    }
    str_fmt(out, cap, "%.*s", (int)n, s);
}

int net_shell_kv(const char *line, const char *key, char *out, size_t cap)
{
    size_t kl = strlen(key);
    if (strncmp(line, key, kl) || line[kl] != '=')
        return 0;
    const char *v = line + kl + 1;
    char q = (*v == '"' || *v == '\'') ? *v++ : 0;
    size_t k = q ? strcspn(v, q == '"' ? "\"" : "'") : strcspn(v, " \t#");
    str_fmt(out, cap, "%.*s", (int)k, v);
    return 1;
}

const char *net_basename(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}
