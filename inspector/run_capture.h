/* Running a helper program (qemu-img) and collecting what it prints. */
#ifndef LIFTCHECK_RUN_CAPTURE_H
#define LIFTCHECK_RUN_CAPTURE_H

#include <stddef.h>

/* Runs argv (from PATH) with stdin from /dev/null, collecting stdout and
 * stderr (each NUL-terminated, at most cap bytes: the rest is drained and
 * dropped), killing it after timeout_ms.  Returns the exit status, or -1
 * if it could not run or was killed. */
int run_capture(char *const argv[], size_t cap, int timeout_ms, char **out, char **errout);

#endif
