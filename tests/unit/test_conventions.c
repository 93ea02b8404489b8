/* The conventions every layer follows: struct lc_error, the cleanup
 * attributes, the allocation policy's exit, the checked document builders
 * and strbuf's formatting. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/jdoc.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static void test_lc_error(void **state)
{
    (void)state;
    struct lc_error e = {0};
    assert_int_equal(lc_fail(&e, -ENOENT, "%s: %s", "/dev/sdz", "no such disk"), -ENOENT);
    assert_int_equal(e.code, -ENOENT);
    assert_string_equal(e.msg, "/dev/sdz: no such disk");
    assert_int_equal(lc_fail(NULL, -EIO, "nobody reads this"), -EIO);
    char longer[2 * sizeof e.msg];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    lc_fail(&e, -EINVAL, "%s", longer);
    assert_int_equal(strlen(e.msg), sizeof e.msg - 1);      /* cut, still a string */
    lc_error_clear(&e);
    assert_int_equal(e.code, 0);
    assert_string_equal(e.msg, "");
}

static int fd_open(int fd) { return fcntl(fd, F_GETFD) >= 0; }

static void test_cleanup(void **state)
{
    (void)state;
    int kept, gone;
    {
        _cleanup_close_ int a = open("/dev/null", O_RDONLY | O_CLOEXEC);
        _cleanup_close_ int b = open("/dev/null", O_RDONLY | O_CLOEXEC);
        _cleanup_close_ int none = -1;
        _cleanup_free_ char *s = xstrdup("released at scope end");
        _cleanup_fclose_ FILE *f = fopen("/dev/null", "re");
        (void)none;
        (void)s;
        assert_non_null(f);
        gone = a;
        kept = TAKE_FD(b);
        assert_int_equal(b, -1);
        assert_true(fd_open(gone));
    }
    assert_false(fd_open(gone));
    assert_true(fd_open(kept));
    close(kept);
    char *p;
    {
        _cleanup_free_ char *q = xstrdup("handed over");
        p = TAKE_PTR(q);
        assert_null(q);
    }
    assert_string_equal(p, "handed over");
    free(p);
}

/* The policy's one exit: a message and EXIT_OOM, from any allocator. */
static void test_oom_exit(void **state)
{
    (void)state;
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(pipefd[1], STDERR_FILENO);
        xreallocarray(NULL, SIZE_MAX, 2);    /* overflows: never reaches malloc */
        _exit(0);
    }
    close(pipefd[1]);
    char buf[128] = "";
    ssize_t n = read(pipefd[0], buf, sizeof buf - 1);
    close(pipefd[0]);
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), EXIT_OOM);
    assert_true(n > 0);
    assert_string_equal(buf, "liftcheck: out of memory\n");
}

static void test_doc_builders(void **state)
{
    (void)state;
    json_object *o = jobject(), *a = jarray();
    assert_int_equal(doc_put(o, "n", jint(INT64_C(1) << 40)), 0);
    assert_int_equal(doc_put(o, "gone", NULL), 0);           /* JSON null */
    assert_int_equal(doc_put(o, "ok", jbool(7)), 0);
    assert_int_equal(doc_put(o, "bad", jstrn("a\xff" "b", 3)), 0);
    assert_int_equal(doc_push(a, jstr(NULL)), 0);
    assert_int_equal(doc_push(a, jstr_or_null(NULL)), 0);
    /* The wrong container: refused, the value released (ASan's leak check
     * would see it otherwise), nothing aborts. */
    assert_int_equal(doc_put(a, "k", jstr("x")), -1);
    assert_int_equal(doc_push(o, jarray()), -1);
    assert_int_equal(doc_put(NULL, "k", jdouble(1.5)), -1);
    assert_int_equal(doc_put(o, "list", a), 0);

    int64_t n;
    assert_true(doc_int(o, "n", &n));
    assert_true(n == INT64_C(1) << 40);
    assert_true(doc_has(o, "gone"));
    assert_null(doc_get(o, "gone"));
    assert_int_equal(doc_bool(o, "ok"), 1);
    assert_string_equal(doc_str(o, "bad"), "a\xEF\xBF\xBD" "b");   /* U+FFFD */
    assert_int_equal(doc_len(doc_arr(o, "list")), 2);
    assert_string_equal(doc_str_at(doc_arr(o, "list"), 0), "");
    assert_null(doc_at(doc_arr(o, "list"), 1));
    {
        _cleanup_json_ json_object *copy = json_object_get(o);
        (void)copy;
    }
    json_object_put(o);
}

static void test_strbuf_printf(void **state)
{
    (void)state;
    struct strbuf b;
    sb_init(&b);
    sb_printf(&b, "%d", 42);                 /* into an empty buffer */
    sb_printf(&b, "-%s", "short");           /* fits the room */
    char big[300];
    memset(big, 'y', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    sb_printf(&b, "|%s|", big);              /* longer than the room */
    assert_int_equal(b.len, strlen(b.s));
    assert_int_equal(b.len, 2 + 6 + 2 + sizeof big - 1);
    assert_memory_equal(b.s, "42-short|yyy", 12);
    assert_int_equal(b.s[b.len - 1], '|');
    char *s = sb_detach(&b);
    assert_null(b.s);
    free(s);
    s = sb_detach(&b);
    assert_string_equal(s, "");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lc_error),
        cmocka_unit_test(test_cleanup),
        cmocka_unit_test(test_oom_exit),
        cmocka_unit_test(test_doc_builders),
        cmocka_unit_test(test_strbuf_printf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
