/* The appliance's mount listing (common/tree/mounts.h): its "mount" lines carry
 * guest mount points (escaped), which the host parses to decide whose tree
 * it reads.  Whatever parses must print back and parse the same. */
#include "fuzz.h"
#include "common/tree/mounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    struct mounts ms, again;
    if (mounts_parse(text, &ms) == 0) {
        for (size_t i = 0; i < ms.n; i++) {
            const struct mount *m = &ms.m[i];
            if (!m->path || m->path[0] != '/' || (strcmp(m->path, "/") && !m->parent))
                abort();
            if (mounts_at(&ms, m->path) == NULL)
                abort();
            (void)mounts_is_point(&ms, m->path);
            (void)mounts_has_child(&ms, m->path);
        }
        char *printed = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&printed, &len);
        if (f) {
            mounts_print(&ms, f);
            fclose(f);
            if (mounts_parse(printed, &again) == 0) {
                /* Paths stop at a NUL, so only what printed whole compares. */
                if (again.n != ms.n)
                    abort();
                for (size_t i = 0; i < ms.n; i++)
                    if (strcmp(again.m[i].path, ms.m[i].path) || again.m[i].dev != ms.m[i].dev ||
                        again.m[i].start != ms.m[i].start)
                        abort();
                mounts_free(&again);
            }
            free(printed);
        }
        mounts_free(&ms);
    }
    free(text);
    return 0;
}
