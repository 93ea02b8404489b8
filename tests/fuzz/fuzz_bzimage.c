/* bzImage header and built-in driver evidence in a kernel image, both from
 * memory and through the vfs (which also decompresses the payload under a
 * small output cap). */
#include "fuzz.h"
#include "scanners/nitro/nitro_int.h"

#include <stdlib.h>
#include <string.h>

#define CAP (4u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bzimage_info bz;
    struct vmlinux_evidence ev;

    memset(&ev, 0, sizeof ev);
    bzimage_parse_mem(data, size, size, &bz);
    fuzz_touch(bz.version);
    fuzz_touch(bz.arch);
    vmlinux_scan_mem(data, size, &ev);
    fuzz_touch(ev.nvme_str);
    fuzz_touch(ev.ena_str);

    vfs *v = memvfs_new();
    if (!v || memvfs_add(v, "/boot/vmlinuz-6.1.0", data, size) < 0) {
        vfs_close(v);
        return 0;
    }
    if (bzimage_parse(v, "/boot/vmlinuz-6.1.0", &bz) == 0 && bz.valid) {
        fuzz_touch(bz.version);
        vmlinux_scan(v, "/boot/vmlinuz-6.1.0", &bz, CAP, &ev);
        if (ev.dec.out_total > CAP)
            abort();
        fuzz_touch(ev.nvme_str);
        fuzz_touch(ev.ena_str);
    }
    vfs_close(v);
    return 0;
}
