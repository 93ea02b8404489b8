/* JUnit XML for CI: one testsuite per area, one testcase per check.  See
 * reports.h for how severities map to results. */
#include "reports.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "doc.h"
#include "escape.h"
#include "model/report.h"

#define NAME_MAX_CHARS 300
#define TEXT_MAX 4000
#define EVIDENCE_MAX 200
#define LABELS_MAX 16     /* runtimes or entry points of one application */

enum { A_CORE, A_NITRO, A_NETWORK, A_ELF, A_APPS, A__COUNT };
static const char *const area_name[A__COUNT] = {"core", "nitro", "network", "elf", "applications"};

struct suite {
    struct strbuf body;
    int tests, failures, skipped;
};

static int area_of(const char *id)
{
    const char *a = doc_area(id);
    for (int i = 0; i < A__COUNT; i++)
        if (!strcmp(a, area_name[i]))
            return i;
    return A_CORE;
}

/* Whether the scanners of an area ran, judged by the sections they write. */
static int area_ran(json_object *doc, int area)
{
    switch (area) {
    case A_NITRO: return doc_arr(doc, "kernels") || doc_obj(doc, "boot") || doc_arr(doc, "fstab");
    case A_NETWORK: return doc_obj(doc, "network") != NULL;
    case A_ELF: return doc_obj(doc, "elf_summary") != NULL;
    case A_APPS: return doc_arr(doc, "applications") != NULL;
    default: return 1;
    }
}

static void case_open(struct suite *s, int area, const char *name, const char *sep,
                      const char *detail)
{
    s->tests++;
    sb_printf(&s->body, "    <testcase classname=\"liftcheck.%s\" name=\"", area_name[area]);
    xml_escape(&s->body, name, NAME_MAX_CHARS, 0);
    if (detail) {
        sb_puts(&s->body, sep);
        xml_escape(&s->body, detail, NAME_MAX_CHARS, 0);
    }
    sb_puts(&s->body, "\">\n");
}

static void finding_text(struct strbuf *o, json_object *f)
{
    json_object *ev = doc_arr(f, "evidence");
    const char *rem = doc_str(f, "remediation");
    int64_t vol;

    if (doc_int(f, "volume", &vol))
        sb_printf(o, "Volume %" PRId64 ".\n", vol);
    for (size_t i = 0; i < doc_len(ev) && i < EVIDENCE_MAX; i++) {
        json_object *e = doc_at(ev, i);
        sb_puts(o, "Evidence: ");
        xml_escape(o, json_object_is_type(e, json_type_string) ? json_object_get_string(e) : "",
                   TEXT_MAX, 0);
        sb_puts(o, "\n");
    }
    if (doc_len(ev) > EVIDENCE_MAX)
        sb_printf(o, "Evidence: ... and %zu more\n", doc_len(ev) - EVIDENCE_MAX);
    if (rem && *rem) {
        sb_puts(o, "Remediation: ");
        xml_escape(o, rem, TEXT_MAX, ESC_MULTILINE);
        sb_puts(o, "\n");
    }
}

static void finding_case(struct suite *s, json_object *f)
{
    const char *id = doc_str(f, "id"), *title = doc_str(f, "title");
    int sev = doc_severity(f), area = area_of(id);
    struct strbuf *o = &s->body;

    case_open(s, area, id ? id : "?", ": ", title);
    if (sev == 2) {
        s->failures++;
        sb_puts(o, "      <failure type=\"blocker\" message=\"");
        xml_escape(o, title, NAME_MAX_CHARS, 0);
        sb_puts(o, "\">");
        finding_text(o, f);
        sb_puts(o, "</failure>\n");
    } else {
        sb_printf(o, "      <system-out>%s: ", sev == 1 ? "WARNING" : "INFO");
        xml_escape(o, title, TEXT_MAX, 0);
        sb_puts(o, "\n");
        finding_text(o, f);
        sb_puts(o, "</system-out>\n");
    }
    sb_puts(o, "    </testcase>\n");
}

/* A passing testcase, or a skipped one when why is set. */
static void fact_case(struct suite *s, int area, const char *name, const char *sep,
                      const char *detail, const char *why, const char *note)
{
    case_open(s, area, name, sep, detail);
    if (note)
        sb_printf(&s->body, "      <system-out>%s</system-out>\n", note);
    if (why) {
        s->skipped++;
        sb_puts(&s->body, "      <skipped message=\"");
        xml_escape(&s->body, why, TEXT_MAX, 0);
        sb_puts(&s->body, "\"/>\n");
    }
    sb_puts(&s->body, "    </testcase>\n");
}

/* Checks of the catalogue that produced no finding passed. */
static void catalogue_cases(json_object *doc, struct suite *suites)
{
    json_object *fs = doc_arr(doc, "findings");

    for (int id = 0; id < F__COUNT; id++) {
        const char *sid = finding_id_str((enum finding_id)id);
        int area = area_of(sid), seen = 0;

        if (!area_ran(doc, area))
            continue;
        for (size_t i = 0; i < doc_len(fs) && !seen; i++) {
            const char *fid = doc_str(doc_at(fs, i), "id");
            seen = fid && !strcmp(fid, sid);
        }
        if (seen)
            continue;
        fact_case(&suites[area], area, sid, ": ", finding_title((enum finding_id)id), NULL,
                  "No such finding.");
    }
}

static int driver_present(const char *st)
{
    return st && (!strcmp(st, "builtin") || !strcmp(st, "module") || !strcmp(st, "out_of_tree"));
}

static void kernel_cases(json_object *doc, struct suite *s)
{
    json_object *ks = doc_arr(doc, "kernels");
    struct strbuf why;

    sb_init(&why);
    for (size_t i = 0; i < doc_len(ks); i++) {
        json_object *k = doc_at(ks, i), *nvme = doc_obj(k, "nvme"), *ena = doc_obj(k, "ena");
        const char *ver = doc_str(k, "version") ? doc_str(k, "version") : "?";
        const char *st = doc_str(nvme, "status");
        int in_initrd = doc_bool(nvme, "in_initramfs");

        why.len = 0;
        if (!driver_present(st))
            sb_printf(&why, "NVMe driver: %s", st ? st : "unknown");
        else if (strcmp(st, "builtin") && in_initrd != 1)
            sb_printf(&why, "NVMe driver is a module, in the initramfs: %s",
                      in_initrd == 0 ? "no" : "unknown");
        fact_case(s, A_NITRO, "NVMe driver for", " ", ver, why.len ? why.s : NULL, NULL);

        why.len = 0;
        st = doc_str(ena, "status");
        if (!driver_present(st))
            sb_printf(&why, "ENA driver: %s", st ? st : "unknown");
        fact_case(s, A_NITRO, "ENA driver for", " ", ver, why.len ? why.s : NULL, NULL);

        fact_case(s, A_NITRO, "Nitro-ready:", " ", ver,
                  doc_bool(k, "nitro_ready") == 1
                      ? NULL
                      : doc_bool(k, "default") == 1 ? "not Nitro-ready (see the failures)"
                                                     : "not Nitro-ready (not the default kernel)",
                  NULL);
    }
    sb_free(&why);
}

/* "\nLabel: a; b" from an array of strings (or a string) it then releases. */
static void labels_line(struct strbuf *o, struct strbuf *t, const char *label, json_object *list)
{
    t->len = 0;
    doc_join(t, list, "; ");
    if (t->len) {
        sb_printf(o, "\n%s: ", label);
        xml_escape(o, t->s, TEXT_MAX, 0);
    }
    json_object_put(list);
}

static void app_cases(json_object *doc, struct suite *s)
{
    json_object *apps = doc_arr(doc, "applications");

    for (size_t i = 0; i < doc_len(apps); i++) {
        json_object *a = doc_at(apps, i), *r = doc_get(a, "reasons");
        const char *d = doc_str(a, "decision"), *img = doc_str(a, "base_image");
        struct strbuf *o = &s->body;
        struct strbuf t;

        case_open(s, A_APPS, "Application", " ", doc_str(a, "name") ? doc_str(a, "name") : "?");
        sb_puts(o, "      <system-out>Decision: ");
        xml_escape(o, d ? d : "unknown", TEXT_MAX, 0);
        if (img) {
            sb_puts(o, "\nBase image: ");
            xml_escape(o, img, TEXT_MAX, 0);
        }
        sb_init(&t);
        labels_line(o, &t, "Runtimes", doc_runtime_labels(doc_arr(a, "runtimes"), LABELS_MAX));
        labels_line(o, &t, "Started by",
                    doc_entry_point_labels(doc_arr(a, "entry_points"), LABELS_MAX));
        labels_line(o, &t, "Reasons", json_object_get(r));
        sb_free(&t);
        sb_puts(o, "\n</system-out>\n    </testcase>\n");
    }
}

/* A property of the core suite; none when value is absent. */
static void property(struct strbuf *out, const char *name, const char *value)
{
    if (!value)
        return;
    sb_printf(out, "      <property name=\"%s\" value=\"", name);
    xml_escape(out, value, NAME_MAX_CHARS, 0);
    sb_puts(out, "\"/>\n");
}

int render_junit(json_object *doc, struct strbuf *out)
{
    struct suite suites[A__COUNT];
    json_object *fs = doc_arr(doc, "findings");
    int tests = 0, failures = 0, skipped = 0;

    if (!doc || !json_object_is_type(doc, json_type_object) || !out)
        return -1;
    memset(suites, 0, sizeof suites);
    for (size_t i = 0; i < doc_len(fs); i++)
        finding_case(&suites[area_of(doc_str(doc_at(fs, i), "id"))], doc_at(fs, i));
    kernel_cases(doc, &suites[A_NITRO]);
    app_cases(doc, &suites[A_APPS]);
    catalogue_cases(doc, suites);
    for (int a = 0; a < A__COUNT; a++) {
        if (!area_ran(doc, a))
            fact_case(&suites[a], a, "checks", " ", "not run", "not scanned in this report", NULL);
        tests += suites[a].tests;
        failures += suites[a].failures;
        skipped += suites[a].skipped;
    }

    sb_printf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<testsuites name=\"liftcheck\" tests=\"%d\" failures=\"%d\" errors=\"0\" "
                   "skipped=\"%d\">\n", tests, failures, skipped);
    for (int a = 0; a < A__COUNT; a++) {
        struct suite *s = &suites[a];
        sb_printf(out, "  <testsuite name=\"liftcheck.%s\" tests=\"%d\" failures=\"%d\" "
                       "errors=\"0\" skipped=\"%d\">\n",
                  area_name[a], s->tests, s->failures, s->skipped);
        if (a == A_CORE) {
            const char *host = doc_str(doc_obj(doc, "os"), "hostname");
            sb_printf(out, "    <properties>\n      <property name=\"nitro_boot\" value=\"%s\"/>\n",
                      doc_verdict_label(doc));
            property(out, "hostname", host);
            property(out, "boot_mode", doc_str(doc_obj(doc_obj(doc, "boot"), "mode"), "mode"));
            property(out, "ami_boot_mode",
                     doc_str(doc_obj(doc_obj(doc, "boot"), "mode"), "ami_boot_mode"));
            property(out, "ena_interface",
                     doc_str(doc_obj(doc_obj(doc, "network"), "predicted_primary"), "name"));
            sb_puts(out, "    </properties>\n");
        }
        if (s->body.len)
            sb_add(out, s->body.s, s->body.len);
        sb_puts(out, "  </testsuite>\n");
        sb_free(&s->body);
    }
    sb_puts(out, "</testsuites>\n");
    return 0;
}
