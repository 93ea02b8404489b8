/* Typed, forgiving reads of the report document: a missing, null or
 * mistyped member reads as absent, so a partial, old or hand-edited report
 * is still usable and never crashes a reader (json-c aborts on an array
 * call made on anything but an array).  Shared by the verdict, the
 * scanners that read earlier facts, and the renderers. */
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

/* Writes that check what json-c returns: each takes v, and returns -1
 * (v released) when v is NULL, meaning its constructor ran out of memory,
 * when o is not an object (arr not an array), or when json-c fails. */
int doc_put(json_object *o, const char *key, json_object *v);
int doc_push(json_object *arr, json_object *v);

#endif
