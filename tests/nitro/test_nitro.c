/* Nitro scanner tests on fixture trees built from real kernels, modules and
 * initramfs tools (tests/nitro/make_fixtures.sh).  Kernel releases and their
 * compression are whatever the archive served when the fixtures were built:
 * they are read from the fixtures' expect file, never written here. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scanners/nitro/nitro_int.h"

static const char *fx;

/* What make_fixtures.sh used (FIXTURES/expect, key=value lines). */
static struct {
    char generic[128], generic_comp[16], cloud[128], cloud_comp[16], old[128];
} want;

static int read_expect(void)
{
    static const struct { const char *key; char *dst; size_t cap; } keys[] = {
        {"generic_release=", want.generic, sizeof want.generic},
        {"generic_compression=", want.generic_comp, sizeof want.generic_comp},
        {"cloud_release=", want.cloud, sizeof want.cloud},
        {"cloud_compression=", want.cloud_comp, sizeof want.cloud_comp},
        {"old_release=", want.old, sizeof want.old},
    };
    char p[1024], line[256];
    snprintf(p, sizeof p, "%s/expect", fx);
    FILE *f = fopen(p, "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            if (!strncmp(line, keys[i].key, strlen(keys[i].key)) &&
                (size_t)snprintf(keys[i].dst, keys[i].cap, "%s",
                                 line + strlen(keys[i].key)) >= keys[i].cap) {
                fprintf(stderr, "%s: %s longer than %zu bytes\n", p, keys[i].key, keys[i].cap - 1);
                fclose(f);
                return -1;
            }
    }
    fclose(f);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!keys[i].dst[0]) {
            fprintf(stderr, "%s: no %s\n", p, keys[i].key);
            return -1;
        }
    return 0;
}

/* "RELEASE " at the start of s: a module built for that kernel. */
static int built_for(const char *vermagic, const char *release)
{
    size_t n = strlen(release);
    return !strncmp(vermagic, release, n) && vermagic[n] == ' ';
}

static vfs *open_root(const char *name)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", fx, name);
    vfs *v = vfs_dir_open(p);
    assert_non_null(v);
    return v;
}

/* ---------- initramfs ---------- */
static void check_initrd(const char *file, enum comp want, int early, int nvme)
{
    vfs *v = open_root("initrds");
    struct initramfs_info ii;
    char p[256];
    snprintf(p, sizeof p, "/%s", file);
    int rc = initramfs_scan(v, p, 512u << 20, &ii);
    if (rc != 0)
        fprintf(stderr, "%s: %s\n", file, ii.error);
    assert_int_equal(rc, 0);
    assert_true(ii.readable);
    assert_int_equal(ii.compression, want);
    assert_int_equal(ii.early_cpio, early);
    assert_int_equal(ii.has_nvme, nvme);
    assert_int_equal(ii.has_nvme_core, nvme);
    assert_true(ii.has_ena);
    /* ena + nvmem look-alike (+ nvme, nvme-core) */
    assert_int_equal(ii.modules_count, nvme ? 4 : 2);
    vfs_close(v);
}

static void test_initramfs_plain_all(void **s)
{
    (void)s;
    check_initrd("plain-gzip", COMP_GZIP, 0, 1);
    check_initrd("plain-xz", COMP_XZ, 0, 1);
    check_initrd("plain-zstd", COMP_ZSTD, 0, 1);
    check_initrd("plain-lz4", COMP_LZ4, 0, 1);
    check_initrd("plain-bzip2", COMP_BZIP2, 0, 1);
    check_initrd("plain-lzma", COMP_LZMA, 0, 1);
    check_initrd("plain-none", COMP_NONE, 0, 1);
}

static void test_initramfs_early_microcode(void **s)
{
    (void)s;
    check_initrd("early-gzip", COMP_GZIP, 1, 1);
    check_initrd("early-xz", COMP_XZ, 1, 1);
    check_initrd("early-zstd", COMP_ZSTD, 1, 1);
    check_initrd("early-lz4", COMP_LZ4, 1, 1);
    check_initrd("early-bzip2", COMP_BZIP2, 1, 1);
    check_initrd("early-lzma", COMP_LZMA, 1, 1);
    check_initrd("early2-zstd", COMP_ZSTD, 1, 1);
}

static void test_initramfs_without_nvme(void **s)
{
    (void)s;
    check_initrd("early-nonvme-gzip", COMP_GZIP, 1, 0);
    check_initrd("early-nonvme-xz", COMP_XZ, 1, 0);
    check_initrd("early-nonvme-zstd", COMP_ZSTD, 1, 0);
    check_initrd("early-nonvme-lz4", COMP_LZ4, 1, 0);
    check_initrd("early-nonvme-bzip2", COMP_BZIP2, 1, 0);
}

static void test_initramfs_bomb_capped(void **s)
{
    (void)s;
    vfs *v = open_root("initrds");
    struct initramfs_info ii;
    assert_int_equal(initramfs_scan(v, "/bomb-zstd", 64u << 20, &ii), -1);
    assert_false(ii.readable);
    assert_non_null(strstr(ii.error, "cap"));
    assert_true(ii.bytes_out <= (64u << 20));
    vfs_close(v);
}

static void test_initramfs_bad_input(void **s)
{
    (void)s;
    vfs *v = open_root("initrds");
    struct initramfs_info ii;
    assert_int_equal(initramfs_scan(v, "/truncated-xz", 64u << 20, &ii), -1);
    assert_false(ii.readable);
    assert_true(ii.error[0]);
    assert_int_equal(initramfs_scan(v, "/garbage", 64u << 20, &ii), -1);
    assert_false(ii.readable);
    assert_int_equal(initramfs_scan(v, "/missing", 64u << 20, &ii), -1);
    vfs_close(v);
}

/* ---------- cpio parser fed one byte at a time ---------- */
static void count_entry(const char *n, uint32_t m, uint64_t sz, void *o)
{
    (void)n; (void)m; (void)sz;
    (*(int *)o)++;
}

static void test_cpio_bytewise(void **s)
{
    (void)s;
    vfs *v = open_root("initrds");
    char *buf = NULL;
    size_t len = 0;
    assert_int_equal(vfs_read_file(v, "/plain-none", 8u << 20, &buf, &len), 0);
    struct cpio_stream cs;
    int n = 0;
    cpio_init(&cs, count_entry, &n);
    for (size_t i = 0; i < len; i++)
        assert_int_equal(cpio_feed(&cs, (unsigned char *)buf + i, 1), 0);
    assert_true(cpio_at_boundary(&cs));
    assert_true(n > 4);
    /* corrupt magic is an error, not a crash */
    buf[0] = 'X';
    cpio_init(&cs, count_entry, &n);
    assert_int_equal(cpio_feed(&cs, (unsigned char *)buf, len), -1);
    free(buf);
    vfs_close(v);
}

/* ---------- modules ---------- */
static void test_modinfo_compressed(void **s)
{
    (void)s;
    vfs *v = open_root("modules");
    static const char *const f[] = { "/ena.ko", "/ena.ko.gz", "/ena.ko.xz", "/ena.ko.zst" };
    struct modinfo mi;
    struct lc_error err;
    for (int i = 0; i < 4; i++) {
        assert_int_equal(modinfo_read(v, f[i], &mi, &err), 0);
        assert_string_equal(mi.name, "ena");
        assert_true(built_for(mi.vermagic, want.generic));
    }
    assert_int_equal(modinfo_read(v, "/ena-synthetic.ko", &mi, &err), 0);
    assert_string_equal(mi.version, "2.8.1g");
    assert_string_equal(mi.vermagic, "4.18.0-80.el8.x86_64 SMP mod_unload modversions ");
    assert_int_equal(modinfo_read(v, "/ena-truncated.ko", &mi, &err), -EINVAL);
    assert_string_equal(err.msg, "no readable .modinfo section");
    vfs_close(v);
}

static void test_module_names(void **s)
{
    (void)s;
    char m[64];
    assert_int_equal(module_name_of("a/b/nvme-core.ko.zst", m, sizeof m), 0);
    assert_string_equal(m, "nvme_core");
    assert_int_equal(module_name_of("nvmem_core.ko", m, sizeof m), 0);
    assert_string_not_equal(m, "nvme");
    assert_int_equal(module_name_of("nvme.ko.bak", m, sizeof m), -1);
    assert_true(modname_eq("nvme-core", "nvme_core"));
    assert_false(modname_eq("nvmem", "nvme"));
}

/* ---------- vmlinuz ---------- */
static void test_bzimage_header(void **s)
{
    (void)s;
    vfs *v = open_root("vmlinuz-only");
    char **names = NULL;
    assert_int_equal(vfs_list(v, "/boot", &names), 0);
    int seen = 0;
    for (char **n = names; *n; n++) {
        if (strncmp(*n, "vmlinuz-", 8))
            continue;
        char p[512];
        struct bzimage_info bz;
        snprintf(p, sizeof p, "/boot/%s", *n);
        assert_int_equal(bzimage_parse(v, p, &bz), 0);
        assert_true(bz.valid);
        assert_string_equal(bz.version, *n + 8);
        assert_int_equal(bz.bits, 64);
        assert_string_equal(bz.arch, "x86_64");
        assert_true(bz.protocol >= 0x020c);
        int cloud = !strcmp(*n + 8, want.cloud);
        assert_true(cloud || !strcmp(*n + 8, want.generic));
        assert_string_equal(comp_name(bz.compression), cloud ? want.cloud_comp : want.generic_comp);
        seen++;
    }
    assert_int_equal(seen, 2);
    vfs_free_names(names);
    /* a file that is no bzImage is not one */
    struct bzimage_info bz;
    unsigned char junk[1024] = {0};
    bzimage_parse_mem(junk, sizeof junk, sizeof junk, &bz);
    assert_false(bz.valid);
    vfs_close(v);
}

static void test_vmlinux_needles_not_nvmem(void **s)
{
    (void)s;
    struct vmlinux_evidence ev;
    static const char mem[] = "\0nvmem.io_queue_depth\0xnvme.io_queue_depth\0nvme.io_queue_depthX\0";
    memset(&ev, 0, sizeof ev);
    vmlinux_scan_mem((const unsigned char *)mem, sizeof mem, &ev);
    assert_false(ev.nvme);
    static const char ok[] = "\0nvme.io_queue_depth\0ena.debug\0";
    vmlinux_scan_mem((const unsigned char *)ok, sizeof ok, &ev);
    assert_true(ev.nvme);
    assert_true(ev.ena);
}

/* ---------- whole scans ---------- */
static struct report *run(const char *root, const char *distro, const char *pkg)
{
    struct scan_ctx c;
    memset(&c, 0, sizeof c);
    c.v = open_root(root);
    c.r = report_new();
    c.distro = distro;
    c.package_format = pkg;
    assert_int_equal(scan_nitro(&c), 0);
    json_object_object_add(c.r->doc, "os", json_object_new_object());
    assert_int_equal(verdict_compute(c.r->doc), 0);
    vfs_close(c.v);
    return c.r;
}

static json_object *kernel(struct report *r, const char *prefix)
{
    json_object *ks = report_get(r, "kernels");
    for (size_t i = 0; i < json_object_array_length(ks); i++) {
        json_object *k = json_object_array_get_idx(ks, i), *ver;
        json_object_object_get_ex(k, "version", &ver);
        if (!strncmp(json_object_get_string(ver), prefix, strlen(prefix)))
            return k;
    }
    fail_msg("no kernel %s", prefix);
    return NULL;
}

static const char *path_s(json_object *o, const char *a, const char *b)
{
    json_object *x = o, *y;
    if (!json_object_object_get_ex(x, a, &y))
        return NULL;
    if (b) {
        x = y;
        if (!json_object_object_get_ex(x, b, &y))
            return NULL;
    }
    return y ? json_object_get_string(y) : NULL;
}

static int count_finding(struct report *r, const char *id, const char *sev)
{
    int n = 0;
    for (size_t i = 0; i < json_object_array_length(r->findings); i++) {
        json_object *f = json_object_array_get_idx(r->findings, i);
        if (!strcmp(path_s(f, "id", NULL), id) && (!sev || !strcmp(path_s(f, "severity", NULL), sev)))
            n++;
    }
    return n;
}

static const char *finding_text(struct report *r, const char *id)
{
    for (size_t i = 0; i < json_object_array_length(r->findings); i++) {
        json_object *f = json_object_array_get_idx(r->findings, i);
        if (!strcmp(path_s(f, "id", NULL), id))
            return json_object_to_json_string_ext(f, JSON_C_TO_STRING_NOSLASHESCAPE);
    }
    return "";
}

static const char *verdict(struct report *r)
{
    return path_s(r->doc, "verdict", "nitro_boot");
}

static void test_debian_generic(void **s)
{
    (void)s;
    struct report *r = run("deb-generic", "debian", "deb");
    json_object *ks = report_get(r, "kernels");
    assert_int_equal(json_object_array_length(ks), 2);   /* MGN files are not kernels */
    json_object *k = kernel(r, want.generic);
    assert_string_equal(path_s(k, "nvme", "status"), "module");
    assert_string_equal(path_s(k, "nvme", "in_initramfs"), "true");
    assert_string_equal(path_s(k, "ena", "status"), "module");
    assert_string_equal(path_s(k, "initramfs", "compression"), "zstd");
    assert_string_equal(path_s(k, "initramfs", "early_cpio"), "true");
    assert_string_equal(path_s(k, "compression", NULL), want.generic_comp);
    assert_string_equal(path_s(k, "nitro_ready", NULL), "true");
    assert_string_equal(path_s(k, "modules_dir", NULL), k ? path_s(k, "modules_dir", NULL) : "");
    assert_non_null(strstr(path_s(k, "modules_dir", NULL), "/lib/modules/"));
    /* grubenv saved_entry picks the old kernel in the submenu */
    json_object *old = kernel(r, want.old);
    assert_string_equal(path_s(old, "default", NULL), "true");
    assert_string_equal(path_s(k, "default", NULL), "false");
    assert_string_equal(path_s(r->doc, "boot", "default_kernel"), want.old);
    assert_string_equal(path_s(r->doc, "boot", "loader"), "grub2");
    assert_string_equal(path_s(old, "nvme", "status"), "module");
    assert_string_equal(path_s(old, "nvme", "in_initramfs"), "false");
    assert_string_equal(path_s(old, "nitro_ready", NULL), "false");
    assert_int_equal(count_finding(r, "NITRO-NVME-INITRAMFS", "blocker"), 1);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "update-initramfs -u -k %s", want.old);
    assert_non_null(strstr(finding_text(r, "NITRO-NVME-INITRAMFS"), cmd));
    assert_int_equal(count_finding(r, "NITRO-OTHER-KERNEL", NULL), 1);
    /* command line of the default entry */
    assert_int_equal(count_finding(r, "BOOT-CMDLINE-DEVNAME", NULL), 2);  /* root= and resume= */
    assert_int_equal(count_finding(r, "BOOT-XEN-CONSOLE", NULL), 1);
    assert_int_equal(count_finding(r, "NITRO-NVME-TIMEOUT", NULL), 1);
    /* fstab: /dev/hda1 and /dev/vdc1 (even with nofail), LABEL= without nofail */
    assert_int_equal(count_finding(r, "BOOT-FSTAB-DEVNAME", NULL), 2);
    assert_int_equal(count_finding(r, "BOOT-FSTAB-NOFAIL", NULL), 1);
    assert_non_null(strstr(finding_text(r, "BOOT-FSTAB-NOFAIL"), "/data"));
    assert_int_equal(count_finding(r, "BOOT-CRYPTTAB-DEVNAME", NULL), 1);
    json_object *fst = report_get(r, "fstab");
    assert_int_equal(json_object_array_length(fst), 8);
    /* network */
    assert_int_equal(count_finding(r, "NET-PERSISTENT-RULES", NULL), 1);
    assert_int_equal(count_finding(r, "NET-ETH0-ONLY", NULL), 1);
    assert_string_equal(path_s(r->doc, "network", "predictable_names"), "true");
    assert_int_equal(count_finding(r, "NITRO-INITRAMFS-HOSTONLY", NULL), 1);
    assert_int_equal(count_finding(r, "BOOT-XEN-ALIASES", NULL), 2);
    assert_int_equal(count_finding(r, "NITRO-MGN-LEFTOVER", NULL), 1);
    assert_string_equal(verdict(r), "fixable");
    report_free(r);
}

static void test_rhel_cloud_bls_oot(void **s)
{
    (void)s;
    struct report *r = run("rhel-cloud", "rocky", "rpm");
    json_object *k = kernel(r, want.cloud);
    assert_string_equal(path_s(r->doc, "boot", "loader"), "grub2-bls");
    assert_string_equal(path_s(k, "default", NULL), "true");
    assert_string_equal(path_s(k, "nvme", "status"), "builtin");
    assert_string_equal(path_s(k, "ena", "status"), "out_of_tree");
    assert_string_equal(path_s(k, "ena", "version"), "2.8.1g");
    assert_string_equal(path_s(k, "cmdline", NULL),
                        "root=/dev/mapper/rl-root ro crashkernel=auto nvme_core.io_timeout=4294967295 net.ifnames=0");
    assert_int_equal(count_finding(r, "NITRO-ENA-VERMAGIC", "blocker"), 1);
    assert_non_null(strstr(finding_text(r, "NITRO-ENA-VERMAGIC"), "4.18.0-80.el8.x86_64"));
    assert_string_equal(path_s(k, "nitro_ready", NULL), "false");
    assert_int_equal(count_finding(r, "NITRO-NVME-TIMEOUT", NULL), 0);
    assert_int_equal(count_finding(r, "NET-MAC-PINNED", NULL), 2);
    assert_int_equal(count_finding(r, "NET-ETH0-ONLY", NULL), 0);   /* net.ifnames=0 */
    assert_int_equal(count_finding(r, "BOOT-LVM-DEVICES-FILE", NULL), 1);
    /* host-only dracut, but nvme is built into the kernel: no rebuild drops it */
    assert_int_equal(count_finding(r, "NITRO-INITRAMFS-HOSTONLY", NULL), 0);
    /* /boot lies on the disk the firmware boots: nofail buys nothing there */
    assert_int_equal(count_finding(r, "BOOT-FSTAB-NOFAIL", NULL), 0);
    assert_string_equal(verdict(r), "fixable");
    report_free(r);
}

static void test_vmlinuz_evidence(void **s)
{
    (void)s;
    struct report *r = run("vmlinuz-only", "debian", "deb");
    json_object *cloud = kernel(r, want.cloud), *gen = kernel(r, want.generic);
    assert_string_equal(path_s(cloud, "nvme", "status"), "builtin");
    assert_non_null(strstr(json_object_to_json_string(cloud), "nvme.io_queue_depth"));
    assert_string_equal(path_s(cloud, "ena", "status"), "absent");
    assert_string_equal(path_s(gen, "nvme", "status"), "absent");
    assert_string_equal(verdict(r), "blocked");
    report_free(r);
}

static void test_nvmem_is_not_nvme(void **s)
{
    (void)s;
    struct report *r = run("nvmem-only", "debian", "deb");
    json_object *k = kernel(r, want.generic);
    assert_string_equal(path_s(k, "nvme", "status"), "absent");
    assert_int_equal(count_finding(r, "NITRO-NVME-MISSING", "blocker"), 1);
    assert_int_equal(count_finding(r, "BOOT-LOADER-UNKNOWN", NULL), 1);
    assert_string_equal(verdict(r), "blocked");
    report_free(r);
}

static void test_suse_legacy(void **s)
{
    (void)s;
    struct report *r = run("suse-legacy", "sles", "rpm");
    assert_string_equal(path_s(r->doc, "boot", "loader"), "grub-legacy");
    assert_string_equal(path_s(r->doc, "boot", "default_kernel"), want.generic);
    json_object *k = kernel(r, want.generic), *x = kernel(r, "2.6.16");
    char initrd[256], cmd[512];
    snprintf(initrd, sizeof initrd, "/boot/initrd-%s", want.generic);
    assert_string_equal(path_s(k, "default", NULL), "true");
    assert_string_equal(path_s(k, "initramfs", "path"), initrd);
    assert_string_equal(path_s(k, "initramfs", "compression"), "lz4");
    assert_string_equal(path_s(k, "nvme", "in_initramfs"), "false");
    assert_string_equal(path_s(x, "xen_pv_only", NULL), "true");
    assert_int_equal(count_finding(r, "NITRO-KERNEL-XEN-PV", "warning"), 1);
    snprintf(cmd, sizeof cmd, "dracut --add-drivers \\\"nvme\\\" -f %s", initrd);
    assert_non_null(strstr(finding_text(r, "NITRO-NVME-INITRAMFS"), cmd));
    /* the default entry's by-id serial and resume=/dev/sda1 are blockers; the xvc0
     * entry's root=/dev/sda2 is a warning, since it is not the default */
    assert_int_equal(count_finding(r, "BOOT-CMDLINE-DEVNAME", "blocker"), 2);
    assert_int_equal(count_finding(r, "BOOT-CMDLINE-DEVNAME", "warning"), 1);
    assert_non_null(strstr(finding_text(r, "BOOT-CMDLINE-DEVNAME"), "by-id"));
    assert_int_equal(count_finding(r, "BOOT-XEN-CONSOLE", NULL), 0);
    assert_int_equal(count_finding(r, "NET-MAC-PINNED", NULL), 1);
    report_free(r);
}

/* The default entry's own initrd line decides, not the kernel's usual
 * image name: a rebuilt image with nvme counts, a missing one is said. */
static void test_entry_initrd(void **s)
{
    (void)s;
    char own[256];
    snprintf(own, sizeof own, "/boot/initramfs-%s-rebuilt.img", want.generic);
    struct report *r = run("entry-initrd", "centos", "rpm");
    json_object *k = kernel(r, want.generic);
    assert_string_equal(path_s(k, "initramfs", "path"), own);
    assert_string_equal(path_s(k, "nvme", "in_initramfs"), "true");
    assert_int_equal(count_finding(r, "NITRO-NVME-INITRAMFS", NULL), 0);
    report_free(r);

    r = run("entry-initrd-gone", "centos", "rpm");
    k = kernel(r, want.generic);
    /* the image of the usual name, with nvme, is not taken instead */
    const char *in = path_s(k, "nvme", "in_initramfs");
    assert_true(!in || !strcmp(in, "false"));
    assert_int_equal(count_finding(r, "NITRO-INITRAMFS-MISSING", "blocker"), 1);
    assert_non_null(strstr(finding_text(r, "NITRO-INITRAMFS-MISSING"),
                           "its boot entry loads /initramfs-"));
    report_free(r);
}

static void test_netplan_networkd(void **s)
{
    (void)s;
    struct report *r = run("netplan", "ubuntu", "deb");
    assert_int_equal(count_finding(r, "NET-MAC-PINNED", NULL), 2);
    assert_string_equal(path_s(r->doc, "network", "cloud_init"), "true");
    assert_int_equal(count_finding(r, "NITRO-NO-KERNEL", NULL), 1);
    assert_string_equal(verdict(r), "blocked");
    report_free(r);
}

static void test_grub2_parse_defaults(void **s)
{
    (void)s;
    struct boot_info bi;
    static const char cfg[] =
        "set default=\"1>0\"\n"
        "menuentry 'A' { linux /vmlinuz-1 root=UUID=x\n}\n"
        "submenu 'Adv' {\n"
        "  menuentry 'B' --id b1 {\n    linux /vmlinuz-2 root=/dev/xvda1\n"
        "    initrd16 /intel-ucode.img /initramfs-2.img\n  }\n"
        "}\n";
    memset(&bi, 0, sizeof bi);
    grub2_parse(&bi, cfg, sizeof cfg - 1, NULL);
    assert_int_equal(bi.n, 2);
    assert_int_equal(bi.default_index, 1);
    assert_string_equal(bi.e[1].kernel, "/vmlinuz-2");
    /* the initramfs is the last image; microcode comes first */
    assert_string_equal(bi.e[1].initrd, "/initramfs-2.img");
    assert_string_equal(bi.e[0].initrd, "");
    boot_free(&bi);
    memset(&bi, 0, sizeof bi);
    static const char leg[] = "default=1\ntitle X\n kernel (hd0,0)/vmlinuz-3 ro root=LABEL=/\n"
        " initrd (hd0,0)/initrd-3.img\ntitle Y\n\tkernel /vmlinuz-3 ro\n\tinitrd /initrd-3-y.img\n";
    grub_legacy_parse(&bi, leg, sizeof leg - 1, NULL);
    assert_int_equal(bi.default_index, 1);
    assert_string_equal(bi.e[0].kernel, "/vmlinuz-3");
    assert_string_equal(bi.e[0].cmdline, "ro root=LABEL=/");
    assert_string_equal(bi.e[0].initrd, "/initrd-3.img");
    assert_string_equal(bi.e[1].initrd, "/initrd-3-y.img");
    boot_free(&bi);
    /* default saved: the first line of /boot/grub/default, else entry 0 */
    static const char sv[] = "default saved\ntitle X\n kernel /vmlinuz-3\ntitle Y\n kernel /vmlinuz-4\n";
    memset(&bi, 0, sizeof bi);
    grub_legacy_parse(&bi, sv, sizeof sv - 1, "1\n#\n# WARNING: do not edit\n");
    assert_int_equal(bi.default_index, 1);
    boot_free(&bi);
    memset(&bi, 0, sizeof bi);
    grub_legacy_parse(&bi, sv, sizeof sv - 1, NULL);
    assert_int_equal(bi.default_index, 0);
    boot_free(&bi);
    memset(&bi, 0, sizeof bi);
    grub_legacy_parse(&bi, sv, sizeof sv - 1, "7\n");   /* no such entry */
    assert_int_equal(bi.default_index, 0);
    boot_free(&bi);
    assert_true(is_unstable_devname("/dev/hda1"));
    assert_true(is_unstable_devname("/dev/vdb"));
    assert_true(is_unstable_devname("/dev/xvdf"));
    assert_false(is_unstable_devname("/dev/mapper/vg-root"));
    assert_false(is_unstable_devname("UUID=1"));
}

/* EL7's grub2-mkconfig output: linux16/initrd16, set default="${saved_entry}"
 * inside an if block, and grubenv's saved_entry naming the second entry by
 * title; a saved_entry naming no entry boots the first, and says so. */
static void test_grub2_el7_saved_entry(void **s)
{
    (void)s;
    struct boot_info bi;
    static const char cfg[] =
        "if [ \"${next_entry}\" ] ; then\n   set default=\"${next_entry}\"\n"
        "else\n   set default=\"${saved_entry}\"\nfi\n"
        "function savedefault {\n  saved_entry=\"${chosen}\"\n}\n"
        "menuentry 'CentOS Linux (3.10.0-1160.el7.x86_64) 7 (Core)' --class centos {\n"
        "\tlinux16 /vmlinuz-3.10.0-1160.el7.x86_64 root=/dev/mapper/centos-root ro\n"
        "\tinitrd16 /initramfs-3.10.0-1160.el7.x86_64.img $tuned_initrd\n}\n"
        "menuentry 'CentOS Linux (3.10.0-957.el7.x86_64) 7 (Core)' --class centos {\n"
        "\tlinux16 /vmlinuz-3.10.0-957.el7.x86_64 root=/dev/mapper/centos-root ro\n"
        "\tinitrd16 /early_ucode.cpio /initramfs-3.10.0-957.el7.x86_64.img\n}\n";
    static const char env[] =
        "# GRUB Environment Block\nsaved_entry=CentOS Linux (3.10.0-957.el7.x86_64) 7 (Core)\n####";
    memset(&bi, 0, sizeof bi);
    grub2_parse(&bi, cfg, sizeof cfg - 1, env);
    assert_int_equal(bi.n, 2);
    assert_int_equal(bi.default_index, 1);
    assert_int_equal(bi.default_unmatched, 0);
    assert_string_equal(bi.default_named, "CentOS Linux (3.10.0-957.el7.x86_64) 7 (Core)");
    assert_string_equal(bi.e[0].initrd, "/initramfs-3.10.0-1160.el7.x86_64.img");
    assert_string_equal(bi.e[1].kernel, "/vmlinuz-3.10.0-957.el7.x86_64");
    assert_string_equal(bi.e[1].initrd, "/initramfs-3.10.0-957.el7.x86_64.img");
    boot_free(&bi);

    static const char gone[] = "saved_entry=CentOS Linux (3.10.0-693.el7.x86_64) 7 (Core)\n";
    memset(&bi, 0, sizeof bi);
    grub2_parse(&bi, cfg, sizeof cfg - 1, gone);
    assert_int_equal(bi.default_index, 0);
    assert_int_equal(bi.default_unmatched, 1);
    assert_string_equal(bi.default_named, "CentOS Linux (3.10.0-693.el7.x86_64) 7 (Core)");
    boot_free(&bi);

    static const char leg[] = "default=3\ntitle X\n kernel /vmlinuz-3 ro\n initrd (hd0,0)/initrd-3.img\n";
    memset(&bi, 0, sizeof bi);
    grub_legacy_parse(&bi, leg, sizeof leg - 1, NULL);
    assert_int_equal(bi.default_index, 0);
    assert_int_equal(bi.default_unmatched, 1);
    assert_string_equal(bi.e[0].initrd, "/initrd-3.img");
    boot_free(&bi);
}

static void test_verdict_not_applicable(void **s)
{
    (void)s;
    struct report *r = report_new();
    assert_int_equal(verdict_compute(r->doc), 0);
    assert_string_equal(verdict(r), "not_applicable");
    report_free(r);
}

int main(void)
{
    fx = getenv("NITRO_FIXTURES");
    if (!fx) {
        fprintf(stderr, "NITRO_FIXTURES not set\n");
        return 1;
    }
    if (read_expect() != 0) {
        fprintf(stderr, "%s/expect is missing or incomplete (tests/nitro/make_fixtures.sh)\n", fx);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_initramfs_plain_all),
        cmocka_unit_test(test_initramfs_early_microcode),
        cmocka_unit_test(test_initramfs_without_nvme),
        cmocka_unit_test(test_initramfs_bomb_capped),
        cmocka_unit_test(test_initramfs_bad_input),
        cmocka_unit_test(test_cpio_bytewise),
        cmocka_unit_test(test_modinfo_compressed),
        cmocka_unit_test(test_module_names),
        cmocka_unit_test(test_bzimage_header),
        cmocka_unit_test(test_vmlinux_needles_not_nvmem),
        cmocka_unit_test(test_debian_generic),
        cmocka_unit_test(test_rhel_cloud_bls_oot),
        cmocka_unit_test(test_vmlinuz_evidence),
        cmocka_unit_test(test_nvmem_is_not_nvme),
        cmocka_unit_test(test_suse_legacy),
        cmocka_unit_test(test_entry_initrd),
        cmocka_unit_test(test_netplan_networkd),
        cmocka_unit_test(test_grub2_parse_defaults),
        cmocka_unit_test(test_grub2_el7_saved_entry),
        cmocka_unit_test(test_verdict_not_applicable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
