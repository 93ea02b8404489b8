/* Internal interfaces of the applications scanner. */
#ifndef LIFTCHECK_APPS_INT_H
#define LIFTCHECK_APPS_INT_H

#include <stddef.h>
#include <json-c/json.h>

#include "scanners/scanners.h"

/* Kinds of syscalls that tie a program to a kernel. */
enum { SYSF_REMOVED = 1, SYSF_MODULE, SYSF_HARDWARE, SYSF_KEXEC };

const char *apps_syscall_name(int abi32, long nr);
/* Why the syscall matters (and its kind), or NULL. */
const char *apps_syscall_flag(const char *name, int *kind);

/* The install root of a path: "/opt/foo/bin/x" -> name "foo", root
 * "/opt/foo".  Returns 1 when the path is under an application root. */
int apps_root_of(const char *path, char *name, size_t ncap, char *root, size_t rcap);

/* Copies nm[0..nlen) to name and path[0..rlen) to root; 0 when too long. */
int apps_set_root(char *name, size_t ncap, char *root, size_t rcap, const char *nm, size_t nlen,
                  const char *path, size_t rlen);
/* The same for third-party trees outside the usual places, by their
 * structure (apps_roots.c): "/u01/app/db/bin/x" -> "db", "/u01/app/db". */
int apps_root_by_structure(const char *path, char *name, size_t ncap, char *root, size_t rcap);
/* 1 when path lies in a copy of an OS tree (a backup of a root filesystem
 * or of /usr) or, with checkouts, in a version-control checkout; memo keeps
 * what each directory is. */
int apps_inside_copy(struct scan_ctx *c, json_object *memo, const char *path, int checkouts);
/* 1 when dir is itself such a copy of an OS tree. */
int apps_os_copy(struct scan_ctx *c, const char *dir);

struct app {
    char *root;
    json_object *o;     /* the application object being built */
};

struct apps {
    struct app *v;
    size_t n, cap;
    /* Module-loading lines of units and scripts, {path, text, owner}: tied
     * to the application shipping the module once modules are known. */
    json_object *loaders;
};

/* Transient and cache trees (apps_transient.c). */
struct apps_transient {
    json_object *cache_dirs;    /* directories CACHEDIR.TAG marks */
    json_object *homes;         /* home directories */
};
/* cache_dirs: the ELF walk's elf_summary.cache_dirs (may be NULL). */
int apps_transient_init(struct scan_ctx *c, struct apps_transient *t, json_object *cache_dirs);
void apps_transient_free(struct apps_transient *t);
/* 1 when path lies in a transient or cache tree. */
int apps_is_transient(const struct apps_transient *t, const char *path);

/* What can load a kernel module file (apps_kmod.c). */
struct kmod_refs {
    json_object *paths;     /* module paths insmod and install lines name */
    json_object *names;     /* module names loaders and configuration name */
    json_object *provided;  /* names installed kernels provide */
    json_object *trees;     /* modules trees of installed kernels, "/lib/modules/V/" */
    int have_pkgdb;
};
/* Reads modprobe.d, modules-load.d, /etc/modules and installed kernels. */
int apps_kmod_init(struct scan_ctx *c, struct kmod_refs *k, int have_pkgdb);
void apps_kmod_free(struct kmod_refs *k);
/* Notes the modules modprobe/insmod commands in a line of text name;
 * returns how many such commands have a module argument. */
int apps_kmod_note_line(struct kmod_refs *k, const char *text);
/* 1 when something can load the module file at path (or dkms.conf's tree). */
int apps_kmod_counts(const struct kmod_refs *k, const struct apps_transient *t, const char *path);
/* 1 when the module file at path is installed for a kernel or loaded by
 * its path: what makes a module in a copied OS tree count, since modprobe
 * finds a module by name only in the installed kernels' trees. */
int apps_kmod_loaded_by_path(const struct kmod_refs *k, const char *path);

/* Finds the application with this root, or adds it; NULL when out of memory. */
json_object *apps_get(struct apps *a, const char *name, const char *root, int volume);
/* Renames each application started by a unit, init script, upstart job or
 * xinetd service after it, noting "named_from" (apps_name.c). */
void apps_name_by_entry(struct apps *a);
/* The application whose root holds path, or NULL. */
json_object *apps_find_path(const struct apps *a, const char *path);
void apps_free(struct apps *a);

/* Appends to the array o[key], creating it; takes val. */
void apps_push(json_object *o, const char *key, json_object *val);
/* Appends a string unless the array already holds it or holds cap items. */
void apps_push_str(json_object *o, const char *key, const char *s, size_t cap);
/* o[key], created as an empty object when absent. */
json_object *apps_obj(json_object *o, const char *key);

/* Static syscall sites of one x86 ELF file, read through the vfs.  Returns
 * {abi, sites, unknown_sites, truncated, syscalls[{nr, name, abi, addresses[]}],
 *  vsyscall_addresses[]} or NULL when the file is not x86 or unreadable. */
json_object *apps_syscalls_of(vfs *v, const char *path);

/* Kernel-dependent libc wrappers a dynamic ELF file imports: an array of
 * {path, import, name (the syscall), kind, why}, or NULL when none. */
json_object *apps_imports_of(vfs *v, const char *path);

/* Kernel-specific path strings in a file's first bytes: appends
 * {path, string} to app["kernel_paths"]. */
void apps_kernel_strings(vfs *v, const char *path, json_object *app);

/* Scripts, sources and data of one application root; module files go to
 * app["module_candidates"] and module-loading lines are noted in refs.
 * Transient subtrees and copies of OS trees are left out. */
void apps_walk_root(struct scan_ctx *c, json_object *app, const char *root,
                    const struct apps_transient *t, struct kmod_refs *refs);

/* Boot-time state of units and init scripts (apps_enabled.c). */
struct apps_enabled {
    json_object *units;     /* unit name -> "enabled" or "masked" */
    json_object *sysv;      /* init script name -> runlevels with an S link, "2345" */
};
int apps_enabled_load(struct scan_ctx *c, struct apps_enabled *e);
void apps_enabled_free(struct apps_enabled *e);
/* "enabled", "masked" or "disabled". */
const char *apps_unit_state(const struct apps_enabled *e, const char *unit);
/* The runlevels an init script starts in, "" when none. */
const char *apps_sysv_runlevels(const struct apps_enabled *e, const char *script);

/* Entry points from systemd units, SysV init scripts and crontabs; module
 * loading commands in them are noted in refs and kept in a->loaders. */
void apps_entries(struct scan_ctx *c, struct apps *a, struct kmod_refs *refs);
/* Ties the kept module-loading lines to the applications shipping the
 * modules they name, or to the application their file starts. */
void apps_attach_loaders(struct apps *a);

/* The findings of one decided application: one per concern, evidence
 * counted ("... and N more"). */
void apps_findings(struct scan_ctx *c, json_object *app);

/* The MIME type libmagic gives a file's first bytes, into out; NULL when
 * unreadable or libmagic has no database (apps_magic.c). */
const char *apps_magic_mime(vfs *v, const char *path, char *out, size_t cap);
void apps_magic_close(void);

/* Interpreted runtimes of one application root (apps_runtimes.c): called for
 * every entry its walk sees and every script's text, then finished. */
struct apps_rt;
struct apps_rt *apps_rt_new(vfs *v, json_object *app);
void apps_rt_entry(struct apps_rt *r, const char *path, const struct vfs_stat *st);
void apps_rt_script(struct apps_rt *r, const char *path, const char *text, size_t len);
/* The same for a script outside the root that starts the application (an
 * init script): its shebang's interpreter joins app["runtimes"]. */
void apps_rt_entry_script(vfs *v, json_object *app, const char *path, const char *text, size_t len);
/* Attaches archives, extensions and addons and sets app["runtimes"]; frees r. */
void apps_rt_finish(struct apps_rt *r);
/* Applications with Java archives and no runtime of their own get the one
 * their entry points name, or the server's only one. */
void apps_rt_link(struct apps *a);

/* 1 when s ends with suf. */
int apps_ends_with(const char *s, const char *suf);

/* A command line's first word (the program), copied into buf. */
const char *apps_argv0(const char *cmd, char *buf, size_t cap);

#endif
