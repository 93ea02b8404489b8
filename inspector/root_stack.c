#include "root_stack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/vfs.h"
#include "lvm_uuid.h"
#include "model/report.h"
#include "util/xalloc.h"

/* A stack is rarely more than LVM on LUKS on md: a small bound keeps a
 * strange layout (or a loop) from costing many appliance calls. */
#define STACK_DEVICES_MAX 16

struct todo {
    char *dev[STACK_DEVICES_MAX];
    size_t n, next;
};

static void push(struct todo *t, const char *dev)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->dev[i], dev))
            return;
    if (t->n < STACK_DEVICES_MAX)
        t->dev[t->n++] = xstrdup(dev);
}

static void layer(json_object *arr, const char *kind, const char *dev, const char *level)
{
    json_object *o = jobject();
    doc_put(o, "layer", jstr(kind));
    doc_put(o, "device", jstr(dev));
    doc_put(o, "level", jstr_or_null(level));
    doc_push(arr, o);
}

static void md_layer(guestfs_h *g, const char *dev, json_object *arr, struct todo *t)
{
    char **kv = guestfs_md_detail(g, dev);
    const char *level = NULL;
    for (size_t i = 0; kv && kv[i] && kv[i + 1]; i += 2)
        if (!strcmp(kv[i], "level"))
            level = kv[i + 1];
    layer(arr, "md", dev, level);
    vfs_free_names(kv);
    struct guestfs_mdstat_list *md = guestfs_md_stat(g, dev);
    for (size_t i = 0; md && i < md->len; i++) {
        char member[300];
        const char *m = md->val[i].mdstat_device;
        snprintf(member, sizeof member, "%s%s", m[0] == '/' ? "" : "/dev/", m);
        push(t, member);
    }
    if (md)
        guestfs_free_mdstat_list(md);
}

/* An LV: its physical volumes come next.  0 when dev is no LV. */
static int lvm_layer(guestfs_h *g, const char *dev, json_object *arr, struct todo *t)
{
    char *lv = guestfs_lvm_canonical_lv_name(g, dev), vg[256] = "";
    if (!lv)
        return 0;
    layer(arr, "lvm", lv, NULL);
    char **uuids = sscanf(lv, "/dev/%255[^/]/", vg) == 1 ? guestfs_vgpvuuids(g, vg) : NULL;
    struct guestfs_lvm_pv_list *pvs = uuids ? guestfs_pvs_full(g) : NULL;
    for (size_t i = 0; pvs && uuids[i]; i++)
        for (size_t j = 0; j < pvs->len; j++)
            if (same_pv_uuid(uuids[i], pvs->val[j].pv_uuid))
                push(t, pvs->val[j].pv_name);
    if (pvs)
        guestfs_free_lvm_pv_list(pvs);
    vfs_free_names(uuids);
    free(lv);
    return 1;
}

json_object *root_stack_json(guestfs_h *g, const char *dev, const struct luks_pair *luks,
                             size_t nluks)
{
    json_object *arr = jarray();
    struct todo t = { { NULL }, 0, 0 };
    push(&t, dev);
    for (; t.next < t.n; t.next++) {
        const char *d = t.dev[t.next];
        const struct luks_pair *opened = NULL;
        for (size_t i = 0; i < nluks && !opened; i++)
            if (luks[i].mapper && !strcmp(luks[i].mapper, d))
                opened = &luks[i];
        if (opened) {
            layer(arr, "crypt", opened->device, NULL);
            push(&t, opened->device);
        } else if (!strncmp(d, "/dev/md", 7)) {
            md_layer(g, d, arr, &t);
        } else if (strncmp(d, "/dev/sd", 7) && strncmp(d, "/dev/vd", 7)) {
            lvm_layer(g, d, arr, &t);
        }
    }
    for (size_t i = 0; i < t.n; i++)
        free(t.dev[i]);
    return arr;
}
