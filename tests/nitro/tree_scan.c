#include "tree_scan.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

struct report *tree_scan(const char *tree, const char *distro, const char *package_format,
                         const char *volumes)
{
    struct scan_ctx c;
    memset(&c, 0, sizeof c);
    c.v = vfs_dir_open(tree);
    assert_non_null(c.v);
    c.r = report_new();
    c.distro = distro;
    c.package_format = package_format;
    if (volumes) {
        json_object *vols = json_object_from_file(volumes);
        assert_non_null(vols);
        report_set(c.r, "volumes", vols);
    }
    assert_int_equal(scan_nitro(&c), 0);
    vfs_close(c.v);
    return c.r;
}

const char *tree_sget(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && v ? json_object_get_string(v) : "";
}

int tree_has_evidence(json_object *o, const char *needle)
{
    json_object *ev;
    if (!o || !json_object_object_get_ex(o, "evidence", &ev))
        return 0;
    for (size_t i = 0; i < json_object_array_length(ev); i++)
        if (strstr(json_object_get_string(json_object_array_get_idx(ev, i)), needle))
            return 1;
    return 0;
}

int tree_findings(struct report *r, const char *id, const char *sev, const char *in,
                  json_object **first)
{
    int n = 0;
    for (size_t i = 0; i < json_object_array_length(r->findings); i++) {
        json_object *f = json_object_array_get_idx(r->findings, i);
        if (strcmp(tree_sget(f, "id"), id) || (sev && strcmp(tree_sget(f, "severity"), sev)) ||
            (in && !strstr(tree_sget(f, "title"), in)))
            continue;
        if (!n++ && first)
            *first = f;
    }
    return n;
}
