/* util/stop.c: the watchdog behind --timeout and --stall-timeout.  A stop
 * is once per process, so every case but the last runs in a child. */
#include <setjmp.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/progress.h"
#include "util/stop.h"

static void pause_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0)
        ;
}

/* Runs a case in a child of its own (a stop is once per process); the
 * case returns 1 when it holds. */
static void in_child(int (*check)(void))
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(check() ? 0 : 1);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static int timeout_in_any_stage(void)
{
    progress_setup(1, 0);
    progress_stage("launching the appliance (TCG)");
    stop_setup(1, 0);
    pause_ms(1600);
    return stop_requested() == STOP_TIMEOUT &&
           strstr(stop_description(), "--timeout 1 s reached") &&
           strstr(stop_description(), "in stage 'launching the appliance (TCG)'");
}

static void test_timeout_in_any_stage(void **state)
{
    (void)state;
    in_child(timeout_in_any_stage);
}

static void test_stalled_wait_kills_the_victim(void **state)
{
    (void)state;
    progress_setup(1, 0);
    stop_setup(0, 1);
    progress_stage("mounting filesystems read-only");

    /* A wait that ends, or that makes progress, is no stall. */
    stop_wait("a quick thing");
    stop_wait_done();
    pause_ms(1500);
    assert_int_equal(stop_requested(), STOP_NONE);
    stop_wait("a slow thing");
    for (int i = 0; i < 8; i++) {
        pause_ms(200);
        stop_wait_progress();
    }
    stop_wait_done();
    assert_int_equal(stop_requested(), STOP_NONE);

    /* One that does not: the run stops and the victim is killed. */
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        pause();
        _exit(0);
    }
    stop_set_victim(child);
    stop_wait("the stand-in (libguestfs call mount_ro)");
    for (int i = 0; i < 30 && !stop_requested(); i++)
        pause_ms(100);
    assert_int_equal(stop_requested(), STOP_STALL);
    assert_string_equal(stop_description(),
                        "no progress in 1 s waiting for the stand-in (libguestfs call mount_ro), "
                        "in stage 'mounting filesystems read-only'");
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);
    /* What the appliance did meanwhile: this one slept. */
    char want[96];
    snprintf(want, sizeof want, "qemu (pid %d) was alive and had used 0.", (int)child);
    assert_non_null(strstr(stop_appliance_account(), want));
    assert_non_null(strstr(stop_appliance_account(), " s of CPU in the last 1 s"));
    stop_set_victim(0);
}

/* One that spins says so: a busy qemu is told from a blocked one. */
static int stall_on_a_spinning_victim(void)
{
    progress_setup(1, 0);
    stop_setup(0, 2);
    pid_t spinner = fork();
    if (spinner == 0)
        for (volatile unsigned long n = 0;; n++)
            ;
    stop_set_victim(spinner);
    stop_wait("the stand-in (libguestfs call mount_ro)");
    for (int i = 0; i < 50 && !stop_requested(); i++)
        pause_ms(100);
    const char *a = stop_appliance_account();
    char want[64];
    snprintf(want, sizeof want, "qemu (pid %d) was alive", (int)spinner);
    int ok = stop_requested() == STOP_STALL && strstr(a, want) &&
             !strstr(a, "had used 0.0 s") && strstr(a, " s of CPU in the last 2 s");
    if (!ok)
        fprintf(stderr, "account: %s\n", a);
    kill(spinner, SIGKILL);     /* killed already when the stop worked */
    waitpid(spinner, NULL, 0);
    return ok;
}

static void test_stall_on_a_spinning_victim(void **state)
{
    (void)state;
    in_child(stall_on_a_spinning_victim);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timeout_in_any_stage),
        cmocka_unit_test(test_stall_on_a_spinning_victim),
        cmocka_unit_test(test_stalled_wait_kills_the_victim),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
