/* Imports of kernel-dependent interfaces by dynamic programs and libraries:
 * the undefined symbols of .dynsym that name a libc wrapper of a removed,
 * module-loading, hardware or kexec syscall (sysctl -> _sysctl, iopl, ...).
 * Static binaries are covered by the syscall sweep (apps_syscall.c); a
 * dynamic one reaches the kernel through these wrappers.
 *
 * Little-endian ELF only, like the sweep: the flagged wrappers are x86
 * interfaces.  Every offset and size is checked against the file size. */
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scanners/apps/apps_int.h"

#define SYMTAB_CAP (16u << 20)
#define MAX_SECTIONS 4096
#define MAX_FLAGGED 32

static uint16_t rd16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t rd64(const unsigned char *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

/* libc wrapper name -> the syscall it makes, where the names differ. */
static const char *syscall_of_import(const char *name)
{
    if (!strcmp(name, "sysctl"))
        return "_sysctl";
    return name;
}

/* Reads [off, off+len) of a file of the given size, or NULL. */
static unsigned char *read_range(vfs *v, const char *path, uint64_t size, uint64_t off,
                                 uint64_t len)
{
    if (len == 0 || len > SYMTAB_CAP || off > size || len > size - off)
        return NULL;
    unsigned char *buf = malloc(len);
    if (buf && vfs_pread(v, path, buf, len, off) != (ssize_t)len) {
        free(buf);
        buf = NULL;
    }
    return buf;
}

json_object *apps_imports_of(vfs *v, const char *path)
{
    struct vfs_stat st;
    unsigned char h[64];
    unsigned char *sh = NULL, *syms = NULL, *strs = NULL;
    json_object *out = NULL;

    if (vfs_stat(v, path, &st) < 0 || st.type != VFS_REG || st.size < sizeof h ||
        vfs_pread(v, path, h, sizeof h, 0) != (ssize_t)sizeof h ||
        memcmp(h, ELFMAG, SELFMAG) != 0 || h[EI_DATA] != ELFDATA2LSB)
        return NULL;
    int is64 = h[EI_CLASS] == ELFCLASS64;
    uint64_t shoff = is64 ? rd64(h + 0x28) : rd32(h + 0x20);
    unsigned shentsize = rd16(h + (is64 ? 0x3a : 0x2e)), shnum = rd16(h + (is64 ? 0x3c : 0x30));
    unsigned want = is64 ? 64 : 40;
    if (!shoff || !shnum || shnum > MAX_SECTIONS || shentsize < want ||
        !(sh = read_range(v, path, st.size, shoff, (uint64_t)shnum * shentsize)))
        return NULL;

    /* The dynamic symbol table and the string table it links to. */
    uint64_t soff = 0, ssz = 0, sent = 0, toff = 0, tsz = 0;
    for (unsigned i = 0; i < shnum; i++) {
        const unsigned char *x = sh + (size_t)i * shentsize;
        if (rd32(x + 4) != SHT_DYNSYM)
            continue;
        uint32_t link = rd32(x + (is64 ? 40 : 24));
        soff = is64 ? rd64(x + 24) : rd32(x + 16);
        ssz = is64 ? rd64(x + 32) : rd32(x + 20);
        sent = is64 ? rd64(x + 56) : rd32(x + 36);
        if (link < shnum) {
            const unsigned char *l = sh + (size_t)link * shentsize;
            toff = is64 ? rd64(l + 24) : rd32(l + 16);
            tsz = is64 ? rd64(l + 32) : rd32(l + 20);
        }
        break;
    }
    if (sent < (is64 ? 24u : 16u) || !(syms = read_range(v, path, st.size, soff, ssz)) ||
        !(strs = read_range(v, path, st.size, toff, tsz)))
        goto done;

    static const char *const kinds[] = {"", "removed", "module", "hardware", "kexec"};
    size_t nflagged = 0;
    for (uint64_t i = 1; i < ssz / sent && nflagged < MAX_FLAGGED; i++) {
        const unsigned char *s = syms + i * sent;
        uint32_t name = rd32(s);
        unsigned info = is64 ? s[4] : s[12];
        unsigned shndx = rd16(s + (is64 ? 6 : 14));
        unsigned bind = info >> 4, type = info & 0xf;
        if (shndx != SHN_UNDEF || (bind != STB_GLOBAL && bind != STB_WEAK) ||
            (type != STT_FUNC && type != STT_NOTYPE) || name >= tsz ||
            !memchr(strs + name, '\0', tsz - name))
            continue;
        const char *nm = (const char *)strs + name, *sys = syscall_of_import(nm);
        int kind = 0;
        const char *why = apps_syscall_flag(sys, &kind);
        if (!why)
            continue;
        if (!out)
            out = json_object_new_array();
        json_object *e = json_object_new_object();
        json_object_object_add(e, "path", jstr(path));
        json_object_object_add(e, "import", jstr(nm));
        json_object_object_add(e, "name", jstr(sys));
        json_object_object_add(e, "kind", jstr(kinds[kind]));
        json_object_object_add(e, "why", jstr(why));
        json_object_array_add(out, e);
        nflagged++;
    }
done:
    free(sh);
    free(syms);
    free(strs);
    return out;
}
