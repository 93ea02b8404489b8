/* Which device names survive the move to Nitro.  EBS volumes appear as NVMe
 * disks (/dev/nvme0n1) with serials of their own, on another bus, without
 * multipath: every name built from the old disk's kernel name, controller,
 * serial, bus path or WWID points at nothing after the move.  Names of the
 * content (UUID=, LABEL=, PARTUUID=, LVM and md names) survive. */
#include "nitro_int.h"

#include <ctype.h>
#include <string.h>

static int starts(const char *s, const char *p)
{
    return !strncmp(s, p, strlen(p));
}

/* Nothing, or a partition suffix: "1", "p1", "-part1". */
static int partition_suffix(const char *s)
{
    if (!*s)
        return 1;
    if (starts(s, "-part"))
        s += 5;
    else if (*s == 'p')
        s++;
    return *s && strspn(s, "0123456789") == strlen(s);
}

/* "mpatha", "mpathab", with an optional partition suffix; not an LVM name
 * such as "mpathvg-root". */
static int is_friendly_mpath(const char *n)
{
    if (!starts(n, "mpath"))
        return 0;
    n += 5;
    size_t letters = strspn(n, "abcdefghijklmnopqrstuvwxyz");
    return letters > 0 && partition_suffix(n + letters);
}

/* A SCSI/NAA WWID as multipath names devices without aliases: "3" + 32 or
 * 16 hex digits (36000c29...), or "2"-prefixed identifiers. */
static int is_wwid(const char *n)
{
    size_t hex = strspn(n, "0123456789abcdefABCDEF");
    return (n[0] == '3' || n[0] == '2') && hex >= 17 && partition_suffix(n + hex);
}

/* alias, or alias + partition suffix: "data", "datap1", "data-part1", "data1". */
static int alias_matches(const char *name, const char *alias)
{
    size_t l = strlen(alias);
    return l && !strncmp(name, alias, l) && partition_suffix(name + l);
}

static const char *mapper_reason(const struct naming *nm, const char *n)
{
    if (is_friendly_mpath(n))
        return "multipath name: EBS volumes are not multipathed, the map is never made";
    if (is_wwid(n))
        return "multipath WWID name: the WWID is the old disk's";
    for (int i = 0; nm && i < nm->naliases; i++)
        if (alias_matches(n, nm->alias[i]))
            return "multipath alias bound to the old disk's WWID";
    return NULL;
}

static const char *by_id_reason(const char *n)
{
    /* names of content, not of the disk, are stable under by-id too */
    static const char *const stable[] = { "nvme-Amazon_Elastic_Block_Store_", "dm-name-",
        "dm-uuid-LVM-", "dm-uuid-CRYPT-", "md-uuid-", "md-name-", "lvm-pv-uuid-" };
    for (size_t i = 0; i < sizeof stable / sizeof stable[0]; i++)
        if (starts(n, stable[i]))
            return NULL;
    return "disk serial under /dev/disk/by-id: EBS volumes have serials of their own";
}

const char *devname_unstable(const struct naming *nm, const char *name)
{
    static const char *const kernel[] = { "/dev/sd", "/dev/xvd", "/dev/hd", "/dev/vd" };
    for (size_t i = 0; i < sizeof kernel / sizeof kernel[0]; i++) {
        size_t n = strlen(kernel[i]);
        if (strncmp(name, kernel[i], n))
            continue;
        /* letters, then a partition number: not an LVM /dev/sdata/lv */
        const char *p = name + n;
        size_t letters = strspn(p, "abcdefghijklmnopqrstuvwxyz");
        if (letters >= 1 && letters <= 3 && strspn(p + letters, "0123456789") == strlen(p + letters))
            return "kernel disk name: NVMe disks are named /dev/nvme*n*";
    }
    if (starts(name, "/dev/cciss/") || starts(name, "/dev/ida/") || starts(name, "/dev/rd/c"))
        return "hardware RAID controller name: the controller is not on the instance";
    if (starts(name, "/dev/disk/by-id/"))
        return by_id_reason(name + 16);
    if (starts(name, "/dev/disk/by-path/"))
        return "bus path under /dev/disk/by-path: the disk sits on another bus";
    if (starts(name, "/dev/mapper/"))
        return mapper_reason(nm, name + 12);
    if (starts(name, "/dev/dm-") && isdigit((unsigned char)name[8]))
        return "device-mapper minor number: given out in probe order";
    if (starts(name, "/dev/") && is_friendly_mpath(name + 5))
        return mapper_reason(nm, name + 5);
    return NULL;
}

int is_unstable_devname(const char *spec)
{
    return devname_unstable(NULL, spec) != NULL;
}

int naming_add_alias(struct naming *nm, const char *alias)
{
    size_t l = strlen(alias);
    if (nm->naliases >= NAMING_ALIASES_MAX || l == 0 || l >= sizeof nm->alias[0])
        return -1;
    for (int i = 0; i < nm->naliases; i++)
        if (!strcmp(nm->alias[i], alias))
            return 0;
    memcpy(nm->alias[nm->naliases++], alias, l + 1);
    return 0;
}
