/* What the root needs from the initramfs: scan_nitro on a tree (see
 * memvfs_from_tree) whose file /.volumes, when there, is taken as the
 * report's volumes, as inspection of the disks writes them: the root's
 * stack (layers, devices, md levels) comes from the disks and is hostile
 * too.  Covers the stack and fstab readers, the root modules' lines of
 * the kernel config, modules.builtin and modules.dep, and their lookup in
 * the initramfs. */
#include "fuzz.h"
#include "scanners/nitro/nitro_int.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct report *r = report_new();
    vfs *v = memvfs_from_tree(data, size);
    if (r && v) {
        char *vols = memvfs_get(v, "/.volumes");
        if (vols) {
            json_object *j = json_tokener_parse(vols);
            if (j)
                report_set(r, "volumes", j);
            free(vols);
            memvfs_remove(v, "/.volumes");
        }
        struct scan_ctx c;
        memset(&c, 0, sizeof c);
        c.v = v;
        c.r = r;
        c.distro = "centos";
        c.package_format = "rpm";
        c.arch = "x86_64";
        scan_nitro(&c);
        if (verdict_compute(r->doc) < 0)
            abort();
        (void)json_object_to_json_string_ext(r->doc, JSON_C_TO_STRING_PLAIN);
    }
    vfs_close(v);
    report_free(r);
    return 0;
}
