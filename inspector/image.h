/* The libguestfs appliance over a server's disks: every disk added
 * read-only, launched with KVM when it works and TCG when it does not. */
#ifndef LIFTCHECK_IMAGE_H
#define LIFTCHECK_IMAGE_H

#include <guestfs.h>
#include <stdatomic.h>

#include "console_tail.h"
#include "disk_format.h"

/* The appliance's kernel may number disks in another order than the API
 * (/dev/sdX): names the kernel reports (md_stat) or a shell sees go through
 * these labels, /dev/disk/guestfs/LABEL in the appliance.  Input disk i
 * (i < 26) is DISK_LABEL_PREFIX followed by the letter 'a' + i. */
#define DISK_LABEL_PREFIX "lcdisk"
#define PROBE_DISK_LABEL "lcprobe"

enum accel_mode { ACCEL_AUTO, ACCEL_KVM, ACCEL_TCG };

struct image {
    guestfs_h *g;
    struct disk *disks;        /* borrowed */
    int ndisks;
    const char *accelerator;   /* "kvm" or "tcg" */
    char *fallback_reason;     /* why KVM was not used, or NULL */
    int kvm_failed;            /* a KVM launch was tried and failed */
    char *relaunch_reason;     /* why the appliance was launched twice, or NULL */
    int tcg_cache_mib;         /* qemu's TCG translation cache, 0: its default */
    char *scratch_device;      /* device of the small scratch disk */
    char *probe_device;        /* device of the probe's disk, added last
                                * (/dev/disk/guestfs/PROBE_DISK_LABEL in the
                                * appliance's shell) */
    unsigned long long probe_disk_size;
    char *probe_disk_path;     /* its raw file on the host, in overlay_dir */
    char *overlay_dir;         /* private directory of our overlays */
    /* The appliance kernel's name of each disk (disk index -> "/dev/sda"),
     * read once from the disk labels when md_stat's names need it. */
    char *kernel_disk_name[26];
    int kernel_disk_names_read;
    /* While guestfs_launch runs: the console's last line (image.c). */
    int launching;
    struct console_tail console;
    atomic_llong console_line_ms;  /* when its last line came (monotonic ms) */
};

struct image_options {
    enum accel_mode accel;
    int verbose, trace;
    int kvm_timeout;           /* seconds a KVM boot may take before TCG */
};

/* Launches the appliance.  On failure returns a negative errno with a
 * reason in err. */
int image_open(struct image *im, struct disk *disks, int ndisks,
               const struct image_options *opt, struct lc_error *err);
void image_close(struct image *im);

#endif
