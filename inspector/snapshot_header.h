/* The checks every reader of a snapshot header makes before trusting what
 * follows it (snapshot_format.h). */
#ifndef LIFTCHECK_SNAPSHOT_HEADER_H
#define LIFTCHECK_SNAPSHOT_HEADER_H

#include <stddef.h>

#include "common/snapshot_format.h"
#include "util/error.h"

/* This build's id, as the probe built with it writes it. */
const char *snap_build_id(void);
/* 0 when h has the magic and this build's id; a negative errno with the
 * reason in err (naming both ids when the writer was another build). */
int snap_header_check(const struct snap_header *h, struct lc_error *err);

#endif
