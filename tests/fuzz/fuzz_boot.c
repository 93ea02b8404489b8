/* Bootloader discovery on a tree given in the input (see memvfs_from_tree):
 * grub.cfg with or without blscfg, BLS entries, grubenv, menu.lst, then the
 * command line checks on every entry. */
#include "fuzz.h"
#include "scanners/nitro/nitro_int.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct report *r = report_new();
    vfs *v = memvfs_from_tree(data, size);
    if (r && v) {
        struct scan_ctx c;
        struct boot_info bi;
        struct disk_names dn;
        memset(&c, 0, sizeof c);
        c.v = v;
        c.r = r;
        disk_names_init(&c, &dn);
        boot_scan(&c, &bi);
        fuzz_touch(bi.loader);
        fuzz_touch(bi.config);
        if (bi.default_index < -1 || bi.default_index >= bi.n)
            abort();
        for (int i = 0; i < bi.n; i++) {
            fuzz_touch(bi.e[i].title);
            fuzz_touch(bi.e[i].id);
            fuzz_touch(bi.e[i].kernel);
            if (bi.e[i].cmdline)
                cmdline_check(&c, &dn, bi.e[i].cmdline, bi.config);
        }
        boot_free(&bi);
        disk_names_free(&dn);
    }
    vfs_close(v);
    report_free(r);
    return 0;
}
