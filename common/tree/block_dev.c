#include "block_dev.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

int block_dev_path(uint64_t dev, char *out, size_t cap)
{
    char path[128], line[256];
    int found = -1;

    snprintf(path, sizeof path, "/sys/dev/block/%u:%u/uevent", major((dev_t)dev),
             minor((dev_t)dev));
    FILE *u = fopen(path, "re");
    if (!u)
        return -1;
    while (fgets(line, sizeof line, u))
        if (!strncmp(line, "DEVNAME=", 8)) {
            line[strcspn(line, "\n")] = '\0';
            int n = snprintf(out, cap, "/dev/%s", line + 8);
            found = n > 0 && (size_t)n < cap && !strstr(out, "..") ? 0 : -1;
        }
    fclose(u);
    return found;
}

void *block_dev_buffer(void *ctx)
{
    void *b = NULL;
    (void)ctx;
    return posix_memalign(&b, BLOCK_DEV_ALIGN, BLOCK_DEV_MAX_READ) == 0 ? b : NULL;
}

size_t block_dev_read(int fd, void *buf, size_t len, uint64_t off)
{
    size_t done = 0;
    while (done < len) {
        ssize_t k = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        done += (size_t)k;
    }
    return done;
}

int block_dev_open(uint64_t dev, int flags)
{
    char name[300];
    struct stat st;

    if (block_dev_path(dev, name, sizeof name) < 0)
        return -1;
    int fd = open(name, flags | O_CLOEXEC);
    if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISBLK(st.st_mode) || st.st_rdev != (dev_t)dev)) {
        close(fd);
        fd = -1;
    }
    return fd;
}
