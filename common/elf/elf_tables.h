/* The section and program header tables of an ELF file, read through the
 * vfs in either class and byte order, every count, size and offset checked
 * against the file and fixed caps.  For readers that want sections or
 * segments by kind (dynamic symbols, executable code) rather than the
 * dynamic-linking view elf_read.h gives. */
#ifndef LIFTCHECK_ELF_TABLES_H
#define LIFTCHECK_ELF_TABLES_H

#include <stddef.h>
#include <stdint.h>

#include "common/vfs.h"

struct elf_shdr {
    uint32_t name, type, link;
    uint64_t flags, addr, off, size, entsize;
};

struct elf_phdr {
    uint32_t type, flags;
    uint64_t off, vaddr, filesz;
};

struct elf_tables {
    int is64, big_endian;
    unsigned machine;
    uint64_t file_size;
    struct elf_shdr *sh;     /* NULL when the file has no section table */
    size_t nsh;
    struct elf_phdr *ph;
    size_t nph;
};

/* One symbol of a symbol table (Elf32_Sym or Elf64_Sym). */
struct elf_symbol {
    uint32_t name;
    unsigned char info;
    uint16_t shndx;
};

/* Fills *t from the file's headers.  Returns 0, or -1 when the file is not
 * ELF, its tables do not fit in it, or memory ran out. */
int elf_tables_read(vfs *v, const char *path, struct elf_tables *t);
void elf_tables_free(struct elf_tables *t);

/* The bytes [off, off+len) of the file, malloc'd; NULL when the range is
 * empty, larger than cap, outside the file or unreadable. */
unsigned char *elf_tables_range(vfs *v, const char *path, const struct elf_tables *t,
                                uint64_t off, uint64_t len, uint64_t cap);

/* Symbol i of a symbol table held in buf (len bytes, entries of entsize);
 * 0, or -1 when it lies outside. */
int elf_tables_symbol(const struct elf_tables *t, const unsigned char *buf, size_t len,
                      uint64_t entsize, uint64_t i, struct elf_symbol *s);

#endif
