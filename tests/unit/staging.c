#include "staging.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

static void path_of(char *out, size_t cap, const char *root, const char *rel)
{
    assert_true((size_t)snprintf(out, cap, "%s%s", root, rel) < cap);
}

void stage_put(const char *root, const char *rel, const void *data, size_t len)
{
    char p[1024];
    path_of(p, sizeof p, root, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

void stage_text(const char *root, const char *rel, const char *text)
{
    stage_put(root, rel, text, strlen(text));
}

void stage_dir(const char *root, const char *rel, unsigned mode)
{
    char p[1024];
    path_of(p, sizeof p, root, rel);
    assert_int_equal(mkdir(p, mode), 0);
    assert_int_equal(chmod(p, mode), 0);        /* whatever the umask */
}

void stage_link(const char *root, const char *target, const char *rel)
{
    char p[1024];
    path_of(p, sizeof p, root, rel);
    assert_int_equal(symlink(target, p), 0);
}

void stage_sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof cmd);
    assert_int_equal(system(cmd), 0);
}

int stage_tmpdir(char *dir, size_t cap, const char *name)
{
    int n = snprintf(dir, cap, "/tmp/liftcheck-%s-XXXXXX", name);
    return n > 0 && (size_t)n < cap && mkdtemp(dir) ? 0 : -1;
}

int stage_rmdir(const char *dir)
{
    char cmd[1200];
    if (strchr(dir, '\'') || (size_t)snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir) >= sizeof cmd)
        return -1;
    return system(cmd) == 0 ? 0 : -1;
}
