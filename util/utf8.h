/* Guest bytes are not text: file names and config lines may hold invalid
 * UTF-8.  JSON must always be valid UTF-8, so every guest string passes here. */
#ifndef LIFTCHECK_UTF8_H
#define LIFTCHECK_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the sequence at s (at most n bytes, n >= 1) into *cp and returns its
 * length, or 0 if s[0] does not start a valid one (strict: no overlongs,
 * surrogates or > U+10FFFF).  NUL decodes as U+0000; callers that refuse it
 * check *cp. */
size_t utf8_decode_one(const char *s, size_t n, uint32_t *cp);

/* 1 if s[0..len) is valid UTF-8 (no overlongs, surrogates or > U+10FFFF). */
int utf8_valid(const char *s, size_t len);

/* malloc'd copy with each invalid byte replaced by U+FFFD; NUL bytes too. */
char *utf8_sanitize(const char *s, size_t len);

#endif
