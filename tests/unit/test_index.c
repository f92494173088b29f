/* test_index: the sorted string index behind the model's lookups and uniqueness checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "index.h"

struct item {
    int n;
    const char *id;
};

static void test_index_find_returns_lowest_position(void **state)
{
    (void)state;
    struct item v[] = {{0, "b"}, {1, "a"}, {2, NULL}, {3, "b"}, {4, "c"}, {5, "a"}};
    struct maal_index_entry e[6];
    struct maal_index x;
    maal_index_build(&x, e, v, 6, sizeof(*v), offsetof(struct item, id));
    assert_int_equal(x.n, 5); /* the NULL id is left out */
    size_t i = 99;
    assert_true(maal_index_find(&x, "a", &i));
    assert_int_equal(i, 1);
    assert_true(maal_index_find(&x, "b", &i));
    assert_int_equal(i, 0);
    assert_true(maal_index_find(&x, "c", &i));
    assert_int_equal(i, 4);
    i = 99;
    assert_false(maal_index_find(&x, "", &i));
    assert_false(maal_index_find(&x, "bb", &i));
    assert_false(maal_index_find(&x, "d", &i));
    assert_int_equal(i, 99);
}

static void test_index_firsts_point_at_the_first_of_each_key(void **state)
{
    (void)state;
    const char *ids[] = {"x", "y", "x", NULL, "y", "x", "z"};
    struct maal_index_entry e[7];
    struct maal_index x;
    size_t first[7];
    maal_index_build(&x, e, ids, 7, sizeof(*ids), 0);
    maal_index_firsts(&x, first, 7);
    const size_t want[] = {0, 1, 0, 3, 1, 0, 6};
    for (size_t i = 0; i < 7; i++)
        assert_int_equal(first[i], want[i]);
}

static void test_index_empty_and_missing_buffer(void **state)
{
    (void)state;
    struct maal_index x;
    size_t i;
    maal_index_build(&x, NULL, NULL, 3, sizeof(char *), 0); /* an allocation failed */
    assert_int_equal(x.n, 0);
    assert_false(maal_index_find(&x, "a", &i));
    struct maal_index_entry e[1];
    maal_index_build(&x, e, NULL, 0, sizeof(char *), 0);
    assert_false(maal_index_find(&x, "a", &i));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_index_find_returns_lowest_position),
        cmocka_unit_test(test_index_firsts_point_at_the_first_of_each_key),
        cmocka_unit_test(test_index_empty_and_missing_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
