/* GitHub-flavoured Markdown, to paste into a ticket: the verdict on the
 * first line, then what to fix first. */
#include "reports.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "doc.h"
#include "model/elf_files.h"
#include "escape.h"
#include "table.h"

#define CELL_MAX 300      /* characters per table cell */
#define TEXT_MAX 2000     /* characters per line of prose or evidence */
#define CODE_MAX 20000    /* characters per code block */
#define EVIDENCE_MAX 50   /* evidence lines per finding */
#define ROWS_MAX 200      /* rows of an unbounded list */
#define CONFIGS_MAX 20    /* network configurations listed */

static void text(struct strbuf *o, const char *s) { md_escape(o, s, TEXT_MAX); }

static void cell(struct strbuf *o, const char *s)
{
    sb_puts(o, " ");
    if (s && *s)
        md_escape(o, s, CELL_MAX);
    else
        sb_puts(o, "\xE2\x80\x94");
    sb_puts(o, " |");
}

static void cell_int(struct strbuf *o, json_object *obj, const char *key)
{
    int64_t v;
    char buf[32];

    if (doc_int(obj, key, &v)) {
        snprintf(buf, sizeof buf, "%" PRId64, v);
        cell(o, buf);
    } else {
        cell(o, NULL);
    }
}


static void table_head(struct strbuf *o, const char *const *cols)
{
    size_t n = 0;

    sb_puts(o, "|");
    for (; cols[n]; n++)
        sb_printf(o, " %s |", cols[n]);
    sb_puts(o, "\n|");
    while (n--)
        sb_puts(o, " --- |");
    sb_puts(o, "\n");
}

static void row_begin(struct strbuf *o) { sb_puts(o, "|"); }
static void row_end(struct strbuf *o) { sb_puts(o, "\n"); }
static void table_end(struct strbuf *o) { sb_puts(o, "\n"); }

/* Several lines in one cell: joined, a table row is one line. */
static void cell_list(struct strbuf *o, json_object *r)
{
    struct strbuf t;
    sb_init(&t);
    doc_join(&t, r, "; ");
    cell(o, t.len ? t.s : NULL);
    sb_free(&t);
}

const struct table_fmt table_md = {
    .head = table_head, .row_begin = row_begin, .cell = cell, .list_cell = cell_list,
    .row_end = row_end, .end = table_end, .max_rows = ROWS_MAX,
};

static void first_line(json_object *doc, struct strbuf *o)
{
    json_object *v = doc_obj(doc, "verdict");
    int64_t b = 0, w = 0;
    struct strbuf os;
    const char *host = doc_str(doc_obj(doc, "os"), "hostname");

    doc_int(v, "blockers", &b);
    doc_int(v, "warnings", &w);
    sb_printf(o, "**Nitro boot: %s** \xE2\x80\x94 %" PRId64 " blocker%s, %" PRId64 " warning%s",
              doc_verdict_label(doc), b, b == 1 ? "" : "s", w, w == 1 ? "" : "s");
    if (host && *host) {
        sb_puts(o, " \xC2\xB7 host ");
        md_escape(o, host, CELL_MAX);
    }
    sb_init(&os);
    doc_os_line(doc, &os);
    sb_puts(o, " \xC2\xB7 ");
    if (os.len)
        md_escape(o, os.s, CELL_MAX);
    else
        sb_puts(o, "no operating system found");
    sb_free(&os);
    if (doc_bool(doc, "complete") == 0)
        sb_puts(o, " \xC2\xB7 **incomplete scan**");
    sb_puts(o, "\n\n");
}

static void about(json_object *doc, struct strbuf *o)
{
    static const char *const cols[] = {"Field", "Value", NULL};
    json_object *tool = doc_obj(doc, "tool"), *launch = doc_obj(doc, "launch");
    json_object *vols = doc_arr(doc, "volumes");
    struct strbuf t;
    int64_t ms;

    sb_puts(o, "# liftcheck report\n\n");
    table_head(o, cols);
    sb_init(&t);
    for (size_t i = 0; i < doc_len(vols); i++) {
        if (i)
            sb_puts(&t, ", ");
        const char *p = doc_str(doc_at(vols, i), "path");
        sb_puts(&t, p ? p : "?");
    }
    sb_puts(o, "| Disks |");
    cell(o, t.s);
    sb_puts(o, "\n| Started |");
    cell(o, doc_str(doc, "started_at"));
    sb_puts(o, "\n| Duration |");
    t.len = 0;
    if (doc_int(doc, "duration_ms", &ms))
        sb_printf(&t, "%.1f s", (double)ms / 1000.0);
    cell(o, t.len ? t.s : NULL);
    sb_puts(o, "\n| Appliance |");
    t.len = 0;
    const char *acc = doc_str(launch, "accelerator"), *why = doc_str(launch, "fallback_reason");
    sb_puts(&t, acc ? acc : "?");
    if (why)
        sb_printf(&t, " (KVM not used: %s)", why);
    cell(o, t.s);
    sb_puts(o, "\n| Complete |");
    cell(o, doc_bool(doc, "complete") == 0 ? "no: part of the scan failed or was cut short"
                                           : table_yes_no(doc_bool(doc, "complete")));
    sb_puts(o, "\n| liftcheck |");
    t.len = 0;
    const char *ver = doc_str(tool, "version"), *schema = doc_str(doc, "schema_version");
    sb_printf(&t, "%s, schema %s", ver ? ver : "?", schema ? schema : "?");
    cell(o, t.s);
    sb_puts(o, "\n\n");
    sb_free(&t);
}

static void finding(struct strbuf *o, json_object *f)
{
    json_object *ev = doc_arr(f, "evidence");
    const char *rem = doc_str(f, "remediation");
    int64_t vol;
    size_t n = doc_len(ev);

    sb_puts(o, "### ");
    text(o, doc_str(f, "id") ? doc_str(f, "id") : "?");
    sb_puts(o, " \xE2\x80\x94 ");
    text(o, doc_str(f, "title"));
    sb_puts(o, "\n\n");
    if (doc_int(f, "volume", &vol))
        sb_printf(o, "Volume %" PRId64 ".\n\n", vol);
    else
        sb_puts(o, "Whole server.\n\n");
    if (n) {
        sb_puts(o, "Evidence:\n\n");
        for (size_t i = 0; i < n && i < EVIDENCE_MAX; i++) {
            json_object *e = doc_at(ev, i);
            sb_puts(o, "- ");
            md_escape_block(o, json_object_is_type(e, json_type_string) ? json_object_get_string(e) : "",
                            TEXT_MAX);
            sb_puts(o, "\n");
        }
        if (n > EVIDENCE_MAX)
            sb_printf(o, "- \xE2\x80\xA6 and %zu more\n", n - EVIDENCE_MAX);
        sb_puts(o, "\n");
    }
    if (rem && *rem) {
        sb_puts(o, "Remediation:\n\n");
        md_code_block(o, rem, CODE_MAX);
        sb_puts(o, "\n");
    }
}

static void findings(json_object *doc, struct strbuf *o)
{
    static const char *const heads[] = {"Info", "Warnings", "Blockers"};
    json_object *fs = doc_arr(doc, "findings");

    for (int sev = 2; sev >= 0; sev--) {
        size_t count = 0;
        for (size_t i = 0; i < doc_len(fs); i++)
            count += doc_severity(doc_at(fs, i)) == sev;
        sb_printf(o, "## %s (%zu)\n\n", heads[sev], count);
        if (!count)
            sb_puts(o, "None.\n\n");
        for (size_t i = 0; i < doc_len(fs); i++)
            if (doc_severity(doc_at(fs, i)) == sev)
                finding(o, doc_at(fs, i));
    }
}

static void kernels(json_object *doc, struct strbuf *o)
{
    json_object *ks = doc_arr(doc, "kernels"), *boot = doc_obj(doc, "boot");

    sb_puts(o, "## Kernels\n\n");
    if (!ks)
        sb_puts(o, "Not scanned.\n\n");
    else if (!doc_len(ks))
        sb_puts(o, "No installed kernel found.\n\n");
    table_kernels(&table_md, ks, o);
    if (boot) {
        sb_puts(o, "Bootloader: ");
        text(o, doc_str(boot, "loader") ? doc_str(boot, "loader") : "?");
        if (doc_str(boot, "config")) {
            sb_puts(o, ", config ");
            text(o, doc_str(boot, "config"));
        }
        if (doc_str(boot, "default_kernel")) {
            sb_puts(o, ", default kernel ");
            text(o, doc_str(boot, "default_kernel"));
        }
        sb_puts(o, ".\n\n");
    }
    if (doc_obj(boot, "mode")) {
        struct strbuf t;
        sb_init(&t);
        doc_boot_mode_line(doc_obj(boot, "mode"), &t);
        sb_puts(o, "Boot mode: ");
        text(o, t.s);
        sb_puts(o, "\n\n");
        sb_free(&t);
    }
}

static void volumes(json_object *doc, struct strbuf *o)
{
    json_object *vols = doc_arr(doc, "volumes");

    sb_puts(o, "## Volumes and filesystems\n\n");
    if (!doc_len(vols))
        sb_puts(o, "None listed.\n\n");
    table_volumes(&table_md, vols, o);
    table_filesystems(&table_md, vols, o);
}

static void fstab(json_object *doc, struct strbuf *o)
{
    json_object *fs = doc_arr(doc, "fstab");
    size_t issues = 0;

    if (!fs)
        return;
    sb_puts(o, "## fstab issues\n\n");
    for (size_t i = 0; i < doc_len(fs); i++)
        issues += doc_str(doc_at(fs, i), "issue") != NULL;
    sb_printf(o, "%zu entr%s, %zu with issues.\n\n", doc_len(fs), doc_len(fs) == 1 ? "y" : "ies",
              issues);
    table_fstab_issues(&table_md, fs, o);
}

static void network(json_object *doc, struct strbuf *o)
{
    json_object *n = doc_obj(doc, "network"), *pins, *configs;
    struct strbuf primary;
    size_t more;

    if (!n)
        return;
    pins = doc_arr(n, "mac_pinned");
    configs = doc_arr(n, "configs");
    sb_init(&primary);
    doc_primary_line(doc_obj(n, "predicted_primary"), &primary);
    sb_puts(o, "## Network on the instance\n\n");
    if (primary.len) {
        sb_puts(o, "**ENA interface name:** ");
        text(o, primary.s);
        sb_puts(o, ".\n\n");
    }
    sb_free(&primary);
    sb_printf(o, "- udev persistent-net rules: %s\n",
              table_yes_no_unknown(doc_bool(n, "persistent_rules")));
    sb_printf(o, "- predictable interface names: %s\n",
              table_yes_no_unknown(doc_bool(n, "predictable_names")));
    sb_printf(o, "- cloud-init: %s\n", table_yes_no_unknown(doc_bool(n, "cloud_init")));
    if (doc_bool(n, "primary_configured") >= 0)
        sb_printf(o, "- a configuration brings it up: %s\n",
                  table_yes_no(doc_bool(n, "primary_configured")));
    sb_printf(o, "- MAC-pinned configurations: %zu\n\n", doc_len(pins));
    table_mac_pins(&table_md, pins, o);
    if (configs) {
        sb_printf(o, "Interface configurations: %zu.\n\n", doc_len(configs));
        more = table_net_configs(&table_md, configs, CONFIGS_MAX, o);
        if (more)
            sb_printf(o, "\xE2\x80\xA6 and %zu more (see the JSON report).\n\n", more);
    }
}

static void applications(json_object *doc, struct strbuf *o)
{
    json_object *apps = doc_arr(doc, "applications");

    if (!apps)
        return;
    sb_puts(o, "## Applications\n\n");
    if (!doc_len(apps))
        sb_puts(o, "No third-party applications found.\n\n");
    table_applications(&table_md, apps, o);
}

static void counts(struct strbuf *o, const char *label, json_object *obj)
{
    struct strbuf t;

    if (!obj)
        return;
    sb_init(&t);
    doc_counts(&t, obj);
    sb_printf(o, "| %s |", label);
    cell(o, t.len ? t.s : NULL);
    sb_puts(o, "\n");
    sb_free(&t);
}

static void elf(json_object *doc, struct strbuf *o)
{
    static const char *const cols[] = {"Field", "Value", NULL};
    static const char *const mcols[] = {"Path", "Package", "Missing", NULL};
    static const char *const keys[][2] = {
        {"count", "ELF files"}, {"third_party", "Owned by no package"},
        {"missing_libs", "With missing libraries"}, {"corrupt", "Corrupt"},
        {"go_binaries", "Go programs"}, {"aout_count", "a.out programs"},
    };
    static const char *const vers[][2] = {
        {"glibc_max", "Highest GLIBC needed"},
        {"glibc_max_third_party", "Highest GLIBC needed by third-party files"},
        {"glibcxx_max", "Highest GLIBCXX needed"}, {"package_db", "Package database"},
    };
    json_object *s = doc_obj(doc, "elf_summary");
    struct strbuf t;
    size_t shown = 0, total = 0;

    if (!s)
        return;
    sb_puts(o, "## ELF summary\n\n");
    table_head(o, cols);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        int64_t v;
        if (doc_int(s, keys[i][0], &v)) {
            sb_printf(o, "| %s |", keys[i][1]);
            cell_int(o, s, keys[i][0]);
            sb_puts(o, "\n");
        }
    }
    counts(o, "By type", doc_obj(s, "by_type"));
    counts(o, "By class", doc_obj(s, "by_class"));
    counts(o, "By machine", doc_obj(s, "by_machine"));
    for (size_t i = 0; i < sizeof vers / sizeof vers[0]; i++) {
        sb_printf(o, "| %s |", vers[i][1]);
        cell(o, doc_str(s, vers[i][0]));
        sb_puts(o, "\n");
    }
    sb_puts(o, "\n");
    sb_init(&t);
    for (size_t i = 0; i < elf_files_count(doc); i++) {
        json_object *f = elf_files_at(doc, i), *miss = doc_arr(f, "missing_needed");
        if (doc_len(miss) && !total++) {
            sb_puts(o, "Files with missing libraries:\n\n");
            table_head(o, mcols);
        }
        if (doc_len(miss) && shown < ROWS_MAX) {
            shown++;
            sb_puts(o, "|");
            cell(o, doc_str(f, "path"));
            cell(o, doc_str(f, "package") ? doc_str(f, "package") : "(none)");
            t.len = 0;
            doc_join(&t, miss, ", ");
            cell(o, t.s);
            sb_puts(o, "\n");
        }
        json_object_put(f);
    }
    if (total)
        sb_puts(o, "\n");
    if (total > shown)
        sb_printf(o, "\xE2\x80\xA6 and %zu more files (see the JSON report).\n\n", total - shown);
    sb_free(&t);
}

int render_markdown(json_object *doc, struct strbuf *out)
{
    if (!doc || !json_object_is_type(doc, json_type_object) || !out)
        return -1;
    first_line(doc, out);
    about(doc, out);
    findings(doc, out);
    kernels(doc, out);
    volumes(doc, out);
    fstab(doc, out);
    network(doc, out);
    applications(doc, out);
    elf(doc, out);
    return 0;
}
