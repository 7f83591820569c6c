/* store_role: least privilege on PostgreSQL (docs/storage.md, Roles).  Three
 * roles: the schema's owner, who alone runs the migrations (`voices init`);
 * the app's role, which reads and writes rows and nothing else; and the
 * analysts' role, which reads what the analysis tool reads and nothing else
 * (no staff accounts, sessions, password hashes, reset codes, audit log,
 * drafts or throttling).  The owner gives the other two their grants after
 * each migration, and takes back anything else they had on the schema's
 * tables, so running init again converges on exactly these grants.  The
 * audit log's triggers (append-only) hold against the app because only the
 * owner may drop or disable them. */
#include <stdio.h>
#include <string.h>
#include "store_int.h"

/* 1 when the session's role may do more than the app: a superuser or a
 * role that may create roles (and so grant itself others' rights), a role
 * that may create in the schema or the database, or one that owns (or is a
 * member of the owner of) anything in the schema. */
static const char role_sql[] =
    "SELECT (r.rolsuper OR r.rolcreaterole"
    " OR coalesce(has_schema_privilege(current_schema(), 'CREATE'), false)"
    " OR has_database_privilege(current_database(), 'CREATE')"
    " OR EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = current_schema() AND pg_has_role(c.relowner, 'MEMBER')))::int"
    " FROM pg_roles r WHERE r.rolname = current_user";

/* The grants, as SQL that format() writes with the schema (%1$I) and the
 * role (%2$I) quoted as identifiers: role names come from the configuration
 * and cannot be bound.  The app gets rows, not the schema: it may not write
 * schema_version, delete from the audit log (UPDATE stays for the lock that
 * orders its appends; the trigger refuses every update) or read the answer
 * view, which it never uses.  Sequences: for the identity columns. */
static const char app_sql[] =
    "SELECT format('"
    "REVOKE ALL ON ALL TABLES IN SCHEMA %1$I FROM %2$I;"
    "REVOKE ALL ON ALL SEQUENCES IN SCHEMA %1$I FROM %2$I;"
    "GRANT USAGE ON SCHEMA %1$I TO %2$I;"
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %1$I TO %2$I;"
    "REVOKE INSERT, UPDATE, DELETE ON %1$I.schema_version FROM %2$I;"
    "REVOKE DELETE ON %1$I.audit FROM %2$I;"
    "REVOKE ALL ON %1$I.answer FROM %2$I;"
    "GRANT USAGE ON ALL SEQUENCES IN SCHEMA %1$I TO %2$I;"
    "', current_schema(), CAST(?1 AS TEXT))";

/* What the analysis tool reads (responses, the survey rows, the period
 * public keys that say which key sealed a text, the kept counts, and the
 * schema version it checks), and the answer view for plain SQL. */
static const char analyst_sql[] =
    "SELECT format('"
    "REVOKE ALL ON ALL TABLES IN SCHEMA %1$I FROM %2$I;"
    "REVOKE ALL ON ALL SEQUENCES IN SCHEMA %1$I FROM %2$I;"
    "GRANT USAGE ON SCHEMA %1$I TO %2$I;"
    "GRANT SELECT ON %1$I.schema_version, %1$I.survey, %1$I.response, %1$I.answer,"
    " %1$I.seal_key, %1$I.tally_count, %1$I.tally_gen TO %2$I;"
    "', current_schema(), CAST(?1 AS TEXT))";

/* 1 when role exists, is no superuser and is not the session's own. */
static const char grantee_sql[] =
    "SELECT (NOT rolsuper AND rolname <> current_user)::int FROM pg_roles WHERE rolname = ?1";

enum store_err
store_role_check(struct store *st)
{
	struct db_stmt	*q = NULL;
	int64_t		 more = 1;
	int		 rc;

	if ((rc = db_prepare(st->db, role_sql, 0, &q)) == DB_OK)
		rc = db_one_int64(q, &more);
	db_finalize(q);
	if (rc != DB_ROW && rc != DB_DONE)
		return store_err_of(rc);
	return more ? STORE_PRIVILEGE : STORE_OK;
}

/* Runs the script that sql (one of the above) writes for role. */
static int
grant_one(struct db *db, const char *sql, const char *role)
{
	struct db_stmt	*q = NULL;
	int		 rc;

	if ((rc = db_prepare(db, sql, 0, &q)) == DB_OK &&
	    (rc = db_bind_text(q, 1, role, -1)) == DB_OK &&
	    (rc = db_step(q)) == DB_ROW)
		rc = db_exec(db, db_column_text(q, 0));
	db_finalize(q);
	return rc;
}

/* STORE_OK when role may be granted to; else why says what is wrong. */
static enum store_err
grantee(struct db *db, const char *role, char *why, size_t n)
{
	struct db_stmt	*q = NULL;
	int64_t		 ok = -1;
	int		 rc;

	if ((rc = db_prepare(db, grantee_sql, 0, &q)) == DB_OK &&
	    (rc = db_bind_text(q, 1, role, -1)) == DB_OK)
		rc = db_one_int64(q, &ok);
	db_finalize(q);
	if (rc != DB_ROW && rc != DB_DONE) {
		snprintf(why, n, "%s", db_errmsg(db));
		return store_err_of(rc);
	}
	if (ok == 1)
		return STORE_OK;
	snprintf(why, n, ok < 0 ? "there is no role %s (docs/storage.md, Roles, creates it)" :
	    "the role %s is a superuser or the schema's owner: the app and the analysts each "
	    "connect as a role of their own (docs/storage.md, Roles)", role);
	return STORE_PRIVILEGE;
}

enum store_err
store_grant(struct store *st, const char *app, const char *analyst_role, char *why, size_t n)
{
	enum store_err	 er = STORE_OK;
	int		 rc = DB_OK;
	char		 role[128];
	const char	*app_role = app != NULL ? role : NULL;

	why[0] = '\0';
	if (db_engine(st->db) != DB_PG)
		return STORE_OK;
	if (app != NULL && !db_pg_conninfo_user(app, role, sizeof role)) {
		snprintf(why, n, "database: names no role (user=): name the app's own");
		return STORE_PRIVILEGE;
	}
	if ((app_role != NULL && (er = grantee(st->db, app_role, why, n)) != STORE_OK) ||
	    (analyst_role != NULL && (er = grantee(st->db, analyst_role, why, n)) != STORE_OK))
		return er;
	if ((rc = db_exec(st->db, "BEGIN")) != DB_OK)
		goto out;
	if (app_role != NULL && (rc = grant_one(st->db, app_sql, app_role)) != DB_OK)
		goto out;
	if (analyst_role != NULL && (rc = grant_one(st->db, analyst_sql, analyst_role)) != DB_OK)
		goto out;
	rc = db_exec(st->db, "COMMIT");
out:
	if (rc != DB_OK) {
		snprintf(why, n, "%s", db_errmsg(st->db));
		if (!db_autocommit(st->db))
			(void)db_exec(st->db, "ROLLBACK");
	}
	return store_err_of(rc);
}
