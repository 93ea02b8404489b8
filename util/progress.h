/* Messages on stderr: progress for long work (only on a terminal, unless
 * silenced) and notices that matter even in a pipeline log. */
#ifndef LIFTCHECK_PROGRESS_H
#define LIFTCHECK_PROGRESS_H

#include <stddef.h>

/* quiet: no notices at all; progress: stage and percent lines allowed. */
void progress_setup(int quiet, int progress);
int progress_enabled(void);
/* A stage of the run ("launching appliance"), shown only with progress. */
void progress_stage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A copy of the last stage named, shown or not ("preparing the disks"
 * before any); caller frees. */
char *progress_stage_copy(void);
/* A percentage of the current stage, redrawn in place. */
void progress_percent(unsigned long long done, unsigned long long total);
/* A notice every user should see (TCG fallback, probed format), unless quiet. */
void notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A message that shows even with -q (a run that stops on its own). */
void alert(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
