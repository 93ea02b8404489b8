/* Application grouping, kernel-dependence evidence and the decision, on a
 * guest tree staged at test time (tests/apps/stage.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <unistd.h>
#include <sys/wait.h>

#include "tests/staged.h"
#include "model/decide.h"
#include "scanners/scanners.h"
#include "reports/dockerfile.h"

static const char *stage_script, *stage_dir, *dockerfile_check, *node_dir;
static struct report *rep;
static char skips[4096], sysctl_addr[64];

static json_object *field(json_object *o, const char *k)
{
    json_object *v = NULL;
    if (o)
        json_object_object_get_ex(o, k, &v);
    return v;
}

static const char *sfield(json_object *o, const char *k)
{
    json_object *v = field(o, k);
    return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* The entry of a report section whose key has this value. */
static json_object *find_in(const char *section, const char *key, const char *value)
{
    json_object *arr = report_get(rep, section);
    for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
        json_object *a = json_object_array_get_idx(arr, i);
        if (!strcmp(sfield(a, key), value))
            return a;
    }
    return NULL;
}

static json_object *app(const char *name)
{
    return find_in("applications", "name", name);
}

static int arr_has(json_object *arr, const char *s)
{
    for (size_t i = 0; arr && i < json_object_array_length(arr); i++)
        if (strstr(json_object_to_json_string_ext(json_object_array_get_idx(arr, i), JSON_C_TO_STRING_NOSLASHESCAPE), s))
            return 1;
    return 0;
}

/* A whole file into buf (empty when it cannot be read); returns its length. */
static size_t read_whole(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "r");
    buf[0] = 0;
    if (!f)
        return 0;
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = 0;
    fclose(f);
    return n;
}

/* What the stage script expects, from its expect/ folder, without the final newlines. */
static void slurp(const char *name, char *buf, size_t cap)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/expect/%s", stage_dir, name);
    size_t n = read_whole(path, buf, cap);
    while (n && buf[n - 1] == '\n')
        buf[--n] = 0;
}

static int setup(void **state)
{
    char root[4096];
    (void)state;
    slurp("sysctl_addr", sysctl_addr, sizeof sysctl_addr);
    snprintf(root, sizeof root, "%s/root", stage_dir);
    vfs *v = vfs_dir_open(root);
    if (!v)
        return -1;
    rep = report_new();
    struct scan_ctx c = {.v = v, .r = rep, .root_volume = 0};
    int rc = scan_elf(&c);
    if (rc == 0)
        rc = scan_apps(&c);
    vfs_close(v);
    staged_as_written(rep);
    snprintf(root, sizeof root, "%s/report.json", stage_dir);
    json_object_to_file_ext(root, rep->doc, JSON_C_TO_STRING_PRETTY);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    report_free(rep);
    return 0;
}

static void test_removed_syscall(void **state)
{
    (void)state;
    json_object *a = app("sysctl");
    assert_non_null(a);
    assert_string_equal(sfield(a, "decision"), "bare-metal-kvm");
    assert_string_equal(sfield(a, "root"), "/opt/sysctl");
    json_object *fl = field(field(a, "syscalls"), "flagged");
    assert_non_null(fl);
    json_object *f = json_object_array_get_idx(fl, 0);
    assert_string_equal(sfield(f, "name"), "_sysctl");
    assert_int_equal(json_object_get_int(field(f, "nr")), 156);
    assert_string_equal(sfield(f, "kind"), "removed");
    assert_true(sysctl_addr[0]);
    /* The address objdump shows for the syscall instruction. */
    assert_string_equal(json_object_get_string(json_object_array_get_idx(field(f, "addresses"), 0)),
                        sysctl_addr);
    assert_true(arr_has(field(a, "evidence"), sysctl_addr));
}

/* A dynamic program gets there through libc: its imports are the evidence. */
static void test_removed_interface_imports(void **state)
{
    (void)state;
    json_object *a = app("oldtools");
    assert_non_null(a);
    assert_string_equal(sfield(a, "decision"), "bare-metal-kvm");
    json_object *im = field(field(a, "syscalls"), "imports");
    assert_non_null(im);
    int sysctl = 0, iopl = 0;
    for (size_t i = 0; i < json_object_array_length(im); i++) {
        json_object *e = json_object_array_get_idx(im, i);
        assert_string_equal(sfield(e, "path"), "/opt/oldtools/bin/oldtools");
        if (!strcmp(sfield(e, "import"), "sysctl")) {
            sysctl = 1;
            assert_string_equal(sfield(e, "name"), "_sysctl");
            assert_string_equal(sfield(e, "kind"), "removed");
        } else if (!strcmp(sfield(e, "import"), "iopl")) {
            iopl = 1;
            assert_string_equal(sfield(e, "kind"), "hardware");
        }
    }
    assert_true(sysctl && iopl);
    assert_true(arr_has(field(a, "evidence"), "imports sysctl() (_sysctl"));
    /* Ordinary programs import nothing of the kind. */
    assert_null(field(field(app("web"), "syscalls"), "imports"));
    int found = 0;
    for (size_t i = 0; i < json_object_array_length(rep->findings); i++) {
        json_object *f = json_object_array_get_idx(rep->findings, i);
        if (!strcmp(sfield(f, "id"), "APP-REMOVED-SYSCALL") && strstr(sfield(f, "title"), "sysctl()"))
            found = 1;
    }
    assert_true(found);
}

static void test_kernel_module_and_unit(void **state)
{
    (void)state;
    json_object *a = app("lcfoo");
    assert_non_null(a);
    assert_string_equal(sfield(a, "decision"), "bare-metal-kvm");
    assert_true(arr_has(field(a, "kernel_modules"), "/opt/kmod/modules/lcfoo.ko"));
    assert_true(arr_has(field(a, "module_loaders"), "/etc/systemd/system/lcfoo.service"));
    assert_true(arr_has(field(a, "entry_points"), "/opt/kmod/bin/lcfood --foreground"));
    /* A unit that names no application root makes no application. */
    assert_null(app("getty-x"));
}

static void test_opt_app_with_unit(void **state)
{
    (void)state;
    json_object *a = app("web");
    assert_non_null(a);
    assert_string_equal(sfield(a, "decision"), "container");
    assert_non_null(sfield(a, "base_image"));
    assert_true(arr_has(field(a, "files"), "/opt/web/bin/web"));
    assert_true(arr_has(field(a, "entry_points"), "\"systemd\""));
    assert_true(arr_has(field(a, "entry_points"), "\"cron\""));
}

static void test_old_glibc(void **state)
{
    (void)state;
    json_object *a = app("old"), *b = app("old14");
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(sfield(a, "decision"), "container");
    assert_string_equal(sfield(a, "base_image"), "centos:6");
    assert_true(arr_has(field(a, "reasons"), "vsyscall"));
    assert_string_equal(sfield(b, "base_image"), "centos:7");
    assert_false(arr_has(field(b, "reasons"), "vsyscall"));
}

static void test_sources_port(void **state)
{
    (void)state;
    json_object *a = app("legacy");
    assert_non_null(a);
    assert_string_equal(sfield(a, "decision"), "port");
    assert_null(sfield(a, "base_image"));
    assert_true(arr_has(field(a, "sources"), "/opt/legacy/src/Makefile"));
    assert_true(arr_has(field(a, "entry_points"), "/etc/init.d/legacy"));
}

static void test_go(void **state)
{
    (void)state;
    json_object *a = app("goapp");
    assert_non_null(a);
    json_object *files = field(field(a, "syscalls"), "files");
    assert_non_null(files);
    json_object *f = json_object_array_get_idx(files, 0);
    assert_true(json_object_get_int(field(f, "sites")) > 0);
    assert_true(arr_has(field(f, "syscalls"), "\"exit_group\""));
    assert_string_equal(sfield(a, "decision"), "container");
}

static void test_server_decision(void **state)
{
    (void)state;
    json_object *sd = report_get(rep, "server_decision");
    assert_string_equal(sfield(sd, "decision"), "bare-metal-kvm");
    assert_non_null(sfield(sd, "summary"));
}

static const struct base_image *pick(const char *g, const char *cxx, const char *abi, const char *so)
{
    const char *v[1] = {so};
    struct app_needs n = {g, cxx, abi, v, so ? 1 : 0};
    char why[256];
    return decide_base_image(&n, why, sizeof why);
}

static void test_base_image_table(void **state)
{
    (void)state;
    assert_string_equal(pick("2.2.5", NULL, NULL, NULL)->name, "centos:6");
    assert_string_equal(pick("2.12", NULL, NULL, NULL)->name, "centos:6");
    assert_string_equal(pick("2.14", NULL, NULL, NULL)->name, "centos:7");
    assert_string_equal(pick("2.18", NULL, NULL, NULL)->name, "ubuntu:14.04");
    assert_string_equal(pick("2.25", NULL, NULL, NULL)->name, "amazonlinux:2");
    assert_string_equal(pick("2.34", NULL, NULL, NULL)->name, "rockylinux:9");
    assert_string_equal(pick("2.36", NULL, NULL, NULL)->name, "debian:12");
    assert_string_equal(pick("2.38", NULL, NULL, NULL)->name, "ubuntu:24.04");
    assert_null(pick("2.40", NULL, NULL, NULL));
    assert_string_equal(pick("2.12", "3.4.14", NULL, NULL)->name, "centos:7");
    assert_string_equal(pick("2.17", "3.4.20", NULL, NULL)->name, "debian:8");
    assert_string_equal(pick(NULL, NULL, "1.3.9", NULL)->name, "ubuntu:16.04");
    assert_string_equal(pick("2.2.5", NULL, NULL, "libssl.so.10")->name, "centos:6");
    assert_string_equal(pick("2.2.5", NULL, NULL, "libssl.so.1.1")->name, "debian:9");
    assert_string_equal(pick("2.2.5", NULL, NULL, "libcrypto.so.3")->name, "rockylinux:9");
    assert_string_equal(pick("2.18", NULL, NULL, "libssl.so.10")->name, "amazonlinux:2");
    assert_null(pick(NULL, NULL, NULL, "libssl.so.0.9.8"));
}

/* The decision is recomputed the same from a saved report. */
static void test_redecide(void **state)
{
    (void)state;
    json_object *copy = NULL;
    assert_int_equal(json_object_deep_copy(rep->doc, &copy, NULL), 0);
    assert_int_equal(decide_compute(copy), 0);
    json_object *a = field(copy, "applications"), *b = report_get(rep, "applications");
    assert_int_equal(json_object_array_length(a), json_object_array_length(b));
    for (size_t i = 0; i < json_object_array_length(a); i++)
        assert_string_equal(sfield(json_object_array_get_idx(a, i), "decision"),
                            sfield(json_object_array_get_idx(b, i), "decision"));
    json_object_put(copy);
}

static char *eol_run(const char *image, char *dockerfile, size_t cap);

/* Writes the Dockerfiles of a few applications next to the tree, and of one
 * on an end-of-life image that installs a package. */
static void write_dockerfiles(void)
{
    static const char *const names[] = {"web", "old", "old14", NULL};
    char path[4096];
    struct strbuf b;

    sb_init(&b);
    assert_int_equal(app_dockerfile(app("sysctl"), &b), -1);
    for (int i = 0; names[i]; i++) {
        sb_init(&b);
        assert_int_equal(app_dockerfile(app(names[i]), &b), 0);
        assert_non_null(strstr(b.s, "\nFROM "));
        assert_non_null(strstr(b.s, "RUN ldconfig\n"));
        /* old (centos:6) installs nothing: no archive is asked for */
        if (!strcmp(names[i], "old"))
            assert_null(strstr(b.s, "ARG "));
        if (!strcmp(names[i], "web"))
            assert_non_null(strstr(b.s, "ENTRYPOINT [\"/opt/web/bin/web\", \"--port\", \"8080\"]"));
        snprintf(path, sizeof path, "%s/Dockerfile.%s", stage_dir, names[i]);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(b.s, f);
        fclose(f);
        sb_free(&b);
    }
    char df[8192];
    eol_run("centos:7", df, sizeof df);
    snprintf(path, sizeof path, "%s/Dockerfile.eol", stage_dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(df, f);
    fclose(f);
}

static void test_dockerfile(void **state)
{
    (void)state;
    write_dockerfiles();
}

/* The Dockerfile of an application on an end-of-life image that installs a
 * package (zlib): the RUN that redirects the package sources, as written. */
static char *eol_run(const char *image, char *dockerfile, size_t cap)
{
    char text[512];
    snprintf(text, sizeof text, "{\"name\":\"eol\",\"root\":\"/opt/eol\",\"decision\":\"container\","
             "\"base_image\":\"%s\",\"needs\":{\"sonames\":[\"libz.so.1\"]}}", image);
    json_object *a = json_tokener_parse(text);
    struct strbuf b;
    sb_init(&b);
    assert_int_equal(app_dockerfile(a, &b), 0);
    json_object_put(a);
    snprintf(dockerfile, cap, "%s", b.s);
    sb_free(&b);
    char *run = strstr(dockerfile, "\nRUN if [ -z ");
    assert_non_null(run);
    return run + 5;
}

/* Runs a redirecting RUN with sh on a copy of FILE's content under the
 * stage directory; ARG is set to URL unless URL is NULL.  Returns sh's exit
 * status and leaves the rewritten file in out and sh's stderr in err. */
static int run_redirect(const char *run, const char *file, const char *content, const char *arg,
                        const char *url, char *out, size_t outcap, char *err, size_t errcap)
{
    char dir[2048], path[4096], script[4096], errpath[4096], cmd[16384];
    snprintf(dir, sizeof dir, "%s/eol-sources", stage_dir);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/%s", dir, strrchr(file, '/') + 1);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(content, f);
    fclose(f);
    /* the RUN up to its last continued line, with the file moved under dir */
    const char *end = run;
    while ((end = strchr(end, '\n')) && end[-1] == '\\')
        end++;
    assert_non_null(end);
    struct strbuf sh;
    sb_init(&sh);
    for (const char *p = run; p < end;) {
        const char *hit = strstr(p, file);
        if (hit && hit < end) {
            sb_add(&sh, p, (size_t)(hit - p));
            sb_puts(&sh, path);
            p = hit + strlen(file);
        } else {
            sb_add(&sh, p, (size_t)(end - p));
            p = end;
        }
    }
    snprintf(script, sizeof script, "%s/run.sh", dir);
    f = fopen(script, "w");
    assert_non_null(f);
    fprintf(f, "%s\n", sh.s);
    fclose(f);
    sb_free(&sh);
    snprintf(errpath, sizeof errpath, "%s/err", dir);
    if (url)
        snprintf(cmd, sizeof cmd, "%s='%s' sh '%s' 2>'%s'", arg, url, script, errpath);
    else
        snprintf(cmd, sizeof cmd, "env -u %s sh '%s' 2>'%s'", arg, script, errpath);
    int rc = system(cmd);
    assert_true(WIFEXITED(rc));
    read_whole(path, out, outcap);
    read_whole(errpath, err, errcap);
    return WEXITSTATUS(rc);
}

/* An end-of-life image's package sources are redirected to an archive whose
 * address the build passes in (no address is written in the Dockerfile); the
 * build stops with a message naming the argument when it is not passed. */
static void test_dockerfile_eol_sources(void **state)
{
    static const struct {
        const char *image, *arg, *file, *before, *after;
    } cases[] = {
        {"centos:7", "CENTOS_VAULT", "/etc/yum.repos.d/CentOS-*.repo",
         "[base]\nmirrorlist=http://mirrorlist.example/?release=$releasever&repo=os\n"
         "#baseurl=http://mirror.example/centos/$releasever/os/$basearch/\ngpgcheck=1\n",
         "[base]\n#mirrorlist=http://mirrorlist.example/?release=$releasever&repo=os\n"
         "baseurl=http://archive.example/vault/7.9.2009/os/$basearch/\ngpgcheck=1\n"},
        {"centos:6", "CENTOS_VAULT", "/etc/yum.repos.d/CentOS-*.repo",
         "#baseurl=http://mirror.example/centos/$releasever/updates/$basearch/\n",
         "baseurl=http://archive.example/vault/6.10/updates/$basearch/\n"},
        {"debian:9", "DEBIAN_ARCHIVE", "/etc/apt/sources.list",
         "deb http://mirror.example/debian stretch main\n",
         "deb http://archive.example/vault stretch main\n"},
        {"debian:8", "DEBIAN_ARCHIVE", "/etc/apt/sources.list", "",
         "deb http://archive.example/vault jessie main\n"},
        {"ubuntu:16.04", "UBUNTU_OLD_RELEASES", "/etc/apt/sources.list",
         "deb http://mirror.example/ubuntu/ xenial main restricted\n# deb-src http://x/ubuntu/ xenial main\n"
         "deb-src http://mirror.example/ubuntu/ xenial-updates main\n",
         "deb http://archive.example/vault xenial main restricted\n# deb-src http://x/ubuntu/ xenial main\n"
         "deb-src http://archive.example/vault xenial-updates main\n"},
    };
    char df[8192], out[4096], err[4096];
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *run = eol_run(cases[i].image, df, sizeof df);
        char arg[128];
        snprintf(arg, sizeof arg, "\nARG %s\n", cases[i].arg);
        assert_non_null(strstr(df, arg));
        assert_null(strstr(df, "://"));
        /* the redirect comes before the install that needs it */
        assert_non_null(strstr(run, " install -y"));
        /* the trailing slash of the URL is dropped */
        assert_int_equal(run_redirect(run, cases[i].file, cases[i].before, cases[i].arg,
                                      "http://archive.example/vault/", out, sizeof out, err, sizeof err), 0);
        assert_string_equal(out, cases[i].after);
        assert_int_equal(run_redirect(run, cases[i].file, cases[i].before, cases[i].arg, NULL,
                                      out, sizeof out, err, sizeof err), 1);
        assert_non_null(strstr(err, cases[i].image));
        assert_non_null(strstr(err, "--build-arg"));
        assert_non_null(strstr(err, cases[i].arg));
        assert_string_equal(out, cases[i].before);
    }
    /* a current image has nothing to redirect */
    char text[] = "{\"name\":\"x\",\"decision\":\"container\",\"base_image\":\"debian:12\","
                  "\"needs\":{\"sonames\":[\"libz.so.1\"]}}";
    json_object *a = json_tokener_parse(text);
    struct strbuf b;
    sb_init(&b);
    assert_int_equal(app_dockerfile(a, &b), 0);
    assert_null(strstr(b.s, "ARG "));
    assert_non_null(strstr(b.s, "zlib1g"));
    sb_free(&b);
    json_object_put(a);
}

/* The Dockerfiles pass a maintained linter (dockerfile-utils from npm). */
static void test_dockerfile_lint(void **state)
{
    char cmd[8192];
    (void)state;
    write_dockerfiles();
    snprintf(cmd, sizeof cmd, "NODE_PATH='%s/node_modules' node '%s' '%s'/Dockerfile.*",
             node_dir, dockerfile_check, stage_dir);
    assert_int_equal(system(cmd), 0);
}

/* ---- A lived-in server: copies, caches, toolchains (stage.sh, second part). */

static int under(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    return path && !strncmp(path, prefix, n) && (!path[n] || path[n] == '/');
}

static const char *const lived_in_noise[] = {"/root/backup", "/tmp/initrd-unpacked", "/root/.cache",
                                             "/root/.rustup", "/home/dev/project/target", NULL};

static json_object *elf_file(const char *path)
{
    return find_in("elf_files", "path", path);
}

static void test_lived_in_inventory_only(void **state)
{
    (void)state;
    char mods[8192], path[4096];
    json_object *apps = report_get(rep, "applications");
    for (size_t i = 0; i < json_object_array_length(apps); i++) {
        json_object *a = json_object_array_get_idx(apps, i);
        for (int k = 0; lived_in_noise[k]; k++)
            if (under(sfield(a, "root"), lived_in_noise[k]))
                fail_msg("application %s from %s", sfield(a, "name"), sfield(a, "root"));
        assert_true(sfield(a, "name")[0] != '.');
        assert_false(arr_has(field(a, "kernel_modules"), "/root/backup/"));
    }
    /* Still in the inventory. */
    slurp("backup_mods", mods, sizeof mods);
    assert_true(mods[0]);
    for (char *save = NULL, *m = strtok_r(mods, "\n", &save); m; m = strtok_r(NULL, "\n", &save)) {
        json_object *f = elf_file(m);
        assert_non_null(f);
        assert_true(json_object_get_boolean(field(f, "kernel_module")));
        snprintf(path, sizeof path, "/tmp/initrd-unpacked/usr/lib/modules/%s",
                 m + strlen("/root/backup/lib/modules/"));
        assert_non_null(elf_file(path));
    }
    assert_non_null(elf_file("/root/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/bin/rustc"));
    assert_non_null(elf_file("/root/.cache/pip/wheels/_speedups.cpython-311-x86_64-linux-gnu.so"));
    assert_non_null(elf_file("/home/dev/project/target/debug/app"));
    /* The build tree is an application; its tagged cache is not part of it. */
    json_object *p = app("project");
    assert_non_null(p);
    assert_true(arr_has(field(p, "files"), "/home/dev/project/bin/tool"));
    assert_false(arr_has(field(p, "files"), "/target/"));
    assert_true(arr_has(field(report_get(rep, "elf_summary"), "cache_dirs"), "/home/dev/project/target"));
}

static void test_loadable_modules(void **state)
{
    (void)state;
    char provided[256];
    json_object *a = app("lcvendor");
    assert_non_null(a);
    assert_true(arr_has(field(a, "kernel_modules"), "/lib/modules/9.9.9-lc/extra/lcvendor.ko"));
    assert_string_equal(sfield(a, "decision"), "bare-metal-kvm");
    a = app("lcload");
    assert_non_null(a);
    assert_string_equal(sfield(a, "root"), "/srv/lcload");
    assert_true(arr_has(field(a, "kernel_modules"), "/srv/lcload/lcload.ko"));
    /* Named by path from a transient tree: that file counts. */
    a = app("lctmp");
    assert_non_null(a);
    assert_true(arr_has(field(a, "kernel_modules"), "/tmp/lcdrv/lctmp.ko"));
    assert_true(arr_has(field(a, "module_loaders"), "/etc/rc.local"));
    assert_int_equal(json_object_get_int(field(app("many"), "kernel_module_count")), 25);
    /* A name the installed kernel provides is that kernel's module. */
    slurp("provided_name", provided, sizeof provided);
    assert_true(provided[0]);
    assert_null(app(provided));
}

/* "Title: NAME..." is about the application NAME. */
static int about(json_object *f, const char *name)
{
    const char *t = strstr(sfield(f, "title"), ": ");
    size_t n = strlen(name);
    return t && !strncmp(t + 2, name, n) && (!t[2 + n] || t[2 + n] == ' ');
}

static void test_findings_per_application(void **state)
{
    (void)state;
    static const char *const per_app[] = {"APP-KERNEL-MODULE", "APP-REMOVED-SYSCALL",
        "APP-MODULE-SYSCALL", "APP-RAW-IO", "APP-VSYSCALL", "APP-KERNEL-PATH", "APP-32BIT",
        "APP-NO-BASE-IMAGE", "APP-DECISION", NULL};
    json_object *apps = report_get(rep, "applications");
    size_t warnings = 0;
    for (size_t i = 0; i < json_object_array_length(rep->findings); i++) {
        json_object *f = json_object_array_get_idx(rep->findings, i);
        warnings += !strcmp(sfield(f, "severity"), "warning");
        if (strncmp(sfield(f, "id"), "APP-", 4))
            continue;
        for (int k = 0; lived_in_noise[k]; k++)
            assert_false(arr_has(field(f, "evidence"), lived_in_noise[k]));
    }
    for (size_t i = 0; i < json_object_array_length(apps); i++) {
        const char *name = sfield(json_object_array_get_idx(apps, i), "name");
        for (int k = 0; per_app[k]; k++) {
            int n = 0;
            for (size_t j = 0; j < json_object_array_length(rep->findings); j++) {
                json_object *f = json_object_array_get_idx(rep->findings, j);
                n += !strcmp(sfield(f, "id"), per_app[k]) && about(f, name);
            }
            if (n > 1)
                fail_msg("%d %s findings for %s", n, per_app[k], name);
        }
    }
    /* 25 modules: one finding, 20 shown and the rest counted. */
    int many = 0;
    for (size_t j = 0; j < json_object_array_length(rep->findings); j++) {
        json_object *f = json_object_array_get_idx(rep->findings, j), *ev = field(f, "evidence");
        if (strcmp(sfield(f, "id"), "APP-KERNEL-MODULE") || !about(f, "many"))
            continue;
        many++;
        assert_int_equal(json_object_array_length(ev), 21);
        assert_string_equal(json_object_get_string(json_object_array_get_idx(ev, 20)), "... and 5 more");
    }
    assert_int_equal(many, 1);
    /* About one warning per kernel-dependent application, not one per file. */
    assert_true(warnings < json_object_array_length(apps) + 4);
}

static void test_missing_lib_of_package_is_info(void **state)
{
    (void)state;
    int packaged = 0, third = 0;
    for (size_t i = 0; i < json_object_array_length(rep->findings); i++) {
        json_object *f = json_object_array_get_idx(rep->findings, i), *ev = field(f, "evidence");
        if (strcmp(sfield(f, "id"), "ELF-MISSING-LIBS"))
            continue;
        if (arr_has(ev, "/usr/lib/x86_64-linux-gnu/tc/q_atm.so needs libatm.so.1")) {
            packaged++;
            assert_string_equal(sfield(f, "severity"), "info");
            assert_false(arr_has(ev, "/opt/broken/bin/broken"));
        }
        if (arr_has(ev, "/opt/broken/bin/broken needs")) {
            third++;
            assert_string_equal(sfield(f, "severity"), "warning");
            assert_true(arr_has(ev, "liblcgone.so.3"));
        }
    }
    assert_int_equal(packaged, 1);
    assert_int_equal(third, 1);
}

/* The entry point of app from source, or NULL. */
static json_object *entry_from(const char *name, const char *source)
{
    json_object *eps = field(app(name), "entry_points");
    for (size_t i = 0; eps && i < json_object_array_length(eps); i++) {
        json_object *e = json_object_array_get_idx(eps, i);
        if (!strcmp(sfield(e, "source"), source))
            return e;
    }
    return NULL;
}

static void test_entry_points_as_run(void **state)
{
    (void)state;
    /* application, what starts it, and a field of that entry point */
    static const char *const rows[][4] = {
        {"web", "/etc/systemd/system/web.service", "state", "enabled"},
        {"lcfoo", "/etc/systemd/system/lcfoo.service", "state", "disabled"},
        {"legacy", "/etc/init.d/legacy", "runlevels", "235"},
        {"legacy", "/etc/init.d/legacy", "state", "enabled"},
        {"lcup", "/etc/init/lcup.conf", "kind", "upstart"},
        {"lcup", "/etc/init/lcup.conf", "command", "exec /opt/upd/bin/upd --daemon"},
        {"inittabd", "/etc/inittab", "kind", "inittab"},
        {"inittabd", "/etc/inittab", "runlevels", "2345"},
        {"inittabd", "/etc/inittab", "command", "/opt/inittabd/bin/itd -f"},
        {"lcx", "/etc/xinetd.d/lcx", "kind", "xinetd"},
        {"web", "/etc/anacrontab", "kind", "anacron"},
        /* rc.local is read through its link, as RHEL has it. */
        {"old", "/etc/rc.local", "kind", "sysv"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        json_object *e = entry_from(rows[i][0], rows[i][1]);
        if (!e)
            fail_msg("%s has no entry point from %s", rows[i][0], rows[i][1]);
        if (!sfield(e, rows[i][2]) || strcmp(sfield(e, rows[i][2]), rows[i][3]))
            fail_msg("%s from %s: %s is %s, not %s", rows[i][0], rows[i][1], rows[i][2],
                     sfield(e, rows[i][2]) ? sfield(e, rows[i][2]) : "absent", rows[i][3]);
    }
}

static void test_install_roots_by_structure(void **state)
{
    (void)state;
    /* Named after the unit that starts it, not the root's last directory. */
    json_object *a = app("oradb");
    assert_non_null(a);
    assert_string_equal(sfield(a, "named_from"), "/etc/systemd/system/oradb.service");
    assert_string_equal(sfield(a, "root"), "/u01/app/oradb/product/19c/dbhome_1");
    assert_true(arr_has(field(a, "files"), "/lib/libora.so"));
    assert_non_null(entry_from("oradb", "/etc/systemd/system/oradb.service"));
    a = app("LC1");
    assert_non_null(a);
    assert_string_equal(sfield(a, "root"), "/usr/sap/LC1");
    json_object *apps = report_get(rep, "applications");
    for (size_t i = 0; i < json_object_array_length(apps); i++) {
        const char *root = sfield(json_object_array_get_idx(apps, i), "root");
        assert_false(under(root, "/old_root") || under(root, "/usr/bin") || under(root, "/build") ||
                     under(root, "/srv/backup"));
        assert_null(strstr(root, "/."));
    }
    assert_non_null(elf_file("/old_root/usr/bin/oldtool"));
    assert_non_null(elf_file("/srv/backup/usr/bin/oldtool"));
    assert_non_null(elf_file("/srv/backup/usr/lib/libold.so"));
    assert_non_null(elf_file("/srv/backup/usr/lib/modules/9.9.8-old/extra/lcbak.ko"));
    assert_null(app("lcbak"));
    a = app("lcbundle");
    assert_non_null(a);
    assert_true(arr_has(field(a, "files"), "/opt/lcbundle/usr/bin/lcbundle"));
    assert_non_null(elf_file("/build/liftsrc/out/bin/tool"));
}

/* The OS libraries an application needs, and the packages they come from. */
static void test_needs_packages(void **state)
{
    (void)state;
    json_object *needs = field(app("demo"), "needs");
    assert_non_null(needs);
    assert_true(arr_has(field(needs, "sonames"), "libdemo.so.1"));
    assert_true(arr_has(field(needs, "packages"), "libdemo1"));
    assert_false(arr_has(field(needs, "packages"), "iproute2"));
    /* Each soname with the file that provides it and that file's package. */
    json_object *lib = field(field(needs, "libraries"), "libdemo.so.1");
    assert_string_equal(sfield(lib, "path"), "/usr/lib/libdemo.so.1");
    assert_string_equal(sfield(lib, "package"), "libdemo1");
    /* Named after its root: nothing starts it. */
    assert_string_equal(sfield(app("demo"), "name"), "demo");
    assert_null(field(app("demo"), "named_from"));
}

/* The base image of an application on one runtime with these native needs. */
static const char *runtime_base(const char *kind, const char *version, const char *release,
                                const char *glibc, char *out, size_t cap)
{
    json_object *a = json_object_new_object(), *rt = json_object_new_object();
    json_object *rts = json_object_new_array(), *needs = json_object_new_object();
    json_object_object_add(rt, "kind", json_object_new_string(kind));
    json_object_object_add(rt, kind[0] == 's' ? "interpreter" : "version", json_object_new_string(version));
    if (release)
        json_object_object_add(rt, "release", json_object_new_string(release));
    json_object_array_add(rts, rt);
    json_object_object_add(a, "runtimes", rts);
    if (glibc)
        json_object_object_add(needs, "glibc_max", json_object_new_string(glibc));
    json_object_object_add(a, "needs", needs);
    decide_app(a, NULL);
    snprintf(out, cap, "%s", sfield(a, "base_image") ? sfield(a, "base_image") : "(null)");
    json_object_put(a);
    return out;
}

/* A runtime's image only when it covers the native needs; else a copy of
 * the runtime on a base no older than its glibc floor. */
static void test_runtime_image_bounds(void **state)
{
    char b[64];
    (void)state;
    assert_string_equal(runtime_base("java", "17.0.9", "17", "2.34", b, sizeof b), "eclipse-temurin:17");
    assert_string_equal(runtime_base("java", "1.7.0_80", "7", "2.2.5", b, sizeof b), "centos:6");
    assert_string_equal(runtime_base("python", "3.11.2", "3.11", "2.36", b, sizeof b), "python:3.11-slim");
    /* An extension newer than the image's glibc: the oldest base covering it. */
    assert_string_equal(runtime_base("python", "3.11.2", "3.11", "2.38", b, sizeof b), "ubuntu:24.04");
    assert_string_equal(runtime_base("python", "2.7.18", "2.7", NULL, b, sizeof b), "centos:7");
    assert_string_equal(runtime_base("python", "3.6.15", "3.6", "2.31", b, sizeof b), "python:3.6-slim");
    assert_string_equal(runtime_base("python", "3.6.15", "3.6", "2.34", b, sizeof b), "rockylinux:9");
    assert_string_equal(runtime_base("node", "16.20.2", "16", NULL, b, sizeof b), "centos:7");
    assert_string_equal(runtime_base("node", "23.1.0", "23", NULL, b, sizeof b), "rockylinux:8");
    assert_string_equal(runtime_base("node", "20.11.0", "20", "2.17", b, sizeof b), "node:20-slim");
    assert_string_equal(runtime_base("script", "python2.7", NULL, NULL, b, sizeof b), "centos:7");
    assert_non_null(decide_image_named("eclipse-temurin:8"));
    /* Java 6 has no image: its JDK is copied from the server onto the base. */
    json_object *a = json_tokener_parse("{\"name\":\"shop\",\"root\":\"/opt/shop\",\"needs\":{},"
        "\"runtimes\":[{\"kind\":\"java\",\"home\":\"/u01/jdk1.6.0_45\",\"version\":\"1.6.0_45\","
        "\"release\":\"6\",\"evidence\":[]}]}");
    assert_non_null(a);
    decide_app(a, NULL);
    assert_true(arr_has(field(a, "reasons"), "runs on Java 1.6.0_45, which no maintained image ships"));
    struct strbuf df;
    sb_init(&df);
    assert_int_equal(app_dockerfile(a, &df), 0);
    assert_non_null(strstr(df.s, "COPY [\"u01/jdk1.6.0_45\", \"/u01/jdk1.6.0_45\"]"));
    sb_free(&df);
    json_object_put(a);
}

/* The runtime of this kind an application runs on, or NULL. */
static json_object *runtime(const char *app_name, const char *kind)
{
    json_object *rts = field(app(app_name), "runtimes");
    for (size_t i = 0; rts && i < json_object_array_length(rts); i++) {
        json_object *r = json_object_array_get_idx(rts, i);
        if (!strcmp(sfield(r, "kind"), kind))
            return r;
    }
    return NULL;
}

/* A JDK by its release file, and a web application on it: its WAR counted
 * (a text file named .war is not), the image the Java release names. */
static void test_runtime_java(void **state)
{
    char want[64];
    (void)state;
    slurp("java_version", want, sizeof want);
    json_object *jdk = runtime("jdk8", "java"), *web = runtime("tomcat", "java");
    assert_non_null(jdk);
    assert_string_equal(sfield(jdk, "version"), want);
    assert_string_equal(sfield(jdk, "home"), "/opt/jdk8");
    assert_true(arr_has(field(jdk, "evidence"), "/opt/jdk8/release"));
    assert_non_null(web);
    assert_string_equal(sfield(web, "version"), want);
    assert_string_equal(sfield(web, "home"), "/opt/jdk8");
    assert_string_equal(sfield(web, "from_application"), "jdk8");
    assert_string_equal(sfield(web, "found_by"), "JAVA_HOME of its unit");
    /* Two JDKs and nothing naming one: the jar's runtime stays unknown. */
    assert_string_equal(sfield(runtime("jdk17", "java"), "version"), "17.0.9");
    json_object *batch = runtime("batch", "java");
    assert_non_null(batch);
    assert_null(sfield(batch, "home"));
    assert_int_equal(json_object_get_int(field(field(batch, "archives"), "count")), 1);
    assert_true(arr_has(field(app("batch"), "reasons"), "runtime not found"));
    json_object *ar = field(web, "archives");
    assert_int_equal(json_object_get_int(field(ar, "count")), 1);
    assert_true(arr_has(field(ar, "paths"), "/opt/tomcat/webapps/shop.war"));
    assert_false(arr_has(field(ar, "paths"), "notes.war"));
    assert_string_equal(sfield(app("tomcat"), "base_image"), "eclipse-temurin:8");
    assert_string_equal(sfield(app("jdk8"), "base_image"), "eclipse-temurin:8");
    /* The image provides Java: the server's JDK is not copied. */
    struct strbuf df;
    sb_init(&df);
    assert_int_equal(app_dockerfile(app("tomcat"), &df), 0);
    assert_non_null(strstr(df.s, "FROM eclipse-temurin:8\n"));
    assert_null(strstr(df.s, "opt/jdk8"));
    sb_free(&df);
}

/* A virtualenv: the version its pyvenv.cfg says, its compiled extension
 * with GLIBC needs, and python:X.Y-slim. */
static void test_runtime_python(void **state)
{
    char cfg[4096], path[4096], want[32] = "", image[64];
    (void)state;
    snprintf(path, sizeof path, "%s/root/opt/pyapp/venv/pyvenv.cfg", stage_dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(cfg, sizeof cfg, f))
        if (sscanf(cfg, "version = %31s", want) == 1 || sscanf(cfg, "version_info = %31s", want) == 1)
            break;
    fclose(f);
    assert_true(want[0]);
    json_object *py = runtime("pyapp", "python");
    assert_non_null(py);
    assert_string_equal(sfield(py, "version"), want);
    assert_string_equal(sfield(py, "home"), "/opt/pyapp/venv");
    assert_true(json_object_get_boolean(field(py, "virtualenv")));
    assert_int_equal(json_object_get_int(field(field(py, "extensions"), "count")), 1);
    assert_true(arr_has(field(field(py, "extensions"), "paths"), "site-packages/_fast.cpython-3"));
    assert_non_null(sfield(field(app("pyapp"), "needs"), "glibc_max"));
    /* The extension's own GLIBC need, from the ELF inventory. */
    assert_string_equal(sfield(field(py, "extensions"), "glibc_max"),
                        sfield(field(app("pyapp"), "needs"), "glibc_max"));
    assert_true(arr_has(field(field(py, "extensions"), "evidence"), "_fast.cpython-3-x86_64-linux-gnu.so: GLIBC_"));
    /* python:X.Y-slim exists from 3.6 on; older ones are copied onto a base. */
    char mm[32];
    snprintf(mm, sizeof mm, "%.*s", (int)(strchr(strchr(want, '.') + 1, '.') ?
             strchr(strchr(want, '.') + 1, '.') - want : (long)strlen(want)), want);
    snprintf(image, sizeof image, "python:%s-slim", mm);
    if (decide_image_named(image))
        assert_string_equal(sfield(app("pyapp"), "base_image"), image);
    else
        assert_string_not_equal(sfield(app("pyapp"), "base_image"), image);
    assert_true(arr_has(field(app("pyapp"), "runtimes"), "\"interpreter\":\"python3\""));
    /* The Dockerfile re-points the virtualenv at the image's interpreter. */
    struct strbuf df;
    sb_init(&df);
    assert_int_equal(app_dockerfile(app("pyapp"), &df), 0);
    if (decide_image_named(image))
        assert_non_null(strstr(df.s, "RUN [\"python3\", \"-m\", \"venv\", \"--upgrade\", \"/opt/pyapp/venv\"]"));
    sb_free(&df);
}

/* Node.js by the version string in its binary, its native addon under
 * node_modules, and node:N-slim. */
static void test_runtime_node(void **state)
{
    char want[64], image[64];
    (void)state;
    slurp("node_version", want, sizeof want);
    json_object *n = runtime("nodesvc", "node");
    assert_non_null(n);
    assert_string_equal(sfield(n, "version"), want);
    assert_string_equal(sfield(n, "home"), "/opt/nodesvc");
    assert_int_equal(json_object_get_int(field(field(n, "addons"), "count")), 1);
    assert_true(arr_has(field(field(n, "addons"), "paths"), "/fastcsv/build/Release/fastcsv.node"));
    assert_non_null(sfield(field(n, "addons"), "glibc_max"));
    snprintf(image, sizeof image, "node:%.*s-slim", (int)strcspn(want, "."), want);
    assert_string_equal(sfield(app("nodesvc"), "base_image"), image);
}

/* Interpreters from shebangs (env looked through), told apart by libmagic;
 * Python 2 puts the application on a base of its generation. */
static void test_runtime_scripts(void **state)
{
    (void)state;
    json_object *rts = field(app("oldscripts"), "runtimes");
    assert_true(arr_has(rts, "\"interpreter\":\"perl\""));
    assert_true(arr_has(rts, "\"interpreter\":\"python2\""));
    assert_true(arr_has(rts, "text/x-perl"));
    assert_string_equal(sfield(app("oldscripts"), "base_image"), "centos:7");
    /* The init script starting an application is one of its scripts. */
    json_object *legacy = field(app("legacy"), "runtimes");
    assert_true(arr_has(legacy, "\"interpreter\":\"sh\""));
    assert_true(arr_has(legacy, "/etc/init.d/legacy"));
    assert_false(arr_has(field(app("old"), "runtimes"), "rc.local"));
}

/* The applications section as the report schema describes it. */
static void test_report_schema(void **state)
{
    char dir[4096], cmd[16384];
    (void)state;
    snprintf(dir, sizeof dir, "%s", stage_script);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = 0;
    else
        snprintf(dir, sizeof dir, ".");
    snprintf(cmd, sizeof cmd, "python3 '%s/../elf/check_schema.py' '%s/../../schema/liftcheck-report.schema.json' "
             "'%s/report.json' applications server_decision", dir, dir, stage_dir);
    int rc = system(cmd);
    if (WIFEXITED(rc) && WEXITSTATUS(rc) == 77)
        skip();
    assert_true(WIFEXITED(rc));
    assert_int_equal(WEXITSTATUS(rc), 0);
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: test_apps STAGE_SCRIPT STAGE_DIR CHECK_JS NODE_DIR [PART]\n");
        return 2;
    }
    stage_script = argv[1];
    stage_dir = argv[2];
    dockerfile_check = argv[3];
    node_dir = argv[4];
    const char *part = argc > 5 ? argv[5] : NULL;
    char lint[4096];
    snprintf(lint, sizeof lint, "%s/node_modules/dockerfile-utils", node_dir);
    if (part && !strcmp(part, "dockerfile-lint") && access(lint, F_OK) != 0) {
        printf("skipped: dockerfile-utils is not installed under %s "
               "(npm install --prefix %s dockerfile-utils; scripts/test.sh does)\n", node_dir, node_dir);
        return STAGED_SKIPPED;
    }
    static const struct staged_test tests[] = {
        {NULL, cmocka_unit_test(test_base_image_table)},
        {NULL, cmocka_unit_test(test_removed_syscall)},
        {NULL, cmocka_unit_test(test_removed_interface_imports)},
        {NULL, cmocka_unit_test(test_kernel_module_and_unit)},
        {NULL, cmocka_unit_test(test_opt_app_with_unit)},
        {NULL, cmocka_unit_test(test_old_glibc)},
        {NULL, cmocka_unit_test(test_sources_port)},
        {NULL, cmocka_unit_test(test_server_decision)},
        {NULL, cmocka_unit_test(test_redecide)},
        {NULL, cmocka_unit_test(test_dockerfile)},
        {NULL, cmocka_unit_test(test_dockerfile_eol_sources)},
        {NULL, cmocka_unit_test(test_lived_in_inventory_only)},
        {NULL, cmocka_unit_test(test_loadable_modules)},
        {NULL, cmocka_unit_test(test_findings_per_application)},
        {NULL, cmocka_unit_test(test_missing_lib_of_package_is_info)},
        {NULL, cmocka_unit_test(test_entry_points_as_run)},
        {NULL, cmocka_unit_test(test_install_roots_by_structure)},
        {NULL, cmocka_unit_test(test_needs_packages)},
        {NULL, cmocka_unit_test(test_runtime_image_bounds)},
        {NULL, cmocka_unit_test(test_runtime_java)},
        {NULL, cmocka_unit_test(test_runtime_node)},
        {NULL, cmocka_unit_test(test_runtime_scripts)},
        {NULL, cmocka_unit_test(test_report_schema)},
        {"go", cmocka_unit_test(test_go)},
        {"venv", cmocka_unit_test(test_runtime_python)},
        {"dockerfile-lint", cmocka_unit_test(test_dockerfile_lint)},
    };
    return staged_run("apps", stage_script, stage_dir, part, tests, sizeof tests / sizeof tests[0],
                      skips, sizeof skips, setup, teardown);
}
