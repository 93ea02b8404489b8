#include "os_release.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RELEASE_FILE_CAP (64 * 1024)

static void set(char **dst, const char *src, size_t n)
{
    free(*dst);
    *dst = strndup(src, n);
}

/* os-release ID -> our distro names (libguestfs's where it has one). */
static const struct { const char *id, *distro; } id_map[] = {
    {"amzn", "amazonlinux"}, {"ol", "oraclelinux"}, {"almalinux", "almalinux"},
    {"rocky", "rocky"}, {"rhel", "rhel"}, {"centos", "centos"}, {"fedora", "fedora"},
    {"debian", "debian"}, {"ubuntu", "ubuntu"}, {"sles", "sles"}, {"sled", "sles"},
    {"opensuse", "opensuse"}, {"opensuse-leap", "opensuse"},
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
                                "scientificlinux", "cloudlinux", NULL};
    if (!d)
        return NULL;
    for (int i = 0; deb[i]; i++)
        if (!strcmp(d, deb[i]))
            return "deb";
    for (int i = 0; rpm[i]; i++)
        if (!strcmp(d, rpm[i]))
            return "rpm";
    if (!strcmp(d, "alpinelinux"))
        return "apk";
    return NULL;
}

/* "12.5" -> major 12, minor 5; returns 0 if it starts with a digit. */
static int parse_version(const char *v, int *major, int *minor)
{
    if (!isdigit((unsigned char)v[0]))
        return -1;
    *major = atoi(v);
    const char *dot = strchr(v, '.');
    *minor = dot && isdigit((unsigned char)dot[1]) ? atoi(dot + 1) : 0;
    return 0;
}

/* Value of KEY=value, unquoted; returns length, writes start to *val. */
static size_t unquote(const char *p, size_t n, const char **val)
{
    if (n >= 2 && (p[0] == '"' || p[0] == '\'') && p[n - 1] == p[0]) {
        p++;
        n -= 2;
    }
    *val = p;
    return n;
}

int os_release_parse(const char *text, struct os_info *o)
{
    int found = -1;
    const char *line = text;

    while (line && *line) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        const char *eq = memchr(line, '=', len);
        if (eq && line[0] != '#') {
            size_t klen = (size_t)(eq - line);
            size_t raw = len - klen - 1;
            while (raw && (eq[raw] == '\r' || eq[raw] == ' '))
                raw--;
            const char *val;
            size_t vlen = unquote(eq + 1, raw, &val);
            char *v = strndup(val, vlen);
            if (v) {
                if (klen == 2 && !strncmp(line, "ID", 2)) {
                    free(o->distro);
                    o->distro = strdup(map_id(v));
                    found = 0;
                } else if (klen == 10 && !strncmp(line, "VERSION_ID", 10)) {
                    set(&o->version, v, vlen);
                    parse_version(v, &o->major, &o->minor);
                } else if (klen == 11 && !strncmp(line, "PRETTY_NAME", 11)) {
                    set(&o->product_name, v, vlen);
                }
                free(v);
            }
        }
        line = end ? end + 1 : NULL;
    }
    return found;
}

int os_release_parse_rhel_line(const char *line, struct os_info *o)
{
    static const struct { const char *prefix, *distro; } names[] = {
        {"Amazon Linux", "amazonlinux"}, {"Rocky Linux", "rocky"},
        {"AlmaLinux", "almalinux"}, {"Oracle Linux", "oraclelinux"},
        {"CentOS", "centos"}, {"Red Hat Enterprise Linux", "rhel"},
        {"Fedora", "fedora"}, {"Scientific Linux", "scientificlinux"},
        {"CloudLinux", "cloudlinux"},
    };
    const char *rel = strstr(line, " release ");
    if (!rel)
        return -1;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strncmp(line, names[i].prefix, strlen(names[i].prefix)) != 0)
            continue;
        const char *ver = rel + 9;
        size_t vlen = strcspn(ver, " \n(");
        if (!o->distro)
            o->distro = strdup(names[i].distro);
        if (!o->version && vlen) {
            set(&o->version, ver, vlen);
            parse_version(o->version, &o->major, &o->minor);
        }
        if (!o->product_name)
            set(&o->product_name, line, strcspn(line, "\n"));
        return 0;
    }
    return -1;
}

static char *read_small(vfs *v, const char *path)
{
    char *buf;
    size_t len;
    return vfs_read_file(v, path, RELEASE_FILE_CAP, &buf, &len) == 0 ? buf : NULL;
}

/* e_machine of /bin/sh tells the userspace architecture. */
static const char *arch_of_elf(vfs *v)
{
    static const char *shells[] = {"/bin/sh", "/usr/bin/sh", "/bin/busybox", "/bin/bash", NULL};
    for (int i = 0; shells[i]; i++) {
        char *real;
        unsigned char h[20];
        if (vfs_realpath(v, shells[i], &real) < 0)
            continue;
        ssize_t n = vfs_pread(v, real, h, sizeof h, 0);
        free(real);
        if (n < 20 || memcmp(h, "\177ELF", 4) != 0)
            continue;
        unsigned m = h[5] == 2 ? (unsigned)(h[18] << 8 | h[19]) : (unsigned)(h[18] | h[19] << 8);
        switch (m) {
        case 3: return "i386";
        case 62: return "x86_64";
        case 40: return "arm";
        case 183: return "aarch64";
        case 21: return "ppc64";
        case 22: return "s390x";
        case 243: return "riscv64";
        default: return "unknown";
        }
    }
    return NULL;
}

int os_release_read(vfs *v, struct os_info *o)
{
    char *t;
    int linux_root = 0;

    if ((t = read_small(v, "/etc/os-release")) || (t = read_small(v, "/usr/lib/os-release"))) {
        /* os-release is authoritative: drop what inspection guessed. */
        char *keep_product = o->product_name;
        o->product_name = NULL;
        if (os_release_parse(t, o) == 0)
            linux_root = 1;
        if (!o->product_name)
            o->product_name = keep_product;
        else
            free(keep_product);
        free(t);
    }
    static const char *rhel_files[] = {"/etc/system-release", "/etc/redhat-release", NULL};
    for (int i = 0; rhel_files[i]; i++) {
        if ((t = read_small(v, rhel_files[i]))) {
            if (os_release_parse_rhel_line(t, o) == 0)
                linux_root = 1;
            free(t);
        }
    }
    /* Debian's point release lives only in /etc/debian_version. */
    if (o->distro && !strcmp(o->distro, "debian") && (t = read_small(v, "/etc/debian_version"))) {
        size_t n = strcspn(t, "\n");
        int maj, min;
        if (n && parse_version(t, &maj, &min) == 0) {
            set(&o->version, t, n);
            o->major = maj;
            o->minor = min;
        }
        free(t);
    }
    if (!o->hostname && (t = read_small(v, "/etc/hostname"))) {
        size_t n = strcspn(t, " \t\r\n");
        if (n)
            set(&o->hostname, t, n);
        free(t);
    }
    const char *arch = o->arch ? NULL : arch_of_elf(v);
    if (arch)
        o->arch = strdup(arch);
    if (!o->type && (linux_root || vfs_exists(v, "/etc/fstab")))
        o->type = strdup("linux");
    if (o->distro) {
        const char *pf = os_package_format(o->distro);
        if (pf) {
            free(o->package_format);
            o->package_format = strdup(pf);
        }
    }
    return o->type ? 0 : -1;
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
