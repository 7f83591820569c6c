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
#include "store_int.h"
#include "store_target.h"

#define T0	1767225600	/* 2026-01-01T00:00:00Z */
#define PWHASH	"$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"
#define PWHASH2	"$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$b3RoZXJvdGhlcm90aGVy"

static char			 dir[64], path[128];
static struct store		*st;
static const struct store_session_limits lim = { 1800, 43200, 60 };
static const struct store_audit	 au = { T0, "alice", "test_action", "name=x" };

static void
setup(void)
{
	ck_assert_int_ge(sodium_init(), 0);
	strcpy(dir, "/tmp/voices-acct-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/v.db", dir);
	ck_assert_int_eq(store_open(store_target(path), STORE_CREATE, &st), STORE_OK);
}

static void
teardown(void)
{
	char cmd[128];

	store_close(st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static int64_t
add(const char *name, const char *role)
{
	struct store_audit a = { T0, "cli", "user_created", NULL };
	int64_t id = 0;

	ck_assert_int_eq(store_staff_add(st, name, role, PWHASH, &a, &id), STORE_OK);
	return id;
}

static int64_t
sql_int(const char *q)
{
	struct db_stmt *s;
	int64_t v = -1;

	ck_assert_int_eq(db_prepare(st->db, q, 0, &s), DB_OK);
	if (db_step(s) == DB_ROW)
		v = db_column_int64(s, 0);
	db_finalize(s);
	return v;
}

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
	add("alice", "admin");
	add("bob", "analyst");
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
	int64_t bob = add("bob", "analyst");

	add("alice", "admin");
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
	int64_t bob = add("bob", "analyst"), n = 0, ended = 0;
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
	int64_t bob = add("bob", "analyst");
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
	SRunner	*sr;
	int	 failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_last_admin);
	tcase_add_test(tc, test_disable_ends_sessions_and_codes);
	tcase_add_test(tc, test_password_and_sessions);
	tcase_add_test(tc, test_reset_once_and_expiry);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
