/* The block device layers under the root filesystem (LVM, md, LUKS), as
 * the appliance assembled them: what the guest's initramfs must assemble
 * again before it can mount /. */
#ifndef LIFTCHECK_ROOT_STACK_H
#define LIFTCHECK_ROOT_STACK_H

#include <guestfs.h>
#include <json-c/json.h>
#include <stddef.h>

/* An opened LUKS volume: the mapper it was opened as, and its device. */
struct luks_pair {
    const char *mapper;
    const char *device;
};

/* The layers under dev, top first: {"layer": "lvm"|"md"|"crypt",
 * "device": ..., "level": md level or null}; an empty array for a plain
 * partition or disk.  At most a few levels and devices are followed. */
json_object *root_stack_json(guestfs_h *g, const char *dev, const struct luks_pair *luks,
                             size_t nluks);

#endif
