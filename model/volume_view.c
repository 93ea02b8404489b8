/* A volume's own report: the server document narrowed to what lives on one
 * disk.  The server-wide parts (os, kernels, boot, verdict) stay, since a
 * ticket about one volume still needs to know whether the server boots. */
#include "report.h"

/* Keeps the items of array key whose "volume" is idx (or null when
 * keep_null), dropping the rest. */
static void filter_array(json_object *doc, const char *key, int idx, int keep_null)
{
    json_object *arr, *kept;
    if (!json_object_object_get_ex(doc, key, &arr) || !json_object_is_type(arr, json_type_array))
        return;
    kept = json_object_new_array();
    size_t n = json_object_array_length(arr);
    for (size_t i = 0; i < n; i++) {
        json_object *it = json_object_array_get_idx(arr, i), *v = NULL;
        int has = json_object_object_get_ex(it, "volume", &v);
        int keep = (!has || v == NULL) ? keep_null
                                       : json_object_get_int(v) == idx;
        if (keep)
            json_object_array_add(kept, json_object_get(it));
    }
    json_object_object_add(doc, key, kept);
}

json_object *report_volume_view(json_object *doc, int idx)
{
    json_object *copy = NULL, *vols, *one;
    if (json_object_deep_copy(doc, &copy, NULL) != 0 || !copy)
        return NULL;
    if (json_object_object_get_ex(copy, "volumes", &vols) &&
        json_object_is_type(vols, json_type_array)) {
        one = json_object_new_array();
        json_object *v = json_object_array_get_idx(vols, (size_t)idx);
        if (v)
            json_object_array_add(one, json_object_get(v));
        json_object_object_add(copy, "volumes", one);
    }
    filter_array(copy, "findings", idx, 1);
    filter_array(copy, "elf_files", idx, 0);
    filter_array(copy, "applications", idx, 1);
    json_object_object_add(copy, "volume_view", json_object_new_int(idx));
    return copy;
}
