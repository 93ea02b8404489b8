/* The decision tree of doc/facts.md, 'The decision', applied per
 * application and per server from the facts alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/decide.h"
#include "model/jdoc.h"
#include "model/report.h"
#include "util/version.h"

/* doc/facts.md, 'Base images', sorted by the highest GLIBC_ node each
 * image has (x86-64 glibc 2.19 tops out at GLIBC_2.18). */
static const struct base_image images[] = {
    {"centos:6", "2.12", "3.4.13", "1.3.3", "10", "el", 1},
    {"centos:7", "2.17", "3.4.19", "1.3.7", "10", "el", 1},
    {"ubuntu:14.04", "2.18", "3.4.19", "1.3.7", "1.0.0", "ubuntu", 1},
    {"debian:8", "2.18", "3.4.20", "1.3.8", "1.0.0", "debian", 1},
    {"ubuntu:16.04", "2.23", "3.4.21", "1.3.9", "1.0.0", "ubuntu", 1},
    {"debian:9", "2.24", "3.4.22", "1.3.10", "1.1", "debian", 1},
    {"amazonlinux:2", "2.26", "3.4.24", "1.3.11", "10", "amzn", 0},
    {"ubuntu:18.04", "2.27", "3.4.25", "1.3.11", "1.1", "ubuntu", 0},
    {"rockylinux:8", "2.28", "3.4.25", "1.3.11", "1.1", "el", 0},
    {"debian:10", "2.28", "3.4.25", "1.3.11", "1.1", "debian", 0},
    {"ubuntu:20.04", "2.31", "3.4.28", "1.3.12", "1.1", "ubuntu", 0},
    {"debian:11", "2.31", "3.4.28", "1.3.12", "1.1", "debian", 0},
    {"rockylinux:9", "2.34", "3.4.29", "1.3.13", "3", "el", 0},
    {"amazonlinux:2023", "2.34", "3.4.29", "1.3.13", "3", "amzn", 0},
    {"ubuntu:22.04", "2.35", "3.4.30", "1.3.13", "3", "ubuntu", 0},
    {"debian:12", "2.36", "3.4.30", "1.3.13", "3", "debian", 0},
    {"ubuntu:24.04", "2.39", "3.4.33", "1.3.15", "3", "ubuntu", 0},
};
#define NIMAGES (sizeof images / sizeof *images)

const struct base_image *decide_images(size_t *n)
{
    *n = NIMAGES;
    return images;
}

const struct base_image *decide_image_named(const char *name)
{
    for (size_t i = 0; name && i < NIMAGES; i++)
        if (!strcmp(images[i].name, name))
            return &images[i];
    return decide_runtime_image_named(name);
}

/* The libssl/libcrypto soname suffix, or NULL for other libraries. */
static const char *ssl_suffix(const char *so)
{
    if (!strncmp(so, "libssl.so.", 10))
        return so + 10;
    if (!strncmp(so, "libcrypto.so.", 13))
        return so + 13;
    return NULL;
}

int decide_fits(const struct base_image *b, const struct app_needs *n)
{
    const char *ssl = NULL;
    for (size_t i = 0; i < n->nsonames; i++)
        if (n->sonames[i] && (ssl = ssl_suffix(n->sonames[i])))
            break;
    return !(n->glibc && version_cmp(n->glibc, b->glibc) > 0) &&
           !(n->glibcxx && version_cmp(n->glibcxx, b->glibcxx) > 0) &&
           !(n->cxxabi && version_cmp(n->cxxabi, b->cxxabi) > 0) && !(ssl && strcmp(ssl, b->ssl));
}

const struct base_image *decide_base_image(const struct app_needs *n, char *why, size_t cap)
{
    const char *ssl = NULL;
    for (size_t i = 0; i < n->nsonames; i++)
        if (n->sonames[i] && (ssl = ssl_suffix(n->sonames[i])))
            break;
    for (size_t i = 0; i < NIMAGES; i++)
        if (decide_fits(&images[i], n))
            return &images[i];
    if (ssl)
        snprintf(why, cap, "no base image ships OpenSSL with soname suffix %s", ssl);
    else
        snprintf(why, cap, "no base image has GLIBC_%s / GLIBCXX_%s / CXXABI_%s",
                 n->glibc ? n->glibc : "-", n->glibcxx ? n->glibcxx : "-",
                 n->cxxabi ? n->cxxabi : "-");
    return NULL;
}

/* ---- reading facts ---- */

struct out {
    json_object *reasons, *evidence;
    int failed;     /* a write was refused: reasons or items are missing */
};

static void item(struct out *o, json_object *items, const char *text)
{
    if (doc_push(items, jstr(text)) < 0)
        o->failed = 1;
}

/* Adds a reason and its evidence items (taken; NULL when they could not be
 * made). */
static void reason(struct out *o, const char *text, json_object *items)
{
    json_object *e = jobject();
    if (doc_push(o->reasons, jstr(text)) < 0 || doc_put(e, "reason", jstr(text)) < 0 ||
        doc_put(e, "items", json_object_get(items)) < 0 ||
        doc_push(o->evidence, json_object_get(e)) < 0)
        o->failed = 1;
    json_object_put(items);
    json_object_put(e);
}

/* Evidence items from an array of strings, or of objects (key fields joined). */
static json_object *items_of(struct out *o, json_object *arr, const char *k1, const char *k2,
                             size_t cap)
{
    json_object *items = jarray();
    char buf[1024];
    for (size_t i = 0; i < doc_len(arr) && i < cap; i++) {
        json_object *x = doc_at(arr, i);
        if (json_object_is_type(x, json_type_string)) {
            item(o, items, json_object_get_string(x));
            continue;
        }
        const char *a = doc_str(x, k1), *b = k2 ? doc_str(x, k2) : NULL;
        snprintf(buf, sizeof buf, "%s%s%s", a ? a : "?", b ? ": " : "", b ? b : "");
        item(o, items, buf);
    }
    return items;
}

/* Kernel-forcing evidence; returns how many reasons it added. */
static int kernel_reasons(json_object *app, struct out *o)
{
    int n = 0;
    char buf[512];
    json_object *mods = doc_get(app, "kernel_modules"), *loaders = doc_get(app, "module_loaders");
    json_object *flagged = doc_get(doc_get(app, "syscalls"), "flagged");
    json_object *kp = doc_get(app, "kernel_paths"), *aout = doc_get(doc_get(app, "compat"), "aout");

    if (doc_len(mods)) {
        snprintf(buf, sizeof buf, "ships %zu third-party kernel module(s)", doc_len(mods));
        reason(o, buf, items_of(o, mods, NULL, NULL, 20));
        n++;
    }
    if (doc_len(loaders)) {
        reason(o, "loads kernel modules from its scripts or units",
               items_of(o, loaders, "path", "text", 20));
        n++;
    }
    if (doc_len(flagged)) {
        json_object *items = jarray();
        int removed = 0, module = 0, other = 0;
        for (size_t i = 0; i < doc_len(flagged); i++) {
            json_object *f = doc_at(flagged, i);
            const char *kind = doc_str(f, "kind"), *addr = doc_str_at(doc_get(f, "addresses"), 0);
            size_t naddr = doc_len(doc_get(f, "addresses"));
            int64_t nr = 0;
            doc_int(f, "nr", &nr);
            removed += kind && !strcmp(kind, "removed");
            module += kind && !strcmp(kind, "module");
            other += kind && strcmp(kind, "removed") && strcmp(kind, "module");
            snprintf(buf, sizeof buf, "%s: %s (%s %d) at %s%s", doc_str(f, "path") ? doc_str(f, "path") : "?",
                     doc_str(f, "name") ? doc_str(f, "name") : "?", doc_str(f, "abi") ? doc_str(f, "abi") : "?",
                     (int)nr, addr ? addr : "?", naddr > 1 ? " ..." : "");
            if (i < 40)
                item(o, items, buf);
        }
        snprintf(buf, sizeof buf, "makes %s%s%s%s%s syscalls",
                 removed ? "removed" : "", removed && (module || other) ? ", " : "",
                 module ? "module-loading" : "", module && other ? ", " : "",
                 other ? "hardware or kexec" : "");
        reason(o, buf, items);
        n++;
    }
    json_object *imports = doc_get(doc_get(app, "syscalls"), "imports");
    if (doc_len(imports)) {
        json_object *items = jarray();
        for (size_t i = 0; i < doc_len(imports) && i < 40; i++) {
            json_object *f = doc_at(imports, i);
            snprintf(buf, sizeof buf, "%s: imports %s() (%s: %s)",
                     doc_str(f, "path") ? doc_str(f, "path") : "?",
                     doc_str(f, "import") ? doc_str(f, "import") : "?",
                     doc_str(f, "name") ? doc_str(f, "name") : "?",
                     doc_str(f, "why") ? doc_str(f, "why") : "?");
            item(o, items, buf);
        }
        reason(o, "calls kernel-dependent syscalls through libc", items);
        n++;
    }
    for (size_t i = 0; i < doc_len(kp); i++) {
        const char *s = doc_str(doc_at(kp, i), "string");
        if (s && (!strcmp(s, "/proc/ksyms") || !strncmp(s, "/lib/modules/", 13))) {
            reason(o, "hard-codes a kernel-version-specific path", items_of(o, kp, "path", "string", 20));
            n++;
            break;
        }
    }
    if (doc_len(aout)) {
        reason(o, "has a.out programs: kernels since 6.1 cannot run them",
               items_of(o, aout, NULL, NULL, 20));
        n++;
    }
    return n;
}

/* The image matching the guest's own distribution, for apps with no
 * native-code constraints. */
static const struct base_image *guest_image(json_object *os)
{
    const char *d = doc_str(os, "distro");
    int64_t major = 0, minor = 0;
    doc_int(os, "major", &major);
    doc_int(os, "minor", &minor);
    char name[64];
    if (!d)
        return decide_image_named("amazonlinux:2023");
    if (!strcmp(d, "debian"))
        snprintf(name, sizeof name, "debian:%d", (int)major);
    else if (!strcmp(d, "ubuntu"))
        snprintf(name, sizeof name, "ubuntu:%d.%02d", (int)major, (int)minor);
    else if (!strcmp(d, "centos") || !strcmp(d, "rhel") || !strcmp(d, "rocky") || !strcmp(d, "almalinux"))
        snprintf(name, sizeof name, major <= 7 ? "centos:%d" : "rockylinux:%d", (int)major);
    else if (!strcmp(d, "amazonlinux") || !strcmp(d, "amzn"))
        snprintf(name, sizeof name, "amazonlinux:%d", (int)major);
    else
        snprintf(name, sizeof name, "amazonlinux:2023");
    const struct base_image *b = decide_image_named(name);
    return b ? b : decide_image_named("amazonlinux:2023");
}

static void container_caveats(json_object *app, const struct base_image *b, struct out *o)
{
    json_object *compat = doc_get(app, "compat"), *kp = doc_get(app, "kernel_paths");
    const char *gg = doc_str(compat, "guest_glibc");

    if (!strcmp(b->name, "centos:6") || doc_len(doc_get(compat, "vsyscall"))) {
        json_object *items = items_of(o, doc_get(compat, "vsyscall"), "path", "address", 20);
        if (!strcmp(b->name, "centos:6"))
            item(o, items, "base image centos:6 has glibc 2.12");
        if (gg && version_cmp(gg, "2.13") <= 0) {
            char buf[128];
            snprintf(buf, sizeof buf, "guest glibc %s", gg);
            item(o, items, buf);
        }
        reason(o, "vsyscall: glibc <= 2.13 calls the fixed vsyscall page; hosts booted with "
                  "vsyscall=none kill it (exit 139): boot the host with vsyscall=emulate",
               items);
    }
    if (doc_len(doc_get(compat, "i386")))
        reason(o, "32-bit programs: the host kernel needs IA32 emulation",
               items_of(o, doc_get(compat, "i386"), NULL, NULL, 20));
    if (doc_len(doc_get(compat, "x32")))
        reason(o, "x32 programs: the host kernel needs CONFIG_X86_X32_ABI",
               items_of(o, doc_get(compat, "x32"), NULL, NULL, 20));
    if (doc_len(kp))
        reason(o, "uses kernel device or proc paths: needs a privileged container",
               items_of(o, kp, "path", "string", 20));
    if (b->eol) {
        char buf[128];
        snprintf(buf, sizeof buf, "%s is end-of-life: its repositories live on a vault", b->name);
        reason(o, buf, jarray());
    }
}

int decide_app(json_object *app, json_object *os)
{
    struct out o = {NULL, NULL, 0};
    const char *decision, *base = NULL;
    json_object *needs = doc_get(app, "needs"), *sources = doc_get(app, "sources");
    char why[256], buf[512];

    if (!json_object_is_type(app, json_type_object))
        return 0;
    o.reasons = jarray();
    o.evidence = jarray();
    if (kernel_reasons(app, &o)) {
        decision = "bare-metal-kvm";
        if (doc_len(sources))
            reason(&o, "source is present: porting away from the kernel dependency is the "
                       "long-term fix", items_of(&o, sources, NULL, NULL, 10));
        goto done;
    }
    json_object *so = doc_get(needs, "sonames");
    const char *sov[64];
    size_t nso = 0;
    for (size_t i = 0; i < doc_len(so) && nso < 64; i++)
        if (doc_str_at(so, i))
            sov[nso++] = doc_str_at(so, i);
    struct app_needs n = {doc_str(needs, "glibc_max"), doc_str(needs, "glibcxx_max"),
                          doc_str(needs, "cxxabi_max"), sov, nso};
    char rwhy[512];
    const char *floor = NULL;
    const struct base_image *b = decide_runtime_image(app, &n, rwhy, sizeof rwhy, &floor);
    if (b) {
        snprintf(buf, sizeof buf, "%s", rwhy);
        rwhy[0] = 0;
    } else if (floor && (!n.glibc || version_cmp(floor, n.glibc) > 0)) {
        n.glibc = floor;    /* the runtime is copied onto a base it runs on */
    }
    if (!b && !n.glibc && !n.glibcxx && !n.cxxabi && !nso) {
        b = guest_image(os);
        snprintf(buf, sizeof buf, "no native library constraints: %s matches the server's "
                 "distribution", b->name);
    } else if (!b) {
        b = decide_base_image(&n, why, sizeof why);
        if (b)
            snprintf(buf, sizeof buf, "userspace only: %s is the oldest image with GLIBC_%s, "
                     "GLIBCXX_%s, CXXABI_%s", b->name, n.glibc ? n.glibc : "-",
                     n.glibcxx ? n.glibcxx : "-", n.cxxabi ? n.cxxabi : "-");
    }
    if (b) {
        decision = "container";
        base = b->name;
        reason(&o, buf, items_of(&o, doc_get(needs, "evidence"), NULL, NULL, 20));
        if (rwhy[0])
            reason(&o, rwhy, jarray());
        container_caveats(app, b, &o);
        goto done;
    }
    reason(&o, why, items_of(&o, doc_get(needs, "evidence"), NULL, NULL, 20));
    if (doc_len(sources)) {
        decision = "port";
        reason(&o, "source is present: rebuild it on a current distribution",
               items_of(&o, sources, NULL, NULL, 20));
    } else {
        decision = "uml";
        reason(&o, "no container image fits and no source: consider User-mode Linux",
               jarray());
    }
done:
    /* every put runs: each takes its value */
    o.failed |= doc_put(app, "decision", jstr(decision)) < 0;
    o.failed |= doc_put(app, "base_image", jstr_or_null(base)) < 0;
    o.failed |= doc_put(app, "reasons", o.reasons) < 0;
    o.failed |= doc_put(app, "evidence", o.evidence) < 0;
    return o.failed ? -1 : 0;
}

static int rank(const char *d)
{
    static const char *const order[] = {"container", "port", "uml", "bare-metal-kvm", NULL};
    for (int i = 0; d && order[i]; i++)
        if (!strcmp(order[i], d))
            return i;
    return -1;
}

int decide_compute(json_object *doc)
{
    json_object *apps = doc_get(doc, "applications"), *os = doc_get(doc, "os");
    size_t count[4] = {0};
    int worst = -1;
    const char *worst_app = NULL;
    char summary[1024];
    int rc = 0;

    for (size_t i = 0; i < doc_len(apps); i++) {
        json_object *a = doc_at(apps, i);
        if (decide_app(a, os) < 0)
            rc = -1;
        int r = rank(doc_str(a, "decision"));
        if (r < 0)
            continue;
        count[r]++;
        if (r > worst) {
            worst = r;
            worst_app = doc_str(a, "name");
        }
    }
    json_object *sd = jobject();
    const char *decision = "none";
    if (worst < 0) {
        snprintf(summary, sizeof summary, "No third-party applications found.");
    } else {
        static const char *const names[] = {"container", "port", "uml", "bare-metal-kvm"};
        int len = snprintf(summary, sizeof summary, "%zu application(s):", doc_len(apps));
        for (int r = 0; r < 4 && len > 0 && (size_t)len < sizeof summary; r++)
            if (count[r])
                len += snprintf(summary + len, sizeof summary - (size_t)len, " %zu %s;",
                                count[r], names[r]);
        if (len > 0 && (size_t)len < sizeof summary)
            snprintf(summary + len, sizeof summary - (size_t)len, " the server needs %s (%s).",
                     names[worst], worst_app ? worst_app : "?");
        decision = names[worst];
    }
    if (doc_put(sd, "decision", jstr(decision)) < 0 || doc_put(sd, "summary", jstr(summary)) < 0)
        rc = -1;
    if (doc_put(doc, "server_decision", sd) < 0)
        rc = -1;
    return rc;
}
