/* The streaming newc cpio parser fed in pieces of varying size (the first
 * byte picks the piece size), then a whole initramfs through the vfs: early
 * uncompressed archives, zero padding and a compressed main archive. */
#include "fuzz.h"
#include "scanners/nitro/nitro_int.h"

#include <stdlib.h>
#include <string.h>

static void on_entry(const char *name, uint32_t mode, uint64_t size, void *opaque)
{
    unsigned long *n = opaque;
    (void)mode;
    (void)size;
    fuzz_touch(name);
    (*n)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t piece = (size_t)data[0] + 1;
    const unsigned char *p = data + 1;
    size_t n = size - 1;
    unsigned long entries = 0;

    for (int stop = 0; stop < 2; stop++) {
        struct cpio_stream s;
        cpio_init(&s, on_entry, &entries);
        s.stop_after_trailer = stop;
        size_t off = 0;
        while (off < n) {
            size_t k = n - off < piece ? n - off : piece;
            if (cpio_feed(&s, p + off, k) < 0) {
                fuzz_touch(s.errmsg);
                break;
            }
            if (s.consumed > k)
                abort();
            if (s.halted)
                break;
            off += k;
        }
        (void)cpio_at_boundary(&s);
    }

    vfs *v = memvfs_new();
    if (v && memvfs_add(v, "/boot/initrd.img-6.1.0", p, n) == 0) {
        struct initramfs_info ii;
        memset(&ii, 0, sizeof ii);
        initramfs_scan(v, "/boot/initrd.img-6.1.0", 1u << 20, &ii);
        fuzz_touch(ii.path);
        fuzz_touch(ii.error);
        fuzz_touch(ii.nvme_path);
        fuzz_touch(ii.ena_path);
    }
    vfs_close(v);
    return 0;
}
