/* Read-only access to the report document for the renderers.  A missing,
 * null or mistyped member reads as absent, so a partial, old or
 * hand-edited report still renders. */
#ifndef LIFTCHECK_DOC_H
#define LIFTCHECK_DOC_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

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

/* "FIXABLE" for "fixable"; "UNKNOWN" when absent or not one we know. */
const char *doc_verdict_label(json_object *doc);

/* Severity rank of a finding: 2 blocker, 1 warning, 0 info (and unknown). */
int doc_severity(json_object *finding);

/* The area a finding id belongs to: core, nitro, network, elf, applications. */
const char *doc_area(const char *id);

/* "Debian GNU/Linux 12 (bookworm) x86_64" from os, unescaped; empty
 * when there is no OS. */
void doc_os_line(json_object *doc, struct strbuf *out);

/* Bytes as "1.5 GiB". */
void doc_size(struct strbuf *out, int64_t bytes);

/* "a; b; c" from an array of strings, or the string itself. */
void doc_join(struct strbuf *out, json_object *arr_or_str, const char *sep);

#endif
