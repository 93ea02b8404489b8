/* A libext2fs I/O manager that reads a filesystem through a disk's map
 * (disk_map.h): the bytes qemu gives the appliance, the journal it
 * replayed included, read by the host at native speed.  Read-only: every
 * write is refused. */
#ifndef LIFTCHECK_EXT_IO_H
#define LIFTCHECK_EXT_IO_H

#include <stddef.h>
#include <stdint.h>

struct disk_map;
struct struct_io_manager;

extern struct struct_io_manager *const ext_io_manager;

/* The name to open with ext_io_manager for the filesystem at byte start of
 * map's disk; the channel takes its own reference to map.  0, or -1 when
 * cap is too small. */
int ext_io_name(struct disk_map *map, uint64_t start, char *name, size_t cap);

#endif
