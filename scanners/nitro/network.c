/* Interface naming and configuration after the move: reads every network
 * configuration format from the disk (one parser per format, net_*.c),
 * what starts them, udev's persistent names and cloud-init, predicts the
 * ENA interface's name and hands all of it to net_report.c. */
#include "nitro_int.h"
#include "net_cfg.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/xalloc.h"

#define NET_FILE_CAP (1u << 20)
#define NET_DIR_FILES 128          /* files read per directory */
#define IFUP_MAX_FILES 64
#define IFUP_MAX_DEPTH 4

/* What a file is read as. */
enum net_kind { K_RULES, K_IFCFG, K_NETWORKD, K_NETPLAN, K_NM, K_CLOUDINIT };

static void parse_file(struct net_facts *f, enum net_kind k, const char *p, const char *b,
                       size_t n)
{
    switch (k) {
    case K_RULES: net_udev_rules_parse(&f->rules, p, b, n); break;
    case K_IFCFG: net_ifcfg_parse(&f->cfgs, p, b, n); break;
    case K_NETWORKD: net_networkd_parse(&f->cfgs, p, b, n); break;
    case K_NETPLAN: net_netplan_parse(&f->cfgs, p, b, n); break;
    case K_NM: net_nm_parse(&f->cfgs, p, b, n); break;
    case K_CLOUDINIT: net_cloudinit_parse(&f->ci, p, b, n); break;
    }
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

/* Reads the regular files of dir whose names match pattern (fnmatch), in
 * name order. */
static void each_file(struct scan_ctx *c, struct net_facts *f, const char *dir,
                      const char *pattern, enum net_kind kind)
{
    char **names = NULL, p[600];
    if (vfs_list(c->v, dir, &names) < 0)
        return;
    size_t n = 0;
    while (names[n])
        n++;
    qsort(names, n, sizeof *names, cmp_names);
    int read = 0;
    for (size_t i = 0; i < n && read < NET_DIR_FILES; i++) {
        struct vfs_stat st;
        if (fnmatch(pattern, names[i], 0) || has_suffix(names[i], "~"))
            continue;
        str_fmt(p, sizeof p, "%s/%s", dir, names[i]);
        if (vfs_stat(c->v, p, &st) < 0 || st.type != VFS_REG)
            continue;
        size_t len;
        char *buf = read_small(c->v, p, NET_FILE_CAP, &len);
        if (!buf)
            continue;
        read++;
        parse_file(f, kind, p, buf, len);
        free(buf);
    }
    vfs_free_names(names);
}

/* networkd reads a file name once: /etc hides /run, which hides /lib. */
static void networkd_files(struct scan_ctx *c, struct net_facts *f)
{
    static const char *const dirs[] = { "/etc/systemd/network", "/run/systemd/network",
                                        "/usr/lib/systemd/network", "/lib/systemd/network" };
    for (int d = 0; d < 4; d++) {
        char **names = NULL;
        if (vfs_list(c->v, dirs[d], &names) < 0)
            continue;
        for (char **nm = names; *nm; nm++) {
            if (!has_suffix(*nm, ".network") && !has_suffix(*nm, ".link"))
                continue;
            int hidden = 0;
            for (int e = 0; e < d && !hidden; e++) {
                char p[600];
                str_fmt(p, sizeof p, "%s/%s", dirs[e], *nm);
                hidden = vfs_exists(c->v, p);
            }
            if (hidden)
                continue;
            char p[600];
            size_t len;
            str_fmt(p, sizeof p, "%s/%s", dirs[d], *nm);
            char *buf = read_small(c->v, p, NET_FILE_CAP, &len);
            if (buf)
                parse_file(f, K_NETWORKD, p, buf, len);
            free(buf);
        }
        vfs_free_names(names);
    }
}

/* ifupdown: interfaces, then what its source lines name, breadth first,
 * bounded in files and depth. */
static void ifupdown_files(struct scan_ctx *c, struct net_facts *f)
{
    _cleanup_free_ struct net_ifupdown *st = xcalloc(1, sizeof *st);
    _cleanup_free_ char (*queue)[300] = xcalloc(IFUP_MAX_FILES, sizeof *queue);
    int depth[IFUP_MAX_FILES], nq = 0;
    str_fmt(queue[nq], sizeof queue[0], "/etc/network/interfaces");
    depth[nq++] = 0;
    for (int q = 0; q < nq; q++) {
        size_t len;
        char *buf = read_small(c->v, queue[q], NET_FILE_CAP, &len);
        if (!buf)
            continue;
        st->nsources = 0;
        net_ifupdown_parse(&f->cfgs, st, queue[q], buf, len);
        free(buf);
        if (depth[q] >= IFUP_MAX_DEPTH)
            continue;
        for (int s = 0; s < st->nsources; s++) {
            char pat[300], dir[300];
            const char *src = st->sources[s];
            if (*src == '/')
                str_fmt(pat, sizeof pat, "%s", src);
            else
                str_fmt(pat, sizeof pat, "/etc/network/%s", src);
            /* source-directory takes the names run-parts would run */
            const char *glob = st->source_dir[s] ? "[A-Za-z0-9_-]*" : net_basename(pat);
            if (st->source_dir[s])
                str_fmt(dir, sizeof dir, "%s", pat);
            else
                str_fmt(dir, sizeof dir, "%.*s", (int)(net_basename(pat) - pat - 1), pat);
            char **names = NULL;
            if (!*dir || vfs_list(c->v, dir, &names) < 0)
                continue;
            size_t n = 0;
            while (names[n])
                n++;
            qsort(names, n, sizeof *names, cmp_names);
            for (size_t i = 0; i < n && nq < IFUP_MAX_FILES; i++) {
                if (fnmatch(glob, names[i], 0) ||
                    (st->source_dir[s] && names[i][strspn(names[i], "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "abcdefghijklmnopqrstuvwxyz0123456789_-")]))
                    continue;
                str_fmt(queue[nq], sizeof queue[0], "%s/%s", dir, names[i]);
                depth[nq++] = depth[q] + 1;
            }
            vfs_free_names(names);
        }
    }
    net_ifupdown_finish(&f->cfgs, st);
}

static void cloud_init_facts(struct scan_ctx *c, struct net_facts *f, const char *cmdline)
{
    struct net_cloudinit *ci = &f->ci;
    char val[32];
    ci->installed = vfs_exists(c->v, "/usr/bin/cloud-init") ||
                    vfs_exists(c->v, "/etc/cloud/cloud.cfg");
    ci->disabled = vfs_exists(c->v, "/etc/cloud/cloud-init.disabled") ||
                   (cmdline && cmdline_get(cmdline, "cloud-init", val, sizeof val) &&
                    !strcmp(val, "disabled"));
    if (!ci->installed)
        return;
    size_t len;
    char *buf = read_small(c->v, "/etc/cloud/cloud.cfg", NET_FILE_CAP, &len);
    if (buf)
        parse_file(f, K_CLOUDINIT, "/etc/cloud/cloud.cfg", buf, len);
    free(buf);
    each_file(c, f, "/etc/cloud/cloud.cfg.d", "*.cfg", K_CLOUDINIT);
    /* on its first boot on EC2 (a new instance id) cloud-init writes a DHCP
     * configuration for the NIC it finds, unless told not to */
    f->cloud_init_renders = !ci->disabled && !ci->network_disabled &&
                            (!ci->have_datasources || ci->ec2_listed);
}

/* NetworkManager's automatic "Wired connection" for an unconfigured NIC,
 * unless no-auto-default= names every device. */
static int nm_auto_default(struct scan_ctx *c, const struct net_facts *f)
{
    const struct net_stack *nm = &f->stacks.s[NET_FMT_NM];
    if (!nm->installed || nm->enabled == 0)
        return 0;
    size_t len;
    char *buf = read_small(c->v, "/etc/NetworkManager/NetworkManager.conf", NET_FILE_CAP, &len);
    int off = buf && strstr(buf, "no-auto-default=*") != NULL;
    free(buf);
    return !off;
}

json_object *network_scan(struct scan_ctx *c, const char *cmdline)
{
    struct net_facts *f = xcalloc(1, sizeof *f);
    each_file(c, f, "/etc/udev/rules.d", "*.rules", K_RULES);
    each_file(c, f, "/etc/sysconfig/network-scripts", "ifcfg-*", K_IFCFG);
    each_file(c, f, "/etc/sysconfig/network", "ifcfg-*", K_IFCFG);
    networkd_files(c, f);
    each_file(c, f, "/lib/netplan", "*.yaml", K_NETPLAN);
    each_file(c, f, "/etc/netplan", "*.yaml", K_NETPLAN);
    each_file(c, f, "/run/netplan", "*.yaml", K_NETPLAN);
    each_file(c, f, "/etc/NetworkManager/system-connections", "*", K_NM);
    each_file(c, f, "/run/NetworkManager/system-connections", "*", K_NM);
    each_file(c, f, "/usr/lib/NetworkManager/system-connections", "*", K_NM);
    ifupdown_files(c, f);
    cloud_init_facts(c, f, cmdline);
    net_stacks_scan(c, &f->stacks);
    f->nm_auto_default = nm_auto_default(c, f);
    net_predict(c, cmdline, &f->rules, &f->cfgs, &f->pred);
    json_object *o = net_report(c, f);
    net_cfgs_free(&f->cfgs);
    free(f);
    return o;
}
