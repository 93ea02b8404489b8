/* The monotonic clock in milliseconds: durations and watchdogs, never
 * moved by a change of the wall clock. */
#ifndef LIFTCHECK_CLOCK_H
#define LIFTCHECK_CLOCK_H

#include <time.h>

static inline long long mono_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

#endif
