/* Tests for cgi/staff.c: password rules and hashing, names, generated
 * passwords, and sign-in through a real store: cookie, session lookup,
 * logout, disabled accounts, the lock after five failures, no lock for
 * everyone after many failures with many names, and a known browser that
 * still gets in while its name is locked.  On both engines: the database is
 * store_target's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>
#include "staff.h"
#include "store.h"
#include "store_target.h"
#include "unit.h"

static char		 dir[64], path[128];
static struct config	 cfg;
static struct app	 app;
static struct arena	*A;

static void
setup(void)
{
	const char *target;

	unit_db_dir(dir, sizeof dir, path, sizeof path);
	config_defaults(&cfg);
	free(cfg.database);
	ck_assert_ptr_nonnull(target = store_target_app(path));
	ck_assert_ptr_nonnull(cfg.database = strdup(target));
	memset(&app, 0, sizeof app);
	app.cfg = &cfg;
	app.writer_fd = -1;
	randombytes_buf(app.secret, sizeof app.secret);
	ck_assert_ptr_nonnull(A = arena_new(4096));
}

static void
teardown(void)
{
	store_close(app.store);
	config_free(&cfg);
	arena_free(A);
	unit_rmdir(dir);
}

START_TEST(test_password_length)
{
	char pw[600];

	ck_assert_int_eq(staff_password_ok("elevenchars"), STAFF_PASSWORD_SHORT);
	ck_assert_int_eq(staff_password_ok("twelve chars"), STAFF_OK);
	ck_assert_int_eq(staff_password_ok(""), STAFF_PASSWORD_SHORT);
	ck_assert_int_eq(staff_password_ok(NULL), STAFF_PASSWORD_SHORT);
	/* code points, not bytes: 11 two-byte letters are too few, 12 are fine */
	ck_assert_int_eq(staff_password_ok("ééééééééééé"), STAFF_PASSWORD_SHORT);
	ck_assert_int_eq(staff_password_ok("éééééééééééé"), STAFF_OK);
	memset(pw, 'a', 128), pw[128] = '\0';
	ck_assert_int_eq(staff_password_ok(pw), STAFF_OK);
	memset(pw, 'a', 129), pw[129] = '\0';
	ck_assert_int_eq(staff_password_ok(pw), STAFF_PASSWORD_LONG);
	for (int i = 0; i < 128; i++)		/* 128 four-byte code points */
		memcpy(pw + 4 * i, "\xf0\x9f\x98\x80", 4);
	pw[512] = '\0';
	ck_assert_int_eq(staff_password_ok(pw), STAFF_OK);
	ck_assert_int_eq(staff_password_ok("abcdefghijk\xff"), STAFF_PASSWORD_LONG);
	ck_assert_int_eq(staff_password_ok("no rules at all, just long"), STAFF_OK);
}
END_TEST

START_TEST(test_password_hash)
{
	char h[128];

	ck_assert_int_eq(staff_password_hash("correct horse battery", h), STAFF_OK);
	ck_assert_int_eq(strncmp(h, "$argon2id$", 10), 0);
	ck_assert_int_eq(staff_password_verify(h, "correct horse battery"), 1);
	ck_assert_int_eq(staff_password_verify(h, "correct horse batterY"), 0);
	ck_assert_int_eq(staff_password_verify(h, ""), 0);
	ck_assert_int_eq(staff_password_hash("too short", h), STAFF_PASSWORD_SHORT);
}
END_TEST

START_TEST(test_generate_names_roles)
{
	char a[STAFF_GENERATED_LEN + 1], b[STAFF_GENERATED_LEN + 1];

	staff_password_generate(a);
	staff_password_generate(b);
	ck_assert_int_eq(strlen(a), STAFF_GENERATED_LEN);
	ck_assert_int_ge(STAFF_GENERATED_LEN, 16);
	ck_assert_str_ne(a, b);
	ck_assert_ptr_null(strpbrk(a, "0O1lI"));
	ck_assert_int_eq(staff_password_ok(a), STAFF_OK);
	ck_assert_int_eq(staff_name_ok("j.smith-2_x"), 1);
	ck_assert_int_eq(staff_name_ok("J.Smith"), 0);
	ck_assert_int_eq(staff_name_ok(""), 0);
	ck_assert_int_eq(staff_name_ok("a b"), 0);
	ck_assert_int_eq(staff_name_ok("ü"), 0);
	ck_assert_int_eq(staff_role_from_name("admin"), ROLE_ADMIN);
	ck_assert_int_eq(staff_role_from_name("facilitator"), ROLE_FACILITATOR);
	ck_assert_int_eq(staff_role_from_name("root"), ROLE__MAX);
	ck_assert_int_eq(staff_role_from_name(NULL), ROLE__MAX);
}
END_TEST

/* A fresh request context carrying the session cookie and the known-browser
 * cookie (either may be NULL). */
static void
request2(struct ctx *c, struct req *rq, struct resp *rs, const char *cookie, const char *known)
{
	static struct kv kv[2];

	memset(c, 0, sizeof *c);
	memset(rq, 0, sizeof *rq);
	memset(rs, 0, sizeof *rs);
	c->app = &app;
	c->req = rq;
	c->resp = rs;
	c->a = rq->a = A;
	rq->cookies.v = kv;
	if (cookie != NULL) {
		kv[rq->cookies.n].name = STAFF_COOKIE;
		kv[rq->cookies.n].value = cookie;
		kv[rq->cookies.n++].vlen = strlen(cookie);
	}
	if (known != NULL) {
		kv[rq->cookies.n].name = STAFF_KNOWN_COOKIE;
		kv[rq->cookies.n].value = known;
		kv[rq->cookies.n++].vlen = strlen(known);
	}
}

/* A fresh request context carrying cookie (may be NULL). */
static void
request(struct ctx *c, struct req *rq, struct resp *rs, const char *cookie)
{
	request2(c, rq, rs, cookie, NULL);
}

/* The known-browser cookie set on rs (checking its attributes), or NULL. */
static const char *
known_of(const struct resp *rs)
{
	for (size_t i = 0; i < rs->nheaders; i++) {
		const char *h = rs->headers[i], *v;
		if (strncmp(h, "Set-Cookie: " STAFF_KNOWN_COOKIE "=", 15) != 0)
			continue;
		v = h + 15;
		ck_assert_ptr_nonnull(strstr(h, "HttpOnly"));
		ck_assert_ptr_nonnull(strstr(h, "Path=/staff/login;"));
		return arena_strndup(A, v, strcspn(v, ";"));
	}
	return NULL;
}

/* The session token from the Set-Cookie header of rs, in the arena. */
static const char *
cookie_of(const struct resp *rs)
{
	for (size_t i = 0; i < rs->nheaders; i++) {
		const char *h = rs->headers[i], *v;
		if (strncmp(h, "Set-Cookie: vs=", 15) != 0)
			continue;
		v = h + 15;
		ck_assert_ptr_nonnull(strstr(h, "HttpOnly"));
		ck_assert_ptr_nonnull(strstr(h, "SameSite=Strict"));
		ck_assert_ptr_nonnull(strstr(h, "Path=/"));
		return arena_strndup(A, v, strcspn(v, ";"));
	}
	return NULL;
}

static double
seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Adds the account name with role and password pw, as the command line
 * does. */
static void
account(const char *name, enum staff_role role, const char *pw)
{
	ck_assert_int_eq(staff_add(&app, "cli", name, role, pw), STAFF_OK);
}

START_TEST(test_login_session_logout)
{
	struct ctx c;
	struct req rq;
	struct resp rs;
	const char *tok;

	account("alice", ROLE_ADMIN, "a long pass phrase");
	ck_assert_int_eq(staff_add(&app, "cli", "alice", ROLE_ANALYST, "a long pass phrase"),
	    STAFF_NAME_TAKEN);
	request(&c, &rq, &rs, NULL);
	ck_assert_int_eq(staff_login(&c, "alice", "wrong pass phrase"), STAFF_BAD_LOGIN);
	ck_assert_int_eq(staff_login(&c, "nobody", "a long pass phrase"), STAFF_BAD_LOGIN);
	ck_assert_int_eq(rs.nheaders, 0);
	ck_assert_int_eq(staff_login(&c, "alice", "a long pass phrase"), STAFF_OK);
	ck_assert_ptr_nonnull(tok = cookie_of(&rs));
	ck_assert_int_eq(strlen(tok), 64);

	request(&c, &rq, &rs, tok);
	ck_assert_ptr_nonnull(staff_current(&c));
	ck_assert_str_eq(c.staff->name, "alice");
	ck_assert_int_eq(c.staff->role, ROLE_ADMIN);
	request(&c, &rq, &rs, "00");
	ck_assert_ptr_null(staff_current(&c));

	request(&c, &rq, &rs, tok);
	ck_assert_ptr_nonnull(staff_current(&c));
	ck_assert_int_eq(staff_logout(&c), STAFF_OK);
	ck_assert_ptr_nonnull(strstr(rs.headers[0], "vs=; Path=/; Max-Age=0"));
	request(&c, &rq, &rs, tok);
	ck_assert_ptr_null(staff_current(&c));
}
END_TEST

START_TEST(test_disabled_and_lock)
{
	struct ctx c;
	struct req rq;
	struct resp rs;
	const char *tok;
	double t0, slow, fast;

	account("bob", ROLE_FACILITATOR, "bob's pass phrase");
	request(&c, &rq, &rs, NULL);
	ck_assert_int_eq(staff_login(&c, "bob", "bob's pass phrase"), STAFF_OK);
	tok = cookie_of(&rs);
	ck_assert_int_eq(staff_disable(&app, "cli", "bob"), STAFF_OK);
	request(&c, &rq, &rs, tok);
	ck_assert_ptr_null(staff_current(&c));
	ck_assert_int_eq(staff_login(&c, "bob", "bob's pass phrase"), STAFF_BAD_LOGIN);

	account("carol", ROLE_ANALYST, "carol's pass phrase");
	t0 = seconds();
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(staff_login(&c, "carol", "guess"), STAFF_BAD_LOGIN);
	slow = (seconds() - t0) / 4;
	ck_assert_int_eq(staff_login(&c, "carol", "guess"), STAFF_LOCKED);
	t0 = seconds();
	ck_assert_int_eq(staff_login(&c, "carol", "carol's pass phrase"), STAFF_LOCKED);
	fast = seconds() - t0;
	ck_assert_msg(fast < slow / 2, "a locked sign-in hashed a password (%.3f s vs %.3f s)",
	    fast, slow);
	/* another name is not locked */
	ck_assert_int_eq(staff_login(&c, "alice", "guess"), STAFF_BAD_LOGIN);
}
END_TEST

START_TEST(test_no_lock_for_everyone)
{
	char name[32], pw[200];
	struct ctx c;
	struct req rq;
	struct resp rs;

	account("dave", ROLE_ANALYST, "dave's pass phrase");
	/* An over-long password fails without hashing, so 300 failures are quick;
	 * every one is counted against its name like any other. */
	memset(pw, 'x', sizeof pw - 1);
	pw[sizeof pw - 1] = '\0';
	request(&c, &rq, &rs, NULL);
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof name, "guess-%d", i);
		ck_assert_int_eq(staff_login(&c, name, pw), STAFF_BAD_LOGIN);
	}
	ck_assert_int_eq(staff_login(&c, "dave", "dave's pass phrase"), STAFF_OK);
}
END_TEST

START_TEST(test_known_browser)
{
	static const char forged[] =
	    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
	struct ctx c;
	struct req rq;
	struct resp rs;
	const char *known, *again;

	account("erin", ROLE_ADMIN, "erin's pass phrase");
	account("fay", ROLE_ADMIN, "fay's pass phrase");
	request(&c, &rq, &rs, NULL);
	ck_assert_int_eq(staff_login(&c, "erin", "erin's pass phrase"), STAFF_OK);
	ck_assert_ptr_nonnull(known = known_of(&rs));
	ck_assert_int_eq(strlen(known), 64);

	/* someone else fails five times with erin's name: the name is locked */
	request(&c, &rq, &rs, NULL);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(staff_login(&c, "erin", "guessing away"), STAFF_BAD_LOGIN);
	ck_assert_int_eq(staff_login(&c, "erin", "guessing away"), STAFF_LOCKED);
	ck_assert_int_eq(staff_login(&c, "erin", "erin's pass phrase"), STAFF_LOCKED);
	request2(&c, &rq, &rs, NULL, forged);
	ck_assert_int_eq(staff_login(&c, "erin", "erin's pass phrase"), STAFF_LOCKED);

	/* erin's own browser still gets in, and is not given a new cookie */
	request2(&c, &rq, &rs, NULL, known);
	ck_assert_int_eq(staff_login(&c, "erin", "erin's pass phrase"), STAFF_OK);
	ck_assert_ptr_nonnull(cookie_of(&rs));
	ck_assert_ptr_null(known_of(&rs));

	/* the cookie is for erin's name only: with fay's it counts as unknown */
	request2(&c, &rq, &rs, NULL, known);
	ck_assert_int_eq(staff_login(&c, "fay", "fay's pass phrase"), STAFF_OK);
	ck_assert_ptr_nonnull(again = known_of(&rs));
	ck_assert_str_ne(again, known);

	/* the known browser has five tries of its own, then it is locked too */
	request2(&c, &rq, &rs, NULL, known);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(staff_login(&c, "erin", "a wrong guess"), STAFF_BAD_LOGIN);
	ck_assert_int_eq(staff_login(&c, "erin", "a wrong guess"), STAFF_LOCKED);
	ck_assert_int_eq(staff_login(&c, "erin", "erin's pass phrase"), STAFF_LOCKED);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("staff");
	TCase	*tc = tcase_create("staff");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_password_length);
	tcase_add_test(tc, test_password_hash);
	tcase_add_test(tc, test_generate_names_roles);
	tcase_add_test(tc, test_login_session_logout);
	tcase_add_test(tc, test_disabled_and_lock);
	tcase_add_test(tc, test_no_lock_for_everyone);
	tcase_add_test(tc, test_known_browser);
	suite_add_tcase(s, tc);
	return unit_run(s, CK_FORK_GETENV);
}
