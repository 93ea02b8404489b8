/* Installed kernels: vmlinuz files paired with their modules trees, and the
 * NVMe and ENA drivers each one has (built in, module, out of tree). */
#include "nitro_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define CONFIG_CAP (4u << 20)
#define DEP_CAP (32u << 20)
#define VMLINUX_CAP (256u << 20)
#define INITRAMFS_CAP (512u << 20)
#define MAX_KERNELS 64

const char *drv_status_str(enum drv_status s)
{
    switch (s) {
    case DRV_BUILTIN: return "builtin";
    case DRV_MODULE: return "module";
    case DRV_OUT_OF_TREE: return "out_of_tree";
    case DRV_ABSENT: return "absent";
    default: return "unknown";
    }
}

static struct kernel *kl_find(struct kernel_list *kl, const char *ver)
{
    for (int i = 0; i < kl->n; i++)
        if (!strcmp(kl->k[i].version, ver))
            return &kl->k[i];
    return NULL;
}

static struct kernel *kl_add(struct kernel_list *kl, const char *ver)
{
    if (kl->n >= MAX_KERNELS)
        return NULL;
    if (kl->n == kl->cap) {
        int nc = kl->cap ? kl->cap * 2 : 8;
        kl->k = xreallocarray(kl->k, (size_t)nc, sizeof *kl->k);
        kl->cap = nc;
    }
    struct kernel *k = &kl->k[kl->n++];
    memset(k, 0, sizeof *k);
    str_fmt(k->version, sizeof k->version, "%s", ver);
    k->nvme.in_initramfs = k->nvme_core.in_initramfs = k->ena.in_initramfs = -1;
    return k;
}

static int is_dir(vfs *v, const char *p)
{
    struct vfs_stat st;
    return vfs_stat(v, p, &st) == 0 && st.type == VFS_DIR;
}

static int is_reg(vfs *v, const char *p)
{
    struct vfs_stat st;
    return vfs_stat(v, p, &st) == 0 && st.type == VFS_REG;
}

static void find_modules_dir(vfs *v, struct kernel *k)
{
    static const char *const roots[] = { "/lib/modules", "/usr/lib/modules" };
    char p[512];
    for (size_t i = 0; i < 2; i++) {
        str_fmt(p, sizeof p, "%s/%s", roots[i], k->version);
        if (is_dir(v, p)) {
            str_fmt(k->modules_dir, sizeof k->modules_dir, "%s", p);
            return;
        }
    }
}

int kernels_find(struct scan_ctx *c, struct kernel_list *kl)
{
    char **names = NULL;
    char p[512];

    if (vfs_list(c->v, "/boot", &names) == 0) {
        for (char **n = names; *n; n++) {
            if (strncmp(*n, "vmlinuz-", 8) || strlen(*n) <= 8)
                continue;
            size_t l = strlen(*n);
            if (l > 5 && !strcmp(*n + l - 5, ".hmac"))
                continue;
            str_fmt(p, sizeof p, "/boot/%s", *n);
            if (!is_reg(c->v, p))
                continue;
            const char *ver = *n + 8;
            struct bzimage_info bz;
            /* rescue images ("vmlinuz-0-rescue-<id>") name no version: the
             * header does */
            if (!strncmp(ver, "0-rescue-", 9) &&
                bzimage_parse(c->v, p, &bz) == 0 && bz.version[0])
                ver = bz.version;
            if (kl_find(kl, ver))
                continue;
            struct kernel *k = kl_add(kl, ver);
            if (!k)
                break;
            str_fmt(k->vmlinuz, sizeof k->vmlinuz, "%s", p);
        }
        vfs_free_names(names);
        names = NULL;
    }
    /* RHEL 8+ and Fedora also keep the image inside the modules tree */
    static const char *const roots[] = { "/lib/modules", "/usr/lib/modules" };
    for (size_t r = 0; r < 2; r++) {
        if (vfs_list(c->v, roots[r], &names) < 0)
            continue;
        for (char **n = names; *n; n++) {
            if (kl_find(kl, *n))
                continue;
            str_fmt(p, sizeof p, "%s/%s/vmlinuz", roots[r], *n);
            if (!is_reg(c->v, p))
                continue;
            struct kernel *k = kl_add(kl, *n);
            if (!k)
                break;
            str_fmt(k->vmlinuz, sizeof k->vmlinuz, "%s", p);
        }
        vfs_free_names(names);
        names = NULL;
    }
    for (int i = 0; i < kl->n; i++)
        find_modules_dir(c->v, &kl->k[i]);
    /* newest first, as bootloaders list them */
    for (int i = 1; i < kl->n; i++)
        for (int j = i; j > 0 && version_cmp(kl->k[j - 1].version, kl->k[j].version) < 0; j--) {
            struct kernel t = kl->k[j];
            kl->k[j] = kl->k[j - 1];
            kl->k[j - 1] = t;
        }
    return kl->n;
}

void kernels_free(struct kernel_list *kl)
{
    for (int i = 0; i < kl->n; i++)
        free(kl->k[i].cmdline);
    free(kl->k);
    kl->k = NULL;
    kl->n = kl->cap = 0;
}

__attribute__((format(printf, 2, 0)))
static void evid(struct drv_info *d, const char *fmt, const char *a, const char *b)
{
    if (d->nevidence >= MAX_EVIDENCE)
        return;
    str_fmt(d->evidence[d->nevidence++], sizeof d->evidence[0], fmt, a, b);
}

/* ---- what the kernel's own files say ---- */
struct kfacts {
    char cfg_nvme, cfg_nvme_core, cfg_ena;     /* 'y', 'm' or 0 */
    int cfg_xen_pv, cfg_32bit, have_config, have_builtin;
    char config_path[512];
    int bi_nvme, bi_nvme_core, bi_ena;
    char dep_nvme[512], dep_nvme_core[512], dep_ena[512];
    int have_dep;
};

/* The kernel's files read once, for nvme and ena and for what the root
 * needs (NULL but for the default kernel). */
struct kread { struct kfacts *f; struct root_needs *rn; const char *dir; };

static int cfg_line(char *line, void *opaque)
{
    struct kread *kr = opaque;
    struct kfacts *f = kr->f;
    char *eq = strchr(line, '=');
    if (strncmp(line, "CONFIG_", 7) || !eq)
        return 0;
    *eq = '\0';
    char val = eq[1];
    for (int i = 0; kr->rn && i < kr->rn->nmods; i++)
        if (!strcmp(line, kr->rn->mod[i].config))
            kr->rn->mod[i].cfg = val;
    if (!strcmp(line, "CONFIG_BLK_DEV_NVME")) f->cfg_nvme = val;
    else if (!strcmp(line, "CONFIG_NVME_CORE")) f->cfg_nvme_core = val;
    else if (!strcmp(line, "CONFIG_ENA_ETHERNET")) f->cfg_ena = val;
    else if ((!strcmp(line, "CONFIG_X86_XEN") || !strcmp(line, "CONFIG_X86_64_XEN")) && val == 'y')
        f->cfg_xen_pv = 1;
    else if (!strcmp(line, "CONFIG_X86_32") && val == 'y')
        f->cfg_32bit = 1;
    return 0;
}

static int builtin_line(char *line, void *opaque)
{
    struct kread *kr = opaque;
    struct kfacts *f = kr->f;
    char m[128];
    if (module_name_of(trim(line), m, sizeof m) < 0)
        return 0;
    for (int i = 0; kr->rn && i < kr->rn->nmods; i++)
        if (!strcmp(m, kr->rn->mod[i].name))
            kr->rn->mod[i].builtin = 1;
    if (!strcmp(m, "nvme")) f->bi_nvme = 1;
    else if (!strcmp(m, "nvme_core")) f->bi_nvme_core = 1;
    else if (!strcmp(m, "ena")) f->bi_ena = 1;
    return 0;
}

/* A root module's file and the modules it depends on (modules.dep lists
 * them all, not only the direct ones). */
static void root_dep(struct root_needs *rn, const char *m, const char *file, const char *dir,
                     char *deps)
{
    int i, n = rn->nmods;
    for (i = 0; i < n && strcmp(rn->mod[i].name, m); i++)
        ;
    if (i == n || rn->mod[i].path[0])
        return;
    str_fmt(rn->mod[i].path, sizeof rn->mod[i].path, "%s%s%s", file[0] == '/' ? "" : dir,
            file[0] == '/' ? "" : "/", file);
    char *save = NULL, dm[128];
    for (char *t = strtok_r(deps, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
        int d = module_name_of(t, dm, sizeof dm) < 0 ? -1 : root_mod_index(rn, dm, NULL);
        if (d >= 0 && rn->mod[i].ndeps < ROOT_DEPS_MAX)
            rn->mod[i].deps[rn->mod[i].ndeps++] = d;
    }
}

static int dep_line(char *line, void *opaque)
{
    struct kread *d = opaque;
    char *colon = strchr(line, ':'), m[128];
    if (!colon)
        return 0;
    *colon = '\0';
    if (module_name_of(line, m, sizeof m) < 0)
        return 0;
    if (d->rn)
        root_dep(d->rn, m, line, d->dir, colon + 1);
    char *dst = !strcmp(m, "nvme") ? d->f->dep_nvme : !strcmp(m, "nvme_core") ? d->f->dep_nvme_core
              : !strcmp(m, "ena") ? d->f->dep_ena : NULL;
    if (dst && !dst[0])
        str_fmt(dst, 512, "%s%s%s", line[0] == '/' ? "" : d->dir, line[0] == '/' ? "" : "/", line);
    return 0;
}

/* ---- out-of-tree and unindexed modules: walk the small trees ---- */
struct walk_ctx {
    char nvme[512], nvme_core[512], ena[512];
};

static int walk_fn(const char *path, const struct vfs_stat *st, void *opaque)
{
    struct walk_ctx *w = opaque;
    char m[128];
    if (st->type != VFS_REG && st->type != VFS_LNK)
        return 0;
    if (module_name_of(path, m, sizeof m) < 0)
        return 0;
    char *dst = !strcmp(m, "nvme") ? w->nvme : !strcmp(m, "nvme_core") ? w->nvme_core
              : !strcmp(m, "ena") ? w->ena : NULL;
    if (dst && !dst[0])
        str_fmt(dst, 512, "%s", path);
    return 0;
}

static void walk_tree(struct scan_ctx *c, const char *dir, struct walk_ctx *w)
{
    struct vfs_walk_limits lim = { 16, 200000 };
    struct vfs_walk_result res;
    if (!is_dir(c->v, dir))
        return;
    vfs_walk(c->v, dir, &lim, walk_fn, w, &res);
    if (res.depth_limited || res.entries_limited)
        report_add_findingf(c->r, F_SCAN_LIMIT, c->root_volume, NULL,
                            "module tree %s cut short", dir);
}

static int is_out_of_tree_path(const char *modules_dir, const char *path)
{
    size_t n = strlen(modules_dir);
    if (strncmp(path, modules_dir, n) || path[n] != '/')
        return 0;
    const char *rel = path + n + 1;
    return !strncmp(rel, "updates/", 8) || !strncmp(rel, "extra/", 6) ||
           !strncmp(rel, "weak-updates/", 13) || strstr(rel, "/dkms/") || !strncmp(rel, "dkms/", 5);
}

static void set_module(struct scan_ctx *c, struct kernel *k, struct drv_info *d,
                       const char *path, const char *name)
{
    str_fmt(d->module_path, sizeof d->module_path, "%s", path);
    if (!is_out_of_tree_path(k->modules_dir, path)) {
        d->status = DRV_MODULE;
        evid(d, "%s%s", path, "");
        return;
    }
    d->status = DRV_OUT_OF_TREE;
    evid(d, "%s%s", path, " (out of tree)");
    struct modinfo mi;
    struct lc_error err;
    if (modinfo_read(c->v, path, &mi, &err) < 0) {
        json_object *f = report_add_findingf(c->r, F_SCAN_READ_ERROR, c->root_volume, NULL,
                                             "%s module %s", name, path);
        report_finding_evidence(f, "%s: %s", path, err.msg);
        return;
    }
    str_fmt(d->version, sizeof d->version, "%s", mi.version);
    str_fmt(d->vermagic, sizeof d->vermagic, "%s", mi.vermagic);
    if (mi.vermagic[0]) {
        char first[256];
        size_t l = strcspn(mi.vermagic, " ");
        str_fmt(first, sizeof first, "%.*s", (int)l, mi.vermagic);
        evid(d, "vermagic=%s%s", mi.vermagic, "");
        /* weak-updates hold modules of another kernel on purpose (kABI) */
        const char *rel = path + strlen(k->modules_dir) + 1;
        if (strcmp(first, k->version) && strncmp(rel, "weak-updates/", 13))
            d->vermagic_mismatch = 1;
    }
}

static void decide(struct scan_ctx *c, struct kernel *k, struct drv_info *d,
                   const char *name, char cfg, int builtin, int vml, const char *vml_str,
                   const char *oot, const char *dep, const char *found, const char *cfgpath)
{
    char p[600];
    if (builtin) {
        d->status = DRV_BUILTIN;
        str_fmt(p, sizeof p, "%s/modules.builtin", k->modules_dir);
        evid(d, "%s lists %s", p, name);
    }
    if (cfg == 'y') {
        d->status = DRV_BUILTIN;
        evid(d, "%s: %s=y", cfgpath, name);
    }
    if (vml) {
        d->status = DRV_BUILTIN;
        evid(d, "%s contains \"%s\"", k->vmlinuz, vml_str);
    }
    if (d->status == DRV_BUILTIN)
        return;
    if (oot && oot[0]) {
        set_module(c, k, d, oot, name);
        return;
    }
    if (dep && dep[0] && is_reg(c->v, dep)) {
        set_module(c, k, d, dep, name);
        return;
    }
    if (found && found[0]) {
        set_module(c, k, d, found, name);
        return;
    }
    d->status = DRV_ABSENT;
    if (cfg == 'm')
        evid(d, "%s: =m but no module file (%s)", cfgpath, name);
}

/* The boot entry's own initrd line, when it has one, is the only image the
 * bootloader loads: relative to a separate /boot partition (grub legacy's
 * "root (hd0,0)" with "initrd /initramfs-<ver>.img") or a path as the root
 * sees it (/boot/..., /initrd.img).  Without one, the names distributions
 * give it. */
static const char *initramfs_candidates(const struct kernel *k, int i, char *buf, size_t cap)
{
    const char *own = k->entry_initrd;
    if (own[0] == '/') {
        int under_boot = !strncmp(own, "/boot/", 6);
        if (i == 0 && !under_boot)
            str_fmt(buf, cap, "/boot%s", own);
        else if (i == !under_boot)
            str_fmt(buf, cap, "%s", own);
        else
            return NULL;
        return buf;
    }
    switch (i) {
    case 0: str_fmt(buf, cap, "/boot/initramfs-%s.img", k->version); break;
    case 1: str_fmt(buf, cap, "/boot/initrd.img-%s", k->version); break;
    case 2: str_fmt(buf, cap, "/boot/initrd-%s", k->version); break;
    case 3: str_fmt(buf, cap, "/boot/initrd-%s.img", k->version); break;
    case 4: str_fmt(buf, cap, "/boot/initramfs-%s", k->version); break;
    default: return NULL;
    }
    return buf;
}

void kernels_examine(struct scan_ctx *c, struct kernel *k)
{
    struct kfacts f;
    struct walk_ctx oot, all;
    char p[600];
    char *buf;
    size_t len;

    memset(&f, 0, sizeof f);
    memset(&oot, 0, sizeof oot);
    memset(&all, 0, sizeof all);
    if (k->vmlinuz[0] && bzimage_parse(c->v, k->vmlinuz, &k->bz) < 0)
        report_add_findingf(c->r, F_SCAN_READ_ERROR, c->root_volume, NULL,
                            "%s", k->vmlinuz);

    /* config: /boot first, then the modules tree (RHEL 8+) */
    str_fmt(f.config_path, sizeof f.config_path, "/boot/config-%s", k->version);
    buf = read_small(c->v, f.config_path, CONFIG_CAP, &len);
    if (!buf && k->modules_dir[0]) {
        str_fmt(f.config_path, sizeof f.config_path, "%s/config", k->modules_dir);
        buf = read_small(c->v, f.config_path, CONFIG_CAP, &len);
    }
    struct kread kr = { &f, k->root, k->modules_dir };
    if (buf) {
        f.have_config = 1;
        for_each_line(buf, len, cfg_line, &kr);
        free(buf);
    }
    if (k->modules_dir[0]) {
        str_fmt(p, sizeof p, "%s/modules.builtin", k->modules_dir);
        if ((buf = read_small(c->v, p, DEP_CAP, &len))) {
            f.have_builtin = 1;
            for_each_line(buf, len, builtin_line, &kr);
            free(buf);
        }
        str_fmt(p, sizeof p, "%s/modules.dep", k->modules_dir);
        if ((buf = read_small(c->v, p, DEP_CAP, &len))) {
            f.have_dep = 1;
            for_each_line(buf, len, dep_line, &kr);
            free(buf);
        }
        static const char *const oot_dirs[] = { "updates", "extra", "weak-updates" };
        for (size_t i = 0; i < 3; i++) {
            str_fmt(p, sizeof p, "%s/%s", k->modules_dir, oot_dirs[i]);
            walk_tree(c, p, &oot);
        }
        /* without an index, look at the files themselves */
        if (!f.have_dep) {
            str_fmt(p, sizeof p, "%s/kernel", k->modules_dir);
            walk_tree(c, p, &all);
        }
    }

    /* vmlinuz evidence only when neither the index nor config can tell */
    struct vmlinux_evidence ev;
    memset(&ev, 0, sizeof ev);
    if (!f.have_builtin && !f.have_config && k->bz.valid) {
        vmlinux_scan(c->v, k->vmlinuz, &k->bz, VMLINUX_CAP, &ev);
        if (ev.dec.status != DEC_OK && ev.dec.status != DEC_STOPPED) {
            json_object *fi = report_add_findingf(c->r, F_SCAN_READ_ERROR, c->root_volume, NULL,
                                                  "kernel image %s", k->vmlinuz);
            report_finding_evidence(fi, "%s payload (%s): %s", k->vmlinuz,
                                    comp_name(k->bz.compression), dec_status_str(ev.dec.status));
        }
    }

    decide(c, k, &k->nvme, "nvme", f.cfg_nvme, f.bi_nvme, ev.nvme, ev.nvme_str,
           oot.nvme, f.dep_nvme, all.nvme, f.config_path);
    decide(c, k, &k->nvme_core, "nvme_core", f.cfg_nvme_core, f.bi_nvme_core, ev.nvme_core,
           "nvme_core.io_timeout", oot.nvme_core, f.dep_nvme_core, all.nvme_core, f.config_path);
    decide(c, k, &k->ena, "ena", f.cfg_ena, f.bi_ena, ev.ena, ev.ena_str,
           oot.ena, f.dep_ena, all.ena, f.config_path);
    if (!k->modules_dir[0] && !f.have_config && !k->bz.valid) {
        k->nvme.status = k->ena.status = DRV_UNKNOWN;
    }

    k->xen_pv_only = f.cfg_xen_pv;
    if (f.cfg_32bit && !k->bz.bits) {
        k->bz.bits = 32;
        str_fmt(k->bz.arch, sizeof k->bz.arch, "i386");
    }
    if (!k->bz.valid && k->vmlinuz[0] && f.cfg_xen_pv)
        k->xen_pv_only = 1;

    /* initramfs: the one the boot entry names, else by the distributions'
     * names for it (initramfs_candidates) */
    struct initramfs_want want;
    memset(&want, 0, sizeof want);
    if (k->root) {
        k->root->have_config = f.have_config;
        k->root->have_builtin = f.have_builtin;
        k->root->have_dep = f.have_dep;
        str_fmt(k->root->config_path, sizeof k->root->config_path, "%s", f.config_path);
        str_fmt(k->root->modules_dir, sizeof k->root->modules_dir, "%s", k->modules_dir);
        for (int i = 0; i < k->root->nmods && i < IR_WANT_MAX; i++)
            want.name[want.n++] = k->root->mod[i].name;
    }
    for (int i = 0; initramfs_candidates(k, i, p, sizeof p); i++) {
        if (!vfs_exists(c->v, p))
            continue;
        k->have_initramfs = 1;
        initramfs_scan_want(c->v, p, INITRAMFS_CAP, &want, &k->initrd);
        break;
    }
    k->initrd.want = NULL;  /* want lives on this stack only */
    for (int i = 0; k->root && i < want.n; i++) {
        k->root->mod[i].in_initramfs = want.found[i];
        str_fmt(k->root->mod[i].initramfs_path, sizeof k->root->mod[i].initramfs_path, "%s",
                want.path[i]);
    }
    if (k->have_initramfs && k->initrd.readable) {
        int core_ok = k->nvme_core.status == DRV_BUILTIN || k->nvme_core.status == DRV_ABSENT ||
                      k->initrd.has_nvme_core;
        if (k->nvme.status == DRV_MODULE || k->nvme.status == DRV_OUT_OF_TREE)
            k->nvme.in_initramfs = k->initrd.has_nvme && core_ok;
        else if (k->nvme.status == DRV_BUILTIN)
            k->nvme.in_initramfs = 1;
        if (k->ena.status == DRV_MODULE || k->ena.status == DRV_OUT_OF_TREE)
            k->ena.in_initramfs = k->initrd.has_ena;
        else if (k->ena.status == DRV_BUILTIN)
            k->ena.in_initramfs = 1;
    }
}
