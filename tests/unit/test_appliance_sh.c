/* The appliance's shell when it does not answer: here a handle that was
 * never launched, whose debug calls libguestfs refuses.  The check says no
 * once, and every later call is refused with a reason instead of asking
 * again. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "inspector/appliance_sh.h"

static void test_unanswered_shell(void **state)
{
    (void)state;
    guestfs_h *g = guestfs_create();
    assert_non_null(g);
    guestfs_set_error_handler(g, NULL, NULL);
    struct lc_error why = {0};

    assert_true(appliance_sh_available(g));     /* not checked yet */
    assert_null(appliance_sh(g, "true", &why));
    assert_non_null(strstr(why.msg, "appliance shell: "));  /* libguestfs's reason */
    assert_true(why.code < 0);

    assert_int_equal(appliance_sh_check(g), 0);
    assert_false(appliance_sh_available(g));
    lc_error_clear(&why);
    assert_null(appliance_sh(g, "echo hi", &why));
    assert_non_null(strstr(why.msg, "no shell"));
    assert_int_equal(why.code, -ENOTSUP);
    guestfs_close(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unanswered_shell),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
