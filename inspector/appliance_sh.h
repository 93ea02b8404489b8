/* The appliance's shell: libguestfs's `debug sh`.  The debug command is not
 * part of libguestfs's stable API (a build may leave it out or change it),
 * so every use goes through here, and appliance_sh_check asks once, after
 * the launch, whether it answers. */
#ifndef LIFTCHECK_APPLIANCE_SH_H
#define LIFTCHECK_APPLIANCE_SH_H

#include <guestfs.h>
#include <stddef.h>

#include "util/error.h"

/* Runs `true` in the appliance's shell and remembers the answer on g;
 * 1 when it answers, 0 (with a notice saying what is lost) when not. */
int appliance_sh_check(guestfs_h *g);
/* Whether the shell answered appliance_sh_check (1 before any check). */
int appliance_sh_available(guestfs_h *g);
/* Runs cmd with /bin/sh in the appliance (outside the guest's root);
 * its output (the caller frees it), or NULL with the reason in err
 * (-ENOTSUP: the appliance has no shell). */
char *appliance_sh(guestfs_h *g, const char *cmd, struct lc_error *err);

#endif
