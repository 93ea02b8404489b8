/* Files the host reads from the input disk itself: for each, the probe
 * records where its bytes lie ('D' and 'X' records, snapshot_format.h)
 * instead of reading them.  Emulated reads cost the appliance several
 * times what the host pays for the same bytes. */
#ifndef LIFTCHECK_PROBE_DIRECT_MAP_H
#define LIFTCHECK_PROBE_DIRECT_MAP_H

#include "disk_place.h"
#include "probe_out.h"
#include "tree.h"

#include <stddef.h>
#include <stdint.h>

struct direct_map;

/* Where the device of the files with st_dev dev lies (disk_place_of in the
 * appliance; the appliance's listing on the host): 0, or -1 if nowhere. */
typedef int (*direct_place_fn)(uint64_t dev, struct disk_place *out, void *opaque);

/* specs: the filesystems the host can read (a label of /dev/disk/guestfs
 * and a byte offset on that disk).  NULL when out of memory. */
struct direct_map *direct_map_new(const struct disk_place *specs, size_t n,
                                  direct_place_fn place, void *opaque);

/* For the regular file st, the entry-th of the snapshot: 1 when its extents
 * were recorded (the host reads it), 0 when the probe must read it, -1
 * when the output is full or memory ran out. */
int direct_map_file(struct direct_map *m, struct tree *t, struct out *o, uint64_t entry,
                    const struct vfs_stat *st);

uint64_t direct_map_files(const struct direct_map *m);
/* The 'D' records emitted so far. */
uint32_t direct_map_disks(const struct direct_map *m);
void direct_map_free(struct direct_map *m);

#endif
