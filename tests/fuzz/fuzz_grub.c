/* GRUB 2 and GRUB legacy configuration parsers on memory.  A NUL byte in
 * the input separates grub.cfg from grubenv (saved_entry, kernelopts). */
#include "fuzz.h"
#include "scanners/nitro/nitro_int.h"

#include <stdlib.h>
#include <string.h>

static void check(struct boot_info *bi)
{
    char out[256];
    fuzz_touch(bi->loader);
    fuzz_touch(bi->default_spec);
    fuzz_touch(bi->default_named);
    if (bi->default_index < -1 || bi->default_index >= bi->n)
        abort();
    /* an unmatched default still boots an entry: the first */
    if (bi->default_unmatched && bi->default_index != 0)
        abort();
    for (int i = 0; i < bi->n; i++) {
        fuzz_touch(bi->e[i].title);
        fuzz_touch(bi->e[i].id);
        fuzz_touch(bi->e[i].kernel);
        fuzz_touch(bi->e[i].initrd);
        boot_kernel_version(bi->e[i].kernel, out, sizeof out);
        fuzz_touch(out);
        if (bi->e[i].cmdline && cmdline_get(bi->e[i].cmdline, "root", out, sizeof out))
            fuzz_touch(out);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* files reach the parsers NUL-terminated, as read_small returns them */
    char *cfg = fuzz_text(data, size);
    if (!cfg)
        return 0;
    size_t cfglen = strlen(cfg);
    const char *env = cfglen < size ? cfg + cfglen + 1 : NULL;

    struct boot_info bi;
    memset(&bi, 0, sizeof bi);
    bi.default_index = -1;
    grub2_parse(&bi, cfg, cfglen, env);
    check(&bi);
    boot_free(&bi);

    memset(&bi, 0, sizeof bi);
    bi.default_index = -1;
    grub_legacy_parse(&bi, cfg, size, env);
    check(&bi);
    boot_free(&bi);
    free(cfg);
    return 0;
}
