/* fstab and crypttab: device names that change when disks become NVMe,
 * UUID= and LABEL= names that match no filesystem on the disks, and mounts
 * on other disks than the root's that stop the boot when that disk is
 * missing. */
#include "nitro_int.h"

#include "common/fstab_spec.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/xalloc.h"

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
    struct disk_names *dn;
    json_object *arr;
    const char *path;
    int crypttab;
    int lineno;
};

/* Whether the mount lies on the root's own disk, where nofail buys
 * nothing: from the disks when they were read, else /boot and below (the
 * firmware finds the loader on the disk it boots). */
static int on_root_disk(const struct fs_ctx *x, const char *spec, const char *mp)
{
    if (x->dn->fs.checked) {
        int i = known_fs_find(&x->dn->fs, spec);
        return i >= 0 && x->dn->fs.volume[i] == x->c->root_volume;
    }
    return !strcmp(mp, "/boot") || !strncmp(mp, "/boot/", 6);
}

static void crypttab_entry(struct fs_ctx *x, char **fld, int nf, const char *ev)
{
    /* name device keyfile options */
    if (nf < 2)
        return;
    if (!devname_check(x->c, x->dn, F_BOOT_CRYPTTAB_DEVNAME, SEV_BLOCKER, fld[1], fld[1], ev, NULL))
        content_name_check(x->c, x->dn, fld[1], 0, ev);
}

static int fstab_line(char *raw, void *opaque)
{
    struct fs_ctx *x = opaque;
    char *line = trim(raw), ev[4700], detail[1100];
    x->lineno++;
    if (!*line || *line == '#')
        return 0;
    /* Split a copy: fields are unescaped in place (\040 is a space), the
     * line itself stays as evidence. */
    _cleanup_free_ char *copy = xstrdup(line);
    char *fld[4] = {NULL, NULL, NULL, NULL};
    int nf = fstab_split(copy, fld);
    str_fmt(ev, sizeof ev, "%s:%d: %s", x->path, x->lineno, line);
    if (x->crypttab) {
        crypttab_entry(x, fld, nf, ev);
        return 0;
    }
    if (nf < 3)
        return 0;
    const char *spec = fld[0], *mp = fld[1], *type = fld[2];
    const char *opts = nf >= 4 ? fld[3] : "defaults";
    const char *issue = NULL;
    int is_root = !strcmp(mp, "/"), pseudo = is_pseudo(spec, type, opts);
    int noauto = has_opt(opts, "noauto");
    str_fmt(detail, sizeof detail, "%s on %s", spec, mp);
    if (devname_check(x->c, x->dn, F_BOOT_FSTAB_DEVNAME, SEV_BLOCKER, spec, detail, ev, NULL)) {
        issue = "devname";
    } else if (!pseudo && !noauto && content_name_check(x->c, x->dn, spec, is_root, ev)) {
        issue = "unresolved";
    } else if (!is_root && strcmp(type, "swap") && !pseudo && !has_opt(opts, "nofail") &&
               !noauto && !on_root_disk(x, spec, mp)) {
        issue = "no_nofail";
        json_object *f = report_add_findingf(x->c->r, F_BOOT_FSTAB_NOFAIL, x->c->root_volume,
            "Add nofail to the options of mounts on other disks than the root's, so a missing "
            "volume does not stop the boot.", "%s", mp);
        report_finding_evidence(f, "%s", ev);
    }
    int k = pseudo ? -1 : known_fs_find(&x->dn->fs, spec);
    /* A name only the guest's own configuration resolves (/dev/md0 by its
     * mdadm.conf ARRAY line): the filesystem mounted there is the one. */
    if (k < 0 && !pseudo)
        k = known_fs_at(&x->dn->fs, mp);
    json_object *e = jobject();
    doc_put(e, "spec", jstr(spec));
    doc_put(e, "mountpoint", jstr(mp));
    doc_put(e, "type", jstr(type));
    doc_put(e, "options", jstr(opts));
    doc_put(e, "issue", jstr_or_null(issue));
    doc_put(e, "filesystem", jstr_or_null(k >= 0 ? x->dn->fs.id[k].device : NULL));
    doc_push(x->arr, e);
    return 0;
}

json_object *fstab_scan(struct scan_ctx *c, struct disk_names *dn)
{
    size_t len;
    json_object *arr = jarray();
    char *buf = read_small(c->v, "/etc/fstab", 1u << 20, &len);
    if (buf) {
        struct fs_ctx x = { c, dn, arr, "/etc/fstab", 0, 0 };
        for_each_line(buf, len, fstab_line, &x);
        free(buf);
    }
    return arr;
}

void crypttab_scan(struct scan_ctx *c, struct disk_names *dn)
{
    size_t len;
    char *buf = read_small(c->v, "/etc/crypttab", 1u << 20, &len);
    if (buf) {
        struct fs_ctx x = { c, dn, NULL, "/etc/crypttab", 1, 0 };
        for_each_line(buf, len, fstab_line, &x);
        free(buf);
    }
}
