#include "dm_linear.h"

#include <fcntl.h>
#include <linux/dm-ioctl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <unistd.h>

/* The reply of DM_TABLE_STATUS: the header, then each target's spec and
 * its parameters. */
union dm_reply {
    struct dm_ioctl io;
    char bytes[16384];
};

int dm_linear_of(uint64_t dev, uint64_t *below, uint64_t *offset)
{
    union dm_reply r;
    int fd = open("/dev/mapper/control", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return -1;
    memset(&r, 0, sizeof r);
    r.io.version[0] = DM_VERSION_MAJOR;
    r.io.data_size = sizeof r;
    r.io.data_start = sizeof r.io;
    r.io.flags = DM_STATUS_TABLE_FLAG;     /* the table, not the status */
    r.io.dev = makedev(major((dev_t)dev), minor((dev_t)dev));
    int rc = ioctl(fd, DM_TABLE_STATUS, &r.io);
    close(fd);
    if (rc < 0 || (r.io.flags & DM_BUFFER_FULL_FLAG) || r.io.target_count != 1 ||
        r.io.data_start < sizeof r.io || r.io.data_start > sizeof r - sizeof(struct dm_target_spec))
        return -1;
    struct dm_target_spec t;
    memcpy(&t, r.bytes + r.io.data_start, sizeof t);
    if (t.sector_start != 0 || strncmp(t.target_type, "linear", sizeof t.target_type))
        return -1;
    /* "MAJOR:MINOR START_SECTOR", NUL-terminated inside the reply. */
    const char *params = r.bytes + r.io.data_start + sizeof t;
    size_t room = sizeof r - (r.io.data_start + sizeof t);
    if (!memchr(params, '\0', room))
        return -1;
    unsigned maj, min;
    unsigned long long sector;
    char tail;
    if (sscanf(params, "%u:%u %llu%c", &maj, &min, &sector, &tail) != 3 ||
        sector > UINT64_MAX / 512)
        return -1;
    *below = makedev(maj, min);
    *offset = sector * 512;
    return 0;
}
