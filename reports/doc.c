#include "doc.h"

#include <inttypes.h>
#include <string.h>

const char *doc_verdict_label(json_object *doc)
{
    static const char *const names[][2] = {
        {"ready", "READY"}, {"fixable", "FIXABLE"}, {"blocked", "BLOCKED"},
        {"unknown", "UNKNOWN"}, {"not_applicable", "NOT APPLICABLE"},
    };
    const char *v = doc_str(doc_obj(doc, "verdict"), "nitro_boot");

    for (size_t i = 0; v && i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(v, names[i][0]))
            return names[i][1];
    return "UNKNOWN";
}

int doc_severity(json_object *finding)
{
    const char *s = doc_str(finding, "severity");

    if (s && !strcmp(s, "blocker"))
        return 2;
    if (s && !strcmp(s, "warning"))
        return 1;
    return 0;
}

const char *doc_area(const char *id)
{
    if (!id)
        return "core";
    if (!strncmp(id, "NITRO-", 6) || !strncmp(id, "BOOT-", 5))
        return "nitro";
    if (!strncmp(id, "NET-", 4))
        return "network";
    if (!strncmp(id, "ELF-", 4))
        return "elf";
    if (!strncmp(id, "APP-", 4))
        return "applications";
    return "core";
}

void doc_os_line(json_object *doc, struct strbuf *out)
{
    json_object *os = doc_obj(doc, "os");
    const char *name = doc_str(os, "product_name");
    const char *arch = doc_str(os, "arch");

    if (!os)
        return;
    if (name && *name) {
        sb_puts(out, name);
    } else {
        const char *d = doc_str(os, "distro"), *v = doc_str(os, "version");
        sb_puts(out, d ? d : "unknown distribution");
        if (v && *v)
            sb_printf(out, " %s", v);
    }
    if (arch && *arch)
        sb_printf(out, " %s", arch);
}

void doc_size(struct strbuf *out, int64_t bytes)
{
    static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = (double)bytes;
    size_t u = 0;

    while (v >= 1024 && u + 1 < sizeof unit / sizeof unit[0]) {
        v /= 1024;
        u++;
    }
    if (u == 0)
        sb_printf(out, "%" PRId64 " B", bytes);
    else
        sb_printf(out, "%.1f %s", v, unit[u]);
}

void doc_join(struct strbuf *out, json_object *v, const char *sep)
{
    if (!v)
        return;
    if (json_object_is_type(v, json_type_string)) {
        sb_puts(out, json_object_get_string(v));
        return;
    }
    int first = 1;
    for (size_t i = 0, n = doc_len(v); i < n; i++) {
        json_object *e = doc_at(v, i);
        if (!json_object_is_type(e, json_type_string))
            continue;
        if (!first)
            sb_puts(out, sep);
        first = 0;
        sb_puts(out, json_object_get_string(e));
    }
}

void doc_counts(struct strbuf *out, json_object *counts)
{
    const char *sep = "";

    if (!json_object_is_type(counts, json_type_object))
        return;
    json_object_object_foreach(counts, k, v) {
        if (!json_object_is_type(v, json_type_int))
            continue;
        sb_printf(out, "%s%s %" PRId64, sep, k, json_object_get_int64(v));
        sep = ", ";
    }
}
