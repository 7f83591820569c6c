/* Tests for store_audit.c: the chain as written, verified, and tampered with
 * through a second connection that drops the triggers first (as an
 * administrator with sqlite3 could); concurrent writers; the page's list. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sodium.h>
#include "staff_fixture.h"



static void
append(struct store *s, int64_t now, const char *who, const char *action, const char *detail)
{
	struct store_audit a = { now, who, action, detail };

	ck_assert_int_eq(store_staff_audit(s, &a), STORE_OK);
}

/* Five entries, one of them with an account change. */
static void
five(void)
{
	struct store_audit a = { T0 + 2, "cli", "user_created", "name=bob" };

	append(st, T0, "alice", "login", NULL);
	append(st, T0 + 1, "alice", "poll_start", "session=1");
	ck_assert_int_eq(store_staff_add(st, "bob", "analyst", "x", &a, NULL), STORE_OK);
	append(st, 86400 + T0, "bob", "download", "survey=s format=csv");
	append(st, 86400 + T0 + 5, "bob", "logout", NULL);
}

/* Runs SQL as the attacker: another connection, triggers dropped. */
static int
attack_with(int drop, const char *sql)
{
	struct db *db;
	int rc = DB_OK;

	ck_assert_int_eq(db_open(store_target(unit_db), 0, &db), DB_OK);
	if (drop)
		rc = db_exec(db, DB_SQL2("DROP TRIGGER audit_append_only_update;"
		    " DROP TRIGGER audit_append_only_delete;",
		    "DROP TRIGGER audit_append_only ON audit;"));
	if (rc == DB_OK)
		rc = db_exec(db, sql);
	db_close(db);
	return rc & 0xff;
}

#define attack(sql)	attack_with(0, sql)
#define DROP		1,
/* A blob literal of the engine, from hex digits. */
#define BLOB_LIT	(store_target_pg() ? "'\\x%s'::bytea" : "x'%s'")

static struct store_audit_verify
verify(void)
{
	struct store_audit_verify v;

	memset(&v, 0, sizeof v);
	ck_assert_int_eq(store_audit_verify(st, &v), STORE_OK);
	return v;
}

/* Verifies the chain against the head recorded as want_id (0: by its hash
 * alone) with the hash head, and finds why; the verdict. */
static struct store_audit_verify
verify_head(int64_t want_id, const unsigned char *head, enum store_audit_break why)
{
	struct store_audit_verify w;

	memset(&w, 0, sizeof w);
	w.have_want = 1;
	w.want_id = want_id;
	memcpy(w.want, head, sizeof w.want);
	ck_assert_int_eq(store_audit_verify(st, &w), STORE_OK);
	ck_assert_int_eq(w.why, why);
	return w;
}

START_TEST(test_intact)
{
	struct store_audit_verify v;
	unsigned char head[STORE_AUDIT_HASH_BYTES], zero[STORE_AUDIT_HASH_BYTES] = { 0 }, h[32];
	int64_t id;

	v = verify();
	ck_assert_int_eq(v.why, STORE_AUDIT_INTACT);
	ck_assert_int_eq(v.entries, 0);
	five();
	v = verify();
	ck_assert_int_eq(v.why, STORE_AUDIT_INTACT);
	ck_assert_int_eq(v.entries, 5);
	ck_assert_int_eq(v.last_id, 5);
	ck_assert_int_eq(store_audit_last(st->db, &id, head), STORE_OK);
	ck_assert_int_eq(id, 5);
	ck_assert_mem_eq(head, v.head, sizeof head);
	/* length-prefixed fields: moving a byte from one field to the next
	 * changes the hash, and so does NULL against "" */
	store_audit_hash(zero, 1, "t", "ab", "c", NULL, head);
	store_audit_hash(zero, 1, "t", "a", "bc", NULL, h);
	ck_assert_mem_ne(head, h, sizeof h);
	store_audit_hash(zero, 1, "t", "ab", "c", "", h);
	ck_assert_mem_ne(head, h, sizeof h);
}
END_TEST

START_TEST(test_append_only)
{
	five();
	ck_assert_int_eq(attack("UPDATE audit SET detail = 'x' WHERE id = 2"), DB_CONSTRAINT);
	ck_assert_int_eq(attack("DELETE FROM audit WHERE id = 5"), DB_CONSTRAINT);
	ck_assert_int_eq(attack("INSERT INTO audit (at, staff, action) VALUES ('t', 'x', 'y')"),
	    DB_CONSTRAINT);
	ck_assert_int_eq(verify().why, STORE_AUDIT_INTACT);
}
END_TEST

/* The attacker runs sql with the triggers dropped; the chain is then found
 * broken for the reason why at entry bad_id. */
static void
tampered(const char *sql, enum store_audit_break why, int64_t bad_id)
{
	struct store_audit_verify v;

	ck_assert_int_eq(attack_with(DROP sql), DB_OK);
	v = verify();
	ck_assert_int_eq(v.why, why);
	ck_assert_int_eq(v.bad_id, bad_id);
}

START_TEST(test_tamper_field)
{
	five();
	tampered("UPDATE audit SET detail = 'survey=t format=csv' WHERE id = 4",
	    STORE_AUDIT_HASH, 4);
}
END_TEST

START_TEST(test_tamper_rehashed)
{
	unsigned char prev[32], h[32];
	char sql[512], hex[65], lit[96];
	struct db_stmt *q;

	five();
	/* the attacker changes entry 2 and gives it the right hash: entry 3 no
	 * longer follows it */
	ck_assert_int_eq(db_prepare(st->db, "SELECT prev FROM audit WHERE id = 2", 0, &q), DB_OK);
	ck_assert_int_eq(db_step(q), DB_ROW);
	memcpy(prev, db_column_blob(q, 0), 32);
	db_finalize(q);
	store_audit_hash(prev, 2, "2026-01-01T00:00:01Z", "alice", "poll_start", "session=9", h);
	sodium_bin2hex(hex, sizeof hex, h, 32);
	snprintf(lit, sizeof lit, BLOB_LIT, hex);
	snprintf(sql, sizeof sql, "UPDATE audit SET detail = 'session=9', hash = %s WHERE id = 2",
	    lit);
	tampered(sql, STORE_AUDIT_PREV, 3);
}
END_TEST

START_TEST(test_delete_middle)
{
	five();
	tampered("DELETE FROM audit WHERE id = 3", STORE_AUDIT_GAP, 4);
}
END_TEST

START_TEST(test_delete_last)
{
	struct store_audit_verify v;

	five();
	v = verify();
	ck_assert_int_eq(attack_with(DROP "DELETE FROM audit WHERE id >= 4"), DB_OK);
	/* the chain that is left is whole: only the head recorded before says */
	ck_assert_int_eq(verify().why, STORE_AUDIT_INTACT);
	ck_assert_int_eq(verify_head(5, v.head, STORE_AUDIT_HEAD_MISSING).bad_id, 4);
	/* a head given by its hash alone */
	verify_head(0, v.head, STORE_AUDIT_HEAD_MISSING);
	/* a head whose id is there with another hash */
	append(st, T0 + 9, "x", "login", NULL);
	ck_assert_int_eq(verify_head(2, v.head, STORE_AUDIT_HEAD_DIFFERS).bad_id, 2);
}
END_TEST

START_TEST(test_head_earlier)
{
	struct store_audit_verify v;

	five();
	v = verify();
	append(st, T0 + 9, "x", "login", NULL);
	ck_assert_int_eq(verify_head(5, v.head, STORE_AUDIT_INTACT).entries, 6);
}
END_TEST

/* Two processes append at once through their own connections: one chain. */
START_TEST(test_concurrent)
{
	struct store_audit_verify v;
	pid_t pid[2];
	int status;

	append(st, T0, "a", "login", NULL);
	for (int k = 0; k < 2; k++) {
		if ((pid[k] = fork()) == 0) {
			struct store *s;

			if (store_open(store_target(unit_db), 0, &s) != STORE_OK)
				_exit(1);
			for (int i = 0; i < 40; i++) {
				struct store_audit a = { T0 + i, k ? "b" : "c", "login", NULL };
				if (store_staff_audit(s, &a) != STORE_OK)
					_exit(2);
			}
			store_close(s);
			_exit(0);
		}
		ck_assert_int_gt(pid[k], 0);
	}
	for (int k = 0; k < 2; k++) {
		ck_assert_int_eq(waitpid(pid[k], &status, 0), pid[k]);
		ck_assert_int_eq(status, 0);
	}
	v = verify();
	ck_assert_int_eq(v.why, STORE_AUDIT_INTACT);
	ck_assert_int_eq(v.entries, 81);
}
END_TEST

static int
count_row(void *ctx, const struct store_audit_row *r)
{
	int64_t *n = ctx;

	ck_assert_ptr_nonnull(r->action);
	*n = *n == 0 ? r->id : *n;	/* the first row given: the newest */
	return 0;
}

/* How many entries f lets through, listing at most limit of them; the
 * first listed goes into *first unless it is already set. */
static int64_t
listed(const struct store_audit_filter *f, int limit, int64_t *first)
{
	int64_t total;

	ck_assert_int_eq(store_audit_list(st, f, 0, limit, count_row, first, &total), STORE_OK);
	return total;
}

START_TEST(test_list)
{
	struct store_audit_filter f = { 0 };
	int64_t first = 0;

	five();
	ck_assert_int_eq(listed(&f, 2, &first), 5);
	ck_assert_int_eq(first, 5);
	f.staff = "bob";
	first = 0;
	ck_assert_int_eq(listed(&f, 50, &first), 2);
	f.staff = NULL;
	f.action = "login";
	ck_assert_int_eq(listed(&f, 50, &first), 1);
	f.action = "";
	f.from = "2026-01-02";
	f.to = "2026-01-02";
	ck_assert_int_eq(listed(&f, 50, &first), 2);
	f.from = NULL;
	f.to = "2026-01-01";
	ck_assert_int_eq(listed(&f, 50, &first), 3);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("store_audit");
	TCase	*tc = tcase_create("store_audit");

	tcase_add_checked_fixture(tc, staff_setup, staff_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_intact);
	tcase_add_test(tc, test_append_only);
	tcase_add_test(tc, test_tamper_field);
	tcase_add_test(tc, test_tamper_rehashed);
	tcase_add_test(tc, test_delete_middle);
	tcase_add_test(tc, test_delete_last);
	tcase_add_test(tc, test_head_earlier);
	tcase_add_test(tc, test_concurrent);
	tcase_add_test(tc, test_list);
	suite_add_tcase(s, tc);
	return unit_run(s, CK_FORK);
}
