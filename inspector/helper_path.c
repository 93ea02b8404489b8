#include "helper_path.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef LIFTCHECK_LIBEXECDIR
#define LIFTCHECK_LIBEXECDIR "/usr/local/libexec/liftcheck"
#endif
/* libexecdir/liftcheck seen from bindir, e.g. "../libexec/liftcheck". */
#ifndef LIFTCHECK_BIN_TO_LIBEXEC
#define LIFTCHECK_BIN_TO_LIBEXEC "../libexec/liftcheck"
#endif

const struct helper HELPER_PROBE = {"LIFTCHECK_PROBE", "probe/liftcheck-probe",
                                    "liftcheck-probe"};
const struct helper HELPER_QEMU_TCG = {"LIFTCHECK_QEMU_TCG", "inspector/liftcheck-qemu-tcg",
                                       "liftcheck-qemu-tcg"};

static int regular(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* <dir>/<rel> into out if it fits and is a regular file. */
static int try_in(const char *dir, const char *rel, char *out, size_t cap)
{
    int w = snprintf(out, cap, "%s/%s", dir, rel);
    return w > 0 && (size_t)w < cap && regular(out);
}

int helper_path(const struct helper *h, char *out, size_t cap)
{
    const char *env = getenv(h->env_name);
    char self[PATH_MAX], rel[PATH_MAX];

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
            if (try_in(self, h->build_rel, out, cap))
                return 0;
            snprintf(rel, sizeof rel, "%s/%s", LIFTCHECK_BIN_TO_LIBEXEC, h->name);
            if (*LIFTCHECK_BIN_TO_LIBEXEC && try_in(self, rel, out, cap))
                return 0;
        }
    }
    snprintf(out, cap, "%s/%s", LIFTCHECK_LIBEXECDIR, h->name);
    return regular(out) ? 0 : -1;
}

void helper_paths_print(FILE *f)
{
    static const struct {
        const char *label;
        const struct helper *h;
    } all[] = {{"probe", &HELPER_PROBE}, {"qemu wrapper (TCG)", &HELPER_QEMU_TCG}};
    char path[PATH_MAX];

    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (helper_path(all[i].h, path, sizeof path) == 0)
            fprintf(f, "%s: %s\n", all[i].label, path);
        else
            fprintf(f, "%s: not found (looked for %s)\n", all[i].label, path);
    }
}
