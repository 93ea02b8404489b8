/* Where a device-mapper device lies when it is one linear stretch of
 * another block device: an LVM logical volume of one segment, as installers
 * make the root volume.  The host can then read the volume's filesystem at
 * that offset of the disk. */
#ifndef LIFTCHECK_PROBE_DM_LINEAR_H
#define LIFTCHECK_PROBE_DM_LINEAR_H

#include <stdint.h>

/* For dm device dev (st_rdev): the device below it and the byte offset of
 * the volume's start on it.  -1 when dev is not device-mapper, or its
 * table is anything but one linear target from sector 0. */
int dm_linear_of(uint64_t dev, uint64_t *below, uint64_t *offset);

#endif
