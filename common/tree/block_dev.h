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

/* Direct reads: offsets, lengths and buffers aligned to this (a multiple
 * of any sector size), at most BLOCK_DEV_MAX_READ bytes at once. */
#define BLOCK_DEV_ALIGN 4096u
#define BLOCK_DEV_MAX_READ (1u << 20)

/* A buffer for one direct read (a par_loop's local_new; free() frees it). */
void *block_dev_buffer(void *ctx);

/* Reads [off, off+len) of fd, across short reads; the bytes read. */
size_t block_dev_read(int fd, void *buf, size_t len, uint64_t off);

#endif
