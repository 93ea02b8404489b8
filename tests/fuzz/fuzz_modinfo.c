/* .modinfo of kernel modules: the ELF relocatable parser on memory, then a
 * module file read through the vfs (plain or compressed .ko). */
#include "fuzz.h"
#include "scanners/nitro/nitro_int.h"

#include <string.h>

static void touch(const struct modinfo *mi)
{
    fuzz_touch(mi->name);
    fuzz_touch(mi->version);
    fuzz_touch(mi->vermagic);
    fuzz_touch(mi->srcversion);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct modinfo mi;
    struct lc_error err;

    memset(&mi, 0, sizeof mi);
    if (modinfo_parse_elf(data, size, &mi) == 0)
        touch(&mi);

    vfs *v = memvfs_new();
    const char *path = "/lib/modules/6.1.0/kernel/drivers/net/ethernet/amazon/ena/ena.ko";
    if (v && memvfs_add(v, path, data, size) == 0) {
        lc_error_clear(&err);
        if (modinfo_read(v, path, &mi, &err) == 0)
            touch(&mi);
        fuzz_touch(err.msg);
    }
    vfs_close(v);
    return 0;
}
