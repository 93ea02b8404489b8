#include "os.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "appliance_sh.h"
#include "common/fstab_spec.h"
#include "common/vfs.h"
#include "lvm_uuid.h"
#include "luks_open.h"
#include "md_names.h"
#include "root_stack.h"
#include "util/progress.h"
#include "util/xalloc.h"

/* Index of a whole-disk device among the input disks, or -1. */
static int disk_index(char **devices, int ndisks, const char *whole)
{
    for (int i = 0; i < ndisks && devices[i]; i++)
        if (strcmp(devices[i], whole) == 0)
            return i;
    return -1;
}

/* Disk index of a partition or whole-disk device. */
static int index_of_blockdev(guestfs_h *g, char **devices, int ndisks, const char *dev)
{
    int idx = disk_index(devices, ndisks, dev);
    if (idx >= 0)
        return idx;
    char *whole = guestfs_part_to_dev(g, dev);
    if (!whole)
        return -1;
    idx = disk_index(devices, ndisks, whole);
    free(whole);
    return idx;
}

/* Disk index of a device named as the appliance's kernel names it (what
 * md_stat reports), through the disk labels (image.h); -1 if unknown.
 * One shell call per inspection lists the labels. */
static int kernel_disk_index(struct image *im, const char *kdev)
{
    if (!im->kernel_disk_names_read) {
        im->kernel_disk_names_read = 1;
        char *out = appliance_sh(im->g, "for l in /dev/disk/guestfs/" DISK_LABEL_PREFIX "?; do "
                                 "[ -e \"$l\" ] && echo \"${l##*/}\" \"$(readlink -f \"$l\")\"; "
                                 "done; true", NULL);
        for (char *line = out, *nl; line && *line; line = nl ? nl + 1 : NULL) {
            nl = strchr(line, '\n');
            if (nl)
                *nl = '\0';
            char label[32], dev[64];
            size_t pl = strlen(DISK_LABEL_PREFIX);
            if (sscanf(line, "%31s %63s", label, dev) == 2 && strlen(label) == pl + 1 &&
                !strncmp(label, DISK_LABEL_PREFIX, pl) && label[pl] >= 'a' && label[pl] <= 'z') {
                char **slot = &im->kernel_disk_name[label[pl] - 'a'];
                free(*slot);
                *slot = xstrdup(dev);
            }
        }
        free(out);
    }
    for (int i = 0; i < im->ndisks && i < 26; i++) {
        const char *name = im->kernel_disk_name[i];
        size_t n = name ? strlen(name) : 0;
        const char *rest = kdev + n;
        if (!n || strncmp(kdev, name, n))
            continue;
        if (*rest == 'p')
            rest++;     /* nvme0n1p1 */
        if (*rest == '\0' || strspn(rest, "0123456789") == strlen(rest))
            return i;
    }
    return -1;
}

/* Rewrites *all from seen[] and returns the lowest disk index. */
static int set_volumes(json_object *all, const int *seen, int ndisks)
{
    int lowest = -1;
    json_object_array_del_idx(all, 0, json_object_array_length(all));
    for (int i = 0; i < 64 && i < ndisks; i++)
        if (seen[i]) {
            if (lowest < 0)
                lowest = i;
            doc_push(all, jint(i));
        }
    return lowest;
}

/* Lowest disk index holding any part of dev (LV, md array or plain).
 * Fills *all with every disk index as a JSON array. */
static int volume_of_fs(struct image *im, char **devices, const char *dev, json_object *all)
{
    guestfs_h *g = im->g;
    int ndisks = im->ndisks;
    int seen[64] = {0};

    /* Appliance names: /dev/sdXN partitions, /dev/mdN arrays, /dev/VG/LV. */
    int is_lv = strncmp(dev, "/dev/sd", 7) && strncmp(dev, "/dev/md", 7) &&
                strncmp(dev, "/dev/vd", 7);
    if (is_lv) {
        char *vg = guestfs_lvm_canonical_lv_name(g, dev);
        /* /dev/VG/LV -> VG */
        char vgname[256] = "";
        if (vg && sscanf(vg, "/dev/%255[^/]/", vgname) == 1) {
            char **pvuuids = guestfs_vgpvuuids(g, vgname);
            struct guestfs_lvm_pv_list *pvs = guestfs_pvs_full(g);
            for (size_t i = 0; pvuuids && pvs && pvuuids[i]; i++)
                for (size_t j = 0; j < pvs->len; j++)
                    if (same_pv_uuid(pvuuids[i], pvs->val[j].pv_uuid)) {
                        int idx = index_of_blockdev(g, devices, ndisks, pvs->val[j].pv_name);
                        if (idx >= 0 && idx < 64)
                            seen[idx] = 1;
                    }
            vfs_free_names(pvuuids);
            if (pvs)
                guestfs_free_lvm_pv_list(pvs);
        }
        free(vg);
    } else if (strncmp(dev, "/dev/md", 7) == 0) {
        /* md_stat gives the kernel's names, not the API's. */
        struct guestfs_mdstat_list *md = guestfs_md_stat(g, dev);
        for (size_t i = 0; md && i < md->len; i++) {
            int idx = kernel_disk_index(im, md->val[i].mdstat_device);
            if (idx >= 0 && idx < 64)
                seen[idx] = 1;
        }
        if (md)
            guestfs_free_mdstat_list(md);
    } else {
        int idx = index_of_blockdev(g, devices, ndisks, dev);
        if (idx >= 0 && idx < 64)
            seen[idx] = 1;
    }
    return set_volumes(all, seen, ndisks);
}

json_object *os_info_json(const struct os_info *o)
{
    json_object *j = jobject();
    doc_put(j, "type", jstr_or_null(o->type));
    doc_put(j, "distro", jstr_or_null(o->distro));
    doc_put(j, "version", jstr_or_null(o->version));
    doc_put(j, "major", jint(o->major));
    doc_put(j, "minor", jint(o->minor));
    doc_put(j, "product_name", jstr_or_null(o->product_name));
    doc_put(j, "arch", jstr_or_null(o->arch));
    doc_put(j, "hostname", jstr_or_null(o->hostname));
    doc_put(j, "package_format", jstr_or_null(o->package_format));
    doc_put(j, "root_device", jstr_or_null(o->root_device));
    return j;
}

/* One filesystem of the server, as found and as mounted. */
struct fs {
    char *device;
    char *type;
    char *uuid, *label, *partuuid;
    char *mountpoint;      /* from the guest's fstab, or NULL */
    char *mount_opts;      /* "subvol=..." for btrfs roots, or NULL */
    char *mounted_at;      /* where it is in the vfs, or NULL */
    int volume;
    enum luks_state luks;  /* crypto_LUKS: whether a key opened it */
    char *luks_mapper;     /* /dev/mapper/luks-UUID once opened */
    char *luks_error;      /* why the keys given did not open it */
    int luks_keys_tried;
    size_t parent;         /* 1 + index of the LUKS volume it lies in, or 0 */
    json_object *json;
};

/* The letters and digits of a UUID, lower case: mdadm writes array UUIDs
 * as "xxxxxxxx:xxxxxxxx:...", blkid as "xxxxxxxx-xxxx-...", LVM without
 * separators. */
static void uuid_hex(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    for (; in && *in && n + 1 < cap; in++)
        if (isalnum((unsigned char)*in))
            out[n++] = (char)tolower((unsigned char)*in);
    out[n] = '\0';
}

static size_t count_strv(char **v)
{
    size_t n = 0;
    while (v && v[n])
        n++;
    return n;
}

/* Marks the disks holding the members of type (linux_raid_member,
 * LVM2_member) whose UUID is want; returns how many it found. */
static int members_by_uuid(guestfs_h *g, char **devices, int ndisks, const struct fs *fss,
                           size_t nfs, const char *type, const char *want, int *seen)
{
    char have[64];
    int n = 0;
    for (size_t i = 0; want[0] && i < nfs; i++) {
        if (!fss[i].type || strcmp(fss[i].type, type))
            continue;
        uuid_hex(fss[i].uuid, have, sizeof have);
        int idx = strcmp(have, want) ? -1 : index_of_blockdev(g, devices, ndisks, fss[i].device);
        if (idx >= 0 && idx < 64)
            seen[idx] = 1, n++;
    }
    return n;
}

/* The disks under an md array or an LV, found by the UUIDs their members
 * carry (blkid): the array UUID, or the PV UUIDs of the LV's volume group.
 * md_stat and pvs name members as the appliance's kernel does, and the
 * kernel may number disks in another order than the API; UUIDs do not
 * depend on names.  When no member is found this way, what volume_of_fs
 * found stands. */
static int member_volumes(guestfs_h *g, char **devices, int ndisks, const struct fs *fss,
                          size_t nfs, const char *dev, json_object *all, int lowest)
{
    int seen[64] = {0}, found = 0;
    char want[64];

    if (!strncmp(dev, "/dev/md", 7)) {
        /* What md_stat found through the labels stands; add the members
         * blkid typed (the two can each miss one). */
        for (size_t i = 0; i < json_object_array_length(all); i++) {
            int v = json_object_get_int(json_object_array_get_idx(all, i));
            if (v >= 0 && v < 64)
                seen[v] = 1, found++;
        }
        char **kv = guestfs_md_detail(g, dev);
        for (size_t i = 0; kv && kv[i] && kv[i + 1]; i += 2)
            if (!strcmp(kv[i], "uuid")) {
                uuid_hex(kv[i + 1], want, sizeof want);
                found += members_by_uuid(g, devices, ndisks, fss, nfs, "linux_raid_member",
                                         want, seen);
            }
        vfs_free_names(kv);
    } else if (strncmp(dev, "/dev/sd", 7) && strncmp(dev, "/dev/vd", 7)) {
        /* blkid may not even type a PV whose VG is active: ask LVM for the
         * PV UUID of every disk and partition, by their API names. */
        char *lv = guestfs_lvm_canonical_lv_name(g, dev), vg[256] = "";
        char **pvs = lv && sscanf(lv, "/dev/%255[^/]/", vg) == 1 ? guestfs_vgpvuuids(g, vg) : NULL;
        char **parts = pvs ? guestfs_list_partitions(g) : NULL;
        for (size_t k = 0; pvs && k < (size_t)ndisks + (parts ? count_strv(parts) : 0); k++) {
            const char *cand = k < (size_t)ndisks ? devices[k] : parts[k - (size_t)ndisks];
            char *uuid = cand ? guestfs_pvuuid(g, cand) : NULL;
            char have[64];
            uuid_hex(uuid, have, sizeof have);
            for (size_t i = 0; uuid && pvs[i]; i++) {
                uuid_hex(pvs[i], want, sizeof want);
                int idx = strcmp(have, want) ? -1 : index_of_blockdev(g, devices, ndisks, cand);
                if (idx >= 0 && idx < 64)
                    seen[idx] = 1, found++;
            }
            free(uuid);
        }
        vfs_free_names(parts);
        vfs_free_names(pvs);
        free(lv);
    }
    return found ? set_volumes(all, seen, ndisks) : lowest;
}

static int is_filesystem(const char *type)
{
    return type && strcmp(type, "swap") && strcmp(type, "LVM2_member") &&
           strcmp(type, "linux_raid_member") && strcmp(type, "crypto_LUKS");
}

static int could_be_root(const char *type)
{
    static const char *t[] = {"ext2", "ext3", "ext4", "xfs", "btrfs", "jfs", "reiserfs", NULL};
    for (int i = 0; t[i]; i++)
        if (!strcmp(type, t[i]))
            return 1;
    return 0;
}

static int by_mountpoint_len(const void *a, const void *b)
{
    const struct fs *x = a, *y = b;
    size_t lx = x->mountpoint ? strlen(x->mountpoint) : (size_t)-1;
    size_t ly = y->mountpoint ? strlen(y->mountpoint) : (size_t)-1;
    return lx < ly ? -1 : lx > ly;
}

static void record_dev(struct inspection *ins, guestfs_h *g, const char *path, int volume)
{
    struct guestfs_statns *s = guestfs_lstatns(g, path);
    if (!s)
        return;
    struct dev_volume *n = xreallocarray(ins->devs, (size_t)ins->ndevs + 1, sizeof *n);
    if (n) {
        ins->devs = n;
        ins->devs[ins->ndevs++] = (struct dev_volume){(uint64_t)s->st_dev, volume};
    }
    guestfs_free_statns(s);
}

/* why: libguestfs's own message, taken right after the call that failed
 * (a later call, even one that succeeds internally, may overwrite it). */
static void mount_failed(struct report *r, struct fs *f, const char *why)
{
    json_object *fd = report_add_findingf(r, F_FS_MOUNT_FAILED, f->volume, NULL,
                                          "%s", f->device);
    report_finding_evidence(fd, "%s (%s): %s", f->device, f->type, why);
    if (f->mountpoint)
        report_finding_evidence(fd, "fstab mountpoint: %s", f->mountpoint);
    r->incomplete = 1;
}

/* The last error of g, copied before anything else can replace it, after
 * what (may be NULL) failed.  Returns -EIO. */
static int last_error(guestfs_h *g, const char *what, struct lc_error *why)
{
    const char *m = guestfs_last_error(g);
    if (!what && !m)
        return lc_fail(why, -EIO, "mount failed");
    return lc_fail(why, -EIO, "%s%s%s", what ? what : "", what && m ? ": " : "", m ? m : "");
}

static const char *blkid_value(char **kv, const char *key)
{
    for (size_t i = 0; kv && kv[i] && kv[i + 1]; i += 2)
        if (!strcmp(kv[i], key))
            return kv[i + 1];
    return NULL;
}

/* A partition's table scheme and type, for the boot mode, into the disk's
 * "partition_table" and "partitions": blkid's PART_ENTRY_* values, which
 * it gives for a partition that holds no filesystem too (a BIOS boot
 * partition). */
static void partition_facts(const char *dev, char **kv, json_object *vol)
{
    const char *scheme = blkid_value(kv, "PART_ENTRY_SCHEME");
    const char *num = blkid_value(kv, "PART_ENTRY_NUMBER");
    json_object *parts, *p;

    if (!scheme)
        return;
    doc_put(vol, "partition_table", jstr(scheme));
    if (!json_object_object_get_ex(vol, "partitions", &parts)) {
        parts = jarray();
        doc_put(vol, "partitions", parts);
    }
    p = jobject();
    doc_put(p, "device", jstr(dev));
    doc_put(p, "number", num && atoi(num) > 0 ? jint(atoi(num)) : NULL);
    doc_put(p, "type", jstr_or_null(blkid_value(kv, "PART_ENTRY_TYPE")));
    doc_put(p, "filesystem", jstr_or_null(blkid_value(kv, "TYPE")));
    doc_push(parts, p);
}

/* Every block device that may hold a filesystem: unpartitioned disks,
 * partitions, LVs and md arrays.  One blkid call per device gives type,
 * UUID, label and partition UUID; this is several times cheaper than
 * list_filesystems plus per-device calls under TCG. */
static void probe_device(guestfs_h *g, const char *dev, struct fs **fss, size_t *nfs,
                         int *lvm, int *raid, json_object *vol)
{
    char **kv = guestfs_blkid(g, dev);
    const char *type = blkid_value(kv, "TYPE");

    if (vol)
        partition_facts(dev, kv, vol);
    if (!type)
        goto out;
    if (!strcmp(type, "LVM2_member")) {
        *lvm = 1;
        goto out;
    }
    if (!strcmp(type, "linux_raid_member")) {
        *raid = 1;
        goto out;
    }
    struct fs *n = *fss = xreallocarray(*fss, *nfs + 1, sizeof **fss);
    struct fs *f = &n[(*nfs)++];
    memset(f, 0, sizeof *f);
    f->device = xstrdup(dev);
    f->type = xstrdup(type);
    const char *v;
    if ((v = blkid_value(kv, "UUID")) && *v) f->uuid = xstrdup(v);
    if ((v = blkid_value(kv, "LABEL")) && *v) f->label = xstrdup(v);
    if ((v = blkid_value(kv, "PART_ENTRY_UUID")) && *v) f->partuuid = xstrdup(v);
out:
    vfs_free_names(kv);
}

/* Every block device that may hold a filesystem: unpartitioned disks,
 * partitions, md arrays and LVs.
 * One blkid call per device gives type, UUID, label and partition UUID;
 * under TCG this is several times cheaper than list_filesystems. */
static void discover(guestfs_h *g, struct image *im, char **devices, json_object *volumes,
                     struct fs **out, size_t *nout)
{
    char **parts = guestfs_list_partitions(g);
    struct fs *fss = NULL;
    size_t nfs = 0;
    int lvm = 0, raid = 0;

    for (int i = 0; i < im->ndisks && devices[i]; i++) {
        size_t dl = strlen(devices[i]);
        int has_parts = 0;
        for (size_t p = 0; parts && parts[p]; p++)
            if (!strncmp(parts[p], devices[i], dl)) {
                has_parts = 1;
                probe_device(g, parts[p], &fss, &nfs, &lvm, &raid,
                             json_object_array_get_idx(volumes, i));
            }
        if (!has_parts)
            probe_device(g, devices[i], &fss, &nfs, &lvm, &raid, NULL);
    }
    /* blkid does not always name PVs and md members (a PV whose VG is
     * active can come back without TYPE), so ask LVM and md directly. */
    (void)raid;
    (void)lvm;
    {
        char **mds = guestfs_list_md_devices(g);
        for (size_t i = 0; mds && mds[i]; i++)
            probe_device(g, mds[i], &fss, &nfs, &lvm, &raid, NULL);
        vfs_free_names(mds);
    }
    {
        /* The appliance activates every volume group it finds at boot, so
         * logical volumes are device-mapper devices: with none (a look at
         * sysfs), the lvm command (about a second under TCG) is not run.
         * list_dm_devices leaves LVs out, hence the shell. */
        char *dm = appliance_sh(g, "ls /sys/block | grep -c '^dm-' || true", NULL);
        char **lvs = !dm || atoi(dm) > 0 ? guestfs_lvs(g) : NULL;
        free(dm);
        for (size_t i = 0; lvs && lvs[i]; i++)
            probe_device(g, lvs[i], &fss, &nfs, &lvm, &raid, NULL);
        vfs_free_names(lvs);
    }
    vfs_free_names(parts);
    *out = fss;
    *nout = nfs;
}

static int listed(const struct fs *fss, size_t nfs, const char *dev)
{
    for (size_t i = 0; i < nfs; i++)
        if (!strcmp(fss[i].device, dev))
            return 1;
    return 0;
}

/* Opens every LUKS volume a key is given for, read-only, and adds what is
 * inside: a filesystem, or the LVs of a volume group on it (LVM on LUKS).
 * An LV that is itself LUKS (LUKS on LVM) is opened on the next round. */
static void unlock_luks(guestfs_h *g, const struct luks_keys *ks, struct fs **fss, size_t *nfs)
{
    int lvm = 0, raid = 0;
    for (int round = 0; round < 8; round++) {
        int opened = 0;
        size_t n = *nfs;
        for (size_t i = 0; i < n; i++) {
            struct fs *f = &(*fss)[i];
            struct lc_error why = {0};
            char *mapper = NULL;
            if (strcmp(f->type, "crypto_LUKS") || f->luks != LUKS_UNTRIED)
                continue;
            progress_stage("opening the encrypted volume %s", f->device);
            f->luks = luks_open_ro(g, ks, f->device, f->uuid, &mapper, &f->luks_keys_tried,
                                   &why);
            if (f->luks == LUKS_REJECTED)
                f->luks_error = xstrdup(why.msg);
            if (f->luks != LUKS_OPENED)
                continue;
            f->luks_mapper = mapper;
            size_t before = *nfs;
            probe_device(g, mapper, fss, nfs, &lvm, &raid, NULL);
            if (*nfs > before)
                (*fss)[before].parent = i + 1;
            opened = 1;
        }
        if (!opened)
            break;
        /* A volume group on what was just opened: activate it, add its LVs. */
        guestfs_lvm_scan(g, 1);
        char **lvs = guestfs_lvs(g);
        for (size_t i = 0; lvs && lvs[i]; i++)
            if (!listed(*fss, *nfs, lvs[i]))
                probe_device(g, lvs[i], fss, nfs, &lvm, &raid, NULL);
        vfs_free_names(lvs);
    }
}

/* The disk of a filesystem inside LUKS: the LUKS volume's, or for an LV
 * whose physical volume is an opened LUKS volume, that volume's.  The
 * names the kernel gives those lead to no input disk. */
static int luks_volume(guestfs_h *g, const struct fs *fss, size_t nfs, const struct fs *f)
{
    if (f->parent)
        return fss[f->parent - 1].volume;
    char *lv = guestfs_lvm_canonical_lv_name(g, f->device), vg[256] = "";
    char **pvuuids = lv && sscanf(lv, "/dev/%255[^/]/", vg) == 1 ? guestfs_vgpvuuids(g, vg) : NULL;
    struct guestfs_lvm_pv_list *pvs = pvuuids ? guestfs_pvs_full(g) : NULL;
    int volume = -1;
    for (size_t i = 0; pvs && pvuuids[i] && volume < 0; i++)
        for (size_t j = 0; j < pvs->len && volume < 0; j++) {
            if (!same_pv_uuid(pvuuids[i], pvs->val[j].pv_uuid))
                continue;
            char *canon = guestfs_canonical_device_name(g, pvs->val[j].pv_name);
            for (size_t k = 0; k < nfs && volume < 0; k++)
                if (fss[k].luks_mapper && (!strcmp(fss[k].luks_mapper, pvs->val[j].pv_name) ||
                                           (canon && !strcmp(fss[k].luks_mapper, canon))))
                    volume = fss[k].volume;
            free(canon);
        }
    if (pvs)
        guestfs_free_lvm_pv_list(pvs);
    vfs_free_names(pvuuids);
    free(lv);
    return volume;
}

/* A LUKS volume left closed is never silent: a blocker when no root was
 * found (it may hold it), a warning otherwise; its contents were not read. */
static void report_locked(struct report *r, const struct fs *fss, size_t nfs, int have_root)
{
    for (size_t i = 0; i < nfs; i++) {
        const struct fs *f = &fss[i];
        if (strcmp(f->type, "crypto_LUKS") || f->luks == LUKS_OPENED)
            continue;
        int rejected = f->luks == LUKS_REJECTED;
        json_object *fd = report_add_findingf(r, rejected ? F_FS_LUKS_KEY_REJECTED : F_FS_LUKS_LOCKED,
            f->volume,
            rejected ? "Give the volume's passphrase: --key DEVICE:key:PASSPHRASE, "
                       "--key UUID:file:FILE or --keys-from-stdin."
                     : "Give the volume's passphrase so it can be read: --key DEVICE:key:PASSPHRASE, "
                       "--key UUID:file:FILE (ID: the device or the LUKS UUID) or --keys-from-stdin.",
            "%s", f->device);
        report_finding_evidence(fd, "%s: LUKS volume, UUID %s", f->device, f->uuid ? f->uuid : "unknown");
        if (rejected)
            report_finding_evidence(fd, "%d key(s) given for it did not open it: %s",
                                    f->luks_keys_tried, f->luks_error ? f->luks_error : "");
        else
            report_finding_evidence(fd, "no key was given for %s or %s", f->device,
                                    f->uuid ? f->uuid : "its UUID");
        if (!have_root) {
            report_finding_severity(fd, SEV_BLOCKER);
            report_finding_evidence(fd, "no operating system root was found outside it: the server "
                                        "cannot be judged until it is opened");
        } else {
            report_finding_evidence(fd, "the files inside it were not inspected");
        }
        r->incomplete = 1;
    }
}

/* Mounts fs at / and tells whether it is an OS root; leaves it mounted
 * when it is.  btrfs roots often live in a subvolume. */
static int try_root(guestfs_h *g, struct fs *f)
{
    static const char *subvols[] = {"@", "root", "@/root", NULL};
    if (!could_be_root(f->type) || guestfs_mount_ro(g, f->device, "/") < 0)
        return 0;
    if (guestfs_is_file_opts(g, "/etc/fstab", GUESTFS_IS_FILE_OPTS_FOLLOWSYMLINKS, 1, -1) > 0 ||
        guestfs_is_file_opts(g, "/etc/os-release", GUESTFS_IS_FILE_OPTS_FOLLOWSYMLINKS, 1, -1) > 0)
        return 1;
    if (!strcmp(f->type, "btrfs")) {
        for (int i = 0; subvols[i]; i++) {
            char probe[64], opts[64];
            snprintf(probe, sizeof probe, "/%s/etc/fstab", subvols[i]);
            if (guestfs_is_file(g, probe) > 0) {
                guestfs_umount(g, "/");
                snprintf(opts, sizeof opts, "ro,subvol=%s", subvols[i]);
                if (guestfs_mount_options(g, opts, f->device, "/") == 0) {
                    f->mount_opts = xstrdup(opts);
                    return 1;
                }
                return 0;
            }
        }
    }
    guestfs_umount(g, "/");
    return 0;
}

/* Gives each filesystem its mountpoint from the root's /etc/fstab. */
/* A guest file of at most 1 MiB, NUL-terminated; NULL if missing or empty. */
static char *read_guest_small(guestfs_h *g, const char *path)
{
    size_t len = 0;
    char *text = NULL;
    struct guestfs_statns *st = guestfs_statns(g, path);
    if (st && st->st_size > 0 && st->st_size < (1 << 20))
        text = guestfs_read_file(g, path, &len);
    if (st)
        guestfs_free_statns(st);
    return text;
}

/* The md array fstab names as the guest does (/dev/md0, /dev/md/boot)
 * when the appliance assembled it under another name; -1 if none. */
static int md_by_guest_name(guestfs_h *g, const char *spec, const struct fs *fss, size_t nfs,
                            const struct md_conf_array *conf, size_t nconf)
{
    int found = -1;
    if (strncmp(spec, "/dev/md", 7))
        return -1;
    for (size_t i = 0; i < nfs && found < 0; i++) {
        if (strncmp(fss[i].device, "/dev/md", 7) || !is_filesystem(fss[i].type))
            continue;
        char **names = md_guest_names(g, fss[i].device, conf, nconf);
        for (size_t k = 0; names && names[k]; k++)
            if (!strcmp(names[k], spec))
                found = (int)i;
        vfs_free_names(names);
    }
    return found;
}

#define MD_CONF_MAX 64

/* A second fstab line for a btrfs filesystem that is already placed: one
 * more mount of it (another subvolume), as an entry of its own with no
 * report object, copied from fss[k].  Returns its index, or -1. */
static int add_subvolume_mount(struct fs **fss, size_t *nfs, size_t k)
{
    struct fs *n = *fss = xreallocarray(*fss, *nfs + 1, sizeof **fss);
    struct fs *f = &n[*nfs];
    memset(f, 0, sizeof *f);
    f->device = xstrdup(n[k].device);
    f->type = xstrdup(n[k].type);
    f->volume = n[k].volume;
    return (int)(*nfs)++;
}

static void read_fstab(guestfs_h *g, struct fs **fssp, size_t *nfsp)
{
    struct fs *fss = *fssp;
    size_t nfs = *nfsp;
    char *text = read_guest_small(g, "/etc/fstab");
    if (!text)
        return;
    struct md_conf_array conf[MD_CONF_MAX];
    size_t nconf = 0;
    char *mdconf = read_guest_small(g, "/etc/mdadm/mdadm.conf");
    if (!mdconf)
        mdconf = read_guest_small(g, "/etc/mdadm.conf");
    if (mdconf)
        nconf = mdadm_conf_parse(mdconf, conf, MD_CONF_MAX);
    free(mdconf);
    struct fs_ident *ids = xcalloc(nfs, sizeof *ids);
    for (size_t i = 0; ids && i < nfs; i++)
        ids[i] = (struct fs_ident){fss[i].device, fss[i].uuid, fss[i].label, fss[i].partuuid};
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); ids && line; line = strtok_r(NULL, "\n", &save)) {
        char *fld[4];
        if (fstab_split(line, fld) < 3 || fld[1][0] != '/')
            continue;
        int k = fstab_spec_match(fld[0], ids, nfs);
        if (k < 0)
            k = md_by_guest_name(g, fld[0], fss, nfs, conf, nconf);
        if (k < 0)
            continue;
        int subvol = !strcmp(fss[k].type, "btrfs") && fld[3] && strstr(fld[3], "subvol");
        if (fss[k].mountpoint) {
            /* SUSE and Ubuntu mount several subvolumes of one btrfs:
             * /home, /opt, /srv, /var... each needs its own mount. */
            if (!subvol || (k = add_subvolume_mount(fssp, nfsp, (size_t)k)) < 0)
                continue;
            fss = *fssp;
        }
        fss[k].mountpoint = xstrdup(fld[1]);
        if (subvol) {
            /* Keep only the subvolume choice from the options. */
            const char *sv = strstr(fld[3], "subvol");
            char opts[256];
            snprintf(opts, sizeof opts, "ro,%.*s", (int)strcspn(sv, ","), sv);
            free(fss[k].mount_opts);
            fss[k].mount_opts = xstrdup(opts);
        }
    }
    free(ids);
    free(text);
}

/* Mounts f read-only at where; on failure fills why with libguestfs's
 * message.  Options from fstab (a btrfs subvolume) come first; a kernel that
 * refuses them still gets the plain read-only mount, which always applies. */
static int mount_one(guestfs_h *g, struct fs *f, const char *where, struct lc_error *why)
{
    if (f->mount_opts) {
        if (guestfs_mount_options(g, f->mount_opts, f->device, where) == 0)
            return 0;
        int rc = last_error(g, f->mount_opts, why);
        if (strstr(f->mount_opts, "subvol"))
            return rc;  /* without it, another tree would stand at where */
    }
    if (guestfs_mount_ro(g, f->device, where) == 0)
        return 0;
    return last_error(g, NULL, why);
}

/* Data-only disks: a scratch ext2 root with one directory per filesystem,
 * /vol<disk index>-<device name>, so scanners still see one tree. */
static void mount_data_filesystems(struct image *im, struct report *r, struct inspection *ins,
                                   struct fs *fss, size_t nfs)
{
    guestfs_h *g = im->g;
    if (!im->scratch_device || guestfs_mkfs(g, "ext2", im->scratch_device) < 0 ||
        guestfs_mount(g, im->scratch_device, "/") < 0)
        return;
    for (size_t i = 0; i < nfs; i++) {
        char dir[512];
        const char *base = strrchr(fss[i].device, '/');
        if (!is_filesystem(fss[i].type))
            continue;
        snprintf(dir, sizeof dir, "/vol%d-%s", fss[i].volume, base ? base + 1 : fss[i].device);
        struct lc_error why = {0};
        if (guestfs_mkdir_p(g, dir) < 0) {
            last_error(g, "creating its mount point", &why);
            mount_failed(r, &fss[i], why.msg);
            continue;
        }
        if (mount_one(g, &fss[i], dir, &why) < 0) {
            mount_failed(r, &fss[i], why.msg);
            continue;
        }
        fss[i].mounted_at = xstrdup(dir);
        record_dev(ins, g, dir, fss[i].volume);
    }
}

/* Is there a directory to mount on in the read-only tree?  A mount point
 * the root filesystem lacks (the guest's init creates it at boot) cannot be
 * made here: the guest's filesystems are never written. */
static int mount_point_ready(guestfs_h *g, const char *path, struct lc_error *why)
{
    int d = guestfs_is_dir(g, path);
    if (d > 0)
        return 1;
    if (d < 0)
        last_error(g, "looking for the mount point", why);
    else if (guestfs_exists(g, path) > 0)
        lc_fail(why, -ENOTDIR, "mount point %s is not a directory on the filesystems "
                "mounted above it", path);
    else
        lc_fail(why, -ENOENT, "mount point %s does not exist on the filesystems mounted above "
                "it (the guest creates it at boot); the filesystem itself was not tried, "
                "as nothing of the guest is written", path);
    return 0;
}

static void mount_os_filesystems(struct image *im, struct report *r, struct inspection *ins,
                                 struct fs *fss, size_t nfs)
{
    guestfs_h *g = im->g;
    /* Shortest mountpoint first, so / is there before /boot. */
    qsort(fss, nfs, sizeof *fss, by_mountpoint_len);
    for (size_t i = 0; i < nfs; i++) {
        struct lc_error why = {0};
        if (!fss[i].mountpoint || !is_filesystem(fss[i].type))
            continue;
        if (!strcmp(fss[i].mountpoint, "/")) {
            /* already mounted by try_root */
        } else if (!mount_point_ready(g, fss[i].mountpoint, &why) ||
                   mount_one(g, &fss[i], fss[i].mountpoint, &why) < 0) {
            mount_failed(r, &fss[i], why.msg);
            continue;
        }
        fss[i].mounted_at = xstrdup(fss[i].mountpoint);
        record_dev(ins, g, fss[i].mountpoint, fss[i].volume);
        if (!strcmp(fss[i].mountpoint, "/"))
            ins->root_volume = fss[i].volume;
    }
}

/* What the root lies on (LVM, md, LUKS), for the initramfs checks. */
static void add_root_stack(guestfs_h *g, const struct fs *fss, size_t nfs, const char *root)
{
    struct luks_pair *luks = calloc(nfs ? nfs : 1, sizeof *luks);
    size_t nluks = 0;
    for (size_t i = 0; luks && i < nfs; i++)
        if (fss[i].luks_mapper)
            luks[nluks++] = (struct luks_pair){ fss[i].luks_mapper, fss[i].device };
    for (size_t i = 0; luks && root && i < nfs; i++)
        if (fss[i].json && !strcmp(fss[i].device, root)) {
            doc_put(fss[i].json, "stack", root_stack_json(g, root, luks, nluks));
            break;
        }
    free(luks);
}

/* A disk's entry in "volumes"; its filesystems go into *fs. */
static json_object *volume_json(const struct disk *d, int index, json_object **fs)
{
    json_object *v = jobject();
    doc_put(v, "index", jint(index));
    doc_put(v, "path", jstr(d->path));
    doc_put(v, "format", jstr(d->format));
    doc_put(v, "format_source", jstr(d->format_source));
    doc_put(v, "virtual_size", jint((int64_t)d->virtual_size));
    *fs = jarray();
    doc_put(v, "filesystems", *fs);
    return v;
}

void inspect_disks_only(const struct disk *disks, int ndisks, struct report *r)
{
    json_object *volumes = jarray(), *fs;
    for (int i = 0; i < ndisks; i++)
        doc_push(volumes, volume_json(&disks[i], i, &fs));
    report_set(r, "volumes", volumes);
    report_set(r, "os", NULL);
}

int inspect_image(struct image *im, const struct luks_keys *keys, struct report *r,
                  struct inspection *ins, struct lc_error *err)
{
    guestfs_h *g = im->g;
    json_object *volumes = jarray();
    json_object **vol_fs = NULL;
    struct fs *fss = NULL;
    size_t nfs = 0;
    char **devices = guestfs_list_devices(g);
    int rc = -1;

    memset(ins, 0, sizeof *ins);
    report_set(r, "volumes", volumes);
    if (!devices) {
        rc = lc_fail(err, -EIO, "cannot list disks: %s", guestfs_last_error(g));
        goto out;
    }
    vol_fs = xcalloc((size_t)im->ndisks, sizeof *vol_fs);
    for (int i = 0; i < im->ndisks; i++)
        doc_push(volumes, volume_json(&im->disks[i], i, &vol_fs[i]));

    progress_stage("finding filesystems");
    discover(g, im, devices, volumes, &fss, &nfs);
    unlock_luks(g, keys, &fss, &nfs);
    int luks = 0;
    for (size_t i = 0; i < nfs; i++) {
        struct fs *f = &fss[i];
        json_object *all = jarray();
        f->volume = volume_of_fs(im, devices, f->device, all);
        f->volume = member_volumes(g, devices, im->ndisks, fss, nfs, f->device, all, f->volume);
        if (f->volume < 0 && (f->volume = luks_volume(g, fss, nfs, f)) >= 0)
            doc_push(all, jint(f->volume));
        if (is_filesystem(f->type))
            ins->filesystems++;
        luks += !strcmp(f->type, "crypto_LUKS");
        f->json = jobject();
        doc_put(f->json, "device", jstr(f->device));
        doc_put(f->json, "type", jstr(f->type));
        doc_put(f->json, "uuid", jstr_or_null(f->uuid));
        doc_put(f->json, "label", jstr_or_null(f->label));
        doc_put(f->json, "volume", f->volume >= 0 ? jint(f->volume) : NULL);
        doc_put(f->json, "volumes", all);
    }
    if (ins->filesystems == 0 && !luks) {
        rc = lc_fail(err, -ENOENT, "no partition table or filesystem found on %s",
                     im->ndisks == 1 ? "the disk" : "any disk");
        goto attach;
    }
    for (int i = 0; i < im->ndisks; i++) {
        int any = 0;
        for (size_t j = 0; j < nfs && !any; j++) {
            /* A member of an array or volume group spanning disks counts. */
            json_object *all = NULL;
            json_object_object_get_ex(fss[j].json, "volumes", &all);
            any = fss[j].volume == i;
            for (size_t k = 0; all && k < json_object_array_length(all) && !any; k++)
                any = json_object_get_int(json_object_array_get_idx(all, k)) == i;
        }
        if (!any)
            report_add_findingf(r, F_FS_NONE, i, NULL, "%s", im->disks[i].path);
    }

    progress_stage("looking for the operating system");
    struct fs *root = NULL;
    size_t root_at = 0;
    for (size_t i = 0; i < nfs && !root; i++)
        if (try_root(g, &fss[i]))
            root = &fss[i], root_at = i;
    report_locked(r, fss, nfs, root != NULL);
    if (root) {
        ins->has_os = 1;
        ins->os.root_device = xstrdup(root->device);
        read_fstab(g, &fss, &nfs);
        root = &fss[root_at];   /* fss may have moved */
        if (!root->mountpoint)
            root->mountpoint = xstrdup("/");
        progress_stage("mounting filesystems read-only");
        mount_os_filesystems(im, r, ins, fss, nfs);
        add_root_stack(g, fss, nfs, ins->os.root_device);
        vfs *v = vfs_guestfs_open(g);
        if (v) {
            os_release_read(v, &ins->os);
            vfs_close(v);
        }
        report_set(r, "os", os_info_json(&ins->os));
    } else {
        report_set(r, "os", NULL);
        report_add_finding(r, F_OS_NOT_FOUND, -1, NULL, NULL);
        progress_stage("mounting data filesystems read-only");
        mount_data_filesystems(im, r, ins, fss, nfs);
    }
    rc = 0;
attach:
    for (size_t j = 0; j < nfs; j++) {
        if (!fss[j].json)
            continue;   /* a further subvolume mount of a listed btrfs */
        doc_put(fss[j].json, "mountpoint", jstr_or_null(fss[j].mountpoint));
        doc_put(fss[j].json, "mounted_at", jstr_or_null(fss[j].mounted_at));
        doc_put(fss[j].json, "mounted", jbool(fss[j].mounted_at != NULL));
    }
    /* Filesystems go into their volume in device-name order. */
    for (int i = 0; i < im->ndisks; i++)
        for (;;) {
            size_t best = nfs;
            for (size_t j = 0; j < nfs; j++)
                /* A filesystem whose disk could not be told goes with disk 0. */
                if (fss[j].json && (fss[j].volume == i || (i == 0 && fss[j].volume < 0)) &&
                    (best == nfs || strcmp(fss[j].device, fss[best].device) < 0))
                    best = j;
            if (best == nfs)
                break;
            doc_push(vol_fs[i], fss[best].json);
            fss[best].json = NULL;
        }
out:
    free(vol_fs);
    for (size_t j = 0; j < nfs; j++) {
        free(fss[j].device);
        free(fss[j].type);
        free(fss[j].uuid);
        free(fss[j].label);
        free(fss[j].partuuid);
        free(fss[j].mountpoint);
        free(fss[j].mount_opts);
        free(fss[j].mounted_at);
        free(fss[j].luks_mapper);
        free(fss[j].luks_error);
        json_object_put(fss[j].json);   /* on no volume (unmapped) */
    }
    free(fss);
    vfs_free_names(devices);
    return rc;
}

int inspect_dir(vfs *v, const char *root, struct report *r, struct inspection *ins)
{
    json_object *volumes = jarray(), *vol = jobject();
    struct vfs_stat st;

    memset(ins, 0, sizeof *ins);
    doc_put(vol, "index", jint(0));
    doc_put(vol, "path", jstr(root));
    doc_put(vol, "format", jstr("directory"));
    doc_put(vol, "format_source", jstr("option"));
    doc_put(vol, "virtual_size", NULL);
    doc_put(vol, "filesystems", jarray());
    doc_push(volumes, vol);
    report_set(r, "volumes", volumes);
    if (vfs_lstat(v, "/", &st) == 0) {
        ins->devs = xmalloc(sizeof *ins->devs);
        if (ins->devs)
            ins->devs[ins->ndevs++] = (struct dev_volume){st.dev, 0};
    }
    ins->filesystems = 1;
    if (os_release_read(v, &ins->os) == 0) {
        ins->has_os = 1;
        report_set(r, "os", os_info_json(&ins->os));
    } else {
        report_set(r, "os", NULL);
        report_add_finding(r, F_OS_NOT_FOUND, -1, NULL, NULL);
    }
    return 0;
}

void inspection_free(struct inspection *ins)
{
    os_info_free(&ins->os);
    free(ins->devs);
    memset(ins, 0, sizeof *ins);
}
