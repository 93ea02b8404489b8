/* The last line the appliance wrote on its console, kept while it boots so
 * that a launch that stops making progress can say how far it got. */
#ifndef LIFTCHECK_CONSOLE_TAIL_H
#define LIFTCHECK_CONSOLE_TAIL_H

#include <stddef.h>

#define CONSOLE_LINE_MAX 96

struct console_tail {
    char cur[CONSOLE_LINE_MAX + 1];   /* the line being received */
    size_t ncur;
    char last[CONSOLE_LINE_MAX + 1];  /* the last complete, non-blank line */
    int in_escape;                    /* inside an ANSI escape sequence */
};

/* Takes the next chunk of console output (chunks split lines anywhere).
 * Escape sequences and control bytes are dropped, other bytes outside
 * printable ASCII become '?', and a line longer than the cap is cut.
 * Returns 1 when a new complete line became `last`. */
int console_tail_feed(struct console_tail *t, const char *buf, size_t len);

#endif
