/* LVM's two spellings of a physical volume UUID. */
#ifndef LIFTCHECK_LVM_UUID_H
#define LIFTCHECK_LVM_UUID_H

/* vgpvuuids gives LVM's dashed text form; lvm_pv.pv_uuid is a fixed
 * 32-byte field without a terminating NUL: 1 when they are one UUID. */
int same_pv_uuid(const char *dashed, const char field[32]);

#endif
