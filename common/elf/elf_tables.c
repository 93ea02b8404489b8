/* Section and program header tables through the vfs (elf_tables.h). */
#include "common/elf/elf_tables.h"

#include "common/elf/elf_read.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ENTRIES 4096           /* sections or segments of any real file */

/* A word of the file's class: 4 bytes in ELFCLASS32, 8 in ELFCLASS64. */
static uint64_t word(const struct elf_tables *t, const unsigned char *p)
{
    return t->is64 ? elf_get64(t->big_endian, p) : elf_get32(t->big_endian, p);
}

unsigned char *elf_tables_range(vfs *v, const char *path, const struct elf_tables *t,
                                uint64_t off, uint64_t len, uint64_t cap)
{
    if (len == 0 || len > cap || off > t->file_size || len > t->file_size - off)
        return NULL;
    unsigned char *buf = malloc((size_t)len);
    if (buf && vfs_pread(v, path, buf, (size_t)len, off) != (ssize_t)len) {
        free(buf);
        buf = NULL;
    }
    return buf;
}

static void decode_shdr(const struct elf_tables *t, const unsigned char *p, struct elf_shdr *s)
{
    int be = t->big_endian;
    s->name = elf_get32(be, p);
    s->type = elf_get32(be, p + 4);
    s->flags = word(t, p + 8);
    s->addr = word(t, p + (t->is64 ? 16 : 12));
    s->off = word(t, p + (t->is64 ? 24 : 16));
    s->size = word(t, p + (t->is64 ? 32 : 20));
    s->link = elf_get32(be, p + (t->is64 ? 40 : 24));
    s->entsize = word(t, p + (t->is64 ? 56 : 36));
}

static void decode_phdr(const struct elf_tables *t, const unsigned char *p, struct elf_phdr *s)
{
    int be = t->big_endian;
    s->type = elf_get32(be, p);
    s->flags = elf_get32(be, p + (t->is64 ? 4 : 24));
    s->off = word(t, p + (t->is64 ? 8 : 4));
    s->vaddr = word(t, p + (t->is64 ? 16 : 8));
    s->filesz = word(t, p + (t->is64 ? 32 : 16));
}

/* A header table of num entries of entsize bytes (at least min) at off. */
static unsigned char *read_table(vfs *v, const char *path, const struct elf_tables *t,
                                 uint64_t off, unsigned num, unsigned entsize, unsigned min)
{
    if (!off || !num || num > MAX_ENTRIES || entsize < min)
        return NULL;
    uint64_t len = (uint64_t)num * entsize;
    return elf_tables_range(v, path, t, off, len, len);
}

int elf_tables_read(vfs *v, const char *path, struct elf_tables *t)
{
    unsigned char h[64];
    struct vfs_stat st;

    memset(t, 0, sizeof *t);
    if (vfs_stat(v, path, &st) < 0 || st.type != VFS_REG || st.size < sizeof h ||
        vfs_pread(v, path, h, sizeof h, 0) != (ssize_t)sizeof h || memcmp(h, ELFMAG, SELFMAG) ||
        (h[EI_CLASS] != ELFCLASS32 && h[EI_CLASS] != ELFCLASS64) ||
        (h[EI_DATA] != ELFDATA2LSB && h[EI_DATA] != ELFDATA2MSB))
        return -1;
    t->is64 = h[EI_CLASS] == ELFCLASS64;
    t->big_endian = h[EI_DATA] == ELFDATA2MSB;
    t->file_size = st.size;
    int be = t->big_endian;
    t->machine = elf_get16(be, h + 18);
    uint64_t phoff = word(t, h + (t->is64 ? 0x20 : 0x1c));
    uint64_t shoff = word(t, h + (t->is64 ? 0x28 : 0x20));
    unsigned phentsize = elf_get16(be, h + (t->is64 ? 0x36 : 0x2a));
    unsigned phnum = elf_get16(be, h + (t->is64 ? 0x38 : 0x2c));
    unsigned shentsize = elf_get16(be, h + (t->is64 ? 0x3a : 0x2e));
    unsigned shnum = elf_get16(be, h + (t->is64 ? 0x3c : 0x30));
    unsigned shmin = t->is64 ? 64 : 40, phmin = t->is64 ? 56 : 32;

    unsigned char *tab = read_table(v, path, t, shoff, shnum, shentsize, shmin);
    if (tab && (t->sh = calloc(shnum, sizeof *t->sh)) != NULL) {
        for (unsigned i = 0; i < shnum; i++)
            decode_shdr(t, tab + (size_t)i * shentsize, &t->sh[i]);
        t->nsh = shnum;
    }
    free(tab);
    tab = read_table(v, path, t, phoff, phnum, phentsize, phmin);
    if (tab && (t->ph = calloc(phnum, sizeof *t->ph)) != NULL) {
        for (unsigned i = 0; i < phnum; i++)
            decode_phdr(t, tab + (size_t)i * phentsize, &t->ph[i]);
        t->nph = phnum;
    }
    free(tab);
    if (!t->nsh && !t->nph) {
        elf_tables_free(t);
        return -1;
    }
    return 0;
}

void elf_tables_free(struct elf_tables *t)
{
    free(t->sh);
    free(t->ph);
    t->sh = NULL;
    t->ph = NULL;
    t->nsh = t->nph = 0;
}

int elf_tables_symbol(const struct elf_tables *t, const unsigned char *buf, size_t len,
                      uint64_t entsize, uint64_t i, struct elf_symbol *s)
{
    uint64_t need = t->is64 ? 24 : 16;
    if (entsize < need || i >= len / entsize)
        return -1;
    const unsigned char *p = buf + i * entsize;
    s->name = elf_get32(t->big_endian, p);
    s->info = p[t->is64 ? 4 : 12];
    s->shndx = elf_get16(t->big_endian, p + (t->is64 ? 6 : 14));
    return 0;
}
