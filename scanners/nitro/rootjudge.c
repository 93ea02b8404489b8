/* Whether the default kernel's initramfs can mount the root: each module
 * the root needs is built in, or in the initramfs with every module it
 * depends on.  What cannot be told is said as such, never as missing. */
#include "nitro_int.h"

#include <stdio.h>
#include <string.h>

static int is_builtin(const struct root_mod *m)
{
    return m->builtin || m->cfg == 'y';
}

/* modules.dep is the kernel's own list; the config's =m counts only
 * without it (a module the config names may not be installed). */
static int is_module(const struct root_needs *rn, const struct root_mod *m)
{
    return m->path[0] || (!rn->have_dep && m->cfg == 'm');
}

/* The first of m and its dependencies the initramfs lacks, or NULL. */
static const char *first_missing(const struct root_needs *rn, const struct root_mod *m)
{
    if (!m->in_initramfs)
        return m->name;
    for (int i = 0; i < m->ndeps; i++)
        if (!rn->mod[m->deps[i]].in_initramfs)
            return rn->mod[m->deps[i]].name;
    return NULL;
}

static void judge_one(const struct kernel *k, struct root_needs *rn, struct root_need *n)
{
    int cand[2] = { n->mod, n->alt }, nc = n->alt >= 0 ? 2 : 1, mods = 0;
    n->which = n->mod;
    for (int i = 0; i < nc; i++)
        if (is_builtin(&rn->mod[cand[i]])) {
            n->state = NEED_MET_BUILTIN;
            n->which = cand[i];
            return;
        }
    if (!rn->have_builtin && !rn->have_config) {
        n->state = NEED_UNKNOWN;
        str_fmt(n->detail, sizeof n->detail, "neither modules.builtin nor the config of %s "
                "says whether %s is built in", k->version, rn->mod[n->mod].name);
        return;
    }
    for (int i = nc - 1; i >= 0; i--)
        if (is_module(rn, &rn->mod[cand[i]]))
            n->which = cand[i], mods++;
    if (!mods) {
        n->state = NEED_UNKNOWN;
        str_fmt(n->detail, sizeof n->detail, "%s is neither built into %s nor one of its "
                "modules", rn->mod[n->mod].name, k->version);
        return;
    }
    if (!k->have_initramfs) {
        n->state = NEED_MISSING;
        str_fmt(n->missing, sizeof n->missing, "%s", rn->mod[n->which].name);
        return;
    }
    if (!k->initrd.readable) {
        n->state = NEED_UNKNOWN;
        str_fmt(n->detail, sizeof n->detail, "%s could not be read", k->initrd.path);
        return;
    }
    for (int i = 0; i < nc; i++) {
        const struct root_mod *m = &rn->mod[cand[i]];
        if (is_module(rn, m) && !first_missing(rn, m)) {
            n->state = NEED_MET_INITRAMFS;
            n->which = cand[i];
            return;
        }
    }
    n->state = NEED_MISSING;
    str_fmt(n->missing, sizeof n->missing, "%s", first_missing(rn, &rn->mod[n->which]));
}

void root_needs_judge(struct kernel *k)
{
    for (int i = 0; k->root && i < k->root->nneeds; i++)
        judge_one(k, k->root, &k->root->need[i]);
}

void root_needs_findings(struct scan_ctx *c, const struct kernel *k)
{
    const struct root_needs *rn = k->root;
    char rem[1024];
    json_object *unk = NULL;
    if (!rn || !rn->root_dev[0])
        return;
    for (int i = 0; i < rn->nneeds; i++) {
        const struct root_need *n = &rn->need[i];
        const struct root_mod *m = &rn->mod[n->which];
        if (n->state == NEED_MISSING) {
            remedy_initramfs(c, k, m->name, rem, sizeof rem);
            json_object *f = report_add_findingf(c->r, F_NITRO_INITRAMFS_ROOT_DRIVER,
                                                 c->root_volume, rem, "%s (%s)", n->missing,
                                                 k->version);
            if (k->have_initramfs)
                report_finding_evidence(f, "%s: %lu modules, no %s", k->initrd.path,
                                        k->initrd.modules_count, n->missing);
            else
                report_finding_evidence(f, "no initramfs exists for %s", k->version);
            report_finding_evidence(f, "%s (%s), so it needs %s", n->why, rn->root_dev, m->name);
            if (strcmp(n->missing, m->name))
                report_finding_evidence(f, "%s depends on %s", m->name, n->missing);
            report_finding_evidence(f, "%s is a module of %s, not built in: %s",
                                    m->name, k->version, m->path[0] ? m->path : rn->config_path);
        } else if (n->state == NEED_UNKNOWN) {
            if (!unk)
                unk = report_add_findingf(c->r, F_NITRO_ROOT_NEEDS_UNCHECKED, c->root_volume,
                                          NULL, "%s", k->version);
            report_finding_evidence(unk, "%s (%s): %s", n->why, rn->root_dev, n->detail);
        }
    }
    for (int i = 0; i < rn->nunknown; i++) {
        if (!unk)
            unk = report_add_findingf(c->r, F_NITRO_ROOT_NEEDS_UNCHECKED, c->root_volume, NULL,
                                      "%s", k->version);
        report_finding_evidence(unk, "%s", rn->unknown[i]);
    }
}

static const char *state_str(enum root_need_state s)
{
    switch (s) {
    case NEED_MET_BUILTIN: return "builtin";
    case NEED_MET_INITRAMFS: return "in_initramfs";
    case NEED_MISSING: return "missing";
    default: return "unknown";
    }
}

json_object *root_needs_json(const struct kernel *k)
{
    const struct root_needs *rn = k->root;
    if (!rn || !rn->root_dev[0])
        return NULL;
    json_object *o = jobject(), *arr = jarray();
    doc_put(o, "kernel", jstr(k->version));
    doc_put(o, "root", jstr(rn->root_dev));
    doc_put(o, "type", jstr_or_null(rn->fstype[0] ? rn->fstype : NULL));
    doc_put(o, "source", jstr(rn->source));
    for (int i = 0; i < rn->nneeds; i++) {
        const struct root_need *n = &rn->need[i];
        const struct root_mod *m = &rn->mod[n->which];
        json_object *e = jobject();
        doc_put(e, "module", jstr(m->name));
        doc_put(e, "why", jstr(n->why));
        doc_put(e, "state", jstr(state_str(n->state)));
        doc_put(e, "initramfs_path",
                jstr_or_null(n->state == NEED_MET_INITRAMFS ? m->initramfs_path : NULL));
        doc_put(e, "missing", jstr_or_null(n->state == NEED_MISSING ? n->missing : NULL));
        doc_push(arr, e);
    }
    doc_put(o, "modules", arr);
    return o;
}
