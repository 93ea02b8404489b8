#include "lvm_uuid.h"

#include <stddef.h>

int same_pv_uuid(const char *dashed, const char field[32])
{
    size_t k = 0;
    for (const char *p = dashed; *p; p++) {
        if (*p == '-')
            continue;
        if (k >= 32 || *p != field[k])
            return 0;
        k++;
    }
    return k == 32;
}
