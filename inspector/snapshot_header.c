#include "snapshot_header.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "snapshot_build_id.h"

_Static_assert(sizeof SNAP_BUILD_ID <= SNAP_BUILD_ID_LEN, "build id fits its field");
_Static_assert(sizeof(struct snap_header) <= SNAP_HEADER_SIZE, "header fits its block");

const char *snap_build_id(void)
{
    return SNAP_BUILD_ID;
}

int snap_header_check(const struct snap_header *h, struct lc_error *err)
{
    if (memcmp(h->magic, SNAP_MAGIC, sizeof h->magic) != 0)
        return lc_fail(err, -EINVAL, "not a snapshot (bad magic)");
    if (!strncmp(h->build_id, SNAP_BUILD_ID, sizeof h->build_id))
        return 0;
    /* The other id as text, whatever bytes it holds. */
    char theirs[SNAP_BUILD_ID_LEN + 1];
    size_t n = 0;
    for (; n < sizeof h->build_id && h->build_id[n]; n++)
        theirs[n] = h->build_id[n] >= '!' && h->build_id[n] <= '~' ? h->build_id[n] : '?';
    theirs[n] = '\0';
    return lc_fail(err, -EPROTO, "the snapshot was written by a probe of another build (id %s), "
                   "not this liftcheck's (id %s): install the liftcheck-probe built with it",
                   n ? theirs : "none", SNAP_BUILD_ID);
}
