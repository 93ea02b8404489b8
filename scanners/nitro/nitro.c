/* Nitro boot readiness: entry point.  (Kernels, initramfs, boot and network
 * checks land here.) */
#include "scanners/scanners.h"

int scan_nitro(struct scan_ctx *c)
{
    (void)c;
    return 0;
}
