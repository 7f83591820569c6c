/* Tests for draft (keys, sealing, resume codes) and store_draft (rows that
 * expire, are swept and are overwritten when deleted). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>
#include "draft.h"
#include "store.h"
#include "unit.h"
#include "store_target.h"

static const unsigned char secret[32] = { 1, 2, 3 };

START_TEST(test_keys_cookie)
{
	struct draft_keys k, back;
	char hex[DRAFT_COOKIE_LEN + 1];

	draft_keys_new(&k);
	draft_keys_format(&k, hex);
	ck_assert_uint_eq(strlen(hex), DRAFT_COOKIE_LEN);
	ck_assert_int_eq(draft_keys_parse(hex, &back), 0);
	ck_assert_mem_eq(&k, &back, sizeof(k));
	hex[5] = 'G';
	ck_assert_int_eq(draft_keys_parse(hex, &back), -1);
	ck_assert_int_eq(draft_keys_parse("abc", &back), -1);
	ck_assert_int_eq(draft_keys_parse(NULL, &back), -1);
}
END_TEST

START_TEST(test_seal_open)
{
	struct draft_keys k, other;
	unsigned char ad[DRAFT_LOOKUP_BYTES], ad2[DRAFT_LOOKUP_BYTES];
	struct buf box = BUF_INIT, out = BUF_INIT;
	const char *plain = "_n=00&ward=woodside&change=the+lamp";

	draft_keys_new(&k);
	draft_keys_new(&other);
	draft_lookup(secret, "residents", k.id, ad);
	draft_lookup(secret, "young", k.id, ad2);
	ck_assert_int_ne(memcmp(ad, ad2, sizeof(ad)), 0);	/* per survey */
	draft_seal(k.key, ad, plain, strlen(plain), &box);
	ck_assert(!buf_failed(&box));
	ck_assert_ptr_null(memmem(box.p, box.len, "woodside", 8));
	ck_assert_int_eq(draft_open(k.key, ad, box.p, box.len, &out), 0);
	ck_assert_str_eq(out.p, plain);
	buf_reset(&out);
	ck_assert_int_eq(draft_open(other.key, ad, box.p, box.len, &out), -1);	/* wrong key */
	ck_assert_int_eq(draft_open(k.key, ad2, box.p, box.len, &out), -1);	/* other row */
	box.p[box.len - 1] ^= 1;
	ck_assert_int_eq(draft_open(k.key, ad, box.p, box.len, &out), -1);	/* damaged */
	ck_assert_int_eq(draft_open(k.key, ad, box.p, 10, &out), -1);		/* short */
	ck_assert_uint_eq(out.len, 0);
	buf_free(&box);
	buf_free(&out);
}
END_TEST

START_TEST(test_codes)
{
	char code[DRAFT_CODE_LEN + 1], shown[DRAFT_CODE_SHOWN + 1], back[DRAFT_CODE_LEN + 1];
	unsigned char l1[DRAFT_LOOKUP_BYTES], l2[DRAFT_LOOKUP_BYTES];
	unsigned char k1[DRAFT_KEY_BYTES], k2[DRAFT_KEY_BYTES];

	draft_code_new(code);
	ck_assert_uint_eq(strlen(code), DRAFT_CODE_LEN);
	ck_assert_uint_eq(strspn(code, "0123456789ABCDEFGHJKMNPQRSTVWXYZ"), DRAFT_CODE_LEN);
	draft_code_format(code, shown);
	ck_assert_uint_eq(strlen(shown), DRAFT_CODE_SHOWN);
	ck_assert(shown[4] == '-' && shown[9] == '-');
	ck_assert_int_eq(draft_code_parse(shown, back), 0);
	ck_assert_str_eq(back, code);
	/* as people type it: lower case, spaces, O for 0, I and L for 1 */
	ck_assert_int_eq(draft_code_parse(" abcd efgh jk0o ", back), 0);
	ck_assert_str_eq(back, "ABCDEFGHJK00");
	ck_assert_int_eq(draft_code_parse("ilIL-2345-6789", back), 0);
	ck_assert_str_eq(back, "111123456789");
	ck_assert_int_eq(draft_code_parse("ABCD-EFGH-JKU1", back), -1);	/* U is not a code letter */
	ck_assert_int_eq(draft_code_parse("ABCD-EFGH-JK", back), -1);	/* short */
	ck_assert_int_eq(draft_code_parse("ABCD-EFGH-JKMNP", back), -1);	/* long */
	ck_assert_int_eq(draft_code_parse(NULL, back), -1);
	draft_code_lookup(secret, "residents", code, l1);
	draft_code_lookup(secret, "residents", code, l2);
	ck_assert_mem_eq(l1, l2, sizeof(l1));
	ck_assert_int_eq(draft_code_key(code, l1, k1), 0);
	ck_assert_int_eq(draft_code_key(code, l1, k2), 0);
	ck_assert_mem_eq(k1, k2, sizeof(k1));
	code[0] = code[0] == '2' ? '3' : '2';
	ck_assert_int_eq(draft_code_key(code, l1, k2), 0);
	ck_assert_int_ne(memcmp(k1, k2, sizeof(k1)), 0);
}
END_TEST

static struct store *
open_rw(void)
{
	struct store *st;

	ck_assert_int_eq(store_open(store_target(unit_db), STORE_CREATE, &st), STORE_OK);
	return st;
}

START_TEST(test_store_rows)
{
	struct store *st = open_rw();
	unsigned char a[16] = { 'a' }, b[16] = { 'b' }, code[16] = { 'c' };
	struct buf box = BUF_INIT;
	long today = 20000, expires = 0;
	int64_t n;

	ck_assert_int_eq(store_draft_code_put(st, code, today + 7, "wrapped", 7), STORE_OK);
	ck_assert_int_eq(store_draft_put(st, a, today + 7, "first", 5, code, today), STORE_OK);
	ck_assert_int_eq(store_draft_put(st, a, today + 8, "second", 6, code, today), STORE_OK);
	ck_assert_int_eq(store_draft_get(st, a, today, &box, &expires), STORE_OK);
	ck_assert_str_eq(box.p, "second");
	ck_assert_int_eq(expires, today + 8);
	buf_reset(&box);
	ck_assert_int_eq(store_draft_code_get(st, code, today + 8, &box), STORE_OK);	/* moved too */
	ck_assert_str_eq(box.p, "wrapped");
	buf_reset(&box);
	ck_assert_int_eq(store_draft_get(st, b, today, &box, NULL), STORE_NOTFOUND);
	/* read after its last day: gone, and deleted */
	ck_assert_int_eq(store_draft_get(st, a, today + 9, &box, NULL), STORE_NOTFOUND);
	ck_assert_int_eq(store_draft_get(st, a, today, &box, NULL), STORE_NOTFOUND);
	ck_assert_int_eq(store_draft_code_get(st, code, today, &box), STORE_NOTFOUND);
	/* a write sweeps every expired row */
	ck_assert_int_eq(store_draft_put(st, a, today + 1, "old", 3, NULL, today), STORE_OK);
	ck_assert_int_eq(store_draft_put(st, b, today + 9, "new", 3, NULL, today + 5), STORE_OK);
	ck_assert_int_eq(store_draft_get(st, a, today, &box, NULL), STORE_NOTFOUND);
	ck_assert_int_eq(store_draft_get(st, b, today + 5, &box, NULL), STORE_OK);
	ck_assert_int_eq(store_draft_del(st, b, NULL), STORE_OK);
	ck_assert_int_eq(store_draft_get(st, b, today + 5, &box, NULL), STORE_NOTFOUND);
	/* wrong codes, counted per survey and day */
	ck_assert_int_eq(store_draft_failures(st, "park", today, 0, &n), STORE_OK);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(store_draft_failures(st, "park", today, 1, &n), STORE_OK);
	ck_assert_int_eq(store_draft_failures(st, "park", today, 1, &n), STORE_OK);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(store_draft_failures(st, "other", today, 0, &n), STORE_OK);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(store_draft_failures(st, "park", today + 1, 0, &n), STORE_OK);
	ck_assert_int_eq(n, 0);
	buf_free(&box);
	store_close(st);
}
END_TEST

/* A deleted draft's bytes are overwritten in the file (secure_delete). */
START_TEST(test_erased_from_file)
{
	struct store *st = open_rw();
	unsigned char a[16] = { 'z' };
	char big[2000], *all;
	size_t n;

	memset(big, 'Q', sizeof(big) - 8);
	memcpy(big + sizeof(big) - 8, "CANARY!", 8);
	ck_assert_int_eq(store_draft_put(st, a, 20007, big, sizeof(big), NULL, 20000), STORE_OK);
	ck_assert_int_eq(store_draft_del(st, a, NULL), STORE_OK);
	ck_assert_int_eq(store_checkpoint(st, STORE_CKPT_TRUNCATE, NULL, NULL), STORE_OK);
	store_close(st);
	ck_assert_ptr_nonnull(all = unit_slurp(unit_db, &n));
	ck_assert_ptr_null(memmem(all, n, "CANARY!", 7));
	ck_assert_ptr_null(memmem(all, n, "QQQQQQQQQQQQQQQQ", 16));
	free(all);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("draft");
	TCase	*tc = tcase_create("draft");

	tcase_add_checked_fixture(tc, unit_db_setup, unit_db_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_keys_cookie);
	tcase_add_test(tc, test_seal_open);
	tcase_add_test(tc, test_codes);
	tcase_add_test(tc, test_store_rows);
	suite_add_tcase(s, tc);
	if (!store_target_pg()) {	/* reads the SQLite file itself */
		TCase	*tf = tcase_create("sqlite file");

		tcase_add_checked_fixture(tf, unit_db_setup, unit_db_teardown);
		tcase_set_timeout(tf, 30);
		tcase_add_test(tf, test_erased_from_file);
		suite_add_tcase(s, tf);
	}
	return unit_run(s, CK_FORK_GETENV);
}
