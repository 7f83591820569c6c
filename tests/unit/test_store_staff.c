/* Tests for store_staff.c: accounts, sessions with injected times, the
 * audit rows that go with every change, and login throttling windows. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>
#include "staff_fixture.h"


static const struct store_session_limits lim = { 1800, 43200, 60 };
static const struct store_throttle_rule rule = { 5, 900, 900 };

static struct store_audit
au(int64_t now, const char *who, const char *action, const char *detail)
{
	struct store_audit a = { now, who, action, detail };
	return a;
}

START_TEST(test_add_find)
{
	struct store_staff s;
	struct store_audit a = au(T0, "cli", "user_created", NULL);

	staff_add("alice", "admin");
	ck_assert_int_eq(store_staff_find(st, "alice", &s), STORE_OK);
	ck_assert_str_eq(s.name, "alice");
	ck_assert_str_eq(s.role, "admin");
	ck_assert_str_eq(s.pwhash, PWHASH);
	ck_assert_int_eq(strlen(s.created_day), 10);
	ck_assert_int_eq(s.disabled, 0);
	ck_assert_int_eq(store_staff_find(st, "bob", &s), STORE_NOTFOUND);
	ck_assert_int_eq(s.id, 0);
	ck_assert_int_eq(store_staff_add(st, "alice", "analyst", PWHASH, &a, NULL),
	    STORE_DUPLICATE);
	ck_assert_int_eq(store_staff_add(st, "carol", "wizard", PWHASH, &a, NULL), STORE_INVALID);
	ck_assert_int_eq(store_staff_add(st, "", "admin", PWHASH, &a, NULL), STORE_INVALID);
	/* one audit row for the one account added; none for the refused ones */
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit"), 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM staff"), 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit WHERE at = '2026-01-01T00:00:00Z'"
	    " AND staff = 'cli' AND action = 'user_created' AND detail = 'alice'"), 1);
}
END_TEST

static int
collect(void *ctx, const struct store_staff *s)
{
	char *out = ctx;

	strcat(out, s->name);
	strcat(out, s->disabled ? "- " : "+ ");
	return 0;
}

START_TEST(test_list_disable)
{
	struct store_audit a = au(T0 + 5, "alice", "user_disabled", "name=bob");
	char names[128] = "";

	staff_add("carol", "analyst");
	staff_add("alice", "admin");
	staff_add("bob", "facilitator");
	ck_assert_int_eq(store_staff_disable(st, "bob", &a), STORE_OK);
	ck_assert_int_eq(store_staff_disable(st, "nobody", &a), STORE_NOTFOUND);
	ck_assert_int_eq(store_staff_list(st, collect, names), STORE_OK);
	ck_assert_str_eq(names, "alice+ bob- carol+ ");
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'user_disabled'"), 1);
}
END_TEST

START_TEST(test_session_lifetime)
{
	unsigned char h[32], other[32];
	struct store_staff s;
	struct store_audit a = au(T0, "alice", "login", NULL);
	int64_t id = staff_add("alice", "admin");

	memset(h, 7, sizeof h);
	memset(other, 8, sizeof other);
	ck_assert_int_eq(store_staff_session_add(st, h, id, &a), STORE_OK);
	ck_assert_int_eq(store_staff_session_get(st, h, T0 + 10, &lim, &s), STORE_OK);
	ck_assert_str_eq(s.name, "alice");
	ck_assert_str_eq(s.pwhash, "");		/* a session lookup never carries the hash */
	ck_assert_int_eq(store_staff_session_get(st, other, T0 + 10, &lim, &s), STORE_NOTFOUND);
	/* last_seen moves only once a minute has passed */
	ck_assert_int_eq(sql_int("SELECT last_seen FROM staff_session"), T0);
	ck_assert_int_eq(store_staff_session_get(st, h, T0 + 59, &lim, &s), STORE_OK);
	ck_assert_int_eq(sql_int("SELECT last_seen FROM staff_session"), T0);
	ck_assert_int_eq(store_staff_session_get(st, h, T0 + 60, &lim, &s), STORE_OK);
	ck_assert_int_eq(sql_int("SELECT last_seen FROM staff_session"), T0 + 60);
	/* idle: 30 minutes after the last request it is gone, and deleted */
	ck_assert_int_eq(store_staff_session_get(st, h, T0 + 60 + 1799, &lim, &s), STORE_OK);
	ck_assert_int_eq(store_staff_session_get(st, h, T0 + 60 + 1799 + 1800, &lim, &s),
	    STORE_NOTFOUND);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM staff_session"), 0);
}
END_TEST

START_TEST(test_session_absolute)
{
	unsigned char h[32];
	struct store_staff s;
	struct store_audit a = au(T0, "alice", "login", NULL);
	int64_t id = staff_add("alice", "admin"), t;

	memset(h, 1, sizeof h);
	ck_assert_int_eq(store_staff_session_add(st, h, id, &a), STORE_OK);
	for (t = T0 + 1000; t < T0 + 43200; t += 1000)	/* busy all day */
		ck_assert_int_eq(store_staff_session_get(st, h, t, &lim, &s), STORE_OK);
	ck_assert_int_eq(store_staff_session_get(st, h, T0 + 43200, &lim, &s), STORE_NOTFOUND);
}
END_TEST

START_TEST(test_session_del_disable_purge)
{
	unsigned char h1[32], h2[32], h3[32];
	struct store_staff s;
	struct store_audit a = au(T0, "alice", "login", NULL);
	int64_t alice = staff_add("alice", "admin"), bob = staff_add("bob", "facilitator"), n;

	memset(h1, 1, 32), memset(h2, 2, 32), memset(h3, 3, 32);
	ck_assert_int_eq(store_staff_session_add(st, h1, alice, &a), STORE_OK);
	ck_assert_int_eq(store_staff_session_add(st, h2, bob, &a), STORE_OK);
	ck_assert_int_eq(store_staff_session_add(st, h1, bob, &a), STORE_DUPLICATE);
	a = au(T0 + 1, "alice", "logout", NULL);
	ck_assert_int_eq(store_staff_session_del(st, h1, &a), STORE_OK);
	ck_assert_int_eq(store_staff_session_del(st, h1, &a), STORE_NOTFOUND);
	ck_assert_int_eq(store_staff_session_get(st, h1, T0 + 2, &lim, &s), STORE_NOTFOUND);
	/* disabling ends the account's sessions */
	a = au(T0 + 2, "alice", "user_disabled", "name=bob");
	ck_assert_int_eq(store_staff_disable(st, "bob", &a), STORE_OK);
	ck_assert_int_eq(store_staff_session_get(st, h2, T0 + 3, &lim, &s), STORE_NOTFOUND);
	/* purge drops only the expired */
	a = au(T0, "alice", "login", NULL);
	ck_assert_int_eq(store_staff_session_add(st, h3, alice, &a), STORE_OK);
	a = au(T0 + 3000, "alice", "login", NULL);
	ck_assert_int_eq(store_staff_session_add(st, h1, alice, &a), STORE_OK);
	ck_assert_int_eq(store_staff_session_purge(st, T0 + 3000, &lim, &n), STORE_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(store_staff_session_get(st, h1, T0 + 3001, &lim, &s), STORE_OK);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'logout'"), 1);
}
END_TEST

/* A failed login for key k (n bytes) at time at; whether k is now locked. */
static int
failed_login(const unsigned char *k, size_t n, int64_t at)
{
	int locked = -1;

	ck_assert_int_eq(store_staff_throttle_fail(st, k, n, at, &rule, &locked), STORE_OK);
	return locked;
}

/* Whether key k (n bytes) is locked at time at; until when in *until. */
static int
locked_at(const unsigned char *k, size_t n, int64_t at, int64_t *until)
{
	int locked = -1;

	ck_assert_int_eq(store_staff_throttle_check(st, k, n, at, &rule, &locked, until),
	    STORE_OK);
	return locked;
}

START_TEST(test_throttle)
{
	const unsigned char k[] = "name-key", other[] = "other";
	int i;
	int64_t until;

	for (i = 1; i <= 4; i++)
		ck_assert_int_eq(failed_login(k, 8, T0 + i), 0);
	ck_assert_int_eq(locked_at(k, 8, T0 + 5, &until), 0);
	ck_assert_int_eq(failed_login(k, 8, T0 + 10), 1);
	ck_assert_int_eq(locked_at(k, 8, T0 + 11, &until), 1);
	ck_assert_int_eq(until, T0 + 10 + 900);
	ck_assert_int_eq(locked_at(other, 5, T0 + 11, &until), 0);
	/* the lock ends; the next failure starts a new window */
	ck_assert_int_eq(locked_at(k, 8, T0 + 910, &until), 0);
	ck_assert_int_eq(failed_login(k, 8, T0 + 911), 0);
	ck_assert_int_eq(sql_int("SELECT failures FROM login_throttle"), 1);
	ck_assert_int_eq(store_staff_throttle_clear(st, k, 8), STORE_OK);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM login_throttle"), 0);
}
END_TEST

START_TEST(test_throttle_purge)
{
	const unsigned char a[] = "a", b[] = "b";
	int locked = 0, i;
	int64_t until;

	/* a: locked until T0 + 4 + 900; b: one failure, its window ends at T0 + 900 */
	for (i = 0; i < 5; i++)
		locked = failed_login(a, 1, T0 + i);
	ck_assert_int_eq(locked, 1);
	failed_login(b, 1, T0);
	ck_assert_int_eq(store_staff_throttle_purge(st, T0 + 899), STORE_OK);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM login_throttle"), 2);
	ck_assert_int_eq(store_staff_throttle_purge(st, T0 + 900), STORE_OK);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM login_throttle"), 1);
	ck_assert_int_eq(locked_at(a, 1, T0 + 900, &until), 1);
	ck_assert_int_eq(store_staff_throttle_purge(st, T0 + 904), STORE_OK);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM login_throttle"), 0);
}
END_TEST

START_TEST(test_throttle_window)
{
	const unsigned char k[] = "k";
	int i;

	/* four failures, then the window ends: the count starts again */
	for (i = 0; i < 4; i++)
		failed_login(k, 1, T0 + i);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(failed_login(k, 1, T0 + 900 + i), 0);
	ck_assert_int_eq(failed_login(k, 1, T0 + 1000), 1);
}
END_TEST

START_TEST(test_audit_alone)
{
	struct store_audit a = au(T0, "-", "login_failed", NULL);

	ck_assert_int_eq(store_staff_audit(st, &a), STORE_OK);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit WHERE detail IS NULL"), 1);
	a.action = NULL;
	ck_assert_int_eq(store_staff_audit(st, &a), STORE_INVALID);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("store_staff");
	TCase	*tc = tcase_create("store_staff");

	tcase_add_checked_fixture(tc, staff_setup, staff_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_add_find);
	tcase_add_test(tc, test_list_disable);
	tcase_add_test(tc, test_session_lifetime);
	tcase_add_test(tc, test_session_absolute);
	tcase_add_test(tc, test_session_del_disable_purge);
	tcase_add_test(tc, test_throttle);
	tcase_add_test(tc, test_throttle_window);
	tcase_add_test(tc, test_throttle_purge);
	tcase_add_test(tc, test_audit_alone);
	suite_add_tcase(s, tc);
	return unit_run(s, CK_FORK);
}
