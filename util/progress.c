#include "progress.h"

#include "xalloc.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int q_quiet, q_progress;
static int line_open;   /* a percentage line is drawn without newline */
static struct timespec t_start;
/* The current stage, kept even without progress lines: a stopped run
 * names it.  The watchdog thread reads it. */
static pthread_mutex_t stage_mu = PTHREAD_MUTEX_INITIALIZER;
static char *stage;     /* NULL: "preparing the disks" */

static double elapsed(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t_start.tv_sec) + (double)(t.tv_nsec - t_start.tv_nsec) / 1e9;
}

void progress_setup(int quiet, int progress)
{
    q_quiet = quiet;
    q_progress = progress && !quiet;
    clock_gettime(CLOCK_MONOTONIC, &t_start);
}

int progress_enabled(void) { return q_progress; }

static void close_line(void)
{
    if (line_open) {
        fputc('\n', stderr);
        line_open = 0;
    }
}

void progress_stage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = xvasprintf(fmt, ap), *old;
    va_end(ap);
    pthread_mutex_lock(&stage_mu);
    old = stage;
    stage = text;
    pthread_mutex_unlock(&stage_mu);
    free(old);
    if (!q_progress)
        return;
    close_line();
    fprintf(stderr, "liftcheck: [%6.1fs] ", elapsed());
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

char *progress_stage_copy(void)
{
    pthread_mutex_lock(&stage_mu);
    char *copy = xstrdup(stage ? stage : "preparing the disks");
    pthread_mutex_unlock(&stage_mu);
    return copy;
}

void progress_percent(unsigned long long done, unsigned long long total)
{
    if (!q_progress || total == 0)
        return;
    fprintf(stderr, "\r  %3llu%%", done * 100 / total);
    line_open = done < total;
    if (!line_open)
        fputc('\n', stderr);
}

static void message(const char *fmt, va_list ap)
{
    close_line();
    fputs("liftcheck: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void alert(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    message(fmt, ap);
    va_end(ap);
}

void notice(const char *fmt, ...)
{
    va_list ap;
    if (q_quiet)
        return;
    va_start(ap, fmt);
    message(fmt, ap);
    va_end(ap);
}
