#include "stop.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t reason, signo;
static volatile pid_t victim;

static void on_signal(int sig)
{
    if (!reason) {
        reason = sig == SIGALRM ? STOP_TIMEOUT : STOP_SIGNAL;
        signo = sig;
    }
    if (victim > 0)
        kill(victim, SIGKILL);
}

void stop_setup(unsigned timeout_s)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGALRM, &sa, NULL);
    if (timeout_s)
        alarm(timeout_s);
}

void stop_set_victim(pid_t pid)
{
    victim = pid;
    if (reason && pid > 0)
        kill(pid, SIGKILL);
}

enum stop_reason stop_requested(void) { return (enum stop_reason)reason; }
int stop_signal_number(void) { return signo; }
