/* In-memory vfs backend for the fuzz targets: a flat list of files whose
 * directories are implied by their paths.  Small trees only (a few dozen
 * files), so lookups are linear. */
#include "fuzz.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MEMVFS_MAX 64
#define MEMVFS_PATH 1024

struct memfile {
    char *path;
    unsigned char *data;
    size_t len;
    char *link;             /* symlink target, or NULL for a regular file */
};

struct memvfs {
    struct vfs base;        /* first, so a vfs * is a struct memvfs * */
    struct memfile f[MEMVFS_MAX];
    int n;
};

static struct memfile *find(struct memvfs *m, const char *path)
{
    for (int i = 0; i < m->n; i++)
        if (!strcmp(m->f[i].path, path))
            return &m->f[i];
    return NULL;
}

/* 1 if some file lives below dir. */
static int is_dir(struct memvfs *m, const char *dir)
{
    size_t dl = strlen(dir);
    if (!strcmp(dir, "/"))
        return 1;
    for (int i = 0; i < m->n; i++)
        if (!strncmp(m->f[i].path, dir, dl) && m->f[i].path[dl] == '/')
            return 1;
    return 0;
}

static int m_lstat(vfs *v, const char *path, struct vfs_stat *st)
{
    struct memvfs *m = (struct memvfs *)v;
    struct memfile *f = find(m, path);
    memset(st, 0, sizeof *st);
    st->nlink = 1;
    st->dev = 1;
    if (f) {
        st->type = f->link ? VFS_LNK : VFS_REG;
        st->mode = f->link ? 0120777 : 0100644;
        st->size = f->link ? strlen(f->link) : f->len;
        st->ino = (uint64_t)(f - m->f) + 2;
        return 0;
    }
    if (is_dir(m, path)) {
        st->type = VFS_DIR;
        st->mode = 040755;
        st->ino = 1;
        return 0;
    }
    return vfs_fail(v, ENOENT, "%s: no such file", path);
}

static ssize_t m_pread(vfs *v, const char *path, void *buf, size_t len, uint64_t off)
{
    struct memfile *f = find((struct memvfs *)v, path);
    if (!f)
        return vfs_fail(v, is_dir((struct memvfs *)v, path) ? EISDIR : ENOENT,
                        "%s: cannot read", path);
    if (f->link)
        return vfs_fail(v, ELOOP, "%s: symbolic link", path);
    if (off >= f->len)
        return 0;
    size_t n = f->len - (size_t)off;
    if (n > len)
        n = len;
    memcpy(buf, f->data + off, n);
    return (ssize_t)n;
}

static int m_readlink(vfs *v, const char *path, char **target)
{
    struct memfile *f = find((struct memvfs *)v, path);
    if (!f || !f->link)
        return vfs_fail(v, EINVAL, "%s: not a symbolic link", path);
    *target = strdup(f->link);
    return *target ? 0 : vfs_fail(v, ENOMEM, "out of memory");
}

/* Reports the children of dir at depth, then their children. */
static int walk_dir(struct memvfs *m, const char *dir, unsigned depth,
                    const struct vfs_walk_limits *lim, vfs_walk_fn fn, void *opaque,
                    struct vfs_walk_result *res)
{
    size_t dl = strcmp(dir, "/") ? strlen(dir) : 0;
    char seen[MEMVFS_MAX][MEMVFS_PATH];
    int nseen = 0;

    for (int i = 0; i < m->n; i++) {
        const char *p = m->f[i].path;
        if (strncmp(p, dir, dl) || p[dl] != '/' || !p[dl + 1])
            continue;
        const char *end = strchr(p + dl + 1, '/');
        size_t cl = end ? (size_t)(end - p) : strlen(p);
        if (cl >= MEMVFS_PATH)
            continue;
        int dup = 0;
        for (int k = 0; k < nseen && !dup; k++)
            dup = strlen(seen[k]) == cl && !strncmp(seen[k], p, cl);
        if (dup)
            continue;
        memcpy(seen[nseen], p, cl);
        seen[nseen][cl] = '\0';
        char *child = seen[nseen++];

        struct vfs_stat st;
        if (m_lstat(&m->base, child, &st) < 0)
            continue;
        if (res->entries >= lim->max_entries) {
            res->entries_limited = 1;
            return 0;
        }
        res->entries++;
        int rc = fn(child, &st, opaque);
        if (rc < 0)
            return -1;
        if (rc == 0 && st.type == VFS_DIR) {
            if (depth >= lim->max_depth)
                res->depth_limited = 1;
            else if (walk_dir(m, child, depth + 1, lim, fn, opaque, res) < 0)
                return -1;
        }
    }
    return 0;
}

static int m_walk(vfs *v, const char *start, const struct vfs_walk_limits *lim,
                  vfs_walk_fn fn, void *opaque, struct vfs_walk_result *res)
{
    struct memvfs *m = (struct memvfs *)v;
    if (find(m, start) || !is_dir(m, start))
        return vfs_fail(v, ENOTDIR, "%s: not a directory", start);
    return walk_dir(m, start, 1, lim, fn, opaque, res);
}

static void m_close(vfs *v)
{
    struct memvfs *m = (struct memvfs *)v;
    for (int i = 0; i < m->n; i++) {
        free(m->f[i].path);
        free(m->f[i].data);
        free(m->f[i].link);
    }
    free(m);
}

static const struct vfs_ops memvfs_ops = { m_lstat, m_pread, m_readlink, m_walk, m_close };

vfs *memvfs_new(void)
{
    struct memvfs *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->base.ops = &memvfs_ops;
    m->base.backend = "dir";
    return &m->base;
}

static struct memfile *add(struct memvfs *m, const char *path)
{
    /* only canonical absolute paths can ever be looked up */
    if (m->n >= MEMVFS_MAX || path[0] != '/' || strlen(path) >= MEMVFS_PATH || find(m, path))
        return NULL;
    struct memfile *f = &m->f[m->n];
    memset(f, 0, sizeof *f);
    if (!(f->path = strdup(path)))
        return NULL;
    m->n++;
    return f;
}

int memvfs_add(vfs *v, const char *path, const void *data, size_t len)
{
    struct memfile *f = add((struct memvfs *)v, path);
    if (!f)
        return -1;
    f->data = malloc(len ? len : 1);
    if (!f->data)
        return -1;
    if (len)
        memcpy(f->data, data, len);
    f->len = len;
    return 0;
}

int memvfs_symlink(vfs *v, const char *path, const char *target)
{
    struct memfile *f = add((struct memvfs *)v, path);
    if (!f)
        return -1;
    f->link = strdup(target);
    return f->link ? 0 : -1;
}

void memvfs_remove(vfs *v, const char *prefix)
{
    struct memvfs *m = (struct memvfs *)v;
    size_t pl = strlen(prefix);
    for (int i = 0; i < m->n;) {
        if (strncmp(m->f[i].path, prefix, pl)) {
            i++;
            continue;
        }
        free(m->f[i].path);
        free(m->f[i].data);
        free(m->f[i].link);
        m->f[i] = m->f[--m->n];
    }
}

char *memvfs_get(vfs *v, const char *path)
{
    struct memfile *f = find((struct memvfs *)v, path);
    if (!f || f->link)
        return NULL;
    char *s = malloc(f->len + 1);
    if (!s)
        return NULL;
    memcpy(s, f->data, f->len);
    s[f->len] = '\0';
    return s;
}

/* A header line starts at p (at offset 0 or after a newline); fills name. */
static int header_at(const uint8_t *p, const uint8_t *end, char *name, size_t cap,
                     const uint8_t **next)
{
    if (end - p < 8 || memcmp(p, "==> ", 4))
        return 0;
    const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
    const uint8_t *le = nl ? nl : end;
    if (le - p < 8 || memcmp(le - 4, " <==", 4))
        return 0;
    size_t n = (size_t)(le - 4 - (p + 4));
    if (n >= cap || memchr(p + 4, '\0', n))
        return 0;
    memcpy(name, p + 4, n);
    name[n] = '\0';
    *next = nl ? nl + 1 : end;
    return 1;
}

vfs *memvfs_from_tree(const uint8_t *data, size_t size)
{
    vfs *v = memvfs_new();
    const uint8_t *p = data, *end = data + size;
    char name[MEMVFS_PATH];
    if (!v)
        return NULL;
    while (p < end) {
        const uint8_t *body;
        if (!header_at(p, end, name, sizeof name, &body)) {
            /* bytes before the first header are ignored */
            const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
            p = nl ? nl + 1 : end;
            continue;
        }
        /* the body runs to the next header line */
        const uint8_t *q = body, *bend = end;
        char tmp[MEMVFS_PATH];
        const uint8_t *dummy;
        while (q < end) {
            if ((q == body || q[-1] == '\n') && header_at(q, end, tmp, sizeof tmp, &dummy)) {
                /* the newline before a header separates, so binary files
                 * can be embedded exactly */
                bend = q > body ? q - 1 : q;
                break;
            }
            const uint8_t *nl = memchr(q, '\n', (size_t)(end - q));
            q = nl ? nl + 1 : end;
        }
        char *arrow = strstr(name, " -> ");
        if (arrow) {
            *arrow = '\0';
            memvfs_symlink(v, name, arrow + 4);
        } else {
            memvfs_add(v, name, body, (size_t)(bend - body));
        }
        p = bend < end && *bend == '\n' ? bend + 1 : bend;
    }
    return v;
}

char *fuzz_text(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text) {
        memcpy(text, data, size);
        text[size] = '\0';
    }
    return text;
}

void fuzz_touch(const char *s)
{
    volatile size_t n = strlen(s);
    (void)n;
}
