/* What the default kernel needs in its initramfs to mount the root: the
 * root filesystem's own module, device-mapper for LVM and LUKS (dm_crypt),
 * md and the array's personality for RAID.  The layers come from the
 * report (the inspector followed them on the disks), or under --root from
 * fstab and the command line; a module the kernel has built in needs
 * nothing. */
#include "nitro_int.h"

#include <stdio.h>
#include <string.h>

#include "common/fstab_spec.h"
#include "model/jdoc.h"

struct modspec { const char *key, *module, *config; };

static const struct modspec fs_mods[] = {
    { "ext4", "ext4", "CONFIG_EXT4_FS" }, { "ext3", "ext3", "CONFIG_EXT3_FS" },
    { "ext2", "ext2", "CONFIG_EXT2_FS" }, { "xfs", "xfs", "CONFIG_XFS_FS" },
    { "btrfs", "btrfs", "CONFIG_BTRFS_FS" }, { "jfs", "jfs", "CONFIG_JFS_FS" },
    { "reiserfs", "reiserfs", "CONFIG_REISERFS_FS" }, { NULL, NULL, NULL }
};

/* md levels as mdadm names them, to the personality module. */
static const struct modspec md_mods[] = {
    { "raid0", "raid0", "CONFIG_MD_RAID0" }, { "raid1", "raid1", "CONFIG_MD_RAID1" },
    { "raid4", "raid456", "CONFIG_MD_RAID456" }, { "raid5", "raid456", "CONFIG_MD_RAID456" },
    { "raid6", "raid456", "CONFIG_MD_RAID456" }, { "raid10", "raid10", "CONFIG_MD_RAID10" },
    { "linear", "linear", "CONFIG_MD_LINEAR" }, { "multipath", "multipath", "CONFIG_MD_MULTIPATH" },
    { NULL, NULL, NULL }
};

static const struct modspec *spec_of(const struct modspec *t, const char *key)
{
    for (; key && t->key; t++)
        if (!strcmp(t->key, key))
            return t;
    return NULL;
}

int root_mod_index(struct root_needs *rn, const char *name, const char *config)
{
    for (int i = 0; i < rn->nmods; i++)
        if (modname_eq(rn->mod[i].name, name))
            return i;
    if (rn->nmods >= ROOT_MODS_MAX)
        return -1;
    struct root_mod *m = &rn->mod[rn->nmods];
    memset(m, 0, sizeof *m);
    str_fmt(m->name, sizeof m->name, "%s", name);
    for (char *p = m->name; *p; p++)
        if (*p == '-')
            *p = '_';
    str_fmt(m->config, sizeof m->config, "%s", config ? config : "");
    return rn->nmods++;
}

static void need(struct root_needs *rn, const struct modspec *s, const struct modspec *alt,
                 const char *fmt, const char *a, const char *b)
    __attribute__((format(printf, 4, 0)));

static void need(struct root_needs *rn, const struct modspec *s, const struct modspec *alt,
                 const char *fmt, const char *a, const char *b)
{
    for (int i = 0; i < rn->nneeds; i++)
        if (!strcmp(rn->mod[rn->need[i].mod].name, s->module))
            return;
    if (rn->nneeds >= ROOT_NEEDS_MAX)
        return;
    struct root_need *n = &rn->need[rn->nneeds];
    memset(n, 0, sizeof *n);
    n->mod = root_mod_index(rn, s->module, s->config);
    n->alt = alt ? root_mod_index(rn, alt->module, alt->config) : -1;
    if (n->mod < 0)
        return;
    str_fmt(n->why, sizeof n->why, fmt, a, b);
    rn->nneeds++;
}

static void unknown(struct root_needs *rn, const char *fmt, const char *a)
    __attribute__((format(printf, 2, 0)));

static void unknown(struct root_needs *rn, const char *fmt, const char *a)
{
    if (rn->nunknown < ROOT_UNKNOWN_MAX)
        str_fmt(rn->unknown[rn->nunknown++], sizeof rn->unknown[0], fmt, a);
}

static const struct modspec DM = { "dm", "dm_mod", "CONFIG_BLK_DEV_DM" };
static const struct modspec DM_CRYPT = { "crypt", "dm_crypt", "CONFIG_DM_CRYPT" };
static const struct modspec MD = { "md", "md_mod", "CONFIG_BLK_DEV_MD" };

static void need_md_level(struct root_needs *rn, const char *dev, const char *level)
{
    const struct modspec *s = spec_of(md_mods, level);
    need(rn, &MD, NULL, "/ lies on the md array %s%s", dev, "");
    if (s)
        need(rn, s, NULL, "/ lies on the md array %s, a %s array", dev, level);
    else
        unknown(rn, "the RAID level of %s is not known: its md personality was not checked", dev);
}

static void need_fs(struct root_needs *rn, const char *type)
{
    const struct modspec *s = spec_of(fs_mods, type);
    /* ext4 mounts ext2 and ext3 too when the kernel has no ext2/ext3 of its own */
    const struct modspec *alt = s && (!strcmp(type, "ext3") || !strcmp(type, "ext2"))
                                ? spec_of(fs_mods, "ext4") : NULL;
    if (s)
        need(rn, s, alt, "/ is %s%s", type, alt ? " (ext4 mounts it as well)" : "");
    else if (type && strcmp(type, "auto"))
        unknown(rn, "no module is known for the root filesystem type %s", type);
    else
        unknown(rn, "the root filesystem type is not known%s", "");
}

/* The root filesystem in the report's volumes and the layers the inspector
 * found under it; 1 when there is one. */
static int from_report(struct scan_ctx *c, struct root_needs *rn)
{
    json_object *vols = report_get(c->r, "volumes");
    for (size_t i = 0; i < doc_len(vols); i++) {
        json_object *fss = doc_arr(doc_at(vols, i), "filesystems");
        for (size_t j = 0; j < doc_len(fss); j++) {
            json_object *f = doc_at(fss, j), *stack = doc_arr(f, "stack");
            if (!stack)
                continue;
            const char *dev = doc_str(f, "device"), *type = doc_str(f, "type");
            str_fmt(rn->root_dev, sizeof rn->root_dev, "%s", dev ? dev : "");
            str_fmt(rn->fstype, sizeof rn->fstype, "%s", type ? type : "");
            str_fmt(rn->source, sizeof rn->source, "disks");
            for (size_t k = 0; k < doc_len(stack); k++) {
                json_object *l = doc_at(stack, k);
                const char *kind = doc_str(l, "layer"), *ldev = doc_str(l, "device");
                const char *level = doc_str(l, "level");
                if (!kind || !ldev)
                    continue;
                if (!strcmp(kind, "lvm"))
                    need(rn, &DM, NULL, "/ is the LVM logical volume %s%s", ldev, "");
                else if (!strcmp(kind, "crypt")) {
                    need(rn, &DM, NULL, "/ lies on the LUKS volume %s%s", ldev, "");
                    need(rn, &DM_CRYPT, NULL, "/ lies on the LUKS volume %s%s", ldev, "");
                } else if (!strcmp(kind, "md"))
                    need_md_level(rn, ldev, level);
            }
            need_fs(rn, rn->fstype);
            return 1;
        }
    }
    return 0;
}

struct fstab_root { char spec[256], type[32]; };

static int fstab_root_line(char *line, void *opaque)
{
    struct fstab_root *fr = opaque;
    char *fld[4];
    if (fstab_split(line, fld) >= 3 && !strcmp(fld[1], "/")) {
        str_fmt(fr->spec, sizeof fr->spec, "%s", fld[0]);
        str_fmt(fr->type, sizeof fr->type, "%s", fld[2]);
        return 1;
    }
    return 0;
}

/* Under --root there are no disks to follow: fstab's root line and the
 * command line say what they can. */
static void from_config(struct scan_ctx *c, const char *cmdline, struct root_needs *rn)
{
    struct fstab_root fr = { "", "" };
    char val[256];
    if (for_each_config_line(c->v, "/etc/fstab", fstab_root_line, &fr) < 0 || !fr.spec[0])
        return;
    str_fmt(rn->root_dev, sizeof rn->root_dev, "%s", fr.spec);
    str_fmt(rn->fstype, sizeof rn->fstype, "%s", fr.type);
    str_fmt(rn->source, sizeof rn->source, "guest configuration");
    if (!strncmp(fr.spec, "/dev/mapper/", 12))
        need(rn, &DM, NULL, "/ is the device-mapper device %s%s", fr.spec, "");
    if (!strncmp(fr.spec, "/dev/md", 7)) {
        need(rn, &MD, NULL, "/ lies on the md array %s%s", fr.spec, "");
        unknown(rn, "the RAID level of %s is not known without the disks", fr.spec);
    }
    if (cmdline && (cmdline_get(cmdline, "rd.lvm.lv", val, sizeof val) ||
                    cmdline_get(cmdline, "rd.lvm.vg", val, sizeof val)))
        need(rn, &DM, NULL, "the command line activates LVM for the root (rd.lvm=%s)%s", val, "");
    if (cmdline && (cmdline_get(cmdline, "rd.luks.uuid", val, sizeof val) ||
                    cmdline_get(cmdline, "rd.luks.name", val, sizeof val))) {
        need(rn, &DM, NULL, "the command line opens a LUKS volume (%s)%s", val, "");
        need(rn, &DM_CRYPT, NULL, "the command line opens a LUKS volume (%s)%s", val, "");
    }
    need_fs(rn, fr.type);
}

void root_needs_find(struct scan_ctx *c, const char *cmdline, struct root_needs *rn)
{
    memset(rn, 0, sizeof *rn);
    if (!from_report(c, rn))
        from_config(c, cmdline, rn);
}
