#include "parallel.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_THREADS 32

struct par_run {
    const struct par_loop *loop;
    size_t n;
    size_t next;            /* next index to take, atomically */
};

static void *worker(void *arg)
{
    struct par_run *r = arg;
    const struct par_loop *l = r->loop;
    void *local = l->local_new ? l->local_new(l->ctx) : NULL;
    size_t i;

    while ((i = __atomic_fetch_add(&r->next, 1, __ATOMIC_RELAXED)) < r->n)
        l->fn(l->ctx, local, i);
    if (l->local_free && local)
        l->local_free(local);
    return NULL;
}

void parallel_for(size_t n, unsigned threads, const struct par_loop *loop)
{
    struct par_run r = {.loop = loop, .n = n};
    pthread_t th[MAX_THREADS];
    unsigned started = 0;

    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    if (threads > n)
        threads = (unsigned)n;
    for (unsigned k = 1; k < threads; k++)
        if (pthread_create(&th[started], NULL, worker, &r) == 0)
            started++;
    worker(&r);
    for (unsigned k = 0; k < started; k++)
        pthread_join(th[k], NULL);
}

unsigned io_threads(void)
{
    /* For measurements: the probe's environment is the appliance's. */
    const char *env = getenv("LIFTCHECK_PROBE_THREADS");
    if (env && atoi(env) > 0)
        return (unsigned)(atoi(env) > MAX_THREADS ? MAX_THREADS : atoi(env));
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus < 1)
        cpus = 1;
    long t = cpus * 8;
    return (unsigned)(t > MAX_THREADS ? MAX_THREADS : t);
}
