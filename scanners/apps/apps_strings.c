/* Kernel-specific paths hard-coded in programs and scripts. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "scanners/apps/apps_int.h"
#include "util/xalloc.h"

#define STR_CAP (16u << 20)   /* bytes searched per file */
#define CHUNK (1u << 20)
#define OVERLAP 160           /* longest string kept across chunk edges */
#define PER_FILE 8

static const char *const fixed[] = {"/dev/mem", "/dev/kmem", "/dev/port", "/proc/ksyms",
                                    "/proc/kcore", NULL};

static int word_end(unsigned char c)
{
    return !isalnum(c) && c != '_' && c != '-' && c != '.';
}

static int seen(json_object *app, const char *path, const char *s)
{
    json_object *kp = NULL;
    if (!json_object_object_get_ex(app, "kernel_paths", &kp))
        return 0;
    for (size_t i = 0; i < json_object_array_length(kp); i++) {
        json_object *e = json_object_array_get_idx(kp, i), *p, *t;
        if (json_object_object_get_ex(e, "path", &p) && json_object_object_get_ex(e, "string", &t) &&
            !strcmp(json_object_get_string(p), path) && !strcmp(json_object_get_string(t), s))
            return 1;
    }
    return 0;
}

static int add(json_object *app, const char *path, const char *s, int *count)
{
    if (*count >= PER_FILE || seen(app, path, s))
        return 0;
    json_object *e = jobject();
    doc_put(e, "path", jstr(path));
    doc_put(e, "string", jstr(s));
    apps_push(app, "kernel_paths", e);
    (*count)++;
    return 1;
}

static void search(const unsigned char *b, size_t len, const char *path, json_object *app,
                   int *count)
{
    for (int i = 0; fixed[i]; i++) {
        size_t n = strlen(fixed[i]);
        const unsigned char *p = b, *end = b + len;
        while ((p = memmem(p, (size_t)(end - p), fixed[i], n))) {
            if (p + n >= end || word_end(p[n])) {
                add(app, path, fixed[i], count);
                break;
            }
            p++;
        }
    }
    /* /lib/modules/<version>: a path tied to one kernel build. */
    const unsigned char *p = b, *end = b + len;
    while ((p = memmem(p, (size_t)(end - p), "/lib/modules/", 13))) {
        const unsigned char *q = p + 13;
        if (q < end && isdigit(*q)) {
            char s[128];
            size_t n = 0;
            while (p + n < end && n < sizeof s - 1 && (isalnum(p[n]) || strchr("/._-+", p[n])))
                n++;
            memcpy(s, p, n);
            s[n] = 0;
            add(app, path, s, count);
        }
        p += 13;
    }
}

void apps_kernel_strings(vfs *v, const char *path, json_object *app)
{
    unsigned char *buf = xmalloc(CHUNK + OVERLAP);
    uint64_t off = 0;
    size_t keep = 0;
    int count = 0;

    while (off < STR_CAP && count < PER_FILE) {
        ssize_t got = vfs_pread(v, path, buf + keep, CHUNK, off);
        if (got <= 0)
            break;
        size_t len = keep + (size_t)got;
        search(buf, len, path, app, &count);
        off += (uint64_t)got;
        keep = len < OVERLAP ? len : OVERLAP;
        memmove(buf, buf + len - keep, keep);
    }
    free(buf);
}
