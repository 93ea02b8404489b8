/* The .modinfo section of a kernel module (name, version, vermagic).  A
 * module file is hostile input: libelf checks every offset against the
 * image, and compressed modules are inflated under a cap. */
#include "nitro_int.h"

#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"

#define MODULE_CAP (64u << 20)      /* no real module comes near this */

static void take(char *dst, size_t cap, const char *val, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, val, n);
    dst[n] = '\0';
}

/* The NUL-separated key=value strings of a .modinfo section. */
static void modinfo_fields(const char *s, size_t size, struct modinfo *mi)
{
    const char *end = s + size;
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
}

/* A module is a whole object in memory, which is what libelf reads best:
 * it checks the section table and string offsets against the image, in
 * either byte order and class.  Only raw section bytes are asked for, so
 * libelf never converts or writes the buffer. */
int modinfo_parse_elf(const unsigned char *p, size_t n, struct modinfo *mi)
{
    memset(mi, 0, sizeof *mi);
    if (n < 4 || memcmp(p, ELFMAG, SELFMAG) || elf_version(EV_CURRENT) == EV_NONE)
        return -1;
    Elf *e = elf_memory((char *)p, n);
    if (!e)
        return -1;
    int rc = -1;
    size_t shstrndx;
    if (elf_kind(e) != ELF_K_ELF || elf_getshdrstrndx(e, &shstrndx) != 0)
        goto out;
    for (Elf_Scn *scn = NULL; (scn = elf_nextscn(e, scn)) != NULL;) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh))
            continue;
        const char *name = elf_strptr(e, shstrndx, sh.sh_name);
        if (!name || strcmp(name, ".modinfo"))
            continue;
        Elf_Data *d = sh.sh_type == SHT_NOBITS ? NULL : elf_rawdata(scn, NULL);
        if (d && d->d_buf && d->d_size <= n) {
            modinfo_fields(d->d_buf, d->d_size, mi);
            rc = 0;
        }
        break;
    }
out:
    elf_end(e);
    return rc;
}

int modinfo_read(vfs *v, const char *path, struct modinfo *mi, struct lc_error *err)
{
    _cleanup_free_ char *raw = NULL;
    _cleanup_free_ unsigned char *plain = NULL;
    size_t rawlen = 0, plainlen = 0;

    memset(mi, 0, sizeof *mi);
    if (vfs_read_file(v, path, MODULE_CAP, &raw, &rawlen) < 0) {
        int code = errno ? -errno : -EIO;
        return lc_fail(err, code, "cannot read: %s", vfs_error(v));
    }
    enum comp c = comp_detect((unsigned char *)raw, rawlen);
    if (rawlen >= 4 && !memcmp(raw, "\x7f" "ELF", 4)) {
        c = COMP_NONE;
    }
    const unsigned char *elf = (unsigned char *)raw;
    size_t elflen = rawlen;
    if (c != COMP_NONE) {
        struct dec_result res;
        if (c == COMP_UNKNOWN ||
            decompress_mem((unsigned char *)raw, rawlen, c, MODULE_CAP, &plain,
                           &plainlen, &res) < 0)
            return lc_fail(err, -EINVAL, "cannot decompress (%s): %s", comp_name(c),
                           c == COMP_UNKNOWN ? "unknown format" : dec_status_str(res.status));
        elf = plain;
        elflen = plainlen;
    }
    if (modinfo_parse_elf(elf, elflen, mi) < 0)
        return lc_fail(err, -EINVAL, "no readable .modinfo section");
    return 0;
}
