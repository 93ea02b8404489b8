/* The probe's ext2/3/4 reader must list a filesystem exactly as lstat and
 * readlink see the tree it was made from, and place file heads where their
 * bytes are.  The images are made here with mkfs.ext4 -d from a staged
 * tree: 1 KiB blocks (so a few hundred names make a hashed, multi-block
 * directory), and once with inline data (small directories and files
 * inside their inodes). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/tree/ext_index.h"
#include "staging.h"

#define FAKE_DEV 0x1234

static char stage[256], image[300];

static void path_of(char *out, size_t cap, const char *rel)
{
    snprintf(out, cap, "%s%s", stage, rel);
}

#define put(rel, data, len) stage_put(stage, rel, data, len)
#define dir(rel) stage_dir(stage, rel, 0750)

static void stage_tree(void)
{
    char name[64], big[100000], target[300];

    snprintf(stage, sizeof stage, "/tmp/liftcheck-ext-XXXXXX");
    assert_non_null(mkdtemp(stage));
    dir("/bin");
    dir("/many");
    dir("/many/deeper");
    for (int i = 0; i < 300; i++) {     /* several blocks, hashed */
        snprintf(name, sizeof name, "/many/entry-with-a-longish-name-%03d", i);
        put(name, name, strlen(name));
    }
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)(i * 7 + 3);
    memcpy(big, "\177ELF\2\1\1", 7);
    put("/bin/prog", big, sizeof big);
    put("/bin/tiny", "\177ELF", 4);
    put("/many/deeper/empty", "", 0);
    char p[512], q[512];
    path_of(p, sizeof p, "/bin/prog");
    path_of(q, sizeof q, "/bin/prog-hardlink");
    assert_int_equal(link(p, q), 0);
    path_of(p, sizeof p, "/bin/fast-link");
    assert_int_equal(symlink("prog", p), 0);
    memset(target, 'x', sizeof target);
    memcpy(target, "../", 3);
    target[200] = '\0';                 /* too long for the inode: a block */
    path_of(p, sizeof p, "/bin/slow-link");
    assert_int_equal(symlink(target, p), 0);
    path_of(p, sizeof p, "/bin/odd name\nwith newline");
    assert_int_equal(mkfifo(p, 0600), 0);
}

static void run(char *const argv[])
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execvp(argv[0], argv);
        _exit(127);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* A time past 2038 (2100-01-01), which the inode's extra epoch bits carry;
 * mkfs -d does not write them, debugfs does. */
#define FAR_MTIME 4102444800ll

static void make_image(const char *features)
{
    snprintf(image, sizeof image, "%s.img", stage);
    char *mkfs[] = {"mkfs.ext4", "-q", "-F", "-b", "1024", "-I", "256", "-O", (char *)features,
                    "-d", stage, image, "8M", NULL};
    run(mkfs);
    char *set[] = {"debugfs", "-w", "-R", "set_inode_field /many/deeper/empty mtime @4102444800",
                   image, NULL};
    run(set);
}

static size_t want_head(uint64_t size)
{
    return size >= 52 ? 64 : 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct tree_node *)a)->name, ((const struct tree_node *)b)->name);
}

/* The file's bytes, put together from the image through its extents. */
static void check_extents(struct ext_index *x, int image_fd, uint64_t ino, const char *path,
                          size_t size)
{
    struct ext_extent e[16];
    unsigned bs = ext_index_block_size(x);
    int n = ext_index_extents(x, ino, e, 16);
    unsigned char *want = malloc(size), *got = calloc(1, size);
    assert_true(n > 0);
    assert_non_null(want);
    assert_non_null(got);
    int f = open(path, O_RDONLY);
    assert_true(f >= 0);
    assert_int_equal(read(f, want, size), (ssize_t)size);
    close(f);
    for (int i = 0; i < n; i++) {
        uint64_t off = e[i].lblk * bs, len = (uint64_t)e[i].len * bs;
        if (off >= size)
            continue;
        if (off + len > size)
            len = size - off;
        assert_int_equal(pread(image_fd, got + off, len, (off_t)(e[i].pblk * bs)), (ssize_t)len);
    }
    assert_memory_equal(got, want, size);
    free(want);
    free(got);
    /* Too many extents for the room given: not mapped. */
    if (n > 1)
        assert_int_equal(ext_index_extents(x, ino, e, 1), -1);
}

/* Compares one directory's listing with the staged directory, then its
 * subdirectories (iteratively, through an explicit list). */
static void check_tree(struct ext_index *x, int image_fd)
{
    struct pending {
        char rel[512];
        uint64_t ino;
    } *todo = calloc(64, sizeof *todo);
    size_t ntodo = 1, dirs = 0, placed = 0, links = 0;
    uint64_t hard_a = 0, hard_b = 0;

    assert_non_null(todo);
    snprintf(todo[0].rel, sizeof todo[0].rel, "%s", "");
    todo[0].ino = 2;
    while (ntodo) {
        struct pending cur = todo[--ntodo];
        struct tree_node *kids = NULL;
        size_t n = 0;
        assert_int_equal(ext_index_list(x, cur.ino, &kids, &n), 0);
        dirs++;
        qsort(kids, n, sizeof *kids, by_name);

        char p[1024];
        assert_true((size_t)snprintf(p, sizeof p, "%s%s", stage, cur.rel) < sizeof p);
        DIR *d = opendir(p);
        assert_non_null(d);
        size_t expect = 0;
        struct dirent *e;
        while ((e = readdir(d)))
            expect += strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
                      (cur.rel[0] || strcmp(e->d_name, "lost+found"));
        closedir(d);
        size_t lf = cur.rel[0] ? 0 : 1;     /* mkfs adds lost+found at the root */
        assert_int_equal(n, expect + lf);

        for (size_t i = 0; i < n; i++) {
            struct tree_node *k = &kids[i];
            char sp[1200];
            struct stat s;
            assert_false(k->ask_kernel);
            assert_true(k->stat_ok);
            assert_int_equal(k->st.dev, FAKE_DEV);
            if (!cur.rel[0] && !strcmp(k->name, "lost+found")) {
                free(k->name);
                continue;
            }
            snprintf(sp, sizeof sp, "%s%s/%s", stage, cur.rel, k->name);
            assert_int_equal(lstat(sp, &s), 0);
            assert_int_equal(k->st.mode, s.st_mode);
            assert_int_equal(k->st.mtime, strcmp(k->name, "empty") ? s.st_mtime : FAR_MTIME);
            if (!S_ISDIR(s.st_mode)) {
                assert_int_equal(k->st.size, s.st_size);
                assert_int_equal(k->st.nlink, s.st_nlink);
            }
            if (S_ISLNK(s.st_mode)) {
                char t[4096];
                ssize_t tl = readlink(sp, t, sizeof t - 1);
                assert_true(tl > 0);
                t[tl] = '\0';
                assert_non_null(k->link);
                assert_string_equal(k->link, t);
                links++;
            }
            if (!strcmp(k->name, "prog")) {
                hard_a = k->st.ino;
                check_extents(x, image_fd, k->st.ino, sp, (size_t)s.st_size);
            }
            if (!strcmp(k->name, "prog-hardlink"))
                hard_b = k->st.ino;
            if (k->placed) {
                /* The head read from the image where the index says. */
                unsigned char want[64], got[64];
                int f = open(sp, O_RDONLY);
                assert_true(f >= 0);
                assert_int_equal(read(f, want, sizeof want), sizeof want);
                close(f);
                assert_int_equal(pread(image_fd, got, sizeof got, (off_t)k->phys), sizeof got);
                assert_memory_equal(got, want, sizeof want);
                placed++;
            }
            if (S_ISDIR(s.st_mode)) {
                assert_true(ntodo < 64);
                int w = snprintf(todo[ntodo].rel, sizeof todo[ntodo].rel, "%.200s/%.200s",
                                 cur.rel, k->name);
                assert_true(w > 0 && (size_t)w < sizeof todo[ntodo].rel);
                todo[ntodo++].ino = k->st.ino;
            }
            free(k->name);
            free(k->link);
        }
        free(kids);
    }
    free(todo);
    assert_int_equal(dirs, 4);          /* /, /bin, /many, /many/deeper */
    assert_int_equal(links, 2);
    assert_true(hard_a != 0 && hard_a == hard_b);
    assert_int_equal(placed, 2);        /* prog once per name; tiny is too small */
}

static void check_image(const char *features)
{
    struct ext_index_stats st;
    make_image(features);
    struct ext_index *x = ext_index_open(image, FAKE_DEV, want_head, &st);
    assert_non_null(x);
    assert_true(st.inodes >= 300);
    int fd = open(image, O_RDONLY);
    assert_true(fd >= 0);
    check_tree(x, fd);
    /* A regular file is not a directory: the kernel would say so. */
    struct tree_node *kids;
    size_t n;
    assert_int_equal(ext_index_list(x, 99999, &kids, &n), -1);
    close(fd);
    ext_index_close(x);
    unlink(image);
}

static void test_block_directories(void **state)
{
    (void)state;
    check_image("^inline_data");
}

static void test_inline_data(void **state)
{
    (void)state;
    check_image("inline_data");
}

static void test_not_ext(void **state)
{
    (void)state;
    struct ext_index_stats st;
    char p[512];
    path_of(p, sizeof p, "/bin/prog");
    assert_null(ext_index_open(p, FAKE_DEV, want_head, &st));
    assert_null(ext_index_open("/nonexistent/device", FAKE_DEV, want_head, &st));
}

static int setup(void **state)
{
    (void)state;
    stage_tree();
    return 0;
}

static int teardown(void **state)
{
    char cmd[600];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", stage);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_block_directories),
        cmocka_unit_test(test_inline_data),
        cmocka_unit_test(test_not_ext),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
