/* The network scanner's small model: every interface configuration the
 * guest holds, whatever its format, reduced to what decides whether it
 * brings up the ENA interface on the instance (what it binds to, how it
 * gets an address, whether it is started at boot), with file and line. */
#ifndef LIFTCHECK_NET_CFG_H
#define LIFTCHECK_NET_CFG_H

#include <stddef.h>

#include "nitro_int.h"

#define NET_CFG_MAX 256      /* configurations kept per server */
#define NET_NAME_MAX 64

enum net_bind {
    NET_BIND_NAME,   /* an interface name or a glob of names */
    NET_BIND_MAC,    /* a MAC address: the old NIC's */
    NET_BIND_ANY     /* any Ethernet interface (driver, type, empty match) */
};

enum net_addr { NET_ADDR_NONE, NET_ADDR_DHCP, NET_ADDR_STATIC };

struct net_cfg {
    char path[256];
    unsigned line;
    const char *format;          /* "ifcfg", "networkd", "netplan", "nm", "ifupdown" */
    enum net_bind bind;
    char name[NET_NAME_MAX];     /* bound name or glob ("" when none) */
    char mac[NET_NAME_MAX];      /* old MAC matched, or set when mac_set */
    char driver[NET_NAME_MAX];   /* driver glob it also requires ("" any) */
    int mac_set;                 /* the config sets this MAC on the interface */
    enum net_addr addr;
    int onboot;                  /* 0: not started at boot (ONBOOT=no, no auto...) */
    int is_virtual;              /* bond, bridge, vlan: up through its members */
    int is_link;                 /* names an interface, configures nothing (.link) */
    char master[NET_NAME_MAX];   /* bond or bridge this interface joins */
    char set_name[NET_NAME_MAX]; /* renames what it matches (.link Name=, set-name) */
    char evidence[300];          /* the line that binds it */
    /* judged by network.c */
    int active;                  /* its format is read by a network service in use */
    int brings_up;
    const char *why;
};

struct net_cfgs {
    struct net_cfg *v;
    int n;
    size_t cap;
    int dropped;                 /* configurations past NET_CFG_MAX */
};

/* A new configuration with defaults (bound to any, no address, on boot);
 * NULL past NET_CFG_MAX. */
struct net_cfg *net_cfg_add(struct net_cfgs *l, const char *path, unsigned line,
                            const char *format);
void net_cfgs_free(struct net_cfgs *l);
/* The configuration that path/name declares, NULL if none. */
struct net_cfg *net_cfg_find(struct net_cfgs *l, const char *path, const char *name);
/* Binds c to a name (or to any interface for "", "*" and negations). */
void net_cfg_bind_name(struct net_cfg *c, const char *name);
void net_cfg_bind_mac(struct net_cfg *c, const char *mac);
void net_cfg_evidence(struct net_cfg *c, const char *line);
/* Is the driver one of a virtual device (veth, bridge, tun...), never ENA? */
int net_virtual_driver(const char *driver);
/* Does a bound name, glob or space-separated list of them take ifname? */
int net_name_matches(const char *pattern, const char *ifname);
/* Value of a shell-style KEY=value line with quotes removed; 0 when key
 * differs. */
int net_shell_kv(const char *line, const char *key, char *out, size_t cap);
/* Copies s without surrounding quotes. */
void net_unquote(char *out, size_t cap, const char *s);
/* Last path component. */
const char *net_basename(const char *path);

/* ---- one parser per format, on memory (guest bytes, hostile) ---- */
/* RHEL network-scripts and SUSE sysconfig ifcfg-NAME files. */
void net_ifcfg_parse(struct net_cfgs *l, const char *path, const char *buf, size_t len);
/* systemd-networkd .network and .link files. */
void net_networkd_parse(struct net_cfgs *l, const char *path, const char *buf, size_t len);
/* NetworkManager keyfiles (.nmconnection and legacy ones without suffix). */
void net_nm_parse(struct net_cfgs *l, const char *path, const char *buf, size_t len);
/* netplan YAML. */
void net_netplan_parse(struct net_cfgs *l, const char *path, const char *buf, size_t len);

/* Debian ifupdown: auto/allow-hotplug and iface stanzas may sit in
 * different files, so the state lives across files. */
#define NET_IFUP_AUTOS 64
#define NET_IFUP_SOURCES 32
struct net_ifupdown {
    char autos[NET_IFUP_AUTOS][NET_NAME_MAX];
    int nautos;
    char sources[NET_IFUP_SOURCES][256];  /* "source PATTERN" / "source-directory DIR" */
    int source_dir[NET_IFUP_SOURCES];
    int nsources;
};
void net_ifupdown_parse(struct net_cfgs *l, struct net_ifupdown *st, const char *path,
                        const char *buf, size_t len);
/* Marks iface stanzas without auto/allow-hotplug as not started at boot. */
void net_ifupdown_finish(struct net_cfgs *l, const struct net_ifupdown *st);

/* udev rules that name interfaces by MAC (70-persistent-net.rules). */
#define NET_RULES_MAX 64
struct net_rule {
    char name[NET_NAME_MAX];
    char mac[NET_NAME_MAX];
    char path[256];
    char line[300];
};
struct net_rules {
    struct net_rule r[NET_RULES_MAX];
    int n;
};
void net_udev_rules_parse(struct net_rules *rs, const char *path, const char *buf, size_t len);

/* cloud-init settings from cloud.cfg and cloud.cfg.d, later files winning. */
struct net_cloudinit {
    int installed;
    int disabled;                /* cloud-init.disabled or cloud-init=disabled */
    int network_disabled;        /* network: {config: disabled} */
    char network_where[256];
    int have_datasources;        /* a datasource_list was set */
    int ec2_listed;              /* it names Ec2 */
    char datasources[256];
    char datasources_where[256];
};
void net_cloudinit_parse(struct net_cloudinit *ci, const char *path, const char *buf,
                         size_t len);

#endif

/* ---- what the instance will do (net_predict.c, net_stacks.c) ---- */
struct net_prediction {
    char name[NET_NAME_MAX];     /* the ENA interface's name on the instance */
    int predictable;             /* systemd/udev predictable names apply */
    int shifted;                 /* persistent rules moved it off eth0 */
    char reason[600];
};
/* The ENA interface's name: eth0 without predictable names (eth1 and on
 * when persistent rules hold eth0 for the old MAC), else ens5; a .link or
 * set-name that matches any interface renames it. */
void net_predict(const struct scan_ctx *c, const char *cmdline, const struct net_rules *rs,
                 const struct net_cfgs *l, struct net_prediction *p);

/* Network services that read each format, and whether the guest starts
 * them at boot. */
enum { NET_FMT_IFCFG, NET_FMT_NETWORKD, NET_FMT_NETPLAN, NET_FMT_NM, NET_FMT_IFUPDOWN,
       NET_FMT_COUNT };
struct net_stack {
    const char *format;          /* as in net_cfg.format */
    int installed;               /* a program that reads the format is there */
    int enabled;                 /* 1 started at boot, 0 not, -1 cannot tell */
    char evidence[300];
};
struct net_stacks {
    struct net_stack s[NET_FMT_COUNT];
    int none_found;              /* no network service found at all: all assumed */
};
void net_stacks_scan(const struct scan_ctx *c, struct net_stacks *st);
/* Is the format read at boot?  Unknown counts as yes. */
int net_stack_active(const struct net_stacks *st, const char *format);

/* Everything the network scanner read from the disk (network.c), judged and
 * reported by net_report.c. */
struct net_facts {
    struct net_cfgs cfgs;
    struct net_rules rules;
    struct net_cloudinit ci;
    struct net_stacks stacks;
    struct net_prediction pred;
    int cloud_init_renders;      /* cloud-init will write a config for the new NIC */
    int nm_auto_default;         /* NetworkManager makes a DHCP profile for unconfigured NICs */
};
/* Judges every configuration against the predicted name, adds the findings
 * and returns the report's network object. */
json_object *net_report(struct scan_ctx *c, struct net_facts *f);
