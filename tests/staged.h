/* Trees staged by a script at test time (tests/elf/stage.sh,
 * tests/apps/stage.sh) from what the host has installed.  A part the host
 * cannot stage (no gcc-multilib, no Go...) is listed in DIR/expect/skips.txt;
 * its checks run as their own meson test, which then exits 77, so the skip
 * shows in the summary instead of passing unseen. */
#ifndef TESTS_STAGED_H
#define TESTS_STAGED_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* The exit status meson counts as a skipped test. */
#define STAGED_SKIPPED 77

/* One check, and the optional part it needs (NULL: the tree itself). */
struct staged_test {
    const char *part;
    struct CMUnitTest test;
};

/* Runs SCRIPT DIR (output in DIR.log), reads DIR/expect/skips.txt into
 * SKIPS ("part: reason" lines) and runs the checks of PART (NULL: those
 * needing no part) with SETUP and TEARDOWN around them.  Returns the exit
 * status: cmocka's, 1 if staging failed, STAGED_SKIPPED if PART could not
 * be staged. */
int staged_run(const char *name, const char *script, const char *dir, const char *part,
               const struct staged_test *tests, size_t n, char *skips, size_t cap,
               CMFixtureFunction setup, CMFixtureFunction teardown);

struct report;
/* Replaces r's document by what it reads as once written and parsed back:
 * the report a user gets, where elf_files is a plain array. */
void staged_as_written(struct report *r);

/* The line of SKIPS that lists PART ("part: reason"), or NULL. */
const char *staged_skipped(const char *skips, const char *part);

#endif
