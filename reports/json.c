#include "reports.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int write_file_atomic(const char *path, const char *text, size_t len)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    int fd, err;

    if (!tmp)
        return -1;
    snprintf(tmp, n + 16, "%s.tmpXXXXXX", path);
    fd = mkstemp(tmp);
    if (fd < 0)
        goto fail;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            goto fail_fd;
        }
        off += (size_t)w;
    }
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

    if (!path || !strcmp(path, "-")) {
        if (fwrite(s, 1, len, stdout) != len || fputc('\n', stdout) == EOF || fflush(stdout) == EOF)
            return -1;
        return 0;
    }
    char *text = malloc(len + 2);
    if (!text)
        return -1;
    memcpy(text, s, len);
    text[len] = '\n';
    int r = write_file_atomic(path, text, len + 1);
    free(text);
    return r;
}
