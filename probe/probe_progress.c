#include "probe_progress.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#define EVERY 500

/* Under the lock. */
static void show(struct probe_progress *p)
{
    char buf[96];
    if (p->fd < 0)
        return;
    int n = snprintf(buf, sizeof buf, "%u %20llu %20llu\n", p->phase, p->done, p->total);
    if (pwrite(p->fd, buf, (size_t)n, 0) < 0) {
        close(p->fd);
        p->fd = -1;
    }
    p->shown = p->done;
}

void pprogress_open(struct probe_progress *p, const char *path)
{
    p->fd = path ? open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600) : -1;
    p->phase = PHASE_WALK;
    p->done = p->total = p->shown = 0;
    pthread_mutex_init(&p->lock, NULL);
}

void pprogress_phase(struct probe_progress *p, enum probe_phase phase,
                     unsigned long long total)
{
    pthread_mutex_lock(&p->lock);
    p->phase = phase;
    p->done = 0;
    p->total = total;
    show(p);
    pthread_mutex_unlock(&p->lock);
}

void pprogress_add(struct probe_progress *p, unsigned long long n)
{
    pthread_mutex_lock(&p->lock);
    p->done += n;
    if (p->done - p->shown >= EVERY || p->done >= p->total)
        show(p);
    pthread_mutex_unlock(&p->lock);
}

void pprogress_close(struct probe_progress *p)
{
    pthread_mutex_lock(&p->lock);
    show(p);
    if (p->fd >= 0)
        close(p->fd);
    p->fd = -1;
    pthread_mutex_unlock(&p->lock);
    pthread_mutex_destroy(&p->lock);
}
