#include "reports.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/elf_files.h"

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

int write_file_atomic_with(const char *path, int (*fill)(int fd, void *ctx), void *ctx)
{
    size_t n = strlen(path);
    char *tmp = xmalloc(n + 16);
    int fd, err;

    snprintf(tmp, n + 16, "%s.tmpXXXXXX", path);
    fd = mkstemp(tmp);
    if (fd < 0)
        goto fail;
    if (fill(fd, ctx) < 0)
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

struct text {
    const char *s;
    size_t len;
    const char *tail;
};

static int fill_text(int fd, void *ctx)
{
    const struct text *t = ctx;
    return write_all(fd, t->s, t->len) < 0 || (t->tail && write_all(fd, t->tail, strlen(t->tail)) < 0)
        ? -1 : 0;
}

int write_file_atomic(const char *path, const char *text, size_t len, const char *tail)
{
    struct text t = {text, len, tail};
    return write_file_atomic_with(path, fill_text, &t);
}

#define JSON_FLAGS (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)

static int put_fd(const char *s, size_t n, void *ctx)
{
    return write_all(*(int *)ctx, s, n);
}

static int put_stdout(const char *s, size_t n, void *ctx)
{
    (void)ctx;
    return fwrite(s, 1, n, stdout) == n ? 0 : -1;
}

/* The document, its ELF inventory streamed (elf_files.h), and a newline. */
static int fill_report(int fd, void *doc)
{
    return elf_files_write_doc(doc, JSON_FLAGS, put_fd, &fd) < 0 || write_all(fd, "\n", 1) < 0
        ? -1 : 0;
}

int report_write_json(json_object *doc, const char *path)
{
    if (!path || !strcmp(path, "-")) {
        if (elf_files_write_doc(doc, JSON_FLAGS, put_stdout, NULL) < 0 || fputc('\n', stdout) == EOF ||
            fflush(stdout) == EOF)
            return -1;
        return 0;
    }
    return write_file_atomic_with(path, fill_report, doc);
}
