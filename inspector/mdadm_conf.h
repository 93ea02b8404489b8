/* The ARRAY lines of a guest's mdadm.conf: the name the guest gives each
 * md array (/dev/md0, /dev/md/boot) and the array's UUID, so an array the
 * appliance assembled as /dev/md127 is still found by the name fstab uses. */
#ifndef LIFTCHECK_MDADM_CONF_H
#define LIFTCHECK_MDADM_CONF_H

#include <stddef.h>

struct md_conf_array {
    char devname[128];
    char uuid[33];       /* the 32 hex digits, lower case; "" if none */
    char name[128];      /* name=HOST:NAME as written, "" if none */
};

/* Fills at most max arrays from the text; returns how many.  Lines that
 * begin with blanks continue the line before, as mdadm reads them. */
size_t mdadm_conf_parse(const char *text, struct md_conf_array *out, size_t max);

/* The 32 hex digits of an md UUID in any of its spellings
 * ("3aaa0122:29827cfa:...", "3aaa0122-2982-..."), lower case, into out
 * (33 bytes); 0, or -1 if it does not have exactly 32. */
int md_uuid_hex(const char *in, char out[33]);

#endif
