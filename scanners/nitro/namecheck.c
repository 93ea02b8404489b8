/* One place that turns a device name met in a guest file into findings:
 * a name that changes on Nitro (with the UUID= to write instead when the
 * disks show which filesystem it is), and a UUID= or LABEL= that names no
 * filesystem on the disks.  A name met again (the same root= in every boot
 * entry) adds evidence to its finding instead of a finding of its own. */
#include "nitro_int.h"

#include <stdio.h>
#include <string.h>

#include "model/jdoc.h"

#define EVIDENCE_MAX 8

void disk_names_init(struct scan_ctx *c, struct disk_names *dn)
{
    memset(dn, 0, sizeof *dn);
    naming_read(c->v, &dn->nm);
    known_fs_load(c->r, &dn->fs);
}

void disk_names_free(struct disk_names *dn)
{
    known_fs_free(&dn->fs);
}

static const char *str_of(json_object *o, const char *key)
{
    const char *s = doc_str(o, key);
    return s ? s : "";
}

/* The finding of this id and title already in the report, or a new one. */
static json_object *finding_once(struct scan_ctx *c, enum finding_id id, const char *rem,
                                 enum severity sev, const char *detail)
{
    char title[1200];
    snprintf(title, sizeof title, "%s: %s", finding_title(id), detail);
    for (size_t i = 0; i < doc_len(c->r->findings); i++) {
        json_object *f = doc_at(c->r->findings, i);
        if (strcmp(str_of(f, "id"), finding_id_str(id)) || strcmp(str_of(f, "title"), title))
            continue;
        if (sev == SEV_BLOCKER)
            report_finding_severity(f, SEV_BLOCKER);
        if (doc_len(doc_arr(f, "evidence")) >= EVIDENCE_MAX)
            return NULL;
        return f;
    }
    json_object *f = report_add_findingf(c->r, id, c->root_volume, rem, "%s", detail);
    if (sev != finding_default_severity(id))
        report_finding_severity(f, sev);
    return f;
}

static void remedy_for(const struct disk_names *dn, const char *name, const char *then,
                       char *out, size_t cap)
{
    int i = known_fs_find(&dn->fs, name);
    if (i >= 0 && dn->fs.id[i].uuid && dn->fs.id[i].uuid[0])
        str_fmt(out, cap, "Write UUID=%s (the filesystem on %s) instead of %s.%s%s",
                dn->fs.id[i].uuid, dn->fs.id[i].device, name, then ? " " : "", then ? then : "");
    else
        str_fmt(out, cap, "Name the filesystem by UUID=, LABEL= or PARTUUID= (blkid shows them), "
                "or by its LVM or md name, instead of %s.%s%s", name, then ? " " : "",
                then ? then : "");
}

int devname_flag(struct scan_ctx *c, struct disk_names *dn, enum finding_id id,
                 enum severity sev, const char *name, const char *detail, const char *evidence,
                 const char *remediation)
{
    const char *why = devname_unstable(&dn->nm, name);
    if (!why)
        return 0;
    json_object *f = finding_once(c, id, remediation, sev, detail);
    if (f) {
        report_finding_evidence(f, "%s", evidence);
        report_finding_evidence(f, "%s: %s", name, why);
    }
    return 1;
}

int devname_check(struct scan_ctx *c, struct disk_names *dn, enum finding_id id,
                  enum severity sev, const char *name, const char *detail, const char *evidence,
                  const char *then)
{
    char rem[1024];
    if (!devname_unstable(&dn->nm, name))
        return 0;
    remedy_for(dn, name, then, rem, sizeof rem);
    return devname_flag(c, dn, id, sev, name, detail, evidence, rem);
}

int content_name_check(struct scan_ctx *c, struct disk_names *dn, const char *name,
                       int for_root, const char *evidence)
{
    if (!content_name_kind(name))
        return 0;
    if (!dn->fs.checked) {
        if (!dn->unchecked++) {
            json_object *f = report_add_finding(c->r, F_BOOT_UUID_UNCHECKED, c->root_volume,
                "Run liftcheck on the server's disk images to check that each UUID= and LABEL= "
                "names a filesystem that is there.", NULL);
            report_finding_evidence(f, "a directory was read, not disks: %s", evidence);
        }
        return 0;
    }
    if (known_fs_find(&dn->fs, name) >= 0)
        return 0;
    json_object *f = finding_once(c, F_BOOT_UUID_UNRESOLVED,
        "Find the filesystem's UUID or label with blkid and correct the name, add the missing "
        "disk to the inputs, or (for a mount that is not needed to boot) add nofail.",
        for_root ? SEV_BLOCKER : SEV_WARNING, name);
    if (f)
        report_finding_evidence(f, "%s", evidence);
    return 1;
}
