/* fstab and crypttab: the line splitter and spec matcher used to map guest
 * mounts to volumes, and the Nitro scanner's fstab/crypttab checks. */
#include "fuzz.h"
#include "common/fstab_spec.h"
#include "scanners/nitro/nitro_int.h"

#include <stdlib.h>
#include <string.h>

static const struct fs_ident fss[] = {
    { "/dev/sda1", "0e9a1c3e-5b1f-4b8e-9a0c-1f2e3d4c5b6a", "root", "1234abcd-01" },
    { "/dev/sda2", NULL, NULL, NULL },
    { "/dev/vg0/lv_home", "7d3f", "home", NULL },
    { "/dev/md127", "a1b2c3d4-0000-0000-0000-000000000000", NULL, NULL },
    { "/dev/sdb1", "", "", "" },
};
#define NFSS (sizeof fss / sizeof fss[0])

static int each_line(char *line, void *opaque)
{
    char *fld[4] = { NULL, NULL, NULL, NULL };
    (void)opaque;
    int n = fstab_split(line, fld);
    if (n < 0 || n > 4)
        abort();
    for (int i = 0; i < n; i++) {
        if (!fld[i])
            abort();
        fuzz_touch(fld[i]);
    }
    if (n > 0) {
        int k = fstab_spec_match(fld[0], fss, NFSS);
        if (k < -1 || k >= (int)NFSS)
            abort();
        (void)is_unstable_devname(fld[0]);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for_each_line((const char *)data, size, each_line, NULL);

    struct report *r = report_new();
    vfs *v = memvfs_new();
    if (r && v && memvfs_add(v, "/etc/fstab", data, size) == 0 &&
        memvfs_add(v, "/etc/crypttab", data, size) == 0) {
        struct scan_ctx c;
        memset(&c, 0, sizeof c);
        c.v = v;
        c.r = r;
        c.distro = "debian";
        struct disk_names dn;
        disk_names_init(&c, &dn);
        json_object_put(fstab_scan(&c, &dn));
        crypttab_scan(&c, &dn);
        disk_names_free(&dn);
    }
    vfs_close(v);
    report_free(r);
    return 0;
}
