/* The ELF inventory's header parser (program headers, dynamic section,
 * version needs, Go build info), fed from the vfs as the scanner feeds it:
 * once with the usual first read, once with a tiny first read so every
 * further range is fetched on demand. */
#include "fuzz.h"
#include "scanners/elf/elf_int.h"

#include <stdlib.h>
#include <string.h>

static void parse(vfs *v, const char *path, const uint8_t *data, size_t size, size_t head)
{
    struct elf_info info;
    char buf[64];
    memset(&info, 0, sizeof info);
    if (!(info.path = strdup(path)))
        return;
    info.size = size;
    if (elf_parse(v, data, head < size ? head : size, &info) == 0) {
        if (info.interp) {
            fuzz_touch(info.interp);
            (void)elf_libc_of_interp(info.interp);
        }
        if (info.soname)
            fuzz_touch(info.soname);
        if (info.go_version)
            fuzz_touch(info.go_version);
        if (info.error)
            fuzz_touch(info.error);
        fuzz_touch(elf_machine_name(info.machine, buf, sizeof buf));
        fuzz_touch(elf_osabi_name(info.osabi, buf, sizeof buf));
        for (size_t i = 0; i < info.needed.n; i++)
            fuzz_touch(info.needed.v[i]);
        for (size_t i = 0; i < info.nvn; i++) {
            fuzz_touch(info.vn[i].lib);
            for (size_t k = 0; k + 1 < info.vn[i].vers.n; k++)
                (void)version_cmp(info.vn[i].vers.v[k], info.vn[i].vers.v[k + 1]);
        }
    }
    elf_info_free(&info);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = "/usr/bin/app";
    vfs *v = memvfs_new();
    if (v && memvfs_add(v, path, data, size) == 0) {
        parse(v, path, data, size, ELF_HEAD_SIZE);
        parse(v, path, data, size, 128);
    }
    vfs_close(v);
    return 0;
}
