#include "version.h"

#include <string.h>

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* '.', '-', '_', '+' and the like: they only separate the parts. */
static int is_separator(char c)
{
    return c && c != '~' && !is_digit(c) && !is_letter(c);
}

static const char *skip_separators(const char *s)
{
    while (is_separator(*s))
        s++;
    return s;
}

/* Compares the digit runs at *a and *b as numbers (by length after leading
 * zeros, then digit by digit: no overflow on absurd numbers) and moves both
 * past them. */
static int number_cmp(const char **a, const char **b)
{
    const char *x = *a, *y = *b;
    while (*x == '0' && is_digit(x[1]))
        x++;
    while (*y == '0' && is_digit(y[1]))
        y++;
    size_t nx = 0, ny = 0;
    while (is_digit(x[nx]))
        nx++;
    while (is_digit(y[ny]))
        ny++;
    *a = x + nx;
    *b = y + ny;
    if (nx != ny)
        return nx < ny ? -1 : 1;
    int c = memcmp(x, y, nx);
    return c < 0 ? -1 : c > 0;
}

int version_cmp(const char *a, const char *b)
{
    a = a ? a : "";
    b = b ? b : "";
    while (*a || *b) {
        if (*a == '~' || *b == '~') {
            if (*a != *b)
                return *a == '~' ? -1 : 1;
        } else if (is_digit(*a) && is_digit(*b)) {
            int c = number_cmp(&a, &b);
            if (c)
                return c;
            continue;
        } else if (!*a || !*b) {
            return *a ? 1 : -1;
        } else if (is_separator(*a) && is_separator(*b)) {
            a = skip_separators(a);
            b = skip_separators(b);
            continue;
        } else if (is_digit(*a) != is_digit(*b)) {
            return is_digit(*a) ? 1 : -1;
        } else if (is_separator(*a) != is_separator(*b)) {
            return is_separator(*a) ? -1 : 1;
        } else if (*a != *b) {
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        }
        a++;
        b++;
    }
    return 0;
}
