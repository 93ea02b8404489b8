#include "appliance_sh.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/progress.h"

/* The answer of the check, kept on the handle (guestfs_set_private). */
#define SH_KEY "liftcheck_appliance_sh"
static char sh_missing;

int appliance_sh_available(guestfs_h *g)
{
    return guestfs_get_private(g, SH_KEY) != &sh_missing;
}

char *appliance_sh(guestfs_h *g, const char *cmd, struct lc_error *err)
{
    if (!appliance_sh_available(g)) {
        lc_fail(err, -ENOTSUP, "the appliance has no shell (libguestfs debug sh)");
        return NULL;
    }
    char *argv[] = {(char *)cmd, NULL};
    char *out = guestfs_debug(g, "sh", argv);
    if (!out) {
        const char *m = guestfs_last_error(g);
        int e = guestfs_last_errno(g);
        lc_fail(err, e > 0 ? -e : -EIO, "appliance shell: %s", m ? m : "no answer");
    }
    return out;
}

int appliance_sh_check(guestfs_h *g)
{
    struct lc_error why = {0};
    guestfs_set_private(g, SH_KEY, NULL);
    char *out = appliance_sh(g, "true", &why);
    if (out) {
        free(out);
        return 1;
    }
    guestfs_set_private(g, SH_KEY, &sh_missing);
    notice("this libguestfs's appliance does not run shell commands (%s): files are read "
           "one by one, and md member disks and logical volumes are looked up the slow way",
           why.msg);
    return 0;
}
