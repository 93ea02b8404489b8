/* Internal interfaces of the Nitro boot readiness scanner. */
#ifndef LIFTCHECK_NITRO_INT_H
#define LIFTCHECK_NITRO_INT_H

#include <stddef.h>
#include <stdint.h>

#include "common/fstab_spec.h"
#include "scanners/scanners.h"
#include "util/error.h"
#include "util/version.h"

/* ---- decompress.c: every payload format the kernel and initramfs use ---- */
enum comp {
    COMP_NONE, COMP_GZIP, COMP_BZIP2, COMP_LZMA, COMP_XZ, COMP_LZO,
    COMP_LZ4, COMP_LZ4F, COMP_ZSTD, COMP_CPIO, COMP_UNKNOWN
};

const char *comp_name(enum comp c);
/* Format from the first bytes of a stream (n bytes available). */
enum comp comp_detect(const unsigned char *p, size_t n);

/* Output sink: return 0 to go on, 1 to stop early (not an error), -1 to fail. */
typedef int (*dec_sink)(const unsigned char *p, size_t n, void *opaque);

enum dec_status {
    DEC_OK,          /* stream ended normally */
    DEC_STOPPED,     /* the sink asked to stop */
    DEC_CAPPED,      /* output reached the cap: a bomb or a huge file */
    DEC_CORRUPT,     /* the decoder rejected the data */
    DEC_TRUNCATED,   /* input ended inside the stream */
    DEC_UNSUPPORTED, /* no decoder for this format */
    DEC_IOERR,       /* reading the file failed */
    DEC_SINKERR
};

struct dec_result {
    enum dec_status status;
    uint64_t in_used;    /* compressed bytes consumed (end of the stream) */
    uint64_t out_total;  /* bytes passed to the sink */
};

const char *dec_status_str(enum dec_status s);

/* Decompresses file[off, off+len) (len 0 = to the end of the file), read
 * from the vfs in big chunks, writing at most cap output bytes to sink. */
int decompress_file(vfs *v, const char *path, uint64_t off, uint64_t len,
                    enum comp c, uint64_t cap, dec_sink sink, void *opaque,
                    struct dec_result *res);
/* Decompresses a buffer into a malloc'd buffer of at most cap bytes. */
int decompress_mem(const unsigned char *in, size_t inlen, enum comp c,
                   uint64_t cap, unsigned char **out, size_t *outlen,
                   struct dec_result *res);

/* ---- names.c ---- */
/* Module name from a path or file name: basename without .ko[.gz|.xz|.zst],
 * '-' folded to '_'.  Returns 0 and fills out, or -1 if not a module. */
int module_name_of(const char *path, char *out, size_t cap);
int modname_eq(const char *a, const char *b);

/* ---- bzimage.c ---- */
#define BZ_VERSION_MAX 256
struct bzimage_info {
    int valid;              /* "HdrS" found */
    unsigned protocol;      /* 0x020f = 2.15 */
    char version[BZ_VERSION_MAX];
    char arch[16];          /* "x86_64", "i386" or "unknown" */
    int bits;               /* 64, 32, 0 unknown */
    int xen_pv_only;        /* no HVM entry, Xen PV only */
    uint64_t payload_off;   /* absolute file offset */
    uint32_t payload_len;
    enum comp compression;
};
/* Parses the header of a bzImage; 0 on success (info->valid tells if the
 * file is a bzImage at all), -1 on read error. */
int bzimage_parse(vfs *v, const char *path, struct bzimage_info *info);
/* Evidence in the parsed header bytes alone (for tests). */
int bzimage_parse_mem(const unsigned char *p, size_t n, uint64_t filesize,
                      struct bzimage_info *info);

/* Built-in driver evidence found in a decompressed kernel image. */
struct vmlinux_evidence {
    int nvme, nvme_core, ena, xen_pv;
    char nvme_str[64], ena_str[64];
    struct dec_result dec;
};
int vmlinux_scan(vfs *v, const char *path, const struct bzimage_info *bz,
                 uint64_t cap, struct vmlinux_evidence *ev);
/* Scans memory (decompressed kernel) for evidence; for tests and fuzzing. */
void vmlinux_scan_mem(const unsigned char *p, size_t n, struct vmlinux_evidence *ev);

/* ---- modinfo.c ---- */
struct modinfo {
    char name[64];
    char version[128];
    char vermagic[256];
    char srcversion[64];
};
/* Reads .modinfo from an ELF relocatable module held in memory. */
int modinfo_parse_elf(const unsigned char *p, size_t n, struct modinfo *mi);
/* Reads a module file (.ko, .ko.gz, .ko.xz, .ko.zst) under a size cap:
 * 0, or a negative errno with the reason in err. */
int modinfo_read(vfs *v, const char *path, struct modinfo *mi, struct lc_error *err);

/* ---- initramfs.c ---- */
struct initramfs_info {
    char path[512];
    enum comp compression;      /* of the main (compressed) part */
    int early_cpio;             /* uncompressed archives in front */
    int readable;               /* parsed to the end without error */
    char error[256];
    unsigned long modules_count;
    int has_nvme, has_nvme_core, has_ena;
    char nvme_path[256], ena_path[256];
    uint64_t bytes_out;
    struct initramfs_want *want;
};
/* Parses an initramfs (early cpio + compressed cpio ...) with output cap. */
int initramfs_scan(vfs *v, const char *path, uint64_t cap,
                   struct initramfs_info *ii);

/* Modules looked for by name in an initramfs, under any directory and
 * compression: found[i] is 1 and path[i] the first file that is it. */
#define IR_WANT_MAX 32
struct initramfs_want {
    const char *name[IR_WANT_MAX];
    int n;
    int found[IR_WANT_MAX];
    char path[IR_WANT_MAX][256];
};
/* initramfs_scan that also fills want (NULL: none). */
int initramfs_scan_want(vfs *v, const char *path, uint64_t cap, struct initramfs_want *want,
                        struct initramfs_info *ii);

/* ---- cpio.c: a streaming newc parser fed by any decoder ---- */
typedef void (*cpio_entry_fn)(const char *name, uint32_t mode, uint64_t size,
                              void *opaque);
struct cpio_stream {
    int state;
    unsigned char hdr[110];
    size_t hlen;
    char name[4096];
    size_t namesize, nlen;
    uint64_t skip;          /* data + padding still to skip */
    uint64_t pos;           /* offset inside the current archive stream */
    int trailers;           /* TRAILER!!! records seen */
    int error;
    int stop_after_trailer; /* halt at the end of one archive */
    int halted;
    size_t consumed;        /* bytes taken by the last cpio_feed */
    char errmsg[128];
    cpio_entry_fn fn;
    void *opaque;
};
void cpio_init(struct cpio_stream *s, cpio_entry_fn fn, void *opaque);
/* Feeds bytes; returns 0 or -1 on malformed data (errmsg tells). */
int cpio_feed(struct cpio_stream *s, const unsigned char *p, size_t n);
/* 1 if the stream stopped at an archive boundary (not mid-entry). */
int cpio_at_boundary(const struct cpio_stream *s);

/* ---- text.c: small line helpers ---- */
/* Calls fn for each line of buf (NUL-terminated copy per line, trimmed of
 * the newline).  Stops when fn returns non-zero. */
typedef int (*line_fn)(char *line, void *opaque);
void for_each_line(const char *buf, size_t len, line_fn fn, void *opaque);
char *trim(char *s);
/* snprintf for strings where truncation is acceptable. */
void str_fmt(char *dst, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Reads a small config file; NULL when absent or unreadable. */
char *read_small(vfs *v, const char *path, size_t cap, size_t *len);
/* for_each_line over a config file of at most 1 MiB; -1 when unreadable. */
int for_each_config_line(vfs *v, const char *path, line_fn fn, void *opaque);

/* ---- kernels ---- */
enum drv_status { DRV_ABSENT, DRV_BUILTIN, DRV_MODULE, DRV_OUT_OF_TREE, DRV_UNKNOWN };
const char *drv_status_str(enum drv_status s);

#define MAX_EVIDENCE 8
struct drv_info {
    enum drv_status status;
    char evidence[MAX_EVIDENCE][512];
    int nevidence;
    char module_path[512];      /* module file for module/out_of_tree */
    char version[128];
    char vermagic[256];
    int vermagic_mismatch;
    int in_initramfs;           /* -1 unknown/not applicable, 0, 1 */
};

/* ---- rootneeds.c: what the initramfs needs to mount the root ---- */
#define ROOT_MODS_MAX 32
#define ROOT_NEEDS_MAX 8
#define ROOT_DEPS_MAX 16
#define ROOT_UNKNOWN_MAX 4
/* One module and what the default kernel's files say of it. */
struct root_mod {
    char name[48];          /* "dm_mod", '-' folded to '_' */
    char config[40];        /* its CONFIG_ symbol, "" for a dependency */
    char cfg;               /* 'y', 'm' or 0 as the kernel config has it */
    int builtin;            /* modules.builtin lists it */
    char path[512];         /* module file modules.dep lists, or "" */
    int deps[ROOT_DEPS_MAX];/* modules.dep's dependencies (indexes) */
    int ndeps;
    int in_initramfs;
    char initramfs_path[256];
};
enum root_need_state { NEED_MET_BUILTIN, NEED_MET_INITRAMFS, NEED_MISSING, NEED_UNKNOWN };
struct root_need {
    int mod, alt;           /* indexes into mod; alt -1 or a module that serves as well */
    char why[256];
    enum root_need_state state;
    int which;              /* the module the state is about */
    char missing[48];       /* the module (or dependency) not in the initramfs */
    char detail[256];       /* why the state could not be told */
};
struct root_needs {
    char root_dev[256], fstype[32], source[32];
    int nneeds, nmods, nunknown;
    struct root_need need[ROOT_NEEDS_MAX];
    struct root_mod mod[ROOT_MODS_MAX];
    char unknown[ROOT_UNKNOWN_MAX][256];
    int have_config, have_builtin, have_dep;
    char config_path[512];
    char modules_dir[512];
};
/* The root's needs from the report's root filesystem (its stack) or,
 * without disks, from fstab and the command line. */
void root_needs_find(struct scan_ctx *c, const char *cmdline, struct root_needs *rn);
/* Index of the module name (added, with its config symbol, when new), -1 full. */
int root_mod_index(struct root_needs *rn, const char *name, const char *config);

struct kernel {
    char version[256];
    char vmlinuz[512];
    char modules_dir[512];
    struct bzimage_info bz;
    int is_default;
    char *cmdline;              /* malloc'd, from the bootloader entry */
    struct drv_info nvme, nvme_core, ena;
    int have_initramfs;
    struct initramfs_info initrd;
    char entry_initrd[512];     /* the initrd its boot entry names, as written */
    int xen_pv_only;
    int nitro_ready;
    int needs_initramfs_fix;    /* driver is a module outside the initramfs */
    struct root_needs *root;    /* the default kernel's: what / needs, or NULL */
};

struct kernel_list {
    struct kernel *k;
    int n, cap;
};

int kernels_find(struct scan_ctx *c, struct kernel_list *kl);
void kernels_examine(struct scan_ctx *c, struct kernel *k);
void kernels_free(struct kernel_list *kl);

/* ---- bootloader.c ---- */
struct boot_entry {
    char title[256];
    char id[256];
    char kernel[512];
    char initrd[512];       /* the entry's own initrd line (its main image) */
    char *cmdline;
};
struct boot_info {
    char loader[32];        /* "grub2", "grub2-bls", "grub-legacy", "bls", "none" */
    char config[512];
    char default_spec[256]; /* raw default: index, title, id */
    char default_named[256];/* the default with grubenv's saved_entry put in */
    int default_unmatched;  /* it names no entry: the loader boots the first */
    int default_index;      /* into entries, -1 unknown */
    struct boot_entry *e;
    int n, cap;
};
int boot_scan(struct scan_ctx *c, struct boot_info *bi);
/* Parsers on memory, for tests. */
void grub2_parse(struct boot_info *bi, const char *cfg, size_t len,
                 const char *grubenv);
/* saved: /boot/grub/default, for "default saved" (NULL: none). */
void grub_legacy_parse(struct boot_info *bi, const char *cfg, size_t len, const char *saved);
void boot_free(struct boot_info *bi);
/* The path an initrd or kernel line names, without a "(hd0,0)" device:
 * the last image of the line (microcode archives come first). */
void boot_image_path(const char *args, char *out, size_t cap);
/* Version that a kernel path in a boot entry names ("/vmlinuz-6.1.0" ->
 * "6.1.0"); copies into out. */
void boot_kernel_version(const char *kpath, char *out, size_t cap);
/* The file a boot entry's kernel or initrd path names on the guest: the
 * path as written, or under /boot when /boot is its own filesystem (GRUB
 * paths are relative to the filesystem they are read from); 0 if none. */
int boot_path_find(vfs *v, const char *entry_path, char *out, size_t cap);
struct disk_names;
/* Checks the default entry's command line: device names (blockers) and
 * consoles; adds findings. */
void cmdline_check(struct scan_ctx *c, struct disk_names *dn, const char *cmdline,
                   const char *where);
/* Device names on a command line only (root=, resume=, any =/dev/...),
 * with the severity given: another entry's, or one GRUB writes next. */
void cmdline_devnames(struct scan_ctx *c, struct disk_names *dn, const char *cmdline,
                      const char *where, enum severity sev);
/* Value of key= in a command line, copied; 0 if absent. */
int cmdline_get(const char *cmdline, const char *key, char *out, size_t cap);

/* ---- bootmode.c ---- */
/* The boot mode the disks support (bios, uefi, both, unknown) with its
 * evidence, as the report's boot.mode; a UEFI-only server is an info
 * finding, one with nothing bootable a warning. */
json_object *boot_mode_scan(struct scan_ctx *c, const struct boot_info *bi);

/* ---- devname.c, multipath.c: which device names survive the move ---- */
#define NAMING_ALIASES_MAX 64
struct naming {
    char alias[NAMING_ALIASES_MAX][128];   /* multipath aliases of the guest */
    int naliases;
};
/* Why name (a device path) changes on Nitro, or NULL when it does not or
 * names no disk: kernel names (sd, xvd, hd, vd), RAID controllers
 * (cciss, ida), by-id serials (not EBS's own, nor LVM/md ids), by-path,
 * multipath names, WWIDs and aliases, dm-N.  nm may be NULL. */
const char *devname_unstable(const struct naming *nm, const char *name);
int is_unstable_devname(const char *spec);
int naming_add_alias(struct naming *nm, const char *alias);
/* multipath bindings and multipath.conf aliases. */
void naming_read(vfs *v, struct naming *nm);

/* ---- knownfs.c: the filesystems on the disks, from the report ---- */
struct known_fs {
    struct fs_ident *id;    /* strings owned by the report */
    int *volume;            /* disk index; -1 spread over disks or unknown */
    const char **mountpoint;    /* where inspection mounted it, or NULL */
    size_t n;
    int checked;            /* disks were read: names can be resolved */
};
void known_fs_load(struct report *r, struct known_fs *k);
void known_fs_free(struct known_fs *k);
int known_fs_find(const struct known_fs *k, const char *spec);
/* Index of the filesystem inspection mounted at mp (through the guest's own
 * names for md arrays, xvd disks...), or -1. */
int known_fs_at(const struct known_fs *k, const char *mp);
/* The prefix when spec names a filesystem by UUID or label, else NULL. */
const char *content_name_kind(const char *spec);

/* ---- namecheck.c: device names met in guest files, to findings ---- */
struct disk_names {
    struct naming nm;
    struct known_fs fs;
    int unchecked;          /* content names met without disks */
};
void disk_names_init(struct scan_ctx *c, struct disk_names *dn);
void disk_names_free(struct disk_names *dn);
/* When name changes on Nitro: a finding (or more evidence on the one with
 * the same detail) whose remediation names the UUID to write, then says
 * `then`; 1 when flagged. */
int devname_check(struct scan_ctx *c, struct disk_names *dn, enum finding_id id,
                  enum severity sev, const char *name, const char *detail, const char *evidence,
                  const char *then);
/* The same with a remediation of the caller's. */
int devname_flag(struct scan_ctx *c, struct disk_names *dn, enum finding_id id,
                 enum severity sev, const char *name, const char *detail, const char *evidence,
                 const char *remediation);
/* A UUID= or LABEL= that names no filesystem on the disks: blocker when
 * the root depends on it; said once when no disks were read.  1 when flagged. */
int content_name_check(struct scan_ctx *c, struct disk_names *dn, const char *name,
                       int for_root, const char *evidence);

/* ---- fstab.c, diskconf.c, lvmfilter.c ---- */
json_object *fstab_scan(struct scan_ctx *c, struct disk_names *dn);
void crypttab_scan(struct scan_ctx *c, struct disk_names *dn);
/* /etc/default/grub, /etc/sysconfig/grub, device.map, mdadm.conf. */
void diskconf_scan(struct scan_ctx *c, struct disk_names *dn);

#define LVM_PATTERN_MAX 256
#define LVM_PATTERNS_MAX 64
struct lvm_filter {
    int global;             /* global_filter, else filter */
    int line;
    int n;
    char pat[LVM_PATTERNS_MAX][LVM_PATTERN_MAX];
    char text[404];         /* the assignment as written, cut */
};
/* The filter and global_filter assignments of an lvm.conf; count. */
int lvm_conf_filters(const char *buf, size_t len, struct lvm_filter *out, int max);
/* 1 when the patterns reject every name an NVMe PV has; why says which. */
int lvm_filter_hides_nvme(char pats[][LVM_PATTERN_MAX], int n, char *why, size_t cap);
void lvm_filter_scan(struct scan_ctx *c);

/* ---- network.c ---- */
json_object *network_scan(struct scan_ctx *c, const char *default_cmdline);

/* ---- rebuild.c: what the next initramfs rebuild keeps ---- */
/* name=value or name+=value of a shell-style config line, unquoted in
 * place; 0 when the line is not one. */
int shell_assignment(char *line, char **name, int *append, char **value);
void rebuild_scan(struct scan_ctx *c, const struct kernel_list *kl);

/* ---- rootjudge.c ---- */
/* Each need of k->root met (built in, or in the initramfs with its
 * dependencies), missing, or unknown; then the findings. */
void root_needs_judge(struct kernel *k);
void root_needs_findings(struct scan_ctx *c, const struct kernel *k);
json_object *root_needs_json(const struct kernel *k);
/* The remediation to put mods into k's initramfs, as the distro does it. */
void remedy_initramfs(const struct scan_ctx *c, const struct kernel *k, const char *mods,
                      char *out, size_t cap);

/* ---- misc.c ---- */
void misc_scan(struct scan_ctx *c, const struct kernel_list *kl);
void mgn_scan(struct scan_ctx *c);

/* ---- remediation text per distro ---- */
int distro_is_rhel_family(const struct scan_ctx *c);
int distro_is_debian_family(const struct scan_ctx *c);
int distro_is_suse(const struct scan_ctx *c);

#endif
