#include "guest_file.h"

#include <errno.h>
#include <fcntl.h>

int open_guest_file(int dirfd, const char *path)
{
    const char *rel = path[0] == '/' ? path + 1 : path;
    int fd = openat(dirfd, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOATIME);
    if (fd < 0 && errno == EPERM)   /* O_NOATIME on a file we do not own */
        fd = openat(dirfd, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    return fd;
}
