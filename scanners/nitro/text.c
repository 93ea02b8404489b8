/* Line and small-file helpers for guest configuration files. */
#include "nitro_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *trim(char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

void for_each_line(const char *buf, size_t len, line_fn fn, void *opaque)
{
    size_t i = 0;
    char line[4096];
    while (i < len) {
        size_t j = i;
        while (j < len && buf[j] != '\n')
            j++;
        size_t n = j - i;
        /* overlong lines are cut: config lines this long are never relevant */
        if (n >= sizeof line)
            n = sizeof line - 1;
        memcpy(line, buf + i, n);
        line[n] = '\0';
        for (size_t k = 0; k < n; k++)
            if (line[k] == '\0' || line[k] == '\r')
                line[k] = ' ';
        if (fn(line, opaque))
            return;
        i = j + 1;
    }
}

char *read_small(vfs *v, const char *path, size_t cap, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    if (vfs_read_file(v, path, cap, &buf, &n) < 0)
        return NULL;
    if (len)
        *len = n;
    return buf;
}

void str_fmt(char *dst, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    /* truncation is expected and harmless: these are evidence strings */
    vsnprintf(dst, cap, fmt, ap);
    va_end(ap);
}

int for_each_config_line(vfs *v, const char *path, line_fn fn, void *opaque)
{
    size_t len;
    char *buf = read_small(v, path, 1u << 20, &len);
    if (!buf)
        return -1;
    for_each_line(buf, len, fn, opaque);
    free(buf);
    return 0;
}
