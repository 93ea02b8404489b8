/* Internal interfaces of the Nitro boot readiness scanner. */
#ifndef LIFTCHECK_NITRO_INT_H
#define LIFTCHECK_NITRO_INT_H

#include <stddef.h>
#include <stdint.h>

#include "scanners/scanners.h"

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
/* Reads a module file (.ko, .ko.gz, .ko.xz, .ko.zst) under a size cap.
 * On failure err gets a reason. */
int modinfo_read(vfs *v, const char *path, struct modinfo *mi, char *err,
                 size_t errcap);

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
};
/* Parses an initramfs (early cpio + compressed cpio ...) with output cap. */
int initramfs_scan(vfs *v, const char *path, uint64_t cap,
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
    int xen_pv_only;
    int nitro_ready;
    int needs_initramfs_fix;    /* driver is a module outside the initramfs */
};

struct kernel_list {
    struct kernel *k;
    int n, cap;
};

int kernels_find(struct scan_ctx *c, struct kernel_list *kl);
void kernels_examine(struct scan_ctx *c, struct kernel *k);
void kernels_free(struct kernel_list *kl);
int version_cmp(const char *a, const char *b);

/* ---- bootloader.c ---- */
struct boot_entry {
    char title[256];
    char id[256];
    char kernel[512];
    char *cmdline;
};
struct boot_info {
    char loader[32];        /* "grub2", "grub2-bls", "grub-legacy", "bls", "none" */
    char config[512];
    char default_spec[256]; /* raw default: index, title, id */
    int default_index;      /* into entries, -1 unknown */
    struct boot_entry *e;
    int n, cap;
};
int boot_scan(struct scan_ctx *c, struct boot_info *bi);
/* Parsers on memory, for tests. */
void grub2_parse(struct boot_info *bi, const char *cfg, size_t len,
                 const char *grubenv);
void grub_legacy_parse(struct boot_info *bi, const char *cfg, size_t len);
void boot_free(struct boot_info *bi);
/* Version that a kernel path in a boot entry names ("/vmlinuz-6.1.0" ->
 * "6.1.0"); copies into out. */
void boot_kernel_version(const char *kpath, char *out, size_t cap);
/* Checks a kernel command line; adds findings. */
void cmdline_check(struct scan_ctx *c, const char *cmdline, const char *where);
/* Value of key= in a command line, copied; 0 if absent. */
int cmdline_get(const char *cmdline, const char *key, char *out, size_t cap);

/* ---- fstab.c ---- */
/* /dev/sdX, /dev/xvdX, /dev/hdX, /dev/vdX: names that change on NVMe. */
int is_unstable_devname(const char *spec);
json_object *fstab_scan(struct scan_ctx *c);
void crypttab_scan(struct scan_ctx *c);

/* ---- network.c ---- */
json_object *network_scan(struct scan_ctx *c, const char *default_cmdline);

/* ---- misc.c ---- */
void misc_scan(struct scan_ctx *c, const struct kernel_list *kl);
void mgn_scan(struct scan_ctx *c);

/* ---- remediation text per distro ---- */
int distro_is_rhel_family(const struct scan_ctx *c);
int distro_is_debian_family(const struct scan_ctx *c);
int distro_is_suse(const struct scan_ctx *c);

#endif
