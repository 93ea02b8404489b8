/* The filesystems inspection found on the disks, read back from the
 * report's volumes, so that names in the guest's configuration can be
 * resolved the way the guest would resolve them.  Under --root there are no
 * disks: nothing can be resolved, and the callers say so. */
#include "nitro_int.h"

#include <stdlib.h>
#include <string.h>

#include "model/jdoc.h"
#include "util/xalloc.h"

/* The disk a filesystem lies on, or -1 when it spans several (an LVM
 * volume group or md array over disks) or is unknown. */
static int single_volume(json_object *f)
{
    json_object *all = doc_arr(f, "volumes");
    int64_t one;
    if (doc_len(all) == 1) {
        json_object *v = doc_at(all, 0);
        return json_object_is_type(v, json_type_int) ? json_object_get_int(v) : -1;
    }
    if (doc_len(all) > 1)
        return -1;
    return doc_int(f, "volume", &one) ? (int)one : -1;
}

void known_fs_load(struct report *r, struct known_fs *k)
{
    json_object *vols = report_get(r, "volumes");
    memset(k, 0, sizeof *k);
    size_t cap = 0;
    for (size_t i = 0; i < doc_len(vols); i++) {
        json_object *v = doc_at(vols, i);
        const char *fmt = doc_str(v, "format");
        if (fmt && strcmp(fmt, "directory"))
            k->checked = 1;
        cap += doc_len(doc_arr(v, "filesystems"));
    }
    if (!cap)
        return;
    k->id = xcalloc(cap, sizeof *k->id);
    k->volume = xcalloc(cap, sizeof *k->volume);
    k->mountpoint = xcalloc(cap, sizeof *k->mountpoint);
    for (size_t i = 0; i < doc_len(vols); i++) {
        json_object *fss = doc_arr(doc_at(vols, i), "filesystems");
        for (size_t j = 0; j < doc_len(fss) && k->n < cap; j++) {
            json_object *f = doc_at(fss, j);
            const char *dev = doc_str(f, "device");
            if (!dev)
                continue;
            /* the strings live in the report, which outlives the scan */
            k->id[k->n] = (struct fs_ident){ dev, doc_str(f, "uuid"), doc_str(f, "label"), NULL };
            k->mountpoint[k->n] = doc_str(f, "mountpoint");
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
