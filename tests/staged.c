/* Staged test trees and their optional parts (staged.h). */
#include "staged.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/jdoc.h"
#include "model/report.h"

const char *staged_skipped(const char *skips, const char *part)
{
    size_t n = strlen(part);
    for (const char *l = skips; *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] == '\n'))
        if (!strncmp(l, part, n) && l[n] == ':')
            return l;
    return NULL;
}

static void read_skips(const char *dir, char *skips, size_t cap)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/expect/skips.txt", dir);
    skips[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    size_t n = fread(skips, 1, cap - 1, f);
    skips[n] = '\0';
    fclose(f);
}

int staged_run(const char *name, const char *script, const char *dir, const char *part,
               const struct staged_test *tests, size_t n, char *skips, size_t cap,
               CMFixtureFunction setup, CMFixtureFunction teardown)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "bash '%s' '%s' >'%s.log' 2>&1", script, dir, dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "staging failed, see %s.log\n", dir);
        return 1;
    }
    read_skips(dir, skips, cap);
    const char *why = part ? staged_skipped(skips, part) : NULL;
    if (why) {
        printf("skipped: %.*s\n", (int)strcspn(why, "\n"), why);
        return STAGED_SKIPPED;
    }
    struct CMUnitTest *run = calloc(n ? n : 1, sizeof *run);
    size_t k = 0;
    if (!run)
        return 1;
    for (size_t i = 0; i < n; i++)
        if (part ? tests[i].part && !strcmp(tests[i].part, part) : !tests[i].part)
            run[k++] = tests[i].test;
    if (!k) {
        fprintf(stderr, "no checks for part %s\n", part ? part : "(none)");
        free(run);
        return 1;
    }
    int rc = _cmocka_run_group_tests(name, run, k, setup, teardown);
    free(run);
    return rc ? 1 : 0;
}

void staged_as_written(struct report *r)
{
    json_object *w = json_tokener_parse(json_object_to_json_string_ext(r->doc, JSON_C_TO_STRING_PRETTY));
    assert_non_null(w);
    json_object_put(r->doc);
    r->doc = w;
    r->findings = doc_arr(w, "findings");
}
