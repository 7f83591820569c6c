/* Tests for store_role.c and the app's open (STORE_APP): least privilege on
 * PostgreSQL (docs/storage.md, Roles).  Always: a password file others may
 * read is refused before any connection, and on SQLite STORE_APP changes
 * nothing.  With VOICES_TEST_PG (scripts/pg-test.sh, whose server has the
 * roles voices_owner, voices_app, voices_analyst and the superuser
 * voices_admin): after the owner's migrations and grants the app's role can
 * read and write rows but not change the schema, the audit log's triggers or
 * schema_version; the analysts' role reads responses and not staff accounts,
 * sessions or the audit log, and writes nothing; the app refuses the owner,
 * a superuser and a schema behind. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>
#include "store_int.h"
#include "store_target.h"
#include "unit.h"

static char	 owner[1024], app[1024], analyst[1024], admin[1024];

/* A fresh database of the owner's, migrated and granted as `voices init`
 * does; the four roles' connection strings to it. */
static void
pg_setup(void)
{
	const char	*pg = getenv("VOICES_TEST_PG");
	struct db	*db = NULL;
	struct store	*st = NULL;
	char		 sql[96], name[48], why[256];

	ck_assert_int_ge(sodium_init(), 0);
	snprintf(name, sizeof name, "roles_%ld", (long)getpid());
	snprintf(owner, sizeof owner, "%s user=voices_owner", pg);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
	ck_assert_int_eq(db_open(owner, 0, &db), DB_OK);
	ck_assert_int_eq(db_exec(db, sql), DB_OK);
	db_close(db);
	snprintf(owner, sizeof owner, "%s user=voices_owner dbname=%s", pg, name);
	snprintf(app, sizeof app, "%s user=voices_app dbname=%s", pg, name);
	snprintf(analyst, sizeof analyst, "%s user=voices_analyst dbname=%s", pg, name);
	snprintf(admin, sizeof admin, "%s user=voices_admin dbname=%s", pg, name);
	ck_assert_int_eq(store_open(owner, STORE_CREATE, &st), STORE_OK);
	ck_assert_int_eq(store_grant(st, app, "voices_analyst", why, sizeof why), STORE_OK);
	store_close(st);
}

/* Runs sql as the role of target; it must fail with a message holding want. */
static void
refused(const char *target, const char *sql, const char *want)
{
	struct db *db = NULL;

	ck_assert_int_eq(db_open(target, 0, &db), DB_OK);
	ck_assert_msg(db_exec(db, sql) != DB_OK, "%s: allowed", sql);
	ck_assert_msg(strstr(db_errmsg(db), want) != NULL, "%s: %s", sql, db_errmsg(db));
	db_close(db);
}

static void
allowed(const char *target, const char *sql)
{
	struct db *db = NULL;

	ck_assert_int_eq(db_open(target, 0, &db), DB_OK);
	ck_assert_msg(db_exec(db, sql) == DB_OK, "%s: %s", sql, db_errmsg(db));
	db_close(db);
}

/* What the app's role may not do, and the words PostgreSQL refuses it with.
 * The audit log stays append-only: its triggers are the owner's. */
static const char *const app_refused[][2] = {
	{ "CREATE TABLE x (a INTEGER)", "permission denied for schema" },
	{ "CREATE SCHEMA x", "permission denied for database" },
	{ "DROP TABLE response", "must be owner" },
	{ "ALTER TABLE response ADD COLUMN x INTEGER", "must be owner" },
	{ "CREATE INDEX x ON response (day)", "must be owner" },
	{ "TRUNCATE response", "permission denied" },
	{ "INSERT INTO schema_version (version) VALUES (99)", "permission denied" },
	{ "DELETE FROM schema_version", "permission denied" },
	{ "SELECT * FROM answer", "permission denied" },
	{ "UPDATE audit SET staff = 'x'", "append-only" },
	{ "DELETE FROM audit", "permission denied" },
	{ "ALTER TABLE audit DISABLE TRIGGER audit_append_only", "must be owner" },
	{ "DROP TRIGGER audit_append_only ON audit", "must be owner" },
	{ "DROP FUNCTION audit_append_only()", "must be owner" },
};

START_TEST(test_app_rows_not_schema)
{
	struct store_audit au = { 1767225600, "cli", "user_created", NULL };
	struct store *st = NULL;
	int64_t id = 0;

	/* What the app does: a staff account (an identity column, an audit
	 * row under the audit lock) through the store, as its own role. */
	ck_assert_int_eq(store_open(app, STORE_APP, &st), STORE_OK);
	ck_assert_int_eq(store_staff_add(st, "ada", "admin", "$argon2id$x", &au, &id), STORE_OK);
	store_close(st);
	allowed(app, "UPDATE staff SET disabled = 0; SELECT count(*) FROM response;"
	    " DELETE FROM draft");
	for (size_t i = 0; i < sizeof app_refused / sizeof app_refused[0]; i++)
		refused(app, app_refused[i][0], app_refused[i][1]);
}
END_TEST

START_TEST(test_analyst_reads_responses_only)
{
	static const char *const secret[] = { "staff", "staff_session", "staff_reset", "audit",
		"login_throttle", "draft", "draft_code", "used_nonce", "device", "results" };
	struct store *st = NULL;
	int64_t n = -1;
	char sql[64];

	allowed(analyst, "SELECT count(*) FROM response; SELECT count(*) FROM answer;"
	    " SELECT count(*) FROM survey; SELECT count(*) FROM seal_key;"
	    " SELECT count(*) FROM tally_count; SELECT count(*) FROM schema_version");
	for (size_t i = 0; i < sizeof secret / sizeof secret[0]; i++) {
		snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", secret[i]);
		refused(analyst, sql, "permission denied");
	}
	refused(analyst, "INSERT INTO survey VALUES ('s', 1, 'h', 't', '2026-01-01')",
	    "permission denied");
	refused(analyst, "UPDATE response SET lang = 'x'", "permission denied");
	refused(analyst, "DELETE FROM tally_count", "permission denied");
	refused(analyst, "CREATE TABLE x (a INTEGER)", "permission denied");
	/* The analysis tool's open. */
	ck_assert_int_eq(store_open(analyst, STORE_RDONLY, &st), STORE_OK);
	ck_assert_int_eq(store_response_count(st, NULL, &n), STORE_OK);
	ck_assert_int_eq(n, 0);
	store_close(st);
}
END_TEST

START_TEST(test_app_refuses_more_and_behind)
{
	struct store *st = NULL;

	ck_assert_int_eq(store_open(owner, STORE_APP, &st), STORE_PRIVILEGE);
	ck_assert_ptr_null(st);
	ck_assert_int_eq(store_open(admin, STORE_APP, &st), STORE_PRIVILEGE);
	/* A schema behind: the app neither starts nor migrates; its owner does. */
	allowed(owner, "DELETE FROM schema_version WHERE version = (SELECT max(version)"
	    " FROM schema_version)");
	ck_assert_int_eq(store_open(app, STORE_APP, &st), STORE_SCHEMA);
	ck_assert_int_ne(store_open(app, 0, &st), STORE_OK);
	ck_assert_int_eq(store_open(owner, 0, &st), STORE_OK);
	store_close(st);
	ck_assert_int_eq(store_open(app, STORE_APP, &st), STORE_OK);
	ck_assert_int_eq(store_schema_version(st), STORE_PG_MIGRATIONS);
	store_close(st);
}
END_TEST

START_TEST(test_grant_refuses)
{
	struct store *st = NULL;
	char why[256], nobody[1100];

	snprintf(nobody, sizeof nobody, "%s user=nobody_here", owner);
	ck_assert_int_eq(store_open(owner, 0, &st), STORE_OK);
	ck_assert_int_eq(store_grant(st, nobody, NULL, why, sizeof why), STORE_PRIVILEGE);
	ck_assert_ptr_nonnull(strstr(why, "no role nobody_here"));
	ck_assert_int_eq(store_grant(st, admin, NULL, why, sizeof why), STORE_PRIVILEGE);
	ck_assert_ptr_nonnull(strstr(why, "superuser"));
	ck_assert_int_eq(store_grant(st, owner, NULL, why, sizeof why), STORE_PRIVILEGE);
	ck_assert_int_eq(store_grant(st, NULL, "voices_owner", why, sizeof why), STORE_PRIVILEGE);
	ck_assert_int_eq(store_grant(st, "host=/nowhere dbname=x", NULL, why, sizeof why),
	    STORE_PRIVILEGE);
	ck_assert_ptr_nonnull(strstr(why, "names no role"));
	store_close(st);
}
END_TEST

/* A password file others may read is refused before anything connects,
 * whether passfile= or PGPASSFILE names it; a private one is not. */
START_TEST(test_passfile_mode)
{
	char file[256], target[512];
	struct store *st = NULL;
	FILE *fp;

	snprintf(file, sizeof file, "%s/pgpass", unit_tmp());
	ck_assert_ptr_nonnull(fp = fopen(file, "w"));
	fputs("nowhere:*:*:voices_app:secret\n", fp);
	fclose(fp);
	snprintf(target, sizeof target, "host=/nonexistent user=voices_app passfile=%s", file);
	ck_assert_int_eq(chmod(file, 0644), 0);
	ck_assert_int_eq(store_open(target, STORE_APP, &st), STORE_PASSFILE);
	ck_assert_int_eq(store_open(target, STORE_RDONLY, &st), STORE_PASSFILE);
	ck_assert_int_eq(chmod(file, 0640), 0);
	ck_assert_int_eq(store_open(target, 0, &st), STORE_PASSFILE);
	ck_assert_int_eq(chmod(file, 0600), 0);
	ck_assert_int_ne(store_open(target, 0, &st), STORE_PASSFILE);	/* no server there */
	store_close(st);
	st = NULL;
	ck_assert_int_eq(chmod(file, 0604), 0);
	ck_assert_int_eq(setenv("PGPASSFILE", file, 1), 0);
	ck_assert_int_eq(store_open("host=/nonexistent user=voices_app", 0, &st), STORE_PASSFILE);
	ck_assert_ptr_null(st);
}
END_TEST

/* SQLite: STORE_APP opens and migrates a new file as before; no grants. */
START_TEST(test_sqlite_unaffected)
{
	struct store *st = NULL;
	char path[256], why[64];

	snprintf(path, sizeof path, "%s/v.db", unit_tmp());
	ck_assert_int_eq(store_open(path, STORE_APP | STORE_CREATE, &st), STORE_OK);
	ck_assert_int_eq(store_schema_version(st), STORE_PG_MIGRATIONS);
	ck_assert_int_eq(store_grant(st, "user=x", "y", why, sizeof why), STORE_OK);
	store_close(st);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("store_roles");
	TCase	*tc = tcase_create("any engine");
	TCase	*pg = tcase_create("postgresql roles");

	tcase_add_test(tc, test_passfile_mode);
	tcase_add_test(tc, test_sqlite_unaffected);
	suite_add_tcase(s, tc);
	if (store_target_pg()) {
		tcase_add_checked_fixture(pg, pg_setup, NULL);
		tcase_set_timeout(pg, 60);
		tcase_add_test(pg, test_app_rows_not_schema);
		tcase_add_test(pg, test_analyst_reads_responses_only);
		tcase_add_test(pg, test_app_refuses_more_and_behind);
		tcase_add_test(pg, test_grant_refuses);
		suite_add_tcase(s, pg);
	}
	return unit_run(s, CK_FORK);
}
