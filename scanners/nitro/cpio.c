/* A streaming parser for newc cpio archives ("070701"/"070702"), as the
 * kernel unpacks them: any number of archives, each ending in TRAILER!!!,
 * separated by zero padding.  It is fed decompressed bytes in arbitrary
 * pieces, so no archive is ever held in memory. */
#include "nitro_int.h"

#include <stdio.h>
#include <string.h>

enum { S_SEEK, S_HDR, S_NAME, S_SKIP };

#define NEWC_HDR 110

void cpio_init(struct cpio_stream *s, cpio_entry_fn fn, void *opaque)
{
    memset(s, 0, sizeof *s);
    s->state = S_SEEK;
    s->fn = fn;
    s->opaque = opaque;
}

int cpio_at_boundary(const struct cpio_stream *s)
{
    return !s->error && s->state == S_SEEK && s->trailers > 0;
}

static int hex8(const unsigned char *p, uint32_t *out)
{
    uint32_t v = 0;
    for (int i = 0; i < 8; i++) {
        unsigned c = p[i], d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        else return -1;
        v = v << 4 | d;
    }
    *out = v;
    return 0;
}

static int fail(struct cpio_stream *s, const char *msg)
{
    s->error = 1;
    str_fmt(s->errmsg, sizeof s->errmsg, "%s at offset %llu", msg,
             (unsigned long long)s->pos);
    return -1;
}

static uint32_t pad4(uint64_t n) { return (uint32_t)((4 - (n & 3)) & 3); }

int cpio_feed(struct cpio_stream *s, const unsigned char *p, size_t n)
{
    size_t i = 0;
    s->consumed = 0;
    if (s->error)
        return -1;
    while (i < n && !s->halted) {
        switch (s->state) {
        case S_SEEK:
            /* zero padding between archives */
            while (i < n && p[i] == 0) { i++; s->pos++; }
            if (i < n) { s->state = S_HDR; s->hlen = 0; }
            break;
        case S_HDR: {
            size_t k = NEWC_HDR - s->hlen;
            if (k > n - i) k = n - i;
            memcpy(s->hdr + s->hlen, p + i, k);
            s->hlen += k; i += k; s->pos += k;
            if (s->hlen < NEWC_HDR)
                break;
            if (memcmp(s->hdr, "07070", 5) || (s->hdr[5] != '1' && s->hdr[5] != '2'))
                return fail(s, "bad cpio magic");
            uint32_t mode, fsize, nsize;
            if (hex8(s->hdr + 14, &mode) || hex8(s->hdr + 54, &fsize) ||
                hex8(s->hdr + 94, &nsize))
                return fail(s, "bad cpio header field");
            if (nsize == 0 || nsize > sizeof s->name)
                return fail(s, "bad cpio name size");
            s->namesize = nsize;
            s->nlen = 0;
            /* stash mode and size in skip/hdr until the name is complete */
            s->skip = fsize;
            memcpy(s->hdr, &mode, sizeof mode);
            s->state = S_NAME;
            break;
        }
        case S_NAME: {
            size_t total = s->namesize + pad4(NEWC_HDR + s->namesize);
            size_t k = total - s->nlen;
            if (k > n - i) k = n - i;
            for (size_t j = 0; j < k; j++) {
                size_t at = s->nlen + j;
                if (at < s->namesize)
                    s->name[at] = (char)p[i + j];
            }
            s->nlen += k; i += k; s->pos += k;
            if (s->nlen < total)
                break;
            s->name[s->namesize - 1] = '\0';
            uint32_t mode;
            memcpy(&mode, s->hdr, sizeof mode);
            uint64_t fsize = s->skip;
            if (!strcmp(s->name, "TRAILER!!!")) {
                s->trailers++;
                s->skip = fsize + pad4(fsize);
                s->state = S_SKIP;
                s->hlen = 1;    /* marks: after this skip, seek the next archive */
                break;
            }
            if (s->fn)
                s->fn(s->name, mode, fsize, s->opaque);
            s->skip = fsize + pad4(fsize);
            s->hlen = 0;
            s->state = S_SKIP;
            break;
        }
        case S_SKIP: {
            uint64_t k = s->skip;
            if (k > n - i) k = n - i;
            i += (size_t)k; s->pos += k; s->skip -= k;
            if (s->skip == 0) {
                if (s->hlen == 1) {
                    s->state = S_SEEK;
                    if (s->stop_after_trailer)
                        s->halted = 1;
                } else {
                    s->state = S_HDR;
                }
                s->hlen = 0;
            }
            break;
        }
        }
    }
    /* a zero-length entry's skip completes without more input */
    if (s->state == S_SKIP && s->skip == 0) {
        if (s->hlen == 1 && s->stop_after_trailer)
            s->halted = 1;
        s->state = s->hlen == 1 ? S_SEEK : S_HDR;
        s->hlen = 0;
    }
    s->consumed = i;
    return 0;
}
