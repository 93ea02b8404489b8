/* Transient and cache trees: what a server keeps there (unpacked archives,
 * build caches, per-user toolchains) is inventory, never an application by
 * itself.  Decided from conventions, not from a list of tools:
 *   - the FHS temporary and cache directories;
 *   - hidden directories of a home (~/.cache is the XDG cache directory;
 *     ~/.rustup, ~/.pyenv, ~/.m2 ... are per-user tool state), and the Go
 *     module cache ~/go/pkg;
 *   - any directory a CACHEDIR.TAG marks (the ELF walk found them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/jdoc.h"
#include "scanners/apps/apps_int.h"
#include "scanners/nitro/nitro_int.h"

#define PASSWD_CAP (4u << 20)
#define MAX_HOMES 2000

static const char *const system_dirs[] = {"/tmp", "/var/tmp", "/var/cache", "/dev/shm", "/run",
                                          "/var/run", NULL};

static void set_add(json_object *set, const char *key)
{
    doc_put(set, key, NULL);
}

static int set_has(json_object *set, const char *key)
{
    return json_object_object_get_ex(set, key, NULL);
}

struct homes_ctx {
    json_object *homes;
    int n;
};

/* The sixth field of an /etc/passwd line: a home directory. */
static int passwd_line(char *line, void *opaque)
{
    struct homes_ctx *h = opaque;
    char *f = line;
    for (int i = 0; i < 5 && f; i++) {
        f = strchr(f, ':');
        f = f ? f + 1 : NULL;
    }
    if (!f || f[0] != '/' || !f[1] || h->n >= MAX_HOMES)
        return h->n >= MAX_HOMES;
    f[strcspn(f, ":")] = 0;
    size_t n = strlen(f);
    while (n > 1 && f[n - 1] == '/')
        f[--n] = 0;
    if (n > 1 && n < 1024) {
        set_add(h->homes, f);
        h->n++;
    }
    return 0;
}

int apps_transient_init(struct scan_ctx *c, struct apps_transient *t, json_object *cache_dirs)
{
    struct homes_ctx h = {jobject(), 0};
    t->cache_dirs = jobject();
    t->homes = h.homes;
    if (!t->cache_dirs || !t->homes)
        return -1;
    for (size_t i = 0; i < doc_len(cache_dirs); i++)
        set_add(t->cache_dirs, json_object_get_string(json_object_array_get_idx(cache_dirs, i)));
    set_add(t->homes, "/root");
    char **names = NULL;
    if (vfs_list(c->v, "/home", &names) == 0) {
        for (size_t i = 0; names[i] && h.n < MAX_HOMES; i++, h.n++) {
            char p[1024];
            snprintf(p, sizeof p, "/home/%s", names[i]);
            set_add(t->homes, p);
        }
        vfs_free_names(names);
    }
    size_t len = 0;
    char *passwd = read_small(c->v, "/etc/passwd", PASSWD_CAP, &len);
    if (passwd)
        for_each_line(passwd, len, passwd_line, &h);
    free(passwd);
    return 0;
}

void apps_transient_free(struct apps_transient *t)
{
    json_object_put(t->cache_dirs);
    json_object_put(t->homes);
    t->cache_dirs = t->homes = NULL;
}

/* Inside a home, the first component below it says. */
static int home_transient(const char *rest)
{
    if (rest[0] == '.')
        return 1;
    return !strncmp(rest, "go/pkg", 6) && (!rest[6] || rest[6] == '/');
}

int apps_is_transient(const struct apps_transient *t, const char *path)
{
    char dir[4096];
    size_t n = strlen(path);

    for (int i = 0; system_dirs[i]; i++) {
        size_t m = strlen(system_dirs[i]);
        if (!strncmp(path, system_dirs[i], m) && (path[m] == '/' || !path[m]))
            return 1;
    }
    if (n >= sizeof dir)
        return 0;
    /* Every ancestor, the path itself included: a home or a tagged cache. */
    memcpy(dir, path, n + 1);
    for (;;) {
        if (set_has(t->cache_dirs, dir))
            return 1;
        if (n < strlen(path) && set_has(t->homes, dir) && home_transient(path + n + 1))
            return 1;
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir)
            return 0;
        *slash = 0;
        n = (size_t)(slash - dir);
    }
}
