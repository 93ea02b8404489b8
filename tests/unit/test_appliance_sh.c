/* The appliance's shell when it does not answer: here a handle that was
 * never launched, whose debug calls libguestfs refuses.  The check says no
 * once, and every later call is refused with a reason instead of asking
 * again. */
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
    char why[256] = "";

    assert_true(appliance_sh_available(g));     /* not checked yet */
    assert_null(appliance_sh(g, "true", why, sizeof why));
    assert_non_null(strstr(why, "appliance shell: "));  /* libguestfs's reason */

    assert_int_equal(appliance_sh_check(g), 0);
    assert_false(appliance_sh_available(g));
    why[0] = '\0';
    assert_null(appliance_sh(g, "echo hi", why, sizeof why));
    assert_non_null(strstr(why, "no shell"));
    guestfs_close(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unanswered_shell),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
