/* Finding liftcheck's helper programs (the appliance probe, the qemu
 * wrapper): named by an environment variable, next to our own binary in a
 * build tree, or installed in libexecdir. */
#ifndef LIFTCHECK_HELPER_PATH_H
#define LIFTCHECK_HELPER_PATH_H

#include <stddef.h>

/* $env_name if set; else <our binary's directory>/<build_rel> if it is a
 * regular file; else LIBEXECDIR/<name>.  0 when the path found is a regular
 * file, -1 otherwise (out still holds the last path tried). */
int helper_path(const char *env_name, const char *build_rel, const char *name, char *out,
                size_t cap);

#endif
