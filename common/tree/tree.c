#include "tree.h"

#include "block_dev.h"
#include "ext_index.h"
#include "guest_file.h"
#include "heads.h"
#include "mounts.h"
#include "parallel.h"
#include "util/grow.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 32
#define MAX_EXT 64
#define ROOT_INO 2              /* ext2/3/4's root directory */

struct job {
    struct tree_node *dir;
    char *path;                 /* guest path, "/" for the root */
    unsigned depth;
};

struct tree {
    struct tree_node root;
    int rootfd;
    struct vfs_walk_limits lim;
    size_t (*want_head)(uint64_t size);
    struct probe_progress *pr;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct job *jobs;           /* LIFO: depth first, near the walk's order */
    size_t njobs, jcap;
    unsigned busy;
    uint64_t listed;            /* entries read so far */
    int oom;
    struct mounts mounts;
    struct ext_src {
        uint64_t dev;
        struct ext_index *x;    /* NULL: the kernel reads this filesystem */
    } ext[MAX_EXT];
    size_t next;
    struct tree_stats stats;
    int needs_kernel;           /* no kernel (rootfd -1): what only it can answer was met */
};

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct tree_node *)a)->name, ((const struct tree_node *)b)->name);
}

/* Opens a guest path relative to the root without following a final
 * symlink (the walk never goes through one: each step is a directory). */
static int open_rel(int rootfd, const char *path, int flags)
{
    const char *rel = path[1] ? path + 1 : ".";
    return openat(rootfd, rel, flags | O_NOFOLLOW | O_CLOEXEC);
}

static void read_entry(struct tree *t, int dfd, struct tree_node *n)
{
    struct stat s;
    if (fstatat(dfd, n->name, &s, AT_SYMLINK_NOFOLLOW) < 0)
        return;
    n->stat_ok = 1;
    vfs_stat_from(&n->st, &s);
    if (n->st.type == VFS_LNK) {
        char target[4096];
        ssize_t k = readlinkat(dfd, n->name, target, sizeof target - 1);
        if (k >= 0) {
            target[k] = '\0';
            n->link = strdup(target);
        }
    } else if (n->st.type == VFS_REG && t->want_head) {
        size_t want = t->want_head(n->st.size);
        if (want) {
            int fd = open_guest_file(dfd, n->name);
            if (fd >= 0) {
                n->placed = heads_place(fd, want, &n->phys) == 0;
                close(fd);
            }
        }
    }
}

/* Under the lock. */
static void add_job(struct tree *t, struct tree_node *dir, char *path, unsigned depth)
{
    if (grow_array((void **)&t->jobs, &t->jcap, t->njobs, sizeof *t->jobs, 256) < 0) {
        free(path);
        t->oom = 1;
        return;
    }
    t->jobs[t->njobs++] = (struct job){dir, path, depth};
}

/* Lists a directory through the kernel: readdir, then each entry. */
static int kernel_list(struct tree *t, const char *path, struct tree_node **out, size_t *nout)
{
    if (t->rootfd < 0) {
        __atomic_store_n(&t->needs_kernel, 1, __ATOMIC_RELAXED);
        return -1;
    }
    int fd = open_rel(t->rootfd, path, O_RDONLY | O_DIRECTORY);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    struct tree_node *kids = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;

    if (!d) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (grow_array((void **)&kids, &cap, n, sizeof *kids, 16) < 0)
            break;
        struct tree_node *k = &kids[n];
        memset(k, 0, sizeof *k);
        if (!(k->name = strdup(e->d_name)))
            break;
        n++;
        read_entry(t, fd, k);
    }
    if (e)
        __atomic_store_n(&t->oom, 1, __ATOMIC_RELAXED);
    closedir(d);
    *out = kids;
    *nout = n;
    return 0;
}

static struct ext_index *ext_of(struct tree *t, uint64_t dev)
{
    for (size_t i = 0; i < t->next; i++)
        if (t->ext[i].dev == dev)
            return t->ext[i].x;
    return NULL;
}

/* Without a kernel: a mount point is the root directory of what is
 * mounted there, read from that filesystem's index. */
static void index_fixups(struct tree *t, const char *path, struct tree_node *kids, size_t n)
{
    int points = mounts_has_child(&t->mounts, path);
    for (size_t i = 0; i < n; i++) {
        struct tree_node *k = &kids[i];
        char child[4096];
        const struct mount *m = points && vfs_join(child, sizeof child, path, k->name) == 0
                                    ? mounts_at(&t->mounts, child) : NULL;
        struct ext_index *x = m ? ext_of(t, m->dev) : NULL;
        if (m && m->foreign) {
            free(k->link);
            k->link = NULL;
            k->st = m->root;
            k->stat_ok = k->foreign = 1;
            k->placed = k->ask_kernel = 0;
        } else if (m ? !x || ext_index_node(x, ROOT_INO, k) < 0 : k->ask_kernel) {
            __atomic_store_n(&t->needs_kernel, 1, __ATOMIC_RELAXED);
        }
    }
}

/* Entries the index left to the kernel, and mount points: the kernel's
 * lstat sees the root of what is mounted there, the device its own inode. */
static void kernel_fixups(struct tree *t, const char *path, struct tree_node *kids, size_t n)
{
    if (t->rootfd < 0) {
        index_fixups(t, path, kids, n);
        return;
    }
    int points = mounts_has_child(&t->mounts, path);
    int fd = -1;
    for (size_t i = 0; i < n; i++) {
        struct tree_node *k = &kids[i];
        char child[4096];
        if (!k->ask_kernel &&
            !(points && vfs_join(child, sizeof child, path, k->name) == 0 &&
              mounts_is_point(&t->mounts, child)))
            continue;
        if (fd < 0 && (fd = open_rel(t->rootfd, path, O_RDONLY | O_DIRECTORY)) < 0)
            return;
        free(k->link);
        k->link = NULL;
        k->stat_ok = k->placed = 0;
        read_entry(t, fd, k);
    }
    if (fd >= 0)
        close(fd);
}

static void list_dir(struct tree *t, struct job j)
{
    struct ext_index *x = ext_of(t, j.dir->st.dev);
    struct tree_node *kids = NULL;
    size_t n = 0;

    if (j.dir->foreign) {
        j.dir->listed = 1;          /* listed by another reader */
        return;
    }
    if (x && ext_index_list(x, j.dir->st.ino, &kids, &n) == 0) {
        kernel_fixups(t, j.path, kids, n);
        __atomic_add_fetch(&t->stats.ext_dirs, 1, __ATOMIC_RELAXED);
    } else if (kernel_list(t, j.path, &kids, &n) < 0) {
        j.dir->listed = -1;
        return;
    }
    if (n)
        qsort(kids, n, sizeof *kids, by_name);
    j.dir->kids = kids;
    j.dir->nkids = n;
    j.dir->listed = 1;
    __atomic_add_fetch(&t->stats.dirs, 1, __ATOMIC_RELAXED);
    pprogress_add(t->pr, n);

    pthread_mutex_lock(&t->lock);
    t->listed += n;
    for (size_t i = n; i-- > 0;) {      /* so the first name pops first */
        struct tree_node *k = &kids[i];
        char path[4096];
        if (!k->stat_ok || k->st.type != VFS_DIR || j.depth + 1 >= t->lim.max_depth ||
            vfs_join(path, sizeof path, j.path, k->name) < 0)
            continue;
        if (t->listed > t->lim.max_entries) {
            k->listed = -2;
            continue;
        }
        char *p = strdup(path);
        if (!p) {
            t->oom = 1;
            continue;
        }
        add_job(t, k, p, j.depth + 1);
    }
    pthread_cond_broadcast(&t->cond);
    pthread_mutex_unlock(&t->lock);
}

static void *worker(void *arg)
{
    struct tree *t = arg;
    pthread_mutex_lock(&t->lock);
    for (;;) {
        while (t->njobs == 0 && t->busy > 0)
            pthread_cond_wait(&t->cond, &t->lock);
        if (t->njobs == 0)
            break;
        struct job j = t->jobs[--t->njobs];
        t->busy++;
        pthread_mutex_unlock(&t->lock);
        list_dir(t, j);
        free(j.path);
        pthread_mutex_lock(&t->lock);
        t->busy--;
        pthread_cond_broadcast(&t->cond);
    }
    pthread_mutex_unlock(&t->lock);
    return NULL;
}

/* An index for every ext2/3/4 filesystem under the root. */
static void open_indexes(struct tree *t, const char *root)
{
    if (mounts_read(root, &t->mounts) < 0)
        return;
    for (size_t i = 0; i < t->mounts.n && t->next < MAX_EXT; i++) {
        const struct mount *m = &t->mounts.m[i];
        char dev[300];
        if (!mount_is_ext(m))
            continue;
        if (ext_of(t, m->dev) || block_dev_path(m->dev, dev, sizeof dev) < 0)
            continue;
        struct ext_index_stats es;
        struct ext_index *x = ext_index_open(dev, m->dev, t->want_head, &es);
        t->ext[t->next++] = (struct ext_src){m->dev, x};
        if (x) {
            t->stats.ext_filesystems++;
            t->stats.ext_inodes += es.inodes;
            t->stats.warm_bytes += es.warm_bytes;
        }
    }
}

static int all_indexed(struct tree *t)
{
    for (size_t i = 0; i < t->mounts.n; i++)
        if (!ext_of(t, t->mounts.m[i].dev))
            return 0;
    return t->mounts.n > 0;
}

/* Lists the tree from the root down with threads; the tree, or NULL when
 * memory ran out (t freed). */
static struct tree *read_all(struct tree *t, unsigned threads)
{
    pthread_t th[MAX_THREADS];
    unsigned started = 0;
    char *start = strdup("/");

    t->root.stat_ok = 1;
    t->root.st.type = VFS_DIR;
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->cond, NULL);
    if (start)
        add_job(t, &t->root, start, 0);
    else
        t->oom = 1;
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    /* Listing from indexes is work for the CPU alone: under emulation,
     * threads taking turns at the index's lock cost more than they save. */
    if (all_indexed(t))
        threads = 1;
    for (unsigned i = 1; i < threads; i++)
        if (pthread_create(&th[started], NULL, worker, t) == 0)
            started++;
    worker(t);
    for (unsigned i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    if (t->oom) {
        tree_free(t);
        return errno = ENOMEM, NULL;
    }
    return t;
}

struct tree *tree_read(const char *root, const struct vfs_walk_limits *lim,
                       unsigned threads, size_t (*want_head)(uint64_t size),
                       int use_ext, struct probe_progress *pr)
{
    struct tree *t = calloc(1, sizeof *t);

    if (!t)
        return errno = ENOMEM, NULL;
    if ((t->rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        int err = errno;
        free(t);
        return errno = err, NULL;
    }
    t->lim = *lim;
    t->want_head = want_head;
    struct stat rs;
    if (fstat(t->rootfd, &rs) == 0)
        vfs_stat_from(&t->root.st, &rs);
    if (use_ext) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        open_indexes(t, root);
        clock_gettime(CLOCK_MONOTONIC, &b);
        t->stats.index_seconds = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    }
    t->pr = pr;
    return read_all(t, threads);
}

struct tree *tree_read_indexed(struct mounts *ms, struct ext_index **x,
                               const struct vfs_walk_limits *lim, struct probe_progress *pr)
{
    struct tree *t = calloc(1, sizeof *t);
    const struct mount *root = mounts_at(ms, "/");

    if (!t) {
        for (size_t i = 0; i < ms->n; i++)
            ext_index_close(x[i]);
        mounts_free(ms);
        return errno = ENOMEM, NULL;
    }
    t->rootfd = -1;
    t->mounts = *ms;
    memset(ms, 0, sizeof *ms);
    for (size_t i = 0; i < t->mounts.n; i++) {
        uint64_t dev = t->mounts.m[i].dev;
        if (!x[i] || ext_of(t, dev) || t->next == MAX_EXT) {
            ext_index_close(x[i]);
            continue;
        }
        t->ext[t->next++] = (struct ext_src){dev, x[i]};
        t->stats.ext_filesystems++;
    }
    t->lim = *lim;
    t->pr = pr;
    struct ext_index *rx = root ? ext_of(t, root->dev) : NULL;
    if (!rx || ext_index_node(rx, ROOT_INO, &t->root) < 0)
        t->needs_kernel = 1;
    return read_all(t, 1);
}

const struct mounts *tree_mounts(const struct tree *t)
{
    return &t->mounts;
}

int tree_needs_kernel(const struct tree *t)
{
    return t->needs_kernel;
}

struct pending {
    const struct tree_node *dir;
    char *path;
    unsigned depth;
};

/* vfs_dir's walk (vfs_dir.c), step for step, over the nodes. */
int tree_walk(struct tree *t, tree_fn fn, tree_fn enter, void *opaque,
              struct vfs_walk_result *res)
{
    struct pending *stack = NULL;
    size_t sp = 0, cap = 0;
    int rc = 0;

    memset(res, 0, sizeof *res);
    if (grow_array((void **)&stack, &cap, 0, sizeof *stack, 64) < 0 ||
        !(stack[0].path = strdup("/")))
        return free(stack), errno = ENOMEM, -1;
    stack[0].dir = &t->root;
    stack[0].depth = 0;
    sp = 1;
    while (sp > 0 && rc == 0) {
        struct pending cur = stack[--sp];
        if (cur.dir->listed == -2) {
            res->entries_limited = 1;
            rc = 1;
        } else if (cur.dir->listed != 1) {
            res->errors++;
            if (cur.depth == 0) {
                errno = EACCES;
                rc = -1;
            }
        }
        if (rc == 0 && enter && cur.dir->listed == 1 && enter(cur.path, cur.dir, opaque) < 0)
            rc = 1;
        size_t first_child = sp;
        for (size_t i = 0; rc == 0 && cur.dir->listed == 1 && i < cur.dir->nkids; i++) {
            const struct tree_node *k = &cur.dir->kids[i];
            char path[4096];
            if (res->entries >= t->lim.max_entries) {
                res->entries_limited = 1;
                rc = 1;
                break;
            }
            if (vfs_join(path, sizeof path, cur.path, k->name) < 0 || !k->stat_ok) {
                res->errors++;
                continue;
            }
            res->entries++;
            if (fn(path, k, opaque) < 0) {
                rc = 1;
                break;
            }
            if (k->st.type != VFS_DIR)
                continue;
            if (cur.depth + 1 >= t->lim.max_depth) {
                res->depth_limited = 1;
                continue;
            }
            if (grow_array((void **)&stack, &cap, sp, sizeof *stack, 64) < 0 ||
                !(stack[sp].path = strdup(path))) {
                errno = ENOMEM;
                rc = -1;
                break;
            }
            stack[sp].dir = k;
            stack[sp++].depth = cur.depth + 1;
        }
        /* Reverse the children just pushed so the smallest name pops first. */
        for (size_t a = first_child, b = sp; a + 1 < b; a++, b--) {
            struct pending tmp = stack[a];
            stack[a] = stack[b - 1];
            stack[b - 1] = tmp;
        }
        free(cur.path);
    }
    while (sp > 0)
        free(stack[--sp].path);
    free(stack);
    return rc < 0 ? -1 : 0;
}

static void free_kids(struct tree_node *n)
{
    /* Iterative: hostile trees are deep.  Each directory's kids are freed
     * after their own kids, found by walking down from n again. */
    while (n->nkids) {
        struct tree_node *p = n;
        for (;;) {
            struct tree_node *last = &p->kids[p->nkids - 1];
            if (last->nkids) {
                p = last;
                continue;
            }
            free(last->name);
            free(last->link);
            free(last->kids);
            last->kids = NULL;
            if (--p->nkids == 0) {
                free(p->kids);
                p->kids = NULL;
            }
            break;
        }
    }
}

struct ext_index *tree_index(struct tree *t, uint64_t dev)
{
    return ext_of(t, dev);
}

const struct vfs_stat *tree_root(const struct tree *t)
{
    return &t->root.st;
}

const struct tree_stats *tree_stats(const struct tree *t)
{
    return &t->stats;
}

void tree_free(struct tree *t)
{
    if (!t)
        return;
    free_kids(&t->root);
    for (size_t i = 0; i < t->njobs; i++)
        free(t->jobs[i].path);
    free(t->jobs);
    if (t->rootfd >= 0)
        close(t->rootfd);
    for (size_t i = 0; i < t->next; i++)
        ext_index_close(t->ext[i].x);
    mounts_free(&t->mounts);
    pthread_mutex_destroy(&t->lock);
    pthread_cond_destroy(&t->cond);
    free(t);
}
