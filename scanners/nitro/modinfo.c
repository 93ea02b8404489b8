/* The .modinfo section of a kernel module (name, version, vermagic).  A
 * module file is hostile input: every offset is checked against the file,
 * and compressed modules are inflated under a cap. */
#include "nitro_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MODULE_CAP (64u << 20)      /* no real module comes near this */

static uint64_t get(const unsigned char *p, int n, int be)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint64_t)p[be ? n - 1 - i : i] << (8 * i);
    return v;
}

static void take(char *dst, size_t cap, const char *val, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, val, n);
    dst[n] = '\0';
}

int modinfo_parse_elf(const unsigned char *p, size_t n, struct modinfo *mi)
{
    memset(mi, 0, sizeof *mi);
    if (n < 52 || memcmp(p, "\x7f" "ELF", 4))
        return -1;
    int is64 = p[4] == 2, be = p[5] == 2;
    if ((p[4] != 1 && p[4] != 2) || (p[5] != 1 && p[5] != 2))
        return -1;
    if (is64 && n < 64)
        return -1;
    uint64_t shoff = is64 ? get(p + 0x28, 8, be) : get(p + 0x20, 4, be);
    uint64_t shentsize = get(p + (is64 ? 0x3a : 0x2e), 2, be);
    uint64_t shnum = get(p + (is64 ? 0x3c : 0x30), 2, be);
    uint64_t shstrndx = get(p + (is64 ? 0x3e : 0x32), 2, be);
    uint64_t minent = is64 ? 64 : 40;
    if (shentsize < minent || shnum == 0 || shstrndx >= shnum)
        return -1;
    if (shoff > n || shnum > (n - shoff) / shentsize)
        return -1;

#define SH(i) (p + shoff + (uint64_t)(i) * shentsize)
#define SH_NAME(h) get((h), 4, be)
#define SH_OFF(h) (is64 ? get((h) + 0x18, 8, be) : get((h) + 0x10, 4, be))
#define SH_SIZE(h) (is64 ? get((h) + 0x20, 8, be) : get((h) + 0x14, 4, be))
#define SH_TYPE(h) get((h) + 4, 4, be)

    const unsigned char *strh = SH(shstrndx);
    uint64_t stroff = SH_OFF(strh), strsize = SH_SIZE(strh);
    if (stroff > n || strsize > n - stroff)
        return -1;
    for (uint64_t i = 0; i < shnum; i++) {
        const unsigned char *h = SH(i);
        uint64_t nm = SH_NAME(h);
        if (nm >= strsize)
            continue;
        const char *name = (const char *)p + stroff + nm;
        size_t maxlen = (size_t)(strsize - nm);
        if (strnlen(name, maxlen) != strlen(".modinfo") ||
            memcmp(name, ".modinfo", 8))
            continue;
        if (SH_TYPE(h) == 8)    /* SHT_NOBITS: nothing in the file */
            return -1;
        uint64_t off = SH_OFF(h), size = SH_SIZE(h);
        if (off > n || size > n - off)
            return -1;
        const char *s = (const char *)p + off, *end = s + size;
        while (s < end) {
            size_t len = strnlen(s, (size_t)(end - s));
            const char *eq = memchr(s, '=', len);
            if (eq) {
                size_t k = (size_t)(eq - s), vl = len - k - 1;
                if (k == 4 && !memcmp(s, "name", 4))
                    take(mi->name, sizeof mi->name, eq + 1, vl);
                else if (k == 7 && !memcmp(s, "version", 7))
                    take(mi->version, sizeof mi->version, eq + 1, vl);
                else if (k == 8 && !memcmp(s, "vermagic", 8))
                    take(mi->vermagic, sizeof mi->vermagic, eq + 1, vl);
                else if (k == 10 && !memcmp(s, "srcversion", 10))
                    take(mi->srcversion, sizeof mi->srcversion, eq + 1, vl);
            }
            s += len + 1;
        }
        return 0;
    }
    return -1;
#undef SH
#undef SH_NAME
#undef SH_OFF
#undef SH_SIZE
#undef SH_TYPE
}

int modinfo_read(vfs *v, const char *path, struct modinfo *mi, char *err,
                 size_t errcap)
{
    char *raw = NULL;
    unsigned char *plain = NULL;
    size_t rawlen = 0, plainlen = 0;
    int rc = -1;

    memset(mi, 0, sizeof *mi);
    if (vfs_read_file(v, path, MODULE_CAP, &raw, &rawlen) < 0) {
        str_fmt(err, errcap, "cannot read: %s", vfs_error(v));
        goto out;
    }
    enum comp c = comp_detect((unsigned char *)raw, rawlen);
    if (rawlen >= 4 && !memcmp(raw, "\x7f" "ELF", 4)) {
        c = COMP_NONE;
    }
    if (c == COMP_NONE) {
        if (modinfo_parse_elf((unsigned char *)raw, rawlen, mi) < 0) {
            str_fmt(err, errcap, "no readable .modinfo section");
            goto out;
        }
        rc = 0;
        goto out;
    }
    struct dec_result res;
    if (c == COMP_UNKNOWN ||
        decompress_mem((unsigned char *)raw, rawlen, c, MODULE_CAP, &plain,
                       &plainlen, &res) < 0) {
        str_fmt(err, errcap, "cannot decompress (%s): %s", comp_name(c),
                 c == COMP_UNKNOWN ? "unknown format" : dec_status_str(res.status));
        goto out;
    }
    if (modinfo_parse_elf(plain, plainlen, mi) < 0) {
        str_fmt(err, errcap, "no readable .modinfo section");
        goto out;
    }
    rc = 0;
out:
    free(raw);
    free(plain);
    return rc;
}
