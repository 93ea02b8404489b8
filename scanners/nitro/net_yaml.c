/* Bounded YAML tree on libyaml's event parser (see net_yaml.h).  Guest
 * files are hostile: aliases are not followed (no expansion bombs),
 * nesting and node count are capped, and no recursion follows the
 * document's depth. */
#include "net_yaml.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "util/grow.h"
#include "util/xalloc.h"

#define YAML_MAX_DEPTH 32
#define YAML_MAX_NODES 8192
#define YAML_MAX_SCALAR 4096

struct frame {
    int node, last;
};

static int new_node(struct ytree *t, enum ynode_type type, unsigned line)
{
    if (t->count >= YAML_MAX_NODES) {
        t->truncated = 1;
        return -1;
    }
    if (grow_array((void **)&t->n, &t->cap, (size_t)t->count, sizeof *t->n, 64) < 0)
        return -1;
    struct ynode *y = &t->n[t->count];
    memset(y, 0, sizeof *y);
    y->type = type;
    y->line = line;
    y->first = y->next = -1;
    return t->count++;
}

static void attach(struct ytree *t, struct frame *st, int depth, int i)
{
    if (depth == 0)
        return;
    struct frame *f = &st[depth - 1];
    if (f->last < 0)
        t->n[f->node].first = i;
    else
        t->n[f->last].next = i;
    f->last = i;
}

static char *scalar_copy(const yaml_event_t *ev)
{
    size_t n = ev->data.scalar.length;
    if (n > YAML_MAX_SCALAR)
        n = YAML_MAX_SCALAR;
    return xstrndup((const char *)ev->data.scalar.value, n);
}

int ytree_parse(struct ytree *t, const char *buf, size_t len)
{
    memset(t, 0, sizeof *t);
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return -1;
    yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
    struct frame st[YAML_MAX_DEPTH];
    int depth = 0, skip = 0, done = 0;
    while (!done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev))
            break;
        unsigned line = (unsigned)ev.start_mark.line + 1;
        int i;
        switch (ev.type) {
        case YAML_SCALAR_EVENT:
        case YAML_ALIAS_EVENT:
            if (skip)
                break;
            if ((i = new_node(t, Y_SCALAR, line)) < 0) {
                done = 1;
                break;
            }
            /* an alias stands for nothing: following it could multiply the tree */
            t->n[i].value = ev.type == YAML_SCALAR_EVENT ? scalar_copy(&ev) : xstrdup("");
            attach(t, st, depth, i);
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if (skip || depth == YAML_MAX_DEPTH) {
                t->truncated = 1;
                skip++;
                break;
            }
            i = new_node(t, ev.type == YAML_MAPPING_START_EVENT ? Y_MAP : Y_SEQ, line);
            if (i < 0) {
                done = 1;
                break;
            }
            attach(t, st, depth, i);
            st[depth].node = i;
            st[depth].last = -1;
            depth++;
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            if (skip)
                skip--;
            else if (depth > 0)
                depth--;
            break;
        case YAML_DOCUMENT_END_EVENT:
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    return t->count > 0 ? 0 : -1;
}

void ytree_free(struct ytree *t)
{
    for (int i = 0; i < t->count; i++)
        free(t->n[i].value);
    free(t->n);
    memset(t, 0, sizeof *t);
}

int ytree_root(const struct ytree *t)
{
    return t->count > 0 ? 0 : -1;
}

const char *ytree_str(const struct ytree *t, int i)
{
    return i >= 0 && i < t->count && t->n[i].type == Y_SCALAR ? t->n[i].value : NULL;
}

int ytree_map_next(const struct ytree *t, int m, int it, int *key)
{
    if (m < 0 || m >= t->count || t->n[m].type != Y_MAP)
        return -1;
    int k = it < 0 ? t->n[m].first : t->n[it].next;
    if (k < 0 || t->n[k].next < 0)
        return -1;
    *key = k;
    return t->n[k].next;
}

int ytree_get(const struct ytree *t, int m, const char *key)
{
    int k, v = -1;
    while ((v = ytree_map_next(t, m, v, &k)) >= 0) {
        const char *s = ytree_str(t, k);
        if (s && !strcmp(s, key))
            return v;
    }
    return -1;
}

int ytree_seq_next(const struct ytree *t, int s, int it)
{
    if (s < 0 || s >= t->count || t->n[s].type != Y_SEQ)
        return -1;
    return it < 0 ? t->n[s].first : t->n[it].next;
}

int ytree_true(const struct ytree *t, int i)
{
    const char *s = ytree_str(t, i);
    return s && (!strcasecmp(s, "true") || !strcasecmp(s, "yes") || !strcasecmp(s, "on") ||
                 !strcasecmp(s, "y"));
}
