/* What an initramfs holds: any number of uncompressed newc archives (early
 * microcode), then compressed archives in any kernel-supported format, all
 * parsed here rather than by the bootloader's or libguestfs's tools, which
 * stop at the first archive. */
#include "nitro_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define MAX_SEGMENTS 32
#define RAW_CHUNK (1u << 20)

static void on_entry(const char *name, uint32_t mode, uint64_t size, void *opaque)
{
    struct initramfs_info *ii = opaque;
    char mod[128];
    (void)size;
    /* regular files only: 0100000 */
    if ((mode & 0170000) != 0100000 || module_name_of(name, mod, sizeof mod) < 0)
        return;
    ii->modules_count++;
    for (int i = 0; ii->want && i < ii->want->n; i++)
        if (!ii->want->found[i] && modname_eq(mod, ii->want->name[i])) {
            ii->want->found[i] = 1;
            str_fmt(ii->want->path[i], sizeof ii->want->path[i], "%s", name);
        }
    if (!strcmp(mod, "nvme") && !ii->has_nvme) {
        ii->has_nvme = 1;
        str_fmt(ii->nvme_path, sizeof ii->nvme_path, "%s", name);
    } else if (!strcmp(mod, "nvme_core")) {
        ii->has_nvme_core = 1;
    } else if (!strcmp(mod, "ena") && !ii->has_ena) {
        ii->has_ena = 1;
        str_fmt(ii->ena_path, sizeof ii->ena_path, "%s", name);
    }
}

struct feed {
    struct cpio_stream *cs;
    struct initramfs_info *ii;
};

static int cpio_sink(const unsigned char *p, size_t n, void *opaque)
{
    struct feed *f = opaque;
    f->ii->bytes_out += n;
    return cpio_feed(f->cs, p, n) < 0 ? -1 : 0;
}

/* Skips zero bytes from *off; returns 1 at a non-zero byte, 0 at EOF, -1. */
static int skip_zeros(vfs *v, const char *path, uint64_t size, uint64_t *off,
                      unsigned char *buf)
{
    while (*off < size) {
        size_t want = size - *off < RAW_CHUNK ? (size_t)(size - *off) : RAW_CHUNK;
        ssize_t got = vfs_pread(v, path, buf, want, *off);
        if (got <= 0)
            return -1;
        for (ssize_t i = 0; i < got; i++)
            if (buf[i]) {
                *off += (uint64_t)i;
                return 1;
            }
        *off += (uint64_t)got;
    }
    return 0;
}

int initramfs_scan(vfs *v, const char *path, uint64_t cap, struct initramfs_info *ii)
{
    return initramfs_scan_want(v, path, cap, NULL, ii);
}

int initramfs_scan_want(vfs *v, const char *path, uint64_t cap, struct initramfs_want *want,
                        struct initramfs_info *ii)
{
    struct vfs_stat st;
    struct cpio_stream cs;
    unsigned char *buf = NULL;
    uint64_t off = 0, out_left = cap;
    int raw_archives = 0, rc = -1;

    memset(ii, 0, sizeof *ii);
    ii->want = want;
    str_fmt(ii->path, sizeof ii->path, "%s", path);
    ii->compression = COMP_UNKNOWN;
    if (vfs_stat(v, path, &st) < 0) {
        str_fmt(ii->error, sizeof ii->error, "cannot stat: %s", vfs_error(v));
        return -1;
    }
    buf = xmalloc(RAW_CHUNK);

    for (int seg = 0; seg < MAX_SEGMENTS; seg++) {
        int z = skip_zeros(v, path, st.size, &off, buf);
        if (z < 0) {
            str_fmt(ii->error, sizeof ii->error, "read error at %llu: %s",
                     (unsigned long long)off, vfs_error(v));
            goto out;
        }
        if (z == 0)
            break;
        ssize_t got = vfs_pread(v, path, buf, 64, off);
        if (got <= 0) {
            str_fmt(ii->error, sizeof ii->error, "read error at %llu",
                     (unsigned long long)off);
            goto out;
        }
        enum comp c = comp_detect(buf, (size_t)got);
        if (c == COMP_CPIO) {
            /* one uncompressed archive, read in place up to its trailer */
            cpio_init(&cs, on_entry, ii);
            cs.stop_after_trailer = 1;
            while (!cs.halted) {
                if (off >= st.size) {
                    str_fmt(ii->error, sizeof ii->error,
                             "uncompressed archive ends without trailer");
                    goto out;
                }
                size_t want = st.size - off < RAW_CHUNK ? (size_t)(st.size - off) : RAW_CHUNK;
                got = vfs_pread(v, path, buf, want, off);
                if (got <= 0) {
                    str_fmt(ii->error, sizeof ii->error, "read error at %llu",
                             (unsigned long long)off);
                    goto out;
                }
                if (cpio_feed(&cs, buf, (size_t)got) < 0) {
                    str_fmt(ii->error, sizeof ii->error, "cpio: %s", cs.errmsg);
                    goto out;
                }
                off += cs.consumed;
            }
            raw_archives++;
            continue;
        }
        if (c == COMP_UNKNOWN || c == COMP_NONE) {
            str_fmt(ii->error, sizeof ii->error,
                     "unknown data at offset %llu", (unsigned long long)off);
            goto out;
        }
        ii->compression = c;
        cpio_init(&cs, on_entry, ii);
        struct feed f = { &cs, ii };
        struct dec_result res;
        decompress_file(v, path, off, 0, c, out_left, cpio_sink, &f, &res);
        if (res.status != DEC_OK) {
            if (res.status == DEC_SINKERR && cs.error)
                str_fmt(ii->error, sizeof ii->error, "%s archive: cpio: %s",
                         comp_name(c), cs.errmsg);
            else
                str_fmt(ii->error, sizeof ii->error, "%s archive at offset %llu: %s%s",
                         comp_name(c), (unsigned long long)off,
                         dec_status_str(res.status),
                         res.status == DEC_CAPPED ? " (possible decompression bomb)" : "");
            goto out;
        }
        if (!cpio_at_boundary(&cs)) {
            str_fmt(ii->error, sizeof ii->error,
                     "%s archive ends inside a cpio entry", comp_name(c));
            goto out;
        }
        if (res.in_used == 0)
            break;
        off += res.in_used;
        out_left -= res.out_total;
    }
    if (ii->compression == COMP_UNKNOWN) {
        if (!raw_archives) {
            str_fmt(ii->error, sizeof ii->error, "no archive found");
            goto out;
        }
        ii->compression = COMP_NONE;
    } else {
        ii->early_cpio = raw_archives > 0;
    }
    ii->readable = 1;
    rc = 0;
out:
    if (rc < 0 && raw_archives && ii->compression != COMP_UNKNOWN)
        ii->early_cpio = 1;
    free(buf);
    return rc;
}
