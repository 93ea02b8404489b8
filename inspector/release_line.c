/* The release files of distros older than os-release: one product line
 * (Red Hat family), a product line and KEY = value lines (SuSE-release),
 * or a bare version (debian_version, alpine-release).  Guest text: only
 * the buffer given is read, numbers are parsed with saturation. */
#include "os_release.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set(char **dst, const char *src, size_t n)
{
    free(*dst);
    *dst = xstrndup(src, n);
}

static size_t line_len(const char *s)
{
    size_t n = strcspn(s, "\r\n");
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return n;
}

/* "... (Nahant Update 9)": RHEL/CentOS 3 and 4 put the minor there. */
static int update_number(const char *line, size_t n)
{
    const char *u = NULL;
    for (const char *p = line; p + 7 <= line + n; p++)
        if (!strncmp(p, "Update ", 7))
            u = p + 7;
    return u && u < line + n && isdigit((unsigned char)*u) ? atoi(u) : -1;
}

int os_release_parse_rhel_line(const char *line, struct os_info *o)
{
    static const struct { const char *prefix, *distro; } names[] = {
        {"Amazon Linux", "amazonlinux"}, {"Rocky Linux", "rocky"},
        {"AlmaLinux", "almalinux"}, {"Oracle Linux", "oraclelinux"},
        {"CentOS", "centos"}, {"Red Hat", "rhel"},
        {"Fedora", "fedora"}, {"Scientific Linux", "scientificlinux"},
        {"CloudLinux", "cloudlinux"},
    };
    size_t n = line_len(line);
    const char *rel = NULL;
    for (const char *p = line; p + 9 <= line + n; p++)
        if (!strncmp(p, " release ", 9)) {
            rel = p + 9;
            break;
        }
    if (!rel || rel >= line + n || !isdigit((unsigned char)*rel))
        return -1;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t pl = strlen(names[i].prefix);
        if (n < pl || strncmp(line, names[i].prefix, pl) != 0)
            continue;
        size_t vlen = strspn(rel, "0123456789.");
        if (rel + vlen > line + n)
            vlen = (size_t)(line + n - rel);
        if (!o->distro)
            o->distro = xstrdup(names[i].distro);
        if (!o->version) {
            int upd = update_number(line, n);
            if (upd >= 0 && !memchr(rel, '.', vlen)) {
                char v[48];
                snprintf(v, sizeof v, "%.*s.%d", (int)(vlen > 20 ? 20 : vlen), rel, upd);
                o->version = xstrdup(v);
            } else {
                set(&o->version, rel, vlen);
            }
            if (o->version)
                os_release_version(o->version, &o->major, &o->minor);
        }
        if (!o->product_name)
            set(&o->product_name, line, n);
        return 0;
    }
    return -1;
}

/* The number after "KEY = " on a line of its own, as text. */
static const char *suse_field(const char *text, const char *key, size_t *len)
{
    size_t kl = strlen(key);
    for (const char *line = text; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        if (n > kl && !strncmp(line, key, kl)) {
            const char *v = line + kl;
            v += strspn(v, " \t");
            if (*v == '=') {
                v++;
                v += strspn(v, " \t");
                *len = strspn(v, "0123456789.");
                if (v + *len > line + n)
                    *len = 0;
                if (*len && isdigit((unsigned char)*v))
                    return v;
            }
        }
        line = end ? end + 1 : NULL;
    }
    return NULL;
}

static int starts(const char *s, size_t n, const char *p)
{
    size_t pl = strlen(p);
    return n >= pl && !strncmp(s, p, pl);
}

int os_release_parse_suse(const char *text, struct os_info *o)
{
    size_t n = line_len(text), vl = 0, pl = 0;
    if (!n)
        return -1;
    int sles = starts(text, n, "SUSE Linux Enterprise ") || starts(text, n, "SUSE LINUX Enterprise ") ||
               starts(text, n, "Novell Linux Desktop ");
    int opensuse = !sles && (starts(text, n, "openSUSE ") || starts(text, n, "SuSE Linux ") ||
                             starts(text, n, "SUSE LINUX "));
    set(&o->product_name, text, n);
    free(o->distro);
    o->distro = xstrdup(sles ? "sles" : opensuse ? "opensuse" : "suse-based");
    const char *ver = suse_field(text, "VERSION", &vl);
    const char *patch = sles ? suse_field(text, "PATCHLEVEL", &pl) : NULL;
    if (ver) {
        char v[48];
        if (patch && strtol(patch, NULL, 10) > 0)
            snprintf(v, sizeof v, "%.*s.%.*s", (int)(vl > 20 ? 20 : vl), ver,
                     (int)(pl > 20 ? 20 : pl), patch);
        else
            snprintf(v, sizeof v, "%.*s", (int)(vl > 40 ? 40 : vl), ver);
        free(o->version);
        o->version = xstrdup(v);
        if (o->version)
            os_release_version(o->version, &o->major, &o->minor);
    }
    return 0;
}

int os_release_parse_first_line(const char *text, const char *distro, struct os_info *o)
{
    size_t n = line_len(text);
    if (!n)
        return -1;
    free(o->distro);
    o->distro = xstrdup(distro);
    set(&o->product_name, text, n);
    if (isdigit((unsigned char)text[0])) {
        set(&o->version, text, strspn(text, "0123456789.") < n ? strspn(text, "0123456789.") : n);
        if (o->version)
            os_release_version(o->version, &o->major, &o->minor);
    }
    return 0;
}
