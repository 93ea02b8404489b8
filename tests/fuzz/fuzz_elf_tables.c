/* Section and program header tables (common/elf/elf_tables.h) through their
 * two readers: the kernel-interface imports of .dynsym and the x86 syscall
 * sweep of executable code. */
#include "fuzz.h"
#include "scanners/apps/apps_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vfs *v = memvfs_new();
    const char *path = "/opt/vendor/bin/daemon";
    if (v && memvfs_add(v, path, data, size) == 0) {
        json_object *imports = apps_imports_of(v, path);
        fuzz_touch(json_object_to_json_string(imports));
        json_object_put(imports);
        json_object *sys = apps_syscalls_of(v, path);
        fuzz_touch(json_object_to_json_string(sys));
        json_object_put(sys);
    }
    vfs_close(v);
    return 0;
}
