/* Package ownership from the dpkg database: installed packages from
 * /var/lib/dpkg/status, their files from info/<pkg>[:<arch>].list, and
 * /var/lib/dpkg/diversions (a diverted file lives at the divert-to path). */
#include "elf_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATUS_CAP (256u << 20)
#define LIST_CAP (64u << 20)

struct diversions {
    struct strmap from;     /* path -> index into to/by */
    struct strv to, by;
};

static int load_diversions(vfs *v, struct diversions *d)
{
    char *text = NULL;
    size_t len;
    if (vfs_read_file(v, "/var/lib/dpkg/diversions", STATUS_CAP, &text, &len) < 0)
        return 0;   /* no diversions */
    char *line[3], *save = NULL;
    int k = 0, rc = 0;
    for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        line[k++] = l;
        if (k < 3)
            continue;
        k = 0;
        if (strmap_put(&d->from, line[0], (long)d->to.n) < 0 || strv_add(&d->to, line[1]) < 0 ||
            strv_add(&d->by, line[2]) < 0) {
            rc = -1;
            break;
        }
    }
    free(text);
    return rc;
}

/* Assigns pkg to every inventory file its list names. */
static int read_list(vfs *v, struct elf_inventory *inv, const struct diversions *d,
                     const char *listpath, const char *pkg)
{
    char *text = NULL, *save = NULL;
    size_t len;
    if (vfs_read_file(v, listpath, LIST_CAP, &text, &len) < 0)
        return 0;
    for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        const char *path = l;
        long dv = strmap_get(&d->from, l);
        if (dv >= 0 && strcmp(d->by.v[dv], pkg) != 0)
            path = d->to.v[dv];
        long idx = elf_inv_lookup_alias(inv, path);
        if (idx >= 0 && !inv->files[idx].package)
            inv->files[idx].package = pkg;
    }
    free(text);
    return 0;
}

static int installed(const char *status)
{
    /* "want flag state": files are on disk unless the state says otherwise. */
    const char *state = strrchr(status, ' ');
    state = state ? state + 1 : status;
    return strstr(status, " ok ") && strcmp(state, "not-installed") && strcmp(state, "config-files");
}

int dpkg_owners(vfs *v, struct elf_inventory *inv, struct strv *owners)
{
    char *status = NULL, **info = NULL;
    size_t len;
    struct diversions d = {0};
    struct strmap infoset = {0};
    int count = -1;

    if (vfs_read_file(v, "/var/lib/dpkg/status", STATUS_CAP, &status, &len) < 0)
        return -1;
    count = 0;
    if (load_diversions(v, &d) < 0 || vfs_list(v, "/var/lib/dpkg/info", &info) < 0)
        goto out;
    for (size_t i = 0; info[i]; i++)
        if (strmap_put(&infoset, info[i], 0) < 0)
            goto fail;

    char *pkg = NULL, *arch = NULL, *st = NULL;
    char *p = status;
    for (;;) {
        char *e = strchr(p, '\n');
        if (e)
            *e = '\0';
        if (!strncmp(p, "Package: ", 9))
            pkg = p + 9;
        else if (!strncmp(p, "Architecture: ", 14))
            arch = p + 14;
        else if (!strncmp(p, "Status: ", 8))
            st = p + 8;
        if (!*p || !e) {
            /* End of a stanza. */
            if (pkg && st && installed(st)) {
                char name[600];
                snprintf(name, sizeof name, "%s:%s.list", pkg, arch ? arch : "");
                if (strmap_get(&infoset, name) < 0)
                    snprintf(name, sizeof name, "%s.list", pkg);
                if (strmap_get(&infoset, name) >= 0) {
                    char path[700];
                    snprintf(path, sizeof path, "/var/lib/dpkg/info/%s", name);
                    if (strv_add(owners, pkg) < 0)
                        goto fail;
                    if (read_list(v, inv, &d, path, owners->v[owners->n - 1]) < 0)
                        goto fail;
                    count++;
                }
            }
            pkg = arch = st = NULL;
            if (!e)
                break;
        }
        p = e + 1;
    }
    goto out;
fail:
    count = -2;
out:
    free(status);
    vfs_free_names(info);
    strmap_free(&d.from);
    strv_free(&d.to);
    strv_free(&d.by);
    strmap_free(&infoset);
    return count;
}
