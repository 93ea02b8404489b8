/* What the tree-based nitro tests share: a scan of a fixture tree with the
 * report's volumes read from a file, and looks into the report. */
#ifndef LIFTCHECK_TESTS_TREE_SCAN_H
#define LIFTCHECK_TESTS_TREE_SCAN_H

#include "scanners/nitro/nitro_int.h"

/* Runs scan_nitro over the directory tree; volumes (a JSON file, or NULL
 * for a --root run) goes in as the report's volumes, as inspection of disk
 * images does. */
struct report *tree_scan(const char *tree, const char *distro, const char *package_format,
                         const char *volumes);
/* A string member, "" when absent or null. */
const char *tree_sget(json_object *o, const char *key);
/* How many findings of an id (and severity, when given) have a title that
 * holds `in` (when given); the first one in *first. */
int tree_findings(struct report *r, const char *id, const char *sev, const char *in,
                  json_object **first);
/* 1 when an evidence line of o holds needle. */
int tree_has_evidence(json_object *o, const char *needle);

#endif
