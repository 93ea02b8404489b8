/* Library resolution as the guest's dynamic loader would do it.
 *
 * Search order (glibc): DT_RPATH (only when there is no DT_RUNPATH),
 * DT_RUNPATH, the ld.so.conf directories (what ld.so.cache is built from),
 * then the built-in directories.  musl reads /etc/ld-musl-<arch>.path
 * instead.  A candidate only counts when its class and machine match the
 * object that needs it; ld.so skips the others and keeps looking.
 *
 * Lookups go to the inventory the walk built (every walked path is
 * canonical, because the walk never follows links), so a missing candidate
 * costs no vfs call; only directories and symlinked candidates are resolved
 * through vfs_realpath, each once. */
#include "elf_int.h"

#include "util/cleanup.h"
#include "util/xalloc.h"

#include <elf.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CONF_FILES 256
#define CONF_CAP (1u << 20)

static int add_dir(struct strv *dirs, const char *d, size_t n)
{
    char buf[4096];
    while (n > 1 && d[n - 1] == '/')
        n--;
    /* libc5-era "dir=type" suffixes. */
    const char *eq = memchr(d, '=', n);
    if (eq)
        n = (size_t)(eq - d);
    if (!n || d[0] != '/' || n >= sizeof buf)
        return 0;
    memcpy(buf, d, n);
    buf[n] = '\0';
    return strv_has(dirs, buf) ? 0 : strv_add(dirs, buf);
}

/* Expands an include pattern: wildcards only in the last component, as
 * every distribution uses ("ld.so.conf.d/\*.conf"). */
static int add_include(vfs *v, const char *conf, const char *pat, struct strv *queue)
{
    char full[4096], dir[4096];
    if (pat[0] == '/') {
        snprintf(full, sizeof full, "%s", pat);
    } else {
        const char *sl = strrchr(conf, '/');
        int n = (int)(sl - conf);
        snprintf(full, sizeof full, "%.*s/%s", n, conf, pat);
    }
    char *sl = strrchr(full, '/');
    if (!sl)
        return 0;
    snprintf(dir, sizeof dir, "%.*s", (int)(sl - full), full);
    if (!dir[0])
        strcpy(dir, "/");
    const char *base = sl + 1;
    if (!strpbrk(base, "*?[")) {
        return queue->n < MAX_CONF_FILES && !strv_has(queue, full) ? strv_add(queue, full) : 0;
    }
    char **names = NULL;
    if (vfs_list(v, dir, &names) < 0)
        return 0;   /* a missing include directory is no error for ld.so */
    int rc = 0;
    for (size_t i = 0; names[i] && rc == 0; i++) {
        if (fnmatch(base, names[i], FNM_PERIOD) != 0)
            continue;
        char p[4096];
        if (snprintf(p, sizeof p, "%s/%s", strcmp(dir, "/") ? dir : "", names[i]) >= (int)sizeof p)
            continue;
        if (queue->n < MAX_CONF_FILES && !strv_has(queue, p))
            rc = strv_add(queue, p);
    }
    vfs_free_names(names);
    return rc;
}

static int parse_conf(vfs *v, const char *path, char *text, struct strv *dirs,
                      struct strv *queue)
{
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *p = line + strspn(line, " \t\r");
        if (!strncmp(p, "include", 7) && (p[7] == ' ' || p[7] == '\t')) {
            char *s2 = NULL;
            for (char *t = strtok_r(p + 8, " \t\r", &s2); t; t = strtok_r(NULL, " \t\r", &s2))
                if (add_include(v, path, t, queue) < 0)
                    return -1;
            continue;
        }
        if (!strncmp(p, "hwcap", 5) && (p[5] == ' ' || p[5] == '\t'))
            continue;
        while (*p) {
            size_t n = strcspn(p, " \t\r:,");
            if (n && add_dir(dirs, p, n) < 0)
                return -1;
            p += n;
            p += strspn(p, " \t\r:,");
        }
    }
    return 0;
}

int ldso_load(vfs *v, struct ldso *l)
{
    struct strv queue = {0};
    int rc = -1;

    if (strv_add(&queue, "/etc/ld.so.conf") < 0)
        goto out;
    /* A work queue instead of recursion: includes may nest or loop. */
    for (size_t i = 0; i < queue.n; i++) {
        char *text;
        size_t len;
        if (vfs_read_file(v, queue.v[i], CONF_CAP, &text, &len) < 0)
            continue;
        int r = parse_conf(v, queue.v[i], text, &l->conf_dirs, &queue);
        free(text);
        if (r < 0)
            goto out;
    }
    rc = 0;
out:
    strv_free(&queue);
    return rc;
}

void ldso_free(struct ldso *l)
{
    strv_free(&l->conf_dirs);
    strmap_free(&l->cache);
}

struct arch_info {
    const char *triplet, *platform, *musl;
};

static struct arch_info arch_of(const struct elf_info *f)
{
    switch (f->machine) {
    case EM_X86_64:
        return f->cls == 64 ? (struct arch_info){"x86_64-linux-gnu", "x86_64", "x86_64"}
                            : (struct arch_info){"x86_64-linux-gnux32", "x86_64", "x32"};
    case EM_386: return (struct arch_info){"i386-linux-gnu", "i686", "i386"};
    case EM_AARCH64: return (struct arch_info){"aarch64-linux-gnu", "aarch64", "aarch64"};
    case EM_ARM: return (struct arch_info){"arm-linux-gnueabihf", "v7l", "armhf"};
    case EM_PPC64:
        return f->big_endian ? (struct arch_info){"powerpc64-linux-gnu", "power8", "powerpc64"}
                             : (struct arch_info){"powerpc64le-linux-gnu", "power8", "powerpc64le"};
    case EM_S390: return (struct arch_info){"s390x-linux-gnu", "z196", "s390x"};
    case EM_RISCV: return (struct arch_info){"riscv64-linux-gnu", "riscv64", "riscv64"};
    default: return (struct arch_info){NULL, NULL, NULL};
    }
}

/* Canonical form of a search directory; NULL when it does not exist. */
static const char *canon_dir(vfs *v, struct ldso *l, struct strv *dirs, const char *dir)
{
    long k = strmap_get(&l->cache, dir);
    if (k == -2)
        return NULL;
    if (k >= 0 && k < (long)dirs->n)
        return dirs->v[k];
    _cleanup_free_ char *real = NULL;
    struct vfs_stat st;
    if (vfs_realpath(v, dir, &real) < 0 || vfs_lstat(v, real, &st) < 0 || st.type != VFS_DIR) {
        strmap_put(&l->cache, dir, -2);
        return NULL;
    }
    if (strv_add(dirs, real) < 0)
        return NULL;
    strmap_put(&l->cache, dir, (long)dirs->n - 1);
    return dirs->v[dirs->n - 1];
}

/* Index of the file at a canonical candidate path, following a final
 * symlink; -1 when there is no ELF file there. */
static long lookup_file(vfs *v, struct elf_inventory *inv, struct strmap *linkcache,
                        const char *cand)
{
    long idx = strmap_get(&inv->by_path, cand);
    if (idx >= 0)
        return idx;
    if (strmap_get(&inv->symlinks, cand) < 0)
        return -1;
    long c = strmap_get(linkcache, cand);
    if (c != -1)
        return c < 0 ? -1 : c;
    char *real = NULL;
    idx = -1;
    if (vfs_realpath(v, cand, &real) == 0)
        idx = strmap_get(&inv->by_path, real);
    free(real);
    strmap_put(linkcache, cand, idx >= 0 ? idx : -2);
    return idx;
}

/* Expands $ORIGIN, $LIB and $PLATFORM (also in braces). */
static int expand(const char *in, const char *origin, const char *lib, const char *platform,
                  char *out, size_t cap)
{
    size_t o = 0;
    for (const char *p = in; *p;) {
        const char *rep = NULL;
        size_t skip = 0;
        static const struct { const char *tok; int which; } toks[] = {
            {"$ORIGIN", 0}, {"${ORIGIN}", 0}, {"$LIB", 1}, {"${LIB}", 1},
            {"$PLATFORM", 2}, {"${PLATFORM}", 2},
        };
        if (*p == '$') {
            for (size_t t = 0; t < sizeof toks / sizeof toks[0]; t++) {
                size_t n = strlen(toks[t].tok);
                if (!strncmp(p, toks[t].tok, n)) {
                    rep = toks[t].which == 0 ? origin : toks[t].which == 1 ? lib : platform;
                    skip = n;
                    break;
                }
            }
            if (skip && !rep)
                return -1;
        }
        if (rep) {
            size_t n = strlen(rep);
            if (o + n >= cap)
                return -1;
            memcpy(out + o, rep, n);
            o += n;
            p += skip;
        } else {
            if (o + 1 >= cap)
                return -1;
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
    return 0;
}

static int is_musl(const struct elf_info *f)
{
    const char *libc = elf_libc_of_interp(f->interp);
    return libc && !strcmp(libc, "musl");
}

/* What $ORIGIN, $LIB and $PLATFORM stand for in this object. */
static void dst_values(const struct ldso *l, const struct elf_info *f, char *origin, size_t ocap,
                       char *lib, size_t lcap, const char **platform)
{
    struct arch_info a = arch_of(f);
    const char *sl = strrchr(f->path, '/');
    snprintf(origin, ocap, "%.*s", sl && sl != f->path ? (int)(sl - f->path) : 1, f->path);
    if (l->multiarch && a.triplet)
        snprintf(lib, lcap, "lib/%s", a.triplet);
    else
        snprintf(lib, lcap, "%s", f->cls == 64 ? "lib64" : "lib");
    *platform = a.platform ? a.platform : "";
}

static int build_search(vfs *v, struct ldso *l, const struct elf_info *f, struct strv *out,
                        size_t *nrpath, struct strv *musl_dirs, int *musl_loaded)
{
    struct arch_info a = arch_of(f);
    char origin[4096], lib[128], buf[4096];
    const char *platform;
    dst_values(l, f, origin, sizeof origin, lib, sizeof lib, &platform);

    const struct strv *rp[2] = {f->runpath.n ? NULL : &f->rpath, &f->runpath};
    for (int k = 0; k < 2; k++) {
        if (!rp[k])
            continue;
        for (size_t i = 0; i < rp[k]->n; i++) {
            /* Relative entries depend on the working directory: unknowable. */
            if (expand(rp[k]->v[i], origin, lib, platform, buf, sizeof buf) < 0
                || buf[0] != '/')
                continue;
            if (add_dir(out, buf, strlen(buf)) < 0)
                return -1;
        }
    }
    *nrpath = out->n;
    if (is_musl(f)) {
        if (!*musl_loaded && a.musl) {
            char path[128];
            _cleanup_free_ char *text = NULL;
            size_t len;
            snprintf(path, sizeof path, "/etc/ld-musl-%s.path", a.musl);
            *musl_loaded = 1;
            if (vfs_read_file(v, path, CONF_CAP, &text, &len) == 0) {
                char *p = text;
                while (*p) {
                    size_t n = strcspn(p, ":\n");
                    if (n && add_dir(musl_dirs, p, n) < 0)
                        return -1;
                    p += n;
                    p += strspn(p, ":\n");
                }
            }
        }
        const char *def[] = {"/lib", "/usr/local/lib", "/usr/lib"};
        const struct strv dv = {(char **)def, 3, 3};
        const struct strv *use = musl_dirs->n ? musl_dirs : &dv;
        for (size_t i = 0; i < use->n; i++)
            if (add_dir(out, use->v[i], strlen(use->v[i])) < 0)
                return -1;
        return 0;
    }
    for (size_t i = 0; i < l->conf_dirs.n; i++)
        if (add_dir(out, l->conf_dirs.v[i], strlen(l->conf_dirs.v[i])) < 0)
            return -1;
    if (a.triplet) {
        snprintf(buf, sizeof buf, "/lib/%s", a.triplet);
        if (add_dir(out, buf, strlen(buf)) < 0)
            return -1;
        snprintf(buf, sizeof buf, "/usr/lib/%s", a.triplet);
        if (add_dir(out, buf, strlen(buf)) < 0)
            return -1;
    }
    if (f->cls == 64 && (add_dir(out, "/lib64", 6) < 0 || add_dir(out, "/usr/lib64", 10) < 0))
        return -1;
    if (f->cls == 32 && f->machine == EM_X86_64 &&
        (add_dir(out, "/libx32", 7) < 0 || add_dir(out, "/usr/libx32", 11) < 0))
        return -1;
    if (f->cls == 32 && (add_dir(out, "/lib32", 6) < 0 || add_dir(out, "/usr/lib32", 10) < 0))
        return -1;
    if (add_dir(out, "/lib", 4) < 0 || add_dir(out, "/usr/lib", 8) < 0)
        return -1;
    return 0;
}

/* 1 if the object lies in one of the loader's own directories (ld.so.conf
 * or built-in, not its RPATH/RUNPATH). */
static int in_system_dir(vfs *v, struct ldso *l, struct strv *canon, const struct elf_info *f,
                         const struct strv *search, size_t nrpath)
{
    const char *sl = strrchr(f->path, '/');
    size_t n = (size_t)(sl - f->path);
    for (size_t d = nrpath; d < search->n; d++) {
        const char *cd = canon_dir(v, l, canon, search->v[d]);
        if (cd && strlen(cd) == n && !strncmp(cd, f->path, n))
            return 1;
    }
    return 0;
}

/* Files by SONAME and by file name, each a chain through its own next
 * array; links always point to lower indices, so chains end. */
struct name_index {
    struct strmap head[2];
    long *next[2];
};

static int index_names(const struct elf_inventory *inv, struct name_index *x)
{
    for (int k = 0; k < 2; k++)
        x->next[k] = xreallocarray(NULL, inv->n ? inv->n : 1, sizeof *x->next[k]);
    for (size_t i = 0; i < inv->n; i++) {
        const struct elf_info *f = &inv->files[i];
        const char *names[2] = {f->soname, strrchr(f->path, '/') + 1};
        for (int k = 0; k < 2; k++) {
            x->next[k][i] = -1;
            if (!names[k] || f->error)
                continue;
            x->next[k][i] = strmap_get(&x->head[k], names[k]);
            if (strmap_put(&x->head[k], names[k], (long)i) < 0)
                return -1;
        }
    }
    return 0;
}

/* A library the loader's path does not reach may still sit in the
 * application's own tree (two directories up from the object needing it):
 * the program then provides it with LD_LIBRARY_PATH, its own RPATH or by
 * loading it first, as java does with libjvm.so.  Not done for objects in
 * system directories, where that would hide real gaps. */
static long app_tree_lookup(const struct elf_inventory *inv, const struct name_index *x,
                            const struct elf_info *f, const char *name)
{
    char anc[4096];
    snprintf(anc, sizeof anc, "%s", f->path);
    for (int up = 0; up < 2; up++) {
        char *sl = strrchr(anc, '/');
        if (!sl || sl == anc)
            return -1;
        *sl = '\0';
    }
    if (strchr(anc + 1, '/') == NULL)
        return -1;      /* "/opt", "/usr": too wide */
    size_t n = strlen(anc);
    for (int k = 0; k < 2; k++)
        for (long i = strmap_get(&x->head[k], name); i >= 0; i = x->next[k][i]) {
            const struct elf_info *t = &inv->files[i];
            if (t->cls == f->cls && t->machine == f->machine &&
                !strncmp(t->path, anc, n) && t->path[n] == '/')
                return i;
        }
    return -1;
}

int ldso_resolve_all(vfs *v, struct ldso *l, struct elf_inventory *inv)
{
    struct name_index names = {0};
    int indexed = 0;
    struct strv canon = {0}, musl_dirs = {0};
    struct strmap linkcache = {0}, interps = {0};
    int musl_loaded = 0, rc = -1;

    l->multiarch = vfs_exists(v, "/usr/lib/x86_64-linux-gnu") ||
                   vfs_exists(v, "/usr/lib/aarch64-linux-gnu") ||
                   vfs_exists(v, "/usr/lib/i386-linux-gnu");
    for (size_t i = 0; i < inv->n; i++) {
        struct elf_info *f = &inv->files[i];
        struct strv search = {0};
        if (f->error)
            continue;
        if (f->interp) {
            /* Without its loader a program cannot start at all. */
            long k = strmap_get(&interps, f->interp);
            if (k == -1) {
                char *real = NULL;
                k = vfs_realpath(v, f->interp, &real) == 0 &&
                    strmap_get(&inv->by_path, real) >= 0 ? 1 : 0;
                free(real);
                if (strmap_put(&interps, f->interp, k) < 0)
                    goto out;
            }
            f->interp_missing = k == 0;
        }
        if (!f->needed.n)
            continue;
        f->resolved = xcalloc(f->needed.n, sizeof *f->resolved);
        size_t nrpath = 0;
        if (build_search(v, l, f, &search, &nrpath, &musl_dirs, &musl_loaded) < 0) {
            strv_free(&search);
            goto out;
        }
        char origin[4096], lib[128];
        const char *platform;
        dst_values(l, f, origin, sizeof origin, lib, sizeof lib, &platform);
        for (size_t n = 0; n < f->needed.n; n++) {
            const char *name = f->needed.v[n];
            char cand[4096];
            if (strchr(name, '/')) {
                /* A path: used as is, after the same substitutions. */
                char *real = NULL;
                long idx = -1;
                if (expand(name, origin, lib, platform, cand, sizeof cand) == 0 && cand[0] == '/'
                    && vfs_realpath(v, cand, &real) == 0)
                    idx = strmap_get(&inv->by_path, real);
                free(real);
                if (idx >= 0)
                    f->resolved[n] = xstrdup(inv->files[idx].path);
                continue;
            }
            for (size_t d = 0; d < search.n; d++) {
                const char *cd = canon_dir(v, l, &canon, search.v[d]);
                if (!cd)
                    continue;
                if (snprintf(cand, sizeof cand, "%s/%s", strcmp(cd, "/") ? cd : "", name)
                    >= (int)sizeof cand)
                    continue;
                long idx = lookup_file(v, inv, &linkcache, cand);
                if (idx < 0)
                    continue;
                const struct elf_info *t = &inv->files[idx];
                if (t->error || t->cls != f->cls || t->machine != f->machine)
                    continue;
                f->resolved[n] = xstrdup(t->path);
                break;
            }
            if (f->resolved[n] || in_system_dir(v, l, &canon, f, &search, nrpath))
                continue;
            if (!indexed++ && index_names(inv, &names) < 0) {
                strv_free(&search);
                goto out;
            }
            long idx = app_tree_lookup(inv, &names, f, name);
            if (idx < 0)
                continue;
            if (!f->outside)
                f->outside = xcalloc(f->needed.n, sizeof *f->outside);
            f->outside[n] = xstrdup(inv->files[idx].path);
        }
        strv_free(&search);
    }
    rc = 0;
out:
    strv_free(&canon);
    strv_free(&musl_dirs);
    strmap_free(&linkcache);
    strmap_free(&interps);
    for (int k = 0; k < 2; k++) {
        strmap_free(&names.head[k]);
        free(names.next[k]);
    }
    return rc;
}
