#include "prefetch.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_THREADS 32

struct dir_item {
    char *path;
    unsigned depth;
};

struct prefetch {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct dir_item *stack;     /* LIFO: depth first, like the walk */
    size_t n, cap;
    unsigned busy, max_depth;
    int stop;
    pthread_t th[MAX_THREADS];
    unsigned nth;
};

/* Under the lock. */
static void push(struct prefetch *p, char *path, unsigned depth)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 256;
        struct dir_item *t = realloc(p->stack, cap * sizeof *t);
        if (!t) {
            free(path);         /* the walk will read this subtree cold */
            return;
        }
        p->stack = t;
        p->cap = cap;
    }
    p->stack[p->n++] = (struct dir_item){path, depth};
}

static void list_dir(struct prefetch *p, struct dir_item it)
{
    int fd = open(it.path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    struct dirent *e;

    if (!d) {
        if (fd >= 0)
            close(fd);
        return;
    }
    while (!p->stop && (e = readdir(d))) {
        struct stat st;
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
            fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode) ||
            it.depth + 1 >= p->max_depth)
            continue;
        size_t len = strlen(it.path) + strlen(e->d_name) + 2;
        char *sub = malloc(len);
        if (!sub)
            continue;
        snprintf(sub, len, "%s/%s", it.path, e->d_name);
        pthread_mutex_lock(&p->lock);
        push(p, sub, it.depth + 1);
        pthread_cond_signal(&p->cond);
        pthread_mutex_unlock(&p->lock);
    }
    closedir(d);
}

static void *worker(void *arg)
{
    struct prefetch *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->stop && p->n == 0 && p->busy > 0)
            pthread_cond_wait(&p->cond, &p->lock);
        if (p->stop || (p->n == 0 && p->busy == 0))
            break;
        struct dir_item it = p->stack[--p->n];
        p->busy++;
        pthread_mutex_unlock(&p->lock);
        list_dir(p, it);
        free(it.path);
        pthread_mutex_lock(&p->lock);
        p->busy--;
        pthread_cond_broadcast(&p->cond);
    }
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

struct prefetch *prefetch_start(const char *root, unsigned threads, unsigned max_depth)
{
    struct prefetch *p = calloc(1, sizeof *p);
    char *start = strdup(root);

    if (!p || !start) {
        free(p);
        free(start);
        return NULL;
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->cond, NULL);
    p->max_depth = max_depth;
    push(p, start, 0);
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    for (unsigned i = 0; i < threads; i++)
        if (pthread_create(&p->th[p->nth], NULL, worker, p) == 0)
            p->nth++;
    if (!p->nth) {
        prefetch_stop(p);
        return NULL;
    }
    return p;
}

void prefetch_stop(struct prefetch *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stop = 1;
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
    for (unsigned i = 0; i < p->nth; i++)
        pthread_join(p->th[i], NULL);
    for (size_t i = 0; i < p->n; i++)
        free(p->stack[i].path);
    free(p->stack);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->cond);
    free(p);
}
