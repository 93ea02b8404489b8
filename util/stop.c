#include "stop.h"

#include "clock.h"
#include "proc_stat.h"
#include "progress.h"
#include "xalloc.h"

#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t reason, signo;
static volatile pid_t victim;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pid_t (*finder)(void);
static unsigned run_timeout_s, stall_s;
static long long deadline_ms, wait_since_ms, stopped_ms;
static atomic_int waiting;          /* a wait is on: the hot path's test */
/* Both written under mu; the watchdog reads wait_what under mu too.  The
 * description is set once, when the stop is decided, and never freed. */
static char *wait_what;
static char *description;
static int victim_killed;
/* The appliance's CPU time when the current wait's clock last started, so
 * that a stall can say whether qemu spun or sat idle meanwhile; and that
 * account, once the stop is decided (never freed). */
static pid_t sample_pid;
static long long sample_cpu_ms, sample_since_ms, sample_at_ms;
static char *victim_account;

static void on_signal(int sig)
{
    if (!reason) {
        reason = STOP_SIGNAL;
        signo = sig;
    }
    if (victim > 0)
        kill(victim, SIGKILL);
}

/* Records why the run stops (mu held) and says so on stderr. */
static void describe(enum stop_reason why, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *what = xvasprintf(fmt, ap);
    va_end(ap);
    char *stage = progress_stage_copy();
    description = xasprintf("%s, in stage '%s'", what, stage);
    free(what);
    free(stage);
    reason = why;
    alert("stopped: %s", description);
}

/* The appliance's process (mu held): the victim, or while it is not known
 * yet (the launch), what the finder finds; 0 when there is none. */
static pid_t appliance_pid(void)
{
    return victim > 0 ? victim : finder ? finder() : 0;
}

/* Kills the appliance once a stop is requested (mu held). */
static void kill_victim(void)
{
    pid_t pid = appliance_pid();
    if (pid > 0 && !victim_killed) {
        kill(pid, SIGKILL);
        victim_killed = 1;
    }
}

/* Notes the appliance's CPU time as the wait's clock starts again (mu held). */
static void sample_appliance(void)
{
    struct proc_stat st;
    sample_since_ms = wait_since_ms;
    sample_at_ms = mono_ms();
    sample_pid = appliance_pid();
    sample_cpu_ms = sample_pid > 0 && proc_stat_read(sample_pid, &st) == 0 ? st.cpu_ms : 0;
}

/* Says what the appliance did since its CPU time was last noted, i.e. while
 * the stalled wait's clock ran (mu held, before it is killed): a qemu that
 * used no CPU was blocked or stopped, one that used all it could spun
 * without a word; no qemu at all during the launch means libguestfs had not
 * started it. */
static void account_for_appliance(long long now)
{
    struct proc_stat st;
    if (victim <= 0 && !finder)
        return;     /* the wait was not on the appliance */
    pid_t pid = appliance_pid();
    long long waited_s = (now - (sample_at_ms ? sample_at_ms : wait_since_ms) + 500) / 1000;
    if (pid <= 0)
        victim_account = xasprintf("no qemu process was running in the last %lld s: "
                                   "libguestfs had not started it", waited_s);
    else if (proc_stat_read(pid, &st) < 0)
        victim_account = xasprintf("qemu (pid %d) had exited", (int)pid);
    else {
        long long used = st.cpu_ms - (pid == sample_pid ? sample_cpu_ms : 0);
        victim_account = xasprintf("qemu (pid %d) was %s and had used %lld.%lld s of CPU "
                                   "in the last %lld s", (int)pid, proc_state_words(st.state),
                                   used / 1000, used % 1000 / 100, waited_s);
    }
    alert("%s", victim_account);
}

static void *watchdog_main(void *arg)
{
    (void)arg;
    const struct timespec tick = {0, 200 * 1000 * 1000};
    for (;;) {
        nanosleep(&tick, NULL);
        long long now = mono_ms();
        pthread_mutex_lock(&mu);
        if (!reason && deadline_ms && now >= deadline_ms)
            describe(STOP_TIMEOUT, "--timeout %u s reached", run_timeout_s);
        else if (!reason && stall_s && atomic_load(&waiting) &&
                 now - wait_since_ms >= (long long)stall_s * 1000) {
            describe(STOP_STALL, "no progress in %u s waiting for %s", stall_s, wait_what);
            account_for_appliance(now);
        } else if (!reason && stall_s && atomic_load(&waiting) &&
                   wait_since_ms != sample_since_ms)
            sample_appliance();
        if (reason) {
            kill_victim();
            if (!stopped_ms)
                stopped_ms = now;
            else if (now - stopped_ms >= STOP_GRACE_S * 1000) {
                /* Blocked where killing qemu does not reach (a read stuck
                 * in the kernel): end the run without its report. */
                alert("the run did not stop within %d s; exiting", STOP_GRACE_S);
                _exit(reason == STOP_SIGNAL ? 128 + signo : 4);
            }
        }
        pthread_mutex_unlock(&mu);
    }
    return NULL;
}

void stop_setup(unsigned timeout_s, unsigned stall)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    run_timeout_s = timeout_s;
    stall_s = stall;
    if (timeout_s)
        deadline_ms = mono_ms() + (long long)timeout_s * 1000;
    /* The watchdog takes no signal: they go to the thread that waits. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_t th;
    if (pthread_create(&th, NULL, watchdog_main, NULL) == 0)
        pthread_detach(th);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void stop_set_victim(pid_t pid)
{
    pthread_mutex_lock(&mu);
    victim = pid;
    victim_killed = 0;
    if (reason && pid > 0)
        kill_victim();
    pthread_mutex_unlock(&mu);
}

void stop_set_victim_finder(pid_t (*find)(void))
{
    pthread_mutex_lock(&mu);
    finder = find;
    pthread_mutex_unlock(&mu);
}

void stop_wait(const char *what)
{
    char *copy = xstrdup(what), *old;
    pthread_mutex_lock(&mu);
    old = wait_what;
    wait_what = copy;
    wait_since_ms = mono_ms();
    atomic_store(&waiting, 1);
    pthread_mutex_unlock(&mu);
    free(old);
}

void stop_wait_progress(void)
{
    if (!atomic_load(&waiting))
        return;
    pthread_mutex_lock(&mu);
    wait_since_ms = mono_ms();
    pthread_mutex_unlock(&mu);
}

void stop_wait_done(void)
{
    if (atomic_load(&waiting))
        atomic_store(&waiting, 0);
}

void stop_stalled(const char *what)
{
    pthread_mutex_lock(&mu);
    if (!reason) {
        describe(STOP_STALL, "no progress in %u s from %s", stall_s, what);
        account_for_appliance(mono_ms());
        kill_victim();
    }
    pthread_mutex_unlock(&mu);
}

unsigned stop_stall_seconds(void) { return stall_s; }
enum stop_reason stop_requested(void) { return (enum stop_reason)reason; }
int stop_signal_number(void) { return signo; }

const char *stop_appliance_account(void)
{
    pthread_mutex_lock(&mu);
    const char *a = victim_account ? victim_account : "";
    pthread_mutex_unlock(&mu);
    return a;
}

const char *stop_description(void)
{
    pthread_mutex_lock(&mu);
    const char *d = description ? description : "";
    pthread_mutex_unlock(&mu);
    return d;
}
