/* fstab and crypttab: device names that change when disks become NVMe, and
 * non-root mounts that stop the boot when their disk is missing. */
#include "nitro_int.h"

#include "inspector/fstab_spec.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int is_unstable_devname(const char *spec)
{
    static const char *const pre[] = { "/dev/sd", "/dev/xvd", "/dev/hd", "/dev/vd" };
    for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++) {
        size_t n = strlen(pre[i]);
        if (!strncmp(spec, pre[i], n) && islower((unsigned char)spec[n]))
            return 1;
    }
    return 0;
}

static int is_pseudo(const char *spec, const char *type, const char *options)
{
    static const char *const t[] = { "proc", "sysfs", "tmpfs", "devpts", "devtmpfs",
        "cgroup", "cgroup2", "securityfs", "debugfs", "hugetlbfs", "mqueue", "nfs",
        "nfs4", "cifs", "smbfs", "fuse", "sshfs", "autofs", "binfmt_misc", "efivarfs",
        "usbfs", "none", "rpc_pipefs", "nfsd", "glusterfs", "ceph", NULL };
    for (int i = 0; t[i]; i++)
        if (!strcmp(type, t[i]))
            return 1;
    if (strstr(options, "bind"))
        return 1;
    return !strcmp(spec, "none") || strchr(spec, ':') != NULL;
}

static int has_opt(const char *options, const char *o)
{
    size_t n = strlen(o);
    for (const char *p = options; (p = strstr(p, o)); p += n)
        if ((p == options || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
            return 1;
    return 0;
}

struct fs_ctx {
    struct scan_ctx *c;
    json_object *arr;
    const char *path;
    int crypttab;
};

static const char *distro_remedy_fstab(void)
{
    return "Use UUID= or LABEL= instead of the kernel device name (find them with blkid), "
           "then test the change before migrating.";
}

static int fstab_line(char *raw, void *opaque)
{
    struct fs_ctx *x = opaque;
    char *line = trim(raw);
    if (!*line || *line == '#')
        return 0;
    /* Split a copy: fields are unescaped in place (\040 is a space), the
     * line itself stays as evidence. */
    char *copy = strdup(line), *fld[4] = {NULL, NULL, NULL, NULL};
    if (!copy)
        return 0;
    int nf = fstab_split(copy, fld);
    if (x->crypttab) {
        /* name device keyfile options */
        if (nf >= 2 && is_unstable_devname(fld[1])) {
            json_object *f = report_add_findingf(x->c->r, F_BOOT_CRYPTTAB_DEVNAME,
                x->c->root_volume, distro_remedy_fstab(), "%s", fld[1]);
            report_finding_evidence(f, "%s: %s", x->path, line);
        }
        free(copy);
        return 0;
    }
    if (nf < 3) {
        free(copy);
        return 0;
    }
    const char *spec = fld[0], *mp = fld[1], *type = fld[2];
    const char *opts = nf >= 4 ? fld[3] : "defaults";
    const char *issue = NULL;
    int is_root = !strcmp(mp, "/");
    if (is_unstable_devname(spec)) {
        issue = "devname";
        json_object *f = report_add_findingf(x->c->r, F_BOOT_FSTAB_DEVNAME, x->c->root_volume,
            distro_remedy_fstab(), "%s on %s", spec, mp);
        report_finding_evidence(f, "%s: %s", x->path, line);
    } else if (!is_root && strcmp(type, "swap") && !is_pseudo(spec, type, opts) &&
               !has_opt(opts, "nofail") && !has_opt(opts, "noauto")) {
        issue = "no_nofail";
        json_object *f = report_add_findingf(x->c->r, F_BOOT_FSTAB_NOFAIL, x->c->root_volume,
            "Add nofail to the options of non-root mounts so a missing volume does not stop the "
            "boot.", "%s", mp);
        report_finding_evidence(f, "%s: %s", x->path, line);
    }
    json_object *e = json_object_new_object();
    json_object_object_add(e, "spec", jstr(spec));
    json_object_object_add(e, "mountpoint", jstr(mp));
    json_object_object_add(e, "type", jstr(type));
    json_object_object_add(e, "options", jstr(opts));
    json_object_object_add(e, "issue", jstr_or_null(issue));
    json_object_array_add(x->arr, e);
    free(copy);
    return 0;
}

json_object *fstab_scan(struct scan_ctx *c)
{
    size_t len;
    json_object *arr = json_object_new_array();
    char *buf = read_small(c->v, "/etc/fstab", 1u << 20, &len);
    if (buf) {
        struct fs_ctx x = { c, arr, "/etc/fstab", 0 };
        for_each_line(buf, len, fstab_line, &x);
        free(buf);
    }
    return arr;
}

void crypttab_scan(struct scan_ctx *c)
{
    size_t len;
    char *buf = read_small(c->v, "/etc/crypttab", 1u << 20, &len);
    if (buf) {
        struct fs_ctx x = { c, NULL, "/etc/crypttab", 1 };
        for_each_line(buf, len, fstab_line, &x);
        free(buf);
    }
}
