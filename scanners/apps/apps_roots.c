/* Install roots found by structure, wherever a server keeps them (/u01,
 * /usr/sap, /export, /app...): third-party files outside the places the FHS
 * gives the distribution.  The root is the directory holding the tree's
 * bin/, sbin/, lib/ or libexec/, else the first directory below the top one;
 * a copy of a whole root filesystem (etc/, usr/ and var/ side by side) or
 * of /usr alone (a usr/ below the top with the bin/, sbin/, lib/ and share/
 * every distribution's has) is a backup, and a version-control checkout
 * (.git) a build tree: neither is an application by itself. */
#include <stdio.h>
#include <string.h>

#include "model/jdoc.h"
#include "scanners/apps/apps_int.h"

/* Top-level directories the FHS gives the system, and /usr's. */
static const char *const system_top[] = {"bin", "boot", "dev", "etc", "lib", "lib32", "lib64",
    "libx32", "lost+found", "media", "mnt", "proc", "run", "sbin", "sys", "tmp", "var", "usr",
    "snap", NULL};
static const char *const usr_std[] = {"bin", "sbin", "lib", "lib32", "lib64", "libx32", "libexec",
    "include", "share", "src", "games", "local", NULL};
static const char *const tree_dirs[] = {"bin", "sbin", "lib", "lib32", "lib64", "libexec", NULL};

static int in_list(const char *const *list, const char *s, size_t n)
{
    for (int i = 0; list[i]; i++)
        if (strlen(list[i]) == n && !memcmp(list[i], s, n))
            return 1;
    return 0;
}

static int has(vfs *v, const char *dir, const char *name, int want_dir)
{
    char p[4200];
    struct vfs_stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return vfs_lstat(v, p, &st) == 0 && (!want_dir || st.type == VFS_DIR);
}

int apps_os_copy(struct scan_ctx *c, const char *dir)
{
    const char *base = strrchr(dir, '/');
    if (!base || !base[1])
        return 0;       /* "/" is the OS itself */
    if (!strcmp(base, "/usr"))      /* and so is /usr, not a usr/ below the top */
        return base > dir && has(c->v, dir, "bin", 1) && has(c->v, dir, "sbin", 0) &&
               has(c->v, dir, "lib", 1) && has(c->v, dir, "share", 1);
    return has(c->v, dir, "usr", 1) && has(c->v, dir, "etc", 1) && has(c->v, dir, "var", 1);
}

/* What a directory is, kept in memo: 1 a copy of an OS tree, 2 a checkout
 * (.git, a directory or a worktree's file). */
static int dir_kind(struct scan_ctx *c, json_object *memo, const char *dir)
{
    json_object *known = NULL;
    if (json_object_object_get_ex(memo, dir, &known))
        return json_object_get_int(known);
    int kind = apps_os_copy(c, dir) ? 1 : has(c->v, dir, ".git", 0) ? 2 : 0;
    doc_put(memo, dir, jint(kind));
    return kind;
}

int apps_inside_copy(struct scan_ctx *c, json_object *memo, const char *path, int checkouts)
{
    char dir[4096];
    size_t n = strlen(path);
    if (n >= sizeof dir)
        return 0;
    memcpy(dir, path, n + 1);
    /* Every ancestor but "/" itself. */
    for (char *slash = strrchr(dir, '/'); slash && slash > dir; slash = strrchr(dir, '/')) {
        *slash = 0;
        int kind = dir_kind(c, memo, dir);
        if (kind == 1 || (kind == 2 && checkouts))
            return 1;
    }
    return 0;
}

int apps_root_by_structure(const char *path, char *name, size_t ncap, char *root, size_t rcap)
{
    const char *p = path + 1, *end;
    size_t n = strcspn(p, "/");
    if (path[0] != '/' || !n || !p[n])
        return 0;
    if (in_list(system_top, p, n)) {
        /* /usr/sap, /usr/openv: not a directory of /usr the FHS names. */
        if (n != 3 || memcmp(p, "usr", 3))
            return 0;
        p += n + 1;
        n = strcspn(p, "/");
        if (!p[n] || in_list(usr_std, p, n))
            return 0;
    }
    const char *base_end = p + n;        /* "/u01" or "/usr/sap" */
    /* Hidden directories hold state, not installs. */
    if (strstr(path, "/."))
        return 0;
    end = NULL;
    for (const char *q = base_end; *q == '/' && !end; q += 1 + strcspn(q + 1, "/")) {
        size_t m = strcspn(q + 1, "/");
        if (q[1 + m] && in_list(tree_dirs, q + 1, m))
            end = q;
    }
    if (!end) {
        /* No bin/ or lib/: the first directory below the top one. */
        end = base_end;
        if (end[0] == '/' && strchr(end + 1, '/'))
            end = strchr(end + 1, '/');
    }
    const char *nm = end;
    while (nm > path && nm[-1] != '/')
        nm--;
    return end > nm && apps_set_root(name, ncap, root, rcap, nm, (size_t)(end - nm), path,
                                     (size_t)(end - path));
}
