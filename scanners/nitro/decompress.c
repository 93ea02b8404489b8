/* Streaming decompression of kernel payloads, initramfs images and modules.
 * Input comes from the vfs in big chunks (round trips are what costs in the
 * appliance), output goes to a sink and never beyond a cap, because every
 * one of these files is untrusted and a compression bomb is cheap to make. */
#include "nitro_int.h"
#include "util/grow.h"

#include <bzlib.h>
#include <errno.h>
#include <lz4.h>
#include <lz4frame.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "util/xalloc.h"

#define IN_CHUNK (2u << 20)
#define OUT_CHUNK (1u << 20)
#define LZ4_LEGACY_MAGIC 0x184C2102u
#define LZ4_LEGACY_BLOCK (8u << 20)

const char *comp_name(enum comp c)
{
    static const char *const n[] = {
        [COMP_NONE] = "none", [COMP_GZIP] = "gzip", [COMP_BZIP2] = "bzip2",
        [COMP_LZMA] = "lzma", [COMP_XZ] = "xz", [COMP_LZO] = "lzo",
        [COMP_LZ4] = "lz4", [COMP_LZ4F] = "lz4", [COMP_ZSTD] = "zstd",
        [COMP_CPIO] = "none", [COMP_UNKNOWN] = "unknown",
    };
    return (unsigned)c < sizeof n / sizeof n[0] ? n[c] : "unknown";
}

const char *dec_status_str(enum dec_status s)
{
    switch (s) {
    case DEC_OK: return "ok";
    case DEC_STOPPED: return "stopped";
    case DEC_CAPPED: return "output size cap reached";
    case DEC_CORRUPT: return "corrupt compressed data";
    case DEC_TRUNCATED: return "truncated compressed data";
    case DEC_UNSUPPORTED: return "unsupported compression";
    case DEC_IOERR: return "read error";
    default: return "error";
    }
}

enum comp comp_detect(const unsigned char *p, size_t n)
{
    if (n >= 6 && !memcmp(p, "07070", 5) && (p[5] == '1' || p[5] == '2'))
        return COMP_CPIO;
    if (n >= 2 && p[0] == 0x1f && (p[1] == 0x8b || p[1] == 0x9e))
        return COMP_GZIP;
    if (n >= 3 && !memcmp(p, "BZh", 3))
        return COMP_BZIP2;
    if (n >= 6 && !memcmp(p, "\xfd" "7zXZ\0", 6))
        return COMP_XZ;
    if (n >= 4 && !memcmp(p, "\x28\xb5\x2f\xfd", 4))
        return COMP_ZSTD;
    if (n >= 4 && !memcmp(p, "\x02\x21\x4c\x18", 4))
        return COMP_LZ4;
    if (n >= 4 && !memcmp(p, "\x04\x22\x4d\x18", 4))
        return COMP_LZ4F;
    if (n >= 4 && !memcmp(p, "\x89" "LZO", 4))
        return COMP_LZO;
    /* lzma "alone": properties byte, then a power-of-two dictionary size */
    if (n >= 13 && p[0] < 225) {
        uint32_t dict = (uint32_t)p[1] | (uint32_t)p[2] << 8 |
                        (uint32_t)p[3] << 16 | (uint32_t)p[4] << 24;
        if (dict >= 4096 && !(dict & (dict - 1)))
            return COMP_LZMA;
    }
    return COMP_UNKNOWN;
}

/* ---- input: a window over a file range or a memory buffer ---- */
struct rd {
    vfs *v;
    const char *path;
    uint64_t pos, end;          /* next file offset to read, range end */
    unsigned char *own;         /* chunk buffer (file mode) */
    const unsigned char *buf;
    size_t have, at;
    uint64_t used;              /* bytes handed to the decoder */
    int ioerr;
};

static ssize_t rd_avail(struct rd *r)
{
    if (r->at < r->have)
        return (ssize_t)(r->have - r->at);
    if (!r->v || r->pos >= r->end)
        return 0;
    uint64_t want = r->end - r->pos;
    if (want > IN_CHUNK)
        want = IN_CHUNK;
    ssize_t got = vfs_pread(r->v, r->path, r->own, (size_t)want, r->pos);
    if (got < 0) {
        r->ioerr = 1;
        return -1;
    }
    if (got == 0) {
        r->end = r->pos;
        return 0;
    }
    r->pos += (uint64_t)got;
    r->have = (size_t)got;
    r->at = 0;
    return got;
}

static const unsigned char *rd_ptr(struct rd *r) { return r->buf + r->at; }

static void rd_advance(struct rd *r, size_t n)
{
    r->at += n;
    r->used += n;
}

/* Copies exactly n bytes; returns n, fewer at end of input, -1 on error. */
static ssize_t rd_read(struct rd *r, unsigned char *dst, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t a = rd_avail(r);
        if (a < 0)
            return -1;
        if (a == 0)
            break;
        size_t k = (size_t)a < n - done ? (size_t)a : n - done;
        memcpy(dst + done, rd_ptr(r), k);
        rd_advance(r, k);
        done += k;
    }
    return (ssize_t)done;
}

/* ---- output: cap and sink ---- */
struct wr {
    dec_sink sink;
    void *opaque;
    uint64_t cap, total;
    enum dec_status stop;   /* DEC_OK while going on */
};

/* Returns 0 to go on, 1 to stop (w->stop tells why). */
static int wr_emit(struct wr *w, const unsigned char *p, size_t n)
{
    int capped = 0;
    if (n == 0)
        return 0;
    if (w->total + n > w->cap) {
        n = (size_t)(w->cap - w->total);
        capped = 1;
    }
    if (n) {
        int rc = w->sink(p, n, w->opaque);
        w->total += n;
        if (rc < 0) {
            w->stop = DEC_SINKERR;
            return 1;
        }
        if (rc > 0) {
            w->stop = DEC_STOPPED;
            return 1;
        }
    }
    if (capped) {
        w->stop = DEC_CAPPED;
        return 1;
    }
    return 0;
}

static enum dec_status run_gzip(struct rd *r, struct wr *w, unsigned char *out)
{
    z_stream z;
    enum dec_status st = DEC_TRUNCATED;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return DEC_CORRUPT;
    for (;;) {
        ssize_t a = rd_avail(r);
        if (a < 0) { st = DEC_IOERR; break; }
        if (a == 0) { st = DEC_TRUNCATED; break; }
        z.next_in = (Bytef *)rd_ptr(r);
        z.avail_in = (uInt)a;
        z.next_out = out;
        z.avail_out = OUT_CHUNK;
        int rc = inflate(&z, Z_NO_FLUSH);
        rd_advance(r, (size_t)a - z.avail_in);
        if (wr_emit(w, out, OUT_CHUNK - z.avail_out)) { st = w->stop; break; }
        if (rc == Z_STREAM_END) { st = DEC_OK; break; }
        if (rc != Z_OK && rc != Z_BUF_ERROR) { st = DEC_CORRUPT; break; }
    }
    inflateEnd(&z);
    return st;
}

static enum dec_status run_bzip2(struct rd *r, struct wr *w, unsigned char *out)
{
    bz_stream b;
    enum dec_status st = DEC_TRUNCATED;
    memset(&b, 0, sizeof b);
    if (BZ2_bzDecompressInit(&b, 0, 0) != BZ_OK)
        return DEC_CORRUPT;
    for (;;) {
        ssize_t a = rd_avail(r);
        if (a < 0) { st = DEC_IOERR; break; }
        if (a == 0) { st = DEC_TRUNCATED; break; }
        b.next_in = (char *)rd_ptr(r);
        b.avail_in = (unsigned)a;
        b.next_out = (char *)out;
        b.avail_out = OUT_CHUNK;
        int rc = BZ2_bzDecompress(&b);
        rd_advance(r, (size_t)a - b.avail_in);
        if (wr_emit(w, out, OUT_CHUNK - b.avail_out)) { st = w->stop; break; }
        if (rc == BZ_STREAM_END) { st = DEC_OK; break; }
        if (rc != BZ_OK) { st = DEC_CORRUPT; break; }
    }
    BZ2_bzDecompressEnd(&b);
    return st;
}

static enum dec_status run_lzma(struct rd *r, struct wr *w, unsigned char *out,
                                int alone)
{
    lzma_stream s = LZMA_STREAM_INIT;
    enum dec_status st = DEC_TRUNCATED;
    /* the memory limit bounds the dictionary a hostile header can ask for */
    lzma_ret rc = alone ? lzma_alone_decoder(&s, 256u << 20)
                        : lzma_stream_decoder(&s, 256u << 20, 0);
    if (rc != LZMA_OK)
        return DEC_CORRUPT;
    for (;;) {
        ssize_t a = rd_avail(r);
        if (a < 0) { st = DEC_IOERR; break; }
        s.next_in = rd_ptr(r);
        s.avail_in = (size_t)a;
        s.next_out = out;
        s.avail_out = OUT_CHUNK;
        rc = lzma_code(&s, a == 0 ? LZMA_FINISH : LZMA_RUN);
        rd_advance(r, (size_t)a - s.avail_in);
        if (wr_emit(w, out, OUT_CHUNK - s.avail_out)) { st = w->stop; break; }
        if (rc == LZMA_STREAM_END) { st = DEC_OK; break; }
        if (rc == LZMA_BUF_ERROR && a == 0) { st = DEC_TRUNCATED; break; }
        if (rc != LZMA_OK) {
            /* a stream that ended without an end marker is whole when the
             * input is exhausted (lzma alone with known size) */
            st = (a == 0) ? DEC_TRUNCATED : DEC_CORRUPT;
            break;
        }
        if (a == 0 && s.avail_out == OUT_CHUNK) { st = DEC_TRUNCATED; break; }
    }
    lzma_end(&s);
    return st;
}

static enum dec_status run_zstd(struct rd *r, struct wr *w, unsigned char *out)
{
    ZSTD_DStream *d = ZSTD_createDStream();
    enum dec_status st = DEC_TRUNCATED;
    int frame_done = 0;
    if (!d)
        return DEC_CORRUPT;
    /* window limit: hostile frames may ask for huge windows */
    ZSTD_DCtx_setParameter(d, ZSTD_d_windowLogMax, 27);
    for (;;) {
        ssize_t a = rd_avail(r);
        if (a < 0) { st = DEC_IOERR; break; }
        if (a == 0) { st = frame_done ? DEC_OK : DEC_TRUNCATED; break; }
        if (frame_done) {
            /* another frame follows, or the stream is over */
            if (a < 4 || memcmp(rd_ptr(r), "\x28\xb5\x2f\xfd", 4)) { st = DEC_OK; break; }
            frame_done = 0;
        }
        ZSTD_inBuffer in = { rd_ptr(r), (size_t)a, 0 };
        ZSTD_outBuffer o = { out, OUT_CHUNK, 0 };
        size_t rc = ZSTD_decompressStream(d, &o, &in);
        rd_advance(r, in.pos);
        if (ZSTD_isError(rc)) { st = DEC_CORRUPT; break; }
        if (wr_emit(w, out, o.pos)) { st = w->stop; break; }
        if (rc == 0)
            frame_done = 1;
    }
    ZSTD_freeDStream(d);
    return st;
}

static enum dec_status run_lz4_legacy(struct rd *r, struct wr *w, unsigned char *out)
{
    enum dec_status st = DEC_OK;
    int bound = LZ4_compressBound(LZ4_LEGACY_BLOCK);
    unsigned char hdr[4];
    unsigned char *blk = xmalloc((size_t)bound);
    unsigned char *big = xmalloc(LZ4_LEGACY_BLOCK);
    int blocks = 0;

    (void)out;
    if (rd_read(r, hdr, 4) != 4) { st = DEC_TRUNCATED; goto out; }
    for (;;) {
        ssize_t a = rd_avail(r);
        if (a < 0) { st = DEC_IOERR; break; }
        if (a < 4 && a == 0) { st = blocks ? DEC_OK : DEC_TRUNCATED; break; }
        /* peek the size without consuming it: it may be the trailer */
        unsigned char sz[4];
        uint64_t used_before = r->used;
        if (rd_read(r, sz, 4) != 4) { st = blocks ? DEC_OK : DEC_TRUNCATED; r->used = used_before; break; }
        uint32_t n = (uint32_t)sz[0] | (uint32_t)sz[1] << 8 | (uint32_t)sz[2] << 16 |
                     (uint32_t)sz[3] << 24;
        if (n == LZ4_LEGACY_MAGIC)
            continue;
        if (n == 0 || n > (uint32_t)bound) {
            /* not a block: the size trailer or the next archive */
            r->used = used_before;
            st = blocks ? DEC_OK : DEC_CORRUPT;
            break;
        }
        ssize_t got = rd_read(r, blk, n);
        if (got < 0) { st = DEC_IOERR; break; }
        if ((uint32_t)got != n) {
            /* kernel payloads end with a 4-byte size the loop takes for a
             * block header; only fail when nothing was decoded */
            st = blocks ? DEC_OK : DEC_TRUNCATED;
            break;
        }
        int dn = LZ4_decompress_safe((const char *)blk, (char *)big, (int)n,
                                     LZ4_LEGACY_BLOCK);
        if (dn < 0) { st = DEC_CORRUPT; break; }
        blocks++;
        if (wr_emit(w, big, (size_t)dn)) { st = w->stop; break; }
    }
out:
    free(blk);
    free(big);
    return st;
}

static enum dec_status run_lz4_frame(struct rd *r, struct wr *w, unsigned char *out)
{
    LZ4F_dctx *d = NULL;
    enum dec_status st = DEC_TRUNCATED;
    if (LZ4F_isError(LZ4F_createDecompressionContext(&d, LZ4F_VERSION)))
        return DEC_CORRUPT;
    for (;;) {
        ssize_t a = rd_avail(r);
        if (a < 0) { st = DEC_IOERR; break; }
        if (a == 0) { st = DEC_TRUNCATED; break; }
        size_t inl = (size_t)a, outl = OUT_CHUNK;
        size_t rc = LZ4F_decompress(d, out, &outl, rd_ptr(r), &inl, NULL);
        rd_advance(r, inl);
        if (LZ4F_isError(rc)) { st = DEC_CORRUPT; break; }
        if (wr_emit(w, out, outl)) { st = w->stop; break; }
        if (rc == 0) { st = DEC_OK; break; }
    }
    LZ4F_freeDecompressionContext(d);
    return st;
}

static int run(struct rd *r, enum comp c, uint64_t cap, dec_sink sink,
               void *opaque, struct dec_result *res)
{
    struct wr w = { sink, opaque, cap, 0, DEC_OK };
    enum dec_status st;
    unsigned char *out = xmalloc(OUT_CHUNK);

    switch (c) {
    case COMP_GZIP: st = run_gzip(r, &w, out); break;
    case COMP_BZIP2: st = run_bzip2(r, &w, out); break;
    case COMP_XZ: st = run_lzma(r, &w, out, 0); break;
    case COMP_LZMA: st = run_lzma(r, &w, out, 1); break;
    case COMP_ZSTD: st = run_zstd(r, &w, out); break;
    case COMP_LZ4: st = run_lz4_legacy(r, &w, out); break;
    case COMP_LZ4F: st = run_lz4_frame(r, &w, out); break;
    default: st = DEC_UNSUPPORTED; break;
    }
    if (r->ioerr)
        st = DEC_IOERR;
    free(out);
    res->status = st;
    res->in_used = r->used;
    res->out_total = w.total;
    return (st == DEC_OK || st == DEC_STOPPED) ? 0 : -1;
}

int decompress_file(vfs *v, const char *path, uint64_t off, uint64_t len,
                    enum comp c, uint64_t cap, dec_sink sink, void *opaque,
                    struct dec_result *res)
{
    struct rd r;
    int rc;
    memset(&r, 0, sizeof r);
    r.v = v;
    r.path = path;
    r.pos = off;
    r.end = len ? off + len : UINT64_MAX;
    r.own = xmalloc(IN_CHUNK);
    r.buf = r.own;
    rc = run(&r, c, cap, sink, opaque, res);
    free(r.own);
    return rc;
}

struct membuf {
    unsigned char *p;
    size_t len, cap;
};

static int mem_sink(const unsigned char *p, size_t n, void *opaque)
{
    struct membuf *m = opaque;
    if (grow_bytes(&m->p, &m->cap, m->len + n, 65536) < 0)
        return -1;
    memcpy(m->p + m->len, p, n);
    m->len += n;
    return 0;
}

int decompress_mem(const unsigned char *in, size_t inlen, enum comp c,
                   uint64_t cap, unsigned char **out, size_t *outlen,
                   struct dec_result *res)
{
    struct rd r;
    struct membuf m = { NULL, 0, 0 };
    memset(&r, 0, sizeof r);
    r.buf = in;
    r.have = inlen;
    int rc = run(&r, c, cap, mem_sink, &m, res);
    if (rc < 0) {
        free(m.p);
        *out = NULL;
        *outlen = 0;
        return -1;
    }
    *out = m.p;
    *outlen = m.len;
    return 0;
}
