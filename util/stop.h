/* Stopping a run early: SIGINT/SIGTERM (the user or the pipeline gives up)
 * and --timeout.  Either way the appliance is killed at once, so a call
 * blocked in it returns, every later vfs call fails fast, the scanners
 * unwind, and main cleans up: no temporary file or qemu is left behind. */
#ifndef LIFTCHECK_STOP_H
#define LIFTCHECK_STOP_H

#include <sys/types.h>

enum stop_reason { STOP_NONE = 0, STOP_SIGNAL, STOP_TIMEOUT };

/* Installs the handlers; timeout_s > 0 arms the whole-run timer. */
void stop_setup(unsigned timeout_s);
/* The qemu process to kill when a stop is requested (0: none). */
void stop_set_victim(pid_t pid);
enum stop_reason stop_requested(void);
int stop_signal_number(void);

#endif
