/* The allocation policy, one for the whole program.
 *
 * Memory whose size the program chooses (structs, names, paths, messages,
 * the report's JSON nodes) comes from these functions: they never return
 * NULL.  When such an allocation fails there is nothing sensible left to
 * do, so the run ends at once with one line on stderr and exit code
 * EXIT_OOM (the README's exit codes).  Callers do not test the result.
 *
 * Buffers whose size comes from guest data or an input file (a file read
 * whole, a decompressed initramfs, snapshot records) are capped first and
 * allocated with plain malloc: a failure there is an error of that input,
 * returned as -ENOMEM and reported by the caller, and the run goes on. */
#ifndef LIFTCHECK_XALLOC_H
#define LIFTCHECK_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

#define EXIT_OOM 5

/* Says "out of memory" on stderr and exits with EXIT_OOM. */
_Noreturn void oom_die(void);
/* p, or oom_die() when p is NULL: for results of other allocators
 * (json-c, libguestfs) that follow the same policy. */
void *oom_check(void *p);

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* An array of nmemb elements of size bytes; dies on overflow too. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
