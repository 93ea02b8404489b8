/* Matching the first field of a guest's fstab line (UUID=, LABEL=,
 * PARTUUID=, /dev/mapper/vg-lv, /dev/xvda1, /dev/nvme0n1p1,
 * /dev/cciss/c0d0p1 ...) to one of the filesystems found on the disks, as
 * the guest would see it. */
#ifndef LIFTCHECK_FSTAB_SPEC_H
#define LIFTCHECK_FSTAB_SPEC_H

#include <stddef.h>

struct fs_ident {
    const char *device;     /* appliance name: /dev/sda1, /dev/vg/lv, /dev/md127 */
    const char *uuid, *label, *partuuid;
};

/* Index into fss of the filesystem spec names, or -1. */
int fstab_spec_match(const char *spec, const struct fs_ident *fss, size_t n);

/* Splits one fstab line into up to 4 fields (spec, file, type, options),
 * undoing the \040-style octal escapes in place.  Returns the number of
 * fields, 0 for blank lines and comments. */
int fstab_split(char *line, char *fields[4]);

#endif
