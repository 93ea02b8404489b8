/* UTF-8 validation and sanitising: every guest string passes here before it
 * reaches JSON, so the sanitised copy must always be valid. */
#include "fuzz.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    int valid = utf8_valid(s, size);
    char *clean = utf8_sanitize(s, size);
    if (!clean)
        return 0;
    size_t n = strlen(clean);
    if (!utf8_valid(clean, n))
        abort();
    /* valid text without NULs passes through unchanged */
    if (valid && !memchr(s, '\0', size) && (n != size || memcmp(clean, s, size)))
        abort();
    free(clean);
    return 0;
}
