/* Format-neutral report tables (table.h). */
#include "table.h"

#include <inttypes.h>
#include <stdio.h>

#include "doc.h"

const char *table_yes_no(int b) { return b < 0 ? NULL : b ? "yes" : "no"; }
const char *table_yes_no_unknown(int b) { return b < 0 ? "unknown" : b ? "yes" : "no"; }

void table_cell_int(const struct table_fmt *f, struct strbuf *o, json_object *obj,
                    const char *key)
{
    int64_t v;
    char buf[32];

    if (doc_int(obj, key, &v)) {
        snprintf(buf, sizeof buf, "%" PRId64, v);
        f->cell(o, buf);
    } else {
        f->cell(o, NULL);
    }
}

/* A driver's status (with its version) and whether the initramfs has it. */
static void driver_cells(const struct table_fmt *f, struct strbuf *o, json_object *d,
                         int with_version)
{
    struct strbuf t;
    const char *st = doc_str(d, "status"), *ver = with_version ? doc_str(d, "version") : NULL;

    sb_init(&t);
    sb_puts(&t, st ? st : "");
    if (ver)
        sb_printf(&t, " (%s)", ver);
    f->cell(o, t.s);
    f->cell(o, table_yes_no(doc_bool(d, "in_initramfs")));
    sb_free(&t);
}

void table_kernels(const struct table_fmt *f, json_object *ks, struct strbuf *o)
{
    static const char *const cols[] = {"Version", "Default", "NVMe", "NVMe in initramfs", "ENA",
                                       "ENA in initramfs", "Nitro-ready", NULL};
    if (!doc_len(ks))
        return;
    f->head(o, cols);
    for (size_t i = 0; i < doc_len(ks); i++) {
        json_object *k = doc_at(ks, i);
        f->row_begin(o);
        f->cell(o, doc_str(k, "version"));
        f->cell(o, table_yes_no(doc_bool(k, "default")));
        driver_cells(f, o, doc_obj(k, "nvme"), 0);
        driver_cells(f, o, doc_obj(k, "ena"), 1);
        f->cell(o, table_yes_no(doc_bool(k, "nitro_ready")));
        f->row_end(o);
    }
    f->end(o);
}

void table_volumes(const struct table_fmt *f, json_object *vols, struct strbuf *o)
{
    static const char *const cols[] = {"Volume", "Path", "Format", "Size", NULL};
    struct strbuf t;

    if (!doc_len(vols))
        return;
    sb_init(&t);
    f->head(o, cols);
    for (size_t i = 0; i < doc_len(vols); i++) {
        json_object *v = doc_at(vols, i);
        int64_t size;
        f->row_begin(o);
        table_cell_int(f, o, v, "index");
        f->cell(o, doc_str(v, "path"));
        t.len = 0;
        sb_puts(&t, doc_str(v, "format") ? doc_str(v, "format") : "?");
        if (doc_str(v, "format_source"))
            sb_printf(&t, " (%s)", doc_str(v, "format_source"));
        f->cell(o, t.s);
        t.len = 0;
        if (doc_int(v, "virtual_size", &size))
            doc_size(&t, size);
        f->cell(o, t.len ? t.s : NULL);
        f->row_end(o);
    }
    f->end(o);
    sb_free(&t);
}

void table_filesystems(const struct table_fmt *f, json_object *vols, struct strbuf *o)
{
    static const char *const cols[] = {"Device", "Volume", "Type", "UUID", "Label",
                                       "Mountpoint", "Mounted", NULL};
    size_t n = 0;

    for (size_t i = 0; i < doc_len(vols); i++)
        n += doc_len(doc_arr(doc_at(vols, i), "filesystems"));
    if (!n)
        return;
    f->head(o, cols);
    for (size_t i = 0; i < doc_len(vols); i++) {
        json_object *fss = doc_arr(doc_at(vols, i), "filesystems");
        for (size_t j = 0; j < doc_len(fss); j++) {
            json_object *fs = doc_at(fss, j);
            f->row_begin(o);
            f->cell(o, doc_str(fs, "device"));
            table_cell_int(f, o, fs, "volume");
            f->cell(o, doc_str(fs, "type"));
            f->cell(o, doc_str(fs, "uuid"));
            f->cell(o, doc_str(fs, "label"));
            f->cell(o, doc_str(fs, "mountpoint"));
            f->cell(o, table_yes_no(doc_bool(fs, "mounted")));
            f->row_end(o);
        }
    }
    f->end(o);
}

void table_fstab_issues(const struct table_fmt *f, json_object *fs, struct strbuf *o)
{
    static const char *const cols[] = {"Spec", "Mountpoint", "Type", "Options", "Issue", NULL};
    int opened = 0;

    for (size_t i = 0; i < doc_len(fs); i++) {
        json_object *e = doc_at(fs, i);
        if (!doc_str(e, "issue"))
            continue;
        if (!opened++)
            f->head(o, cols);
        f->row_begin(o);
        f->cell(o, doc_str(e, "spec"));
        f->cell(o, doc_str(e, "mountpoint"));
        f->cell(o, doc_str(e, "type"));
        f->cell(o, doc_str(e, "options"));
        f->cell(o, doc_str(e, "issue"));
        f->row_end(o);
    }
    if (opened)
        f->end(o);
}

void table_mac_pins(const struct table_fmt *f, json_object *pins, struct strbuf *o)
{
    static const char *const cols[] = {"Path", "Interface", "MAC", NULL};

    if (!doc_len(pins))
        return;
    f->head(o, cols);
    for (size_t i = 0; i < doc_len(pins) && i < f->max_rows; i++) {
        json_object *p = doc_at(pins, i);
        f->row_begin(o);
        f->cell(o, doc_str(p, "path"));
        f->cell(o, doc_str(p, "interface"));
        f->cell(o, doc_str(p, "mac"));
        f->row_end(o);
    }
    f->end(o);
}

#define APP_LABELS_MAX 16   /* runtimes or entry points listed in one cell */

/* A cell listing labels (doc.h), a dash when there are none. */
static void labels_cell(const struct table_fmt *f, struct strbuf *o, json_object *labels)
{
    if (labels)
        f->list_cell(o, labels);
    else
        f->cell(o, NULL);
    json_object_put(labels);
}

void table_applications(const struct table_fmt *f, json_object *apps, struct strbuf *o)
{
    static const char *const cols[] = {"Name", "Decision", "Base image", "Runtimes",
                                       "Started by", "Reasons", NULL};

    if (!doc_len(apps))
        return;
    f->head(o, cols);
    for (size_t i = 0; i < doc_len(apps); i++) {
        json_object *a = doc_at(apps, i), *r = doc_get(a, "reasons");
        f->row_begin(o);
        f->cell(o, doc_str(a, "name"));
        f->cell(o, doc_str(a, "decision"));
        f->cell(o, doc_str(a, "base_image"));
        labels_cell(f, o, doc_runtime_labels(doc_arr(a, "runtimes"), APP_LABELS_MAX));
        labels_cell(f, o, doc_entry_point_labels(doc_arr(a, "entry_points"), APP_LABELS_MAX));
        f->list_cell(o, r);
        f->row_end(o);
    }
    f->end(o);
}

size_t table_net_configs(const struct table_fmt *f, json_object *cs, size_t max,
                         struct strbuf *o)
{
    static const char *const cols[] = {"Configuration", "Format", "Binds to", "Address",
                                       "At boot", "Brings up the ENA interface", NULL};
    size_t n = doc_len(cs);
    struct strbuf t;
    int64_t line;

    if (!n)
        return 0;
    sb_init(&t);
    f->head(o, cols);
    for (size_t i = 0; i < n && i < max; i++) {
        json_object *c = doc_at(cs, i);
        const char *why = doc_str(c, "why");
        int up = doc_bool(c, "brings_up_primary");
        f->row_begin(o);
        t.len = 0;
        sb_puts(&t, doc_str(c, "path") ? doc_str(c, "path") : "?");
        if (doc_int(c, "line", &line))
            sb_printf(&t, ":%" PRId64, line);
        f->cell(o, t.s);
        f->cell(o, doc_str(c, "format"));
        t.len = 0;
        doc_config_binds(c, &t);
        f->cell(o, t.s);
        f->cell(o, doc_str(c, "address"));
        f->cell(o, table_yes_no(doc_bool(c, "on_boot")));
        t.len = 0;
        sb_puts(&t, up < 0 ? "?" : up ? "yes" : "no");
        if (why && *why)
            sb_printf(&t, ": %s", why);
        f->cell(o, t.s);
        f->row_end(o);
    }
    f->end(o);
    sb_free(&t);
    return n > max ? n - max : 0;
}

/* Type, machine and GLIBC are left out of a narrow table. */
void table_elf_head(const struct table_fmt *f, int wide, struct strbuf *o)
{
    static const char *const all[] = {"Path", "Type", "Machine", "Package", "GLIBC",
                                      "Missing", NULL};
    static const char *const narrow[] = {"Path", "Package", "Missing", NULL};

    f->head(o, wide ? all : narrow);
}

void table_elf_row(const struct table_fmt *f, json_object *file, int wide, struct strbuf *o)
{
    const char *type = doc_str(file, "type"), *pkg = doc_str(file, "package");
    struct strbuf t;

    sb_init(&t);
    f->row_begin(o);
    f->cell(o, doc_str(file, "path"));
    if (wide) {
        if (doc_bool(file, "kernel_module") == 1)
            type = "kernel module";
        f->cell(o, type ? type : "corrupt");
        f->cell(o, doc_str(file, "machine"));
    }
    f->cell(o, pkg ? pkg : "(none)");
    if (wide)
        f->cell(o, doc_str(file, "glibc_max"));
    doc_join(&t, doc_arr(file, "missing_needed"), ", ");
    f->cell(o, t.len ? t.s : NULL);
    f->row_end(o);
    sb_free(&t);
}
