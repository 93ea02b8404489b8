/* The whole ELF inventory and the application scan on a tree given in the
 * input (see memvfs_from_tree): the walk, ELF headers, ld.so.conf and
 * library resolution, dpkg and apk ownership databases, CACHEDIR.TAG
 * files, application grouping (/etc/passwd homes, modprobe.d,
 * modules-load.d, module-loading commands of units and scripts) and the
 * syscall evidence of static binaries.  The rpm database is read by
 * librpm, not by our code, so rpm paths are dropped from the tree. */
#include "fuzz.h"
#include "scanners/scanners.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct report *r = report_new();
    vfs *v = memvfs_from_tree(data, size);
    if (r && v) {
        struct scan_ctx c;
        memvfs_remove(v, "/var/lib/rpm");
        memvfs_remove(v, "/usr/lib/sysimage/rpm");
        memset(&c, 0, sizeof c);
        c.v = v;
        c.r = r;
        c.distro = "debian";
        c.package_format = "deb";
        c.arch = "x86_64";
        /* a tree, however hostile, is scanned or reported incomplete; only
         * running out of memory fails */
        if (scan_elf(&c) == 0 && scan_apps(&c) < 0)
            abort();
        (void)json_object_to_json_string_ext(r->doc, JSON_C_TO_STRING_PLAIN);
    }
    vfs_close(v);
    report_free(r);
    return 0;
}
