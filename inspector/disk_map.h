/* Where each byte of an input disk lies in the host's files, as qemu
 * reads it for the appliance: what the appliance wrote (the journal the
 * kernel replays when it mounts a filesystem left dirty by a live
 * snapshot) in our overlay, the rest in the disk's own file at the offset
 * its format gives (raw, qcow2, vhd, vhdx), and zeros where nothing is
 * allocated.  The map comes from `qemu-img map` of the overlay, so the
 * host reads file contents itself without parsing any image format.
 *
 * Parts qemu gives no offset for (compressed or encrypted clusters, a
 * vmdk's extent files, layers below the disk) are unreadable here: the
 * appliance reads those. */
#ifndef LIFTCHECK_DISK_MAP_H
#define LIFTCHECK_DISK_MAP_H

#include "disk_format.h"

#include <stddef.h>
#include <stdint.h>

struct disk_map;

/* The map of disk d through its overlay, taken now: the appliance must
 * have flushed what it wrote.  NULL with a reason in err. */
struct disk_map *disk_map_of(const struct disk *d, struct lc_error *err);

/* The map that `qemu-img map --output=json` printed for a disk of size
 * bytes whose layer at depth i is the file open on fds[i] (-1: its offsets
 * are not to be read).  Lines after the first malformed one, and anything
 * that does not fit the files, are unreadable.  Takes no ownership of fds
 * (they are duplicated).  NULL when a descriptor cannot be
 * duplicated (errno says why). */
struct disk_map *disk_map_parse(const char *json, uint64_t size, const int *fds, int nfds);

struct disk_map *disk_map_ref(struct disk_map *m);
void disk_map_unref(struct disk_map *m);

uint64_t disk_map_size(const struct disk_map *m);

/* Whether every byte of [off, off + len) lies in a file or reads as zeros. */
int disk_map_readable(const struct disk_map *m, uint64_t off, uint64_t len);

/* Reads len bytes at disk offset off; -1 when a part is unreadable or a
 * read fails.  Safe from several threads. */
int disk_map_pread(const struct disk_map *m, void *buf, size_t len, uint64_t off);

/* Asks the page cache for [off, off + len) of the disk (POSIX_FADV_WILLNEED). */
void disk_map_advise(const struct disk_map *m, uint64_t off, uint64_t len);

#endif
