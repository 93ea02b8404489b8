/* Kernel module names: "nvme-core.ko.xz" and "nvme_core" are one module. */
#include "nitro_int.h"

#include <string.h>

int module_name_of(const char *path, char *out, size_t cap)
{
    static const char *const ext[] = { ".ko", ".ko.gz", ".ko.xz", ".ko.zst" };
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base), stem = 0;

    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        size_t e = strlen(ext[i]);
        if (n > e && !strcmp(base + n - e, ext[i])) {
            stem = n - e;
            break;
        }
    }
    if (!stem || stem >= cap)
        return -1;
    for (size_t i = 0; i < stem; i++)
        out[i] = base[i] == '-' ? '_' : base[i];
    out[stem] = '\0';
    return 0;
}

int modname_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a == '-' ? '_' : *a, y = *b == '-' ? '_' : *b;
        if (x != y)
            return 0;
    }
    return *a == *b;
}
