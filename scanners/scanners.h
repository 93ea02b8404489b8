/* What every scanner gets: the guest's files (vfs), the report to add facts
 * and findings to, and what inspection already knows.  Scanners never touch
 * libguestfs: everything goes through the vfs. */
#ifndef LIFTCHECK_SCANNERS_H
#define LIFTCHECK_SCANNERS_H

#include <stdint.h>

#include "common/vfs.h"
#include "model/report.h"

struct scan_ctx {
    vfs *v;
    struct report *r;
    /* From inspection; NULL when unknown (no OS found). */
    const char *distro;        /* "debian", "rhel", "amazonlinux", ... */
    const char *os_version;    /* "12.5" */
    int os_major, os_minor;
    const char *package_format;/* "deb", "rpm", "pacman", "apk" or NULL */
    const char *arch;          /* "x86_64" ... */
    int root_volume;           /* volume of "/", 0 when unknown */
    const struct dev_volume *devs;
    int ndevs;
    int progress;              /* stderr is a terminal and progress is wanted */
};

/* Volume index of a file from its stat; root_volume when unknown. */
int scan_volume_of(const struct scan_ctx *c, const struct vfs_stat *st);

/* Each scanner adds its sections and findings; returns 0, or -1 when it
 * could not run at all (the report then says the scan is incomplete). */
int scan_nitro(struct scan_ctx *c);   /* kernels, initramfs, boot, network */
int scan_elf(struct scan_ctx *c);     /* ELF inventory, libraries, owners */
int scan_apps(struct scan_ctx *c);    /* applications and their decision; after scan_elf */

#endif
