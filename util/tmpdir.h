/* Where temporary files go: $TMPDIR, like libguestfs, else /tmp. */
#ifndef LIFTCHECK_TMPDIR_H
#define LIFTCHECK_TMPDIR_H

#include <stdlib.h>

static inline const char *tmp_dir(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

#endif
