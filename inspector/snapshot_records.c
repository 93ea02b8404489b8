#include "snapshot_records.h"

#include "common/snapshot_format.h"

#include <string.h>

int snap_next_record(const unsigned char **p, const unsigned char *end, struct snap_record *r)
{
    size_t left = (size_t)(end - *p), fixed;
    if (!left)
        return 0;
    r->tag = **p;
    r->body_len = 0;
    if (r->tag == 'E') {
        struct snap_entry e;
        if (left < (fixed = sizeof e))
            return -1;
        memcpy(&e, *p, sizeof e);
        r->body_len = (size_t)e.path_len + e.link_len;
    } else if (r->tag == 'R') {
        struct snap_range g;
        if (left < (fixed = sizeof g))
            return -1;
        memcpy(&g, *p, sizeof g);
        r->body_len = g.len;
    } else if (r->tag == 'D') {
        fixed = sizeof(struct snap_disk);
    } else if (r->tag == 'X') {
        struct snap_extents x;
        if (left < (fixed = sizeof x))
            return -1;
        memcpy(&x, *p, sizeof x);
        if (x.count > SNAP_MAX_EXTENTS)
            return -1;
        r->body_len = (size_t)x.count * sizeof(struct snap_extent);
    } else {
        return -1;
    }
    if (left < fixed || left - fixed < r->body_len)
        return -1;
    r->fixed = *p;
    r->body = *p + fixed;
    *p += fixed + r->body_len;
    return 1;
}
