/* Kernel command lines and the small name helpers scanners apply to guest
 * strings: cmdline_get/cmdline_check, is_unstable_devname, module_name_of,
 * boot_kernel_version, version_cmp (a NUL separates two versions). */
#include "fuzz.h"
#include "scanners/nitro/nitro_int.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const keys[] = { "root", "resume", "net.ifnames", "console",
                                        "rd.driver.pre", "init", "ro" };
    char *s = malloc(size + 1), out[512], small[8];
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    size_t first = strlen(s);
    const char *second = first < size ? s + first + 1 : "";

    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (cmdline_get(s, keys[i], out, sizeof out))
            fuzz_touch(out);
        if (cmdline_get(s, keys[i], small, sizeof small))
            fuzz_touch(small);
    }
    (void)is_unstable_devname(s);
    if (module_name_of(s, out, sizeof out) == 0)
        fuzz_touch(out);
    if (module_name_of(s, small, sizeof small) == 0)
        fuzz_touch(small);
    (void)modname_eq(s, second);
    boot_kernel_version(s, out, sizeof out);
    fuzz_touch(out);
    int a = version_cmp(s, second), b = version_cmp(second, s);
    /* an ordering must be antisymmetric, or sorting kernels misbehaves */
    if ((a < 0 && b < 0) || (a > 0 && b > 0))
        abort();

    struct report *r = report_new();
    vfs *v = memvfs_new();
    if (r && v) {
        struct scan_ctx c;
        memset(&c, 0, sizeof c);
        c.v = v;
        c.r = r;
        struct disk_names dn;
        disk_names_init(&c, &dn);
        cmdline_check(&c, &dn, s, "/boot/grub/grub.cfg");
        cmdline_devnames(&c, &dn, s, "/etc/default/grub:1", SEV_WARNING);
        disk_names_free(&dn);
    }
    vfs_close(v);
    report_free(r);
    free(s);
    return 0;
}
