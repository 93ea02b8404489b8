#include "elf_files.h"

#include <errno.h>
#include <json-c/printbuf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jdoc.h"
#include "util/grow.h"
#include "util/strbuf.h"

/* Entries as plain JSON lines, with their paths and volumes beside them
 * for lookups and volume views without parsing. */
struct record {
    size_t text, path;          /* offsets in text and paths */
    int volume;
};

struct elf_files {
    int refs;                   /* nodes sharing it */
    struct strbuf text, paths;  /* NUL-terminated records */
    struct record *rec;
    size_t n, cap;
    size_t *by_path;            /* record numbers sorted by path, built on first lookup */
};

#define NODE_MAGIC 0x656c6673u

/* The userdata of a document node: all of a store, or some of its records. */
struct node {
    unsigned magic;
    struct elf_files *s;
    size_t *pick;               /* record numbers shown, NULL for all */
    size_t n;
    int marker;                 /* serialize as MARKER, noting the level */
    int level;
};

/* Stands for the array in a document written in parts: json-c escapes
 * every control character inside strings, so it occurs nowhere else. */
#define MARKER '\x01'
#define FLUSH_AT (64u << 10)    /* bytes of entries buffered while streaming */

struct elf_files *elf_files_new(void)
{
    struct elf_files *s = calloc(1, sizeof *s);
    if (s) {
        s->refs = 1;
        sb_init(&s->text);
        sb_init(&s->paths);
    }
    return s;
}

static void release(struct elf_files *s)
{
    if (!s || --s->refs > 0)
        return;
    sb_free(&s->text);
    sb_free(&s->paths);
    free(s->rec);
    free(s->by_path);
    free(s);
}

int elf_files_add(struct elf_files *s, json_object *entry)
{
    const char *line = json_object_to_json_string_ext(entry, JSON_C_TO_STRING_PLAIN |
                                                      JSON_C_TO_STRING_NOSLASHESCAPE);
    const char *path = doc_str(entry, "path");
    int64_t vol = -1;
    if (!line || grow_array((void **)&s->rec, &s->cap, s->n, sizeof *s->rec, 256) < 0)
        return -1;
    doc_int(entry, "volume", &vol);
    s->rec[s->n] = (struct record){s->text.len, s->paths.len, (int)vol};
    sb_add(&s->text, line, strlen(line) + 1);
    sb_add(&s->paths, path ? path : "", (path ? strlen(path) : 0) + 1);
    s->n++;
    free(s->by_path);       /* stale once a record is added */
    s->by_path = NULL;
    return 0;
}

static json_object *parse_record(const struct elf_files *s, size_t rec)
{
    return json_tokener_parse(s->text.s + s->rec[rec].text);
}

static size_t node_len(const struct node *nd) { return nd->pick ? nd->n : nd->s->n; }
static size_t node_rec(const struct node *nd, size_t i) { return nd->pick ? nd->pick[i] : i; }

static void indent(struct printbuf *pb, int level, int flags)
{
    if (!(flags & JSON_C_TO_STRING_PRETTY))
        return;
    if (flags & JSON_C_TO_STRING_PRETTY_TAB)
        printbuf_memset(pb, -1, '\t', level);
    else
        printbuf_memset(pb, -1, ' ', level * 2);
}

/* Hands pb's contents to put and empties it; 0 or -1. */
static int flush(struct printbuf *pb, int (*put)(const char *, size_t, void *), void *ctx)
{
    int rc = pb->bpos ? put(pb->buf, (size_t)pb->bpos, ctx) : 0;
    printbuf_reset(pb);
    return rc;
}

/* What json-c writes for an array of these entries at this level: each
 * entry is serialized alone and its lines shifted to the array's depth
 * (a newline in pretty output is always layout: strings escape theirs).
 * With put, pb is handed over whenever it fills. */
static int write_items(const struct node *nd, struct printbuf *pb, int level, int flags,
                       int (*put)(const char *, size_t, void *), void *ctx)
{
    int pretty = (flags & JSON_C_TO_STRING_PRETTY) != 0;
    size_t n = node_len(nd);

    printbuf_strappend(pb, "[");
    if (pretty)
        printbuf_strappend(pb, "\n");
    for (size_t i = 0; i < n; i++) {
        if (i) {
            printbuf_strappend(pb, ",");
            if (pretty)
                printbuf_strappend(pb, "\n");
        }
        if ((flags & JSON_C_TO_STRING_SPACED) && !pretty)
            printbuf_strappend(pb, " ");
        indent(pb, level + 1, flags);
        json_object *e = parse_record(nd->s, node_rec(nd, i));
        const char *t = e ? json_object_to_json_string_ext(e, flags) : NULL;
        if (!t) {
            json_object_put(e);
            errno = ENOMEM;
            return -1;
        }
        for (const char *nl; (nl = strchr(t, '\n')); t = nl + 1) {
            printbuf_memappend(pb, t, (int)(nl - t + 1));
            indent(pb, level + 1, flags);
        }
        printbuf_memappend(pb, t, (int)strlen(t));
        json_object_put(e);
        if (put && pb->bpos >= (int)FLUSH_AT && flush(pb, put, ctx) < 0)
            return -1;
    }
    if (pretty) {
        if (n)
            printbuf_strappend(pb, "\n");
        indent(pb, level, flags);
    }
    if ((flags & JSON_C_TO_STRING_SPACED) && !pretty)
        return printbuf_strappend(pb, " ]");
    return printbuf_strappend(pb, "]");
}

static int serialize(json_object *jso, struct printbuf *pb, int level, int flags)
{
    struct node *nd = json_object_get_userdata(jso);
    if (!nd->marker)
        return write_items(nd, pb, level, flags, NULL, NULL);
    nd->level = level;
    return printbuf_memappend(pb, (char[]){MARKER}, 1) < 0 ? -1 : 0;
}

static void node_free(json_object *jso, void *userdata)
{
    (void)jso;
    struct node *nd = userdata;
    release(nd->s);
    free(nd->pick);
    free(nd);
}

/* A stand-in array node showing nd; NULL (nd freed) when out of memory. */
static json_object *make_node(struct node *nd)
{
    json_object *a = json_object_new_array_ext(1);
    if (!a) {
        node_free(NULL, nd);
        return NULL;
    }
    nd->magic = NODE_MAGIC;
    json_object_set_serializer(a, serialize, nd, node_free);
    return a;
}

json_object *elf_files_node(struct elf_files *s)
{
    struct node *nd = calloc(1, sizeof *nd);
    if (!nd) {
        release(s);
        return NULL;
    }
    nd->s = s;
    return make_node(nd);
}

static struct node *node_of(json_object *files)
{
    struct node *nd = json_object_is_type(files, json_type_array)
        ? json_object_get_userdata(files) : NULL;
    return nd && nd->magic == NODE_MAGIC ? nd : NULL;
}

int elf_files_compact(json_object *files) { return node_of(files) != NULL; }

json_object *elf_files_of_volume(json_object *files, int idx)
{
    struct node *from = node_of(files), *nd;
    if (!from || !(nd = calloc(1, sizeof *nd)))
        return NULL;
    nd->s = from->s;
    nd->s->refs++;
    if (!(nd->pick = malloc((node_len(from) ? node_len(from) : 1) * sizeof *nd->pick))) {
        node_free(NULL, nd);
        return NULL;
    }
    for (size_t i = 0; i < node_len(from); i++)
        if (from->s->rec[node_rec(from, i)].volume == idx)
            nd->pick[nd->n++] = node_rec(from, i);
    return make_node(nd);
}

size_t elf_files_count(json_object *doc)
{
    json_object *files = doc_arr(doc, "elf_files");
    struct node *nd = node_of(files);
    return nd ? node_len(nd) : doc_len(files);
}

json_object *elf_files_at(json_object *doc, size_t i)
{
    json_object *files = doc_arr(doc, "elf_files");
    struct node *nd = node_of(files);
    if (!nd)
        return json_object_get(doc_at(files, i));
    return i < node_len(nd) ? parse_record(nd->s, node_rec(nd, i)) : NULL;
}

static const struct elf_files *sorting;     /* qsort has no context argument */

static int cmp_rec_path(const void *a, const void *b)
{
    const char *p = sorting->paths.s;
    return strcmp(p + sorting->rec[*(const size_t *)a].path, p + sorting->rec[*(const size_t *)b].path);
}

/* The record whose path is path, by binary search; -1 when none. */
static long find_record(struct elf_files *s, const char *path)
{
    if (!s->by_path) {
        if (!(s->by_path = malloc((s->n ? s->n : 1) * sizeof *s->by_path)))
            return -1;
        for (size_t i = 0; i < s->n; i++)
            s->by_path[i] = i;
        sorting = s;
        qsort(s->by_path, s->n, sizeof *s->by_path, cmp_rec_path);
    }
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(s->paths.s + s->rec[s->by_path[mid]].path, path);
        if (!c)
            return (long)s->by_path[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

json_object *elf_files_find(json_object *doc, const char *path)
{
    json_object *files = doc_arr(doc, "elf_files");
    struct node *nd = node_of(files);
    if (!path)
        return NULL;
    if (!nd) {
        for (size_t i = 0; i < doc_len(files); i++) {
            const char *p = doc_str(doc_at(files, i), "path");
            if (p && !strcmp(p, path))
                return json_object_get(doc_at(files, i));
        }
        return NULL;
    }
    long rec = find_record(nd->s, path);
    if (rec < 0)
        return NULL;
    /* a volume view finds only its own records */
    for (size_t i = 0; nd->pick && i < nd->n; i++)
        if (nd->pick[i] == (size_t)rec)
            return parse_record(nd->s, (size_t)rec);
    return nd->pick ? NULL : parse_record(nd->s, (size_t)rec);
}

int elf_files_write_doc(json_object *doc, int flags,
                        int (*put)(const char *s, size_t n, void *ctx), void *ctx)
{
    struct node *nd = node_of(doc_arr(doc, "elf_files"));
    size_t len;
    if (nd)
        nd->marker = 1;
    const char *s = json_object_to_json_string_length(doc, flags, &len);
    if (nd)
        nd->marker = 0;
    if (!s) {
        errno = ENOMEM;
        return -1;
    }
    const char *m = nd ? memchr(s, MARKER, len) : NULL;
    if (!m)
        return put(s, len, ctx);
    struct printbuf *pb = printbuf_new();
    if (!pb) {
        errno = ENOMEM;
        return -1;
    }
    int rc = put(s, (size_t)(m - s), ctx) < 0 ||
             write_items(nd, pb, nd->level, flags, put, ctx) < 0 || flush(pb, put, ctx) < 0 ||
             put(m + 1, len - (size_t)(m + 1 - s), ctx) < 0 ? -1 : 0;
    printbuf_free(pb);
    return rc;
}
