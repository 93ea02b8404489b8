#include "luks_open.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The device-mapper name: luks-UUID when the UUID is plain (it comes from
 * the guest's header), else a counter. */
static void map_name(const char *uuid, char *out, size_t cap)
{
    static unsigned n;
    int plain = uuid && *uuid && strlen(uuid) <= 64;
    for (const char *p = uuid; plain && *p; p++)
        plain = (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
                (*p >= 'A' && *p <= 'Z') || *p == '-';
    if (plain)
        snprintf(out, cap, "luks-%s", uuid);
    else
        snprintf(out, cap, "luks-lc%u", n++);
}

enum luks_state luks_open_ro(guestfs_h *g, const struct luks_keys *ks, const char *device,
                             const char *uuid, char **mapper, int *tried,
                             struct lc_error *err)
{
    char name[96];
    char **keys = luks_keys_for(ks, device, uuid);
    enum luks_state st = LUKS_NO_KEY;

    *tried = 0;
    map_name(uuid, name, sizeof name);
    for (size_t i = 0; keys && keys[i]; i++) {
        (*tried)++;
        st = LUKS_REJECTED;
        if (guestfs_cryptsetup_open(g, device, keys[i], name,
                                    GUESTFS_CRYPTSETUP_OPEN_READONLY, 1, -1) == 0) {
            *mapper = xasprintf("/dev/mapper/%s", name);
            st = LUKS_OPENED;
            break;
        }
        const char *e = guestfs_last_error(g);
        int code = guestfs_last_errno(g);
        lc_fail(err, code > 0 ? -code : -EACCES, "%s", e ? e : "cryptsetup could not open it");
    }
    luks_keys_free_list(keys);
    return st;
}
