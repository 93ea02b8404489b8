/* Distro identity from the guest's own release files.  libguestfs 1.48 does
 * not know Amazon Linux, AlmaLinux and others well, and --root mode has no
 * libguestfs at all, so this is the one place distro names are decided. */
#ifndef LIFTCHECK_OS_RELEASE_H
#define LIFTCHECK_OS_RELEASE_H

#include "vfs.h"

struct os_info {
    char *type;            /* "linux" */
    char *distro;          /* "debian", "amazonlinux", "rocky", ... */
    char *version;         /* "12.5", "2", "9.3" */
    int major, minor;
    char *product_name;    /* PRETTY_NAME or the release line */
    char *arch;            /* "x86_64", "i386", "aarch64" ... */
    char *hostname;
    char *package_format;  /* "deb", "rpm", "apk" or NULL */
    char *root_device;
};

/* Parses os-release text: sets distro, version, major, minor, product_name
 * for the fields present.  Returns 0 if an ID was found. */
int os_release_parse(const char *text, struct os_info *o);

/* Parses a redhat-release / system-release line ("Rocky Linux release 9.3
 * (Blue Onyx)").  Returns 0 if it was understood. */
int os_release_parse_rhel_line(const char *line, struct os_info *o);

/* Reads /etc/os-release (or /usr/lib/os-release), /etc/system-release,
 * /etc/redhat-release, /etc/debian_version, /etc/hostname and the ELF
 * header of /bin/sh through the vfs, filling what is missing or wrong in o.
 * Returns 0 if the tree looks like a Linux root. */
int os_release_read(vfs *v, struct os_info *o);

/* The package format a distro uses, or NULL. */
const char *os_package_format(const char *distro);

void os_info_free(struct os_info *o);

#endif
