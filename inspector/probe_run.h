/* The file-tree snapshot made inside the appliance (see snapshot_format.h). */
#ifndef LIFTCHECK_PROBE_RUN_H
#define LIFTCHECK_PROBE_RUN_H

#include <stddef.h>

#include "image.h"
#include "common/vfs.h"
#include "util/error.h"

/* Runs the probe over the mounted guest and returns a snapshot vfs in
 * front of live (which it then owns).  Returns NULL with the reason in err
 * when there is no probe or it failed; live is then still the caller's. */
vfs *probe_snapshot(struct image *im, vfs *live, struct lc_error *err);

#endif
