/* The directory backend must behave like the guest's own view of its root:
 * symlinks resolve inside it, never to host files. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/vfs.h"
#include "staging.h"

static char root[256];

#define put(rel, text) stage_text(root, rel, text)
#define dir(rel) stage_dir(root, rel, 0755)
#define link_(target, rel) stage_link(root, target, rel)

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/liftcheck-vfs-XXXXXX");
    assert_non_null(mkdtemp(root));
    dir("/etc");
    dir("/usr");
    dir("/usr/lib");
    dir("/usr/lib/x86_64-linux-gnu");
    put("/etc/os-release", "ID=debian\n");
    put("/usr/lib/x86_64-linux-gnu/libc.so.6", "not really libc");
    link_("usr/lib", "/lib");                       /* usr-merge, relative */
    link_("libc.so.6", "/usr/lib/x86_64-linux-gnu/libc-link");
    link_("/etc/shadow", "/etc/evil-abs");          /* absolute: inside root */
    link_("../../../../../../etc/passwd", "/etc/evil-dots");
    link_("loop-b", "/etc/loop-a");
    link_("loop-a", "/etc/loop-b");
    put("/etc/passwd", "guest passwd");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd);
}

static void test_read_through_usr_merge(void **state)
{
    (void)state;
    vfs *v = vfs_dir_open(root);
    char *buf;
    size_t len;
    assert_int_equal(vfs_read_file(v, "/lib/x86_64-linux-gnu/libc-link", 1024, &buf, &len), 0);
    assert_string_equal(buf, "not really libc");
    free(buf);
    char *real;
    assert_int_equal(vfs_realpath(v, "/lib/x86_64-linux-gnu/libc-link", &real), 0);
    assert_string_equal(real, "/usr/lib/x86_64-linux-gnu/libc.so.6");
    free(real);
    vfs_close(v);
}

static void test_symlinks_never_leave_root(void **state)
{
    (void)state;
    vfs *v = vfs_dir_open(root);
    char *buf, *real;
    size_t len;
    /* "../../.." climbs to the guest's /, which is the tree, not the host. */
    assert_int_equal(vfs_read_file(v, "/etc/evil-dots", 1024, &buf, &len), 0);
    assert_string_equal(buf, "guest passwd");
    free(buf);
    assert_int_equal(vfs_realpath(v, "/etc/evil-dots", &real), 0);
    assert_string_equal(real, "/etc/passwd");
    free(real);
    /* An absolute target that does not exist in the guest must fail, even
     * though /etc/shadow exists on the host. */
    assert_int_equal(vfs_read_file(v, "/etc/evil-abs", 1024, &buf, &len), -1);
    char b[16];
    assert_true(vfs_pread(v, "/etc/evil-abs", b, sizeof b, 0) < 0);
    vfs_close(v);
}

static void test_loops_and_caps(void **state)
{
    (void)state;
    vfs *v = vfs_dir_open(root);
    char *buf, *real;
    size_t len;
    assert_int_equal(vfs_realpath(v, "/etc/loop-a", &real), -1);
    assert_int_equal(errno, ELOOP);
    assert_int_equal(vfs_read_file(v, "/etc/passwd", 4, &buf, &len), -1);
    assert_int_equal(errno, EFBIG);
    vfs_close(v);
}

static void test_lstat_does_not_follow(void **state)
{
    (void)state;
    vfs *v = vfs_dir_open(root);
    struct vfs_stat st;
    assert_int_equal(vfs_lstat(v, "/lib", &st), 0);
    assert_int_equal(st.type, VFS_LNK);
    assert_int_equal(vfs_stat(v, "/lib", &st), 0);
    assert_int_equal(st.type, VFS_DIR);
    /* Intermediate links are followed, as the kernel does. */
    assert_int_equal(vfs_lstat(v, "/lib/x86_64-linux-gnu/libc.so.6", &st), 0);
    assert_int_equal(st.type, VFS_REG);
    assert_int_equal(st.size, strlen("not really libc"));
    char *t;
    assert_int_equal(vfs_readlink(v, "/etc/evil-abs", &t), 0);
    assert_string_equal(t, "/etc/shadow");
    free(t);
    vfs_close(v);
}

struct seen { char paths[64][128]; int n; };

static int collect(const char *path, const struct vfs_stat *st, void *opaque)
{
    struct seen *s = opaque;
    (void)st;
    if (s->n < 64)
        snprintf(s->paths[s->n++], 128, "%s", path);
    return 0;
}

static int index_of(struct seen *s, const char *p)
{
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->paths[i], p))
            return i;
    return -1;
}

static void test_walk_order_and_limits(void **state)
{
    (void)state;
    vfs *v = vfs_dir_open(root);
    struct seen s = {0};
    struct vfs_walk_result res;
    assert_int_equal(vfs_walk(v, "/", NULL, collect, &s, &res), 0);
    /* Parents before children; symlinked dirs are not descended. */
    assert_true(index_of(&s, "/usr") < index_of(&s, "/usr/lib"));
    assert_true(index_of(&s, "/usr/lib") < index_of(&s, "/usr/lib/x86_64-linux-gnu/libc.so.6"));
    assert_true(index_of(&s, "/lib") >= 0);
    assert_int_equal(index_of(&s, "/lib/x86_64-linux-gnu"), -1);
    assert_int_equal((int)res.entries, s.n);

    struct seen s2 = {0};
    struct vfs_walk_limits lim = {2, 0};
    assert_int_equal(vfs_walk(v, "/", &lim, collect, &s2, &res), 0);
    assert_true(res.depth_limited);
    assert_int_equal(index_of(&s2, "/usr/lib/x86_64-linux-gnu"), -1);
    assert_true(index_of(&s2, "/usr/lib") >= 0);

    struct seen s3 = {0};
    struct vfs_walk_limits lim3 = {0, 3};
    assert_int_equal(vfs_walk(v, "/", &lim3, collect, &s3, &res), 0);
    assert_true(res.entries_limited);
    assert_int_equal(s3.n, 3);

    char **names;
    assert_int_equal(vfs_list(v, "/etc", &names), 0);
    assert_string_equal(names[0], "evil-abs");
    int n = 0;
    while (names[n])
        n++;
    assert_int_equal(n, 6);
    vfs_free_names(names);
    vfs_close(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_through_usr_merge),
        cmocka_unit_test(test_symlinks_never_leave_root),
        cmocka_unit_test(test_loops_and_caps),
        cmocka_unit_test(test_lstat_does_not_follow),
        cmocka_unit_test(test_walk_order_and_limits),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
