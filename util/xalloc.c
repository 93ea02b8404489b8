#include "xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

_Noreturn void oom_die(void)
{
    /* No allocation here: write(2) of a constant. */
    static const char msg[] = "liftcheck: out of memory\n";
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)w;
    /* exit, not _exit: libguestfs's exit handler stops the appliance. */
    exit(EXIT_OOM);
}

void *oom_check(void *p)
{
    if (!p)
        oom_die();
    return p;
}

void *xmalloc(size_t n) { return oom_check(malloc(n ? n : 1)); }

void *xcalloc(size_t nmemb, size_t size)
{
    return oom_check(calloc(nmemb ? nmemb : 1, size ? size : 1));
}

void *xrealloc(void *p, size_t n) { return oom_check(realloc(p, n ? n : 1)); }

void *xreallocarray(void *p, size_t nmemb, size_t size)
{
    if (size && nmemb > SIZE_MAX / size)
        oom_die();
    return xrealloc(p, nmemb * size);
}

char *xstrdup(const char *s) { return oom_check(strdup(s)); }
char *xstrndup(const char *s, size_t n) { return oom_check(strndup(s, n)); }

char *xvasprintf(const char *fmt, va_list ap)
{
    char *s;
    if (vasprintf(&s, fmt, ap) < 0)
        oom_die();
    return s;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    return s;
}
