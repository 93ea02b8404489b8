/* Interpreted runtimes in the decision (doc/facts.md, 'Interpreted runtimes'): an application
 * running on Java, Python or Node.js gets the maintained image of that
 * runtime's release when the image also covers its native parts' GLIBC,
 * GLIBCXX and CXXABI needs; otherwise the runtime is copied onto an older
 * base, no older than that runtime's own glibc floor unless the runtime ships in
 * the application's tree (then its measured needs decide). */
#include <stdio.h>
#include <string.h>

#include "model/decide.h"
#include "model/jdoc.h"
#include "util/version.h"

/* Temurin images are Ubuntu 24.04; python and node slim images Debian 12,
 * python:3.6-slim Debian 11 (its last build); unverified, see
 * doc/facts.md, 'Interpreted runtimes'. */
#define NOBLE "2.39", "3.4.33", "1.3.15", "3", "ubuntu", 0
#define BOOKWORM "2.36", "3.4.30", "1.3.13", "3", "debian", 0
#define BULLSEYE "2.31", "3.4.28", "1.3.12", "1.1", "debian", 0

struct runtime_image {
    const char *kind, *release;
    struct base_image img;
};

static const struct runtime_image runtime_images[] = {
    {"java", "8", {"eclipse-temurin:8", NOBLE}},
    {"java", "11", {"eclipse-temurin:11", NOBLE}},
    {"java", "17", {"eclipse-temurin:17", NOBLE}},
    {"java", "21", {"eclipse-temurin:21", NOBLE}},
    {"python", "3.6", {"python:3.6-slim", BULLSEYE}},
    {"python", "3.7", {"python:3.7-slim", BOOKWORM}},
    {"python", "3.8", {"python:3.8-slim", BOOKWORM}},
    {"python", "3.9", {"python:3.9-slim", BOOKWORM}},
    {"python", "3.10", {"python:3.10-slim", BOOKWORM}},
    {"python", "3.11", {"python:3.11-slim", BOOKWORM}},
    {"python", "3.12", {"python:3.12-slim", BOOKWORM}},
    {"python", "3.13", {"python:3.13-slim", BOOKWORM}},
    {"node", "18", {"node:18-slim", BOOKWORM}},
    {"node", "20", {"node:20-slim", BOOKWORM}},
    {"node", "22", {"node:22-slim", BOOKWORM}},
};
#define NRUNTIME (sizeof runtime_images / sizeof *runtime_images)

const struct base_image *decide_runtime_image_named(const char *name)
{
    for (size_t i = 0; name && i < NRUNTIME; i++)
        if (!strcmp(runtime_images[i].img.name, name))
            return &runtime_images[i].img;
    return NULL;
}

static const char *const kind_names[][2] = {{"java", "Java"}, {"python", "Python"}, {"node", "Node.js"}};

static const char *kind_name(const char *kind)
{
    for (size_t i = 0; i < sizeof kind_names / sizeof *kind_names; i++)
        if (!strcmp(kind_names[i][0], kind))
            return kind_names[i][1];
    return kind;
}

/* The lowest glibc a copy of this runtime runs on: official Node.js builds
 * need 2.17, 2.28 from Node 18; Python 2 and early Python 3 come from
 * CentOS 7's generation. */
static const char *glibc_floor(const char *kind, const char *release)
{
    if (!strcmp(kind, "node"))
        return version_cmp(release, "18") >= 0 ? "2.28" : "2.17";
    if (!strcmp(kind, "python"))
        return "2.17";
    return NULL;
}

/* The runtime ships inside the application's own tree: its binaries are in
 * the application's files, so their measured GLIBC needs already bound the
 * base and no generic floor applies (Node.js 0.10's own build needs only
 * GLIBC_2.3.3, older than any floor for its line). */
static int bundled(json_object *app, json_object *rt)
{
    const char *home = doc_str(rt, "home"), *root = doc_str(app, "root");
    size_t n = root ? strlen(root) : 0;
    return home && n && !strncmp(home, root, n) && (home[n] == '/' || home[n] == 0 ||
                                                    (n == 1 && root[0] == '/'));
}

/* Python 2 named only by scripts' shebangs ("python2", "python2.7"). */
static int python2_scripts(json_object *rt)
{
    const char *in = doc_str(rt, "interpreter");
    return in && !strcmp(doc_str(rt, "kind") ? doc_str(rt, "kind") : "", "script") &&
           !strncmp(in, "python2", 7);
}

const struct base_image *decide_runtime_image(json_object *app, const struct app_needs *n,
                                              char *why, size_t cap, const char **floor)
{
    json_object *rts = doc_get(app, "runtimes");
    *floor = NULL;
    why[0] = 0;
    for (size_t i = 0; i < doc_len(rts); i++) {
        json_object *rt = doc_at(rts, i);
        const char *kind = doc_str(rt, "kind"), *rel = doc_str(rt, "release");
        const char *ver = doc_str(rt, "version");
        if (python2_scripts(rt)) {
            *floor = "2.17";
            snprintf(why, cap, "its scripts run on %s, which no maintained image ships: install "
                     "it on a base of its generation", doc_str(rt, "interpreter"));
            continue;
        }
        if (kind && !strcmp(kind, "java") && !ver && doc_get(rt, "archives") && !why[0])
            snprintf(why, cap, "runs Java archives on a runtime not found on the server: the "
                     "image needs one installed");
        if (!kind || !rel || !ver)
            continue;
        for (size_t k = 0; k < NRUNTIME; k++) {
            const struct runtime_image *ri = &runtime_images[k];
            if (strcmp(ri->kind, kind) || strcmp(ri->release, rel))
                continue;
            if (decide_fits(&ri->img, n)) {
                snprintf(why, cap, "runs on %s %s: %s provides it and covers GLIBC_%s, "
                         "GLIBCXX_%s, CXXABI_%s", kind_name(kind), ver, ri->img.name,
                         n->glibc ? n->glibc : "-", n->glibcxx ? n->glibcxx : "-",
                         n->cxxabi ? n->cxxabi : "-");
                return &ri->img;
            }
            snprintf(why, cap, "runs on %s %s: %s does not cover its native parts; copy the "
                     "runtime onto the base", kind_name(kind), ver, ri->img.name);
            *floor = bundled(app, rt) ? NULL : glibc_floor(kind, rel);
            return NULL;
        }
        snprintf(why, cap, "runs on %s %s, which no maintained image ships: copy the runtime "
                 "onto the base", kind_name(kind), ver);
        *floor = bundled(app, rt) ? NULL : glibc_floor(kind, rel);
        return NULL;
    }
    return NULL;
}
