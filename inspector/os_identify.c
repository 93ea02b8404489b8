/* Which Linux a tree holds, read from its release files in libguestfs's
 * order: os-release first; without it (or where it gives only a major
 * version, as Debian's and CentOS 7's do) the first older release file
 * that is understood.  Then the hostname and the architecture. */
#include "os_release.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define RELEASE_FILE_CAP (64 * 1024)
#define HOSTNAME_CAP 255

static char *read_small(vfs *v, const char *path)
{
    char *buf;
    size_t len;
    return vfs_read_file(v, path, RELEASE_FILE_CAP, &buf, &len) == 0 ? buf : NULL;
}

enum parser { P_LSB, P_RHEL, P_REDHAT_BASED, P_FIRST_LINE, P_EMPTY, P_SUSE };

/* Tried in order; the first file that exists and parses decides. */
static const struct {
    const char *path;
    enum parser how;
    const char *distro;   /* for P_FIRST_LINE and P_EMPTY */
} legacy_files[] = {
    {"/etc/lsb-release", P_LSB, NULL},
    /* Oracle and CentOS also ship a redhat-release that would say RHEL. */
    {"/etc/oracle-release", P_RHEL, NULL},
    {"/etc/centos-release", P_RHEL, NULL},
    /* Amazon Linux 1 has only this one. */
    {"/etc/system-release", P_RHEL, NULL},
    {"/etc/redhat-release", P_RHEL, NULL},
    {"/etc/redhat-release", P_REDHAT_BASED, "redhat-based"},
    {"/etc/debian_version", P_FIRST_LINE, "debian"},
    /* arch-release is empty: it says only which distro. */
    {"/etc/arch-release", P_EMPTY, "archlinux"},
    {"/etc/SuSE-release", P_SUSE, NULL},
    {"/etc/alpine-release", P_FIRST_LINE, "alpinelinux"},
};

static int parse_legacy(int i, const char *text, struct os_info *o)
{
    switch (legacy_files[i].how) {
    case P_LSB:
        return os_release_parse_lsb(text, o);
    case P_RHEL:
        return os_release_parse_rhel_line(text, o);
    case P_REDHAT_BASED:
        /* A Red Hat rebuild we do not know: its line is still the product. */
        if (os_release_parse_first_line(text, legacy_files[i].distro, o) < 0)
            o->distro = xstrdup(legacy_files[i].distro);
        return 0;
    case P_FIRST_LINE:
        return os_release_parse_first_line(text, legacy_files[i].distro, o);
    case P_EMPTY:
        o->distro = xstrdup(legacy_files[i].distro);
        return 0;
    case P_SUSE:
        return os_release_parse_suse(text, o);
    }
    return -1;
}

/* Fills o from the first older release file understood; 0 if one was. */
static int read_legacy(vfs *v, struct os_info *o)
{
    for (size_t i = 0; i < sizeof legacy_files / sizeof legacy_files[0]; i++) {
        char *t = read_small(v, legacy_files[i].path);
        if (!t)
            continue;
        int rc = parse_legacy((int)i, t, o);
        free(t);
        if (rc == 0 && o->distro)
            return 0;
        os_info_free(o);
    }
    return -1;
}

static void take(char **dst, char **src)
{
    free(*dst);
    *dst = *src;
    *src = NULL;
}

/* os-release decides; the older file only adds a minor version it lacks
 * ("12" -> "12.5" from debian_version, "7" -> "7.9.2009" from
 * centos-release) or a version or product it does not have. */
static void merge(struct os_info *o, struct os_info *rel, struct os_info *old)
{
    int same = old->distro && rel->distro && !strcmp(old->distro, rel->distro);
    /* Only where os-release is known to give the major alone, as in
     * libguestfs (Amazon Linux 2023's "2023" stays as it is). */
    int coarse = same && (!strcmp(rel->distro, "debian") || !strcmp(rel->distro, "centos"));
    int finer = coarse && old->version && rel->version && old->major == rel->major &&
                !strchr(rel->version, '.') && strchr(old->version, '.');
    if (same && old->version && (!rel->version || finer)) {
        take(&rel->version, &old->version);
        rel->major = old->major;
        rel->minor = old->minor;
    }
    if (!rel->product_name && old->product_name && same)
        take(&rel->product_name, &old->product_name);
    take(&o->distro, &rel->distro);
    if (rel->version) {
        take(&o->version, &rel->version);
        o->major = rel->major;
        o->minor = rel->minor;
    }
    if (rel->product_name)
        take(&o->product_name, &rel->product_name);
}

/* The first line that is not blank or a comment, up to the first blank. */
static char *hostname_from_file(vfs *v, const char *path)
{
    char *t = read_small(v, path), *h = NULL;
    for (char *line = t; line && *line && !h;) {
        char *end = strchr(line, '\n');
        line += strspn(line, " \t\r");
        size_t n = strcspn(line, " \t\r\n#");
        if (n && *line != '#')
            h = xstrndup(line, n > HOSTNAME_CAP ? HOSTNAME_CAP : n);
        line = end ? end + 1 : NULL;
    }
    free(t);
    return h;
}

/* /etc/HOSTNAME (SUSE, old Debian), /etc/hostname (Debian, RHEL 7+), then
 * HOSTNAME= in /etc/sysconfig/network (RHEL 6 and older), as libguestfs
 * looks for them. */
static char *read_hostname(vfs *v)
{
    char *h = hostname_from_file(v, "/etc/HOSTNAME");
    if (!h)
        h = hostname_from_file(v, "/etc/hostname");
    if (!h) {
        char *t = read_small(v, "/etc/sysconfig/network");
        h = t ? os_release_value(t, "HOSTNAME") : NULL;
        free(t);
        if (h && strlen(h) > HOSTNAME_CAP)
            h[HOSTNAME_CAP] = '\0';
    }
    return h;
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
    struct os_info rel = {0}, old = {0};
    char *t = read_small(v, "/etc/os-release");
    if (!t)
        t = read_small(v, "/usr/lib/os-release");
    int have_rel = t && os_release_parse(t, &rel) == 0;
    free(t);
    /* The older files are read even under os-release, for the minor. */
    int have_old = read_legacy(v, &old) == 0;
    if (have_rel)
        merge(o, &rel, &old);
    else if (have_old)
        merge(o, &old, &rel);
    os_info_free(&rel);
    os_info_free(&old);

    if (!o->hostname)
        o->hostname = read_hostname(v);
    const char *arch = o->arch ? NULL : arch_of_elf(v);
    if (arch)
        o->arch = xstrdup(arch);
    if (!o->type && (have_rel || have_old || vfs_exists(v, "/etc/fstab")))
        o->type = xstrdup("linux");
    const char *pf = os_package_format(o->distro);
    if (pf) {
        free(o->package_format);
        o->package_format = xstrdup(pf);
    }
    return o->type ? 0 : -1;
}
