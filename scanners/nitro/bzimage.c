/* The x86 boot image (bzImage): setup header fields, the compressed payload
 * and what the decompressed kernel proves about built-in drivers.  See the
 * kernel's Documentation/x86/boot.rst for the header layout. */
#include "nitro_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/xalloc.h"

#define HDR_READ (64u << 10)   /* setup code and header: one read */

static uint32_t le16(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int bzimage_parse_mem(const unsigned char *p, size_t n, uint64_t filesize,
                      struct bzimage_info *info)
{
    memset(info, 0, sizeof *info);
    str_fmt(info->arch, sizeof info->arch, "unknown");
    info->compression = COMP_UNKNOWN;
    if (n < 0x250 || memcmp(p + 0x202, "HdrS", 4) || le16(p + 0x1fe) != 0xAA55)
        return 0;
    info->valid = 1;
    info->protocol = le16(p + 0x206);
    unsigned setup_sects = p[0x1f1] ? p[0x1f1] : 4;
    uint64_t setup_size = ((uint64_t)setup_sects + 1) * 512;

    uint32_t vptr = le16(p + 0x20e);
    if (vptr) {
        uint64_t at = (uint64_t)vptr + 0x200;
        if (at < n && at < setup_size) {
            size_t max = n - (size_t)at;
            if (max > BZ_VERSION_MAX - 1)
                max = BZ_VERSION_MAX - 1;
            size_t k = 0;
            /* the version string runs to a NUL; keep only its first word */
            while (k < max && p[at + k] > ' ' && p[at + k] < 0x7f)
                k++;
            memcpy(info->version, p + at, k);
            info->version[k] = '\0';
        }
    }
    if (info->protocol >= 0x020c) {
        uint32_t xlf = le16(p + 0x236);
        if (xlf & 1) {
            info->bits = 64;
            str_fmt(info->arch, sizeof info->arch, "x86_64");
        }
    }
    if (info->protocol >= 0x0208) {
        uint64_t off = setup_size + le32(p + 0x248);
        uint32_t len = le32(p + 0x24c);
        if (off < filesize && len <= filesize - off) {
            info->payload_off = off;
            info->payload_len = len;
        }
    }
    return 0;
}

/* Architecture from the ELF header of the decompressed kernel. */
static void elf_arch(const unsigned char *p, size_t n, struct bzimage_info *info)
{
    if (n < 20 || memcmp(p, "\x7f" "ELF", 4))
        return;
    unsigned mach = le16(p + 18);
    if (mach == 62) {
        info->bits = 64;
        str_fmt(info->arch, sizeof info->arch, "x86_64");
    } else if (mach == 3) {
        info->bits = 32;
        str_fmt(info->arch, sizeof info->arch, "i386");
    }
}

struct head {
    unsigned char b[64];
    size_t n;
};

static int head_sink(const unsigned char *p, size_t n, void *opaque)
{
    struct head *h = opaque;
    size_t k = n < sizeof h->b - h->n ? n : sizeof h->b - h->n;
    memcpy(h->b + h->n, p, k);
    h->n += k;
    return h->n == sizeof h->b ? 1 : 0;
}

int bzimage_parse(vfs *v, const char *path, struct bzimage_info *info)
{
    struct vfs_stat st;
    _cleanup_free_ unsigned char *buf = xmalloc(HDR_READ);

    memset(info, 0, sizeof *info);
    if (vfs_stat(v, path, &st) < 0)
        return -1;
    ssize_t got = vfs_pread(v, path, buf, HDR_READ, 0);
    if (got < 0)
        return -1;
    bzimage_parse_mem(buf, (size_t)got, st.size, info);
    struct head h = { {0}, 0 };
    struct dec_result res;
    if (info->valid && info->payload_len) {
        unsigned char m[16];
        if (vfs_pread(v, path, m, sizeof m, info->payload_off) != (ssize_t)sizeof m)
            return 0;
        info->compression = comp_detect(m, sizeof m);
        if (info->compression == COMP_LZ4F)
            info->compression = COMP_LZ4;
        /* the first bytes of the payload are the kernel's ELF header */
        decompress_file(v, path, info->payload_off, info->payload_len,
                        comp_detect(m, sizeof m), 1u << 20, head_sink, &h, &res);
        elf_arch(h.b, h.n, info);
    } else if (!info->valid) {
        /* not a bzImage: old Xen kernels ship a gzipped ELF vmlinux */
        enum comp c = comp_detect(buf, (size_t)got);
        info->compression = c;
        if (c != COMP_UNKNOWN && c != COMP_CPIO) {
            decompress_file(v, path, 0, 0, c, 1u << 20, head_sink, &h, &res);
        } else {
            memcpy(h.b, buf, (size_t)got < sizeof h.b ? (size_t)got : sizeof h.b);
            h.n = (size_t)got < sizeof h.b ? (size_t)got : sizeof h.b;
            info->compression = COMP_NONE;
        }
        elf_arch(h.b, h.n, info);
    }
    return 0;
}

/* ---- built-in driver evidence in the decompressed kernel ---- */

/* Parameter names of built-in modules are stored as "<module>.<param>";
 * matching whole NUL-delimited strings keeps "nvmem" from counting. */
static const struct needle {
    const char *s;
    int which;      /* 0 nvme, 1 nvme_core, 2 ena, 3 xen pv */
} needles[] = {
    { "nvme.io_queue_depth", 0 }, { "nvme.use_threaded_interrupts", 0 },
    { "nvme.io_timeout", 0 }, { "nvme.admin_timeout", 0 },
    { "nvme_core.io_timeout", 1 }, { "nvme_core.admin_timeout", 1 },
    { "ena.debug", 2 },
};
#define NNEEDLES (sizeof needles / sizeof needles[0])
#define OVERLAP 64

struct scan_state {
    struct vmlinux_evidence *ev;
    unsigned char *buf;     /* OVERLAP tail + chunk */
    size_t tail;
    int first;
};

static void mark(struct vmlinux_evidence *ev, const struct needle *nd)
{
    switch (nd->which) {
    case 0:
        if (!ev->nvme) str_fmt(ev->nvme_str, sizeof ev->nvme_str, "%s", nd->s);
        ev->nvme = 1;
        break;
    case 1:
        ev->nvme_core = 1;
        break;
    case 2:
        if (!ev->ena) str_fmt(ev->ena_str, sizeof ev->ena_str, "%s", nd->s);
        ev->ena = 1;
        break;
    }
}

static void scan_buf(const unsigned char *p, size_t n, int at_start,
                     struct vmlinux_evidence *ev)
{
    for (size_t k = 0; k < NNEEDLES; k++) {
        size_t len = strlen(needles[k].s) + 1;   /* with its NUL */
        const unsigned char *q = p, *end = p + n;
        while (q < end) {
            const unsigned char *hit = memmem(q, (size_t)(end - q), needles[k].s, len);
            if (!hit)
                break;
            if ((hit == p && at_start) || (hit > p && hit[-1] == 0)) {
                mark(ev, &needles[k]);
                break;
            }
            q = hit + 1;
        }
    }
}

void vmlinux_scan_mem(const unsigned char *p, size_t n, struct vmlinux_evidence *ev)
{
    scan_buf(p, n, 1, ev);
}

static int scan_sink(const unsigned char *p, size_t n, void *opaque)
{
    struct scan_state *s = opaque;
    memcpy(s->buf + s->tail, p, n);
    scan_buf(s->buf, s->tail + n, s->first, s->ev);
    s->first = 0;
    size_t total = s->tail + n;
    size_t keep = total < OVERLAP ? total : OVERLAP;
    memmove(s->buf, s->buf + total - keep, keep);
    s->tail = keep;
    /* everything that can be found is found: stop decompressing */
    return (s->ev->nvme && s->ev->nvme_core && s->ev->ena) ? 1 : 0;
}

int vmlinux_scan(vfs *v, const char *path, const struct bzimage_info *bz,
                 uint64_t cap, struct vmlinux_evidence *ev)
{
    struct scan_state s;
    memset(ev, 0, sizeof *ev);
    if (!bz->valid || !bz->payload_len) {
        ev->dec.status = DEC_UNSUPPORTED;
        return -1;
    }
    unsigned char m[16];
    if (vfs_pread(v, path, m, sizeof m, bz->payload_off) != (ssize_t)sizeof m) {
        ev->dec.status = DEC_IOERR;
        return -1;
    }
    s.ev = ev;
    s.tail = 0;
    s.first = 1;
    /* decoders emit at most their output chunk (<= 8 MiB for lz4 blocks) */
    s.buf = xmalloc(OVERLAP + (8u << 20));
    int rc = decompress_file(v, path, bz->payload_off, bz->payload_len,
                             comp_detect(m, sizeof m), cap, scan_sink, &s, &ev->dec);
    free(s.buf);
    return rc;
}
