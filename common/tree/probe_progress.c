#include "probe_progress.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EVERY 500

/* Under the lock. */
static void show(struct probe_progress *p, char state)
{
    if (p->fd < 0)
        return;
    memset(p->rec, ' ', PROGRESS_RECORD);
    int n = snprintf((char *)p->rec, PROGRESS_RECORD, "%u %llu %llu %c\n", p->phase, p->done,
                     p->total, state);
    p->rec[n] = ' ';
    if (pwrite(p->fd, p->rec, PROGRESS_RECORD, (off_t)p->off) != PROGRESS_RECORD) {
        close(p->fd);
        p->fd = -1;
    }
    p->shown = p->done;
}

void pprogress_open(struct probe_progress *p, const char *path, unsigned long long off)
{
    struct stat st;
    void *rec = NULL;

    memset(p, 0, sizeof p[0]);
    p->fd = -1;
    p->phase = PHASE_WALK;
    pthread_mutex_init(&p->lock, NULL);
    if (!path || posix_memalign(&rec, PROGRESS_RECORD, PROGRESS_RECORD) != 0)
        return;
    p->rec = rec;
    if (stat(path, &st) == 0 && S_ISBLK(st.st_mode)) {
        /* Direct writes: the host reads the disk's backing file. */
        p->fd = open(path, O_WRONLY | O_DIRECT | O_CLOEXEC);
        p->off = off;
    } else {
        p->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    }
}

void pprogress_phase(struct probe_progress *p, enum probe_phase phase,
                     unsigned long long total)
{
    pthread_mutex_lock(&p->lock);
    p->phase = phase;
    p->done = 0;
    p->total = total;
    show(p, 'R');
    pthread_mutex_unlock(&p->lock);
}

void pprogress_add(struct probe_progress *p, unsigned long long n)
{
    if (!p)
        return;                 /* nobody watching */
    pthread_mutex_lock(&p->lock);
    p->done += n;
    if (p->done - p->shown >= EVERY || p->done >= p->total)
        show(p, 'R');
    pthread_mutex_unlock(&p->lock);
}

void pprogress_close(struct probe_progress *p, int ok)
{
    pthread_mutex_lock(&p->lock);
    show(p, ok ? 'D' : 'F');
    if (p->fd >= 0)
        close(p->fd);
    p->fd = -1;
    free(p->rec);
    p->rec = NULL;
    pthread_mutex_unlock(&p->lock);
    pthread_mutex_destroy(&p->lock);
}
