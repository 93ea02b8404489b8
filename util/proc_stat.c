#include "proc_stat.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

int proc_stat_read(pid_t pid, struct proc_stat *out)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* "pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt
     * majflt cmajflt utime stime ...": comm may hold spaces and ')', so
     * the fields start after the last ')'. */
    char *open = strchr(buf, '('), *close = strrchr(buf, ')');
    if (!open || !close || close < open)
        return -1;
    size_t clen = (size_t)(close - open - 1);
    if (clen >= sizeof out->comm)
        clen = sizeof out->comm - 1;
    memcpy(out->comm, open + 1, clen);
    out->comm[clen] = '\0';
    int ppid;
    unsigned long long utime, stime;
    if (sscanf(close + 1, " %c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
               &out->state, &ppid, &utime, &stime) != 4)
        return -1;
    out->ppid = (pid_t)ppid;
    long hz = sysconf(_SC_CLK_TCK);
    out->cpu_ms = (long long)((utime + stime) * 1000ULL / (unsigned long long)(hz > 0 ? hz : 100));
    return 0;
}

const char *proc_state_words(char state)
{
    switch (state) {
    case 'D': return "blocked in the kernel";
    case 'T': case 't': return "stopped";
    case 'Z': case 'X': return "exited";
    default: return "alive";
    }
}
