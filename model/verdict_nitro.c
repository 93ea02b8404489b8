/* Nitro boot verdict from the report document alone (kernels section and
 * findings), so a saved report can be re-judged:
 *   ready          the default kernel drives NVMe (built in or in its
 *                  initramfs) and has ENA, its initramfs can mount the root,
 *                  and no naming trap is reported
 *   fixable        a config change or an initramfs rebuild suffices, or
 *                  another installed kernel is ready
 *   blocked        no installed kernel can drive NVMe and ENA
 *   not_applicable no operating system
 *   unknown        the scan did not run or stopped before any filesystem was
 *                  found, or no root was found and a LUKS volume stayed closed */
#include "report.h"

#include <string.h>

#include "jdoc.h"

const char *verdict_nitro_boot(json_object *doc);

/* A driver status that an initramfs rebuild can use. */
static int driver_usable(json_object *k, const char *driver)
{
    const char *s = doc_str(doc_obj(k, driver), "status");
    return s && (!strcmp(s, "builtin") || !strcmp(s, "module") || !strcmp(s, "out_of_tree"));
}

/* A kernel that an initramfs rebuild makes ready: 64-bit HVM, nvme present
 * as a module, ENA present (a stale out-of-tree ENA is rebuilt, not
 * replaced). */
static int kernel_fixable(json_object *k)
{
    int64_t bits;
    if (doc_bool(k, "xen_pv_only") == 1 || (doc_int(k, "bits", &bits) && bits == 32))
        return 0;
    return driver_usable(k, "nvme") && driver_usable(k, "ena");
}

static int naming_trap(json_object *doc)
{
    json_object *findings = doc_arr(doc, "findings");
    for (size_t i = 0; i < doc_len(findings); i++) {
        json_object *f = doc_at(findings, i);
        const char *id = doc_str(f, "id"), *sev = doc_str(f, "severity");
        if (!id || !sev || strcmp(sev, "blocker"))
            continue;
        if (!strncmp(id, "BOOT-", 5) || !strncmp(id, "NET-", 4) ||
            !strcmp(id, "NITRO-ENA-VERMAGIC") || !strcmp(id, "NITRO-NVME-INITRAMFS") ||
            !strcmp(id, "NITRO-INITRAMFS-MISSING") || !strcmp(id, "NITRO-INITRAMFS-ROOT-DRIVER"))
            return 1;
    }
    return 0;
}

/* Whether any volume lists a filesystem. */
static int has_filesystems(json_object *doc)
{
    json_object *vols = doc_arr(doc, "volumes");
    for (size_t i = 0; i < doc_len(vols); i++)
        if (doc_len(doc_arr(doc_at(vols, i), "filesystems")) > 0)
            return 1;
    return 0;
}

/* No root was found and an encrypted volume stayed closed: the server may
 * be in there, so it cannot be called not_applicable. */
static int root_locked(json_object *doc)
{
    json_object *findings = doc_arr(doc, "findings");
    for (size_t i = 0; i < doc_len(findings); i++) {
        json_object *f = doc_at(findings, i);
        const char *id = doc_str(f, "id"), *sev = doc_str(f, "severity");
        if (id && sev && !strcmp(sev, "blocker") && !strncmp(id, "FS-LUKS-", 8))
            return 1;
    }
    return 0;
}

const char *verdict_nitro_boot(json_object *doc)
{
    if (!doc_obj(doc, "os")) {
        if (root_locked(doc))
            return "unknown";
        /* No OS found, or none looked for: a run stopped before it could. */
        return doc_bool(doc, "complete") == 0 && !has_filesystems(doc) ? "unknown"
                                                                       : "not_applicable";
    }
    json_object *kernels = doc_arr(doc, "kernels");
    if (!kernels)
        return "unknown";
    size_t n = doc_len(kernels);
    json_object *def = NULL;
    int any_ready = 0, any_fixable = 0;
    for (size_t i = 0; i < n; i++) {
        json_object *k = doc_at(kernels, i);
        if (doc_bool(k, "default") == 1)
            def = k;
        if (doc_bool(k, "nitro_ready") == 1)
            any_ready = 1;
        if (kernel_fixable(k))
            any_fixable = 1;
    }
    if (!def && n)
        def = doc_at(kernels, 0);
    if (def && doc_bool(def, "nitro_ready") == 1 && !naming_trap(doc))
        return "ready";
    if (any_ready || any_fixable)
        return "fixable";
    return "blocked";
}
