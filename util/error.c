#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void lc_error_clear(struct lc_error *e)
{
    if (e)
        memset(e, 0, sizeof *e);
}

int lc_fail(struct lc_error *e, int code, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
        e->code = code;
    }
    return code;
}
