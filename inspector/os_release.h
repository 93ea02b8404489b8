/* Distro identity from the guest's own release files.  libguestfs 1.48 does
 * not know Amazon Linux, AlmaLinux and others well, and --root mode has no
 * libguestfs at all, so this is the one place distro names are decided.
 * The files are read in libguestfs's order (os-release, lsb-release, the
 * Red Hat family's, debian_version, arch-release, SuSE-release,
 * alpine-release), with the names it gives. */
#ifndef LIFTCHECK_OS_RELEASE_H
#define LIFTCHECK_OS_RELEASE_H

#include "common/vfs.h"

struct os_info {
    char *type;            /* "linux" */
    char *distro;          /* "debian", "amazonlinux", "rocky", ... */
    char *version;         /* "12.5", "2", "9.3" */
    int major, minor;
    char *product_name;    /* PRETTY_NAME or the release line */
    char *arch;            /* "x86_64", "i386", "aarch64" ... */
    char *hostname;
    char *package_format;  /* "deb", "rpm", "pacman", "apk" or NULL */
    char *root_device;
};

/* os-release.c: KEY=value files. */

/* Parses os-release text: sets distro, version, major, minor, product_name
 * for the fields present.  Returns 0 if an ID was found. */
int os_release_parse(const char *text, struct os_info *o);

/* Parses /etc/lsb-release (DISTRIB_ID, DISTRIB_RELEASE,
 * DISTRIB_DESCRIPTION).  Returns 0 if it names a distro; a bare file with
 * only LSB_VERSION (RHEL's redhat-lsb) returns -1 and sets nothing. */
int os_release_parse_lsb(const char *text, struct os_info *o);

/* The value of KEY=value in shell-style text (/etc/sysconfig/network),
 * unquoted, copied; the last assignment wins; NULL if absent or empty. */
char *os_release_value(const char *text, const char *key);

/* "12.5" -> 12, 5; "10.04" -> 10, 4; returns 0 if it starts with a digit. */
int os_release_version(const char *v, int *major, int *minor);

/* The package format a distro uses, or NULL. */
const char *os_package_format(const char *distro);

/* release_line.c: the one-line release files of older distros. */

/* Parses a redhat-release / centos-release / oracle-release /
 * system-release line ("Rocky Linux release 9.3 (Blue Onyx)", "Red Hat
 * Enterprise Linux AS release 4 (Nahant Update 9)").  Returns 0 if the
 * distro was recognised; fills only what o does not have yet. */
int os_release_parse_rhel_line(const char *line, struct os_info *o);

/* Parses /etc/SuSE-release: a product line, then "VERSION = 11" and
 * "PATCHLEVEL = 4" (SLES) or "VERSION = 13.2" (openSUSE).  Returns 0 if
 * the product line is SUSE's. */
int os_release_parse_suse(const char *text, struct os_info *o);

/* A release file whose first line is the version or product
 * (/etc/debian_version "6.0.10", /etc/alpine-release "3.18.4"): distro is
 * set, version when the line starts with one.  Returns 0 unless the first
 * line is empty. */
int os_release_parse_first_line(const char *text, const char *distro, struct os_info *o);

/* os_identify.c: the whole tree. */

/* Reads the release files, the hostname (/etc/HOSTNAME, /etc/hostname,
 * HOSTNAME= in /etc/sysconfig/network) and the ELF header of /bin/sh
 * through the vfs, filling what is missing in o.  Returns 0 if the tree
 * looks like a Linux root. */
int os_release_read(vfs *v, struct os_info *o);

void os_info_free(struct os_info *o);

#endif
