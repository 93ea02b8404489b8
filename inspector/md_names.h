/* The names a guest gives an md array that the appliance assembled under
 * another (fstab's /dev/md0 is /dev/md127 or /dev/md126 here: the array's
 * home host is not the appliance). */
#ifndef LIFTCHECK_MD_NAMES_H
#define LIFTCHECK_MD_NAMES_H

#include <guestfs.h>
#include <stddef.h>

#include "mdadm_conf.h"

/* NULL-terminated malloc'd names for the array dev: the devname of every
 * mdadm.conf ARRAY line with its UUID (or its name, when the line gives no
 * UUID), and /dev/md/NAME (and /dev/mdNAME for a number) from the array's
 * own name HOST:NAME. */
char **md_guest_names(guestfs_h *g, const char *dev, const struct md_conf_array *conf,
                      size_t nconf);

#endif
