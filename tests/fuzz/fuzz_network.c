/* Network configuration parsers (udev rules, ifcfg, netplan, networkd, NM
 * keyfiles, ifupdown, cloud-init) and the judgement of every configuration
 * through a tree given in the input, see memvfs_from_tree.  A /proc/cmdline
 * file in the tree stands for the default kernel command line, a /proc/os
 * file ("DISTRO MAJOR.MINOR") for what inspection found. */
#include "fuzz.h"
#include "scanners/nitro/nitro_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct report *r = report_new();
    vfs *v = memvfs_from_tree(data, size);
    if (r && v) {
        struct scan_ctx c;
        char *cmdline = memvfs_get(v, "/proc/cmdline");
        char *os = memvfs_get(v, "/proc/os");
        char distro[32] = "rhel";
        memset(&c, 0, sizeof c);
        c.v = v;
        c.r = r;
        if (os)
            sscanf(os, "%31s %d.%d", distro, &c.os_major, &c.os_minor);
        c.distro = distro;
        c.os_version = os;
        json_object_put(network_scan(&c, cmdline));
        free(cmdline);
        free(os);
    }
    vfs_close(v);
    report_free(r);
    return 0;
}
