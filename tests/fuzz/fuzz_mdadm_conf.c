/* mdadm.conf ARRAY lines (names and UUIDs of md arrays) and the md UUID
 * spellings. */
#include "fuzz.h"
#include "inspector/mdadm_conf.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    struct md_conf_array a[8];
    size_t n = mdadm_conf_parse(text, a, 8);
    if (n > 8)
        abort();
    for (size_t i = 0; i < n; i++) {
        if (strlen(a[i].devname) >= sizeof a[i].devname || strlen(a[i].uuid) > 32 ||
            strlen(a[i].name) >= sizeof a[i].name)
            abort();
        fuzz_touch(a[i].devname);
        fuzz_touch(a[i].uuid);
        fuzz_touch(a[i].name);
    }
    char hex[33];
    if (md_uuid_hex(text, hex) == 0 && strlen(hex) != 32)
        abort();
    free(text);
    return 0;
}
