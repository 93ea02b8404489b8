#include "reports.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_all(int fd, const char *text, size_t len)
{
    for (size_t off = 0; off < len;) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        off += (size_t)w;
    }
    return 0;
}

int write_file_atomic(const char *path, const char *text, size_t len, const char *tail)
{
    size_t n = strlen(path);
    char *tmp = xmalloc(n + 16);
    int fd, err;

    snprintf(tmp, n + 16, "%s.tmpXXXXXX", path);
    fd = mkstemp(tmp);
    if (fd < 0)
        goto fail;
    if (write_all(fd, text, len) < 0 || (tail && write_all(fd, tail, strlen(tail)) < 0))
        goto fail_fd;
    if (fchmod(fd, 0644) < 0 || fsync(fd) < 0)
        goto fail_fd;
    if (close(fd) < 0)
        goto fail_unlink;
    if (rename(tmp, path) < 0)
        goto fail_unlink;
    free(tmp);
    return 0;
fail_fd:
    err = errno;
    close(fd);
    errno = err;
fail_unlink:
    err = errno;
    unlink(tmp);
    errno = err;
fail:
    free(tmp);
    return -1;
}

int report_write_json(json_object *doc, const char *path)
{
    size_t len;
    const char *s = json_object_to_json_string_length(
        doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE, &len);

    if (!s) {
        errno = ENOMEM;
        return -1;
    }

    if (!path || !strcmp(path, "-")) {
        if (fwrite(s, 1, len, stdout) != len || fputc('\n', stdout) == EOF || fflush(stdout) == EOF)
            return -1;
        return 0;
    }
    return write_file_atomic(path, s, len, "\n");
}
