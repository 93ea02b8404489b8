#include "helper_path.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef LIFTCHECK_LIBEXECDIR
#define LIFTCHECK_LIBEXECDIR "/usr/local/libexec/liftcheck"
#endif

static int regular(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int helper_path(const char *env_name, const char *build_rel, const char *name, char *out,
                size_t cap)
{
    const char *env = getenv(env_name);
    char self[PATH_MAX];

    if (env && *env) {
        snprintf(out, cap, "%s", env);
        return regular(out) ? 0 : -1;
    }
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        if (slash) {
            *slash = '\0';
            int w = snprintf(out, cap, "%s/%s", self, build_rel);
            if (w > 0 && (size_t)w < cap && regular(out))
                return 0;
        }
    }
    snprintf(out, cap, "%s/%s", LIFTCHECK_LIBEXECDIR, name);
    return regular(out) ? 0 : -1;
}
