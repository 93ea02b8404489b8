/* Parsers of the files that name an interpreted runtime's version: a JDK's
 * `release`, a virtualenv's pyvenv.cfg, node_version.h, the version string
 * in a node binary, a script's shebang and interpreter file names.  They read
 * guest bytes: every one is bounded by len and writes at most cap bytes. */
#ifndef LIFTCHECK_APPS_RT_PARSE_H
#define LIFTCHECK_APPS_RT_PARSE_H

#include <stddef.h>

/* JAVA_VERSION="1.8.0_392" -> "1.8.0_392".  1 when found. */
int rt_java_release(const char *text, size_t len, char *ver, size_t cap);
/* The Java feature release: "1.8.0_392" -> 8, "17.0.9" -> 17; 0 when unknown. */
int rt_java_major(const char *ver);
/* pyvenv.cfg: `version` (or `version_info`) and `home`.  1 when a version is found. */
int rt_pyvenv(const char *text, size_t len, char *ver, size_t vcap, char *home, size_t hcap);
/* NODE_MAJOR/MINOR/PATCH_VERSION defines -> "18.19.0".  1 when all three are found. */
int rt_node_version_h(const char *text, size_t len, char *ver, size_t cap);
/* "node-v18.19.0" or "/release/v18.19.0" in a node binary's bytes -> "18.19.0". */
int rt_node_in_binary(const unsigned char *buf, size_t len, char *ver, size_t cap);
/* The interpreter a "#!" line runs, its base name ("perl", "python2"); env
 * is looked through.  1 when the text starts with a shebang naming one. */
int rt_shebang(const char *text, size_t len, char *interp, size_t cap);
/* python3.11, libpython3.11.so.1.0, libpython2.7.so -> "3.11" / "2.7". */
int rt_python_name(const char *base, char *ver, size_t cap);
/* The leading "X.Y" of a version ("3.11.2" -> "3.11"). */
void rt_major_minor(const char *ver, char *out, size_t cap);
/* The release an image is named by: Java "1.8.0_392" -> "8", Python
 * "3.11.2" -> "3.11", Node "18.19.0" -> "18"; "" when unknown. */
void rt_release_of(const char *kind, const char *ver, char *out, size_t cap);

#endif
