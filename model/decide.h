/* The decision per application and per server (doc/facts.md, 'The
 * decision'), a pure function of the facts in the report, so a saved report
 * can be re-decided. */
#ifndef LIFTCHECK_DECIDE_H
#define LIFTCHECK_DECIDE_H

#include <stddef.h>
#include <json-c/json.h>

/* One container base image and what its userspace provides. */
struct base_image {
    const char *name;       /* "centos:7" */
    const char *glibc;      /* highest GLIBC_ version node */
    const char *glibcxx;    /* highest GLIBCXX_ node */
    const char *cxxabi;     /* highest CXXABI_ node */
    const char *ssl;        /* libssl/libcrypto soname suffix: "10", "1.1", "3" */
    const char *family;     /* "el", "amzn", "debian", "ubuntu" */
    int eol;                /* repositories live on a vault only */
};

/* The table, oldest (lowest glibc) first. */
const struct base_image *decide_images(size_t *n);
const struct base_image *decide_image_named(const char *name);

/* What the userspace of an application needs. */
struct app_needs {
    const char *glibc, *glibcxx, *cxxabi;   /* maxima, NULL when none */
    const char *const *sonames;             /* NEEDED from outside the app */
    size_t nsonames;
};

/* The oldest image satisfying needs, or NULL with the reason in why. */
const struct base_image *decide_base_image(const struct app_needs *n, char *why, size_t cap);

/* 1 when image b provides what needs asks. */
int decide_fits(const struct base_image *b, const struct app_needs *n);

/* The image an application's interpreted runtime comes in (eclipse-temurin,
 * python:X.Y-slim, node:N-slim) when it also fits the native needs, with the
 * reason in why; else NULL, with *floor the lowest glibc a copy of the
 * runtime needs (NULL when none) and why saying so ("" without runtimes). */
const struct base_image *decide_runtime_image(json_object *app, const struct app_needs *n,
                                              char *why, size_t cap, const char **floor);

/* A runtime's image by name (decide_image_named looks here too), or NULL. */
const struct base_image *decide_runtime_image_named(const char *name);

/* Sets decision, base_image, reasons[] and evidence[] of one application
 * object from its facts; os is the report's "os" section or NULL.  An app
 * that is not an object is left alone.  Returns 0, or -1 when a member it
 * writes into is not an object or array (the decision may lack reasons). */
int decide_app(json_object *app, json_object *os);

/* Re-decides every doc["applications"] entry and sets doc["server_decision"];
 * 0, or -1 when an application could not be written (decide_app). */
int decide_compute(json_object *doc);

#endif
