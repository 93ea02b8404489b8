/* Nitro boot readiness: entry point.  Every installed kernel is judged (not
 * only the default one), then the boot configuration, disk and network
 * naming; facts go to the report's kernels, boot, fstab and network
 * sections, problems become findings. */
#include "nitro_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static int distro_in(const struct scan_ctx *c, const char *const *list)
{
    if (!c->distro)
        return 0;
    for (; *list; list++)
        if (!strcmp(c->distro, *list))
            return 1;
    return 0;
}

int distro_is_rhel_family(const struct scan_ctx *c)
{
    static const char *const l[] = { "rhel", "centos", "rocky", "almalinux", "alma", "ol",
        "oraclelinux", "amazonlinux", "amzn", "fedora", "redhat-based", "scientificlinux",
        "cloudlinux", "eurolinux", "circle", "virtuozzo", NULL };
    return distro_in(c, l);
}

int distro_is_debian_family(const struct scan_ctx *c)
{
    static const char *const l[] = { "debian", "ubuntu", "linuxmint", "devuan", "kali", NULL };
    return distro_in(c, l) || (c->package_format && !strcmp(c->package_format, "deb"));
}

int distro_is_suse(const struct scan_ctx *c)
{
    static const char *const l[] = { "sles", "suse", "opensuse", "opensuse-leap",
        "opensuse-tumbleweed", "suse-based", "sled", NULL };
    return distro_in(c, l);
}

void remedy_initramfs(const struct scan_ctx *c, const struct kernel *k, const char *mods,
                      char *out, size_t cap)
{
    const char *img = k->have_initramfs ? k->initrd.path : NULL;
    if (distro_is_debian_family(c))
        str_fmt(out, cap,
                 "Add %s to /etc/initramfs-tools/modules, then run update-initramfs -u -k %s "
                 "(update-initramfs -c -k %s if there is none yet).", mods, k->version, k->version);
    else if (distro_is_suse(c))
        str_fmt(out, cap, "Run dracut --add-drivers \"%s\" -f %s %s.", mods,
                 img ? img : "/boot/initrd-<kver>", k->version);
    else if (distro_is_rhel_family(c) || (c->package_format && !strcmp(c->package_format, "rpm"))) {
        char own[300];
        str_fmt(own, sizeof own, "/boot/initramfs-%s.img", k->version);
        str_fmt(out, cap, "Run dracut --add-drivers \"%s\" -f %s %s.", mods, img ? img : own,
                 k->version);
    }
    else
        str_fmt(out, cap, "Rebuild the initramfs of %s with the %s driver(s) included.",
                 k->version, mods);
}

static void remedy_ena(const struct scan_ctx *c, const struct kernel *k, char *out, size_t cap)
{
    if (distro_is_debian_family(c))
        str_fmt(out, cap,
                 "Install a kernel with ENA (Debian: linux-image-cloud-amd64; Ubuntu: linux-aws "
                 "or linux-generic of 16.04+), or build the amzn-drivers ENA module with DKMS "
                 "for %s.", k->version);
    else if (distro_is_suse(c))
        str_fmt(out, cap,
                 "Update to a kernel that ships ena (SLES 12 SP2 or later), or build the "
                 "amzn-drivers ENA module for %s.", k->version);
    else if (distro_is_rhel_family(c))
        str_fmt(out, cap,
                 "Update the kernel (RHEL/CentOS 7.4+ include ena), or install a kmod-ena "
                 "package or the amzn-drivers ENA DKMS build for %s.", k->version);
    else
        str_fmt(out, cap, "Install a kernel with the ENA driver or build the amzn-drivers "
                 "ENA module for %s.", k->version);
}

static void judge(struct kernel *k)
{
    int arch_ok = k->bz.bits != 32 && !k->xen_pv_only;
    int nvme_mod = k->nvme.status == DRV_MODULE || k->nvme.status == DRV_OUT_OF_TREE;
    int nvme_ok = k->nvme.status == DRV_BUILTIN || (nvme_mod && k->nvme.in_initramfs == 1);
    int ena_ok = (k->ena.status == DRV_BUILTIN || k->ena.status == DRV_MODULE ||
                  k->ena.status == DRV_OUT_OF_TREE) && !k->ena.vermagic_mismatch;
    k->nitro_ready = arch_ok && nvme_ok && ena_ok;
    k->needs_initramfs_fix = nvme_mod && k->nvme.in_initramfs != 1;
}

static json_object *evidence_arr(const struct drv_info *d, const struct drv_info *extra)
{
    json_object *a = jarray();
    for (int i = 0; i < d->nevidence; i++)
        doc_push(a, jstr(d->evidence[i]));
    for (int i = 0; extra && i < extra->nevidence; i++)
        doc_push(a, jstr(extra->evidence[i]));
    return a;
}

static json_object *tri(int v)
{
    return v < 0 ? NULL : jbool(v);
}

static json_object *kernel_json(const struct kernel *k)
{
    json_object *o = jobject(), *d;
    doc_put(o, "version", jstr(k->version));
    doc_put(o, "vmlinuz", jstr_or_null(k->vmlinuz[0] ? k->vmlinuz : NULL));
    doc_put(o, "compression", jstr(comp_name(k->bz.compression)));
    doc_put(o, "arch", jstr(k->bz.arch[0] ? k->bz.arch : "unknown"));
    doc_put(o, "bits", k->bz.bits ? jint(k->bz.bits) : NULL);
    doc_put(o, "xen_pv_only", jbool(k->xen_pv_only));
    doc_put(o, "default", jbool(k->is_default));
    doc_put(o, "cmdline", jstr_or_null(k->cmdline));

    d = jobject();
    doc_put(d, "status", jstr(drv_status_str(k->nvme.status)));
    doc_put(d, "evidence", evidence_arr(&k->nvme, &k->nvme_core));
    doc_put(d, "in_initramfs", tri(k->nvme.in_initramfs));
    doc_put(o, "nvme", d);

    d = jobject();
    doc_put(d, "status", jstr(drv_status_str(k->ena.status)));
    doc_put(d, "version", jstr_or_null(k->ena.version[0] ? k->ena.version : NULL));
    doc_put(d, "evidence", evidence_arr(&k->ena, NULL));
    doc_put(d, "in_initramfs", tri(k->ena.in_initramfs));
    doc_put(o, "ena", d);

    if (k->have_initramfs) {
        d = jobject();
        doc_put(d, "path", jstr(k->initrd.path));
        doc_put(d, "compression", jstr(comp_name(k->initrd.compression)));
        doc_put(d, "early_cpio", jbool(k->initrd.early_cpio));
        doc_put(d, "readable", jbool(k->initrd.readable));
        doc_put(d, "error", jstr_or_null(k->initrd.error[0] ? k->initrd.error : NULL));
        doc_put(d, "modules_count", jint((int64_t)k->initrd.modules_count));
        doc_put(d, "entry_initrd", jstr_or_null(k->entry_initrd[0] ? k->entry_initrd : NULL));
        doc_put(o, "initramfs", d);
    } else {
        doc_put(o, "initramfs", NULL);
    }
    doc_put(o, "modules_dir", jstr_or_null(k->modules_dir[0] ? k->modules_dir : NULL));
    doc_put(o, "nitro_ready", jbool(k->nitro_ready));
    return o;
}

/* Findings for one kernel; those of kernels that do not boot by default are
 * warnings, since a config change is needed before they matter. */
static void kernel_findings(struct scan_ctx *c, const struct kernel *k)
{
    char rem[1024];
    json_object *f;
#define SOFTEN(f) do { if (!k->is_default && (f)) report_finding_severity((f), SEV_WARNING); } while (0)

    if (k->bz.bits == 32) {
        f = report_add_findingf(c->r, F_NITRO_KERNEL_32BIT, c->root_volume,
                                "Install and boot a 64-bit (x86_64) kernel.", "%s", k->version);
        report_finding_evidence(f, "%s: %s", k->vmlinuz, k->bz.arch);
        SOFTEN(f);
    }
    if (k->xen_pv_only) {
        f = report_add_findingf(c->r, F_NITRO_KERNEL_XEN_PV, c->root_volume,
                                "Install and boot the distribution's standard (HVM) kernel.",
                                "%s", k->version);
        report_finding_evidence(f, "%s", k->vmlinuz);
        SOFTEN(f);
    }
    if (k->nvme.status == DRV_ABSENT) {
        f = report_add_findingf(c->r, F_NITRO_NVME_MISSING, c->root_volume,
                                "Install a kernel with the nvme driver (Linux 3.3+; all current "
                                "distribution kernels have it).", "%s", k->version);
        for (int i = 0; i < k->nvme.nevidence; i++)
            report_finding_evidence(f, "%s", k->nvme.evidence[i]);
        report_finding_evidence(f, "no nvme in %s",
                                k->modules_dir[0] ? k->modules_dir : "(no modules tree)");
        SOFTEN(f);
    } else if (k->needs_initramfs_fix) {
        if (!k->have_initramfs) {
            remedy_initramfs(c, k, "nvme", rem, sizeof rem);
            f = report_add_findingf(c->r, F_NITRO_INITRAMFS_MISSING, c->root_volume, rem,
                                    "%s", k->version);
            report_finding_evidence(f, "nvme is a module (%s) and no initramfs exists for %s",
                                    k->nvme.module_path, k->version);
            if (k->entry_initrd[0])
                report_finding_evidence(f, "its boot entry loads %s, which is not there",
                                        k->entry_initrd);
        } else if (!k->initrd.readable) {
            f = report_add_findingf(c->r, F_NITRO_INITRAMFS_UNREADABLE, c->root_volume,
                                    "Check the initramfs, or rebuild it.", "%s", k->initrd.path);
            report_finding_evidence(f, "%s: %s", k->initrd.path, k->initrd.error);
        } else {
            const char *mods = k->nvme_core.status == DRV_MODULE ||
                               k->nvme_core.status == DRV_OUT_OF_TREE ? "nvme nvme_core" : "nvme";
            remedy_initramfs(c, k, mods, rem, sizeof rem);
            f = report_add_findingf(c->r, F_NITRO_NVME_INITRAMFS, c->root_volume, rem,
                                    "%s", k->version);
            report_finding_evidence(f, "%s: %lu modules, no %s%s", k->initrd.path,
                                    k->initrd.modules_count,
                                    k->initrd.has_nvme ? "nvme_core" : "nvme",
                                    k->initrd.early_cpio ? " (early cpio archive parsed)" : "");
            report_finding_evidence(f, "module: %s", k->nvme.module_path);
        }
        SOFTEN(f);
    }
    if (k->ena.status == DRV_ABSENT) {
        remedy_ena(c, k, rem, sizeof rem);
        f = report_add_findingf(c->r, F_NITRO_ENA_MISSING, c->root_volume, rem, "%s", k->version);
        for (int i = 0; i < k->ena.nevidence; i++)
            report_finding_evidence(f, "%s", k->ena.evidence[i]);
        report_finding_evidence(f, "no ena in %s",
                                k->modules_dir[0] ? k->modules_dir : "(no modules tree)");
        SOFTEN(f);
    }
    if (k->ena.vermagic_mismatch) {
        str_fmt(rem, sizeof rem,
                 "Rebuild the ENA module for %s (dkms autoinstall -k %s, or the kmod package "
                 "for this kernel), or remove the stale copy.", k->version, k->version);
        f = report_add_findingf(c->r, F_NITRO_ENA_VERMAGIC, c->root_volume, rem, "%s", k->version);
        report_finding_evidence(f, "%s", k->ena.module_path);
        report_finding_evidence(f, "vermagic=%s (kernel %s)", k->ena.vermagic, k->version);
        SOFTEN(f);
    }
#undef SOFTEN
}

/* The default as the configuration names it matches no menu entry: the
 * loader boots the first one, which is rarely what was meant. */
static void default_entry_findings(struct scan_ctx *c, const struct boot_info *bi)
{
    if (!bi->default_unmatched || bi->default_index < 0)
        return;
    const struct boot_entry *e = &bi->e[bi->default_index];
    json_object *f = report_add_findingf(c->r, F_BOOT_DEFAULT_UNMATCHED, c->root_volume,
        "Set the default to an existing entry (grub2-set-default or grubby --set-default on "
        "RHEL, GRUB_DEFAULT and update-grub on Debian; default= in grub.conf or menu.lst).",
        "%s", bi->default_named);
    report_finding_evidence(f, "%s: the default is '%s'", bi->config, bi->default_named);
    report_finding_evidence(f, "no entry has that title, id or index; the first, '%s', boots",
                            e->title);
}

/* The default entry's kernel file is on none of the disks: the loader
 * stops there.  Said, and no other kernel is judged in its place. */
static const struct boot_entry *default_kernel_lost(struct scan_ctx *c,
                                                    const struct boot_info *bi,
                                                    const struct kernel_list *kl)
{
    char p[600];
    if (bi->default_index < 0 || kl->n == 0)
        return NULL;
    const struct boot_entry *e = &bi->e[bi->default_index];
    /* only an absolute path can be looked up, not one built from variables */
    if ((e->kernel[0] != '/' && e->kernel[0] != '(') || strchr(e->kernel, '$') ||
        boot_path_find(c->v, e->kernel, p, sizeof p))
        return NULL;
    json_object *f = report_add_findingf(c->r, F_BOOT_DEFAULT_NO_KERNEL, c->root_volume,
        "Install the kernel the default entry names, or make an installed kernel the default "
        "(grub2-set-default or grubby --set-default on RHEL, GRUB_DEFAULT and update-grub on "
        "Debian) and regenerate the boot configuration.", "%s", e->title);
    report_finding_evidence(f, "%s: default entry '%s' loads %s", bi->config, e->title, e->kernel);
    report_finding_evidence(f, "%s is not on the disks", e->kernel);
    for (int i = 0; i < kl->n && i < 8; i++)
        report_finding_evidence(f, "installed: %s", kl->k[i].vmlinuz[0] ? kl->k[i].vmlinuz
                                                                       : kl->k[i].version);
    return e;
}

static json_object *default_entry_json(const struct boot_info *bi)
{
    if (bi->default_index < 0)
        return NULL;
    const struct boot_entry *e = &bi->e[bi->default_index];
    json_object *o = jobject();
    doc_put(o, "title", jstr(e->title));
    doc_put(o, "named_as", jstr_or_null(bi->default_named[0] ? bi->default_named
                                                            : NULL));
    doc_put(o, "matched", jbool(!bi->default_unmatched));
    doc_put(o, "kernel", jstr_or_null(e->kernel[0] ? e->kernel : NULL));
    doc_put(o, "initrd", jstr_or_null(e->initrd[0] ? e->initrd : NULL));
    return o;
}

int scan_nitro(struct scan_ctx *c)
{
    struct kernel_list kl = { NULL, 0, 0 };
    struct boot_info bi;
    struct disk_names dn;
    const char *default_cmdline = NULL;
    int def = -1;

    disk_names_init(c, &dn);
    kernels_find(c, &kl);
    mgn_scan(c);
    boot_scan(c, &bi);

    /* pair boot entries with kernels: the default one, and command lines */
    for (int i = 0; i < bi.n; i++) {
        char ver[256];
        boot_kernel_version(bi.e[i].kernel, ver, sizeof ver);
        for (int j = 0; j < kl.n; j++) {
            if (strcmp(kl.k[j].version, ver))
                continue;
            if (!kl.k[j].cmdline && bi.e[i].cmdline)
                kl.k[j].cmdline = xstrdup(bi.e[i].cmdline);
            if (!kl.k[j].entry_initrd[0])
                str_fmt(kl.k[j].entry_initrd, sizeof kl.k[j].entry_initrd, "%s", bi.e[i].initrd);
            if (i == bi.default_index) {
                def = j;
                free(kl.k[j].cmdline);
                kl.k[j].cmdline = bi.e[i].cmdline ? xstrdup(bi.e[i].cmdline) : NULL;
                str_fmt(kl.k[j].entry_initrd, sizeof kl.k[j].entry_initrd, "%s", bi.e[i].initrd);
            }
        }
    }
    if (bi.n == 0 && kl.n > 0)
        report_add_finding(c->r, F_BOOT_LOADER_UNKNOWN, c->root_volume,
                           "Check how this system boots; liftcheck judged the newest kernel as "
                           "the default.", NULL);
    default_entry_findings(c, &bi);
    const struct boot_entry *lost = def < 0 ? default_kernel_lost(c, &bi, &kl) : NULL;
    /* without a bootloader answer the newest kernel stands in; a default
     * entry whose kernel is gone has no stand-in */
    if (def < 0 && kl.n > 0 && !lost)
        def = 0;
    if (def >= 0)
        kl.k[def].is_default = 1;

    struct root_needs rn;
    if (def >= 0) {
        root_needs_find(c, kl.k[def].cmdline, &rn);
        kl.k[def].root = &rn;
    }
    json_object *karr = jarray();
    for (int i = 0; i < kl.n; i++) {
        kernels_examine(c, &kl.k[i]);
        judge(&kl.k[i]);
        root_needs_judge(&kl.k[i]);
        kernel_findings(c, &kl.k[i]);
        root_needs_findings(c, &kl.k[i]);
        doc_push(karr, kernel_json(&kl.k[i]));
    }
    if (kl.n == 0)
        report_add_finding(c->r, F_NITRO_NO_KERNEL, c->root_volume,
                           "Install a kernel package for the distribution.",
                           (const char *const[]){ "no /boot/vmlinuz-* or /lib/modules/*/vmlinuz", NULL });
    if (def >= 0 && !kl.k[def].nitro_ready) {
        for (int i = 0; i < kl.n; i++) {
            if (i == def || !kl.k[i].nitro_ready)
                continue;
            json_object *f = report_add_findingf(c->r, F_NITRO_OTHER_KERNEL, c->root_volume,
                "Make the Nitro-ready kernel the default (grubby --set-default, or "
                "GRUB_DEFAULT and update-grub/grub2-mkconfig), or fix the default kernel.",
                "%s", kl.k[i].version);
            report_finding_evidence(f, "default kernel %s is not ready", kl.k[def].version);
            break;
        }
    }
    default_cmdline = def >= 0 ? kl.k[def].cmdline : lost ? lost->cmdline : NULL;
    if (default_cmdline) {
        char where[700], val[64];
        if (def >= 0)
            str_fmt(where, sizeof where, "%s (%s)", bi.config, kl.k[def].version);
        else
            str_fmt(where, sizeof where, "%s, entry '%s'", bi.config, lost->title);
        cmdline_check(c, &dn, default_cmdline, where);
        if (!cmdline_get(default_cmdline, "nvme_core.io_timeout", val, sizeof val)) {
            json_object *f = report_add_finding(c->r, F_NITRO_NVME_TIMEOUT, c->root_volume,
                "Add nvme_core.io_timeout=4294967295 to the kernel command line (AWS "
                "recommendation for EBS).", NULL);
            report_finding_evidence(f, "%s: %s", where, default_cmdline);
        }
    }

    /* every other entry: one picked at the boot menu or made default later;
     * the default entry is a blocker even when it matches no kernel */
    for (int i = 0; i < bi.n; i++) {
        char where[800];
        if (!bi.e[i].cmdline || (default_cmdline && !strcmp(bi.e[i].cmdline, default_cmdline)))
            continue;
        const char *bls = strchr(bi.e[i].id, '|');
        if (strstr(bi.loader, "bls") && bls)
            str_fmt(where, sizeof where, "/boot/loader/entries/%s.conf", bls + 1);
        else
            str_fmt(where, sizeof where, "%s, entry '%s'", bi.config, bi.e[i].title);
        cmdline_devnames(c, &dn, bi.e[i].cmdline, where,
                         i == bi.default_index ? SEV_BLOCKER : SEV_WARNING);
    }

    json_object *boot = jobject();
    doc_put(boot, "loader", jstr(bi.loader));
    doc_put(boot, "config", jstr_or_null(bi.config[0] ? bi.config : NULL));
    doc_put(boot, "default_kernel", jstr_or_null(def >= 0 ? kl.k[def].version : NULL));
    doc_put(boot, "default_entry", default_entry_json(&bi));
    doc_put(boot, "mode", boot_mode_scan(c, &bi));
    doc_put(boot, "root_needs", def >= 0 ? root_needs_json(&kl.k[def]) : NULL);

    report_set(c->r, "kernels", karr);
    report_set(c->r, "boot", boot);
    report_set(c->r, "fstab", fstab_scan(c, &dn));
    crypttab_scan(c, &dn);
    diskconf_scan(c, &dn);
    lvm_filter_scan(c);
    report_set(c->r, "network", network_scan(c, default_cmdline));
    misc_scan(c, &kl);

    boot_free(&bi);
    kernels_free(&kl);
    disk_names_free(&dn);
    return 0;
}
