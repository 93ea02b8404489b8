/* The filesystems inspection found on the disks, read back from the
 * report's volumes, so that names in the guest's configuration can be
 * resolved the way the guest would resolve them.  Under --root there are no
 * disks: nothing can be resolved, and the callers say so. */
#include "nitro_int.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static const char *field(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !v || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

/* The disk a filesystem lies on, or -1 when it spans several (an LVM
 * volume group or md array over disks) or is unknown. */
static int single_volume(json_object *f)
{
    json_object *all, *one;
    if (json_object_object_get_ex(f, "volumes", &all) && json_object_is_type(all, json_type_array)) {
        size_t n = json_object_array_length(all);
        if (n == 1)
            return json_object_get_int(json_object_array_get_idx(all, 0));
        if (n > 1)
            return -1;
    }
    if (json_object_object_get_ex(f, "volume", &one) && json_object_is_type(one, json_type_int))
        return json_object_get_int(one);
    return -1;
}

void known_fs_load(struct report *r, struct known_fs *k)
{
    json_object *vols = report_get(r, "volumes");
    memset(k, 0, sizeof *k);
    if (!vols || !json_object_is_type(vols, json_type_array))
        return;
    size_t cap = 0;
    for (size_t i = 0; i < json_object_array_length(vols); i++) {
        json_object *v = json_object_array_get_idx(vols, i), *fss;
        const char *fmt = field(v, "format");
        if (fmt && strcmp(fmt, "directory"))
            k->checked = 1;
        if (json_object_object_get_ex(v, "filesystems", &fss) &&
            json_object_is_type(fss, json_type_array))
            cap += json_object_array_length(fss);
    }
    if (!cap)
        return;
    k->id = xcalloc(cap, sizeof *k->id);
    k->volume = xcalloc(cap, sizeof *k->volume);
    k->mountpoint = xcalloc(cap, sizeof *k->mountpoint);
    for (size_t i = 0; i < json_object_array_length(vols); i++) {
        json_object *fss;
        if (!json_object_object_get_ex(json_object_array_get_idx(vols, i), "filesystems", &fss) ||
            !json_object_is_type(fss, json_type_array))
            continue;
        for (size_t j = 0; j < json_object_array_length(fss) && k->n < cap; j++) {
            json_object *f = json_object_array_get_idx(fss, j);
            const char *dev = field(f, "device");
            if (!dev)
                continue;
            /* the strings live in the report, which outlives the scan */
            k->id[k->n] = (struct fs_ident){ dev, field(f, "uuid"), field(f, "label"), NULL };
            k->mountpoint[k->n] = field(f, "mountpoint");
            k->volume[k->n++] = single_volume(f);
        }
    }
}

void known_fs_free(struct known_fs *k)
{
    free(k->id);
    free(k->volume);
    free(k->mountpoint);
    k->id = NULL;
    k->volume = NULL;
    k->mountpoint = NULL;
    k->n = 0;
}

int known_fs_find(const struct known_fs *k, const char *spec)
{
    return k->n ? fstab_spec_match(spec, k->id, k->n) : -1;
}

int known_fs_at(const struct known_fs *k, const char *mp)
{
    for (size_t i = 0; i < k->n; i++)
        if (k->mountpoint[i] && !strcmp(k->mountpoint[i], mp))
            return (int)i;
    return -1;
}

const char *content_name_kind(const char *spec)
{
    static const char *const p[] = { "UUID=", "LABEL=", "/dev/disk/by-uuid/",
                                     "/dev/disk/by-label/" };
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
        if (!strncmp(spec, p[i], strlen(p[i])) && spec[strlen(p[i])])
            return p[i];
    return NULL;
}
