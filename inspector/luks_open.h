/* Opening a LUKS volume read-only in the appliance with the keys given. */
#ifndef LIFTCHECK_LUKS_OPEN_H
#define LIFTCHECK_LUKS_OPEN_H

#include <guestfs.h>
#include <stddef.h>

#include "luks_keys.h"
#include "util/error.h"

enum luks_state { LUKS_UNTRIED, LUKS_OPENED, LUKS_NO_KEY, LUKS_REJECTED };

/* Tries each key for device (LUKS UUID uuid, may be NULL) until one opens
 * it read-only as /dev/mapper/luks-UUID, the name systemd and dracut give
 * a volume crypttab does not name.  LUKS_OPENED sets *mapper (malloc'd);
 * LUKS_REJECTED puts the last error in err, and *tried says how many keys
 * were tried. */
enum luks_state luks_open_ro(guestfs_h *g, const struct luks_keys *ks, const char *device,
                             const char *uuid, char **mapper, int *tried,
                             struct lc_error *err);

#endif
