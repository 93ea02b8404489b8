/* Typed, forgiving reads of the report document: a missing, null or
 * mistyped member reads as absent, so a partial, old or hand-edited report
 * is still usable and never crashes a reader (json-c aborts on an array
 * call made on anything but an array).  Shared by the verdict, the
 * scanners that read earlier facts, and the renderers.  The writes below
 * are the one way the document is built: every json-c result checked. */
#ifndef LIFTCHECK_JDOC_H
#define LIFTCHECK_JDOC_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

/* A member of any type (NULL when absent or JSON null). */
json_object *doc_get(json_object *o, const char *key);
/* 1 when the member is there, even as JSON null. */
int doc_has(json_object *o, const char *key);
json_object *doc_obj(json_object *o, const char *key);
json_object *doc_arr(json_object *o, const char *key);
size_t doc_len(json_object *arr);
json_object *doc_at(json_object *arr, size_t i);
/* A string member, or NULL. */
const char *doc_str(json_object *o, const char *key);
/* The string item i of an array, or NULL. */
const char *doc_str_at(json_object *arr, size_t i);
/* 1 and *v set when the member is an integer. */
int doc_int(json_object *o, const char *key, int64_t *v);
/* 1 true, 0 false, -1 absent or null. */
int doc_bool(json_object *o, const char *key);

/* Building: every json-c constructor and insertion goes through these, so
 * every result is checked.  A node is a small allocation: out of memory
 * ends the run (util/xalloc.h), so none of them returns NULL. */
json_object *jobject(void);
json_object *jarray(void);
json_object *jint(int64_t v);
json_object *jbool(int v);
json_object *jdouble(double v);
/* A string node; NULL reads as "", bytes that are not UTF-8 are replaced. */
json_object *jstr(const char *s);
json_object *jstrn(const char *s, size_t n);
/* jstr(s), or NULL (JSON null once put) when s is NULL. */
json_object *jstr_or_null(const char *s);

static inline void cleanup_json(json_object **o) { json_object_put(*o); }
/* A JSON node released when its variable goes out of scope (util/cleanup.h). */
#define _cleanup_json_ __attribute__((cleanup(cleanup_json)))

/* o[key] = v and arr += v, taking v; a NULL v is JSON null.  -1 (v
 * released) when o is not an object (arr not an array): a document read
 * from a file may hold anything.  Out of memory ends the run. */
int doc_put(json_object *o, const char *key, json_object *v);
int doc_push(json_object *arr, json_object *v);

#endif
