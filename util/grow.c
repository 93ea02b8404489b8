#include "grow.h"

#include <stdint.h>
#include <stdlib.h>

int grow_array(void **arr, size_t *cap, size_t n, size_t elem, size_t first)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : first;
    if (ncap <= n || ncap > SIZE_MAX / elem)
        return -1;
    void *t = realloc(*arr, ncap * elem);
    if (!t)
        return -1;
    *arr = t;
    *cap = ncap;
    return 0;
}

int grow_bytes(unsigned char **buf, size_t *cap, size_t need, size_t first)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : first ? first : 1;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return -1;
        ncap *= 2;
    }
    unsigned char *t = realloc(*buf, ncap);
    if (!t)
        return -1;
    *buf = t;
    *cap = ncap;
    return 0;
}
