/* Runtime version parsers over guest bytes (see apps_rt_parse.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scanners/apps/apps_rt_parse.h"

/* Copies s[0..n) into out, stopping at cap - 1. */
static void take(char *out, size_t cap, const char *s, size_t n)
{
    if (!cap)
        return;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, s, n);
    out[n] = 0;
}

/* A version is digits, dots, underscores, letters and '+' / '-'. */
static size_t version_span(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && i < 64 && (isalnum((unsigned char)s[i]) || strchr("._+-", s[i])))
        i++;
    return i;
}

/* The next line of [*p, end): its start, its length in *ll; NULL at the end. */
static const char *next_line(const char **p, const char *end, size_t *ll)
{
    if (*p >= end)
        return NULL;
    const char *line = *p, *nl = memchr(line, '\n', (size_t)(end - line));
    *ll = (size_t)((nl ? nl : end) - line);
    *p = nl ? nl + 1 : end;
    return line;
}

int rt_java_release(const char *text, size_t len, char *ver, size_t cap)
{
    const char *cur = text, *line;
    size_t ll;
    while ((line = next_line(&cur, text + len, &ll))) {
        if (ll < 13 || strncmp(line, "JAVA_VERSION=", 13))
            continue;
        const char *v = line + 13;
        size_t n = ll - 13;
        if (n && *v == '"') {
            v++;
            n--;
        }
        n = version_span(v, n);
        if (!n || !isdigit((unsigned char)*v))
            return 0;
        take(ver, cap, v, n);
        return 1;
    }
    return 0;
}

int rt_java_major(const char *ver)
{
    char *e;
    long m = strtol(ver, &e, 10);
    if (e == ver || m < 1 || m > 1000)
        return 0;
    if (m == 1 && *e == '.') {
        const char *s = e + 1;
        m = strtol(s, &e, 10);
        if (e == s || m < 1 || m > 1000)
            return 0;
    }
    return (int)m;
}

/* "key = value" of an ini-like line; the value trimmed, into out. */
static int ini_value(const char *line, size_t ll, const char *key, char *out, size_t cap)
{
    size_t k = strlen(key), i = k;
    if (ll < k || strncmp(line, key, k))
        return 0;
    while (i < ll && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (i >= ll || line[i] != '=')
        return 0;
    i++;
    while (i < ll && (line[i] == ' ' || line[i] == '\t'))
        i++;
    size_t n = ll - i;
    while (n && isspace((unsigned char)line[i + n - 1]))
        n--;
    if (!n)
        return 0;
    take(out, cap, line + i, n);
    return 1;
}

int rt_pyvenv(const char *text, size_t len, char *ver, size_t vcap, char *home, size_t hcap)
{
    char v[128] = "";
    if (hcap)
        home[0] = 0;
    if (vcap)
        ver[0] = 0;
    const char *cur = text, *line;
    size_t ll;
    while ((line = next_line(&cur, text + len, &ll))) {
        if (ini_value(line, ll, "version", v, sizeof v) ||
            ini_value(line, ll, "version_info", v, sizeof v)) {
            size_t n = version_span(v, strlen(v));
            if (n && isdigit((unsigned char)v[0]))
                take(ver, vcap, v, n);
        }
        ini_value(line, ll, "home", home, hcap);
    }
    return vcap && ver[0];
}

int rt_node_version_h(const char *text, size_t len, char *ver, size_t cap)
{
    static const char *const keys[] = {"NODE_MAJOR_VERSION", "NODE_MINOR_VERSION",
                                       "NODE_PATCH_VERSION"};
    long part[3] = {-1, -1, -1};
    const char *cur = text, *line;
    size_t ll;
    while ((line = next_line(&cur, text + len, &ll))) {
        if (ll < 8 || strncmp(line, "#define ", 8))
            continue;
        for (int k = 0; k < 3; k++) {
            size_t kl = strlen(keys[k]);
            if (ll > 8 + kl && !strncmp(line + 8, keys[k], kl) &&
                (line[8 + kl] == ' ' || line[8 + kl] == '\t')) {
                char num[16];
                size_t i = 8 + kl;
                while (i < ll && (line[i] == ' ' || line[i] == '\t'))
                    i++;
                take(num, sizeof num, line + i, ll - i);
                char *e;
                long x = strtol(num, &e, 10);
                if (e != num && x >= 0 && x < 100000)
                    part[k] = x;
            }
        }
    }
    if (part[0] < 0 || part[1] < 0 || part[2] < 0)
        return 0;
    snprintf(ver, cap, "%ld.%ld.%ld", part[0], part[1], part[2]);
    return 1;
}

/* "N.N.N" at s (at most n bytes): its length, or 0. */
static size_t triple(const unsigned char *s, size_t n)
{
    size_t i = 0;
    for (int part = 0; part < 3; part++) {
        size_t d = 0;
        while (i < n && d < 6 && isdigit(s[i]))
            i++, d++;
        if (!d)
            return 0;
        if (part < 2) {
            if (i >= n || s[i] != '.')
                return 0;
            i++;
        }
    }
    return i;
}

int rt_node_in_binary(const unsigned char *buf, size_t len, char *ver, size_t cap)
{
    static const char *const marks[] = {"node-v", "/release/v"};
    for (int m = 0; m < 2; m++) {
        size_t ml = strlen(marks[m]);
        for (size_t i = 0; i + ml < len; i++) {
            const unsigned char *p = memchr(buf + i, marks[m][0], len - i);
            if (!p)
                break;
            i = (size_t)(p - buf);
            if (i + ml >= len || memcmp(p, marks[m], ml))
                continue;
            size_t n = triple(p + ml, len - i - ml);
            if (n) {
                take(ver, cap, (const char *)p + ml, n);
                return 1;
            }
        }
    }
    return 0;
}

/* The next blank-separated word of s[0..n) at *i, or 0 when none. */
static size_t word(const char *s, size_t n, size_t *i)
{
    while (*i < n && (s[*i] == ' ' || s[*i] == '\t'))
        (*i)++;
    size_t st = *i;
    while (*i < n && s[*i] != ' ' && s[*i] != '\t' && s[*i] != '\r')
        (*i)++;
    return *i - st;
}

int rt_shebang(const char *text, size_t len, char *interp, size_t cap)
{
    if (len < 3 || text[0] != '#' || text[1] != '!')
        return 0;
    const char *nl = memchr(text, '\n', len);
    size_t n = nl ? (size_t)(nl - text) : len, i = 2;
    if (n > 512)
        n = 512;
    size_t wl = word(text, n, &i);
    const char *w = text + i - wl;
    for (int hops = 0; wl && hops < 4; hops++) {
        const char *slash = memrchr(w, '/', wl);
        const char *b = slash ? slash + 1 : w;
        size_t bl = (size_t)(w + wl - b);
        /* env: the first word that is no option and no VAR=value */
        if (bl == 3 && !memcmp(b, "env", 3)) {
            do
                wl = word(text, n, &i), w = text + i - wl;
            while (wl && (w[0] == '-' || memchr(w, '=', wl)));
            continue;
        }
        if (!bl)
            return 0;
        take(interp, cap, b, bl);
        return 1;
    }
    return 0;
}

int rt_python_name(const char *base, char *ver, size_t cap)
{
    const char *p = !strncmp(base, "libpython", 9) ? base + 9
                    : !strncmp(base, "python", 6) ? base + 6 : NULL;
    if (!p || (p[0] != '2' && p[0] != '3') || p[1] != '.' || !isdigit((unsigned char)p[2]))
        return 0;
    size_t n = 3;
    while (n < 6 && isdigit((unsigned char)p[n]))
        n++;
    /* python3.11 exactly, or python3.11m / libpython3.11.so / libpython3.11m.so */
    const char *rest = p + n;
    if (*rest == 'm' || *rest == 'd' || *rest == 'u')
        rest++;
    if (base[0] == 'l' ? strncmp(rest, ".so", 3) : *rest != 0)
        return 0;
    take(ver, cap, p, n);
    return 1;
}

void rt_major_minor(const char *ver, char *out, size_t cap)
{
    const char *dot = strchr(ver, '.');
    size_t n = dot ? strcspn(dot + 1, ".") + (size_t)(dot + 1 - ver) : strlen(ver);
    take(out, cap, ver, n);
}

void rt_release_of(const char *kind, const char *ver, char *out, size_t cap)
{
    if (!cap)
        return;
    out[0] = 0;
    if (!strcmp(kind, "java")) {
        int m = rt_java_major(ver);
        if (m)
            snprintf(out, cap, "%d", m);
    } else if (!strcmp(kind, "python")) {
        rt_major_minor(ver, out, cap);
    } else if (!strcmp(kind, "node")) {
        take(out, cap, ver, strcspn(ver, "."));
    }
}
