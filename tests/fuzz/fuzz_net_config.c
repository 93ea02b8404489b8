/* Each network configuration parser on one file's bytes: byte 0 picks the
 * parser (ifcfg, networkd .network and .link, NetworkManager keyfile,
 * netplan, ifupdown, udev rules, cloud-init), the rest is the file.  Every
 * model field a parser fills must stay a terminated string. */
#include "fuzz.h"
#include "scanners/nitro/net_cfg.h"

#include <stdlib.h>
#include <string.h>

static void check(const struct net_cfgs *l)
{
    for (int i = 0; i < l->n; i++) {
        const struct net_cfg *c = &l->v[i];
        if (strnlen(c->name, sizeof c->name) == sizeof c->name ||
            strnlen(c->mac, sizeof c->mac) == sizeof c->mac ||
            strnlen(c->master, sizeof c->master) == sizeof c->master ||
            strnlen(c->evidence, sizeof c->evidence) == sizeof c->evidence)
            abort();
        (void)net_name_matches(c->name, "ens5");
    }
    if (l->n > NET_CFG_MAX)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *buf = (const char *)data + 1;
    size_t len = size - 1;
    struct net_cfgs l;
    memset(&l, 0, sizeof l);
    switch (data[0] % 9) {
    case 0: net_ifcfg_parse(&l, "/etc/sysconfig/network-scripts/ifcfg-eth0", buf, len); break;
    case 1: net_networkd_parse(&l, "/etc/systemd/network/10.network", buf, len); break;
    case 2: net_networkd_parse(&l, "/etc/systemd/network/10.link", buf, len); break;
    case 3: net_nm_parse(&l, "/etc/NetworkManager/system-connections/x", buf, len); break;
    case 4: net_netplan_parse(&l, "/etc/netplan/50.yaml", buf, len); break;
    case 5: {
        struct net_ifupdown *st = calloc(1, sizeof *st);
        if (st) {
            net_ifupdown_parse(&l, st, "/etc/network/interfaces", buf, len);
            net_ifupdown_finish(&l, st);
            if (st->nsources > NET_IFUP_SOURCES || st->nautos > NET_IFUP_AUTOS)
                abort();
        }
        free(st);
        break;
    }
    case 6: {
        struct net_rules *rs = calloc(1, sizeof *rs);
        if (rs)
            net_udev_rules_parse(rs, "/etc/udev/rules.d/70-persistent-net.rules", buf, len);
        if (rs && rs->n > NET_RULES_MAX)
            abort();
        free(rs);
        break;
    }
    case 7: {
        struct net_cloudinit ci;
        memset(&ci, 0, sizeof ci);
        net_cloudinit_parse(&ci, "/etc/cloud/cloud.cfg", buf, len);
        break;
    }
    default:
        net_ifcfg_parse(&l, "/etc/sysconfig/network/ifcfg-bond0", buf, len);
        break;
    }
    check(&l);
    net_cfgs_free(&l);
    return 0;
}
