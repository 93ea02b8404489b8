/* ELF inventory: walks every mounted filesystem, recognises ELF files by
 * their magic, parses their headers (elf_read.c), resolves their libraries
 * as ld.so would (ldso.c), finds their owning package (dpkg.c, apk.c) and
 * writes the "elf_files" and "elf_summary" sections. */
#include "scanners/scanners.h"
#include "elf_int.h"
#include "model/elf_files.h"
#include "model/jdoc.h"
#include "util/cleanup.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EVIDENCE 200        /* lines of evidence in one finding */

struct walk_ctx {
    struct scan_ctx *c;
    struct elf_inventory *inv;
    struct strmap inodes;       /* "dev:ino" of hard-linked ELF files -> file index */
    unsigned char *head;
    uint64_t regular, opened, read_errors, aout;
    struct strv aout_paths;     /* the first MAX_EVIDENCE a.out programs */
    struct strv cache_dirs;     /* directories a CACHEDIR.TAG marks as caches */
    char first_read_error[600];
    int oom;
};

static int skipped_dir(const char *path)
{
    static const char *const skip[] = {"/proc", "/sys", "/dev", "/run"};
    for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
        if (!strcmp(path, skip[i]))
            return 1;
    return 0;
}

/* Linux a.out: the first little-endian word holds the magic (OMAGIC,
 * NMAGIC, ZMAGIC, QMAGIC) and, in bits 16-23, the machine (M_386 = 100).
 * Two bytes of magic match many data files, so only executables count. */
static int is_aout(const unsigned char *h, size_t n, uint32_t mode)
{
    if (n < 32 || !(mode & 0111))
        return 0;
    uint32_t w = (uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 24;
    uint32_t magic = w & 0xffff;
    return ((w >> 16) & 0xff) == 100 && (w >> 24) == 0 &&
           (magic == 0407 || magic == 0410 || magic == 0413 || magic == 0314);
}

/* The Cache Directory Tagging spec: a file CACHEDIR.TAG that begins with
 * this signature marks its directory, and all below, as a cache. */
#define CACHEDIR_SIGNATURE "Signature: 8a477f597d28d172789f06886806bc55"
#define MAX_CACHE_DIRS 10000

static int note_cache_dir(struct walk_ctx *w, const char *path)
{
    char sig[sizeof CACHEDIR_SIGNATURE - 1];
    const char *slash = strrchr(path, '/');
    if (w->cache_dirs.n >= MAX_CACHE_DIRS || !slash ||
        vfs_pread(w->c->v, path, sig, sizeof sig, 0) != (ssize_t)sizeof sig ||
        memcmp(sig, CACHEDIR_SIGNATURE, sizeof sig))
        return 0;
    return strv_addn(&w->cache_dirs, path, slash > path ? (size_t)(slash - path) : 1);
}

static int walk_cb(const char *path, const struct vfs_stat *st, void *opaque)
{
    struct walk_ctx *w = opaque;
    struct elf_inventory *inv = w->inv;
    char key[64];

    if (st->type == VFS_DIR)
        return skipped_dir(path) ? 1 : 0;
    if (st->type == VFS_LNK) {
        if (strmap_put(&inv->symlinks, path, 0) < 0)
            goto oom;
        if (strchr(path + 1, '/') == NULL && strv_add(&inv->top_links, path) < 0)
            goto oom;
        return 0;
    }
    if (st->type != VFS_REG)
        return 0;
    w->regular++;
    const char *base = strrchr(path, '/');
    if (base && !strcmp(base + 1, "CACHEDIR.TAG") && note_cache_dir(w, path) < 0)
        goto oom;
    if (st->size < MIN_ELF_SIZE)
        return 0;
    /* Hard links: parsed once, listed under every name, each name found by
     * resolution. */
    snprintf(key, sizeof key, "%" PRIu64 ":%" PRIu64, st->dev, st->ino);
    if (st->nlink > 1) {
        long seen = strmap_get(&w->inodes, key);
        if (seen >= 0) {
            if (strmap_put(&inv->by_path, path, seen) < 0 ||
                strv_add(&inv->files[seen].links, path) < 0)
                goto oom;
            return 0;
        }
    }
    size_t want = elf_head_len(w->c->v, st->size);
    ssize_t n = vfs_pread(w->c->v, path, w->head, want, 0);
    w->opened++;
    if (n < 0) {
        if (!w->read_errors++)
            snprintf(w->first_read_error, sizeof w->first_read_error, "%s", vfs_error(w->c->v));
        return 0;
    }
    if ((size_t)n < SELFMAG || memcmp(w->head, ELFMAG, SELFMAG) != 0) {
        /* Other hard-linked files are not remembered: memory follows ELF
         * files, not the files of a tree of hard-linked copies. */
        if (is_aout(w->head, (size_t)n, st->mode) && w->aout++ < MAX_EVIDENCE &&
            strv_add(&w->aout_paths, path) < 0)
            goto oom;
        return 0;
    }
    if (inv->n == inv->cap) {
        inv->cap = inv->cap ? inv->cap * 2 : 256;
        inv->files = xreallocarray(inv->files, inv->cap, sizeof *inv->files);
    }
    struct elf_info *f = &inv->files[inv->n];
    memset(f, 0, sizeof *f);
    f->path = xstrdup(path);
    f->size = st->size;
    f->dev = st->dev;
    f->ino = st->ino;
    f->volume = scan_volume_of(w->c, st);
    f->reads = 1;
    inv->n++;
    if (elf_parse(w->c->v, w->head, (size_t)n, f) < 0)
        goto oom;
    if (strmap_put(&inv->by_path, path, (long)inv->n - 1) < 0 ||
        (st->nlink > 1 && strmap_put(&w->inodes, key, (long)inv->n - 1) < 0))
        goto oom;
    return 0;
oom:
    w->oom = 1;
    return -1;
}

/* One line of elf_files: a file under one of its names.  first marks the
 * name the walk met first, where the summary counts the file. */
struct listing {
    const char *path;
    const struct elf_info *f;
    int first;
};

static int cmp_listing_path(const void *a, const void *b)
{
    return strcmp(((const struct listing *)a)->path, ((const struct listing *)b)->path);
}

/* Every name of every file, sorted by path. */
static struct listing *list_names(const struct elf_inventory *inv, size_t *n)
{
    size_t total = 0;
    for (size_t i = 0; i < inv->n; i++)
        total += 1 + inv->files[i].links.n;
    struct listing *l = xreallocarray(NULL, total ? total : 1, sizeof *l);
    size_t k = 0;
    for (size_t i = 0; i < inv->n; i++) {
        const struct elf_info *f = &inv->files[i];
        l[k++] = (struct listing){f->path, f, 1};
        for (size_t j = 0; j < f->links.n; j++)
            l[k++] = (struct listing){f->links.v[j], f, 0};
    }
    qsort(l, total, sizeof *l, cmp_listing_path);
    *n = total;
    return l;
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

long elf_inv_lookup_alias(const struct elf_inventory *inv, const char *path)
{
    long idx = strmap_get(&inv->by_path, path);
    if (idx >= 0)
        return idx;
    /* usr-merge: "/bin/ls" is reached as "/usr/bin/ls". */
    for (size_t i = 0; i < inv->top_links.n; i++) {
        const char *l = inv->top_links.v[i], *t = inv->top_targets.v[i];
        size_t n = strlen(l);
        if (!t || strncmp(path, l, n) != 0 || path[n] != '/')
            continue;
        char buf[4096];
        if (snprintf(buf, sizeof buf, "%s%s", strcmp(t, "/") ? t : "", path + n)
            >= (int)sizeof buf)
            continue;
        if ((idx = strmap_get(&inv->by_path, buf)) >= 0)
            return idx;
    }
    return -1;
}

/* Object keys come from the guest too: they must be valid UTF-8.  Returns
 * key, or its cleaned copy, which *owned then holds. */
static const char *json_key(const char *key, char **owned)
{
    size_t n = strlen(key);
    *owned = utf8_valid(key, n) ? NULL : oom_check(utf8_sanitize(key, n));
    return *owned ? *owned : key;
}

static void add_key(json_object *o, const char *key, json_object *val)
{
    _cleanup_free_ char *owned = NULL;
    doc_put(o, json_key(key, &owned), val);
}

/* The strings of s as a JSON array. */
static json_object *strv_json(const struct strv *s)
{
    json_object *a = jarray();
    for (size_t i = 0; i < s->n; i++)
        doc_push(a, jstr(s->v[i]));
    return a;
}

/* Highest numbered version of one family over all the file's needs. */
static const char *family_max(const struct elf_info *f, const char *family)
{
    const char *best = NULL;
    for (size_t i = 0; i < f->nvn; i++)
        for (size_t j = 0; j < f->vn[i].vers.n; j++) {
            char fam[64];
            const char *num;
            if (elf_version_split(f->vn[i].vers.v[j], fam, sizeof fam, &num) < 0 ||
                strcmp(fam, family) != 0)
                continue;
            if (!best || version_cmp(num, best) > 0)
                best = num;
        }
    return best;
}

static json_object *family_maxes(const struct elf_info *f)
{
    json_object *o = jobject();
    for (size_t i = 0; i < f->nvn; i++)
        for (size_t j = 0; j < f->vn[i].vers.n; j++) {
            char fam[64];
            const char *num;
            if (elf_version_split(f->vn[i].vers.v[j], fam, sizeof fam, &num) < 0)
                continue;
            _cleanup_free_ char *owned = NULL;
            const char *key = json_key(fam, &owned), *cur = doc_str(o, key);
            if (cur && version_cmp(num, cur) <= 0)
                continue;
            doc_put(o, key, jstr(num));
        }
    return o;
}

static const char *class_name(int cls)
{
    return cls == 64 ? "ELF64" : "ELF32";
}

static json_object *file_json(const struct elf_info *f, const char *path, size_t *nmissing)
{
    json_object *o = jobject();
    char mb[32], ob[32];

    doc_put(o, "path", jstr(path));
    doc_put(o, "volume", jint(f->volume));
    doc_put(o, "size", jint((int64_t)f->size));
    doc_put(o, "type", jstr_or_null(f->error ? NULL : f->type));
    doc_put(o, "class", f->cls ? jstr(class_name(f->cls)) : NULL);
    doc_put(o, "machine", f->cls ? jstr(elf_machine_name(f->machine, mb, sizeof mb)) : NULL);
    doc_put(o, "os_abi", f->cls ? jstr(elf_osabi_name(f->osabi, ob, sizeof ob)) : NULL);
    doc_put(o, "x32", jbool(f->x32));
    doc_put(o, "static", jbool(f->is_static));
    doc_put(o, "interpreter", jstr_or_null(f->interp));
    const char *libc = elf_libc_of_interp(f->interp);
    if (!libc && f->is_static && f->min_kernel[0])
        libc = "glibc";     /* only glibc's start files carry the ABI tag */
    doc_put(o, "libc", jstr_or_null(libc));
    doc_put(o, "min_kernel", jstr_or_null(f->min_kernel[0] ? f->min_kernel : NULL));
    doc_put(o, "soname", jstr_or_null(f->soname));
    doc_put(o, "needed", strv_json(&f->needed));
    doc_put(o, "rpath", strv_json(&f->rpath));
    doc_put(o, "runpath", strv_json(&f->runpath));

    json_object *missing = jarray(), *resolved = jobject();
    json_object *outside = jobject();
    *nmissing = 0;
    for (size_t i = 0; i < f->needed.n; i++) {
        const char *r = f->resolved ? f->resolved[i] : NULL;
        if (r) {
            add_key(resolved, f->needed.v[i], jstr(r));
        } else if (f->outside && f->outside[i]) {
            add_key(outside, f->needed.v[i], jstr(f->outside[i]));
        } else if (f->resolved) {
            doc_push(missing, jstr(f->needed.v[i]));
            (*nmissing)++;
        }
    }
    if (f->interp_missing) {
        doc_push(missing, jstr(f->interp));
        (*nmissing)++;
    }
    doc_put(o, "missing_needed", missing);
    doc_put(o, "resolved", resolved);
    doc_put(o, "found_outside_path", outside);

    json_object *vn = jobject();
    for (size_t i = 0; i < f->nvn; i++) {
        _cleanup_free_ char *owned = NULL;
        const char *key = json_key(f->vn[i].lib, &owned);
        json_object *cur = doc_arr(vn, key);
        if (!cur) {
            cur = jarray();
            doc_put(vn, key, cur);
        }
        for (size_t j = 0; j < f->vn[i].vers.n; j++)
            doc_push(cur, jstr(f->vn[i].vers.v[j]));
    }
    doc_put(o, "version_needs", vn);
    doc_put(o, "version_max", family_maxes(f));
    doc_put(o, "versions_defined", strv_json(&f->vdef));
    doc_put(o, "glibc_max", jstr_or_null(family_max(f, "GLIBC")));
    doc_put(o, "glibcxx_max", jstr_or_null(family_max(f, "GLIBCXX")));
    doc_put(o, "cxxabi_max", jstr_or_null(family_max(f, "CXXABI")));
    doc_put(o, "stripped", jbool(f->stripped));
    doc_put(o, "kernel_module", jbool(f->kmod));
    doc_put(o, "go_version", jstr_or_null(f->go_version));
    doc_put(o, "package", jstr_or_null(f->package));
    doc_put(o, "error", jstr_or_null(f->error));
    return o;
}

static void count(json_object *obj, const char *key)
{
    int64_t n = 0;
    doc_int(obj, key, &n);
    doc_put(obj, key, jint(n + 1));
}

static void raise_max(const char **best, const char *v)
{
    if (v && (!*best || version_cmp(v, *best) > 0))
        *best = v;
}

/* What one finding per volume collects.  A file an OS package owns missed
 * its library before the move too (an optional plugin's dependency, say):
 * that is information, not a warning. */
enum elf_concern { MISSING_THIRD_PARTY, MISSING_PACKAGED, CORRUPT };

/* The evidence line of g for this concern, or 0 when g has nothing of it. */
static size_t concern_line(const struct elf_info *g, enum elf_concern kind, char *line, size_t cap)
{
    size_t o = 0;
    if (kind == CORRUPT)
        return g->error ? (size_t)snprintf(line, cap, "%s", g->error) : 0;
    if ((kind == MISSING_PACKAGED) != (g->package != NULL))
        return 0;
    if (g->interp_missing)
        o += (size_t)snprintf(line, cap, "%s", g->interp);
    for (size_t k = 0; g->resolved && k < g->needed.n; k++)
        if (!g->resolved[k] && !(g->outside && g->outside[k]) && o < cap)
            o += (size_t)snprintf(line + o, cap - o, "%s%s", o ? ", " : "", g->needed.v[k]);
    return o;
}

static json_object *concern_finding(struct scan_ctx *c, enum elf_concern kind, int vol)
{
    if (kind == CORRUPT)
        return report_add_finding(c->r, F_ELF_CORRUPT, vol, NULL, NULL);
    if (kind == MISSING_THIRD_PARTY)
        return report_add_finding(c->r, F_ELF_MISSING_LIBS, vol,
                                  "Install the packages that provide these libraries in the "
                                  "target image, or ship them with the application.", NULL);
    json_object *fd = report_add_findingf(c->r, F_ELF_MISSING_LIBS, vol,
                                          "Nothing to do for the move: these files of OS "
                                          "packages lacked the libraries before it too.",
                                          "files of OS packages");
    if (fd)
        report_finding_severity(fd, SEV_INFO);
    return fd;
}

/* One finding per volume, evidence capped. */
static void add_findings(struct scan_ctx *c, const struct elf_inventory *inv, enum elf_concern kind)
{
    int done_vols[64];
    int ndone = 0;
    for (size_t i = 0; i < inv->n; i++) {
        const struct elf_info *f = &inv->files[i];
        int vol = f->volume, seen = 0;
        for (int k = 0; k < ndone; k++)
            seen |= done_vols[k] == vol;
        if (seen || ndone == 64)
            continue;
        done_vols[ndone++] = vol;
        json_object *fd = NULL;
        size_t nfiles = 0;
        for (size_t j = i; j < inv->n; j++) {
            const struct elf_info *g = &inv->files[j];
            char line[1024];
            if (g->volume != vol || !concern_line(g, kind, line, sizeof line))
                continue;
            nfiles++;
            if (nfiles <= MAX_EVIDENCE) {
                if (!fd)
                    fd = concern_finding(c, kind, vol);
                report_finding_evidence(fd, kind == CORRUPT ? "%s: %s" : "%s needs %s", g->path, line);
            }
        }
        if (fd && nfiles > MAX_EVIDENCE)
            report_finding_evidence(fd, "... and %zu more files", nfiles - MAX_EVIDENCE);
    }
}

int scan_elf(struct scan_ctx *c)
{
    struct elf_inventory inv = {0};
    struct walk_ctx w = {.c = c, .inv = &inv};
    struct vfs_walk_result wr;
    struct ldso l = {0};
    struct strv owners = {0};
    const char *pkgdb = NULL;
    int rc = -1;

    w.head = xmalloc(ELF_HEAD_SIZE);
    if (vfs_walk(c->v, "/", NULL, walk_cb, &w, &wr) < 0 && !w.oom) {
        report_add_findingf(c->r, F_SCAN_READ_ERROR, c->root_volume, NULL,
                            "ELF inventory could not walk /: %s", vfs_error(c->v));
        c->r->incomplete = 1;
        if (!wr.entries) {
            rc = -2;    /* nothing to report: no sections rather than empty ones */
            goto out;
        }
    }
    if (w.oom)
        goto out;
    free(w.head);
    w.head = NULL;
    if (wr.depth_limited || wr.entries_limited) {
        report_add_findingf(c->r, F_SCAN_LIMIT, -1, NULL,
                            "ELF inventory walk stopped at %s", wr.entries_limited
                            ? "the entry limit" : "the depth limit in some directories");
        c->r->incomplete = 1;
    }
    if (wr.errors || w.read_errors) {
        json_object *fd = report_add_findingf(c->r, F_SCAN_READ_ERROR, -1, NULL,
                                              "ELF inventory: %" PRIu64 " directories and %"
                                              PRIu64 " files could not be read",
                                              wr.errors, w.read_errors);
        if (w.read_errors)
            report_finding_evidence(fd, "%s", w.first_read_error);
    }

    /* Top-level links ("/lib" -> "usr/lib") for usr-merge aliases. */
    for (size_t i = 0; i < inv.top_links.n; i++) {
        _cleanup_free_ char *real = NULL;
        if (vfs_realpath(c->v, inv.top_links.v[i], &real) < 0)
            real = NULL;
        if (strv_add(&inv.top_targets, real ? real : "") < 0)
            goto out;
        if (!inv.top_targets.v[i][0]) {
            free(inv.top_targets.v[i]);
            inv.top_targets.v[i] = NULL;
        }
    }

    if (ldso_load(c->v, &l) < 0 || ldso_resolve_all(c->v, &l, &inv) < 0)
        goto out;

    int np = dpkg_owners(c->v, &inv, &owners);
    if (np == -2)
        goto out;
    if (np >= 0)
        pkgdb = "dpkg";
    int na = apk_owners(c->v, &inv, &owners);
    if (na == -2)
        goto out;
    if (na >= 0)
        pkgdb = pkgdb ? "dpkg+apk" : "apk";
    struct lc_error rpm_err;
    int nr = rpm_owners(c->v, &inv, &owners, &rpm_err);
    if (nr == -ENOMEM && !rpm_err.code)
        goto out;
    if (nr >= 0)
        pkgdb = pkgdb ? "dpkg+rpm" : "rpm";
    if (rpm_err.code)
        report_add_findingf(c->r, F_SCAN_READ_ERROR, c->root_volume,
                            "Without package ownership every ELF file counts as third-party.",
                            "ELF inventory: %s", rpm_err.msg);

    /* Reports list files by path, whatever order the walk met them in. */
    size_t nnames;
    struct listing *names = list_names(&inv, &nnames);
    if (w.aout_paths.n)
        qsort(w.aout_paths.v, w.aout_paths.n, sizeof *w.aout_paths.v, cmp_cstr);
    struct elf_files *files = elf_files_new();
    if (!files) {
        free(names);
        goto out;
    }
    json_object *by_type = jobject(), *by_class = jobject();
    json_object *by_machine = jobject();
    const char *gmax = NULL, *gmax3 = NULL, *cxxmax = NULL;
    size_t missing_files = 0, corrupt = 0, third = 0, go = 0, outside = 0;
    uint64_t reads = 0;
    for (size_t k = 0; k < nnames; k++) {
        const struct elf_info *f = names[k].f;
        size_t nm;
        char mb[32];
        json_object *entry = file_json(f, names[k].path, &nm);
        int added = elf_files_add(files, entry);
        json_object_put(entry);
        if (added < 0)
            c->r->incomplete = 1;
        if (!names[k].first)
            continue;       /* the summary counts files, not names */
        reads += f->reads;
        missing_files += nm > 0;
        outside += f->outside != NULL;
        if (f->error) {
            corrupt++;
            count(by_type, "corrupt");
            continue;
        }
        count(by_type, f->kmod ? "kernel_module" : f->type);
        count(by_class, f->x32 ? "x32" : class_name(f->cls));
        count(by_machine, elf_machine_name(f->machine, mb, sizeof mb));
        const char *g = family_max(f, "GLIBC");
        raise_max(&gmax, g);
        raise_max(&cxxmax, family_max(f, "GLIBCXX"));
        if (!f->package) {
            third++;
            raise_max(&gmax3, g);
        }
        go += f->go_version != NULL;
    }
    json_object *sum = jobject();
    doc_put(sum, "count", jint((int64_t)inv.n));
    doc_put(sum, "by_type", by_type);
    doc_put(sum, "by_class", by_class);
    doc_put(sum, "by_machine", by_machine);
    doc_put(sum, "glibc_max", jstr_or_null(gmax));
    doc_put(sum, "glibc_max_third_party", jstr_or_null(gmax3));
    doc_put(sum, "glibcxx_max", jstr_or_null(cxxmax));
    doc_put(sum, "missing_libs", jint((int64_t)missing_files));
    doc_put(sum, "found_outside_path", jint((int64_t)outside));
    doc_put(sum, "corrupt", jint((int64_t)corrupt));
    doc_put(sum, "third_party", jint((int64_t)third));
    doc_put(sum, "go_binaries", jint((int64_t)go));
    doc_put(sum, "package_db", jstr_or_null(pkgdb));
    doc_put(sum, "files_walked", jint((int64_t)w.regular));
    doc_put(sum, "files_opened", jint((int64_t)w.opened));
    doc_put(sum, "elf_reads", jint((int64_t)reads));
    doc_put(sum, "aout_count", jint((int64_t)w.aout));
    doc_put(sum, "aout_files", strv_json(&w.aout_paths));
    doc_put(sum, "cache_dirs", strv_json(&w.cache_dirs));
    free(names);
    report_set(c->r, "elf_files", elf_files_node(files));
    report_set(c->r, "elf_summary", sum);

    add_findings(c, &inv, MISSING_THIRD_PARTY);
    add_findings(c, &inv, MISSING_PACKAGED);
    add_findings(c, &inv, CORRUPT);
    if (w.aout) {
        json_object *fd = report_add_findingf(
            c->r, F_ELF_AOUT, -1, "Run these programs in a VM with an older kernel, or rebuild "
            "them as ELF.", "%" PRIu64 " files", w.aout);
        for (size_t i = 0; i < w.aout_paths.n; i++)
            report_finding_evidence(fd, "%s", w.aout_paths.v[i]);
    }
    rc = 0;
out:
    if (rc == -2) {
        rc = -1;
    } else if (rc < 0) {
        report_add_findingf(c->r, F_SCAN_READ_ERROR, -1, NULL, "ELF inventory: out of memory");
        c->r->incomplete = 1;
    }
    free(w.head);
    strmap_free(&w.inodes);
    strv_free(&w.aout_paths);
    strv_free(&w.cache_dirs);
    for (size_t i = 0; i < inv.n; i++)
        elf_info_free(&inv.files[i]);
    free(inv.files);
    strmap_free(&inv.by_path);
    strmap_free(&inv.symlinks);
    strv_free(&inv.top_links);
    for (size_t i = 0; i < inv.top_targets.n; i++)
        free(inv.top_targets.v[i]);
    free(inv.top_targets.v);
    ldso_free(&l);
    strv_free(&owners);
    return rc;
}
