/* Network truth on trees laid out as migrated servers' configurations
 * (tests/nitro/make_network_fixtures.sh): the name the ENA interface will
 * get, each configuration's binding, and whether any brings it up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scanners/nitro/net_cfg.h"

static const char *fx;

struct net_run {
    struct report *r;
    json_object *net;
};

static struct net_run scan(const char *tree, const char *distro, const char *version,
                           const char *cmdline)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", fx, tree);
    vfs *v = vfs_dir_open(p);
    assert_non_null(v);
    struct scan_ctx c;
    memset(&c, 0, sizeof c);
    c.v = v;
    c.r = report_new();
    c.distro = distro;
    c.os_version = version;
    sscanf(version, "%d.%d", &c.os_major, &c.os_minor);
    struct net_run run = { c.r, network_scan(&c, cmdline) };
    assert_non_null(run.net);
    vfs_close(v);
    return run;
}

static void done(struct net_run *run)
{
    json_object_put(run->net);
    report_free(run->r);
}

static const char *get_s(json_object *o, const char *k)
{
    json_object *v;
    return o && json_object_object_get_ex(o, k, &v) && v ? json_object_get_string(v) : NULL;
}

static int get_b(json_object *o, const char *k)
{
    json_object *v;
    assert_true(json_object_object_get_ex(o, k, &v));
    return json_object_get_boolean(v);
}

static const char *predicted(struct net_run *run)
{
    json_object *p;
    assert_true(json_object_object_get_ex(run->net, "predicted_primary", &p));
    return get_s(p, "name");
}

static const char *reason(struct net_run *run)
{
    json_object *p;
    assert_true(json_object_object_get_ex(run->net, "predicted_primary", &p));
    return get_s(p, "reason");
}

static int findings(struct net_run *run, const char *id, const char *sev)
{
    int n = 0;
    for (size_t i = 0; i < json_object_array_length(run->r->findings); i++) {
        json_object *f = json_object_array_get_idx(run->r->findings, i);
        if (!strcmp(get_s(f, "id"), id) && (!sev || !strcmp(get_s(f, "severity"), sev)))
            n++;
    }
    return n;
}

static const char *finding_json(struct net_run *run, const char *id)
{
    for (size_t i = 0; i < json_object_array_length(run->r->findings); i++) {
        json_object *f = json_object_array_get_idx(run->r->findings, i);
        if (!strcmp(get_s(f, "id"), id))
            return json_object_to_json_string_ext(f, JSON_C_TO_STRING_NOSLASHESCAPE);
    }
    return "";
}

/* The configuration read from path that binds name (NULL: the first). */
static json_object *config(struct net_run *run, const char *path, const char *name)
{
    json_object *a;
    assert_true(json_object_object_get_ex(run->net, "configs", &a));
    for (size_t i = 0; i < json_object_array_length(a); i++) {
        json_object *c = json_object_array_get_idx(a, i);
        const char *n = get_s(c, "interface");
        if (!strcmp(get_s(c, "path"), path) && (!name || (n && !strcmp(n, name))))
            return c;
    }
    fail_msg("no config %s %s", path, name ? name : "");
    return NULL;
}

static int config_count(struct net_run *run)
{
    json_object *a;
    assert_true(json_object_object_get_ex(run->net, "configs", &a));
    return (int)json_object_array_length(a);
}

static void test_centos7_only_ens192_static(void **s)
{
    (void)s;
    struct net_run run = scan("centos7-ens192", "centos", "7.9", "ro crashkernel=auto rhgb");
    assert_string_equal(predicted(&run), "ens5");
    assert_false(get_b(run.net, "primary_configured"));
    assert_int_equal(config_count(&run), 1);     /* lo and the .bak file are not configs */
    json_object *c = config(&run, "/etc/sysconfig/network-scripts/ifcfg-ens192", "ens192");
    assert_string_equal(get_s(c, "binds"), "name");
    assert_string_equal(get_s(c, "address"), "static");
    assert_false(get_b(c, "brings_up_primary"));
    assert_int_equal(findings(&run, "NET-NO-PRIMARY-CONFIG", "blocker"), 1);
    assert_non_null(strstr(finding_json(&run, "NET-NO-PRIMARY-CONFIG"), "static address"));
    assert_int_equal(findings(&run, "NET-NAME-GONE", "warning"), 1);
    assert_int_equal(findings(&run, "NET-ETH0-ONLY", NULL), 0);
    done(&run);
}

static void test_centos6_persistent_rules_hwaddr(void **s)
{
    (void)s;
    struct net_run run = scan("centos6-persistent", "centos", "6.10", "ro root=UUID=x");
    /* the rules keep eth0 for the old MAC: the ENA interface becomes eth1 */
    assert_string_equal(predicted(&run), "eth1");
    assert_non_null(strstr(reason(&run), "70-persistent-net.rules"));
    assert_false(get_b(run.net, "predictable_names"));
    assert_true(get_b(run.net, "persistent_rules"));
    json_object *c = config(&run, "/etc/sysconfig/network-scripts/ifcfg-eth0", NULL);
    assert_string_equal(get_s(c, "binds"), "mac");
    assert_string_equal(get_s(c, "mac"), "00:50:56:8A:12:34");
    assert_int_equal(json_object_get_int(json_object_object_get(c, "line")), 2);
    assert_int_equal(findings(&run, "NET-NO-PRIMARY-CONFIG", "blocker"), 1);
    assert_int_equal(findings(&run, "NET-MAC-PINNED", NULL), 1);
    assert_int_equal(findings(&run, "NET-PERSISTENT-RULES", NULL), 1);
    done(&run);
}

static void test_ubuntu_netplan_macaddress(void **s)
{
    (void)s;
    struct net_run run = scan("ubuntu-netplan-mac", "ubuntu", "20.04", "ro quiet");
    /* set-name under a MAC match renames only the old NIC */
    assert_string_equal(predicted(&run), "ens5");
    json_object *c = config(&run, "/etc/netplan/50-cloud-init.yaml", NULL);
    assert_string_equal(get_s(c, "binds"), "mac");
    assert_string_equal(get_s(c, "mac"), "00:15:5d:01:02:03");
    assert_string_equal(get_s(c, "address"), "dhcp");
    assert_int_equal(json_object_get_int(json_object_object_get(c, "line")), 7);
    assert_int_equal(findings(&run, "NET-NO-PRIMARY-CONFIG", "blocker"), 1);
    assert_int_equal(findings(&run, "NET-MAC-PINNED", NULL), 1);
    done(&run);
}

static void test_ubuntu_netplan_glob_dhcp(void **s)
{
    (void)s;
    struct net_run run = scan("ubuntu-netplan-glob", "ubuntu", "20.04", "ro quiet");
    assert_true(get_b(run.net, "primary_configured"));
    json_object *c = config(&run, "/etc/netplan/01-netcfg.yaml", "en*");
    assert_true(get_b(c, "brings_up_primary"));
    assert_int_equal(json_object_array_length(run.r->findings), 0);
    done(&run);
}

static void test_debian_eth0_with_ifnames0(void **s)
{
    (void)s;
    struct net_run run = scan("debian-ifnames0", "debian", "11.9", "ro quiet net.ifnames=0 biosdevname=0");
    assert_string_equal(predicted(&run), "eth0");
    assert_non_null(strstr(reason(&run), "net.ifnames=0"));
    assert_true(get_b(run.net, "primary_configured"));
    /* from interfaces.d through source-directory; eth0.dpkg-old is skipped */
    json_object *c = config(&run, "/etc/network/interfaces.d/eth0", "eth0");
    assert_true(get_b(c, "on_boot"));
    assert_int_equal(config_count(&run), 1);
    assert_int_equal(findings(&run, "NET-NO-PRIMARY-CONFIG", NULL), 0);
    assert_int_equal(findings(&run, "NET-ETH0-ONLY", NULL), 0);
    /* the same tree without net.ifnames=0 on Debian 11: only eth0 */
    done(&run);
    run = scan("debian-ifnames0", "debian", "11.9", "ro quiet");
    assert_string_equal(predicted(&run), "ens5");
    assert_int_equal(findings(&run, "NET-ETH0-ONLY", "blocker"), 1);
    done(&run);
    /* Debian 8 had no predictable names */
    run = scan("debian-ifnames0", "debian", "8.11", "ro quiet");
    assert_string_equal(predicted(&run), "eth0");
    assert_true(get_b(run.net, "primary_configured"));
    done(&run);
}

static void test_networkd_ens192_static(void **s)
{
    (void)s;
    struct net_run run = scan("networkd-ens192", "debian", "12.5", "ro quiet");
    assert_string_equal(predicted(&run), "ens5");
    /* systemd's container and policy files are not configurations of ENA */
    assert_int_equal(config_count(&run), 2);
    json_object *d = config(&run, "/etc/systemd/network/20-vmxnet3.network", NULL);
    assert_string_equal(get_s(d, "driver"), "vmxnet3");
    assert_false(get_b(d, "brings_up_primary"));
    json_object *c = config(&run, "/etc/systemd/network/10-ens192.network", "ens192");
    assert_string_equal(get_s(c, "address"), "static");
    assert_true(get_b(c, "service_active"));
    assert_int_equal(findings(&run, "NET-NO-PRIMARY-CONFIG", "blocker"), 1);
    assert_int_equal(findings(&run, "NET-NAME-GONE", NULL), 1);
    done(&run);
}

static void test_networkd_link_renames(void **s)
{
    (void)s;
    struct net_run run = scan("networkd-link-rename", "debian", "12.5", "ro quiet");
    assert_string_equal(predicted(&run), "lan0");
    assert_non_null(strstr(reason(&run), "10-ena.link"));
    assert_true(get_b(run.net, "primary_configured"));
    assert_true(get_b(config(&run, "/etc/systemd/network/20-lan0.network", "lan0"),
                      "brings_up_primary"));
    /* the old MAC's .link and what it names are stale, not blocking */
    assert_string_equal(get_s(config(&run, "/etc/systemd/network/05-old.link", NULL), "renames_to"),
                        "wan0");
    assert_int_equal(findings(&run, "NET-MAC-PINNED", "info"), 1);
    assert_int_equal(findings(&run, "NET-NAME-GONE", "info"), 1);
    assert_int_equal(findings(&run, "NET-NO-PRIMARY-CONFIG", NULL), 0);
    done(&run);
}

static void test_nm_keyfile_mac(void **s)
{
    (void)s;
    struct net_run run = scan("nm-mac", "rocky", "9.3", "ro crashkernel=auto");
    assert_int_equal(config_count(&run), 2);   /* the wifi profile cannot carry ENA */
    json_object *c = config(&run, "/etc/NetworkManager/system-connections/eth0.nmconnection", NULL);
    assert_string_equal(get_s(c, "binds"), "mac");
    assert_string_equal(get_s(c, "address"), "dhcp");
    json_object *l = config(&run, "/etc/NetworkManager/system-connections/System eno1", "eno1");
    assert_string_equal(get_s(l, "address"), "static");
    assert_int_equal(findings(&run, "NET-NO-PRIMARY-CONFIG", "blocker"), 1);
    assert_int_equal(findings(&run, "NET-MAC-PINNED", NULL), 1);
    assert_int_equal(findings(&run, "NET-NAME-GONE", NULL), 1);
    done(&run);
}

static void test_bond_slaves_by_name(void **s)
{
    (void)s;
    struct net_run run = scan("rhel7-bond", "rhel", "7.9", "ro");
    json_object *b = config(&run, "/etc/sysconfig/network-scripts/ifcfg-bond0", "bond0");
    assert_true(get_b(b, "virtual"));
    assert_false(get_b(b, "brings_up_primary"));
    json_object *m = config(&run, "/etc/sysconfig/network-scripts/ifcfg-em1", "em1");
    assert_string_equal(get_s(m, "master"), "bond0");
    assert_int_equal(findings(&run, "NET-NO-PRIMARY-CONFIG", "blocker"), 1);
    assert_int_equal(findings(&run, "NET-NAME-GONE", NULL), 2);
    done(&run);
    /* a bond over ens5 and ens6 by DHCP brings ens5 up */
    run = scan("debian-bond-ens5", "debian", "10.13", "ro");
    assert_true(get_b(run.net, "primary_configured"));
    assert_true(get_b(config(&run, "/etc/network/interfaces", "bond0"), "brings_up_primary"));
    assert_string_equal(get_s(config(&run, "/etc/network/interfaces", "ens5"), "master"), "bond0");
    assert_int_equal(findings(&run, "NET-NO-PRIMARY-CONFIG", NULL), 0);
    assert_int_equal(findings(&run, "NET-STATIC-ADDRESS", NULL), 0);
    done(&run);
}

static void test_sles11_eth0(void **s)
{
    (void)s;
    struct net_run run = scan("sles11-eth0", "sles", "11.4", "root=/dev/disk/by-id/x");
    assert_string_equal(predicted(&run), "eth0");
    assert_false(get_b(run.net, "predictable_names"));
    assert_non_null(strstr(reason(&run), "no predictable interface names"));
    assert_true(get_b(run.net, "primary_configured"));
    assert_true(get_b(config(&run, "/etc/sysconfig/network/ifcfg-eth0", "eth0"), "brings_up_primary"));
    assert_int_equal(json_object_array_length(run.r->findings), 0);
    done(&run);
}

static void test_cloud_init_mitigates(void **s)
{
    (void)s;
    struct net_run run = scan("cloudinit-mitigates", "ubuntu", "18.04", "ro");
    json_object *ci = json_object_object_get(run.net, "cloud_init_detail");
    assert_true(get_b(ci, "writes_primary_config"));
    assert_string_equal(get_s(ci, "datasource_list"), "NoCloud, Ec2, None");
    assert_int_equal(findings(&run, "NET-NO-PRIMARY-CONFIG", "warning"), 1);
    assert_int_equal(findings(&run, "NET-NO-PRIMARY-CONFIG", "blocker"), 0);
    assert_non_null(strstr(finding_json(&run, "NET-NO-PRIMARY-CONFIG"), "cloud-init"));
    done(&run);
    /* network: {config: disabled} in cloud.cfg.d: it writes nothing */
    run = scan("cloudinit-disabled", "ubuntu", "18.04", "ro");
    ci = json_object_object_get(run.net, "cloud_init_detail");
    assert_true(get_b(ci, "network_config_disabled"));
    assert_false(get_b(ci, "writes_primary_config"));
    assert_int_equal(findings(&run, "NET-NO-PRIMARY-CONFIG", "blocker"), 1);
    done(&run);
}

static void test_static_on_primary_and_inactive_format(void **s)
{
    (void)s;
    struct net_run run = scan("debian-static-ens5", "debian", "12.5", "ro quiet");
    assert_true(get_b(run.net, "primary_configured"));
    assert_int_equal(findings(&run, "NET-STATIC-ADDRESS", "warning"), 1);
    /* netplan is not installed: its file is listed but not read at boot */
    json_object *np = config(&run, "/etc/netplan/01-old.yaml", "ens33");
    assert_false(get_b(np, "service_active"));
    /* networkd is installed but nothing starts it */
    json_object *svc = json_object_array_get_idx(json_object_object_get(run.net, "services"), 1);
    assert_string_equal(get_s(svc, "format"), "networkd");
    assert_true(get_b(svc, "installed"));
    assert_false(get_b(svc, "enabled"));
    assert_int_equal(findings(&run, "NET-NAME-GONE", NULL), 0);
    done(&run);
}

int main(void)
{
    fx = getenv("NETWORK_FIXTURES");
    if (!fx) {
        fprintf(stderr, "NETWORK_FIXTURES not set\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_centos7_only_ens192_static),
        cmocka_unit_test(test_centos6_persistent_rules_hwaddr),
        cmocka_unit_test(test_ubuntu_netplan_macaddress),
        cmocka_unit_test(test_ubuntu_netplan_glob_dhcp),
        cmocka_unit_test(test_debian_eth0_with_ifnames0),
        cmocka_unit_test(test_networkd_ens192_static),
        cmocka_unit_test(test_networkd_link_renames),
        cmocka_unit_test(test_nm_keyfile_mac),
        cmocka_unit_test(test_bond_slaves_by_name),
        cmocka_unit_test(test_sles11_eth0),
        cmocka_unit_test(test_cloud_init_mitigates),
        cmocka_unit_test(test_static_on_primary_and_inactive_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
