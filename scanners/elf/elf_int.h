/* Internal interfaces of the ELF inventory scanner. */
#ifndef LIFTCHECK_ELF_INT_H
#define LIFTCHECK_ELF_INT_H

#include <stddef.h>
#include <stdint.h>

#include "common/elf/elf_read.h"
#include "util/error.h"
#include "util/version.h"

/* The inventory shared by resolution and ownership. */
struct elf_inventory {
    struct elf_info *files;
    size_t n, cap;
    struct strmap by_path;   /* every path of every file (hard links too) */
    struct strmap symlinks;  /* every symlink the walk saw: value unused */
    struct strv top_links;   /* "/bin" style links at the root, for usr-merge */
    struct strv top_targets; /* their resolved targets, same order */
};

/* ld.so's view of the guest: search directories from ld.so.conf. */
struct ldso {
    struct strv conf_dirs;
    int multiarch;           /* Debian style /lib/<triplet> layout */
    struct strmap cache;     /* search dir -> index of its canonical form, -2 if none */
};
int ldso_load(vfs *v, struct ldso *l);
void ldso_free(struct ldso *l);
/* Fills info->resolved for every file of the inventory. */
int ldso_resolve_all(vfs *v, struct ldso *l, struct elf_inventory *inv);

/* Package ownership: set files[i].package.  Owner names are kept in owners
 * (freed by the caller).  Returns the number of packages seen, or -1 when
 * there is no such database. */
int dpkg_owners(vfs *v, struct elf_inventory *inv, struct strv *owners);
int apk_owners(vfs *v, struct elf_inventory *inv, struct strv *owners);
/* The same from the rpm database; -ENOENT when there is none, a negative
 * errno with err filled when there is one that could not be read, and
 * -ENOMEM with err empty when out of memory. */
int rpm_owners(vfs *v, struct elf_inventory *inv, struct strv *owners, struct lc_error *err);

/* Looks a guest path up in the inventory, trying the usr-merge aliases
 * ("/bin/ls" for "/usr/bin/ls").  Returns the file index or -1. */
long elf_inv_lookup_alias(const struct elf_inventory *inv, const char *path);

#endif
