#include "scanners.h"

int scan_volume_of(const struct scan_ctx *c, const struct vfs_stat *st)
{
    for (int i = 0; i < c->ndevs; i++)
        if (c->devs[i].dev == st->dev)
            return c->devs[i].volume;
    return c->root_volume;
}
