/* A volume's own report: the server document narrowed to what lives on one
 * disk.  The server-wide parts (os, kernels, boot, verdict) stay, since a
 * ticket about one volume still needs to know whether the server boots. */
#include "report.h"

#include <string.h>

#include "elf_files.h"
#include "jdoc.h"

/* Keeps the items of array key whose "volume" is idx (or null when
 * keep_null), dropping the rest; -1 when doc is not an object. */
static int filter_array(json_object *doc, const char *key, int idx, int keep_null)
{
    json_object *arr = doc_arr(doc, key), *kept;
    if (!arr)
        return 0;
    kept = jarray();
    for (size_t i = 0; kept && i < doc_len(arr); i++) {
        json_object *it = doc_at(arr, i);
        int64_t v;
        int keep = !doc_get(it, "volume") ? keep_null : doc_int(it, "volume", &v) && v == idx;
        /* a JSON null item stays what it was */
        if (keep && doc_push(kept, json_object_get(it)) < 0) {
            json_object_put(kept);
            return -1;
        }
    }
    return doc_put(doc, key, kept);
}

/* A deep copy of doc, whose compact elf_files (which json-c cannot copy)
 * becomes the view of volume idx's entries. */
static json_object *copy_doc(json_object *doc, int idx)
{
    json_object *copy = NULL;
    if (!elf_files_compact(doc_get(doc, "elf_files")))
        return json_object_deep_copy(doc, &copy, NULL) == 0 ? copy : NULL;
    copy = jobject();
    json_object_object_foreach(doc, key, val) {
        json_object *c = NULL;
        if (!strcmp(key, "elf_files") ? !(c = elf_files_of_volume(val, idx))
                                      : val && json_object_deep_copy(val, &c, NULL) != 0) {
            json_object_put(copy);
            return NULL;
        }
        doc_put(copy, key, c);      /* a JSON null member stays what it was */
    }
    return copy;
}

json_object *report_volume_view(json_object *doc, int idx)
{
    json_object *copy = copy_doc(doc, idx), *vols, *v;
    if (!copy)
        return NULL;
    if ((vols = doc_arr(copy, "volumes"))) {
        json_object *one = jarray();
        int bad = (v = idx >= 0 ? doc_at(vols, (size_t)idx) : NULL) &&
                  doc_push(one, json_object_get(v)) < 0;
        if (doc_put(copy, "volumes", one) < 0 || bad)
            goto fail;
    }
    if (filter_array(copy, "findings", idx, 1) < 0 || (!elf_files_compact(doc_get(copy, "elf_files")) &&
                                                     filter_array(copy, "elf_files", idx, 0) < 0) ||
        filter_array(copy, "applications", idx, 1) < 0 ||
        doc_put(copy, "volume_view", jint(idx)) < 0)
        goto fail;
    return copy;
fail:
    json_object_put(copy);
    return NULL;
}
