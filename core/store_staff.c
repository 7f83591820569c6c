/* store_staff: staff accounts, their sessions, the audit log and login
 * throttling (the tables of migration 2).
 * Invariants: every change to an account or a session commits together with
 * its audit row; a session is found only by the hash of its token, never by
 * the token itself.  These statements are prepared on the first staff call,
 * not at open, so a read-only store of an older schema (the analysis tool
 * never touches staff tables) still opens. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "store_int.h"

enum sstmt {
	SS_ADD,
	SS_FIND,
	SS_LIST,
	SS_DISABLE,
	SS_SESSIONS_END,
	SS_SESSION_ADD,
	SS_SESSION_GET,
	SS_SESSION_TOUCH,
	SS_SESSION_DEL,
	SS_SESSION_PURGE,
	SS_THROTTLE_FAIL,
	SS_THROTTLE_GET,
	SS_THROTTLE_CLEAR,
	SS_THROTTLE_PURGE,
	SS__MAX
};

#define STAFF_COLS	"id, name, role, pwhash, coalesce(created_day, ''), coalesce(disabled, 0)"

static const char *const sql[SS__MAX] = {
	/* SS_ADD */		"INSERT INTO staff (name, role, pwhash, created_day, disabled)"
				" VALUES (?1, ?2, ?3, ?4, 0)",
	/* SS_FIND */		"SELECT " STAFF_COLS " FROM staff WHERE name = ?1",
	/* SS_LIST */		"SELECT " STAFF_COLS " FROM staff ORDER BY name",
	/* SS_DISABLE */	"UPDATE staff SET disabled = 1 WHERE name = ?1 RETURNING id",
	/* SS_SESSIONS_END */	"DELETE FROM staff_session WHERE staff = ?1",
	/* SS_SESSION_ADD */	"INSERT INTO staff_session (token_hash, staff, created, last_seen)"
				" VALUES (?1, ?2, ?3, ?3)",
	/* SS_SESSION_GET */	"SELECT t.id, t.name, t.role, '', coalesce(t.created_day, ''),"
				" coalesce(t.disabled, 0), s.created, s.last_seen"
				" FROM staff_session s JOIN staff t ON t.id = s.staff"
				" WHERE s.token_hash = ?1",
	/* SS_SESSION_TOUCH */	"UPDATE staff_session SET last_seen = ?2 WHERE token_hash = ?1",
	/* SS_SESSION_DEL */	"DELETE FROM staff_session WHERE token_hash = ?1",
	/* SS_SESSION_PURGE */	"DELETE FROM staff_session WHERE created <= " INT(1) " - " INT(2)
				" OR last_seen <= " INT(1) " - " INT(3),
	/* A failure in a window that has ended starts a new one; the failure
	 * that reaches the limit turns the window's end into the lock's end.
	 * ?1 key, ?2 now, ?3 window, ?4 limit, ?5 lock.  SET reads old values. */
	/* SS_THROTTLE_FAIL */	"INSERT INTO login_throttle (key, failures, until)"
				" VALUES (?1, 1, " INT(2) " + CASE WHEN " INT(4) " <= 1 THEN " INT(5)
				" ELSE " INT(3) " END)"
				" ON CONFLICT (key) DO UPDATE SET"
				" failures = CASE WHEN login_throttle.until <= " INT(2)
				" THEN 1 ELSE login_throttle.failures + 1 END,"
				" until = CASE WHEN login_throttle.until <= " INT(2)
				"  THEN " INT(2) " + CASE WHEN " INT(4) " <= 1 THEN " INT(5) " ELSE " INT(3) " END"
				"  WHEN login_throttle.failures + 1 = " INT(4) " THEN " INT(2) " + " INT(5)
				" ELSE login_throttle.until END"
				" RETURNING failures >= " INT(4) " AND until > " INT(2),
	/* SS_THROTTLE_GET */	"SELECT failures, until FROM login_throttle WHERE key = ?1",
	/* SS_THROTTLE_CLEAR */	"DELETE FROM login_throttle WHERE key = ?1",
	/* SS_THROTTLE_PURGE */	"DELETE FROM login_throttle WHERE until <= ?1",
};

static const struct store_table table = { TAB_STAFF, sql, SS__MAX, 0, 1 };

static enum store_err
prepared(struct store *st)
{
	return store_table_prepare(st, &table);
}

/* The statement, reset with no bindings, or NULL when they cannot be prepared. */
static struct db_stmt *
stmt(struct store *st, enum sstmt which, enum store_err *er)
{
	return store_table_stmt(st, &table, which, er);
}

/* Steps a statement to its end, resets it, maps the result. */
static enum store_err
run(struct db_stmt *q)
{
	int rc = store_run(q, NULL);

	return rc == DB_CONSTRAINT_UNIQUE || rc == DB_CONSTRAINT_PRIMARYKEY
	    ? STORE_DUPLICATE : store_err_of(rc);
}

/* Binds text of at most max bytes; STORE_INVALID if longer or missing. */
static enum store_err
bind_text(struct db_stmt *q, int i, const char *s, size_t max)
{
	if (s == NULL || strlen(s) > max)
		return STORE_INVALID;
	return db_bind_text(q, i, s, -1) == DB_OK ? STORE_OK
	    : STORE_INVALID;
}

static enum store_err
bind_blob(struct db_stmt *q, int i, const unsigned char *b, size_t n)
{
	return db_bind_blob(q, i, b, (int)n) == DB_OK ? STORE_OK
	    : STORE_INVALID;
}

static enum store_err
begin(struct store *st)
{
	return store_exec(st, ST_BEGIN);
}

/* Copies text column i into dst[cap]; 0 when it does not fit. */
static int
col_text(struct db_stmt *q, int i, char *dst, size_t cap)
{
	const char		*s = db_column_text(q, i);
	size_t			 n = s ? (size_t)db_column_bytes(q, i) : 0;

	if (n >= cap)
		return 0;
	memcpy(dst, s ? (const char *)s : "", n);
	dst[n] = '\0';
	return 1;
}

/* Reads the STAFF_COLS of the current row into *out. */
static enum store_err
row_staff(struct db_stmt *q, struct store_staff *out)
{
	memset(out, 0, sizeof *out);
	out->id = db_column_int64(q, 0);
	out->disabled = db_column_int(q, 5) != 0;
	if (!col_text(q, 1, out->name, sizeof out->name) ||
	    !col_text(q, 2, out->role, sizeof out->role) ||
	    !col_text(q, 3, out->pwhash, sizeof out->pwhash) ||
	    !col_text(q, 4, out->created_day, sizeof out->created_day))
		return STORE_CORRUPT;
	return STORE_OK;
}

/* UTC "YYYY-MM-DDTHH:MM:SSZ" for the audit log. */
static void
utc_stamp(int64_t now, char out[24])
{
	time_t		 t = (time_t)now;
	struct tm	 tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		memcpy(out, "1970-01-01T00:00:00Z", 21);
}

/* The local date, like the survey tables keep. */
static void
local_day(int64_t now, char out[11])
{
	time_t		 t = (time_t)now;
	struct tm	 tm;

	if (localtime_r(&t, &tm) == NULL || strftime(out, 11, "%Y-%m-%d", &tm) != 10)
		memcpy(out, "1970-01-01", 11);
}

/* Chains one audit row onto the log, in the transaction the caller holds. */
static enum store_err
audit(struct store *st, const struct store_audit *au)
{
	char at[24];

	utc_stamp(au->now, at);
	if (au->staff == NULL || strlen(au->staff) > STORE_STAFF_NAME_MAX + 8 ||
	    au->action == NULL || strlen(au->action) > 64 ||
	    (au->detail != NULL && strlen(au->detail) > 512))
		return STORE_INVALID;
	return store_audit_append(st->db, at, au->staff, au->action, au->detail);
}

/* On its own it takes BEGIN IMMEDIATE, so reading the last entry and
 * appending the next are one step no other writer can come between; inside
 * a caller's transaction it joins that one. */
enum store_err
store_staff_audit(struct store *st, const struct store_audit *au)
{
	enum store_err er;

	if (!db_autocommit(st->db))
		return audit(st, au);
	if ((er = begin(st)) != STORE_OK)
		return er;
	return store_end(st, audit(st, au));
}

static enum store_err
add(struct store *st, const char *name, const char *role, const char *pwhash,
    const struct store_audit *au, int64_t *id)
{
	struct db_stmt	*q;
	enum store_err	 er;
	char		 day[11];

	if ((q = stmt(st, SS_ADD, &er)) == NULL)
		return er;
	local_day(au->now, day);
	if (name == NULL || name[0] == '\0')
		return STORE_INVALID;
	if ((er = bind_text(q, 1, name, STORE_STAFF_NAME_MAX)) != STORE_OK ||
	    (er = bind_text(q, 2, role, 15)) != STORE_OK ||
	    (er = bind_text(q, 3, pwhash, STORE_PWHASH_MAX - 1)) != STORE_OK ||
	    (er = bind_text(q, 4, day, 10)) != STORE_OK ||
	    (er = run(q)) != STORE_OK)
		return er;
	if (id != NULL)
		*id = db_last_insert_id(st->db);
	return audit(st, au);
}

enum store_err
store_staff_add(struct store *st, const char *name, const char *role, const char *pwhash,
    const struct store_audit *au, int64_t *id)
{
	enum store_err er;

	if ((er = prepared(st)) != STORE_OK || (er = begin(st)) != STORE_OK)
		return er;
	return store_end(st, add(st, name, role, pwhash, au, id));
}

enum store_err
store_staff_find(struct store *st, const char *name, struct store_staff *out)
{
	struct db_stmt	*q;
	enum store_err	 er;
	int		 rc;

	memset(out, 0, sizeof *out);
	if ((q = stmt(st, SS_FIND, &er)) == NULL)
		return er;
	if ((er = bind_text(q, 1, name, STORE_STAFF_NAME_MAX)) != STORE_OK)
		return er == STORE_INVALID ? STORE_NOTFOUND : er;	/* too long to exist */
	if ((rc = db_step(q)) == DB_ROW)
		er = row_staff(q, out);
	else
		er = rc == DB_DONE ? STORE_NOTFOUND : store_err_of(rc);
	db_reset(q);
	return er;
}

enum store_err
store_staff_list(struct store *st, int (*fn)(void *ctx, const struct store_staff *s),
    void *ctx)
{
	struct db_stmt		*q;
	struct store_staff	 s;
	enum store_err		 er;
	int			 rc;

	if ((q = stmt(st, SS_LIST, &er)) == NULL)
		return er;
	while ((rc = db_step(q)) == DB_ROW) {
		if ((er = row_staff(q, &s)) != STORE_OK || fn(ctx, &s) != 0)
			break;
	}
	db_reset(q);
	if (er != STORE_OK)
		return er;
	return rc == DB_ROW || rc == DB_DONE ? STORE_OK : store_err_of(rc);
}

static enum store_err
disable(struct store *st, const char *name, const struct store_audit *au)
{
	struct db_stmt	*q, *e;
	enum store_err	 er;
	int64_t		 id;
	int		 rc;

	if ((q = stmt(st, SS_DISABLE, &er)) == NULL || (e = stmt(st, SS_SESSIONS_END, &er)) == NULL)
		return er;
	if ((er = bind_text(q, 1, name, STORE_STAFF_NAME_MAX)) != STORE_OK)
		return STORE_NOTFOUND;
	rc = db_step(q);
	id = rc == DB_ROW ? db_column_int64(q, 0) : 0;
	if ((er = run(q)) != STORE_OK)
		return er;
	if (rc != DB_ROW)
		return rc == DB_DONE ? STORE_NOTFOUND : store_err_of(rc);
	if (db_bind_int64(e, 1, id) != DB_OK)
		return STORE_INVALID;
	if ((er = run(e)) != STORE_OK)
		return er;
	return audit(st, au);
}

enum store_err
store_staff_disable(struct store *st, const char *name, const struct store_audit *au)
{
	enum store_err er;

	if ((er = prepared(st)) != STORE_OK || (er = begin(st)) != STORE_OK)
		return er;
	return store_end(st, disable(st, name, au));
}

static enum store_err
session_add(struct store *st, const unsigned char hash[STORE_TOKEN_HASH_BYTES],
    int64_t staff, const struct store_audit *au)
{
	struct db_stmt	*q;
	enum store_err	 er;

	if ((q = stmt(st, SS_SESSION_ADD, &er)) == NULL)
		return er;
	if ((er = bind_blob(q, 1, hash, STORE_TOKEN_HASH_BYTES)) != STORE_OK ||
	    db_bind_int64(q, 2, staff) != DB_OK ||
	    db_bind_int64(q, 3, au->now) != DB_OK)
		return er != STORE_OK ? er : STORE_INVALID;
	if ((er = run(q)) != STORE_OK)
		return er;
	return audit(st, au);
}

enum store_err
store_staff_session_add(struct store *st, const unsigned char hash[STORE_TOKEN_HASH_BYTES],
    int64_t staff, const struct store_audit *au)
{
	enum store_err er;

	if ((er = prepared(st)) != STORE_OK || (er = begin(st)) != STORE_OK)
		return er;
	return store_end(st, session_add(st, hash, staff, au));
}

/* Runs a statement whose ?1 is the token hash and ?2 (if any) a time. */
static enum store_err
by_hash(struct store *st, enum sstmt which, const unsigned char hash[STORE_TOKEN_HASH_BYTES],
    int64_t now)
{
	struct db_stmt	*q;
	enum store_err	 er;

	if ((q = stmt(st, which, &er)) == NULL)
		return er;
	if ((er = bind_blob(q, 1, hash, STORE_TOKEN_HASH_BYTES)) != STORE_OK)
		return er;
	if (db_bind_parameter_count(q) >= 2 && db_bind_int64(q, 2, now) != DB_OK)
		return STORE_INVALID;
	return run(q);
}

static int
session_valid(int64_t now, int64_t created, int64_t last_seen,
    const struct store_session_limits *lim)
{
	return now - created < lim->max_age && now - last_seen < lim->idle;
}

enum store_err
store_staff_session_get(struct store *st, const unsigned char hash[STORE_TOKEN_HASH_BYTES],
    int64_t now, const struct store_session_limits *lim, struct store_staff *out)
{
	struct db_stmt	*q;
	enum store_err	 er;
	int64_t		 created = 0, last_seen = 0;
	int		 rc;

	memset(out, 0, sizeof *out);
	if ((q = stmt(st, SS_SESSION_GET, &er)) == NULL)
		return er;
	if ((er = bind_blob(q, 1, hash, STORE_TOKEN_HASH_BYTES)) != STORE_OK)
		return er;
	if ((rc = db_step(q)) == DB_ROW) {
		er = row_staff(q, out);
		created = db_column_int64(q, 6);
		last_seen = db_column_int64(q, 7);
	} else
		er = rc == DB_DONE ? STORE_NOTFOUND : store_err_of(rc);
	db_reset(q);
	if (er != STORE_OK)
		return er;
	if (!session_valid(now, created, last_seen, lim)) {
		memset(out, 0, sizeof *out);
		er = by_hash(st, SS_SESSION_DEL, hash, 0);
		return er == STORE_OK ? STORE_NOTFOUND : er;
	}
	if (out->disabled) {
		memset(out, 0, sizeof *out);
		return STORE_NOTFOUND;
	}
	if (now - last_seen >= lim->touch)
		return by_hash(st, SS_SESSION_TOUCH, hash, now);
	return STORE_OK;
}

static enum store_err
session_del(struct store *st, const unsigned char hash[STORE_TOKEN_HASH_BYTES],
    const struct store_audit *au)
{
	enum store_err er;

	if ((er = by_hash(st, SS_SESSION_DEL, hash, 0)) != STORE_OK)
		return er;
	if (db_changes(st->db) == 0)
		return STORE_NOTFOUND;
	return audit(st, au);
}

enum store_err
store_staff_session_del(struct store *st, const unsigned char hash[STORE_TOKEN_HASH_BYTES],
    const struct store_audit *au)
{
	enum store_err er;

	if ((er = prepared(st)) != STORE_OK || (er = begin(st)) != STORE_OK)
		return er;
	return store_end(st, session_del(st, hash, au));
}

enum store_err
store_staff_session_purge(struct store *st, int64_t now,
    const struct store_session_limits *lim, int64_t *n)
{
	struct db_stmt	*q;
	enum store_err	 er;

	if (n != NULL)
		*n = 0;
	if ((q = stmt(st, SS_SESSION_PURGE, &er)) == NULL)
		return er;
	if (db_bind_int64(q, 1, now) != DB_OK ||
	    db_bind_int64(q, 2, lim->max_age) != DB_OK ||
	    db_bind_int64(q, 3, lim->idle) != DB_OK)
		return STORE_INVALID;
	if ((er = run(q)) == STORE_OK && n != NULL)
		*n = db_changes(st->db);
	return er;
}

enum store_err
store_staff_throttle_fail(struct store *st, const unsigned char *key, size_t keylen,
    int64_t now, const struct store_throttle_rule *r, int *locked)
{
	struct db_stmt	*q;
	enum store_err	 er;
	int		 rc, lk = 0;

	if (locked != NULL)
		*locked = 0;
	if ((q = stmt(st, SS_THROTTLE_FAIL, &er)) == NULL)
		return er;
	if ((er = bind_blob(q, 1, key, keylen)) != STORE_OK ||
	    db_bind_int64(q, 2, now) != DB_OK ||
	    db_bind_int64(q, 3, r->window) != DB_OK ||
	    db_bind_int(q, 4, r->limit) != DB_OK ||
	    db_bind_int64(q, 5, r->lock) != DB_OK)
		return er != STORE_OK ? er : STORE_INVALID;
	if ((rc = db_step(q)) == DB_ROW)
		lk = db_column_int(q, 0) != 0;
	if ((er = run(q)) != STORE_OK)
		return er;
	if (rc != DB_ROW)
		return store_err_of(rc == DB_DONE ? DB_INTERNAL : rc);
	if (locked != NULL)
		*locked = lk;
	return STORE_OK;
}

enum store_err
store_staff_throttle_check(struct store *st, const unsigned char *key, size_t keylen,
    int64_t now, const struct store_throttle_rule *r, int *locked, int64_t *until)
{
	struct db_stmt	*q;
	enum store_err	 er;
	int		 rc;

	*locked = 0;
	*until = 0;
	if ((q = stmt(st, SS_THROTTLE_GET, &er)) == NULL)
		return er;
	if ((er = bind_blob(q, 1, key, keylen)) != STORE_OK)
		return er;
	if ((rc = db_step(q)) == DB_ROW && db_column_int(q, 0) >= r->limit &&
	    db_column_int64(q, 1) > now) {
		*locked = 1;
		*until = db_column_int64(q, 1);
	}
	db_reset(q);
	return rc == DB_ROW || rc == DB_DONE ? STORE_OK : store_err_of(rc);
}

enum store_err
store_staff_throttle_clear(struct store *st, const unsigned char *key, size_t keylen)
{
	struct db_stmt	*q;
	enum store_err	 er;

	if ((q = stmt(st, SS_THROTTLE_CLEAR, &er)) == NULL)
		return er;
	if ((er = bind_blob(q, 1, key, keylen)) != STORE_OK)
		return er;
	return run(q);
}

enum store_err
store_staff_throttle_purge(struct store *st, int64_t now)
{
	struct db_stmt	*q;
	enum store_err	 er;

	if ((q = stmt(st, SS_THROTTLE_PURGE, &er)) == NULL)
		return er;
	if (db_bind_int64(q, 1, now) != DB_OK)
		return STORE_INVALID;
	return run(q);
}
