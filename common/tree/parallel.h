/* A parallel loop for the probe's I/O-bound phases: under emulation each
 * read in the appliance is a long round trip, and several in flight
 * overlap. */
#ifndef LIFTCHECK_PROBE_PARALLEL_H
#define LIFTCHECK_PROBE_PARALLEL_H

#include <stddef.h>

/* Per-thread state: made by local_new (NULL from it = no state) and freed
 * by local_free; either may be NULL. */
struct par_loop {
    void (*fn)(void *ctx, void *local, size_t i);
    void *(*local_new)(void *ctx);
    void (*local_free)(void *local);
    void *ctx;
};

/* Calls fn(ctx, local, i) once for every i in [0, n), on up to threads
 * threads (on the calling thread if none can start). */
void parallel_for(size_t n, unsigned threads, const struct par_loop *loop);

/* Threads for I/O-bound work on this machine. */
unsigned io_threads(void);

#endif
