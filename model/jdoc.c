#include "jdoc.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"
#include "util/xalloc.h"

static json_object *member(json_object *o, const char *key, json_type t)
{
    json_object *v = NULL;

    if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v))
        return NULL;
    return json_object_is_type(v, t) ? v : NULL;
}

json_object *doc_get(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (o && json_object_is_type(o, json_type_object))
        json_object_object_get_ex(o, key, &v);
    return v;
}

int doc_has(json_object *o, const char *key)
{
    return json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, key, NULL);
}

json_object *doc_obj(json_object *o, const char *key) { return member(o, key, json_type_object); }
json_object *doc_arr(json_object *o, const char *key) { return member(o, key, json_type_array); }

size_t doc_len(json_object *arr)
{
    return arr && json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;
}

json_object *doc_at(json_object *arr, size_t i)
{
    return i < doc_len(arr) ? json_object_array_get_idx(arr, i) : NULL;
}

const char *doc_str(json_object *o, const char *key)
{
    json_object *v = member(o, key, json_type_string);
    return v ? json_object_get_string(v) : NULL;
}

const char *doc_str_at(json_object *arr, size_t i)
{
    json_object *v = doc_at(arr, i);
    return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

int doc_int(json_object *o, const char *key, int64_t *v)
{
    json_object *i = member(o, key, json_type_int);
    if (!i)
        return 0;
    *v = json_object_get_int64(i);
    return 1;
}

int doc_bool(json_object *o, const char *key)
{
    json_object *b = member(o, key, json_type_boolean);
    return b ? json_object_get_boolean(b) != 0 : -1;
}


json_object *jobject(void) { return oom_check(json_object_new_object()); }
json_object *jarray(void) { return oom_check(json_object_new_array()); }
json_object *jint(int64_t v) { return oom_check(json_object_new_int64(v)); }
json_object *jbool(int v) { return oom_check(json_object_new_boolean(v != 0)); }
json_object *jdouble(double v) { return oom_check(json_object_new_double(v)); }

json_object *jstrn(const char *s, size_t n)
{
    if (!s)
        s = "", n = 0;
    if (n > INT_MAX)
        oom_die();
    if (utf8_valid(s, n))
        return oom_check(json_object_new_string_len(s, (int)n));
    char *clean = oom_check(utf8_sanitize(s, n));
    json_object *o = oom_check(json_object_new_string(clean));
    free(clean);
    return o;
}

json_object *jstr(const char *s) { return jstrn(s, s ? strlen(s) : 0); }
json_object *jstr_or_null(const char *s) { return s ? jstr(s) : NULL; }

int doc_put(json_object *o, const char *key, json_object *v)
{
    if (!json_object_is_type(o, json_type_object)) {
        json_object_put(v);
        return -1;
    }
    /* json-c fails here only when it cannot allocate the key or the slot. */
    if (json_object_object_add(o, key, v) < 0)
        oom_die();
    return 0;
}

int doc_push(json_object *arr, json_object *v)
{
    if (!json_object_is_type(arr, json_type_array)) {
        json_object_put(v);
        return -1;
    }
    if (json_object_array_add(arr, v) < 0)
        oom_die();
    return 0;
}
