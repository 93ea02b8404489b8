/* Imports of kernel-dependent interfaces by dynamic programs and libraries:
 * the undefined symbols of .dynsym that name a libc wrapper of a removed,
 * module-loading, hardware or kexec syscall (sysctl -> _sysctl, iopl, ...).
 * Static binaries are covered by the syscall sweep (apps_syscall.c); a
 * dynamic one reaches the kernel through these wrappers.
 *
 * The tables come from common/elf/elf_tables.h, which checks every offset
 * and size against the file, in either byte order. */
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/elf/elf_tables.h"
#include "scanners/apps/apps_int.h"

#define SYMTAB_CAP (16u << 20)
#define MAX_FLAGGED 32

/* libc wrapper name -> the syscall it makes, where the names differ. */
static const char *syscall_of_import(const char *name)
{
    if (!strcmp(name, "sysctl"))
        return "_sysctl";
    return name;
}

json_object *apps_imports_of(vfs *v, const char *path)
{
    struct elf_tables t;
    unsigned char *syms = NULL, *strs = NULL;
    json_object *out = NULL;

    if (elf_tables_read(v, path, &t) < 0)
        return NULL;
    /* The dynamic symbol table and the string table it links to. */
    const struct elf_shdr *dynsym = NULL, *dynstr = NULL;
    for (size_t i = 0; i < t.nsh && !dynsym; i++)
        if (t.sh[i].type == SHT_DYNSYM) {
            dynsym = &t.sh[i];
            dynstr = dynsym->link < t.nsh ? &t.sh[dynsym->link] : NULL;
        }
    uint64_t tsz = dynstr ? dynstr->size : 0;
    if (!dynsym || !dynstr ||
        !(syms = elf_tables_range(v, path, &t, dynsym->off, dynsym->size, SYMTAB_CAP)) ||
        !(strs = elf_tables_range(v, path, &t, dynstr->off, tsz, SYMTAB_CAP)))
        goto done;

    static const char *const kinds[] = {"", "removed", "module", "hardware", "kexec"};
    size_t nflagged = 0;
    struct elf_symbol sym;
    for (uint64_t i = 1; nflagged < MAX_FLAGGED &&
         elf_tables_symbol(&t, syms, (size_t)dynsym->size, dynsym->entsize, i, &sym) == 0; i++) {
        uint32_t name = sym.name;
        unsigned bind = sym.info >> 4, type = sym.info & 0xf;
        if (sym.shndx != SHN_UNDEF || (bind != STB_GLOBAL && bind != STB_WEAK) ||
            (type != STT_FUNC && type != STT_NOTYPE) || name >= tsz ||
            !memchr(strs + name, '\0', tsz - name))
            continue;
        const char *nm = (const char *)strs + name, *sys = syscall_of_import(nm);
        int kind = 0;
        const char *why = apps_syscall_flag(sys, &kind);
        if (!why)
            continue;
        if (!out)
            out = jarray();
        json_object *e = jobject();
        doc_put(e, "path", jstr(path));
        doc_put(e, "import", jstr(nm));
        doc_put(e, "name", jstr(sys));
        doc_put(e, "kind", jstr(kinds[kind]));
        doc_put(e, "why", jstr(why));
        doc_push(out, e);
        nflagged++;
    }
done:
    elf_tables_free(&t);
    free(syms);
    free(strs);
    return out;
}
