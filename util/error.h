/* One error type for the layers' public functions.
 *
 * A function that can fail returns 0 (or a count, or a pointer) on
 * success and a negative errno on failure (NULL for pointer results), and
 * when the caller passes a struct lc_error, fills it with that code and one
 * line naming what failed ("/dev/sda: not a disk image").  The caller
 * decides what to do with the line: a finding, stderr, or nothing.  The
 * message lives in the struct: no static buffer, no length to pass. */
#ifndef LIFTCHECK_ERROR_H
#define LIFTCHECK_ERROR_H

struct lc_error {
    int code;           /* negative errno; 0 when nothing failed */
    char msg[512];      /* one line, no trailing newline */
};

/* Empties e (may be NULL). */
void lc_error_clear(struct lc_error *e);
/* Records code (a negative errno) and the message in e (may be NULL);
 * returns code, so a function can `return lc_fail(err, -EIO, ...)`. */
int lc_fail(struct lc_error *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
