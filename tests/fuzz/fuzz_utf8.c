/* UTF-8 validation, sanitising and the one-sequence decoder the report
 * escaping uses: every guest string passes here before it reaches JSON or a
 * rendered report, so the sanitised copy must always be valid and the
 * decoder must agree with the validator. */
#include "fuzz.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

/* Steps through s with utf8_decode_one: 1 if every sequence decodes to a
 * code point other than NUL, which is what utf8_valid means. */
static int decodes_whole(const char *s, size_t size)
{
    int whole = 1;
    for (size_t i = 0; i < size;) {
        uint32_t cp = 0xffffffff;
        size_t k = utf8_decode_one(s + i, size - i, &cp);
        if (k > 4 || k > size - i)
            abort();
        if (!k) {
            whole = 0;
            i++;
            continue;
        }
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || (k == 1) != (cp < 0x80))
            abort();
        if (!cp)
            whole = 0;
        i += k;
    }
    return whole;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    int valid = utf8_valid(s, size);
    if (valid != decodes_whole(s, size))
        abort();
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
