/* Tests for a lost database connection (docs/storage.md, "When the
 * connection to the database is lost"), on PostgreSQL: the store's backend
 * terminated between two calls, inside a transaction, while its COMMIT
 * waits, and the reply to a COMMIT that was done lost on the way
 * (pg_proxy.h).  The store connects again by itself and settles a batch
 * whose outcome it did not see by the forms' nonces: each form stored
 * exactly once, confirmed or reported failed.  On SQLite only the clash of
 * random ids runs (the others need a server whose backends can be ended). */
#include <sys/wait.h>
#include "store_fixture.h"
#include "unit.h"
#include "pg_proxy.h"

/* Runs sql (no rows wanted) on a connection of its own to the store's
 * database. */
static void
side_exec(const char *sql)
{
	struct db *db = NULL;

	ck_assert_int_eq(db_open(store_target(path), 0, &db), DB_OK);
	ck_assert_int_eq(db_exec(db, sql), DB_OK);
	db_close(db);
}

static int
backend_pid(struct store *st)
{
	return sql_int(st, "SELECT pg_backend_pid()");
}

/* Terminates backend pid from another connection and waits until it is
 * gone. */
static void
terminate(int pid)
{
	char		 sql[160];
	struct db	*db = NULL;
	struct db_stmt	*q;
	int		 left = 1;

	ck_assert_int_eq(db_open(store_target(path), 0, &db), DB_OK);
	snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%d)", pid);
	ck_assert_int_eq(db_exec(db, sql), DB_OK);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM pg_stat_activity WHERE pid = %d", pid);
	ck_assert_int_eq(db_prepare(db, sql, 0, &q), DB_OK);
	for (int i = 0; i < 500 && left > 0; i++) {
		ck_assert_int_eq(db_step(q), DB_ROW);
		left = db_column_int(q, 0);
		db_reset(q);
		usleep(10000);
	}
	ck_assert_int_eq(left, 0);
	db_finalize(q);
	db_close(db);
}

/* The two results of a batch of two. */
static void
results_are(const enum store_err *r, enum store_err first, enum store_err second)
{
	ck_assert_int_eq(r[0], first);
	ck_assert_int_eq(r[1], second);
}

/* Adds the batch of two v, expecting these results and total responses
 * stored after it. */
static void
add_two(struct store *st, struct submission **v, enum store_err first, enum store_err second,
    int64_t total)
{
	enum store_err r[2];

	ck_assert_int_eq(store_responses_add(st, v, 2, r), STORE_OK);
	results_are(r, first, second);
	ck_assert_int_eq(count(st, NULL), total);
}

static int64_t
stored_once(struct store *st, unsigned char n)
{
	unsigned char	 nonce[16];
	int		 seen = 0;

	memset(nonce, n, sizeof nonce);
	ck_assert_int_eq(store_nonce_seen(st, nonce, &seen), STORE_OK);
	return seen;
}

/* Between two calls: the next call connects again and works, reads and
 * writes, on a read-write and a read-only store. */
START_TEST(test_killed_between)
{
	struct store		*st = open_rw(), *ro;
	struct submission	 a = sub_make(1, basic, NBASIC), b = sub_make(2, basic, 2);
	struct submission	*va[] = { &a }, *vb[] = { &b };
	enum store_err		 r[1];
	int			 pid = backend_pid(st);

	ck_assert_int_eq(store_responses_add(st, va, 1, r), STORE_OK);
	terminate(pid);
	ck_assert_int_eq(count(st, NULL), 1);
	ck_assert_int_ne(backend_pid(st), pid);
	ck_assert_uint_eq(db_losses(st->db), 1);
	terminate(backend_pid(st));
	ck_assert_int_eq(store_responses_add(st, vb, 1, r), STORE_OK);
	ck_assert_int_eq(r[0], STORE_OK);
	ck_assert_int_eq(count(st, NULL), 2);
	ck_assert_uint_eq(db_losses(st->db), 2);

	ck_assert_int_eq(store_open(store_target(path), STORE_RDONLY, &ro), STORE_OK);
	ck_assert_int_eq(count(ro, "park"), 2);
	terminate(backend_pid(ro));
	ck_assert_int_eq(count(ro, "park"), 2);
	ck_assert_int_ne(db_exec(ro->db, "CREATE TABLE t (x int)"), DB_OK);	/* still read-only */
	store_close(ro);
	store_close(st);
}
END_TEST

/* Inside a transaction: nothing more of it runs, on the new connection
 * least of all, until the caller ends it; then the next one works. */
START_TEST(test_killed_in_transaction)
{
	struct store	*st = open_rw();
	struct db	*db = st->db;

	ck_assert_int_eq(db_exec(db, "CREATE TABLE t (x int)"), DB_OK);
	ck_assert_int_eq(db_exec(db, "BEGIN"), DB_OK);
	ck_assert_int_eq(db_exec(db, "INSERT INTO t VALUES (1)"), DB_OK);
	terminate(backend_pid(st));
	ck_assert_int_eq(db_exec(db, "INSERT INTO t VALUES (2)"), DB_UNKNOWN);
	ck_assert_int_eq(db_autocommit(db), 0);
	ck_assert_int_eq(db_exec(db, "INSERT INTO t VALUES (3)"), DB_UNKNOWN);
	ck_assert_int_eq(db_exec(db, "COMMIT"), DB_UNKNOWN);	/* ends it, unknown */
	ck_assert_int_eq(db_autocommit(db), 1);
	ck_assert_int_eq(sql_int(st, "SELECT count(*) FROM t"), 0);
	ck_assert_int_eq(db_exec(db, "BEGIN"), DB_OK);
	ck_assert_int_eq(db_exec(db, "INSERT INTO t VALUES (4)"), DB_OK);
	terminate(backend_pid(st));
	ck_assert_int_eq(db_exec(db, "SELECT 1"), DB_UNKNOWN);
	ck_assert_int_eq(db_exec(db, "ROLLBACK"), DB_OK);
	ck_assert_int_eq(db_exec(db, "INSERT INTO t VALUES (5)"), DB_OK);
	ck_assert_int_eq(sql_int(st, "SELECT sum(x) FROM t"), 5);
	store_close(st);
}
END_TEST

/* A statement prepared before the loss is prepared again on the new
 * connection at its first use, inside a transaction here: with the types
 * it was given the first time, so no failed attempt spoils the transaction
 * (?1 alone is a parameter the server cannot type). */
START_TEST(test_prepared_again)
{
	struct store	*st = open_rw();
	struct db_stmt	*q;

	ck_assert_int_eq(db_exec(st->db, "CREATE TABLE t (x int)"), DB_OK);
	ck_assert_int_eq(db_prepare(st->db, "INSERT INTO t SELECT 7 WHERE ?1 IS NULL", 0, &q),
	    DB_OK);
	terminate(backend_pid(st));
	ck_assert_int_eq(db_exec(st->db, "BEGIN"), DB_OK);
	ck_assert_int_eq(db_step(q), DB_DONE);
	db_reset(q);
	ck_assert_int_eq(db_exec(st->db, "COMMIT"), DB_OK);
	ck_assert_int_eq(sql_int(st, "SELECT sum(x) FROM t"), 7);
	db_finalize(q);
	store_close(st);
}
END_TEST

/* A deferred trigger makes the store's COMMIT wait for an advisory lock a
 * child holds; the child terminates the waiting backend, then lets go. */
static void
hold_commit_and_kill(int ready)
{
	struct db	*db = NULL;
	struct db_stmt	*q;
	char		 sql[64];
	int		 pid = 0;

	if (db_open(store_target(path), 0, &db) != DB_OK ||
	    db_exec(db, "SELECT pg_advisory_lock(4242)") != DB_OK)
		_exit(1);
	if (write(ready, "x", 1) != 1)
		_exit(1);
	if (db_prepare(db, "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
	    " AND wait_event = 'advisory' AND pid <> pg_backend_pid()"
	    " AND datname = current_database()", 0, &q) != DB_OK)
		_exit(1);
	for (int i = 0; i < 1000 && pid == 0; i++) {
		if (db_step(q) == DB_ROW)
			pid = db_column_int(q, 0);
		db_reset(q);
		usleep(10000);
	}
	db_finalize(q);
	snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%d)", pid);
	if (pid == 0 || db_exec(db, sql) != DB_OK)
		_exit(1);
	db_close(db);
	_exit(0);
}

/* Killed while its COMMIT waits (nothing committed): connected again, the
 * store finds neither nonce and adds both again, once each. */
START_TEST(test_killed_at_commit)
{
	struct store		*st = open_rw();
	struct submission	 a = sub_make(1, basic, NBASIC), b = sub_make(2, basic, 2);
	struct submission	*v[] = { &a, &b };
	enum store_err		 r[2];
	int			 p[2], status;
	pid_t			 child;
	char			 c;

	side_exec("CREATE FUNCTION hold() RETURNS trigger LANGUAGE plpgsql AS"
	    " $$BEGIN PERFORM pg_advisory_xact_lock(4242); RETURN NULL; END$$;"
	    "CREATE CONSTRAINT TRIGGER hold AFTER INSERT ON used_nonce"
	    " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hold()");
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_ge(child = fork(), 0);
	if (child == 0)
		hold_commit_and_kill(p[1]);
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	ck_assert_int_eq(store_responses_add(st, v, 2, r), STORE_OK);
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	ck_assert_uint_eq(db_losses(st->db), 1);
	results_are(r, STORE_OK, STORE_OK);
	ck_assert_int_eq(count(st, NULL), 2);
	ck_assert_int_eq(stored_once(st, 1), 1);
	ck_assert_int_eq(stored_once(st, 2), 1);
	close(p[0]);
	close(p[1]);
	store_close(st);
}
END_TEST

/* The test's database, made directly, then opened through a proxy (x). */
static struct store *
open_via(struct pg_proxy *x)
{
	struct store *st;

	store_close(open_rw());
	pg_proxy_start(x, store_target(path));
	ck_assert_int_eq(store_open(x->target, 0, &st), STORE_OK);
	store_set_recipient(st, pk);
	return st;
}

/* The COMMIT was done and its reply lost: connected again, the store finds
 * both nonces and confirms both (as a form sent again), storing nothing
 * twice; the next batch goes on as usual. */
START_TEST(test_reply_lost)
{
	struct pg_proxy		 x;
	struct store		*st;
	struct submission	 a = sub_make(1, basic, NBASIC), b = sub_make(2, basic, 2);
	struct submission	 c = sub_make(3, basic, 2), d = sub_make(4, basic, 1);
	struct submission	*v1[] = { &a }, *v2[] = { &b, &c }, *v3[] = { &d, &b };
	enum store_err		 r[2];

	st = open_via(&x);
	ck_assert_int_eq(store_responses_add(st, v1, 1, r), STORE_OK);
	pg_proxy_arm(&x);
	ck_assert_int_eq(store_responses_add(st, v2, 2, r), STORE_OK);
	ck_assert_int_eq(pg_proxy_armed(&x), 0);
	ck_assert_uint_eq(db_losses(st->db), 1);
	results_are(r, STORE_DUPLICATE, STORE_DUPLICATE);	/* stored, and confirmed */
	ck_assert_int_eq(count(st, NULL), 3);
	add_two(st, v3, STORE_OK, STORE_DUPLICATE, 4);
	store_close(st);
	pg_proxy_stop(&x);
}
END_TEST

/* The database out of reach past the bound: the batch fails and nothing is
 * confirmed; once it is back, the same forms are stored once. */
START_TEST(test_out_of_reach)
{
	struct pg_proxy		 x;
	struct store		*st;
	struct submission	 a = sub_make(1, basic, 2), b = sub_make(2, basic, 2);
	struct submission	*v[] = { &a, &b };
	enum store_err		 r[2];

	st = open_via(&x);
	db_reconnect_limit(st->db, 300);
	pg_proxy_down(&x);
	usleep(50000);
	ck_assert_int_ne(store_responses_add(st, v, 2, r), STORE_OK);
	ck_assert_int_ne(r[0], STORE_OK);
	ck_assert_int_ne(r[0], STORE_DUPLICATE);
	ck_assert_int_ne(r[1], STORE_OK);
	ck_assert_int_ne(r[1], STORE_DUPLICATE);
	pg_proxy_listen(&x);
	add_two(st, v, STORE_OK, STORE_OK, 2);
	store_close(st);
	pg_proxy_stop(&x);
}
END_TEST

/* 1 when the store's connection commits with synchronous_commit on. */
static int
sync_on(struct store *st)
{
	return sql_int(st, "SELECT CASE WHEN current_setting('synchronous_commit') = 'on'"
	    " THEN 1 ELSE 0 END");
}

/* A draft commits without waiting for the disk, in its own transaction
 * alone (SET LOCAL): the connection, the one the writer commits responses
 * with included, keeps committing as it did. */
START_TEST(test_draft_relaxed_alone)
{
	struct store	*st = open_rw();
	unsigned char	 id[STORE_DRAFT_ID_BYTES];

	memset(id, 7, sizeof id);
	ck_assert_int_eq(db_exec(st->db, "SET synchronous_commit = on"), DB_OK);
	ck_assert_int_eq(sync_on(st), 1);
	ck_assert_int_eq(store_draft_put(st, id, 20007, "box", 3, NULL, 20000), STORE_OK);
	ck_assert_int_eq(sync_on(st), 1);
	ck_assert_int_eq(db_exec(st->db, "BEGIN"), DB_OK);
	ck_assert_int_eq(db_exec(st->db, SQL_SYNC_RELAXED_TX), DB_OK);
	ck_assert_int_eq(sync_on(st), 0);
	ck_assert_int_eq(db_exec(st->db, "ROLLBACK"), DB_OK);
	ck_assert_int_eq(sync_on(st), 1);
	store_close(st);
}
END_TEST

/* Random ids made to clash: randombytes gives the same bytes while stuck
 * is above 0 (one call each), as it comes otherwise. */
static int stuck;

static void
clash_buf(void *const buf, const size_t size)
{
	if (stuck > 0) {
		stuck--;
		memset(buf, 0x5a, size);
	} else
		randombytes_sysrandom_implementation.buf(buf, size);
}

static uint32_t
clash_random(void)
{
	return randombytes_sysrandom_implementation.random();
}

static const char *
clash_name(void)
{
	return "clash";
}

static struct randombytes_implementation clash_rng = {
	.implementation_name = clash_name, .random = clash_random, .buf = clash_buf,
};

/* A response id drawn again after a clash: on PostgreSQL the clash must not
 * spoil the batch's transaction (the submission's savepoint is rolled back
 * and the submission added again), on SQLite the insert is just tried
 * again.  The other submissions of the batch are stored all the same. */
START_TEST(test_id_clash)
{
	struct store		*st = open_rw();
	struct submission	 a = sub_make(1, basic, 2), b = sub_make(2, basic, 2);
	struct submission	 c = sub_make(3, basic, 1);
	struct submission	*va[] = { &a }, *v[] = { &b, &c };
	enum store_err		 r[1];

	stuck = 1;
	ck_assert_int_eq(store_responses_add(st, va, 1, r), STORE_OK);
	stuck = 1;				/* b's first id is a's */
	add_two(st, v, STORE_OK, STORE_OK, 3);
	ck_assert_int_eq(stuck, 0);
	ck_assert_int_eq(sql_int(st, "SELECT count(DISTINCT id) FROM response"), 3);
	store_close(st);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("store_lost");
	TCase	*tc = tcase_create("store_lost");

	randombytes_set_implementation(&clash_rng);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_id_clash);
	if (store_target_pg()) {
		tcase_add_test(tc, test_killed_between);
		tcase_add_test(tc, test_killed_in_transaction);
		tcase_add_test(tc, test_prepared_again);
		tcase_add_test(tc, test_killed_at_commit);
		tcase_add_test(tc, test_reply_lost);
		tcase_add_test(tc, test_out_of_reach);
		tcase_add_test(tc, test_draft_relaxed_alone);
	}
	suite_add_tcase(s, tc);
	return unit_run(s, CK_FORK_GETENV);
}
