#include "md_names.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add(char ***v, size_t *n, const char *s)
{
    char **nv = *v = xreallocarray(*v, *n + 2, sizeof *nv);
    nv[(*n)++] = xstrdup(s);
    nv[*n] = NULL;
}

char **md_guest_names(guestfs_h *g, const char *dev, const struct md_conf_array *conf,
                      size_t nconf)
{
    char **kv = guestfs_md_detail(g, dev), **out = NULL;
    char uuid[33] = "", name[128] = "";
    size_t n = 0;
    for (size_t i = 0; kv && kv[i] && kv[i + 1]; i += 2) {
        if (!strcmp(kv[i], "uuid") && md_uuid_hex(kv[i + 1], uuid) < 0)
            uuid[0] = '\0';
        else if (!strcmp(kv[i], "name"))
            snprintf(name, sizeof name, "%s", kv[i + 1]);
    }
    for (size_t i = 0; kv && kv[i]; i++)
        free(kv[i]);
    free(kv);
    for (size_t i = 0; i < nconf; i++)
        if (conf[i].devname[0] && ((uuid[0] && !strcmp(conf[i].uuid, uuid)) ||
                                   (!conf[i].uuid[0] && name[0] && !strcmp(conf[i].name, name))))
            add(&out, &n, conf[i].devname);
    if (name[0]) {
        const char *bare = strchr(name, ':') ? strchr(name, ':') + 1 : name;
        char path[160];
        snprintf(path, sizeof path, "/dev/md/%s", bare);
        add(&out, &n, path);
        if (*bare && strspn(bare, "0123456789") == strlen(bare)) {
            snprintf(path, sizeof path, "/dev/md%s", bare);
            add(&out, &n, path);
        }
    }
    return out;
}
