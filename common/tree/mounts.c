#include "mounts.h"

#include "util/grow.h"
#include "util/xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
    char *o = s;
    for (; *s; s++) {
        if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
            s[3] >= '0' && s[3] <= '7') {
            *o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
            s += 3;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
}

static char *parent_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash || !strcmp(path, "/"))
        return NULL;
    if (slash == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

/* One mountinfo line: "id parent major:minor root point opts ... - type src ...". */
static int parse_line(char *line, const char *root, size_t rl, struct mount *m)
{
    unsigned maj, min;
    char *save = NULL, *f[5];
    for (int i = 0; i < 5; i++)
        if (!(f[i] = strtok_r(i ? NULL : line, " \n", &save)))
            return 0;
    char *sep;
    while ((sep = strtok_r(NULL, " \n", &save)) && strcmp(sep, "-"))
        ;
    char *type = sep ? strtok_r(NULL, " \n", &save) : NULL;
    if (!type || sscanf(f[2], "%u:%u", &maj, &min) != 2)
        return 0;
    unescape(f[4]);
    if (strncmp(f[4], root, rl) != 0 || (f[4][rl] != '\0' && f[4][rl] != '/'))
        return 0;
    memset(m, 0, sizeof *m);
    m->path = xstrdup(f[4][rl] ? f[4] + rl : "/");
    m->dev = (uint64_t)makedev(maj, min);
    snprintf(m->fstype, sizeof m->fstype, "%s", type);
    m->parent = parent_of(m->path);
    return strcmp(m->path, "/") && !m->parent ? -1 : 1;
}

int mounts_read(const char *root, struct mounts *out)
{
    FILE *f = fopen("/proc/self/mountinfo", "re");
    char line[8192];
    size_t rl = strlen(root), cap = 0;
    int rc = 0;

    while (rl > 1 && root[rl - 1] == '/')
        rl--;
    memset(out, 0, sizeof *out);
    if (!f)
        return -1;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        struct mount m;
        int k = parse_line(line, root, rl == 1 ? 0 : rl, &m);
        if (k == 0)
            continue;
        if (k < 0 || grow_array((void **)&out->m, &cap, out->n, sizeof m, 8) < 0) {
            free(m.path);
            free(m.parent);
            rc = -1;
        } else {
            out->m[out->n++] = m;
        }
    }
    fclose(f);
    if (rc < 0)
        mounts_free(out);
    return rc;
}

void mounts_print(const struct mounts *ms, FILE *out)
{
    for (size_t i = 0; i < ms->n; i++) {
        const struct mount *m = &ms->m[i];
        fprintf(out, "mount %" PRIu64 " %s %s %" PRIu64 " ", m->dev, m->fstype,
                m->label[0] ? m->label : "-", m->start);
        for (const unsigned char *c = (const unsigned char *)m->path; *c; c++) {
            if (*c <= ' ' || *c == '\\' || *c >= 0x7f)
                fprintf(out, "\\%03o", *c);
            else
                fputc(*c, out);
        }
        fputc('\n', out);
    }
}

/* One "mount DEV FSTYPE LABEL START PATH" line, NUL-terminated. */
static int parse_listed(char *line, struct mount *m)
{
    unsigned long long dev, start;
    char fstype[32], label[32];
    int at = 0;
    if (sscanf(line, "mount %llu %31s %31s %llu %n", &dev, fstype, label, &start, &at) != 4 ||
        !at || line[at] != '/')
        return -1;
    memset(m, 0, sizeof *m);
    unescape(line + at);
    m->path = xstrdup(line + at);
    m->parent = parent_of(m->path);
    m->dev = dev;
    m->start = start;
    snprintf(m->fstype, sizeof m->fstype, "%s", fstype);
    if (strcmp(label, "-"))
        snprintf(m->label, sizeof m->label, "%s", label);
    if (strcmp(m->path, "/") && !m->parent) {
        free(m->path);
        return -1;
    }
    return 0;
}

int mounts_parse(const char *listing, struct mounts *out)
{
    size_t cap = 0;
    memset(out, 0, sizeof *out);
    for (const char *line = listing; line && *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (len > 6 && !strncmp(line, "mount ", 6)) {
            char *copy = xstrndup(line, len);
            struct mount m;
            int ok = parse_listed(copy, &m) == 0;
            free(copy);
            if (!ok || grow_array((void **)&out->m, &cap, out->n, sizeof m, 8) < 0) {
                if (ok) {
                    free(m.path);
                    free(m.parent);
                }
                mounts_free(out);
                return -1;
            }
            out->m[out->n++] = m;
        }
        line = nl ? nl + 1 : line + len;
    }
    return 0;
}

const struct mount *mounts_at(const struct mounts *ms, const char *path)
{
    const struct mount *found = NULL;
    for (size_t i = 0; i < ms->n; i++)
        if (!strcmp(ms->m[i].path, path))
            found = &ms->m[i];
    return found;
}

int mount_is_ext(const struct mount *m)
{
    return !strcmp(m->fstype, "ext2") || !strcmp(m->fstype, "ext3") || !strcmp(m->fstype, "ext4");
}

int mounts_is_point(const struct mounts *ms, const char *path)
{
    for (size_t i = 0; i < ms->n; i++)
        if (ms->m[i].parent && !strcmp(ms->m[i].path, path))
            return 1;
    return 0;
}

int mounts_has_child(const struct mounts *ms, const char *dir)
{
    for (size_t i = 0; i < ms->n; i++)
        if (ms->m[i].parent && !strcmp(ms->m[i].parent, dir))
            return 1;
    return 0;
}

void mounts_free(struct mounts *ms)
{
    for (size_t i = 0; i < ms->n; i++) {
        free(ms->m[i].path);
        free(ms->m[i].parent);
    }
    free(ms->m);
    memset(ms, 0, sizeof *ms);
}
