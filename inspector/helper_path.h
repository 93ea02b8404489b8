/* Finding liftcheck's helper programs (the appliance probe, the qemu
 * wrapper): named by an environment variable, next to our own binary in a
 * build tree, in libexecdir relative to our binary once installed (so an
 * install under a DESTDIR or a moved prefix still finds its own), or in
 * the libexecdir configured at build time. */
#ifndef LIFTCHECK_HELPER_PATH_H
#define LIFTCHECK_HELPER_PATH_H

#include <stddef.h>
#include <stdio.h>

struct helper {
    const char *env_name;   /* "LIFTCHECK_PROBE" */
    const char *build_rel;  /* "probe/liftcheck-probe", from the binary's directory */
    const char *name;       /* "liftcheck-probe", in libexecdir */
};

extern const struct helper HELPER_PROBE, HELPER_QEMU_TCG;

/* $env_name if set; else the first of <our binary's directory>/<build_rel>,
 * <our binary's directory>/<bindir-to-libexecdir>/<name> and
 * LIBEXECDIR/<name> that is a regular file.  0 when the path found is a
 * regular file, -1 otherwise (out still holds the last path tried). */
int helper_path(const struct helper *h, char *out, size_t cap);

/* One line per helper, "probe: PATH" or "probe: not found (looked for
 * PATH)", for --version. */
void helper_paths_print(FILE *f);

#endif
