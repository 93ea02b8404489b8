/* libmagic over the first bytes of a guest file, read through the vfs: the
 * MIME type tells Java archives and scripts apart from data.  One cookie per
 * thread, opened on first use; apps_magic_close ends it. */
#include <magic.h>
#include <stdio.h>

#include "scanners/apps/apps_int.h"

#define MAGIC_HEAD (16u << 10)   /* bytes of a file libmagic sees */

static _Thread_local magic_t cookie;
static _Thread_local int tried;

const char *apps_magic_mime(vfs *v, const char *path, char *out, size_t cap)
{
    static _Thread_local unsigned char head[MAGIC_HEAD];
    if (!cookie && !tried) {
        tried = 1;
        cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_TAR);
        if (cookie && magic_load(cookie, NULL) != 0) {
            magic_close(cookie);
            cookie = NULL;
        }
    }
    ssize_t n = cookie ? vfs_pread(v, path, head, sizeof head, 0) : -1;
    const char *m = n > 0 ? magic_buffer(cookie, head, (size_t)n) : NULL;
    if (!m)
        return NULL;
    snprintf(out, cap, "%s", m);
    return out;
}

void apps_magic_close(void)
{
    if (cookie)
        magic_close(cookie);
    cookie = NULL;
    tried = 0;
}
