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

void doc_boot_mode_line(json_object *m, struct strbuf *out)
{
    const char *mode = doc_str(m, "mode"), *ami = doc_str(m, "ami_boot_mode");
    const char *meaning = doc_str(m, "meaning");
    json_object *ev = doc_arr(m, "evidence");

    if (!json_object_is_type(m, json_type_object))
        return;
    sb_puts(out, mode ? mode : "unknown");
    sb_printf(out, "; AMI boot mode %s.", ami ? ami : "not decided");
    if (meaning && *meaning)
        sb_printf(out, " %s", meaning);
    if (doc_len(ev)) {
        sb_puts(out, " Evidence: ");
        doc_join(out, ev, "; ");
        sb_puts(out, ".");
    }
}

void doc_primary_line(json_object *p, struct strbuf *out)
{
    const char *name = doc_str(p, "name"), *why = doc_str(p, "reason");

    if (!json_object_is_type(p, json_type_object))
        return;
    sb_puts(out, name ? name : "?");
    if (why && *why)
        sb_printf(out, ": %s", why);
}

void doc_config_binds(json_object *c, struct strbuf *out)
{
    const char *binds = doc_str(c, "binds"), *ifc = doc_str(c, "interface");
    const char *mac = doc_str(c, "mac"), *drv = doc_str(c, "driver");
    const char *ren = doc_str(c, "renames_to"), *master = doc_str(c, "master");

    if (binds && !strcmp(binds, "mac"))
        sb_printf(out, "MAC %s", mac ? mac : "?");
    else if (binds && !strcmp(binds, "any"))
        sb_puts(out, "any Ethernet interface");
    else
        sb_printf(out, "name %s", ifc ? ifc : "?");
    if (doc_bool(c, "sets_mac") == 1 && mac)
        sb_printf(out, ", sets MAC %s", mac);
    if (drv)
        sb_printf(out, ", driver %s", drv);
    if (ren)
        sb_printf(out, ", renames it %s", ren);
    if (master)
        sb_printf(out, ", joins %s", master);
    if (doc_bool(c, "virtual") == 1)
        sb_puts(out, " (virtual)");
}

/* Labels built by one() for each entry of arr, at most max of them. */
static json_object *labels(json_object *arr, size_t max,
                           void (*one)(json_object *e, struct strbuf *t))
{
    json_object *out;
    struct strbuf t;
    size_t n = doc_len(arr);

    if (!n || !(out = jarray()))
        return NULL;
    sb_init(&t);
    for (size_t i = 0; i < n && i < max; i++) {
        t.len = 0;
        one(doc_at(arr, i), &t);
        if (t.len)
            doc_push(out, jstr(t.s));
    }
    if (n > max) {
        t.len = 0;
        sb_printf(&t, "\xE2\x80\xA6 and %zu more", n - max);
        doc_push(out, jstr(t.s));
    }
    sb_free(&t);
    return out;
}

/* "Java 17.0.9 (/opt/jdk17)", "Python 3.11.7 (virtualenv /opt/app/venv)",
 * "python2 scripts". */
static void runtime_label(json_object *r, struct strbuf *t)
{
    static const char *const names[][2] = {
        {"java", "Java"}, {"python", "Python"}, {"node", "Node.js"},
    };
    const char *kind = doc_str(r, "kind"), *ver = doc_str(r, "version");
    const char *home = doc_str(r, "home"), *interp = doc_str(r, "interpreter");
    const char *name = kind ? kind : "?";
    int venv = doc_bool(r, "virtualenv") == 1;

    if (kind && !strcmp(kind, "script")) {
        sb_printf(t, "%s scripts", interp ? interp : "?");
        return;
    }
    for (size_t i = 0; kind && i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(kind, names[i][0]))
            name = names[i][1];
    sb_printf(t, "%s %s", name, ver ? ver : "(version unknown)");
    if (home || venv)
        sb_printf(t, " (%s%s%s)", venv ? "virtualenv" : "", venv && home ? " " : "",
                  home ? home : "");
}

static void entry_point_label(json_object *e, struct strbuf *t)
{
    const char *kind = doc_str(e, "kind"), *src = doc_str(e, "source");
    const char *state = doc_str(e, "state"), *rl = doc_str(e, "runlevels");

    sb_printf(t, "%s %s", kind ? kind : "?", src ? src : "?");
    if (state)
        sb_printf(t, ": %s", state);
    if (rl)
        sb_printf(t, ", runlevels %s", rl);
}

json_object *doc_runtime_labels(json_object *runtimes, size_t max)
{
    return labels(runtimes, max, runtime_label);
}

json_object *doc_entry_point_labels(json_object *eps, size_t max)
{
    return labels(eps, max, entry_point_label);
}
