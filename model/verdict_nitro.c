/* Nitro boot verdict from the report document alone (kernels section and
 * findings), so a saved report can be re-judged:
 *   ready          the default kernel drives NVMe (built in or in its
 *                  initramfs) and has ENA, and no naming trap is reported
 *   fixable        a config change or an initramfs rebuild suffices, or
 *                  another installed kernel is ready
 *   blocked        no installed kernel can drive NVMe and ENA
 *   not_applicable no operating system; unknown when the scan did not run
 *                  or when no root was found and a LUKS volume stayed closed */
#include "report.h"

#include <string.h>

const char *verdict_nitro_boot(json_object *doc);

static const char *gets(json_object *o, const char *k)
{
    json_object *v;
    return o && json_object_object_get_ex(o, k, &v) && v ? json_object_get_string(v) : NULL;
}

static int getb(json_object *o, const char *k)
{
    json_object *v;
    return o && json_object_object_get_ex(o, k, &v) && v ? json_object_get_boolean(v) : 0;
}

static int is_true(json_object *o, const char *k)
{
    json_object *v;
    return o && json_object_object_get_ex(o, k, &v) && v &&
           json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
}

/* A kernel that an initramfs rebuild makes ready: 64-bit HVM, nvme present
 * as a module, ENA present. */
static int kernel_fixable(json_object *k)
{
    json_object *nvme = NULL, *ena = NULL, *bits = NULL;
    json_object_object_get_ex(k, "nvme", &nvme);
    json_object_object_get_ex(k, "ena", &ena);
    json_object_object_get_ex(k, "bits", &bits);
    if (getb(k, "xen_pv_only") || (bits && json_object_get_int(bits) == 32))
        return 0;
    const char *ns = gets(nvme, "status"), *es = gets(ena, "status");
    if (!ns || !es)
        return 0;
    int nvme_ok = !strcmp(ns, "builtin") || !strcmp(ns, "module") || !strcmp(ns, "out_of_tree");
    /* a stale out-of-tree ENA is rebuilt, not replaced */
    int ena_ok = !strcmp(es, "builtin") || !strcmp(es, "module") || !strcmp(es, "out_of_tree");
    return nvme_ok && ena_ok;
}

static int naming_trap(json_object *doc)
{
    json_object *findings;
    if (!json_object_object_get_ex(doc, "findings", &findings))
        return 0;
    size_t n = json_object_array_length(findings);
    for (size_t i = 0; i < n; i++) {
        json_object *f = json_object_array_get_idx(findings, i);
        const char *id = gets(f, "id"), *sev = gets(f, "severity");
        if (!id || !sev || strcmp(sev, "blocker"))
            continue;
        if (!strncmp(id, "BOOT-", 5) || !strncmp(id, "NET-", 4) ||
            !strcmp(id, "NITRO-ENA-VERMAGIC") || !strcmp(id, "NITRO-NVME-INITRAMFS") ||
            !strcmp(id, "NITRO-INITRAMFS-MISSING"))
            return 1;
    }
    return 0;
}

/* No root was found and an encrypted volume stayed closed: the server may
 * be in there, so it cannot be called not_applicable. */
static int root_locked(json_object *doc)
{
    json_object *findings;
    if (!json_object_object_get_ex(doc, "findings", &findings))
        return 0;
    for (size_t i = 0; i < json_object_array_length(findings); i++) {
        json_object *f = json_object_array_get_idx(findings, i);
        const char *id = gets(f, "id"), *sev = gets(f, "severity");
        if (id && sev && !strcmp(sev, "blocker") && !strncmp(id, "FS-LUKS-", 8))
            return 1;
    }
    return 0;
}

const char *verdict_nitro_boot(json_object *doc)
{
    json_object *os = NULL, *kernels = NULL;
    if (!json_object_object_get_ex(doc, "os", &os) || !os)
        return root_locked(doc) ? "unknown" : "not_applicable";
    if (!json_object_object_get_ex(doc, "kernels", &kernels) || !kernels ||
        !json_object_is_type(kernels, json_type_array))
        return "unknown";
    size_t n = json_object_array_length(kernels);
    json_object *def = NULL;
    int any_ready = 0, any_fixable = 0;
    for (size_t i = 0; i < n; i++) {
        json_object *k = json_object_array_get_idx(kernels, i);
        if (is_true(k, "default"))
            def = k;
        if (is_true(k, "nitro_ready"))
            any_ready = 1;
        if (kernel_fixable(k))
            any_fixable = 1;
    }
    if (!def && n)
        def = json_object_array_get_idx(kernels, 0);
    if (def && is_true(def, "nitro_ready") && !naming_trap(doc))
        return "ready";
    if (any_ready || any_fixable)
        return "fixable";
    return "blocked";
}
