/* A process as /proc/PID/stat shows it: enough to find our qemu among our
 * children and, when a wait stalls, to tell a qemu that spins (CPU time
 * grows) from one that is blocked or stopped (it does not). */
#ifndef LIFTCHECK_PROC_STAT_H
#define LIFTCHECK_PROC_STAT_H

#include <sys/types.h>

struct proc_stat {
    char comm[32];          /* the executable's name, cut at 15 bytes by the kernel */
    char state;             /* the main thread's: R running, S sleeping, D in the
                             * kernel, T stopped, Z gone */
    pid_t ppid;
    long long cpu_ms;       /* user and system time of all its threads */
};

/* 0, or -1 when the process is gone or its line cannot be read. */
int proc_stat_read(pid_t pid, struct proc_stat *out);
/* A few words for state: "stopped", "exited", "blocked in the kernel", or
 * "alive" (running or sleeping: the state is the main thread's, and qemu's
 * sleeps in its event loop while a vCPU thread spins, so only the CPU time
 * tells those apart). */
const char *proc_state_words(char state);

#endif
