/* Every decompression wrapper, in memory and streamed from the vfs, under an
 * output cap small enough that bombs hit it.  The first byte picks the
 * format (beyond the known ones: detection from the magic, as scanners do);
 * the second picks where a streaming sink asks to stop. */
#include "fuzz.h"
#include "scanners/nitro/nitro_int.h"

#include <stdlib.h>
#include <string.h>

#define CAP (256u << 10)

struct count {
    uint64_t total, stop_at;
};

static int sink(const unsigned char *p, size_t n, void *opaque)
{
    struct count *c = opaque;
    volatile unsigned char x = 0;
    if (n)
        x ^= p[0] ^ p[n - 1];   /* every chunk must be readable */
    (void)x;
    c->total += n;
    return c->stop_at && c->total >= c->stop_at ? 1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const unsigned char *in = data + 2;
    size_t inlen = size - 2;
    enum comp c = (enum comp)(data[0] % (COMP_UNKNOWN + 1));
    if (data[0] > COMP_UNKNOWN)
        c = comp_detect(in, inlen);
    fuzz_touch(comp_name(c));

    unsigned char *out = NULL;
    size_t outlen = 0;
    struct dec_result res;
    memset(&res, 0, sizeof res);
    if (decompress_mem(in, inlen, c, CAP, &out, &outlen, &res) == 0) {
        if (outlen > CAP || res.out_total > CAP)
            abort();
        if (outlen && out)
            memset(out, 0, outlen);   /* the reported length must be owned */
    }
    if (res.in_used > inlen)
        abort();
    fuzz_touch(dec_status_str(res.status));
    free(out);

    vfs *v = memvfs_new();
    if (v && memvfs_add(v, "/boot/initrd.img", in, inlen) == 0) {
        struct count cnt = { 0, (uint64_t)data[1] * 4096 };
        memset(&res, 0, sizeof res);
        /* a payload inside a file, as bzImage payloads are read */
        uint64_t off = inlen > 0 && (data[1] & 1) ? 1 : 0;
        if (off && decompress_file(v, "/boot/initrd.img", off, 0, comp_detect(in + 1, inlen - 1),
                                   CAP, sink, &cnt, &res) == 0 && cnt.total > CAP)
            abort();
        memset(&res, 0, sizeof res);
        cnt.total = 0;
        if (decompress_file(v, "/boot/initrd.img", 0, 0, c, CAP, sink, &cnt, &res) == 0 &&
            cnt.total > CAP)
            abort();
        if (cnt.total > CAP || res.out_total > CAP)
            abort();
    }
    vfs_close(v);
    return 0;
}
