/* Inspection: which filesystems live on which disk, which OS root there is,
 * and mounting everything read-only so the vfs can serve it. */
#ifndef LIFTCHECK_OS_H
#define LIFTCHECK_OS_H

#include "common/vfs.h"
#include "image.h"
#include "luks_keys.h"
#include "model/report.h"
#include "os_release.h"
#include "util/error.h"

struct inspection {
    int has_os;
    struct os_info os;
    struct dev_volume *devs;   /* st_dev of each mounted filesystem */
    int ndevs;
    int root_volume;
    int filesystems;           /* real filesystems found (not swap) */
};

/* Fills report sections "volumes" and "os" and mounts filesystems.
 * Returns 0, or a negative errno with err set when nothing could be
 * inspected at all (no filesystem on any disk). */
int inspect_image(struct image *im, const struct luks_keys *keys, struct report *r,
                  struct inspection *ins, struct lc_error *err);

/* "volumes" with the disks alone and "os" null: a run stopped before
 * the appliance could look at them. */
void inspect_disks_only(const struct disk *disks, int ndisks, struct report *r);

/* The same for --root DIR: one volume, the directory. */
int inspect_dir(vfs *v, const char *root, struct report *r, struct inspection *ins);

void inspection_free(struct inspection *ins);

/* The "os" section for a report. */
json_object *os_info_json(const struct os_info *o);

#endif
