/* The bounded ELF reader shared by the host's scanner and the appliance's
 * probe: what one ELF file is, parsed from its headers through the vfs, and
 * the small containers it fills. */
#ifndef LIFTCHECK_ELF_READ_H
#define LIFTCHECK_ELF_READ_H

#include <stddef.h>
#include <stdint.h>

#include "common/vfs.h"

/* Integers of an ELF file in its own byte order (be: big-endian). */
static inline uint16_t elf_get16(int be, const unsigned char *p)
{
    return be ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static inline uint32_t elf_get32(int be, const unsigned char *p)
{
    return be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
              : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static inline uint64_t elf_get64(int be, const unsigned char *p)
{
    uint64_t a = elf_get32(be, p), b = elf_get32(be, p + 4);
    return be ? a << 32 | b : b << 32 | a;
}

/* A growable array of malloc'd strings. */
struct strv {
    char **v;
    size_t n, cap;
};
int strv_add(struct strv *s, const char *str);
int strv_addn(struct strv *s, const char *str, size_t n);
int strv_has(const struct strv *s, const char *str);
void strv_free(struct strv *s);

/* String -> long map (open addressing); keys are copied. */
struct strmap {
    char **keys;
    long *vals;
    size_t n, cap;
};
int strmap_put(struct strmap *m, const char *key, long val);
/* Returns the value, or -1 when absent. */
long strmap_get(const struct strmap *m, const char *key);
void strmap_free(struct strmap *m);

/* Version strings: "GLIBC_2.10" -> family "GLIBC", number "2.10". */
int elf_version_split(const char *ver, char *family, size_t cap, const char **number);

struct elf_verneed {
    char *lib;
    struct strv vers;
};

/* What one ELF file is, as parsed from its headers. */
struct elf_info {
    char *path;              /* the first name the walk met */
    struct strv links;       /* its other hard-linked names, listed too */
    uint64_t size, dev, ino;
    int volume;
    const char *type;        /* exec, pie, shared, relocatable, core; NULL if corrupt */
    int cls;                 /* 32 or 64 */
    int big_endian;
    unsigned machine;
    unsigned osabi;
    int is_static, stripped, kmod, x32, has_dynamic;
    char *interp, *soname, *go_version;
    char min_kernel[32];     /* from the GNU ABI tag note: "3.2.0", or "" */
    char *error;             /* why the file is corrupt, else NULL */
    struct strv needed, rpath, runpath, vdef;
    struct elf_verneed *vn;
    size_t nvn;
    /* Filled by resolution and ownership. */
    char **resolved;         /* one per needed: a path, or NULL when missing */
    int interp_missing;      /* PT_INTERP names no ELF file in the guest */
    char **outside;          /* per needed: found only in the app's own tree */
    const char *package;     /* points into the owner table; NULL = none */
    unsigned reads;          /* vfs_pread calls spent on this file */
};

/* Bytes a first read fetches: most headers of most files fit in it. */
#define ELF_HEAD_SIZE (16 * 1024)
/* Smaller files cannot be ELF: an ELF32 header is 52 bytes. */
#define MIN_ELF_SIZE 52
/* The first read of a file of this size: the head above, or with exact
 * reads only enough for the magic and the ELF header. */
static inline size_t elf_head_len(const vfs *v, uint64_t size)
{
    size_t cap = v->exact_reads ? 64 : ELF_HEAD_SIZE;
    return size < cap ? (size_t)size : cap;
}

/* Parses the ELF file at path.  head holds the first head_len bytes of the
 * file (already read); further ranges are fetched through v.  Fills *info
 * (path etc. already set by the caller); a hostile or truncated file sets
 * info->error and returns 0.  Returns -1 only when out of memory. */
int elf_parse(vfs *v, const unsigned char *head, size_t head_len,
              struct elf_info *info);
void elf_info_free(struct elf_info *info);

const char *elf_machine_name(unsigned machine, char *buf, size_t cap);
const char *elf_osabi_name(unsigned osabi, char *buf, size_t cap);
/* "glibc", "musl", "uclibc", "bionic", ... from an interpreter path. */
const char *elf_libc_of_interp(const char *interp);

#endif
