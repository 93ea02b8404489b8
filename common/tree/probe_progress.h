/* The probe's progress, read by the host while the probe runs: a text
 * record "PHASE DONE TOTAL STATE" (STATE R running, D done, F failed) at the
 * start of a file, or at an offset of the probe's disk, where the host reads
 * it in its own copy of the disk without a round trip into the appliance
 * (probe_run.c names the phases).  Progress is a courtesy: a failed write
 * never fails the probe. */
#ifndef LIFTCHECK_PROBE_PROGRESS_H
#define LIFTCHECK_PROBE_PROGRESS_H

#include <pthread.h>

enum probe_phase { PHASE_WALK = 1, PHASE_HEADS = 2, PHASE_ELF = 3, PHASE_WHOLE = 4 };

/* One aligned block: written around the page cache on a block device. */
#define PROGRESS_RECORD 4096

struct probe_progress {
    int fd;
    unsigned long long off;
    unsigned char *rec;         /* PROGRESS_RECORD bytes, aligned */
    unsigned phase;
    unsigned long long done, total, shown;
    pthread_mutex_t lock;
};

/* path NULL: no progress.  On a block device the record goes at off. */
void pprogress_open(struct probe_progress *p, const char *path, unsigned long long off);
void pprogress_phase(struct probe_progress *p, enum probe_phase phase,
                     unsigned long long total);
/* Adds to DONE (from any thread); rewrites the record now and then. */
void pprogress_add(struct probe_progress *p, unsigned long long n);
/* The last record: done (ok) or failed. */
void pprogress_close(struct probe_progress *p, int ok);

#endif
