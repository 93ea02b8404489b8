/* Package ownership from Alpine's /lib/apk/db/installed: one stanza per
 * package, "P:" its name, "F:" a directory (no leading slash), "R:" a file
 * in the last directory. */
#include "elf_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define APK_DB_CAP (256u << 20)

int apk_owners(vfs *v, struct elf_inventory *inv, struct strv *owners)
{
    char *text = NULL, *save = NULL;
    size_t len;
    const char *pkg = NULL, *dir = "";
    int count = 0;

    if (vfs_read_file(v, "/lib/apk/db/installed", APK_DB_CAP, &text, &len) < 0)
        return -1;
    for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (!strncmp(l, "P:", 2)) {
            if (strv_add(owners, l + 2) < 0) {
                count = -2;
                break;
            }
            pkg = owners->v[owners->n - 1];
            dir = "";
            count++;
        } else if (!strncmp(l, "F:", 2)) {
            dir = l + 2;
        } else if (!strncmp(l, "R:", 2) && pkg) {
            char path[4096];
            if (snprintf(path, sizeof path, "%s%s/%s", *dir ? "/" : "", dir, l + 2)
                >= (int)sizeof path)
                continue;
            long idx = elf_inv_lookup_alias(inv, path);
            if (idx >= 0 && !inv->files[idx].package)
                inv->files[idx].package = pkg;
        }
    }
    free(text);
    return count;
}
