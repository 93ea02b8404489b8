/* Network configuration parsers (udev rules, ifcfg, netplan, networkd, NM
 * keyfiles, ifupdown) through a tree given in the input, see memvfs_from_tree.
 * A /proc/cmdline file in the tree stands for the default kernel command line. */
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
        char *cmdline = memvfs_get(v, "/proc/cmdline");
        memset(&c, 0, sizeof c);
        c.v = v;
        c.r = r;
        c.distro = "rhel";
        json_object_put(network_scan(&c, cmdline));
        free(cmdline);
    }
    vfs_close(v);
    report_free(r);
    return 0;
}
