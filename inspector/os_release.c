/* KEY=value release files: os-release, lsb-release, and the HOSTNAME= of
 * /etc/sysconfig/network.  Text from the guest: every line is bounded by
 * the buffer, nothing is recursed into. */
#include "os_release.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static void set(char **dst, const char *src, size_t n)
{
    free(*dst);
    *dst = xstrndup(src, n);
}

/* os-release ID -> our distro names (libguestfs's where it has one). */
static const struct { const char *id, *distro; } id_map[] = {
    {"amzn", "amazonlinux"}, {"ol", "oraclelinux"}, {"almalinux", "almalinux"},
    {"rocky", "rocky"}, {"rhel", "rhel"}, {"centos", "centos"}, {"fedora", "fedora"},
    {"debian", "debian"}, {"ubuntu", "ubuntu"}, {"sles", "sles"}, {"sled", "sles"},
    {"sles_sap", "sles"}, {"opensuse", "opensuse"}, {"opensuse-leap", "opensuse"},
    {"opensuse-tumbleweed", "opensuse"}, {"alpine", "alpinelinux"},
    {"arch", "archlinux"}, {"linuxmint", "linuxmint"}, {"kali", "kalilinux"},
    {"scientific", "scientificlinux"}, {"cloudlinux", "cloudlinux"},
};

static const char *map_id(const char *id)
{
    for (size_t i = 0; i < sizeof id_map / sizeof id_map[0]; i++)
        if (strcmp(id, id_map[i].id) == 0)
            return id_map[i].distro;
    return id;
}

const char *os_package_format(const char *d)
{
    static const char *deb[] = {"debian", "ubuntu", "linuxmint", "kalilinux", NULL};
    static const char *rpm[] = {"rhel", "centos", "fedora", "rocky", "almalinux",
                                "oraclelinux", "amazonlinux", "sles", "opensuse",
                                "scientificlinux", "cloudlinux", "redhat-based",
                                "suse-based", "mageia", NULL};
    if (!d)
        return NULL;
    for (int i = 0; deb[i]; i++)
        if (!strcmp(d, deb[i]))
            return "deb";
    for (int i = 0; rpm[i]; i++)
        if (!strcmp(d, rpm[i]))
            return "rpm";
    if (!strcmp(d, "archlinux"))
        return "pacman";
    if (!strcmp(d, "alpinelinux"))
        return "apk";
    return NULL;
}

int os_release_version(const char *v, int *major, int *minor)
{
    if (!isdigit((unsigned char)v[0]))
        return -1;
    /* strtol saturates instead of overflowing on a hostile "99999999999". */
    long maj = strtol(v, NULL, 10);
    const char *dot = v + strspn(v, "0123456789");
    long min = *dot == '.' && isdigit((unsigned char)dot[1]) ? strtol(dot + 1, NULL, 10) : 0;
    *major = maj > 1000000 ? 1000000 : (int)maj;
    *minor = min > 1000000 ? 1000000 : (int)min;
    return 0;
}

/* Calls fn(key, klen, value, vlen, opaque) for each KEY=value line, the
 * value without its quotes and trailing blanks. */
typedef void (*kv_fn)(const char *k, size_t kl, const char *v, size_t vl, void *opaque);

static void for_each_kv(const char *text, kv_fn fn, void *opaque)
{
    for (const char *line = text; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        size_t skip = strspn(line, " \t");
        const char *k = line + skip;
        const char *eq = skip < len ? memchr(k, '=', len - skip) : NULL;
        if (eq && *k != '#' && eq > k) {
            const char *v = eq + 1;
            size_t vl = (size_t)(line + len - v);
            while (vl && (v[vl - 1] == '\r' || v[vl - 1] == ' ' || v[vl - 1] == '\t'))
                vl--;
            if (vl >= 2 && (v[0] == '"' || v[0] == '\'') && v[vl - 1] == v[0])
                v++, vl -= 2;
            fn(k, (size_t)(eq - k), v, vl, opaque);
        }
        line = end ? end + 1 : NULL;
    }
}

static int key_is(const char *k, size_t kl, const char *want)
{
    return kl == strlen(want) && !strncmp(k, want, kl);
}

static void set_version(struct os_info *o, const char *v, size_t vl)
{
    set(&o->version, v, vl);
    if (o->version && os_release_version(o->version, &o->major, &o->minor) < 0)
        o->major = o->minor = 0;
}

struct kv_state {
    struct os_info *o;
    int found;
};

static void os_release_kv(const char *k, size_t kl, const char *v, size_t vl, void *opaque)
{
    struct kv_state *s = opaque;
    if (key_is(k, kl, "ID") && vl) {
        char *id = xstrndup(v, vl);
        if (id) {
            free(s->o->distro);
            s->o->distro = xstrdup(map_id(id));
            s->found = 1;
            free(id);
        }
    } else if (key_is(k, kl, "VERSION_ID") && vl) {
        set_version(s->o, v, vl);
    } else if (key_is(k, kl, "PRETTY_NAME") && vl) {
        set(&s->o->product_name, v, vl);
    }
}

int os_release_parse(const char *text, struct os_info *o)
{
    struct kv_state s = {o, 0};
    for_each_kv(text, os_release_kv, &s);
    return s.found ? 0 : -1;
}

/* DISTRIB_ID -> distro, as libguestfs names them; others lower-cased. */
static char *lsb_distro(const char *v, size_t vl)
{
    static const struct { const char *id, *distro; } m[] = {
        {"Ubuntu", "ubuntu"}, {"LinuxMint", "linuxmint"}, {"Mageia", "mageia"},
        {"CoreOS", "coreos"},
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (key_is(v, vl, m[i].id))
            return xstrdup(m[i].distro);
    char *d = xstrndup(v, vl);
    for (char *p = d; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return d;
}

static void lsb_kv(const char *k, size_t kl, const char *v, size_t vl, void *opaque)
{
    struct kv_state *s = opaque;
    if (key_is(k, kl, "DISTRIB_ID") && vl) {
        free(s->o->distro);
        s->o->distro = lsb_distro(v, vl);
        s->found = 1;
    } else if (key_is(k, kl, "DISTRIB_RELEASE") && vl) {
        set_version(s->o, v, vl);
    } else if (key_is(k, kl, "DISTRIB_DESCRIPTION") && vl) {
        set(&s->o->product_name, v, vl);
    }
}

int os_release_parse_lsb(const char *text, struct os_info *o)
{
    /* Parse into a scratch copy so a bare file changes nothing. */
    struct os_info t = {0};
    struct kv_state s = {&t, 0};
    for_each_kv(text, lsb_kv, &s);
    if (!s.found) {
        os_info_free(&t);
        return -1;
    }
    free(o->distro), o->distro = t.distro;
    if (t.version) {
        free(o->version), o->version = t.version;
        o->major = t.major, o->minor = t.minor;
    }
    if (t.product_name)
        free(o->product_name), o->product_name = t.product_name;
    return 0;
}

struct value_state {
    const char *key;
    char *value;
};

static void value_kv(const char *k, size_t kl, const char *v, size_t vl, void *opaque)
{
    struct value_state *s = opaque;
    if (key_is(k, kl, s->key)) {
        free(s->value);
        s->value = vl ? xstrndup(v, vl) : NULL;
    }
}

char *os_release_value(const char *text, const char *key)
{
    struct value_state s = {key, NULL};
    for_each_kv(text, value_kv, &s);
    return s.value;
}

void os_info_free(struct os_info *o)
{
    free(o->type);
    free(o->distro);
    free(o->version);
    free(o->product_name);
    free(o->arch);
    free(o->hostname);
    free(o->package_format);
    free(o->root_device);
    memset(o, 0, sizeof *o);
}
