/* Dockerfile generation for containerizable applications. */
#include <stdio.h>
#include <string.h>

#include "model/decide.h"
#include "model/jdoc.h"
#include "model/report.h"
#include "reports/dockerfile.h"




/* Libraries every base image has: glibc's own and the loader. */
static int in_base(const char *so)
{
    static const char *const base[] = {"libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2",
                                       "librt.so.1", "libresolv.so.2", "libutil.so.1",
                                       "ld-linux-x86-64.so.2", "ld-linux.so.2", "libgcc_s.so.1",
                                       "libnsl.so.1", "libcrypt.so.1", "libanl.so.1", NULL};
    for (int i = 0; base[i]; i++)
        if (!strcmp(base[i], so))
            return 1;
    return 0;
}

/* The package providing a soname, by image family. */
static const char *package_of(const char *so, const struct base_image *b)
{
    static const struct { const char *so, *rpm, *deb; } t[] = {
        {"libstdc++.so.6", "libstdc++", "libstdc++6"},
        {"libz.so.1", "zlib", "zlib1g"},
        {"libaio.so.1", "libaio", "libaio1"},
        {"libxml2.so.2", "libxml2", "libxml2"},
        {"libncurses.so.5", "ncurses-libs", "libncurses5"},
        {"libtinfo.so.5", "ncurses-libs", "libtinfo5"},
        {"libncursesw.so.6", "ncurses-libs", "libncursesw6"},
        {"libtinfo.so.6", "ncurses-libs", "libtinfo6"},
        {"libuuid.so.1", "libuuid", "libuuid1"},
        {"libnuma.so.1", "numactl-libs", "libnuma1"},
        {"libcurl.so.4", "libcurl", "libcurl4"},
        {"libpcre.so.1", "pcre", "libpcre3"},
        {"libbz2.so.1", "bzip2-libs", "libbz2-1.0"},
        {"libexpat.so.1", "expat", "libexpat1"},
        {"libffi.so.6", "libffi", "libffi6"},
        {"libreadline.so.6", "readline", "libreadline6"},
        {"libgomp.so.1", "libgomp", "libgomp1"},
        {"libgfortran.so.3", "libgfortran", "libgfortran3"},
        {"libpng12.so.0", "libpng12", "libpng12-0"},
        {"libX11.so.6", "libX11", "libx11-6"},
    };
    int rpm = !strcmp(b->family, "el") || !strcmp(b->family, "amzn");
    if (!strncmp(so, "libssl.so.", 10) || !strncmp(so, "libcrypto.so.", 13)) {
        const char *v = strchr(so, '.') + 4;
        if (rpm)
            return !strcmp(b->name, "centos:6") ? "openssl" : "openssl-libs";
        if (!strcmp(v, "3"))
            return !strcmp(b->name, "ubuntu:24.04") ? "libssl3t64" : "libssl3";
        if (!strcmp(v, "1.1"))
            return "libssl1.1";
        if (!strcmp(v, "1.0.0"))
            return "libssl1.0.0";
        return NULL;
    }
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        if (!strcmp(t[i].so, so))
            return rpm ? t[i].rpm : t[i].deb;
    return NULL;
}

/* The head of the RUN that redirects an end-of-life image's package sources:
 * the address is a build argument, checked before it is used. */
static void archive_arg(struct strbuf *o, const char *image, const char *arg, const char *archive)
{
    sb_printf(o, "# %s is end-of-life: its packages are left only on %s.\n", image, archive);
    sb_printf(o, "# Build with --build-arg %s=URL: that archive, a mirror of it, or your repository proxy.\n", arg);
    sb_printf(o, "ARG %s\n", arg);
    sb_printf(o, "RUN if [ -z \"$%s\" ]; then echo \"%s is end-of-life: build with --build-arg %s=URL (%s)\" >&2; exit 1; fi; \\\n",
              arg, image, arg, archive);
}

/* An end-of-life image's release is left only on an archive, whose address
 * differs by site (the public archive, a mirror of it, the site's repository
 * proxy). So the Dockerfile names none: it takes the address as a build
 * argument and stops with a message when it is missing. Written only before
 * packages are installed, so an application that needs none builds without. */
static void eol_sources(const struct base_image *b, struct strbuf *o)
{
    const char *rel = !strcmp(b->name, "centos:6") ? "6.10" : !strcmp(b->name, "centos:7") ? "7.9.2009" : NULL;
    if (rel) {
        /* CentOS-*.repo: "#baseurl=http://HOST/centos/$releasever/os/$basearch/" */
        archive_arg(o, b->name, "CENTOS_VAULT", "the CentOS vault");
        sb_printf(o, "    sed -i -e 's|^mirrorlist=|#mirrorlist=|' "
                     "-e \"s|^#\\?baseurl=.*/\\$releasever/|baseurl=${CENTOS_VAULT%%/}/%s/|\" "
                     "/etc/yum.repos.d/CentOS-*.repo\n", rel);
    } else if (!strcmp(b->name, "debian:8") || !strcmp(b->name, "debian:9")) {
        archive_arg(o, b->name, "DEBIAN_ARCHIVE", "Debian's archive of retired releases");
        sb_printf(o, "    echo \"deb ${DEBIAN_ARCHIVE%%/} %s main\" > /etc/apt/sources.list\n",
                  !strcmp(b->name, "debian:8") ? "jessie" : "stretch");
    } else if (!strcmp(b->name, "ubuntu:14.04") || !strcmp(b->name, "ubuntu:16.04")) {
        /* sources.list: "deb URI SUITE COMPONENT...": every URI replaced */
        archive_arg(o, b->name, "UBUNTU_OLD_RELEASES", "Ubuntu's old-releases archive");
        sb_puts(o, "    sed -i -e \"s|^\\(deb[-a-z]*\\) [^ ]*|\\1 ${UBUNTU_OLD_RELEASES%/}|\" "
                   "/etc/apt/sources.list\n");
    }
}

/* Writes s as a JSON string: the exec form of ENTRYPOINT. */
static void json_word(struct strbuf *o, const char *s, size_t n)
{
    sb_puts(o, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\')
            sb_printf(o, "\\%c", ch);
        else if (ch < 0x20)
            sb_printf(o, "\\u%04x", ch);
        else
            sb_add(o, (const char *)&ch, 1);
    }
    sb_puts(o, "\"");
}

/* A comment line: guest text can hold newlines and escape sequences, which
 * must neither end the comment (a newline would start an instruction) nor
 * reach a terminal, so control bytes are written as \xNN. */
static void comment(struct strbuf *o, const char *prefix, const char *s)
{
    sb_puts(o, prefix);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            sb_printf(o, "\\x%02x", *p);
        else
            sb_add(o, (const char *)p, 1);
    }
    sb_puts(o, "\n");
}

static void entrypoint(json_object *app, struct strbuf *o)
{
    json_object *eps = doc_get(app, "entry_points");
    json_object *best = NULL;
    for (size_t i = 0; i < doc_len(eps); i++) {
        json_object *e = doc_at(eps, i);
        const char *k = doc_str(e, "kind");
        if (k && !strcmp(k, "systemd")) {
            best = e;
            break;
        }
        if (!best && k && !strcmp(k, "sysv"))
            best = e;
    }
    const char *cmd = doc_str(best, "command");
    if (!cmd) {
        sb_puts(o, "# No unit or init script starts it: set the command here.\nCMD [\"/bin/sh\"]\n");
        return;
    }
    comment(o, "# From ", doc_str(best, "source") ? doc_str(best, "source") : "?");
    sb_puts(o, "ENTRYPOINT [");
    while (*cmd == '-' || *cmd == '@' || *cmd == '+' || *cmd == '!' || *cmd == ':')
        cmd++;
    int first = 1;
    const char *p = cmd;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\r')
            p++;
        if (!*p)
            break;
        size_t n = strcspn(p, " \t\r");
        if (!first)
            sb_puts(o, ", ");
        json_word(o, p, n);
        first = 0;
        p += n;
    }
    sb_puts(o, "]\n");
}

/* A path as a build-context source (no leading slash), in the JSON form so
 * that spaces, quotes and control characters in guest names stay data. */
static void copy(struct strbuf *o, const char *path)
{
    if (!path || path[0] != '/' || !path[1])
        return;
    sb_puts(o, "COPY [");
    json_word(o, path + 1, strlen(path + 1));
    sb_puts(o, ", ");
    json_word(o, path, strlen(path));
    sb_puts(o, "]\n");
}

/* The runtime an application runs on, in its image: a virtualenv is
 * re-pointed at the image's interpreter; a runtime no image provides is
 * copied from where it lives on the server. */
static void runtime_lines(json_object *app, const struct base_image *b, struct strbuf *o)
{
    int in_image = decide_runtime_image_named(b->name) != NULL;
    const char *root = doc_str(app, "root");
    size_t rl = root ? strlen(root) : 0;
    json_object *rts = doc_get(app, "runtimes");
    for (size_t i = 0; i < doc_len(rts); i++) {
        json_object *rt = doc_at(rts, i);
        const char *kind = doc_str(rt, "kind"), *home = doc_str(rt, "home");
        if (!kind || !home || !strcmp(kind, "script"))
            continue;
        int inside = root && !strncmp(home, root, rl) && (home[rl] == '/' || !home[rl]);
        if (!strcmp(kind, "python") && doc_bool(rt, "virtualenv") == 1 && inside) {
            if (in_image) {
                sb_puts(o, "RUN [\"python3\", \"-m\", \"venv\", \"--upgrade\", ");
                json_word(o, home, strlen(home));
                sb_puts(o, "]\n");
            } else {
                comment(o, "# The virtualenv's interpreter is no part of it: install Python ",
                        doc_str(rt, "version"));
            }
        } else if (!inside && !in_image) {
            comment(o, "# The runtime it runs on, from the server: ", home);
            copy(o, home);
        }
    }
}

int app_dockerfile(json_object *app, struct strbuf *out)
{
    const char *d = doc_str(app, "decision"), *img = doc_str(app, "base_image");
    const struct base_image *b = decide_image_named(img);
    json_object *reasons = doc_get(app, "evidence"), *needs = doc_get(app, "needs");

    if (!d || strcmp(d, "container") || !b)
        return -1;
    sb_puts(out, "# syntax=docker/dockerfile:1\n");
    struct strbuf head;
    sb_init(&head);
    sb_printf(&head, "%s (%s): container on %s", doc_str(app, "name") ? doc_str(app, "name") : "?",
              doc_str(app, "root") ? doc_str(app, "root") : "?", b->name);
    comment(out, "# ", head.s);
    sb_free(&head);
    for (size_t i = 0; i < doc_len(reasons); i++) {
        json_object *r = doc_at(reasons, i), *items = doc_get(r, "items");
        comment(out, "#  - ", doc_str(r, "reason"));
        for (size_t k = 0; k < doc_len(items) && k < 10; k++)
            comment(out, "#      ", doc_str_at(items, k));
    }
    sb_printf(out, "FROM %s\n", b->name);

    struct strbuf pk;
    sb_init(&pk);
    json_object *so = doc_get(needs, "sonames");
    for (size_t i = 0; i < doc_len(so); i++) {
        const char *s = doc_str_at(so, i);
        if (!s || in_base(s))
            continue;
        const char *p = package_of(s, b);
        if (!p) {
            comment(out, "# No package known for this library; copy it from the server: ", s);
            continue;
        }
        if (!strstr(pk.len ? pk.s : "", p))
            sb_printf(&pk, " %s", p);
    }
    if (pk.len) {
        eol_sources(b, out);
        if (!strcmp(b->family, "el") || !strcmp(b->family, "amzn"))
            sb_printf(out, "RUN yum install -y%s && yum clean all\n", pk.s);
        else
            sb_printf(out, "RUN apt-get update && apt-get install -y --no-install-recommends%s "
                           "&& rm -rf /var/lib/apt/lists/*\n", pk.s);
    }
    sb_free(&pk);
    const char *root = doc_str(app, "root");
    if (root && strcmp(root, "/usr/local"))
        copy(out, root);
    else {
        json_object *files = doc_get(app, "files");
        for (size_t i = 0; i < doc_len(files); i++)
            copy(out, doc_str_at(files, i));
    }
    json_object *libs = doc_get(app, "libraries_outside");
    for (size_t i = 0; i < doc_len(libs); i++)
        copy(out, doc_str_at(libs, i));
    runtime_lines(app, b, out);
    sb_puts(out, "RUN ldconfig\n");
    entrypoint(app, out);
    return 0;
}
