/* Grouping files into applications by install root. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scanners/apps/apps_int.h"
#include "util/xalloc.h"

/* Standard /usr/local directories: files there make one flat application. */
static const char *const local_std[] = {
    "bin", "sbin", "lib", "lib32", "lib64", "libexec", "include", "share", "etc",
    "man", "src", "games", "var", NULL,
};

static int is_std_local(const char *comp, size_t n)
{
    for (int i = 0; local_std[i]; i++)
        if (strlen(local_std[i]) == n && !memcmp(local_std[i], comp, n))
            return 1;
    return 0;
}

/* Copies the first path component after prefix; returns its length or 0. */
static size_t comp_after(const char *path, const char *prefix)
{
    size_t p = strlen(prefix);
    if (strncmp(path, prefix, p) || !path[p] || path[p] == '/')
        return 0;
    const char *e = strchr(path + p, '/');
    return e ? (size_t)(e - (path + p)) : strlen(path + p);
}

int apps_set_root(char *name, size_t ncap, char *root, size_t rcap, const char *nm, size_t nlen,
                  const char *path, size_t rlen)
{
    if (nlen >= ncap || rlen >= rcap)
        return 0;
    memcpy(name, nm, nlen);
    name[nlen] = 0;
    memcpy(root, path, rlen);
    root[rlen] = 0;
    return 1;
}

int apps_root_of(const char *path, char *name, size_t ncap, char *root, size_t rcap)
{
    static const char *const one_level[] = {"/opt/", "/srv/", "/data/", "/root/",
                                            "/var/lib/dkms/", "/usr/local/", NULL};
    size_t n;

    if (!strcmp(path, "/app") || !strncmp(path, "/app/", 5))
        return apps_set_root(name, ncap, root, rcap, "app", 3, path, 4);
    for (int i = 0; one_level[i]; i++) {
        size_t p = strlen(one_level[i]);
        if (!(n = comp_after(path, one_level[i])))
            continue;
        if (!strcmp(one_level[i], "/usr/local/") && is_std_local(path + p, n))
            return apps_set_root(name, ncap, root, rcap, "usr-local", 9, path, p - 1);
        return apps_set_root(name, ncap, root, rcap, path + p, n, path, p + n);
    }
    if ((n = comp_after(path, "/home/"))) {
        /* /home/USER/X: one application per directory of a home. */
        const char *user = path + 6, *rest = user + n;
        if (*rest == '/' && rest[1]) {
            const char *e = strchr(rest + 1, '/');
            size_t m = e ? (size_t)(e - (rest + 1)) : strlen(rest + 1);
            if (e)
                return apps_set_root(name, ncap, root, rcap, rest + 1, m, path, (size_t)(rest + 1 + m - path));
        }
        return apps_set_root(name, ncap, root, rcap, user, n, path, 6 + n);
    }
    return 0;
}

json_object *apps_get(struct apps *a, const char *name, const char *root, int volume)
{
    for (size_t i = 0; i < a->n; i++)
        if (!strcmp(a->v[i].root, root))
            return a->v[i].o;
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 16;
        a->v = xreallocarray(a->v, cap, sizeof *a->v);
        a->cap = cap;
    }
    char *r = xstrdup(root);
    json_object *o = jobject();
    doc_put(o, "name", jstr(name));
    doc_put(o, "root", jstr(root));
    doc_put(o, "volume", jint(volume));
    doc_put(o, "files", jarray());
    doc_put(o, "entry_points", jarray());
    a->v[a->n].root = r;
    a->v[a->n].o = o;
    a->n++;
    return o;
}

json_object *apps_find_path(const struct apps *a, const char *path)
{
    json_object *best = NULL;
    size_t blen = 0;
    for (size_t i = 0; i < a->n; i++) {
        size_t n = strlen(a->v[i].root);
        if (!strncmp(path, a->v[i].root, n) && (path[n] == '/' || !path[n]) && n > blen) {
            best = a->v[i].o;
            blen = n;
        }
    }
    return best;
}

void apps_free(struct apps *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->v[i].root);
        json_object_put(a->v[i].o);
    }
    free(a->v);
    json_object_put(a->loaders);
    a->v = NULL;
    a->loaders = NULL;
    a->n = a->cap = 0;
}

void apps_push(json_object *o, const char *key, json_object *val)
{
    json_object *arr = NULL;
    if (!json_object_object_get_ex(o, key, &arr) || !json_object_is_type(arr, json_type_array)) {
        arr = jarray();
        doc_put(o, key, arr);
    }
    doc_push(arr, val);
}

void apps_push_str(json_object *o, const char *key, const char *s, size_t cap)
{
    json_object *arr = NULL;
    if (json_object_object_get_ex(o, key, &arr) && json_object_is_type(arr, json_type_array)) {
        size_t n = json_object_array_length(arr);
        if (n >= cap)
            return;
        for (size_t i = 0; i < n; i++)
            if (!strcmp(json_object_get_string(json_object_array_get_idx(arr, i)), s))
                return;
    }
    apps_push(o, key, jstr(s));
}

json_object *apps_obj(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_object))
        return v;
    v = jobject();
    doc_put(o, key, v);
    return v;
}

const char *apps_argv0(const char *cmd, char *buf, size_t cap)
{
    size_t n = 0;
    while (*cmd == ' ' || *cmd == '\t')
        cmd++;
    /* systemd prefixes: "-" ignore failure, "@", "+", "!", ":" */
    while (*cmd == '-' || *cmd == '@' || *cmd == '+' || *cmd == '!' || *cmd == ':')
        cmd++;
    while (cmd[n] && cmd[n] != ' ' && cmd[n] != '\t' && cmd[n] != '\n' && cmd[n] != ';' &&
           cmd[n] != '"' && cmd[n] != '\'')
        n++;
    if (!cap || n >= cap)
        return NULL;
    memcpy(buf, cmd, n);
    buf[n] = 0;
    return buf;
}
