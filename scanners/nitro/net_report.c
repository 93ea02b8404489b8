/* Judges each network configuration against the name the ENA interface
 * will get: it brings the interface up when its service runs at boot, it
 * starts at boot, and it binds to that name (or a glob taking it, or any
 * interface), not to the old MAC; a bond or bridge does when one of its
 * members does.  When none does, one blocker says so (a warning when
 * cloud-init will write a configuration for the new NIC), and each
 * configuration that misses says why. */
#include "nitro_int.h"
#include "net_cfg.h"

#include <string.h>

#define EVIDENCE_CONFIGS 16

static const char *addr_str(enum net_addr a)
{
    return a == NET_ADDR_DHCP ? "dhcp" : a == NET_ADDR_STATIC ? "static" : "none";
}

static const char *bind_str(enum net_bind b)
{
    return b == NET_BIND_MAC ? "mac" : b == NET_BIND_NAME ? "name" : "any";
}

static struct net_cfg *master_of(struct net_cfgs *l, const struct net_cfg *k)
{
    for (int i = 0; i < l->n; i++)
        if (l->v[i].is_virtual && !strcmp(l->v[i].name, k->master))
            return &l->v[i];
    return NULL;
}

static void judge_one(const struct net_facts *f, struct net_cfg *k)
{
    /* udev applies .link files, whether networkd runs or not */
    k->active = k->is_link || net_stack_active(&f->stacks, k->format);
    if (k->is_link)
        k->why = k->bind == NET_BIND_MAC ? "names the old MAC's interface; the new MAC never matches"
                                         : "renames the interfaces it matches";
    else if (k->bind == NET_BIND_MAC)
        k->why = "bound to the old MAC address: the ENA interface has a new one";
    else if (!k->active)
        k->why = "no network service that reads this format is installed or started";
    else if (!k->onboot)
        k->why = "not started at boot";
    else if (k->is_virtual)
        k->why = NULL;   /* judged through its members */
    else if (k->bind == NET_BIND_NAME && !net_name_matches(k->name, f->pred.name))
        k->why = "bound to an interface name the instance will not have";
    else if (k->driver[0] && !net_name_matches(k->driver, "ena"))
        k->why = "matches another driver than ena";
    else {
        k->brings_up = 1;
        k->why = "takes the instance's interface";
    }
}

/* Judges every config; 1 when one of them brings up the primary. */
static int judge_all(struct net_facts *f)
{
    struct net_cfgs *l = &f->cfgs;
    for (int i = 0; i < l->n; i++)
        judge_one(f, &l->v[i]);
    for (int i = 0; i < l->n; i++) {
        struct net_cfg *v = &l->v[i];
        if (!v->is_virtual || v->why)
            continue;
        for (int m = 0; m < l->n && !v->brings_up; m++)
            v->brings_up = l->v[m].brings_up && !strcmp(l->v[m].master, v->name);
        v->why = v->brings_up ? "one of its members takes the instance's interface"
                              : "none of its members is the instance's interface";
    }
    int ok = 0;
    for (int i = 0; i < l->n; i++) {
        struct net_cfg *k = &l->v[i];
        if (k->brings_up && !k->is_link && (!k->master[0] || !master_of(l, k)))
            ok = 1;
    }
    return ok;
}

static json_object *pin(json_object *pinned, const char *path, const char *ifname, const char *mac)
{
    json_object *o = jobject();
    doc_put(o, "path", jstr(path));
    doc_put(o, "interface", jstr_or_null(ifname && *ifname ? ifname : NULL));
    doc_put(o, "mac", jstr(mac));
    doc_push(pinned, o);
    return o;
}

static const char *remedy_for(const struct net_cfg *k)
{
    if (!strcmp(k->format, "ifcfg"))
        return "Remove HWADDR=/MACADDR=/LLADDR= from the ifcfg file, or name the file and DEVICE= "
               "after the ENA interface (ens5, or eth0 with net.ifnames=0).";
    if (!strcmp(k->format, "netplan"))
        return "Replace `match: macaddress:` in netplan with `match: name: \"e*\"` (or driver: ena), "
               "then run netplan generate.";
    if (!strcmp(k->format, "networkd"))
        return "Match the interface by Name= or Driver=ena instead of its old MAC address.";
    if (!strcmp(k->format, "nm"))
        return "Remove mac-address= from the NetworkManager connection.";
    return "Configure the interface by the name it will have instead of its old MAC address.";
}

/* Findings for each configuration that misses or needs a look. */
static void config_findings(struct scan_ctx *c, struct net_facts *f, int ok, json_object *pinned)
{
    enum severity stale = ok ? SEV_INFO : SEV_WARNING;
    for (int i = 0; i < f->rules.n; i++) {
        const struct net_rule *r = &f->rules.r[i];
        pin(pinned, r->path, r->name, r->mac);
        json_object *x = report_add_findingf(c->r, F_NET_PERSISTENT_RULES, c->root_volume,
            "Remove /etc/udev/rules.d/70-persistent-net.rules before migrating (and the "
            "generator rule 75-persistent-net-generator.rules if present).", "%s", r->path);
        report_finding_evidence(x, "%s: %s", r->path, r->line);
        report_finding_severity(x, stale);
    }
    for (int i = 0; i < f->cfgs.n; i++) {
        struct net_cfg *k = &f->cfgs.v[i];
        if (!k->active)
            continue;
        if (k->bind == NET_BIND_MAC || (k->mac_set && k->brings_up)) {
            pin(pinned, k->path, k->name, k->mac);
            json_object *x = report_add_findingf(c->r, F_NET_MAC_PINNED, c->root_volume,
                                                 remedy_for(k), "%s", k->path);
            report_finding_evidence(x, "%s:%u: %s", k->path, k->line, k->evidence);
            if (k->bind != NET_BIND_MAC)
                report_finding_evidence(x, "sets the old MAC %s on the ENA interface", k->mac);
            report_finding_severity(x, k->bind == NET_BIND_MAC ? stale : SEV_WARNING);
        } else if (k->bind == NET_BIND_NAME && !k->brings_up && !k->is_virtual && !k->is_link &&
                   k->onboot) {
            json_object *x = report_add_findingf(c->r, F_NET_NAME_GONE, c->root_volume,
                "Configure the interface under the name it will have on the instance, or remove "
                "this configuration.", "%s (%s)", k->path, k->name);
            report_finding_evidence(x, "%s:%u: %s", k->path, k->line, k->evidence);
            report_finding_evidence(x, "the instance's interface will be %s", f->pred.name);
            report_finding_severity(x, stale);
        }
    }
}

/* The address of what a configuration brings up: a member's is its master's. */
static const struct net_cfg *carrier(struct net_cfgs *l, const struct net_cfg *k)
{
    const struct net_cfg *m = k->master[0] ? master_of(l, k) : NULL;
    return m ? m : k;
}

static void static_findings(struct scan_ctx *c, struct net_facts *f)
{
    for (int i = 0; i < f->cfgs.n; i++) {
        struct net_cfg *k = &f->cfgs.v[i];
        if (!k->brings_up || k->is_link || k->is_virtual)
            continue;
        const struct net_cfg *a = carrier(&f->cfgs, k);
        if (a->addr != NET_ADDR_STATIC)
            continue;
        json_object *x = report_add_findingf(c->r, F_NET_STATIC_ADDRESS, c->root_volume,
            "Use DHCP on the instance, or keep the server's private IP in a subnet with the same "
            "gateway (the migration's copy-private-IP launch setting can).", "%s", a->path);
        report_finding_evidence(x, "%s:%u: %s", a->path, a->line, a->evidence);
    }
}

static int eth_only(const struct net_facts *f)
{
    int named = 0;
    if (!strncmp(f->pred.name, "eth", 3))
        return 0;
    for (int i = 0; i < f->cfgs.n; i++) {
        const struct net_cfg *k = &f->cfgs.v[i];
        if (!k->active || k->is_link || k->is_virtual)
            continue;
        if (k->bind != NET_BIND_NAME || !net_name_matches(k->name, "eth0"))
            return 0;
        named = 1;
    }
    return named;
}

static void primary_finding(struct scan_ctx *c, struct net_facts *f)
{
    int eth = eth_only(f);
    char remedy[600];
    if (f->pred.shifted)
        str_fmt(remedy, sizeof remedy, "Remove the persistent-net rules for the old MAC so the "
                "ENA interface becomes eth0, and configure eth0 with DHCP, bound by name and not "
                "by MAC, before migrating.");
    else
        str_fmt(remedy, sizeof remedy,
                "Configure %s with DHCP, bound by name and not by MAC (or by a glob such as e*), "
                "before migrating%s.", f->pred.name,
                eth ? ", or add net.ifnames=0 to the kernel command line (GRUB_CMDLINE_LINUX)" : "");
    json_object *x = report_add_findingf(c->r, eth ? F_NET_ETH0_ONLY : F_NET_NO_PRIMARY_CONFIG,
                                         c->root_volume, remedy, "%s", f->pred.name);
    report_finding_evidence(x, "the instance's interface will be %s: %s", f->pred.name,
                            f->pred.reason);
    int shown = 0, statics = 0, configs = 0;
    for (int i = 0; i < f->cfgs.n; i++) {
        const struct net_cfg *k = &f->cfgs.v[i];
        if (k->is_link)
            continue;
        configs++;
        statics += k->addr == NET_ADDR_STATIC;
        if (shown++ < EVIDENCE_CONFIGS)
            report_finding_evidence(x, "%s:%u: %s: %s", k->path, k->line, k->evidence, k->why);
    }
    if (!configs)
        report_finding_evidence(x, "no interface configuration found");
    else if (statics == configs)
        report_finding_evidence(x, "every configuration found has a static address, and none "
                                   "is bound to %s", f->pred.name);
    if (f->cloud_init_renders) {
        report_finding_evidence(x, "cloud-init is installed with network configuration enabled "
                                   "(datasource list: %s): on the first boot on EC2 it writes a "
                                   "DHCP configuration for the new interface, so the instance "
                                   "should come up reachable",
                                f->ci.have_datasources ? f->ci.datasources : "default, with Ec2");
        report_finding_severity(x, SEV_WARNING);
    }
}

static json_object *config_json(const struct net_cfg *k)
{
    json_object *o = jobject();
    doc_put(o, "path", jstr(k->path));
    doc_put(o, "line", jint((int)k->line));
    doc_put(o, "format", jstr(k->format));
    doc_put(o, "binds", jstr(bind_str(k->bind)));
    doc_put(o, "interface", jstr_or_null(k->name[0] ? k->name : NULL));
    doc_put(o, "mac", jstr_or_null(k->mac[0] ? k->mac : NULL));
    doc_put(o, "sets_mac", jbool(k->mac_set));
    doc_put(o, "driver", jstr_or_null(k->driver[0] ? k->driver : NULL));
    doc_put(o, "renames_to", jstr_or_null(k->set_name[0] ? k->set_name : NULL));
    doc_put(o, "address", jstr(addr_str(k->addr)));
    doc_put(o, "master", jstr_or_null(k->master[0] ? k->master : NULL));
    doc_put(o, "virtual", jbool(k->is_virtual));
    doc_put(o, "on_boot", jbool(k->onboot));
    doc_put(o, "service_active", jbool(k->active));
    doc_put(o, "brings_up_primary", jbool(k->brings_up));
    doc_put(o, "why", jstr(k->why ? k->why : ""));
    doc_put(o, "evidence", jstr(k->evidence));
    return o;
}

static json_object *services_json(const struct net_stacks *st)
{
    json_object *a = jarray();
    for (int i = 0; i < NET_FMT_COUNT; i++) {
        const struct net_stack *s = &st->s[i];
        json_object *o = jobject();
        doc_put(o, "format", jstr(s->format));
        doc_put(o, "installed", jbool(s->installed));
        doc_put(o, "enabled", s->enabled < 0 ? NULL
                              : jbool(s->enabled));
        doc_put(o, "evidence", jstr_or_null(s->evidence[0] ? s->evidence : NULL));
        doc_push(a, o);
    }
    return a;
}

static json_object *cloud_init_json(const struct net_facts *f)
{
    const struct net_cloudinit *ci = &f->ci;
    json_object *o = jobject();
    doc_put(o, "installed", jbool(ci->installed));
    doc_put(o, "disabled", jbool(ci->disabled));
    doc_put(o, "network_config_disabled", jbool(ci->network_disabled));
    doc_put(o, "datasource_list", jstr_or_null(ci->have_datasources ? ci->datasources : NULL));
    doc_put(o, "writes_primary_config", jbool(f->cloud_init_renders));
    json_object *ev = jarray();
    if (ci->network_where[0])
        doc_push(ev, jstr(ci->network_where));
    if (ci->datasources_where[0])
        doc_push(ev, jstr(ci->datasources_where));
    doc_put(o, "evidence", ev);
    return o;
}

static void assume(json_object *a, const char *s)
{
    doc_push(a, jstr(s));
}

json_object *net_report(struct scan_ctx *c, struct net_facts *f)
{
    json_object *pinned = jarray(), *assumed = jarray();
    int ok = judge_all(f);
    int any_config = 0;
    for (int i = 0; i < f->cfgs.n; i++)
        any_config |= f->cfgs.v[i].active && !f->cfgs.v[i].is_link;
    if (!ok && !any_config && f->nm_auto_default) {
        ok = 1;
        assume(assumed, "no interface configuration is read at boot, so NetworkManager makes "
                        "its automatic DHCP connection for the new interface");
    }
    if (f->stacks.none_found)
        assume(assumed, "no network service found on the disk: every configuration format is "
                        "taken as read at boot");
    for (int i = 0; i < NET_FMT_COUNT; i++)
        if (f->stacks.s[i].installed && f->stacks.s[i].enabled < 0) {
            char s[160];
            str_fmt(s, sizeof s, "%s: installed, no sign whether it starts at boot; taken as "
                    "started", f->stacks.s[i].format);
            assume(assumed, s);
        }
    if (f->pred.predictable)
        assume(assumed, "ens5 is the usual name of the ENA interface on Nitro; the PCI slot, "
                        "and so the name, depends on the instance type");
    if (f->cfgs.dropped)
        assume(assumed, "more configurations than the scanner keeps: the rest were not judged");

    config_findings(c, f, ok, pinned);
    static_findings(c, f);
    if (!ok)
        primary_finding(c, f);

    json_object *o = jobject();
    doc_put(o, "persistent_rules", jbool(f->rules.n > 0));
    doc_put(o, "mac_pinned", pinned);
    doc_put(o, "predictable_names", jbool(f->pred.predictable));
    doc_put(o, "cloud_init", jbool(f->ci.installed));
    json_object *p = jobject();
    doc_put(p, "name", jstr(f->pred.name));
    doc_put(p, "reason", jstr(f->pred.reason));
    doc_put(o, "predicted_primary", p);
    doc_put(o, "primary_configured", jbool(ok));
    json_object *cfgs = jarray();
    for (int i = 0; i < f->cfgs.n; i++)
        doc_push(cfgs, config_json(&f->cfgs.v[i]));
    doc_put(o, "configs", cfgs);
    doc_put(o, "services", services_json(&f->stacks));
    doc_put(o, "cloud_init_detail", cloud_init_json(f));
    doc_put(o, "assumptions", assumed);
    return o;
}
