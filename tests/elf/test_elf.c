/* ELF inventory tests on a tree of real binaries (tests/elf/stage.sh),
 * checked against independent listings: a python magic check and objdump. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/staged.h"
#include "scanners/scanners.h"
#include "common/snapshot_format.h"
#include "scanners/elf/elf_int.h"
#include "util/error.h"
#include "util/utf8.h"

/* The stage tree's multiarch directory (stage.sh). */
#define TRIPLET "x86_64-linux-gnu"

static const char *stage_script, *stage_dir, *schema_path, *schema_check, *probe_path;
static struct report *rep;
static char skips[4096];

static json_object *field(json_object *o, const char *k)
{
    json_object *v = NULL;
    json_object_object_get_ex(o, k, &v);
    return v;
}

static const char *sfield(json_object *o, const char *k)
{
    json_object *v = field(o, k);
    return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static json_object *file_entry(const char *path)
{
    json_object *files = report_get(rep, "elf_files");
    for (size_t i = 0; files && i < json_object_array_length(files); i++) {
        json_object *f = json_object_array_get_idx(files, i);
        if (!strcmp(sfield(f, "path"), path))
            return f;
    }
    return NULL;
}

static char *slurp(const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/expect/%s", stage_dir, name);
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *buf = calloc(1, 1 << 20);
    size_t n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    (void)n;
    fclose(f);
    return buf;
}

static int setup(void **state)
{
    char root[4096];
    (void)state;
    snprintf(root, sizeof root, "%s/root", stage_dir);
    vfs *v = vfs_dir_open(root);
    if (!v)
        return -1;
    rep = report_new();
    struct scan_ctx c = {.v = v, .r = rep, .root_volume = 0};
    int rc = scan_elf(&c);
    vfs_close(v);
    staged_as_written(rep);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    report_free(rep);
    return 0;
}

/* Every ELF inode python finds is reported under each of its names, and
 * counted once in the summary; nothing else is reported (symlinks, /proc,
 * non-ELF files). */
static void test_elf_set_matches_listing(void **state)
{
    (void)state;
    char *list = slurp("elf.txt");
    assert_non_null(list);
    json_object *files = report_get(rep, "elf_files");
    assert_non_null(files);
    size_t nfiles = json_object_array_length(files), groups = 0, names = 0;
    char *save = NULL;
    for (char *line = strtok_r(list, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        groups++;
        char *s2 = NULL;
        for (char *p = strtok_r(line, "|", &s2); p; p = strtok_r(NULL, "|", &s2), names++)
            if (!file_entry(p))
                fail_msg("ELF file %s is not listed", p);
    }
    assert_true(names > groups);    /* the tree has hard links */
    assert_int_equal(nfiles, names);
    assert_null(file_entry("/usr/bin/ls-symlink"));
    assert_null(file_entry("/proc/1/exe"));
    assert_null(file_entry("/opt/bad/tiny"));
    assert_null(file_entry("/usr/lib/x86_64-linux-gnu/libfake.so"));
    json_object *sum = report_get(rep, "elf_summary");
    assert_int_equal(json_object_get_int(field(sum, "count")), (int)groups);
    free(list);
}

static void expect_str(json_object *f, const char *k, const char *want)
{
    const char *got = sfield(f, k);
    if (!want) {
        if (got)
            fail_msg("%s: %s is \"%s\", expected null", sfield(f, "path"), k, got);
        return;
    }
    if (!got || strcmp(got, want))
        fail_msg("%s: %s is \"%s\", expected \"%s\"", sfield(f, "path"), k, got ? got : "null",
                 want);
}

/* Highest GLIBC_/GLIBCXX_/CXXABI_ and the NEEDED list agree with objdump. */
static void test_versions_match_objdump(void **state)
{
    (void)state;
    char *list = slurp("objdump.txt");
    assert_non_null(list);
    char *save = NULL;
    int checked = 0, with_glibcxx = 0;
    for (char *line = strtok_r(list, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *col[5] = {0}, *s2 = NULL;
        int n = 0;
        for (char *p = strtok_r(line, "\t", &s2); p && n < 5; p = strtok_r(NULL, "\t", &s2))
            col[n++] = p;
        assert_int_equal(n, 5);
        json_object *f = file_entry(col[0]);
        if (!f)
            fail_msg("%s missing from the report", col[0]);
        expect_str(f, "glibc_max", strcmp(col[1], "-") ? col[1] : NULL);
        expect_str(f, "glibcxx_max", strcmp(col[2], "-") ? col[2] : NULL);
        expect_str(f, "cxxabi_max", strcmp(col[3], "-") ? col[3] : NULL);
        with_glibcxx += strcmp(col[2], "-") != 0;
        json_object *needed = field(f, "needed");
        char joined[4096] = "";
        for (size_t i = 0; i < json_object_array_length(needed); i++)
            snprintf(joined + strlen(joined), sizeof joined - strlen(joined), "%s%s",
                     i ? "," : "", json_object_get_string(json_object_array_get_idx(needed, i)));
        if (strcmp(joined[0] ? joined : "-", col[4]))
            fail_msg("%s: needed %s, objdump says %s", col[0], joined, col[4]);
        checked++;
    }
    assert_true(checked >= 20);
    assert_true(with_glibcxx >= 1);
    free(list);
}

/* A hard-linked file is listed under every name, with the same facts: one
 * parse serves them all. */
static void test_hard_links(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        {"/usr/bin/ls", "/usr/bin/ls-hardlink"},
        {"/opt/app/bin/cxxapp", "/opt/app/bin/cxxapp1.0"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        json_object *a = file_entry(pairs[i][0]), *b = file_entry(pairs[i][1]);
        if (!a || !b)
            fail_msg("%s and %s are not both listed", pairs[i][0], pairs[i][1]);
        assert_int_equal(json_object_object_length(a), json_object_object_length(b));
        json_object_object_foreach(a, key, va) {
            if (!strcmp(key, "path"))
                continue;
            const char *x = json_object_to_json_string(va);
            const char *y = json_object_to_json_string(field(b, key));
            if (strcmp(x, y))
                fail_msg("%s: %s is %s, under %s %s", pairs[i][0], key, x, pairs[i][1], y);
        }
    }
    expect_str(file_entry("/usr/bin/ls-hardlink"), "package", "coreutils");
    expect_str(file_entry("/opt/app/bin/cxxapp1.0"), "package", NULL);
}

static void test_program_facts(void **state)
{
    (void)state;
    json_object *ls = file_entry("/usr/bin/ls");
    assert_non_null(ls);
    expect_str(ls, "type", "pie");
    expect_str(ls, "class", "ELF64");
    expect_str(ls, "machine", "x86_64");
    expect_str(ls, "interpreter", "/lib64/ld-linux-x86-64.so.2");
    expect_str(ls, "libc", "glibc");
    assert_false(json_object_get_boolean(field(ls, "static")));
    assert_true(json_object_get_boolean(field(ls, "stripped")));
    assert_int_equal(json_object_array_length(field(ls, "missing_needed")), 0);
    expect_str(field(ls, "resolved"), "libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6");
    assert_non_null(field(field(ls, "version_needs"), "libc.so.6"));

    json_object *libc = file_entry("/usr/lib/x86_64-linux-gnu/libc.so.6");
    assert_non_null(libc);
    expect_str(libc, "type", "shared");
    expect_str(libc, "soname", "libc.so.6");
    json_object *defs = field(libc, "versions_defined");
    int has_2_2_5 = 0;
    for (size_t i = 0; i < json_object_array_length(defs); i++)
        has_2_2_5 |= !strcmp(json_object_get_string(json_object_array_get_idx(defs, i)),
                             "GLIBC_2.2.5");
    assert_true(has_2_2_5);

    json_object *old = file_entry("/opt/app/bin/oldsym");
    assert_non_null(old);
    json_object *vers = field(field(old, "version_needs"), "libc.so.6");
    int bound_old = 0;
    for (size_t i = 0; vers && i < json_object_array_length(vers); i++)
        bound_old |= !strcmp(json_object_get_string(json_object_array_get_idx(vers, i)),
                             "GLIBC_2.2.5");
    assert_true(bound_old);

    json_object *cxx = file_entry("/opt/app/bin/cxxapp");
    assert_non_null(cxx);
    assert_non_null(sfield(cxx, "glibcxx_max"));
    assert_non_null(sfield(field(cxx, "version_max"), "GLIBCXX"));

    json_object *o = file_entry("/opt/app/bin/hello.o");
    assert_non_null(o);
    expect_str(o, "type", "relocatable");
    assert_false(json_object_get_boolean(field(o, "kernel_module")));

    json_object *core = file_entry("/opt/bad/core.1234");
    assert_non_null(core);
    expect_str(core, "type", "core");
    expect_str(core, "error", NULL);

    /* A library is found by content whatever its name and mode. */
    json_object *blob = file_entry("/srv/data/blob.bin");
    assert_non_null(blob);
    expect_str(blob, "soname", "libm.so.6");
}

/* The optional parts: each runs only when stage.sh could stage it. */
static void test_static(void **state)
{
    (void)state;
    json_object *bb = file_entry("/usr/bin/busybox");
    assert_non_null(bb);
    assert_true(json_object_get_boolean(field(bb, "static")));
    expect_str(bb, "interpreter", NULL);
    assert_int_equal(json_object_array_length(field(bb, "needed")), 0);
    char *kern = slurp("busybox_kernel");
    assert_non_null(kern);
    kern[strcspn(kern, "\n")] = '\0';
    assert_true(kern[0] != '\0');
    expect_str(bb, "min_kernel", kern);
    expect_str(bb, "libc", "glibc");
    free(kern);
    expect_str(bb, "package", NULL);    /* only its config files are left */
}

static void test_i386(void **state)
{
    (void)state;
    json_object *h = file_entry("/opt/app/bin/hello32");
    assert_non_null(h);
    expect_str(h, "class", "ELF32");
    expect_str(h, "machine", "i386");
    /* ld.so skips the 64-bit libc found first and takes the 32-bit one. */
    expect_str(field(h, "resolved"), "libc.so.6", "/usr/lib32/libc.so.6");
}

static void test_musl(void **state)
{
    (void)state;
    json_object *m = file_entry("/opt/musl/hello");
    assert_non_null(m);
    expect_str(m, "libc", "musl");
    expect_str(field(m, "resolved"), "libc.so", "/usr/lib/x86_64-linux-musl/libc.so");
}

static void test_go(void **state)
{
    (void)state;
    char *want = slurp("go_version");
    assert_non_null(want);
    want[strcspn(want, "\n")] = '\0';
    json_object *g = file_entry("/opt/go/hello");
    assert_non_null(g);
    expect_str(g, "go_version", want);
    free(want);
}

static void test_kmod(void **state)
{
    (void)state;
    json_object *files = report_get(rep, "elf_files");
    int kmods = 0;
    for (size_t i = 0; i < json_object_array_length(files); i++) {
        json_object *f = json_object_array_get_idx(files, i);
        if (strstr(sfield(f, "path"), "/modules/test/kernel/")) {
            kmods++;
            assert_true(json_object_get_boolean(field(f, "kernel_module")));
            expect_str(f, "type", "relocatable");
        }
    }
    assert_int_equal(kmods, 1);
}

static void test_resolution(void **state)
{
    (void)state;
    json_object *rp = file_entry("/opt/app/bin/use-runpath");
    assert_non_null(rp);
    assert_int_equal(json_object_array_length(field(rp, "runpath")), 1);
    expect_str(field(rp, "resolved"), "libappcore.so.1", "/opt/app/lib/libappcore.so.1.2.3");
    json_object *r2 = file_entry("/opt/app/bin/use-rpath");
    assert_non_null(r2);
    assert_int_equal(json_object_array_length(field(r2, "rpath")), 1);
    expect_str(field(r2, "resolved"), "libappcore.so.1", "/opt/app/lib/libappcore.so.1.2.3");
    json_object *conf = file_entry("/opt/app/bin/use-conf");
    assert_non_null(conf);
    expect_str(field(conf, "resolved"), "libconfonly.so.2", "/opt/conf/lib/libconfonly.so.2");
    assert_int_equal(json_object_array_length(field(conf, "missing_needed")), 0);

    json_object *dir = file_entry("/opt/app/bin/use-direct");
    assert_non_null(dir);
    expect_str(field(dir, "resolved"), "$ORIGIN/../lib/libdirect.so", "/opt/app/lib/libdirect.so");
    json_object *nl = file_entry("/opt/app/bin/no-loader");
    assert_non_null(nl);
    json_object *nlm = field(nl, "missing_needed");
    assert_int_equal(json_object_array_length(nlm), 1);
    assert_string_equal(json_object_get_string(json_object_array_get_idx(nlm, 0)),
                        "/lib/ld-nowhere.so.1");

    /* Found in the application's own tree, not on the loader's path. */
    json_object *jv = file_entry("/opt/jdk/lib/libjava.so");
    assert_non_null(jv);
    assert_int_equal(json_object_array_length(field(jv, "missing_needed")), 0);
    expect_str(field(jv, "found_outside_path"), "libjvm.so", "/opt/jdk/lib/server/libjvm.so");
    json_object *sib = file_entry("/opt/app/lib/libsibling.so");
    assert_non_null(sib);
    assert_int_equal(json_object_array_length(field(sib, "missing_needed")), 0);
    expect_str(field(sib, "found_outside_path"), "libappcore.so.1",
               "/opt/app/lib/libappcore.so.1.2.3");
    /* Not for system directories: there it stays missing. */
    json_object *ng = file_entry("/usr/lib/x86_64-linux-gnu/libneedsghost.so.1");
    assert_non_null(ng);
    assert_int_equal(json_object_array_length(field(ng, "missing_needed")), 1);
    assert_int_equal(json_object_object_length(field(ng, "found_outside_path")), 0);

    json_object *gh = file_entry("/opt/app/bin/use-ghost");
    assert_non_null(gh);
    json_object *miss = field(gh, "missing_needed");
    assert_int_equal(json_object_array_length(miss), 1);
    assert_string_equal(json_object_get_string(json_object_array_get_idx(miss, 0)), "libghost.so.7");

    /* The finding names the program and the library. */
    json_object *fs = rep->findings;
    int seen = 0;
    for (size_t i = 0; i < json_object_array_length(fs); i++) {
        json_object *f = json_object_array_get_idx(fs, i);
        if (strcmp(sfield(f, "id"), "ELF-MISSING-LIBS"))
            continue;
        json_object *ev = field(f, "evidence");
        for (size_t j = 0; j < json_object_array_length(ev); j++)
            seen |= !strcmp(json_object_get_string(json_object_array_get_idx(ev, j)),
                            "/opt/app/bin/use-ghost needs libghost.so.7");
    }
    assert_true(seen);
    json_object *sum = report_get(rep, "elf_summary");
    assert_true(json_object_get_int(field(sum, "missing_libs")) >= 1);
}

static void test_corrupt_files(void **state)
{
    (void)state;
    static const char *const bad[] = {"/opt/bad/truncated", "/opt/bad/hostile-shoff",
                                      "/opt/bad/hostile-phoff", "/opt/bad/hostile-shnum",
                                      "/opt/bad/hostile-phentsize"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_object *f = file_entry(bad[i]);
        if (!f)
            fail_msg("%s not reported", bad[i]);
        if (!sfield(f, "error"))
            fail_msg("%s not reported as corrupt", bad[i]);
        expect_str(f, "type", NULL);
    }
    json_object *fs = rep->findings;
    int seen = 0;
    for (size_t i = 0; i < json_object_array_length(fs); i++) {
        json_object *f = json_object_array_get_idx(fs, i);
        if (!strcmp(sfield(f, "id"), "ELF-CORRUPT"))
            seen += (int)json_object_array_length(field(f, "evidence"));
    }
    assert_true(seen >= 5);
}

static void test_ownership(void **state)
{
    (void)state;
    json_object *ls = file_entry("/usr/bin/ls");
    expect_str(ls, "package", "coreutils");     /* listed as /bin/ls */
    expect_str(file_entry("/usr/lib/x86_64-linux-gnu/libc.so.6"), "package", "libc6");
    expect_str(file_entry("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"), "package", "libc6");
    expect_str(file_entry("/usr/bin/tool"), "package", "wrapper");
    expect_str(file_entry("/usr/bin/tool.distrib"), "package", "toolpkg");
    expect_str(file_entry("/opt/app/bin/cxxapp"), "package", NULL);

    /* Third-party maximum: computed here from the files without a package. */
    json_object *files = report_get(rep, "elf_files");
    const char *best = NULL, *best_all = NULL;
    for (size_t i = 0; i < json_object_array_length(files); i++) {
        json_object *f = json_object_array_get_idx(files, i);
        const char *g = sfield(f, "glibc_max");
        if (g && (!best_all || version_cmp(g, best_all) > 0))
            best_all = g;
        if (g && !sfield(f, "package") && (!best || version_cmp(g, best) > 0))
            best = g;
    }
    json_object *sum = report_get(rep, "elf_summary");
    expect_str(sum, "glibc_max_third_party", best);
    expect_str(sum, "glibc_max", best_all);
    expect_str(sum, "package_db", "dpkg");
}

/* A vfs that counts the calls a scan makes: through libguestfs each one is
 * a round trip, so the number of calls is the scan's cost. */
struct counting_vfs {
    struct vfs base;
    vfs *inner;
    unsigned long preads, lstats, readlinks;
    struct strmap per_file;   /* preads per path */
};

static int c_lstat(vfs *v, const char *p, struct vfs_stat *st)
{
    struct counting_vfs *c = (struct counting_vfs *)v;
    c->lstats++;
    int r = vfs_lstat(c->inner, p, st);
    if (r < 0)
        snprintf(v->error, sizeof v->error, "%s", vfs_error(c->inner));
    return r;
}

static ssize_t c_pread(vfs *v, const char *p, void *buf, size_t len, uint64_t off)
{
    struct counting_vfs *c = (struct counting_vfs *)v;
    c->preads++;
    long n = strmap_get(&c->per_file, p);
    strmap_put(&c->per_file, p, n < 0 ? 1 : n + 1);
    ssize_t r = vfs_pread(c->inner, p, buf, len, off);
    if (r < 0)
        snprintf(v->error, sizeof v->error, "%s", vfs_error(c->inner));
    return r;
}

static int c_readlink(vfs *v, const char *p, char **t)
{
    struct counting_vfs *c = (struct counting_vfs *)v;
    c->readlinks++;
    return vfs_readlink(c->inner, p, t);
}

static int c_walk(vfs *v, const char *start, const struct vfs_walk_limits *lim, vfs_walk_fn fn,
                  void *opaque, struct vfs_walk_result *res)
{
    struct counting_vfs *c = (struct counting_vfs *)v;
    return c->inner->ops->walk(c->inner, start, lim, fn, opaque, res);
}

static void c_close(vfs *v)
{
    struct counting_vfs *c = (struct counting_vfs *)v;
    vfs_close(c->inner);
    strmap_free(&c->per_file);
}

static const struct vfs_ops counting_ops = {c_lstat, c_pread, c_readlink, c_walk, c_close};

/* Reads only what is needed: one read for a non-ELF file, one for an ELF
 * file whose headers all lie in the first 64 KiB, and few calls in all. */
static void test_read_budget(void **state)
{
    (void)state;
    char root[4096];
    snprintf(root, sizeof root, "%s/root", stage_dir);
    struct counting_vfs c = {.base = {.ops = &counting_ops, .backend = "dir"}};
    c.inner = vfs_dir_open(root);
    assert_non_null(c.inner);
    struct report *r = report_new();
    struct scan_ctx ctx = {.v = &c.base, .r = r};
    assert_int_equal(scan_elf(&ctx), 0);
    staged_as_written(r);

    json_object *sum = field(r->doc, "elf_summary");
    long nelf = json_object_get_int(field(sum, "count"));
    long opened = json_object_get_int(field(sum, "files_opened"));
    /* Small ELF files and every non-ELF file: exactly one read. */
    static const char *const one[] = {"/opt/app/bin/use-runpath", "/opt/app/bin/hello.o",
                                      "/opt/app/lib/libappcore.so.1.2.3", "/etc/ld.so.conf",
                                      "/opt/conf/lib/libconfonly.so.2",
                                      "/usr/share/doc/readme.txt"};
    for (size_t i = 0; i < sizeof one / sizeof one[0]; i++)
        if (strmap_get(&c.per_file, one[i]) != 1)
            fail_msg("%s read %ld times", one[i], strmap_get(&c.per_file, one[i]));
    /* A large library needs a few more ranges, never the whole file. */
    static const struct { const char *path; long max; } big[] = {
        {"/usr/lib/x86_64-linux-gnu/libc.so.6", 4},     /* it also has PT_INTERP */
        {"/usr/lib/x86_64-linux-gnu/libstdc++.so.6", 3},
        {"/usr/lib/x86_64-linux-gnu/libm.so.6", 3},
    };
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
        long n = strmap_get(&c.per_file, big[i].path);
        if (n < 1 || n > big[i].max)
            fail_msg("%s read %ld times, expected at most %ld", big[i].path, n, big[i].max);
    }
    /* Over the whole tree: about one read per opened file. */
    assert_true(c.preads <= (unsigned long)(opened + 2 * nelf + 100));
    assert_true(c.lstats + c.readlinks < 600);
    print_message("preads %lu (files opened %ld, ELF %ld), lstat %lu, readlink %lu\n",
                  c.preads, opened, nelf, c.lstats, c.readlinks);
    report_free(r);
    c_close(&c.base);
}

/* The snapshot the appliance-side probe writes gives the very inventory a
 * direct walk gives, and serves every lookup and read of it from memory:
 * the live backend behind it sees no call at all.  It is written where the
 * probe writes it in the appliance, 16 MiB into a larger sparse file, and
 * mapped from there. */
static void test_snapshot_matches_direct(void **state)
{
    (void)state;
    char root[4096], snap[4096], cmd[16384];
    struct lc_error err = {0};
    snprintf(root, sizeof root, "%s/root", stage_dir);
    snprintf(snap, sizeof snap, "%s/snapshot.bin", stage_dir);
    unlink(snap);
    snprintf(cmd, sizeof cmd, "truncate -s 1G '%s' && '%s' '%s' '%s' %llu 900000000 >/dev/null",
             snap, probe_path, root, snap, SNAP_DISK_OUTPUT_OFFSET);
    assert_int_equal(system(cmd), 0);

    struct counting_vfs c = {.base = {.ops = &counting_ops, .backend = "dir"}};
    c.inner = vfs_dir_open(root);
    assert_non_null(c.inner);
    vfs *v = vfs_snapshot_open_at(&c.base, snap, SNAP_DISK_OUTPUT_OFFSET, NULL, 0, &err);
    if (!v)
        fail_msg("snapshot: %s", err.msg);
    struct vfs_snapshot_info info;
    vfs_snapshot_info(v, &info);
    size_t entries = info.entries, ranges = info.ranges;
    assert_true(info.complete);
    assert_true(entries > 100);

    struct report *r = report_new();
    struct scan_ctx ctx = {.v = v, .r = r, .root_volume = 0};
    assert_int_equal(scan_elf(&ctx), 0);
    staged_as_written(r);
    json_object *a = report_get(rep, "elf_files"), *b = report_get(r, "elf_files");
    assert_int_equal(json_object_array_length(a), json_object_array_length(b));
    for (size_t i = 0; i < json_object_array_length(a); i++) {
        json_object *fa = json_object_array_get_idx(a, i), *fb = json_object_array_get_idx(b, i);
        json_object_object_foreach(fa, key, va) {
            const char *x = json_object_to_json_string(va);
            const char *y = json_object_to_json_string(field(fb, key));
            if (strcmp(x, y))
                fail_msg("%s: %s: direct %.300s, snapshot %.300s", sfield(fa, "path"), key, x, y);
        }
    }
    json_object *sa = report_get(rep, "elf_summary"), *sb = report_get(r, "elf_summary");
    static const char *const same[] = {"count", "by_type", "by_machine", "glibc_max",
                                       "glibc_max_third_party", "missing_libs", "files_opened"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        assert_string_equal(json_object_to_json_string(field(sa, same[i])),
                            json_object_to_json_string(field(sb, same[i])));
    print_message("snapshot: %zu entries, %zu ranges; live calls: pread %lu, lstat %lu, "
                  "readlink %lu\n", entries, ranges, c.preads, c.lstats, c.readlinks);
    /* The ELF reads all come from the snapshot, and so do the whole files
     * the scanners read (dpkg database, ld.so.conf). */
    for (size_t i = 0; i < json_object_array_length(b); i++) {
        const char *path = sfield(json_object_array_get_idx(b, i), "path");
        if (strmap_get(&c.per_file, path) > 0)
            fail_msg("%s was read live", path);
    }
    assert_int_equal(c.preads, 0);

    /* Paths through the usr-merge links (/lib -> usr/lib) resolve in the
     * snapshot: lstat, reads, listings and misses, with no live call. */
    unsigned long before = c.preads + c.lstats + c.readlinks;
    struct vfs_stat st, real;
    assert_int_equal(vfs_lstat(v, "/lib/" TRIPLET "/libc.so.6", &st), 0);
    assert_int_equal(vfs_lstat(v, "/usr/lib/" TRIPLET "/libc.so.6", &real), 0);
    assert_int_equal(st.ino, real.ino);
    assert_int_equal(vfs_lstat(v, "/bin/../lib/" TRIPLET "/libc.so.6", &st), 0);
    assert_int_equal(st.ino, real.ino);
    unsigned char h1[4], h2[4];
    assert_int_equal(vfs_pread(v, "/lib/" TRIPLET "/libc.so.6", h1, 4, 0), 4);
    assert_memory_equal(h1, "\177ELF", 4);
    assert_int_equal(vfs_pread(v, "/usr/lib/" TRIPLET "/libc.so.6", h2, 4, 0), 4);
    assert_memory_equal(h1, h2, 4);
    assert_int_equal(vfs_lstat(v, "/lib/" TRIPLET "/no-such-library.so", &st), -1);
    char **names = NULL, **real_names = NULL;
    assert_int_equal(vfs_list(v, "/lib/" TRIPLET, &names), 0);
    assert_int_equal(vfs_list(v, "/usr/lib/" TRIPLET, &real_names), 0);
    size_t k = 0;
    for (; names[k] && real_names[k]; k++)
        assert_string_equal(names[k], real_names[k]);
    assert_null(names[k]);
    assert_null(real_names[k]);
    assert_true(k > 3);
    vfs_free_names(names);
    vfs_free_names(real_names);
    assert_int_equal(c.preads + c.lstats + c.readlinks, before);
    report_free(r);
    vfs_close(v);
    unlink(snap);
}

static void test_apk_ownership(void **state)
{
    (void)state;
    char root[4096];
    snprintf(root, sizeof root, "%s/apkroot", stage_dir);
    vfs *v = vfs_dir_open(root);
    assert_non_null(v);
    struct report *r = report_new();
    struct scan_ctx ctx = {.v = v, .r = r};
    assert_int_equal(scan_elf(&ctx), 0);
    staged_as_written(r);
    json_object *files = field(r->doc, "elf_files");
    assert_int_equal(json_object_array_length(files), 3);
    for (size_t i = 0; i < 3; i++) {
        json_object *f = json_object_array_get_idx(files, i);
        const char *p = sfield(f, "path");
        if (!strcmp(p, "/usr/bin/hello")) {
            expect_str(f, "package", "hello-app");
            expect_str(f, "libc", "musl");
            assert_int_equal(json_object_array_length(field(f, "missing_needed")), 0);
        } else if (!strcmp(p, "/lib/ld-musl-x86_64.so.1")) {
            expect_str(f, "package", "musl");
        } else {
            assert_string_equal(p, "/usr/local/bin/mine");
            expect_str(f, "package", NULL);
        }
    }
    expect_str(field(r->doc, "elf_summary"), "package_db", "apk");
    report_free(r);
    vfs_close(v);
}

/* Guest strings that are not UTF-8 (here a NEEDED name, also a key of
 * version_needs) still give a valid JSON document. */
static void test_json_is_utf8(void **state)
{
    (void)state;
    json_object *f = file_entry("/opt/app/bin/badutf8");
    assert_non_null(f);
    const char *s = json_object_to_json_string_ext(rep->doc, JSON_C_TO_STRING_PLAIN);
    assert_true(utf8_valid(s, strlen(s)));
    assert_non_null(field(field(f, "version_needs"), "libc\xef\xbf\xbdso.6"));
}

/* Ownership read by librpm from a copy of an rpm database. */
static void test_rpm_ownership(void **state)
{
    (void)state;
    char root[4096];
    snprintf(root, sizeof root, "%s/rpmroot", stage_dir);
    vfs *v = vfs_dir_open(root);
    assert_non_null(v);
    struct report *r = report_new();
    struct scan_ctx ctx = {.v = v, .r = r};
    assert_int_equal(scan_elf(&ctx), 0);
    staged_as_written(r);
    json_object *files = field(r->doc, "elf_files");
    assert_int_equal(json_object_array_length(files), 2);
    for (size_t i = 0; i < 2; i++) {
        json_object *f = json_object_array_get_idx(files, i);
        if (!strcmp(sfield(f, "path"), "/usr/bin/rpmtool"))
            expect_str(f, "package", "rpmtool");
        else
            expect_str(f, "package", NULL);
    }
    expect_str(field(r->doc, "elf_summary"), "package_db", "rpm");
    report_free(r);
    vfs_close(v);
}

/* The sections match their JSON Schema (fuzzed files included). */
static void test_schema(void **state)
{
    (void)state;
    char out[4096], cmd[16384];
    snprintf(out, sizeof out, "%s/report.json", stage_dir);
    assert_int_equal(json_object_to_file_ext(out, rep->doc, JSON_C_TO_STRING_PRETTY), 0);
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' '%s' '%s'", schema_check, schema_path, out);
    int r = system(cmd);
    assert_true(WIFEXITED(r) && WEXITSTATUS(r) == 0);
}

/* a.out programs are counted and reported; data with the same bytes is not. */
static void test_aout(void **state)
{
    (void)state;
    json_object *sum = report_get(rep, "elf_summary");
    assert_int_equal(json_object_get_int(field(sum, "aout_count")), 1);
    json_object *paths = field(sum, "aout_files");
    assert_int_equal(json_object_array_length(paths), 1);
    assert_string_equal(json_object_get_string(json_object_array_get_idx(paths, 0)),
                        "/usr/bin/oldaout");
    int seen = 0;
    for (size_t i = 0; i < json_object_array_length(rep->findings); i++)
        seen |= !strcmp(sfield(json_object_array_get_idx(rep->findings, i), "id"), "ELF-AOUT");
    assert_true(seen);
}

/* The order itself is tested in tests/unit/test_version.c. */
static void test_version_split(void **state)
{
    (void)state;
    char fam[32];
    const char *num;
    assert_int_equal(elf_version_split("GLIBCXX_3.4.21", fam, sizeof fam, &num), 0);
    assert_string_equal(fam, "GLIBCXX");
    assert_string_equal(num, "3.4.21");
    assert_int_equal(elf_version_split("OPENSSL_1_1_0", fam, sizeof fam, &num), 0);
    assert_string_equal(fam, "OPENSSL");
    assert_string_equal(num, "1_1_0");
    assert_int_equal(elf_version_split("CXXABI_TM_1", fam, sizeof fam, &num), 0);
    assert_string_equal(fam, "CXXABI_TM");
    assert_int_equal(elf_version_split("GLIBC_PRIVATE", fam, sizeof fam, &num), -1);
}

int main(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "usage: %s STAGE_SCRIPT STAGE_DIR SCHEMA CHECK_SCHEMA_PY PROBE [PART]\n",
                argv[0]);
        return 2;
    }
    stage_script = argv[1];
    stage_dir = argv[2];
    schema_path = argv[3];
    schema_check = argv[4];
    probe_path = argv[5];
    static const struct staged_test tests[] = {
        {NULL, cmocka_unit_test(test_version_split)},
        {NULL, cmocka_unit_test(test_elf_set_matches_listing)},
        {NULL, cmocka_unit_test(test_versions_match_objdump)},
        {NULL, cmocka_unit_test(test_hard_links)},
        {NULL, cmocka_unit_test(test_program_facts)},
        {NULL, cmocka_unit_test(test_kmod)},
        {NULL, cmocka_unit_test(test_resolution)},
        {NULL, cmocka_unit_test(test_corrupt_files)},
        {NULL, cmocka_unit_test(test_ownership)},
        {NULL, cmocka_unit_test(test_json_is_utf8)},
        {NULL, cmocka_unit_test(test_aout)},
        {NULL, cmocka_unit_test(test_read_budget)},
        {NULL, cmocka_unit_test(test_snapshot_matches_direct)},
        {"static", cmocka_unit_test(test_static)},
        {"i386", cmocka_unit_test(test_i386)},
        {"musl", cmocka_unit_test(test_musl)},
        {"musl", cmocka_unit_test(test_apk_ownership)},
        {"go", cmocka_unit_test(test_go)},
        {"rpm", cmocka_unit_test(test_rpm_ownership)},
        {"schema", cmocka_unit_test(test_schema)},
    };
    return staged_run("elf", stage_script, stage_dir, argc > 6 ? argv[6] : NULL, tests,
                      sizeof tests / sizeof tests[0], skips, sizeof skips, setup, teardown);
}
