/* Guest bytes are not text: file names and config lines may hold invalid
 * UTF-8.  JSON must always be valid UTF-8, so every guest string passes here. */
#ifndef LIFTCHECK_UTF8_H
#define LIFTCHECK_UTF8_H

#include <stddef.h>

/* 1 if s[0..len) is valid UTF-8 (no overlongs, surrogates or > U+10FFFF). */
int utf8_valid(const char *s, size_t len);

/* malloc'd copy with each invalid byte replaced by U+FFFD; NUL bytes too. */
char *utf8_sanitize(const char *s, size_t len);

#endif
