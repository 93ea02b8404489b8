/* A growable string for building paths, messages and report text.  It
 * grows with xrealloc: running out of memory ends the run (xalloc.h). */
#ifndef LIFTCHECK_STRBUF_H
#define LIFTCHECK_STRBUF_H

#include <stddef.h>

struct strbuf {
    char *s;
    size_t len, cap;
};

void sb_init(struct strbuf *b);
void sb_free(struct strbuf *b);
void sb_add(struct strbuf *b, const char *s, size_t n);
void sb_puts(struct strbuf *b, const char *s);
void sb_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the string (never NULL) and leaves b empty; caller frees. */
char *sb_detach(struct strbuf *b);

#endif
