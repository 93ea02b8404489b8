/* Settings that break the next boot on Nitro although today's boot works:
 * the next initramfs rebuild (rebuild.c), the LVM devices file, Xen driver
 * aliases; and AWS MGN's own leftovers. */
#include "nitro_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mctx {
    struct scan_ctx *c;
    const char *path;
    const struct kernel_list *kl;
};

static int xen_alias_line(char *raw, void *opaque)
{
    struct mctx *m = opaque;
    char *line = trim(raw);
    if (*line == '#' || strncmp(line, "alias", 5))
        return 0;
    if (!strstr(line, "xennet") && !strstr(line, "xenblk") && !strstr(line, "xen-netfront") &&
        !strstr(line, "xen-blkfront") && !strstr(line, "xen_netfront") &&
        !strstr(line, "xen_blkfront") && !strstr(line, "xen-vnif") && !strstr(line, "xen-vbd"))
        return 0;
    json_object *f = report_add_findingf(m->c->r, F_BOOT_XEN_ALIASES, m->c->root_volume,
        "Remove the Xen aliases (eth0 -> xennet, scsi_hostadapter -> xenblk) from the modprobe "
        "configuration.", "%s", m->path);
    report_finding_evidence(f, "%s: %s", m->path, line);
    return 0;
}

static void scan_file(struct mctx *m, const char *path, line_fn fn)
{
    m->path = path;
    for_each_config_line(m->c->v, path, fn, m);
}

static void scan_dir(struct mctx *m, const char *dir, const char *suffix, line_fn fn)
{
    char **names = NULL, p[600];
    if (vfs_list(m->c->v, dir, &names) < 0)
        return;
    for (char **n = names; *n; n++) {
        size_t l = strlen(*n), sl = strlen(suffix);
        if (l < sl || strcmp(*n + l - sl, suffix))
            continue;
        str_fmt(p, sizeof p, "%s/%s", dir, *n);
        scan_file(m, p, fn);
    }
    vfs_free_names(names);
}

void misc_scan(struct scan_ctx *c, const struct kernel_list *kl)
{
    struct mctx m = { c, NULL, kl };
    rebuild_scan(c, kl);
    scan_file(&m, "/etc/modprobe.conf", xen_alias_line);
    scan_dir(&m, "/etc/modprobe.d", ".conf", xen_alias_line);
    if (vfs_exists(c->v, "/etc/lvm/devices/system.devices")) {
        json_object *f = report_add_findingf(c->r, F_BOOT_LVM_DEVICES_FILE, c->root_volume,
            "Remove /etc/lvm/devices/system.devices (or set use_devicesfile=0 in lvm.conf) "
            "before migrating; recreate it with vgimportdevices -a on the instance.",
            "%s", "/etc/lvm/devices/system.devices");
        report_finding_evidence(f, "/etc/lvm/devices/system.devices exists");
    }
}

void mgn_scan(struct scan_ctx *c)
{
    char **names = NULL;
    json_object *f = NULL;
    if (vfs_list(c->v, "/boot", &names) == 0) {
        for (char **n = names; *n; n++) {
            if (strncmp(*n, "aws-launch-initramfs-", 21) && strncmp(*n, "aws-launch-initrd", 17))
                continue;
            if (!f)
                f = report_add_finding(c->r, F_NITRO_MGN_LEFTOVER, c->root_volume,
                    "These files belong to AWS MGN's launch process, not to the distribution; "
                    "remove them after a successful cutover.", NULL);
            report_finding_evidence(f, "/boot/%s", *n);
        }
        vfs_free_names(names);
    }
    if (vfs_exists(c->v, "/var/lib/aws-replication-agent")) {
        if (!f)
            f = report_add_finding(c->r, F_NITRO_MGN_LEFTOVER, c->root_volume,
                "These files belong to AWS MGN's replication agent; remove the agent after "
                "cutover.", NULL);
        report_finding_evidence(f, "/var/lib/aws-replication-agent");
    }
}
