/* The appliance's block device behind a filesystem's st_dev. */
#ifndef LIFTCHECK_PROBE_BLOCK_DEV_H
#define LIFTCHECK_PROBE_BLOCK_DEV_H

#include <stddef.h>
#include <stdint.h>

/* "/dev/sda1" for dev, from sysfs; -1 if there is no such block device. */
int block_dev_path(uint64_t dev, char *out, size_t cap);

/* The device opened with flags (O_RDONLY and more), checked to be the
 * block device dev; -1 on failure. */
int block_dev_open(uint64_t dev, int flags);

#endif
