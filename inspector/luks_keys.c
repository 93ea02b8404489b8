#include "luks_keys.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/grow.h"
#include "util/xalloc.h"

/* cryptsetup reads at most 8 MiB of a key file; a passphrase line is far
 * shorter, and this one lives in memory. */
#define KEY_LINE_CAP 4096

static void wipe_free(char *s)
{
    if (s) {
        explicit_bzero(s, strlen(s));
        free(s);
    }
}

/* The first line of f without its newline, or NULL at end of input. */
static char *read_line(FILE *f)
{
    char buf[KEY_LINE_CAP + 2];
    if (!fgets(buf, sizeof buf, f))
        return NULL;
    size_t n = strcspn(buf, "\n");
    if (n > KEY_LINE_CAP) {
        explicit_bzero(buf, sizeof buf);
        errno = E2BIG;
        return NULL;
    }
    char *s = xstrndup(buf, n);
    explicit_bzero(buf, sizeof buf);
    return s;
}

int luks_keys_add(struct luks_keys *ks, const char *selector, struct lc_error *err)
{
    const char *c1 = strchr(selector, ':');
    const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c1 || !c2 || c1 == selector)
        return lc_fail(err, -EINVAL, "--key takes ID:key:PASSPHRASE or ID:file:FILENAME");
    size_t tl = (size_t)(c2 - c1 - 1);
    char *secret = NULL;
    if (tl == 3 && !strncmp(c1 + 1, "key", 3)) {
        secret = xstrdup(c2 + 1);
    } else if (tl == 4 && !strncmp(c1 + 1, "file", 4)) {
        FILE *f = fopen(c2 + 1, "re");
        if (!f || !(secret = read_line(f))) {
            int empty = f && !ferror(f) && errno != E2BIG, code = empty ? -ENODATA : -errno;
            lc_fail(err, code, "--key: cannot read a key from %s: %s", c2 + 1,
                    empty ? "empty file" : strerror(errno));
            if (f)
                fclose(f);
            return code;
        }
        fclose(f);
    } else {
        return lc_fail(err, -EINVAL, "--key: the key type is 'key' or 'file', not '%.*s'", (int)tl,
                       c1 + 1);
    }
    if (grow_array((void **)&ks->v, &ks->cap, ks->n, sizeof *ks->v, 4) < 0)
        oom_die();
    ks->v[ks->n].id = xstrndup(selector, (size_t)(c1 - selector));
    ks->v[ks->n++].secret = secret;
    return 0;
}

char **luks_keys_for(const struct luks_keys *ks, const char *device, const char *uuid)
{
    char **out = xcalloc(ks->n + 2, sizeof *out);
    size_t k = 0;
    for (size_t i = 0; out && i < ks->n; i++)
        if (ks->v[i].id && ((device && !strcmp(ks->v[i].id, device)) ||
                            (uuid && !strcmp(ks->v[i].id, uuid))))
            if ((out[k] = xstrdup(ks->v[i].secret)))
                k++;
    if (out && k == 0 && ks->from_stdin)
        out[0] = read_line(ks->in ? ks->in : stdin);
    return out;
}

void luks_keys_free_list(char **keys)
{
    for (size_t i = 0; keys && keys[i]; i++)
        wipe_free(keys[i]);
    free(keys);
}

void luks_keys_free(struct luks_keys *ks)
{
    for (size_t i = 0; i < ks->n; i++) {
        free(ks->v[i].id);
        wipe_free(ks->v[i].secret);
    }
    free(ks->v);
    memset(ks, 0, sizeof *ks);
}
