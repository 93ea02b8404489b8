/* Small containers and version arithmetic for the ELF scanner. */
#include "common/elf/elf_read.h"
#include "util/grow.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int strv_addn(struct strv *s, const char *str, size_t n)
{
    if (grow_array((void **)&s->v, &s->cap, s->n, sizeof *s->v, 4) < 0)
        return -1;
    char *c = strndup(str, n);
    if (!c)
        return -1;
    s->v[s->n++] = c;
    return 0;
}

int strv_add(struct strv *s, const char *str)
{
    return strv_addn(s, str, strlen(str));
}

int strv_has(const struct strv *s, const char *str)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->v[i], str))
            return 1;
    return 0;
}

void strv_free(struct strv *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;    /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int strmap_grow(struct strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 256;
    char **keys = calloc(cap, sizeof *keys);
    long *vals = calloc(cap, sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t j = hash_str(m->keys[i]) & (cap - 1);
        while (keys[j])
            j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    return 0;
}

int strmap_put(struct strmap *m, const char *key, long val)
{
    if ((m->n + 1) * 2 > m->cap && strmap_grow(m) < 0)
        return -1;
    size_t j = hash_str(key) & (m->cap - 1);
    while (m->keys[j]) {
        if (!strcmp(m->keys[j], key)) {
            m->vals[j] = val;
            return 0;
        }
        j = (j + 1) & (m->cap - 1);
    }
    if (!(m->keys[j] = strdup(key)))
        return -1;
    m->vals[j] = val;
    m->n++;
    return 0;
}

long strmap_get(const struct strmap *m, const char *key)
{
    if (!m->cap)
        return -1;
    size_t j = hash_str(key) & (m->cap - 1);
    while (m->keys[j]) {
        if (!strcmp(m->keys[j], key))
            return m->vals[j];
        j = (j + 1) & (m->cap - 1);
    }
    return -1;
}

void strmap_free(struct strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* The family ends at the first '_' that is followed by a digit:
 * "GLIBCXX_3.4.21" -> "GLIBCXX", "OPENSSL_1_1_0" -> "OPENSSL",
 * "CXXABI_TM_1" -> "CXXABI_TM".  "GLIBC_PRIVATE" has no number. */
int elf_version_split(const char *ver, char *family, size_t cap, const char **number)
{
    for (const char *p = ver; *p; p++) {
        if (*p == '_' && isdigit((unsigned char)p[1]) && p > ver) {
            size_t n = (size_t)(p - ver);
            if (n >= cap)
                return -1;
            memcpy(family, ver, n);
            family[n] = '\0';
            *number = p + 1;
            return 0;
        }
    }
    return -1;
}
