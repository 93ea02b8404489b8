/* cloud-init's settings that decide whether it writes a network
 * configuration for the new NIC on the first boot on EC2: network: {config:
 * disabled} and datasource_list.  cloud.cfg first, then cloud.cfg.d in
 * order: a later file wins. */
#include "net_cfg.h"
#include "net_yaml.h"
#include "nitro_int.h"

#include <string.h>
#include <strings.h>

void net_cloudinit_parse(struct net_cloudinit *ci, const char *path, const char *buf,
                         size_t len)
{
    struct ytree t;
    if (ytree_parse(&t, buf, len) < 0) {
        ytree_free(&t);
        return;
    }
    int root = ytree_root(&t);
    int net = ytree_get(&t, root, "network");
    const char *cfg = ytree_str(&t, ytree_get(&t, net, "config"));
    if (cfg) {
        ci->network_disabled = !strcmp(cfg, "disabled");
        str_fmt(ci->network_where, sizeof ci->network_where, "%s:%u: network: config: %s",
                path, t.n[net].line, cfg);
    }
    int ds = ytree_get(&t, root, "datasource_list");
    if (ds >= 0 && t.n[ds].type == Y_SEQ) {
        ci->have_datasources = 1;
        ci->ec2_listed = 0;
        ci->datasources[0] = '\0';
        size_t used = 0;
        for (int e = ytree_seq_next(&t, ds, -1); e >= 0; e = ytree_seq_next(&t, ds, e)) {
            const char *s = ytree_str(&t, e);
            if (!s)
                continue;
            if (!strcasecmp(s, "Ec2"))
                ci->ec2_listed = 1;
            if (used < sizeof ci->datasources - 1) {
                str_fmt(ci->datasources + used, sizeof ci->datasources - used, "%s%s",
                        used ? ", " : "", s);
                used = strlen(ci->datasources);
            }
        }
        str_fmt(ci->datasources_where, sizeof ci->datasources_where, "%s:%u", path,
                t.n[ds].line);
    }
    ytree_free(&t);
}
