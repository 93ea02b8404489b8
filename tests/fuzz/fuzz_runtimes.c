/* The runtime version parsers on raw bytes, then the runtimes collector over
 * a tree of files ("==> /path <==" headers) holding the input: release,
 * pyvenv.cfg, node_version.h, bin/node, archives and scripts. */
#include "fuzz.h"
#include "scanners/apps/apps_int.h"
#include "scanners/apps/apps_rt_parse.h"

#include <stdlib.h>
#include <string.h>

static int visit(const char *path, const struct vfs_stat *st, void *opaque)
{
    struct apps_rt *r = opaque;
    apps_rt_entry(r, path, st);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char a[64], b[256];
    const char *t = (const char *)data;
    if (rt_java_release(t, size, a, sizeof a)) {
        fuzz_touch(a);
        (void)rt_java_major(a);
        rt_release_of("java", a, b, sizeof b);
    }
    if (rt_pyvenv(t, size, a, sizeof a, b, sizeof b))
        rt_release_of("python", a, b, sizeof b);
    if (rt_node_version_h(t, size, a, sizeof a))
        rt_release_of("node", a, b, sizeof b);
    if (rt_node_in_binary(data, size, a, sizeof a))
        fuzz_touch(a);
    if (rt_shebang(t, size, a, sizeof a))
        fuzz_touch(a);
    char *text = fuzz_text(data, size);
    if (text) {
        if (rt_python_name(text, a, sizeof a))
            fuzz_touch(a);
        free(text);
    }

    vfs *v = memvfs_from_tree(data, size);
    json_object *app = json_object_new_object();
    struct apps_rt *r = v && app ? apps_rt_new(v, app) : NULL;
    if (r) {
        struct vfs_walk_limits lim = {12, 2000};
        struct vfs_walk_result res = {0};
        vfs_walk(v, "/", &lim, visit, r, &res);
        char *body = NULL;
        size_t len = 0;
        if (vfs_read_file(v, "/opt/app/run.sh", 4096, &body, &len) == 0)
            apps_rt_script(r, "/opt/app/run.sh", body, len);
        free(body);
        apps_rt_finish(r);
    }
    apps_magic_close();
    json_object_put(app);
    vfs_close(v);
    return 0;
}
