/* ELF reader: parses an ELF file from a sparse set of byte ranges.
 *
 * The first read (the head) usually holds the ELF header, program headers,
 * interpreter, dynamic string table and version tables.  Anything the headers
 * point to outside the head is fetched on demand through vfs_pread in windows
 * of WINDOW bytes: through libguestfs a 16 KiB read costs about the same as
 * a 64 B one, so one generous read beats several exact ones.
 *
 * libelf's elf_memory() wants the whole file image at its real offsets, which
 * is exactly what a sparse reader avoids; the structures are therefore
 * decoded here, with <elf.h> constants and explicit byte order, and every
 * offset and count is checked against the file size and fixed caps. */
#include "common/elf/elf_read.h"

#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW (16 * 1024)
#define MAX_RANGES 32
#define MAX_ONE_RANGE (8u << 20)      /* one table larger than this is hostile */
#define MAX_FETCH (32u << 20)         /* all ranges of one file */
#define MAX_VER_ENTRIES 4096          /* version records walked per file */
#define GO_MAGIC "\xff Go buildinf:"

struct range {
    uint64_t off;
    size_t len;
    unsigned char *buf;
};

struct src {
    vfs *v;
    const char *path;
    uint64_t size;
    const unsigned char *head;
    size_t head_len;
    struct range r[MAX_RANGES];
    int nr;
    size_t fetched;
    unsigned reads;
    int be, c64;
    char err[200];
    int oom;
};

struct seg {
    uint64_t vaddr, off, filesz;
    uint32_t flags;
};

static void fail(struct src *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct src *s, const char *fmt, ...)
{
    if (s->err[0])
        return;     /* keep the first reason */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
}

/* Returns len bytes at off, fetching a window when they are not held yet;
 * NULL (and s->err) when the range is outside the file or over a cap. */
static const unsigned char *get(struct src *s, uint64_t off, uint64_t len, const char *what)
{
    static const unsigned char empty[1];

    if (off > s->size || len > s->size - off) {
        fail(s, "%s at %llu+%llu lies beyond the end of the file (%llu bytes)", what,
             (unsigned long long)off, (unsigned long long)len, (unsigned long long)s->size);
        return NULL;
    }
    if (len == 0)
        return empty;
    if (off + len <= s->head_len)
        return s->head + off;
    for (int i = 0; i < s->nr; i++)
        if (off >= s->r[i].off && off + len <= s->r[i].off + s->r[i].len)
            return s->r[i].buf + (off - s->r[i].off);
    if (len > MAX_ONE_RANGE) {
        fail(s, "%s of %llu bytes is implausibly large", what, (unsigned long long)len);
        return NULL;
    }
    uint64_t want = len < WINDOW && !s->v->exact_reads ? WINDOW : len;
    uint64_t start = off, end = off + want;
    /* Close to the end: read to it, the section headers are there. */
    if (!s->v->exact_reads && (end > s->size || s->size - end <= 2 * WINDOW))
        end = s->size;
    if (end == s->size && !s->v->exact_reads) {
        /* Section headers sit at the end with their string table just
         * before them: take a larger tail in one read. */
        uint64_t back = len < 2 * WINDOW ? 2 * WINDOW : len;
        uint64_t tail = s->size > back ? s->size - back : 0;
        if (tail < start)
            start = tail;
    }
    if (start < s->head_len && s->head_len < off)
        start = s->head_len;    /* the head already holds the beginning */
    size_t n = (size_t)(end - start);
    if (s->nr == MAX_RANGES || s->fetched + n > MAX_FETCH) {
        fail(s, "%s: too many scattered ranges", what);
        return NULL;
    }
    unsigned char *buf = malloc(n);
    if (!buf) {
        s->oom = 1;
        fail(s, "out of memory");
        return NULL;
    }
    size_t got = 0;
    while (got < n) {
        ssize_t r = vfs_pread(s->v, s->path, buf + got, n - got, start + got);
        s->reads++;
        if (r <= 0) {
            fail(s, "%s: read at %llu failed: %s", what, (unsigned long long)(start + got),
                 r < 0 ? vfs_error(s->v) : "file shrank");
            free(buf);
            return NULL;
        }
        got += (size_t)r;
    }
    s->r[s->nr++] = (struct range){start, n, buf};
    s->fetched += n;
    return buf + (off - start);
}

static uint16_t u16(const struct src *s, const unsigned char *p) { return elf_get16(s->be, p); }
static uint32_t u32(const struct src *s, const unsigned char *p) { return elf_get32(s->be, p); }
static uint64_t u64(const struct src *s, const unsigned char *p) { return elf_get64(s->be, p); }

/* A word: 4 bytes in ELFCLASS32, 8 in ELFCLASS64. */
static uint64_t uw(const struct src *s, const unsigned char *p)
{
    return s->c64 ? u64(s, p) : u32(s, p);
}

static int vaddr_to_off(const struct seg *segs, size_t n, uint64_t a, uint64_t *off)
{
    for (size_t i = 0; i < n; i++)
        if (a >= segs[i].vaddr && a - segs[i].vaddr < segs[i].filesz) {
            *off = segs[i].off + (a - segs[i].vaddr);
            return 0;
        }
    return -1;
}

/* A NUL-terminated string inside a table of tsz bytes. */
static const char *tstr(struct src *s, const unsigned char *tab, uint64_t tsz, uint64_t at,
                        const char *what)
{
    if (!tab || at >= tsz) {
        fail(s, "%s: string offset %llu outside its table", what, (unsigned long long)at);
        return NULL;
    }
    if (!memchr(tab + at, '\0', (size_t)(tsz - at))) {
        fail(s, "%s: unterminated string", what);
        return NULL;
    }
    return (const char *)tab + at;
}

static void src_free(struct src *s)
{
    for (int i = 0; i < s->nr; i++)
        free(s->r[i].buf);
    s->nr = 0;
}

static int add_path_list(struct strv *sv, const char *list)
{
    const char *p = list;
    while (*p) {
        const char *e = strchr(p, ':');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n && strv_addn(sv, p, n) < 0)
            return -1;
        p += n;
        if (*p == ':')
            p++;
    }
    return 0;
}

struct dyn {
    uint64_t strtab, strsz, verneed, verneednum, verdef, verdefnum, flags_1;
    int have_strtab;
    uint64_t soname;
    int have_soname;
    uint64_t *needed;
    size_t nneeded;
    uint64_t *rpath, *runpath;
    size_t nrpath, nrunpath;
};

static int push_off(uint64_t **a, size_t *n, uint64_t v)
{
    if ((*n & (*n - 1)) == 0 || *n == 0) {
        size_t cap = *n ? *n * 2 : 4;
        uint64_t *t = realloc(*a, cap * sizeof *t);
        if (!t)
            return -1;
        *a = t;
    }
    (*a)[(*n)++] = v;
    return 0;
}

static int parse_dynamic(struct src *s, uint64_t off, uint64_t sz, struct dyn *d)
{
    size_t esz = s->c64 ? 16 : 8;
    if (sz > MAX_ONE_RANGE)
        sz = MAX_ONE_RANGE;
    const unsigned char *p = get(s, off, sz - sz % esz, "dynamic section");
    if (!p)
        return -1;
    for (uint64_t i = 0; i + esz <= sz; i += esz) {
        uint64_t tag = uw(s, p + i), val = uw(s, p + i + esz / 2);
        int r = 0;
        switch (tag) {
        case DT_NULL: return 0;
        case DT_NEEDED: r = push_off(&d->needed, &d->nneeded, val); break;
        case DT_RPATH: r = push_off(&d->rpath, &d->nrpath, val); break;
        case DT_RUNPATH: r = push_off(&d->runpath, &d->nrunpath, val); break;
        case DT_SONAME: d->soname = val; d->have_soname = 1; break;
        case DT_STRTAB: d->strtab = val; d->have_strtab = 1; break;
        case DT_STRSZ: d->strsz = val; break;
        case DT_VERNEED: d->verneed = val; break;
        case DT_VERNEEDNUM: d->verneednum = val; break;
        case DT_VERDEF: d->verdef = val; break;
        case DT_VERDEFNUM: d->verdefnum = val; break;
        case DT_FLAGS_1: d->flags_1 = val; break;
        default: break;
        }
        if (r < 0) {
            s->oom = 1;
            return -1;
        }
    }
    return 0;
}

static int parse_verneed(struct src *s, struct elf_info *info, uint64_t off, uint64_t num,
                         const unsigned char *str, uint64_t strsz)
{
    unsigned walked = 0;
    for (uint64_t i = 0; i < num; i++) {
        const unsigned char *vn = get(s, off, 16, "version needs");
        if (!vn)
            return -1;
        unsigned cnt = u16(s, vn + 2);
        const char *lib = tstr(s, str, strsz, u32(s, vn + 4), "version needs");
        if (!lib)
            return -1;
        struct elf_verneed *t = realloc(info->vn, (info->nvn + 1) * sizeof *t);
        if (!t)
            goto oom;
        info->vn = t;
        memset(&t[info->nvn], 0, sizeof *t);
        if (!(t[info->nvn].lib = strdup(lib)))
            goto oom;
        struct elf_verneed *cur = &t[info->nvn++];
        uint64_t aoff = off + u32(s, vn + 8);
        for (unsigned j = 0; j < cnt; j++) {
            if (++walked > MAX_VER_ENTRIES) {
                fail(s, "version needs: too many entries");
                return -1;
            }
            const unsigned char *a = get(s, aoff, 16, "version needs");
            if (!a)
                return -1;
            const char *name = tstr(s, str, strsz, u32(s, a + 8), "version needs");
            if (!name)
                return -1;
            if (!strv_has(&cur->vers, name) && strv_add(&cur->vers, name) < 0)
                goto oom;
            uint32_t next = u32(s, a + 12);
            if (!next)
                break;
            aoff += next;
        }
        uint32_t next = u32(s, vn + 12);
        if (!next)
            break;
        off += next;
        if (++walked > MAX_VER_ENTRIES) {
            fail(s, "version needs: too many entries");
            return -1;
        }
    }
    return 0;
oom:
    s->oom = 1;
    return -1;
}

static int parse_verdef(struct src *s, struct elf_info *info, uint64_t off, uint64_t num,
                        const unsigned char *str, uint64_t strsz)
{
    for (uint64_t i = 0; i < num && i < MAX_VER_ENTRIES; i++) {
        const unsigned char *vd = get(s, off, 20, "version definitions");
        if (!vd)
            return -1;
        unsigned flags = u16(s, vd + 2), cnt = u16(s, vd + 6);
        if (!(flags & VER_FLG_BASE) && cnt > 0) {
            const unsigned char *a = get(s, off + u32(s, vd + 12), 8, "version definitions");
            if (!a)
                return -1;
            const char *name = tstr(s, str, strsz, u32(s, a), "version definitions");
            if (!name)
                return -1;
            if (!strv_has(&info->vdef, name) && strv_add(&info->vdef, name) < 0) {
                s->oom = 1;
                return -1;
            }
        }
        uint32_t next = u32(s, vd + 16);
        if (!next)
            break;
        off += next;
    }
    return 0;
}

static uint64_t uvarint(const unsigned char *p, size_t n, size_t *used)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n && i < 10; i++) {
        v |= (uint64_t)(p[i] & 0x7f) << (7 * i);
        if (!(p[i] & 0x80)) {
            *used = i + 1;
            return v;
        }
    }
    *used = 0;
    return 0;
}

/* Go's build info blob: "\xff Go buildinf:", pointer size, flags; since
 * Go 1.18 (flag 2) the version string follows inline as a varint-prefixed
 * string, before that the header holds a pointer to a Go string header. */
static void parse_go(struct src *s, struct elf_info *info, uint64_t off,
                     const struct seg *segs, size_t nseg)
{
    const unsigned char *h = get(s, off, 32, "Go build info");
    if (!h || memcmp(h, GO_MAGIC, 14) != 0)
        goto soft;
    unsigned psz = h[14], flags = h[15];
    char ver[256];
    if (flags & 2) {
        uint64_t avail = s->size - off - 32;
        const unsigned char *p = get(s, off + 32, avail < 16 ? avail : 16, "Go build info");
        if (!p)
            goto soft;
        size_t used;
        uint64_t n = uvarint(p, avail < 16 ? avail : 16, &used);
        if (!used || n == 0 || n >= sizeof ver)
            goto soft;
        const unsigned char *vs = get(s, off + 32 + used, n, "Go build info");
        if (!vs)
            goto soft;
        memcpy(ver, vs, n);
        ver[n] = '\0';
    } else if (psz == 4 || psz == 8) {
        struct src tmp = *s;        /* the blob has its own byte order */
        tmp.be = flags & 1;
        uint64_t sp = psz == 8 ? u64(&tmp, h + 16) : u32(&tmp, h + 16), shoff, doff;
        if (vaddr_to_off(segs, nseg, sp, &shoff) < 0)
            goto soft;
        const unsigned char *sh = get(s, shoff, 2 * psz, "Go build info");
        if (!sh)
            goto soft;
        uint64_t dp = psz == 8 ? u64(&tmp, sh) : u32(&tmp, sh);
        uint64_t n = psz == 8 ? u64(&tmp, sh + 8) : u32(&tmp, sh + 4);
        if (n == 0 || n >= sizeof ver || vaddr_to_off(segs, nseg, dp, &doff) < 0)
            goto soft;
        const unsigned char *vs = get(s, doff, n, "Go build info");
        if (!vs)
            goto soft;
        memcpy(ver, vs, n);
        ver[n] = '\0';
    } else {
        goto soft;
    }
    if (strncmp(ver, "go", 2) && strncmp(ver, "devel", 5))
        goto soft;
    info->go_version = strdup(ver);
    if (!info->go_version)
        s->oom = 1;
    return;
soft:
    /* A missing or odd Go blob is not a corrupt ELF file. */
    if (!s->oom)
        s->err[0] = '\0';
}

/* The dynamic string table and the version tables sit next to each other
 * in the first segment: when they lie past the head, one read takes them
 * all instead of one read each.  The version tables have no size in the
 * dynamic section, hence the slack. */
static void prefetch_dynamic_tables(struct src *s, const struct dyn *d, const struct seg *segs,
                                    size_t nseg)
{
    uint64_t lo = UINT64_MAX, hi = 0, off;
    if (d->have_strtab && vaddr_to_off(segs, nseg, d->strtab, &off) == 0 &&
        d->strsz <= MAX_ONE_RANGE) {
        lo = off;
        hi = off + d->strsz;
    }
    const uint64_t tabs[2] = {d->verneed, d->verdef};
    for (int i = 0; i < 2; i++) {
        if (!tabs[i] || vaddr_to_off(segs, nseg, tabs[i], &off) < 0)
            continue;
        if (off < lo)
            lo = off;
        if (off + 4096 > hi)
            hi = off + 4096;
    }
    if (hi > s->size)
        hi = s->size;
    if (lo >= hi || hi <= s->head_len || hi - lo > MAX_ONE_RANGE)
        return;
    get(s, lo, hi - lo, "dynamic tables");
    s->err[0] = '\0';   /* a failed prefetch is retried piecewise, with its own errors */
}

/* The GNU ABI tag note (glibc's crt1.o puts it in every program): the
 * oldest kernel the C library supports.  Only looked for in the head, where
 * linkers place notes: never worth a read of its own. */
static void parse_abi_tag(struct src *s, struct elf_info *info, uint64_t off, uint64_t sz,
                          uint64_t align)
{
    uint64_t a = align == 8 ? 8 : 4;
    const unsigned char *p;
    if (off < s->head_len && sz <= s->head_len - off)
        p = s->head + off;
    else if (s->v->exact_reads && sz <= 4096 && !s->err[0]) {
        /* Exact reads are cheap: fetch the note, and forget a failure. */
        if (!(p = get(s, off, sz, "note"))) {
            s->err[0] = '\0';
            return;
        }
    } else
        return;
    const unsigned char *end = p + sz;
    while (end - p >= 12) {
        uint32_t nsz = u32(s, p), dsz = u32(s, p + 4), type = u32(s, p + 8);
        uint64_t nspan = ((uint64_t)nsz + a - 1) / a * a, dspan = ((uint64_t)dsz + a - 1) / a * a;
        if (nspan > (uint64_t)(end - p) - 12 || dspan > (uint64_t)(end - p) - 12 - nspan)
            return;
        const unsigned char *name = p + 12, *desc = name + nspan;
        if (type == NT_GNU_ABI_TAG && nsz == 4 && !memcmp(name, "GNU", 4) && dsz >= 16 &&
            u32(s, desc) == ELF_NOTE_OS_LINUX) {
            snprintf(info->min_kernel, sizeof info->min_kernel, "%u.%u.%u", u32(s, desc + 4),
                     u32(s, desc + 8), u32(s, desc + 12));
            return;
        }
        p = desc + dspan;
    }
}

int elf_parse(vfs *v, const unsigned char *head, size_t head_len, struct elf_info *info)
{
    struct src s = {.v = v, .path = info->path, .size = info->size, .head = head,
                    .head_len = head_len};
    struct seg *segs = NULL;
    struct dyn d = {0};
    size_t nseg = 0;
    uint64_t interp_off = 0, interp_sz = 0, dyn_off = 0, dyn_sz = 0;
    int have_interp = 0, have_dyn = 0;
    uint64_t go_off = 0;
    int have_go = 0;

    if (head_len < EI_NIDENT || memcmp(head, ELFMAG, SELFMAG) != 0) {
        fail(&s, "no ELF magic");
        goto out;
    }
    if (head[EI_CLASS] != ELFCLASS32 && head[EI_CLASS] != ELFCLASS64) {
        fail(&s, "unknown ELF class %u", head[EI_CLASS]);
        goto out;
    }
    if (head[EI_DATA] != ELFDATA2LSB && head[EI_DATA] != ELFDATA2MSB) {
        fail(&s, "unknown ELF byte order %u", head[EI_DATA]);
        goto out;
    }
    s.c64 = head[EI_CLASS] == ELFCLASS64;
    s.be = head[EI_DATA] == ELFDATA2MSB;
    info->cls = s.c64 ? 64 : 32;
    info->big_endian = s.be;
    info->osabi = head[EI_OSABI];

    const unsigned char *eh = get(&s, 0, s.c64 ? 64 : 52, "ELF header");
    if (!eh)
        goto out;
    unsigned etype = u16(&s, eh + 16);
    info->machine = u16(&s, eh + 18);
    info->x32 = !s.c64 && info->machine == EM_X86_64;
    uint64_t phoff = s.c64 ? u64(&s, eh + 32) : u32(&s, eh + 28);
    uint64_t shoff = s.c64 ? u64(&s, eh + 40) : u32(&s, eh + 32);
    const unsigned char *q = eh + (s.c64 ? 54 : 42);
    unsigned phentsize = u16(&s, q), phnum = u16(&s, q + 2);
    unsigned shentsize = u16(&s, q + 4);
    uint64_t shnum = u16(&s, q + 6);
    unsigned shstrndx = u16(&s, q + 8);
    size_t phsz = s.c64 ? 56 : 32, shsz = s.c64 ? 64 : 40;

    /* Extended numbering keeps the real counts in section header 0. */
    const unsigned char *sh0 = NULL;
    if (shoff && (shnum == 0 || phnum == PN_XNUM || shstrndx == SHN_XINDEX)) {
        if (shentsize < shsz) {
            fail(&s, "section header size %u too small", shentsize);
            goto out;
        }
        if (!(sh0 = get(&s, shoff, shsz, "section header 0")))
            goto out;
        if (shnum == 0)
            shnum = s.c64 ? u64(&s, sh0 + 32) : u32(&s, sh0 + 20);
        if (phnum == PN_XNUM)
            phnum = u32(&s, sh0 + (s.c64 ? 44 : 28));
        if (shstrndx == SHN_XINDEX)
            shstrndx = u32(&s, sh0 + (s.c64 ? 40 : 24));
    }

    switch (etype) {
    case ET_EXEC: info->type = "exec"; break;
    case ET_DYN: info->type = "shared"; break;
    case ET_REL: info->type = "relocatable"; break;
    case ET_CORE: info->type = "core"; break;
    default:
        fail(&s, "unknown ELF type %u", etype);
        goto out;
    }

    /* Program headers: loadable segments, interpreter, dynamic section. */
    if (phnum && etype != ET_REL) {
        if (phentsize < phsz) {
            fail(&s, "program header size %u too small", phentsize);
            goto out;
        }
        const unsigned char *ph = get(&s, phoff, (uint64_t)phnum * phentsize, "program headers");
        if (!ph)
            goto out;
        if (!(segs = calloc(phnum, sizeof *segs))) {
            s.oom = 1;
            goto out;
        }
        for (unsigned i = 0; i < phnum; i++) {
            const unsigned char *p = ph + (size_t)i * phentsize;
            uint32_t pt = u32(&s, p);
            uint64_t off = s.c64 ? u64(&s, p + 8) : u32(&s, p + 4);
            uint64_t va = s.c64 ? u64(&s, p + 16) : u32(&s, p + 8);
            uint64_t fsz = s.c64 ? u64(&s, p + 32) : u32(&s, p + 16);
            uint32_t fl = s.c64 ? u32(&s, p + 4) : u32(&s, p + 24);
            if (pt == PT_LOAD)
                segs[nseg++] = (struct seg){va, off, fsz, fl};
            else if (pt == PT_INTERP && !have_interp)
                interp_off = off, interp_sz = fsz, have_interp = 1;
            else if (pt == PT_DYNAMIC && !have_dyn)
                dyn_off = off, dyn_sz = fsz, have_dyn = 1;
            else if (pt == PT_NOTE && !info->min_kernel[0])
                parse_abi_tag(&s, info, off, fsz, s.c64 ? u64(&s, p + 48) : u32(&s, p + 28));
        }
    }

    if (have_interp && etype != ET_CORE) {
        if (interp_sz > 4096)
            interp_sz = 4096;
        const unsigned char *p = get(&s, interp_off, interp_sz, "interpreter");
        if (!p)
            goto out;
        const unsigned char *nul = memchr(p, '\0', interp_sz);
        size_t n = nul ? (size_t)(nul - p) : interp_sz;
        if (!(info->interp = strndup((const char *)p, n)))
            goto oom;
    }

    if (have_dyn && etype != ET_CORE) {
        info->has_dynamic = 1;
        if (parse_dynamic(&s, dyn_off, dyn_sz, &d) < 0)
            goto out;
        const unsigned char *str = NULL;
        uint64_t stroff;
        prefetch_dynamic_tables(&s, &d, segs, nseg);
        if (d.nneeded || d.have_soname || d.nrpath || d.nrunpath || d.verneed || d.verdef) {
            if (!d.have_strtab || vaddr_to_off(segs, nseg, d.strtab, &stroff) < 0) {
                fail(&s, "dynamic string table lies outside every segment");
                goto out;
            }
            if (d.strsz > MAX_ONE_RANGE) {
                fail(&s, "dynamic string table of %llu bytes", (unsigned long long)d.strsz);
                goto out;
            }
            if (!(str = get(&s, stroff, d.strsz, "dynamic string table")))
                goto out;
        }
        for (size_t i = 0; i < d.nneeded; i++) {
            const char *n = tstr(&s, str, d.strsz, d.needed[i], "NEEDED");
            if (!n)
                goto out;
            if (strv_add(&info->needed, n) < 0)
                goto oom;
        }
        if (d.have_soname) {
            const char *n = tstr(&s, str, d.strsz, d.soname, "SONAME");
            if (!n)
                goto out;
            if (!(info->soname = strdup(n)))
                goto oom;
        }
        for (size_t i = 0; i < d.nrpath; i++) {
            const char *n = tstr(&s, str, d.strsz, d.rpath[i], "RPATH");
            if (!n)
                goto out;
            if (add_path_list(&info->rpath, n) < 0)
                goto oom;
        }
        for (size_t i = 0; i < d.nrunpath; i++) {
            const char *n = tstr(&s, str, d.strsz, d.runpath[i], "RUNPATH");
            if (!n)
                goto out;
            if (add_path_list(&info->runpath, n) < 0)
                goto oom;
        }
        uint64_t off;
        if (d.verneed && d.verneednum) {
            if (vaddr_to_off(segs, nseg, d.verneed, &off) < 0) {
                fail(&s, "version needs lie outside every segment");
                goto out;
            }
            if (parse_verneed(&s, info, off, d.verneednum, str, d.strsz) < 0)
                goto out;
        }
        if (d.verdef && d.verdefnum) {
            if (vaddr_to_off(segs, nseg, d.verdef, &off) < 0) {
                fail(&s, "version definitions lie outside every segment");
                goto out;
            }
            if (parse_verdef(&s, info, off, d.verdefnum, str, d.strsz) < 0)
                goto out;
        }
    }

    if (etype == ET_DYN) {
        if (d.flags_1 & DF_1_PIE)
            info->type = "pie";
        else if (!info->soname && have_interp)
            info->type = "pie";     /* PIE from linkers without DF_1_PIE */
    }
    if (!strcmp(info->type, "exec") || !strcmp(info->type, "pie"))
        info->is_static = !have_interp;

    /* Section headers: symbol table (stripped?), kernel module, Go. */
    info->stripped = 1;
    if (shoff && shnum && etype != ET_CORE) {
        if (shentsize < shsz) {
            fail(&s, "section header size %u too small", shentsize);
            goto out;
        }
        if (shnum > MAX_ONE_RANGE / shentsize) {
            fail(&s, "%llu section headers", (unsigned long long)shnum);
            goto out;
        }
        const unsigned char *sh = get(&s, shoff, shnum * shentsize, "section headers");
        if (!sh)
            goto out;
        const unsigned char *names = NULL;
        uint64_t names_sz = 0;
        if (shstrndx != SHN_UNDEF) {
            if (shstrndx >= shnum) {
                fail(&s, "section name table index %u out of range", shstrndx);
                goto out;
            }
            const unsigned char *x = sh + (size_t)shstrndx * shentsize;
            uint64_t o = s.c64 ? u64(&s, x + 24) : u32(&s, x + 16);
            names_sz = s.c64 ? u64(&s, x + 32) : u32(&s, x + 20);
            if (names_sz > MAX_ONE_RANGE) {
                fail(&s, "section name table of %llu bytes", (unsigned long long)names_sz);
                goto out;
            }
            /* Fetched ranges never move, so sh stays valid. */
            if (!(names = get(&s, o, names_sz, "section name table")))
                goto out;
        }
        for (uint64_t i = 0; i < shnum; i++) {
            const unsigned char *x = sh + (size_t)i * shentsize;
            uint32_t type = u32(&s, x + 4);
            if (type == SHT_SYMTAB)
                info->stripped = 0;
            if (!names)
                continue;
            uint32_t ni = u32(&s, x);
            if (ni >= names_sz || !memchr(names + ni, '\0', (size_t)(names_sz - ni)))
                continue;
            const char *nm = (const char *)names + ni;
            uint64_t o = s.c64 ? u64(&s, x + 24) : u32(&s, x + 16);
            if (!strcmp(nm, ".modinfo") && etype == ET_REL)
                info->kmod = 1;
            else if (!strcmp(nm, ".go.buildinfo") && type != SHT_NOBITS)
                go_off = o, have_go = 1;
        }
    }
    if (have_go)
        parse_go(&s, info, go_off, segs, nseg);

out:
    if (s.oom)
        goto oom;
    if (s.err[0] && !(info->error = strdup(s.err)))
        goto oom;
    info->reads += s.reads;
    free(segs);
    free(d.needed);
    free(d.rpath);
    free(d.runpath);
    src_free(&s);
    return 0;
oom:
    free(segs);
    free(d.needed);
    free(d.rpath);
    free(d.runpath);
    src_free(&s);
    return -1;
}

void elf_info_free(struct elf_info *f)
{
    for (size_t i = 0; i < f->needed.n; i++) {  /* sized by needed: before needed goes */
        if (f->resolved)
            free(f->resolved[i]);
        if (f->outside)
            free(f->outside[i]);
    }
    free(f->resolved);
    free(f->outside);
    free(f->path);
    free(f->interp);
    free(f->soname);
    free(f->go_version);
    free(f->error);
    strv_free(&f->needed);
    strv_free(&f->rpath);
    strv_free(&f->runpath);
    strv_free(&f->vdef);
    strv_free(&f->links);
    for (size_t i = 0; i < f->nvn; i++) {
        free(f->vn[i].lib);
        strv_free(&f->vn[i].vers);
    }
    free(f->vn);
    memset(f, 0, sizeof *f);
}

const char *elf_machine_name(unsigned m, char *buf, size_t cap)
{
    switch (m) {
    case EM_X86_64: return "x86_64";
    case EM_386: return "i386";
    case EM_AARCH64: return "aarch64";
    case EM_ARM: return "arm";
    case EM_PPC64: return "ppc64";
    case EM_PPC: return "ppc";
    case EM_S390: return "s390";
    case EM_MIPS: return "mips";
    case EM_RISCV: return "riscv";
    case EM_SPARC: return "sparc";
    case EM_SPARCV9: return "sparc64";
    case EM_IA_64: return "ia64";
    case EM_LOONGARCH: return "loongarch";
    case EM_BPF: return "bpf";
    case EM_PARISC: return "parisc";
    case EM_ALPHA: return "alpha";
    case EM_SH: return "sh";
    case EM_68K: return "m68k";
    case EM_NONE: return "none";
    default:
        snprintf(buf, cap, "em_%u", m);
        return buf;
    }
}

const char *elf_osabi_name(unsigned a, char *buf, size_t cap)
{
    switch (a) {
    case ELFOSABI_SYSV: return "sysv";
    case ELFOSABI_GNU: return "gnu";
    case ELFOSABI_FREEBSD: return "freebsd";
    case ELFOSABI_NETBSD: return "netbsd";
    case ELFOSABI_OPENBSD: return "openbsd";
    case ELFOSABI_SOLARIS: return "solaris";
    case ELFOSABI_ARM: return "arm";
    case ELFOSABI_STANDALONE: return "standalone";
    default:
        snprintf(buf, cap, "osabi_%u", a);
        return buf;
    }
}

const char *elf_libc_of_interp(const char *interp)
{
    if (!interp)
        return NULL;
    const char *b = strrchr(interp, '/');
    b = b ? b + 1 : interp;
    if (!strncmp(b, "ld-musl-", 8))
        return "musl";
    if (!strncmp(b, "ld-uClibc", 9) || !strncmp(b, "ld64-uClibc", 11))
        return "uclibc";
    if (!strncmp(b, "linker", 6) && strstr(interp, "/system/"))
        return "bionic";
    if (!strncmp(b, "ld-linux", 8) || !strncmp(b, "ld64.so", 7) || !strncmp(b, "ld.so", 5))
        return "glibc";
    return "other";
}
