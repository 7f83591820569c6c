/* Tests for keymap.c: every value of a key is found, none of another key's,
 * a pair added twice is found once, through any number of rehashes. */
#include <stdlib.h>
#include "keymap.h"
#include "unit.h"

struct found {
	unsigned	 seen[1000];
	size_t		 n;
};

static void
note(void *ctx, uint32_t val)
{
	struct found *f = ctx;

	ck_assert_uint_lt(val, 1000);
	f->seen[val]++;
	f->n++;
}

START_TEST(values_of_each_key)
{
	struct keymap m = { 0 };
	struct found f = { { 0 }, 0 };

	keymap_each(&m, 7, note, &f);		/* empty */
	ck_assert_uint_eq(f.n, 0);
	for (uint32_t v = 0; v < 1000; v++) {	/* key v % 10, and one key for all */
		ck_assert_int_eq(keymap_add(&m, v % 10, v), 0);
		ck_assert_int_eq(keymap_add(&m, 0xdeadbeef, v), 0);
		ck_assert_int_eq(keymap_add(&m, v % 10, v), 0);	/* again */
	}
	ck_assert_uint_eq(m.n, 2000);
	ck_assert_int_eq(keymap_add(&m, 1, KEYMAP_EMPTY), -1);
	keymap_each(&m, 3, note, &f);
	ck_assert_uint_eq(f.n, 100);
	for (uint32_t v = 0; v < 1000; v++)
		ck_assert_uint_eq(f.seen[v], v % 10 == 3);
	f = (struct found){ { 0 }, 0 };
	keymap_each(&m, 0xdeadbeef, note, &f);
	ck_assert_uint_eq(f.n, 1000);
	keymap_each(&m, 11, note, &f);
	ck_assert_uint_eq(f.n, 1000);
	keymap_free(&m);
	ck_assert_uint_eq(m.cap, 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("keymap");
	TCase *tc = tcase_create("keymap");

	tcase_add_test(tc, values_of_each_key);
	suite_add_tcase(s, tc);
	return unit_run(s, CK_FORK_GETENV);
}
