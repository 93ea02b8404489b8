/* The server report's sections in any format (sections.h). */
#include "sections.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "doc.h"
#include "model/elf_files.h"
#include "table.h"

void sections_note(const struct doc_fmt *f, struct strbuf *o, int flags, const char *fmt, ...)
{
    char buf[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    f->para_open(o, flags);
    sb_puts(o, buf);
    f->para_close(o, flags);
}

/* n more (things named by what, or NULL) are only in the JSON report. */
static void more(const struct doc_fmt *f, struct strbuf *o, size_t n, const char *what)
{
    sections_note(f, o, 0, "%s and %zu more%s%s (see the JSON report).", f->ellipsis, n,
                  what ? " " : "", what ? what : "");
}

void sections_headline(const struct doc_fmt *f, json_object *doc, struct strbuf *o)
{
    json_object *v = doc_obj(doc, "verdict");
    const char *host = doc_str(doc_obj(doc, "os"), "hostname");
    int64_t b = 0, w = 0;
    struct strbuf os;

    doc_int(v, "blockers", &b);
    doc_int(v, "warnings", &w);
    sb_printf(o, "%" PRId64 " blocker%s, %" PRId64 " warning%s", b, b == 1 ? "" : "s", w,
              w == 1 ? "" : "s");
    if (host && *host) {
        sb_printf(o, "%shost ", f->headline_sep);
        f->headline_host(o, host);
    }
    sb_init(&os);
    doc_os_line(doc, &os);
    sb_puts(o, f->headline_sep);
    if (os.len)
        f->headline_text(o, os.s);
    else
        sb_puts(o, "no operating system found");
    sb_free(&os);
    if (doc_bool(doc, "complete") == 0) {
        sb_puts(o, f->headline_sep);
        f->strong(o, "incomplete scan");
    }
}

static void about(const struct doc_fmt *f, json_object *doc, struct strbuf *o)
{
    json_object *tool = doc_obj(doc, "tool"), *launch = doc_obj(doc, "launch");
    json_object *vols = doc_arr(doc, "volumes");
    struct strbuf t;
    int64_t ms;

    sb_init(&t);
    f->run_open(o);
    for (size_t i = 0; i < doc_len(vols); i++) {
        const char *p = doc_str(doc_at(vols, i), "path");
        sb_printf(&t, "%s%s", i ? ", " : "", p ? p : "?");
    }
    f->field(o, "Disks", t.s);
    f->field(o, "Started", doc_str(doc, "started_at"));
    t.len = 0;
    if (doc_int(doc, "duration_ms", &ms))
        sb_printf(&t, "%.1f s", (double)ms / 1000.0);
    f->field(o, "Duration", t.len ? t.s : NULL);
    t.len = 0;
    const char *acc = doc_str(launch, "accelerator"), *why = doc_str(launch, "fallback_reason");
    sb_puts(&t, acc ? acc : "?");
    if (why)
        sb_printf(&t, " (KVM not used: %s)", why);
    f->field(o, "Appliance", t.s);
    f->field(o, "Complete", doc_bool(doc, "complete") == 0
                                ? "no: part of the scan failed or was cut short"
                                : table_yes_no(doc_bool(doc, "complete")));
    t.len = 0;
    const char *ver = doc_str(tool, "version"), *schema = doc_str(doc, "schema_version");
    sb_printf(&t, "%s, schema %s", ver ? ver : "?", schema ? schema : "?");
    f->field(o, "liftcheck", t.s);
    f->run_close(o);
    sb_free(&t);
}

static void finding(const struct doc_fmt *f, struct strbuf *o, json_object *fd, int sev)
{
    json_object *ev = doc_arr(fd, "evidence");
    const char *rem = doc_str(fd, "remediation");
    size_t n = doc_len(ev);
    int64_t vol;

    f->finding_open(o, sev, doc_str(fd, "id") ? doc_str(fd, "id") : "?", doc_str(fd, "title"));
    if (doc_int(fd, "volume", &vol))
        sections_note(f, o, PARA_MUTED, "Volume %" PRId64 ".", vol);
    else
        sections_note(f, o, PARA_MUTED, "Whole server.");
    if (n) {
        f->list_open(o, LIST_EVIDENCE);
        for (size_t i = 0; i < n && i < f->evidence_max; i++) {
            const char *e = doc_str_at(ev, i);
            f->item_code(o, e ? e : "");
        }
        if (n > f->evidence_max) {
            f->item_open(o);
            sb_printf(o, "%s and %zu more", f->ellipsis, n - f->evidence_max);
            f->item_close(o);
        }
        f->list_close(o);
    }
    if (rem && *rem) {
        sections_note(f, o, 0, "Remediation:");
        f->code_block(o, rem);
    }
    f->finding_close(o);
}

static void findings(const struct doc_fmt *f, json_object *doc, struct strbuf *o)
{
    static const char *const heads[] = {"Info", "Warnings", "Blockers"};
    json_object *fs = doc_arr(doc, "findings");
    char title[40];

    for (int sev = 2; sev >= 0; sev--) {
        size_t count = 0;
        for (size_t i = 0; i < doc_len(fs); i++)
            count += doc_severity(doc_at(fs, i)) == sev;
        snprintf(title, sizeof title, "%s (%zu)", heads[sev], count);
        f->section_open(o, title);
        if (!count)
            sections_note(f, o, PARA_MUTED, "None.");
        for (size_t i = 0; i < doc_len(fs); i++)
            if (doc_severity(doc_at(fs, i)) == sev)
                finding(f, o, doc_at(fs, i), sev);
        f->section_close(o);
    }
}

static void boot_loader(const struct doc_fmt *f, json_object *boot, struct strbuf *o)
{
    const char *loader = doc_str(boot, "loader"), *config = doc_str(boot, "config");
    const char *dflt = doc_str(boot, "default_kernel");

    f->para_open(o, 0);
    sb_puts(o, "Bootloader: ");
    f->text(o, loader ? loader : "?");
    if (config) {
        sb_puts(o, ", config ");
        f->code(o, config);
    }
    if (dflt) {
        sb_puts(o, ", default kernel ");
        f->code(o, dflt);
    }
    sb_puts(o, ".");
    f->para_close(o, 0);
}

static void kernels(const struct doc_fmt *f, json_object *doc, struct strbuf *o)
{
    json_object *ks = doc_arr(doc, "kernels"), *boot = doc_obj(doc, "boot");

    f->section_open(o, "Kernels");
    if (!ks)
        sections_note(f, o, PARA_MUTED, "Not scanned.");
    else if (!doc_len(ks))
        sections_note(f, o, 0, "No installed kernel found.");
    table_kernels(f->table, ks, o);
    if (boot)
        boot_loader(f, boot, o);
    if (doc_obj(boot, "mode")) {
        struct strbuf t;
        sb_init(&t);
        doc_boot_mode_line(doc_obj(boot, "mode"), &t);
        f->para_open(o, 0);
        sb_puts(o, "Boot mode: ");
        f->text(o, t.s);
        f->para_close(o, 0);
        sb_free(&t);
    }
    f->section_close(o);
}

static void volumes(const struct doc_fmt *f, json_object *doc, struct strbuf *o)
{
    json_object *vols = doc_arr(doc, "volumes");

    f->section_open(o, "Volumes and filesystems");
    if (!doc_len(vols))
        sections_note(f, o, PARA_MUTED | PARA_RUN_ON, "None listed.");
    table_volumes(f->table, vols, o);
    table_filesystems(f->table, vols, o);
    f->section_close(o);
}

static void fstab(const struct doc_fmt *f, json_object *doc, struct strbuf *o)
{
    json_object *fs = doc_arr(doc, "fstab");
    size_t issues = 0;

    if (!fs)
        return;
    for (size_t i = 0; i < doc_len(fs); i++)
        issues += doc_str(doc_at(fs, i), "issue") != NULL;
    f->section_open(o, "fstab issues");
    sections_note(f, o, 0, "%zu entr%s, %zu with issues.", doc_len(fs),
                  doc_len(fs) == 1 ? "y" : "ies", issues);
    table_fstab_issues(f->table, fs, o);
    f->section_close(o);
}

/* One item of the network facts, our words only. */
static void fact(const struct doc_fmt *f, struct strbuf *o, const char *what, const char *value)
{
    f->item_open(o);
    sb_printf(o, "%s: %s", what, value);
    f->item_close(o);
}

static void network(const struct doc_fmt *f, json_object *doc, struct strbuf *o)
{
    json_object *n = doc_obj(doc, "network"), *pins, *configs;
    struct strbuf t;

    if (!n)
        return;
    pins = doc_arr(n, "mac_pinned");
    configs = doc_arr(n, "configs");
    sb_init(&t);
    doc_primary_line(doc_obj(n, "predicted_primary"), &t);
    f->section_open(o, "Network on the instance");
    if (t.len) {
        f->para_open(o, 0);
        f->strong(o, "ENA interface name:");
        sb_puts(o, " ");
        f->text(o, t.s);
        sb_puts(o, ".");
        f->para_close(o, 0);
    }
    f->list_open(o, LIST_PLAIN);
    fact(f, o, "udev persistent-net rules", table_yes_no_unknown(doc_bool(n, "persistent_rules")));
    fact(f, o, "predictable interface names",
         table_yes_no_unknown(doc_bool(n, "predictable_names")));
    fact(f, o, "cloud-init", table_yes_no_unknown(doc_bool(n, "cloud_init")));
    if (doc_bool(n, "primary_configured") >= 0)
        fact(f, o, "a configuration brings it up", table_yes_no(doc_bool(n, "primary_configured")));
    t.len = 0;
    sb_printf(&t, "%zu", doc_len(pins));
    fact(f, o, "MAC-pinned configurations", t.s);
    f->list_close(o);
    table_mac_pins(f->table, pins, o);
    if (configs) {
        size_t count = doc_len(configs), left;
        f->subheading(o, "Interface configurations", &count);
        left = table_net_configs(f->table, configs, f->configs_max, o);
        if (left)
            more(f, o, left, NULL);
    }
    f->section_close(o);
    sb_free(&t);
}

static void applications(const struct doc_fmt *f, json_object *doc, struct strbuf *o)
{
    json_object *apps = doc_arr(doc, "applications");

    if (!apps)
        return;
    f->section_open(o, "Applications");
    if (!doc_len(apps))
        sections_note(f, o, PARA_RUN_ON, "No third-party applications found.");
    table_applications(f->table, apps, o);
    f->section_close(o);
}

static void counts(const struct doc_fmt *f, struct strbuf *o, const char *label,
                   json_object *obj)
{
    struct strbuf t;

    if (!obj)
        return;
    sb_init(&t);
    doc_counts(&t, obj);
    f->field(o, label, t.len ? t.s : NULL);
    sb_free(&t);
}

static void elf_fields(const struct doc_fmt *f, json_object *s, struct strbuf *o)
{
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
    char num[32];

    f->fields_open(o);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        int64_t v;
        if (!doc_int(s, keys[i][0], &v))
            continue;
        snprintf(num, sizeof num, "%" PRId64, v);
        f->field(o, keys[i][1], num);
    }
    counts(f, o, "By type", doc_obj(s, "by_type"));
    counts(f, o, "By class", doc_obj(s, "by_class"));
    counts(f, o, "By machine", doc_obj(s, "by_machine"));
    for (size_t i = 0; i < sizeof vers / sizeof vers[0]; i++)
        f->field(o, vers[i][1], doc_str(s, vers[i][0]));
    f->fields_close(o);
}

/* The files that need a library the server lacks, up to the table's rows. */
static void elf_missing(const struct doc_fmt *f, json_object *doc, struct strbuf *o)
{
    size_t shown = 0, total = 0;

    for (size_t i = 0; i < elf_files_count(doc); i++) {
        json_object *file = elf_files_at(doc, i);
        if (doc_len(doc_arr(file, "missing_needed"))) {
            if (!total++) {
                f->subheading(o, "Files with missing libraries", NULL);
                table_elf_head(f->table, f->elf_wide, o);
            }
            if (shown < f->table->max_rows) {
                shown++;
                table_elf_row(f->table, file, f->elf_wide, o);
            }
        }
        json_object_put(file);
    }
    if (total)
        f->table->end(o);
    if (total > shown)
        more(f, o, total - shown, "files");
}

/* Every ELF file, folded, where the format lists them. */
static void elf_inventory(const struct doc_fmt *f, json_object *doc, struct strbuf *o)
{
    size_t n = elf_files_count(doc);
    char summary[64];

    if (!n || !f->elf_rows_max)
        return;
    snprintf(summary, sizeof summary, "ELF inventory (%zu files)", n);
    f->fold_open(o, summary);
    table_elf_head(f->table, f->elf_wide, o);
    for (size_t i = 0; i < n && i < f->elf_rows_max; i++) {
        json_object *file = elf_files_at(doc, i);
        table_elf_row(f->table, file, f->elf_wide, o);
        json_object_put(file);
    }
    f->table->end(o);
    if (n > f->elf_rows_max)
        more(f, o, n - f->elf_rows_max, NULL);
    f->fold_close(o);
}

static void elf(const struct doc_fmt *f, json_object *doc, struct strbuf *o)
{
    json_object *s = doc_obj(doc, "elf_summary");

    if (!s)
        return;
    f->section_open(o, "ELF summary");
    elf_fields(f, s, o);
    elf_missing(f, doc, o);
    elf_inventory(f, doc, o);
    f->section_close(o);
}

void sections_write(const struct doc_fmt *f, json_object *doc, struct strbuf *o)
{
    about(f, doc, o);
    findings(f, doc, o);
    kernels(f, doc, o);
    volumes(f, doc, o);
    fstab(f, doc, o);
    network(f, doc, o);
    applications(f, doc, o);
    elf(f, doc, o);
}
