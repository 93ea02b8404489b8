/* Keys for LUKS volumes, given as guestfs-tools take them:
 *   --key ID:key:PASSPHRASE   --key ID:file:FILENAME   --keys-from-stdin
 * ID is the device name (/dev/sda2, as listed in the report) or the LUKS
 * UUID.  A file gives its first line; --keys-from-stdin gives one line of
 * standard input to each encrypted volume that no --key names, in the
 * order the volumes are found. */
#ifndef LIFTCHECK_LUKS_KEYS_H
#define LIFTCHECK_LUKS_KEYS_H

#include <stddef.h>
#include <stdio.h>

#include "util/error.h"

struct luks_key {
    char *id;
    char *secret;
};

struct luks_keys {
    struct luks_key *v;
    size_t n, cap;
    int from_stdin;     /* --keys-from-stdin */
    FILE *in;           /* where those lines come from (stdin) */
};

/* Adds one --key selector; a file is read now.  Returns a negative errno
 * with a message in err on a malformed selector (-EINVAL) or an unreadable
 * or empty file. */
int luks_keys_add(struct luks_keys *ks, const char *selector, struct lc_error *err);

/* The keys to try on a volume, NULL-terminated, each malloc'd (free with
 * luks_keys_free_list): every --key naming device or uuid; else, under
 * --keys-from-stdin, the next line of input; else none. */
char **luks_keys_for(const struct luks_keys *ks, const char *device, const char *uuid);
void luks_keys_free_list(char **keys);

void luks_keys_free(struct luks_keys *ks);

#endif
