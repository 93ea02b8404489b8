/* The boot mode the server's disks support (BIOS, UEFI or both), from the
 * boot disk's partition table and partitions (which inspection of disk
 * images records in the report's volumes) and from the tree: GRUB's
 * platform directories and the loaders on the EFI system partition.  It
 * decides the AMI's boot mode: current x86 Nitro types boot both, Graviton
 * only UEFI. */
#include "nitro_int.h"

#include <string.h>
#include <strings.h>

#include "model/jdoc.h"

#define ESP_GPT_TYPE "c12a7328-f81f-11d2-ba4b-00a0c93ec93b"
#define BIOS_BOOT_GPT_TYPE "21686148-6449-6e6f-744e-656564454649"
#define LOADERS_MAX 16

struct boot_disk {
    const char *table;      /* "gpt", "dos", or NULL: not seen */
    int seen;               /* the disk itself was read (not a --root tree) */
    const char *esp;        /* device of the EFI system partition */
    const char *bios_boot;  /* device of the BIOS boot partition */
};

struct boot_tree {
    char grub_pc[64], grub_efi[64];     /* platform directories found */
    char loader[LOADERS_MAX][300];      /* EFI/<distro>/grub*.efi, shim*.efi */
    int nloaders;
};

/* The disk /boot lies on, from the volumes inspection recorded. */
static void boot_disk_read(struct scan_ctx *c, struct boot_disk *d)
{
    struct vfs_stat st;
    json_object *vols = report_get(c->r, "volumes"), *vol, *parts;
    int idx = vfs_stat(c->v, "/boot", &st) == 0 ? scan_volume_of(c, &st) : c->root_volume;

    memset(d, 0, sizeof *d);
    if (idx < 0 || (size_t)idx >= doc_len(vols))
        return;
    vol = doc_at(vols, (size_t)idx);
    const char *fmt = doc_str(vol, "format");
    d->seen = fmt && strcmp(fmt, "directory");
    d->table = doc_str(vol, "partition_table");
    parts = doc_arr(vol, "partitions");
    for (size_t i = 0; i < doc_len(parts); i++) {
        json_object *p = doc_at(parts, i);
        const char *type = doc_str(p, "type"), *dev = doc_str(p, "device");
        if (!type || !dev)
            continue;
        if (!strcasecmp(type, ESP_GPT_TYPE) || !strcasecmp(type, "0xef"))
            d->esp = dev;
        else if (!strcasecmp(type, BIOS_BOOT_GPT_TYPE))
            d->bios_boot = dev;
    }
}

static int is_dir(vfs *v, const char *path)
{
    struct vfs_stat st;
    return vfs_stat(v, path, &st) == 0 && st.type == VFS_DIR;
}

static int loader_name(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && !strcasecmp(name + n - 4, ".efi") &&
           (!strncasecmp(name, "grub", 4) || !strncasecmp(name, "shim", 4));
}

/* EFI/<distro>/grub*.efi and shim*.efi under an ESP mountpoint; vfat is
 * case-blind, so names are compared without case. */
static void loaders_find(vfs *v, const char *esp, struct boot_tree *t)
{
    char efi[64], **dirs = NULL;
    str_fmt(efi, sizeof efi, "%s/EFI", esp);
    if (vfs_list(v, efi, &dirs) != 0) {
        str_fmt(efi, sizeof efi, "%s/efi", esp);
        if (vfs_list(v, efi, &dirs) != 0)
            return;
    }
    for (size_t i = 0; dirs[i] && t->nloaders < LOADERS_MAX; i++) {
        char dir[400], **files = NULL;
        str_fmt(dir, sizeof dir, "%s/%s", efi, dirs[i]);
        if (vfs_list(v, dir, &files) != 0)
            continue;
        for (size_t j = 0; files[j] && t->nloaders < LOADERS_MAX; j++)
            if (loader_name(files[j]))
                str_fmt(t->loader[t->nloaders++], sizeof t->loader[0], "%s/%s", dir, files[j]);
        vfs_free_names(files);
    }
    vfs_free_names(dirs);
}

static void boot_tree_read(vfs *v, struct boot_tree *t)
{
    static const char *const grub[] = { "/boot/grub", "/boot/grub2", NULL };
    static const char *const efi_platforms[] = { "x86_64-efi", "arm64-efi", "i386-efi", NULL };

    memset(t, 0, sizeof *t);
    for (int i = 0; grub[i]; i++) {
        char p[64];
        str_fmt(p, sizeof p, "%s/i386-pc", grub[i]);
        if (!t->grub_pc[0] && is_dir(v, p))
            str_fmt(t->grub_pc, sizeof t->grub_pc, "%s", p);
        for (int j = 0; efi_platforms[j] && !t->grub_efi[0]; j++) {
            str_fmt(p, sizeof p, "%s/%s", grub[i], efi_platforms[j]);
            if (is_dir(v, p))
                str_fmt(t->grub_efi, sizeof t->grub_efi, "%s", p);
        }
    }
    loaders_find(v, "/boot/efi", t);
    loaders_find(v, "/efi", t);
}

static void add_evidence(json_object *arr, const char *fmt, const char *arg)
{
    char line[512];
    str_fmt(line, sizeof line, fmt, arg);
    doc_push(arr, jstr(line));
}

/* A finding whose evidence is the boot mode's. */
static void mode_finding(struct scan_ctx *c, enum finding_id id, json_object *ev,
                         const char *remediation)
{
    json_object *f = report_add_finding(c->r, id, c->root_volume, remediation, NULL);
    for (size_t i = 0; i < doc_len(ev); i++)
        report_finding_evidence(f, "%s", doc_str_at(ev, i));
}

json_object *boot_mode_scan(struct scan_ctx *c, const struct boot_info *bi)
{
    struct boot_disk d;
    struct boot_tree t;
    json_object *o = jobject(), *ev = jarray();
    json_object *loaders = jarray();

    boot_disk_read(c, &d);
    boot_tree_read(c->v, &t);

    /* other schemes (sun, bsd...) are neither */
    int gpt = d.seen && d.table && !strcmp(d.table, "gpt");
    int table_known = gpt || (d.seen && d.table && !strcmp(d.table, "dos"));
    /* grub-pc on GPT needs a BIOS boot partition to hold its core image;
     * firmware finds UEFI loaders only on an EFI system partition */
    int bios = t.grub_pc[0] && (!table_known || !gpt || d.bios_boot);
    int efi_code = t.nloaders > 0 || t.grub_efi[0];
    int uefi = efi_code && (!table_known || d.esp);
    /* an MBR disk without an ESP can only be started by BIOS firmware */
    if (!bios && !uefi && table_known && !gpt && !d.esp && bi->n > 0)
        bios = 1;
    const char *mode = bios && uefi ? "both" : bios ? "bios" : uefi ? "uefi" : "unknown";

    if (!d.seen)
        doc_push(ev, jstr("partition table not seen (a directory tree, not disks)"));
    else if (!d.table)
        doc_push(ev, jstr("no partition table on the boot disk"));
    else if (!table_known)
        add_evidence(ev, "partition table: %s", d.table);
    else
        add_evidence(ev, "partition table: %s", gpt ? "GPT" : "MBR");
    if (d.esp)
        add_evidence(ev, "EFI system partition: %s", d.esp);
    if (d.bios_boot)
        add_evidence(ev, "BIOS boot partition: %s", d.bios_boot);
    if (t.grub_pc[0])
        add_evidence(ev, "grub-pc installed: %s", t.grub_pc);
    if (t.grub_efi[0])
        add_evidence(ev, "grub-efi installed: %s", t.grub_efi);
    for (int i = 0; i < t.nloaders; i++) {
        add_evidence(ev, "EFI loader: %s", t.loader[i]);
        doc_push(loaders, jstr(t.loader[i]));
    }
    if (bios && !t.grub_pc[0])
        add_evidence(ev, "MBR disk without an EFI system partition, booted from %s",
                     bi->config[0] ? bi->config : "its bootloader configuration");
    if (t.grub_pc[0] && gpt && !d.bios_boot)
        doc_push(ev, jstr("grub-pc on GPT without a BIOS boot partition: BIOS "
                          "firmware cannot start it"));
    if (efi_code && table_known && !d.esp)
        doc_push(ev, jstr("EFI loaders but no EFI system partition on the boot disk"));

    const char *ami = bios && uefi ? "uefi-preferred" : bios ? "legacy-bios" : uefi ? "uefi" : NULL;
    const char *meaning =
        bios && uefi ? "Boots by BIOS or UEFI: any AMI boot mode works; current x86 Nitro types "
                       "support both, Graviton (arm64) only UEFI." :
        bios ? "Boots by legacy BIOS only: register the AMI with boot mode legacy-bios; current "
               "x86 Nitro types support it, Graviton (arm64) types do not." :
        uefi ? "Boots by UEFI only: register the AMI with boot mode uefi; current x86 Nitro "
               "types and Graviton support it, types that boot only by BIOS do not." :
               "No BIOS or UEFI boot code found: the AMI's boot mode cannot be chosen from the disks.";

    doc_put(o, "mode", jstr(mode));
    doc_put(o, "partition_table", jstr_or_null(!table_known ? NULL : gpt ? "gpt" : "mbr"));
    doc_put(o, "table_seen", jbool(d.seen));
    doc_put(o, "esp", jstr_or_null(d.esp));
    doc_put(o, "bios_boot_partition", jstr_or_null(d.bios_boot));
    doc_put(o, "grub_pc", jstr_or_null(t.grub_pc[0] ? t.grub_pc : NULL));
    doc_put(o, "grub_efi", jstr_or_null(t.grub_efi[0] ? t.grub_efi : NULL));
    doc_put(o, "efi_loaders", loaders);
    doc_put(o, "ami_boot_mode", jstr_or_null(ami));
    doc_put(o, "meaning", jstr(meaning));
    doc_put(o, "evidence", ev);

    if (uefi && !bios)
        mode_finding(c, F_BOOT_MODE_UEFI_ONLY, ev,
            "Register the AMI with boot mode uefi (or uefi-preferred), and pick an instance "
            "type that boots by UEFI: current x86 Nitro types and Graviton do.");
    else if (!bios && !uefi && bi->n == 0)
        mode_finding(c, F_BOOT_MODE_UNKNOWN, ev,
            "Check how this server boots: install GRUB for BIOS (grub-pc) or UEFI (grub-efi "
            "on an EFI system partition) before the move.");
    return o;
}
