/* The appliance console's last line, as a stalled launch reports it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "inspector/console_tail.h"

static int feed(struct console_tail *t, const char *s)
{
    return console_tail_feed(t, s, strlen(s));
}

static void test_lines_split_across_chunks(void **state)
{
    (void)state;
    struct console_tail t = {0};
    assert_int_equal(feed(&t, "supermin: mounting /proc\r\nsupermin: ext2 mini"), 1);
    assert_string_equal(t.last, "supermin: mounting /proc");
    assert_int_equal(feed(&t, " initrd starting up: 5.2.2\r"), 0);
    assert_int_equal(feed(&t, "\n"), 1);
    assert_string_equal(t.last, "supermin: ext2 mini initrd starting up: 5.2.2");
    /* blank lines keep the last one */
    assert_int_equal(feed(&t, "\r\n   \r\n"), 0);
    assert_string_equal(t.last, "supermin: ext2 mini initrd starting up: 5.2.2");
}

static void test_escapes_and_bytes(void **state)
{
    (void)state;
    struct console_tail t = {0};
    /* systemd's colours, as the appliance prints them */
    feed(&t, "\x1b[0;1;31m/usr/lib/tmpfiles.d/x.conf:12: Failed to resolve group 'disk'.\x1b[0m\r\r\n");
    assert_string_equal(t.last, "/usr/lib/tmpfiles.d/x.conf:12: Failed to resolve group 'disk'.");
    feed(&t, "\tname \xc3\xa9\x01\x7f\x1b" "c end\n");
    assert_string_equal(t.last, "name ?? end");
    /* an escape split between chunks */
    feed(&t, "a\x1b[0;1;3");
    feed(&t, "8;5;185mb\n");
    assert_string_equal(t.last, "ab");
}

static void test_long_line_is_cut(void **state)
{
    (void)state;
    struct console_tail t = {0};
    char big[1000];
    memset(big, 'x', sizeof big - 2);
    big[sizeof big - 2] = '\n';
    big[sizeof big - 1] = '\0';
    for (int i = 0; i < 3; i++)
        feed(&t, big);
    assert_int_equal(strlen(t.last), CONSOLE_LINE_MAX);
    feed(&t, "short\n");
    assert_string_equal(t.last, "short");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_split_across_chunks),
        cmocka_unit_test(test_escapes_and_bytes),
        cmocka_unit_test(test_long_line_is_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
