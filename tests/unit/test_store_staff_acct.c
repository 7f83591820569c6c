/* Tests for store_staff_acct.c: the last active admin is kept, disabling ends
 * sessions and reset codes, a password change keeps only the named session,
 * the sessions an owner sees follow the validity rule, and a reset code works
 * once and not after it expires; every change writes its audit row and a
 * refused one writes none. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>
#include "staff_fixture.h"

#define PWHASH2	"$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$b3RoZXJvdGhlcm90aGVy"

static const struct store_session_limits lim = { 1800, 43200, 60 };
static const struct store_audit	 au = { T0, "alice", "test_action", "name=x" };

static int64_t
audits(void)
{
	return sql_int("SELECT count(*) FROM audit WHERE action = 'test_action'");
}

static void
session(int64_t id, unsigned char h[32], int64_t at)
{
	struct store_audit a = { at, "x", "login", NULL };

	randombytes_buf(h, 32);
	ck_assert_int_eq(store_staff_session_add(st, h, id, &a), STORE_OK);
}

START_TEST(test_last_admin)
{
	staff_add("alice", "admin");
	staff_add("bob", "analyst");
	ck_assert_int_eq(store_staff_set_role(st, "alice", "analyst", &au), STORE_INVALID);
	ck_assert_int_eq(store_staff_set_disabled(st, "alice", 1, &au), STORE_INVALID);
	ck_assert_int_eq(store_staff_set_role(st, "nobody", "admin", &au), STORE_NOTFOUND);
	ck_assert_int_eq(store_staff_set_role(st, "bob", "wizard", &au), STORE_INVALID);
	ck_assert_int_eq(audits(), 0);
	ck_assert_int_eq(store_staff_set_role(st, "bob", "admin", &au), STORE_OK);
	ck_assert_int_eq(store_staff_set_role(st, "alice", "facilitator", &au), STORE_OK);
	ck_assert_int_eq(store_staff_set_disabled(st, "bob", 1, &au), STORE_INVALID);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM staff WHERE role = 'admin' AND disabled = 0"), 1);
	ck_assert_int_eq(audits(), 2);
	/* A disabled admin does not count: re-enabling one lets the other go. */
	ck_assert_int_eq(store_staff_set_role(st, "alice", "admin", &au), STORE_OK);
	ck_assert_int_eq(store_staff_set_disabled(st, "alice", 1, &au), STORE_OK);
	ck_assert_int_eq(store_staff_set_disabled(st, "bob", 1, &au), STORE_INVALID);
	ck_assert_int_eq(store_staff_set_disabled(st, "alice", 0, &au), STORE_OK);
	ck_assert_int_eq(store_staff_set_disabled(st, "bob", 1, &au), STORE_OK);
}
END_TEST

START_TEST(test_disable_ends_sessions_and_codes)
{
	unsigned char h[32], code[32];
	int64_t bob = staff_add("bob", "analyst");

	staff_add("alice", "admin");
	session(bob, h, T0);
	randombytes_buf(code, sizeof code);
	ck_assert_int_eq(store_staff_reset_add(st, bob, code, T0 + 100, PWHASH2, &au), STORE_OK);
	ck_assert_int_eq(store_staff_set_disabled(st, "bob", 1, &au), STORE_OK);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM staff_session"), 0);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM staff_reset"), 0);
}
END_TEST

static int
count_row(void *ctx, const struct store_session *s)
{
	(void)s;
	++*(int *)ctx;
	return 0;
}

START_TEST(test_password_and_sessions)
{
	unsigned char a[32], b[32], c[32];
	int64_t bob = staff_add("bob", "analyst"), n = 0, ended = 0;
	struct store_staff s;
	int rows = 0;

	session(bob, a, T0);
	session(bob, b, T0 + 10);
	session(bob, c, T0 - 43200);	/* past the absolute limit */
	ck_assert_int_eq(store_staff_session_count(st, bob, T0 + 20, &lim, &n), STORE_OK);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(store_staff_sessions(st, bob, T0 + 20, &lim, count_row, &rows), STORE_OK);
	ck_assert_int_eq(rows, 2);
	ck_assert_int_eq(store_staff_set_password(st, bob, PWHASH2, b, &au, &ended), STORE_OK);
	ck_assert_int_eq(ended, 2);	/* a and the expired c */
	ck_assert_int_eq(store_staff_find(st, "bob", &s), STORE_OK);
	ck_assert_str_eq(s.pwhash, PWHASH2);
	ck_assert_int_eq(store_staff_session_get(st, b, T0 + 20, &lim, &s), STORE_OK);
	ck_assert_int_eq(store_staff_session_get(st, a, T0 + 20, &lim, &s), STORE_NOTFOUND);
	ck_assert_int_eq(store_staff_sessions_end(st, bob, &au, &ended), STORE_OK);
	ck_assert_int_eq(ended, 1);
	ck_assert_int_eq(store_staff_sessions_end(st, bob, &au, &ended), STORE_OK);
	ck_assert_int_eq(ended, 0);
	ck_assert_int_eq(audits(), 3);
}
END_TEST

START_TEST(test_reset_once_and_expiry)
{
	unsigned char h[32], code[32], code2[32];
	int64_t bob = staff_add("bob", "analyst");
	struct store_staff s;

	session(bob, h, T0);
	randombytes_buf(code, sizeof code);
	randombytes_buf(code2, sizeof code2);
	ck_assert_int_eq(store_staff_reset_add(st, bob, code, T0 + 100, PWHASH2, &au), STORE_OK);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM staff_session"), 0);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM staff WHERE pwhash = '" PWHASH "'"), 0);
	ck_assert_int_eq(store_staff_reset_find(st, code, T0 + 100, &s), STORE_NOTFOUND);
	ck_assert_int_eq(store_staff_reset_find(st, code2, T0, &s), STORE_NOTFOUND);
	ck_assert_int_eq(store_staff_reset_find(st, code, T0 + 99, &s), STORE_OK);
	ck_assert_int_eq(s.id, bob);
	ck_assert_str_eq(s.name, "bob");
	ck_assert_int_eq(store_staff_reset_use(st, code, T0 + 100, bob, PWHASH, &au), STORE_NOTFOUND);
	ck_assert_int_eq(store_staff_reset_use(st, code, T0 + 99, bob + 1, PWHASH, &au), STORE_NOTFOUND);
	ck_assert_int_eq(store_staff_reset_use(st, code, T0 + 99, bob, PWHASH, &au), STORE_OK);
	ck_assert_int_eq(store_staff_reset_use(st, code, T0 + 99, bob, PWHASH, &au), STORE_NOTFOUND);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM staff WHERE pwhash = '" PWHASH "'"), 1);
	/* A new code replaces an old one. */
	ck_assert_int_eq(store_staff_reset_add(st, bob, code, T0 + 100, PWHASH2, &au), STORE_OK);
	ck_assert_int_eq(store_staff_reset_add(st, bob, code2, T0 + 100, PWHASH2, &au), STORE_OK);
	ck_assert_int_eq(store_staff_reset_find(st, code, T0, &s), STORE_NOTFOUND);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM staff_reset"), 1);
	ck_assert_int_eq(audits(), 4);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("store_staff_acct");
	TCase	*tc = tcase_create("store_staff_acct");

	tcase_add_checked_fixture(tc, staff_setup, staff_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_last_admin);
	tcase_add_test(tc, test_disable_ends_sessions_and_codes);
	tcase_add_test(tc, test_password_and_sessions);
	tcase_add_test(tc, test_reset_once_and_expiry);
	suite_add_tcase(s, tc);
	return unit_run(s, CK_FORK);
}
