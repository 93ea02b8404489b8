/* Stepping through a snapshot's records (snapshot_format.h) without
 * trusting them: each step checks that the record, fixed part and what
 * follows it, lies within the payload.  What the fields mean is the
 * caller's to check. */
#ifndef LIFTCHECK_SNAPSHOT_RECORDS_H
#define LIFTCHECK_SNAPSHOT_RECORDS_H

#include <stddef.h>

struct snap_record {
    unsigned char tag;              /* 'E', 'R', 'D' or 'X' */
    const unsigned char *fixed;     /* its struct snap_*, unaligned: memcpy it */
    const unsigned char *body;      /* path and link, range bytes or extents */
    size_t body_len;
};

/* The record at *p (before end) into r, and *p past it: 1; 0 at end; -1
 * when the tag is unknown or the record runs past end. */
int snap_next_record(const unsigned char **p, const unsigned char *end, struct snap_record *r);

#endif
