#include "run_capture.h"

#include "util/stop.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

int run_capture(char *const argv[], size_t cap, int timeout_ms, char **out, char **errout)
{
    int po[2] = {-1, -1}, pe[2] = {-1, -1}, status = -1;
    posix_spawn_file_actions_t fa;
    pid_t pid;
    char *buf[2] = {NULL, NULL};
    size_t len[2] = {0, 0}, size[2] = {0, 0};

    if (pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0)
        goto out;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, po[1], 1);
    posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    int sr = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(po[1]);
    close(pe[1]);
    po[1] = pe[1] = -1;
    if (sr != 0) {
        errno = sr;
        goto out;
    }
    char what[128];
    snprintf(what, sizeof what, "%s%s%s", argv[0], argv[1] ? " " : "", argv[1] ? argv[1] : "");
    stop_wait(what);
    struct pollfd pfd[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int open_fds = 2, killed = 0;
    while (open_fds > 0) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long elapsed = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
        if (elapsed > timeout_ms || stop_requested()) {
            kill(pid, SIGKILL);
            killed = 1;
            break;
        }
        if (poll(pfd, 2, 500) < 0 && errno != EINTR)
            break;
        for (int i = 0; i < 2; i++) {
            if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP)))
                continue;
            char chunk[8192];
            ssize_t n = read(pfd[i].fd, chunk, sizeof chunk);
            if (n <= 0) {
                pfd[i].fd = -1;
                open_fds--;
                continue;
            }
            if (len[i] + (size_t)n > cap)
                continue;   /* drop the excess, keep draining */
            if (len[i] + (size_t)n + 1 > size[i]) {
                size_t want = size[i] ? size[i] : 16384;
                while (want < len[i] + (size_t)n + 1)
                    want *= 2;
                char *nb = realloc(buf[i], want);
                if (!nb)
                    continue;
                buf[i] = nb;
                size[i] = want;
            }
            memcpy(buf[i] + len[i], chunk, (size_t)n);
            len[i] += (size_t)n;
            buf[i][len[i]] = '\0';
        }
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    stop_wait_done();
    if (killed)
        status = -1;
    else
        status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
out:
    for (int i = 0; i < 2; i++) {
        if (po[i] >= 0) close(po[i]);
        if (pe[i] >= 0) close(pe[i]);
    }
    *out = buf[0];
    *errout = buf[1];
    return status;
}
