/* The probe's progress file, read by the host while the probe runs:
 * "PHASE DONE TOTAL" (probe_run.c names the phases).  Progress is a
 * courtesy: a failed write never fails the probe. */
#ifndef LIFTCHECK_PROBE_PROGRESS_H
#define LIFTCHECK_PROBE_PROGRESS_H

#include <pthread.h>

enum probe_phase { PHASE_WALK = 1, PHASE_HEADS = 2, PHASE_ELF = 3, PHASE_WHOLE = 4 };

struct probe_progress {
    int fd;
    unsigned phase;
    unsigned long long done, total, shown;
    pthread_mutex_t lock;
};

void pprogress_open(struct probe_progress *p, const char *path);
void pprogress_phase(struct probe_progress *p, enum probe_phase phase,
                     unsigned long long total);
/* Adds to DONE (from any thread); rewrites the file now and then. */
void pprogress_add(struct probe_progress *p, unsigned long long n);
void pprogress_close(struct probe_progress *p);

#endif
