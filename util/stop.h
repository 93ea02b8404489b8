/* Stopping a run early: SIGINT/SIGTERM (the user or the pipeline gives up),
 * --timeout, and a wait that stalls.  Either way the appliance is killed at
 * once, so a call blocked in it returns, every later vfs call fails fast,
 * the scanners unwind, and main cleans up: no temporary file or qemu is
 * left behind.
 *
 * A watchdog thread keeps the time: the whole run's --timeout, and the
 * current wait on something outside the process (the appliance's launch,
 * each call into it, the probe, qemu-img, a read of an input disk), which
 * may go stall_s seconds without progress.  A run that cannot unwind (a
 * read stuck in the kernel) is ended STOP_GRACE_S seconds later. */
#ifndef LIFTCHECK_STOP_H
#define LIFTCHECK_STOP_H

#include <sys/types.h>

enum stop_reason { STOP_NONE = 0, STOP_SIGNAL, STOP_TIMEOUT, STOP_STALL };

#define STOP_GRACE_S 30

/* Installs the handlers and starts the watchdog; timeout_s > 0 bounds the
 * whole run, stall_s > 0 every wait. */
void stop_setup(unsigned timeout_s, unsigned stall_s);
/* The qemu process to kill when a stop is requested (0: none). */
void stop_set_victim(pid_t pid);
/* Finds the process to kill while no victim is known (qemu during the
 * launch); NULL: none. */
void stop_set_victim_finder(pid_t (*find)(void));
/* The run now waits for `what` ("the appliance (libguestfs call mount_ro)"):
 * its clock starts. */
void stop_wait(const char *what);
/* What the run waits for made progress: its clock starts again. */
void stop_wait_progress(void);
/* The wait is over; the process works on its own. */
void stop_wait_done(void);
/* Stops the run as stalled on `what`, found by the caller (the probe's
 * progress record did not move in stall seconds). */
void stop_stalled(const char *what);
unsigned stop_stall_seconds(void);
enum stop_reason stop_requested(void);
int stop_signal_number(void);
/* For STOP_TIMEOUT and STOP_STALL: the stage and what the run waited for,
 * one line. */
const char *stop_description(void);
/* For STOP_STALL on the appliance: whether its qemu was running and how
 * much CPU it used while the wait's clock ran, one line; "" otherwise. */
const char *stop_appliance_account(void);

#endif
