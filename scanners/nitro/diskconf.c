/* Disk names in the files that act at the next GRUB regeneration or
 * reinstall and when md arrays are assembled: /etc/default/grub and
 * /etc/sysconfig/grub (GRUB_CMDLINE_*), GRUB's device.map, and mdadm.conf
 * (DEVICE lines that let mdadm scan only the old disks, ARRAY devices=). */
#include "nitro_int.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct dctx {
    struct scan_ctx *c;
    struct disk_names *dn;
    const char *path;
    int lineno;
    /* mdadm.conf */
    int arrays;             /* ARRAY lines: arrays the boot assembles */
    int device_words;       /* words of DEVICE lines */
    int device_sees_nvme;   /* one of them matches NVMe names, or "partitions" */
    char device_lines[4][512];
    int ndevice_lines;
    char keyword[16];       /* of the line a continuation line continues */
};

static int default_grub_line(char *raw, void *opaque)
{
    struct dctx *d = opaque;
    char *line = trim(raw), where[700], *name, *val;
    int append;
    d->lineno++;
    if (strncmp(line, "GRUB_CMDLINE_", 13) || !shell_assignment(line, &name, &append, &val))
        return 0;
    str_fmt(where, sizeof where, "%s:%d", d->path, d->lineno);
    /* the next grub-mkconfig or update-grub writes these into every entry */
    cmdline_devnames(d->c, d->dn, val, where, SEV_WARNING);
    return 0;
}

static int device_map_line(char *raw, void *opaque)
{
    struct dctx *d = opaque;
    char *line = trim(raw), drive[64], dev[512], ev[1200];
    d->lineno++;
    if (*line == '#' || sscanf(line, "%63s %511s", drive, dev) != 2)
        return 0;
    str_fmt(ev, sizeof ev, "%s:%d: %s", d->path, d->lineno, line);
    devname_flag(d->c, d->dn, F_BOOT_CONFIG_DEVNAME, SEV_WARNING, dev, d->path, ev,
        "GRUB reads device.map when it is installed again (grub-install, or GRUB legacy's "
        "setup): remove the file (GRUB 2 makes a new one) or map the drive to the NVMe name "
        "after the move.");
    return 0;
}

static int sees_nvme(const char *pattern)
{
    static const char *const nvme[] = { "/dev/nvme0n1", "/dev/nvme0n1p1", "/dev/nvme1n1" };
    if (!strcmp(pattern, "partitions") || !strcmp(pattern, "containers"))
        return 1;
    for (size_t i = 0; i < sizeof nvme / sizeof nvme[0]; i++)
        if (fnmatch(pattern, nvme[i], 0) == 0)
            return 1;
    return 0;
}

static int mdadm_line(char *raw, void *opaque)
{
    struct dctx *d = opaque;
    int continued = raw[0] == ' ' || raw[0] == '\t';
    char *line = trim(raw), *save = NULL, ev[1200];
    d->lineno++;
    if (!*line || *line == '#')
        return 0;
    str_fmt(ev, sizeof ev, "%s:%d: %s", d->path, d->lineno, line);
    char *w = strtok_r(line, " \t", &save);
    if (!continued) {
        str_fmt(d->keyword, sizeof d->keyword, "%s", w);
        w = strtok_r(NULL, " \t", &save);
    }
    /* mdadm takes the first four letters of a keyword */
    if (!strncasecmp(d->keyword, "ARRA", 4)) {
        if (!continued)
            d->arrays++;
        for (; w; w = strtok_r(NULL, " \t", &save)) {
            if (strncmp(w, "devices=", 8))
                continue;
            char *list = w + 8, *s2 = NULL;
            for (char *m = strtok_r(list, ",", &s2); m; m = strtok_r(NULL, ",", &s2))
                devname_flag(d->c, d->dn, F_BOOT_CONFIG_DEVNAME, SEV_BLOCKER, m, d->path, ev,
                    "Remove devices= from the ARRAY line: the array's UUID= finds its members "
                    "on any disk.");
        }
    } else if (!strncasecmp(d->keyword, "DEVI", 4)) {
        for (; w; w = strtok_r(NULL, " \t", &save)) {
            d->device_words++;
            d->device_sees_nvme |= sees_nvme(w);
        }
        if (d->ndevice_lines < 4)
            str_fmt(d->device_lines[d->ndevice_lines++], sizeof d->device_lines[0], "%s", ev);
    }
    return 0;
}

static void scan_lines(struct dctx *d, const char *path, line_fn fn)
{
    d->path = path;
    d->lineno = 0;
    for_each_config_line(d->c->v, path, fn, d);
}

static void mdadm_scan(struct dctx *d, const char *path)
{
    d->arrays = d->device_words = d->device_sees_nvme = d->ndevice_lines = 0;
    d->keyword[0] = '\0';
    scan_lines(d, path, mdadm_line);
    if (!d->device_words || d->device_sees_nvme)
        return;
    json_object *f = report_add_findingf(d->c->r, F_BOOT_CONFIG_DEVNAME, d->c->root_volume,
        "Write DEVICE partitions (or remove the DEVICE lines) so that mdadm scans every disk, "
        "then rebuild the initramfs, which carries a copy of mdadm.conf.",
        "DEVICE lines of %s match no NVMe disk", path);
    report_finding_severity(f, d->arrays ? SEV_BLOCKER : SEV_WARNING);
    for (int i = 0; i < d->ndevice_lines; i++)
        report_finding_evidence(f, "%s", d->device_lines[i]);
    report_finding_evidence(f, "%d ARRAY line(s) would not be assembled on NVMe disks", d->arrays);
}

void diskconf_scan(struct scan_ctx *c, struct disk_names *dn)
{
    struct dctx d;
    struct vfs_stat st;
    memset(&d, 0, sizeof d);
    d.c = c;
    d.dn = dn;
    scan_lines(&d, "/etc/default/grub", default_grub_line);
    /* RHEL's /etc/sysconfig/grub is a link to /etc/default/grub */
    if (vfs_lstat(c->v, "/etc/sysconfig/grub", &st) == 0 && st.type != VFS_LNK)
        scan_lines(&d, "/etc/sysconfig/grub", default_grub_line);
    scan_lines(&d, "/boot/grub/device.map", device_map_line);
    scan_lines(&d, "/boot/grub2/device.map", device_map_line);
    mdadm_scan(&d, "/etc/mdadm.conf");
    mdadm_scan(&d, "/etc/mdadm/mdadm.conf");
}
