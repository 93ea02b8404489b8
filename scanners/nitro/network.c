/* Interface naming after the move: ENA gets a new MAC and, with predictable
 * names, the name ens5.  Configuration tied to the old MAC or only to eth0
 * leaves the instance unreachable. */
#include "nitro_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NET_CAP (1u << 20)
#define MAX_IFNAMES 32

struct net {
    struct scan_ctx *c;
    json_object *pinned;
    const char *path;
    char ifnames[MAX_IFNAMES][32];
    int nif;
    int wildcard;           /* some config matches any interface */
    int rules_found;
    /* per-file parser state */
    int in_match;
    int match_indent;
    int eth_indent, child_indent;
    char section[32];
    char cur_if[32];
};

static void add_ifname(struct net *n, const char *name)
{
    if (!*name || !strcmp(name, "lo"))
        return;
    if (strpbrk(name, "*?[")) {
        n->wildcard = 1;
        return;
    }
    for (int i = 0; i < n->nif; i++)
        if (!strcmp(n->ifnames[i], name))
            return;
    if (n->nif < MAX_IFNAMES)
        str_fmt(n->ifnames[n->nif++], sizeof n->ifnames[0], "%s", name);
}

static void pin(struct net *n, enum finding_id id, const char *ifname, const char *mac,
                const char *line, const char *remedy)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "path", jstr(n->path));
    json_object_object_add(o, "interface", jstr_or_null(ifname && *ifname ? ifname : NULL));
    json_object_object_add(o, "mac", jstr(mac));
    json_object_array_add(n->pinned, o);
    json_object *f = report_add_findingf(n->c->r, id, n->c->root_volume, remedy, "%s", n->path);
    report_finding_evidence(f, "%s: %s", n->path, line);
}

/* Value after key in a udev rule: ATTR{address}=="..." */
static int udev_val(const char *line, const char *key, char *out, size_t cap)
{
    const char *p = strstr(line, key);
    if (!p)
        return 0;
    p += strlen(key);
    while (*p == '=' || *p == '!' || *p == ' ')
        p++;
    if (*p == '"')
        p++;
    size_t k = strcspn(p, "\"");
    str_fmt(out, cap, "%.*s", (int)k, p);
    return 1;
}

static int rules_line(char *raw, void *opaque)
{
    struct net *n = opaque;
    char *line = trim(raw), mac[64], name[32] = "";
    if (*line == '#' || !udev_val(line, "ATTR{address}", mac, sizeof mac))
        return 0;
    udev_val(line, "NAME", name, sizeof name);
    n->rules_found = 1;
    pin(n, F_NET_PERSISTENT_RULES, name, mac, line,
        "Remove /etc/udev/rules.d/70-persistent-net.rules before migrating (and the generator "
        "rule 75-persistent-net-generator.rules if present).");
    add_ifname(n, name);
    return 0;
}

/* KEY=value with optional quotes; copies value. */
static int shell_kv(const char *line, const char *key, char *out, size_t cap)
{
    size_t kl = strlen(key);
    if (strncmp(line, key, kl) || line[kl] != '=')
        return 0;
    const char *v = line + kl + 1;
    if (*v == '"' || *v == '\'')
        v++;
    size_t k = strcspn(v, "\"' \t");
    str_fmt(out, cap, "%.*s", (int)k, v);
    return 1;
}

static int ifcfg_line(char *raw, void *opaque)
{
    struct net *n = opaque;
    char *line = trim(raw), val[128];
    if (shell_kv(line, "DEVICE", val, sizeof val))
        str_fmt(n->cur_if, sizeof n->cur_if, "%s", val);
    else if ((shell_kv(line, "HWADDR", val, sizeof val) ||
              shell_kv(line, "MACADDR", val, sizeof val) ||
              shell_kv(line, "LLADDR", val, sizeof val)) && val[0])
        pin(n, F_NET_MAC_PINNED, n->cur_if, val, line,
            "Remove HWADDR=/MACADDR= from the ifcfg file, or name the file and DEVICE= after "
            "the ENA interface (ens5 or eth0 with net.ifnames=0).");
    return 0;
}

static int indent_of(const char *s)
{
    int i = 0;
    while (s[i] == ' ')
        i++;
    return i;
}

static int netplan_line(char *raw, void *opaque)
{
    struct net *n = opaque;
    int ind = indent_of(raw);
    char *line = trim(raw);
    if (!*line || *line == '#')
        return 0;
    if (n->in_match && ind <= n->match_indent)
        n->in_match = 0;
    if (n->eth_indent >= 0 && ind <= n->eth_indent) {
        n->eth_indent = -1;
        n->child_indent = -1;
    }
    if (!strcmp(line, "ethernets:")) {
        n->eth_indent = ind;
        n->child_indent = -1;
        return 0;
    }
    if (n->eth_indent >= 0 && ind > n->eth_indent) {
        if (n->child_indent < 0)
            n->child_indent = ind;
        if (ind == n->child_indent) {
            size_t k = strcspn(line, ":");
            str_fmt(n->cur_if, sizeof n->cur_if, "%.*s", (int)k, line);
            /* a key with a match: block is only a label, not a name */
            add_ifname(n, n->cur_if);
            return 0;
        }
    }
    if (!strcmp(line, "match:")) {
        n->in_match = 1;
        n->match_indent = ind;
        return 0;
    }
    if (!strncmp(line, "macaddress:", 11)) {
        char *v = trim(line + 11);
        if (*v == '"' || *v == '\'')
            v++;
        char mac[64];
        str_fmt(mac, sizeof mac, "%.*s", (int)strcspn(v, "\"'"), v);
        pin(n, F_NET_MAC_PINNED, n->cur_if, mac, line,
            "Replace `match: macaddress:` in netplan with `match: name: \"e*\"` (or "
            "driver: ena), then run netplan generate.");
    } else if (n->in_match && !strncmp(line, "name:", 5)) {
        char *v = trim(line + 5);
        if (*v == '"' || *v == '\'')
            v++;
        char nm[32];
        str_fmt(nm, sizeof nm, "%.*s", (int)strcspn(v, "\"'"), v);
        add_ifname(n, nm);
    } else if (n->in_match && !strncmp(line, "driver:", 7)) {
        n->wildcard = 1;
    }
    return 0;
}

static int networkd_line(char *raw, void *opaque)
{
    struct net *n = opaque;
    char *line = trim(raw);
    if (*line == '[') {
        str_fmt(n->section, sizeof n->section, "%s", line);
        return 0;
    }
    if (strcmp(n->section, "[Match]"))
        return 0;
    if (!strncmp(line, "MACAddress=", 11) || !strncmp(line, "PermanentMACAddress=", 20)) {
        pin(n, F_NET_MAC_PINNED, NULL, strchr(line, '=') + 1, line,
            "Match the interface by Name= or Driver=ena instead of its old MAC address.");
    } else if (!strncmp(line, "Name=", 5)) {
        char *s = line + 5, *tok, *save = NULL;
        for (tok = strtok_r(s, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
            add_ifname(n, tok);
    } else if (!strncmp(line, "Driver=", 7) || !strncmp(line, "Type=", 5)) {
        n->wildcard = 1;
    }
    return 0;
}

static int nm_line(char *raw, void *opaque)
{
    struct net *n = opaque;
    char *line = trim(raw);
    if (!strncmp(line, "mac-address=", 12))
        pin(n, F_NET_MAC_PINNED, NULL, line + 12, line,
            "Remove mac-address= from the NetworkManager connection.");
    else if (!strncmp(line, "interface-name=", 15))
        add_ifname(n, line + 15);
    return 0;
}

static int ifaces_line(char *raw, void *opaque)
{
    struct net *n = opaque;
    char *line = trim(raw), a[32], b[64];
    if (sscanf(line, "%31s %63s", a, b) == 2 &&
        (!strcmp(a, "iface") || !strcmp(a, "auto") || !strcmp(a, "allow-hotplug")))
        add_ifname(n, b);
    return 0;
}

static void each_file(struct net *n, const char *dir, const char *prefix, const char *suffix,
                      line_fn fn)
{
    char **names = NULL, p[600];
    if (vfs_list(n->c->v, dir, &names) < 0)
        return;
    for (char **nm = names; *nm; nm++) {
        size_t l = strlen(*nm), sl = suffix ? strlen(suffix) : 0;
        if (prefix && strncmp(*nm, prefix, strlen(prefix)))
            continue;
        if (suffix && (l < sl || strcmp(*nm + l - sl, suffix)))
            continue;
        str_fmt(p, sizeof p, "%s/%s", dir, *nm);
        size_t len;
        char *buf = read_small(n->c->v, p, NET_CAP, &len);
        if (!buf)
            continue;
        n->path = p;
        n->cur_if[0] = '\0';
        n->section[0] = '\0';
        n->in_match = 0;
        n->eth_indent = n->child_indent = -1;
        if (fn == ifcfg_line && prefix) {
            /* ifcfg-eth0 names eth0 even without DEVICE= */
            str_fmt(n->cur_if, sizeof n->cur_if, "%s", *nm + strlen(prefix));
            add_ifname(n, n->cur_if);
        }
        for_each_line(buf, len, fn, n);
        free(buf);
        n->path = NULL;
    }
    vfs_free_names(names);
}

static int links_to_null(vfs *v, const char *path)
{
    char *t = NULL;
    int r = vfs_readlink(v, path, &t) == 0 && !strcmp(t, "/dev/null");
    free(t);
    return r;
}

json_object *network_scan(struct scan_ctx *c, const char *cmdline)
{
    struct net n;
    char val[64];
    memset(&n, 0, sizeof n);
    n.c = c;
    n.pinned = json_object_new_array();
    n.eth_indent = n.child_indent = -1;

    size_t len;
    char *buf = read_small(c->v, "/etc/udev/rules.d/70-persistent-net.rules", NET_CAP, &len);
    if (buf) {
        n.path = "/etc/udev/rules.d/70-persistent-net.rules";
        for_each_line(buf, len, rules_line, &n);
        free(buf);
    }
    each_file(&n, "/etc/sysconfig/network-scripts", "ifcfg-", NULL, ifcfg_line);
    each_file(&n, "/etc/sysconfig/network", "ifcfg-", NULL, ifcfg_line);
    each_file(&n, "/etc/netplan", NULL, ".yaml", netplan_line);
    each_file(&n, "/etc/systemd/network", NULL, ".network", networkd_line);
    each_file(&n, "/etc/systemd/network", NULL, ".link", networkd_line);
    each_file(&n, "/etc/NetworkManager/system-connections", NULL, NULL, nm_line);
    buf = read_small(c->v, "/etc/network/interfaces", NET_CAP, &len);
    if (buf) {
        n.path = "/etc/network/interfaces";
        for_each_line(buf, len, ifaces_line, &n);
        free(buf);
    }

    /* predictable names: systemd's udev, unless switched off */
    int has_systemd = vfs_exists(c->v, "/lib/systemd/systemd") ||
                      vfs_exists(c->v, "/usr/lib/systemd/systemd");
    int off = (cmdline && cmdline_get(cmdline, "net.ifnames", val, sizeof val) &&
               !strcmp(val, "0")) ||
              links_to_null(c->v, "/etc/udev/rules.d/80-net-setup-link.rules") ||
              links_to_null(c->v, "/etc/systemd/network/99-default.link");
    int predictable = has_systemd && !off;
    int cloud_init = vfs_exists(c->v, "/etc/cloud/cloud.cfg") ||
                     vfs_exists(c->v, "/usr/bin/cloud-init");

    int only_eth0 = n.nif > 0 && !n.wildcard;
    for (int i = 0; i < n.nif; i++)
        if (strncmp(n.ifnames[i], "eth", 3))
            only_eth0 = 0;
    if (predictable && only_eth0) {
        json_object *f = report_add_findingf(c->r, F_NET_ETH0_ONLY, c->root_volume,
            cloud_init
                ? "Add net.ifnames=0 to the kernel command line, or configure the ENA name "
                  "(ens5); cloud-init may render a new configuration on first boot."
                : "Add net.ifnames=0 to the kernel command line (GRUB_CMDLINE_LINUX), or "
                  "configure the ENA interface name (ens5).",
            "%s", n.ifnames[0]);
        for (int i = 0; i < n.nif; i++)
            report_finding_evidence(f, "configured interface: %s", n.ifnames[i]);
    }
    json_object *o = json_object_new_object();
    json_object_object_add(o, "persistent_rules", json_object_new_boolean(n.rules_found));
    json_object_object_add(o, "mac_pinned", n.pinned);
    json_object_object_add(o, "predictable_names", json_object_new_boolean(predictable));
    json_object_object_add(o, "cloud_init", json_object_new_boolean(cloud_init));
    return o;
}
