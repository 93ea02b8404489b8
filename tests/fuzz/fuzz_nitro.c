/* The whole Nitro readiness scan (kernels, modules, initramfs, boot, fstab,
 * network, verdict inputs) on a small tree given in the input, see
 * memvfs_from_tree: catches what the per-parser targets cannot, such as
 * data passed between parsers.  The tree's file /.volumes, when there, is
 * taken as the report's volumes, as inspection of the disks writes them:
 * the root's stack (layers, devices, md levels) comes from the disks and
 * is hostile too. */
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
        c.distro = "debian";
        c.package_format = "deb";
        c.arch = "x86_64";
        scan_nitro(&c);
        /* the document is an object: only running out of memory may fail */
        if (verdict_compute(r->doc) < 0)
            abort();
        /* the report must serialise: every guest string made valid UTF-8 */
        (void)json_object_to_json_string_ext(r->doc, JSON_C_TO_STRING_PLAIN);
    }
    vfs_close(v);
    report_free(r);
    return 0;
}
