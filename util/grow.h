/* Doubling growth for arrays and byte buffers. */
#ifndef LIFTCHECK_GROW_H
#define LIFTCHECK_GROW_H

#include <stddef.h>

/* Makes room in *arr (elem-sized elements, *cap of them) for element n;
 * the first allocation holds first elements.  -1 when out of memory
 * (*arr and *cap unchanged). */
int grow_array(void **arr, size_t *cap, size_t n, size_t elem, size_t first);
/* Makes *cap at least need bytes, starting at first. */
int grow_bytes(unsigned char **buf, size_t *cap, size_t need, size_t first);

#endif
