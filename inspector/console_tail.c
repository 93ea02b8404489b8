#include "console_tail.h"

#include <string.h>

static int line_end(struct console_tail *t)
{
    size_t n = t->ncur;
    while (n && t->cur[n - 1] == ' ')
        n--;
    size_t start = 0;
    while (start < n && t->cur[start] == ' ')
        start++;
    t->ncur = 0;
    if (start == n)
        return 0;
    memcpy(t->last, t->cur + start, n - start);
    t->last[n - start] = '\0';
    return 1;
}

int console_tail_feed(struct console_tail *t, const char *buf, size_t len)
{
    int fresh = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (t->in_escape) {
            /* ESC [ parameters... final byte in 0x40-0x7e; a lone ESC X
             * is two bytes. */
            if (t->in_escape == 1 && c != '[')
                t->in_escape = 0;
            else if (t->in_escape == 1)
                t->in_escape = 2;
            else if (c >= 0x40 && c <= 0x7e)
                t->in_escape = 0;
            continue;
        }
        if (c == 0x1b) {
            t->in_escape = 1;
            continue;
        }
        if (c == '\n') {
            fresh |= line_end(t);
            continue;
        }
        if (c == '\t')
            c = ' ';
        else if (c < 0x20 || c == 0x7f)
            continue;   /* \r and other controls */
        else if (c > 0x7e)
            c = '?';
        if (t->ncur < CONSOLE_LINE_MAX)
            t->cur[t->ncur++] = (char)c;
    }
    return fresh;
}
