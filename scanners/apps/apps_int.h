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

struct app {
    char *root;
    json_object *o;     /* the application object being built */
};

struct apps {
    struct app *v;
    size_t n, cap;
};

/* Finds the application with this root, or adds it; NULL when out of memory. */
json_object *apps_get(struct apps *a, const char *name, const char *root, int volume);
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

/* Scripts, sources and data of one application root. */
void apps_walk_root(struct scan_ctx *c, json_object *app, const char *root);

/* Entry points from systemd units, SysV init scripts and crontabs; module
 * loading commands in them. */
void apps_entries(struct scan_ctx *c, struct apps *a);

/* A command line's first word (the program), copied into buf. */
const char *apps_argv0(const char *cmd, char *buf, size_t cap);

#endif
