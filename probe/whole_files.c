#include "whole_files.h"

#include "common/tree/guest_file.h"
#include "common/tree/parallel.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Where the scanners read whole files (scanners/nitro, scanners/apps,
 * scanners/elf/dpkg.c and ldso.c, inspector/os_release.c): a path prefix, a suffix the
 * name must end with (or NULL), and whether the prefix is the whole path. */
static const struct {
    const char *prefix, *suffix;
    int exact;
} rules[] = {
    {"/etc/", NULL, 0},
    {"/var/lib/dpkg/status", NULL, 1},
    {"/var/lib/dpkg/diversions", NULL, 1},
    {"/var/lib/dpkg/info/", ".list", 0},
    {"/usr/lib/systemd/system/", NULL, 0},
    {"/lib/systemd/system/", NULL, 0},
    {"/usr/lib/os-release", NULL, 1},
    {"/boot/grub/grub.cfg", NULL, 1},
    {"/boot/grub2/grub.cfg", NULL, 1},
    {"/boot/loader/entries/", NULL, 0},
    {"/boot/config-", NULL, 0},
};

int whole_file_wanted(const char *path, uint64_t size)
{
    size_t len = strlen(path);
    if (size == 0 || size > WHOLE_FILE_MAX)
        return 0;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        size_t pl = strlen(rules[i].prefix);
        const char *suf = rules[i].suffix;
        if (strncmp(path, rules[i].prefix, pl) != 0 || (rules[i].exact && path[pl] != '\0'))
            continue;
        if (!suf || (len >= strlen(suf) && !strcmp(path + len - strlen(suf), suf)))
            return 1;
    }
    return 0;
}

struct pass {
    int rootfd;
    struct whole_file *w;
    struct out *o;
    struct probe_progress *pr;
};

static void read_one(void *ctx, void *local, size_t i)
{
    struct pass *p = ctx;
    struct whole_file *f = &p->w[i];
    (void)local;

    pprogress_add(p->pr, 1);
    if (f->skip)
        return;
    int fd = open_guest_file(p->rootfd, f->path);
    unsigned char *buf = fd >= 0 ? malloc(f->size) : NULL;
    size_t got = 0;
    while (buf && got < f->size) {
        ssize_t k = pread(fd, buf + got, f->size - got, (off_t)got);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    if (buf && got == f->size) {
        pthread_mutex_lock(&p->o->lock);
        out_range(p->o, f->entry, 0, buf, (uint32_t)got);
        pthread_mutex_unlock(&p->o->lock);
    }
    free(buf);
    if (fd >= 0)
        close(fd);
}

void whole_files_read(const char *root, struct whole_file *w, size_t n, struct out *o,
                      struct probe_progress *pr)
{
    struct pass p = {.w = w, .o = o, .pr = pr};
    if ((p.rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        return;
    struct par_loop loop = {.fn = read_one, .ctx = &p};
    parallel_for(n, io_threads(), &loop);
    close(p.rootfd);
}
