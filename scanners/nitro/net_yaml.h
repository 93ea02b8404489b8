/* A bounded YAML tree for the subset netplan and cloud-init use, built from
 * libyaml's events: no aliases followed, depth and node count capped. */
#ifndef LIFTCHECK_NET_YAML_H
#define LIFTCHECK_NET_YAML_H

#include <stddef.h>

enum ynode_type { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode {
    enum ynode_type type;
    char *value;        /* scalars; NULL otherwise */
    unsigned line;      /* 1-based */
    int first, next;    /* children, siblings (-1 ends); a map's children
                           alternate key, value */
};

struct ytree {
    struct ynode *n;
    int count;
    size_t cap;
    int truncated;      /* a limit cut the document */
};

/* Parses the first document of buf; 0 on success (tree may be partial on
 * a syntax error: what was read before it stays), -1 when nothing was read. */
int ytree_parse(struct ytree *t, const char *buf, size_t len);
void ytree_free(struct ytree *t);
/* Root node index, or -1. */
int ytree_root(const struct ytree *t);
/* Value node of key in map m, or -1. */
int ytree_get(const struct ytree *t, int m, const char *key);
/* Scalar text of node i, or NULL. */
const char *ytree_str(const struct ytree *t, int i);
/* Iteration over a map: *key and returned value node index; start with
 * it = -1, returns -1 at the end. */
int ytree_map_next(const struct ytree *t, int m, int it, int *key);
/* Iteration over a sequence: next element after it (-1 to start). */
int ytree_seq_next(const struct ytree *t, int s, int it);
/* Truth of a YAML 1.1 boolean scalar ("true", "yes", "on"). */
int ytree_true(const struct ytree *t, int i);

#endif
