/* `liftcheck summary REPORT...` (model/summary.h rolls up, reports/summary.h
 * renders).  REPORTs are report files, a server's --output-dir, or
 * directories holding those one level down.  Exit code: 3 when a report
 * could not be read (the summary is still written and lists it), else 1
 * when a server has findings at the --fail-on level, else 4 when a report
 * says its scan was incomplete, else 0. */
#ifndef LIFTCHECK_SUMMARY_CMD_H
#define LIFTCHECK_SUMMARY_CMD_H

#include "cli.h"

int run_summary(const struct options *o);

#endif
