/* Typed, forgiving reads of the report document: a missing, null or
 * mistyped member reads as absent, so a partial, old or hand-edited report
 * is still usable.  Shared by the verdict, the scanners that read earlier
 * facts, and the renderers. */
#ifndef LIFTCHECK_JDOC_H
#define LIFTCHECK_JDOC_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

/* A member of any type (NULL when absent or JSON null). */
json_object *doc_get(json_object *o, const char *key);
json_object *doc_obj(json_object *o, const char *key);
json_object *doc_arr(json_object *o, const char *key);
size_t doc_len(json_object *arr);
json_object *doc_at(json_object *arr, size_t i);
/* A string member, or NULL. */
const char *doc_str(json_object *o, const char *key);
/* 1 and *v set when the member is an integer. */
int doc_int(json_object *o, const char *key, int64_t *v);
/* 1 true, 0 false, -1 absent or null. */
int doc_bool(json_object *o, const char *key);

#endif
