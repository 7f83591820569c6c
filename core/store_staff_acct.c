/* store_staff_acct: managing staff accounts after they are made: disabling
 * and re-enabling, roles, passwords, signing out everywhere, the sessions an
 * owner may see, and one-time reset codes.
 * Invariants: every change commits with its audit row (store_staff_audit, in
 * the same transaction); no change leaves the database without an active
 * admin (the guard is in the UPDATE itself, so two admins demoting each
 * other at once cannot both succeed); a reset code is found only by its
 * hash and deleted as it is used. */
#include <stdlib.h>
#include <string.h>
#include "store_int.h"

enum astmt {
	SA_SET_DISABLED,
	SA_SET_ROLE,
	SA_ID,
	SA_SET_PW,
	SA_SESSIONS_END,
	SA_SESSIONS,
	SA_SESSION_COUNT,
	SA_RESET_FORGET,
	SA_RESET_ADD,
	SA_RESET_FIND,
	SA_RESET_TAKE,
	SA_RESET_PURGE,
	SA__MAX
};

/* True when the row being changed is not the last active admin. */
#define NOT_LAST_ADMIN	"(role <> 'admin' OR coalesce(disabled, 0) = 1 OR (SELECT count(*)" \
			" FROM staff WHERE role = 'admin' AND coalesce(disabled, 0) = 0) > 1)"
/* Sessions of ?1 valid at ?2 with max_age ?3 and idle ?4 (store_staff.c's rule). */
#define LIVE		"staff = ?1 AND created > " INT(2) " - " INT(3) \
			" AND last_seen > " INT(2) " - " INT(4)

static const char *const sql[SA__MAX] = {
	[SA_SET_DISABLED] =	"UPDATE staff SET disabled = ?2 WHERE name = ?1"
				" AND (?2 = 0 OR " NOT_LAST_ADMIN ") RETURNING id",
	[SA_SET_ROLE] =		"UPDATE staff SET role = ?2 WHERE name = ?1"
				" AND (?2 = 'admin' OR " NOT_LAST_ADMIN ") RETURNING id",
	[SA_ID] =		"SELECT id FROM staff WHERE name = ?1",
	[SA_SET_PW] =		"UPDATE staff SET pwhash = ?2 WHERE id = ?1",
	[SA_SESSIONS_END] =	"DELETE FROM staff_session WHERE staff = ?1"
				" AND (token_hash <> ?2 OR ?2 IS NULL)",
	[SA_SESSIONS] =		"SELECT token_hash, created, last_seen FROM staff_session"
				" WHERE " LIVE " ORDER BY created DESC",
	[SA_SESSION_COUNT] =	"SELECT count(*) FROM staff_session WHERE " LIVE,
	[SA_RESET_FORGET] =	"DELETE FROM staff_reset WHERE staff = ?1",
	[SA_RESET_ADD] =	"INSERT INTO staff_reset (token_hash, staff, expires)"
				" VALUES (?1, ?2, ?3)",
	[SA_RESET_FIND] =	"SELECT t.id, t.name FROM staff_reset r JOIN staff t ON t.id = r.staff"
				" WHERE r.token_hash = ?1 AND r.expires > ?2"
				" AND coalesce(t.disabled, 0) = 0",
	[SA_RESET_TAKE] =	"DELETE FROM staff_reset WHERE token_hash = ?1 AND expires > ?2"
				" AND staff = ?3",
	[SA_RESET_PURGE] =	"DELETE FROM staff_reset WHERE expires <= ?1",
};

static const struct store_table table = { TAB_ACCT, sql, SA__MAX, 0, 0 };

static enum store_err
prepared(struct store *st)
{
	return store_table_prepare(st, &table);
}

/* The statement, reset with no bindings (statements are prepared already). */
static struct db_stmt *
q_of(struct store *st, enum astmt which)
{
	enum store_err er;

	return store_table_stmt(st, &table, which, &er);
}

/* Steps q to its end; *rows counts the rows it returned (may be NULL). */
static enum store_err
run(struct db_stmt *q, int64_t *rows)
{
	return store_err_of(store_run(q, rows));
}

static enum store_err
bind_name(struct db_stmt *q, const char *name)
{
	if (name == NULL || strlen(name) > STORE_STAFF_NAME_MAX)
		return STORE_NOTFOUND;
	return db_bind_text(q, 1, name, -1) == DB_OK ? STORE_OK
	    : STORE_INVALID;
}

static enum store_err
bind_hash(struct db_stmt *q, int i, const unsigned char *hash)
{
	if (hash == NULL)
		return STORE_OK;	/* stays NULL */
	return db_bind_blob(q, i, hash, STORE_TOKEN_HASH_BYTES) == DB_OK
	    ? STORE_OK : STORE_INVALID;
}

/* Begins, runs fn, commits with the audit row or rolls back. */
static enum store_err
in_tx(struct store *st, enum store_err (*fn)(struct store *, const void *), const void *arg,
    const struct store_audit *au)
{
	enum store_err er;

	if ((er = prepared(st)) != STORE_OK || (er = store_exec(st, ST_BEGIN)) != STORE_OK)
		return er;
	if ((er = fn(st, arg)) == STORE_OK)
		er = store_staff_audit(st, au);
	return store_end(st, er);
}

/* Account id's sessions end (all but keep), and *ended counts them. */
static enum store_err
end_sessions(struct store *st, int64_t id, const unsigned char *keep, int64_t *ended)
{
	struct db_stmt *q = q_of(st, SA_SESSIONS_END);
	enum store_err er;

	if (db_bind_int64(q, 1, id) != DB_OK || (er = bind_hash(q, 2, keep)) != STORE_OK)
		return STORE_INVALID;
	if ((er = run(q, NULL)) == STORE_OK && ended != NULL)
		*ended = db_changes(st->db);
	return er;
}

static enum store_err
forget_resets(struct store *st, int64_t id)
{
	struct db_stmt *q = q_of(st, SA_RESET_FORGET);

	if (db_bind_int64(q, 1, id) != DB_OK)
		return STORE_INVALID;
	return run(q, NULL);
}

/* After an UPDATE ... RETURNING id on name changed nothing: no such
 * account (STORE_NOTFOUND) or the guard held (STORE_INVALID). */
static enum store_err
why_unchanged(struct store *st, const char *name)
{
	struct db_stmt *q = q_of(st, SA_ID);
	enum store_err er;
	int64_t n = 0;

	if ((er = bind_name(q, name)) != STORE_OK || (er = run(q, &n)) != STORE_OK)
		return er;
	return n == 0 ? STORE_NOTFOUND : STORE_INVALID;
}

struct change {
	const char	*name;
	const char	*role;		/* SA_SET_ROLE */
	int		 disabled;	/* SA_SET_DISABLED */
};

/* Runs a guarded UPDATE of one account by name; *id is its id. */
static enum store_err
guarded(struct store *st, enum astmt which, const struct change *ch, int64_t *id)
{
	struct db_stmt *q = q_of(st, which);
	enum store_err er;
	int rc;

	if ((er = bind_name(q, ch->name)) != STORE_OK)
		return er;
	rc = which == SA_SET_ROLE ? db_bind_text(q, 2, ch->role, -1)
	    : db_bind_int(q, 2, ch->disabled);
	if (rc != DB_OK)
		return STORE_INVALID;
	if ((rc = db_step(q)) == DB_ROW) {
		*id = db_column_int64(q, 0);
		return run(q, NULL);
	}
	db_reset(q);
	if (rc == DB_DONE)
		return why_unchanged(st, ch->name);
	return (rc & 0xff) == DB_CONSTRAINT ? STORE_INVALID : store_err_of(rc);
}

static enum store_err
set_disabled(struct store *st, const void *arg)
{
	const struct change *ch = arg;
	enum store_err er;
	int64_t id;

	if ((er = guarded(st, SA_SET_DISABLED, ch, &id)) != STORE_OK || !ch->disabled)
		return er;
	if ((er = end_sessions(st, id, NULL, NULL)) != STORE_OK)
		return er;
	return forget_resets(st, id);
}

enum store_err
store_staff_set_disabled(struct store *st, const char *name, int disabled,
    const struct store_audit *au)
{
	struct change ch = { name, NULL, disabled != 0 };

	return in_tx(st, set_disabled, &ch, au);
}

static enum store_err
set_role(struct store *st, const void *arg)
{
	int64_t id;

	return guarded(st, SA_SET_ROLE, arg, &id);
}

enum store_err
store_staff_set_role(struct store *st, const char *name, const char *role,
    const struct store_audit *au)
{
	struct change ch = { name, role, 0 };

	if (role == NULL)
		return STORE_INVALID;
	return in_tx(st, set_role, &ch, au);
}

struct pw {
	int64_t			 id;
	const char		*pwhash;
	const unsigned char	*keep;		/* session to keep, or NULL */
	const unsigned char	*code;		/* reset code hash to add or take, or NULL */
	int64_t			 time;		/* expires (add) or now (use) */
	int64_t			*ended;
};

static enum store_err
set_pw(struct store *st, const void *arg)
{
	const struct pw *p = arg;
	struct db_stmt *q = q_of(st, SA_SET_PW);
	enum store_err er;

	if (db_bind_int64(q, 1, p->id) != DB_OK || p->pwhash == NULL ||
	    strlen(p->pwhash) >= STORE_PWHASH_MAX ||
	    db_bind_text(q, 2, p->pwhash, -1) != DB_OK)
		return STORE_INVALID;
	if ((er = run(q, NULL)) != STORE_OK)
		return er;
	if (db_changes(st->db) == 0)
		return STORE_NOTFOUND;
	return end_sessions(st, p->id, p->keep, p->ended);
}

enum store_err
store_staff_set_password(struct store *st, int64_t id, const char *pwhash,
    const unsigned char *keep, const struct store_audit *au, int64_t *ended)
{
	struct pw p = { id, pwhash, keep, NULL, 0, ended };

	return in_tx(st, set_pw, &p, au);
}

static enum store_err
sessions_end(struct store *st, const void *arg)
{
	const struct pw *p = arg;

	return end_sessions(st, p->id, NULL, p->ended);
}

enum store_err
store_staff_sessions_end(struct store *st, int64_t id, const struct store_audit *au,
    int64_t *ended)
{
	struct pw p = { id, NULL, NULL, NULL, 0, ended };

	return in_tx(st, sessions_end, &p, au);
}

/* Binds ?1 id, ?2 now, ?3 max_age, ?4 idle. */
static enum store_err
bind_live(struct db_stmt *q, int64_t id, int64_t now, const struct store_session_limits *lim)
{
	return db_bind_int64(q, 1, id) == DB_OK && db_bind_int64(q, 2, now) ==
	    DB_OK && db_bind_int64(q, 3, lim->max_age) == DB_OK &&
	    db_bind_int64(q, 4, lim->idle) == DB_OK ? STORE_OK : STORE_INVALID;
}

enum store_err
store_staff_sessions(struct store *st, int64_t id, int64_t now,
    const struct store_session_limits *lim,
    int (*fn)(void *ctx, const struct store_session *s), void *ctx)
{
	struct store_session s;
	struct db_stmt *q;
	enum store_err er;
	int rc;

	if ((er = prepared(st)) != STORE_OK)
		return er;
	if ((er = bind_live(q = q_of(st, SA_SESSIONS), id, now, lim)) != STORE_OK)
		return er;
	while ((rc = db_step(q)) == DB_ROW) {
		memset(&s, 0, sizeof s);
		if (db_column_bytes(q, 0) == STORE_TOKEN_HASH_BYTES)
			memcpy(s.token_hash, db_column_blob(q, 0), STORE_TOKEN_HASH_BYTES);
		s.created = db_column_int64(q, 1);
		s.last_seen = db_column_int64(q, 2);
		if (fn(ctx, &s) != 0)
			break;
	}
	db_reset(q);
	return rc == DB_ROW || rc == DB_DONE ? STORE_OK : store_err_of(rc);
}

enum store_err
store_staff_session_count(struct store *st, int64_t id, int64_t now,
    const struct store_session_limits *lim, int64_t *n)
{
	struct db_stmt *q;
	enum store_err er;

	*n = 0;
	if ((er = prepared(st)) != STORE_OK)
		return er;
	if ((er = bind_live(q = q_of(st, SA_SESSION_COUNT), id, now, lim)) != STORE_OK)
		return er;
	return store_count(q, n);
}

static enum store_err
reset_add(struct store *st, const void *arg)
{
	const struct pw *p = arg;
	struct db_stmt *q;
	enum store_err er;

	if ((er = set_pw(st, p)) != STORE_OK || (er = forget_resets(st, p->id)) != STORE_OK)
		return er;
	q = q_of(st, SA_RESET_PURGE);
	if (db_bind_int64(q, 1, p->time - 7 * 24 * 60 * 60) != DB_OK ||
	    (er = run(q, NULL)) != STORE_OK)
		return er != STORE_OK ? er : STORE_INVALID;
	q = q_of(st, SA_RESET_ADD);
	if ((er = bind_hash(q, 1, p->code)) != STORE_OK ||
	    db_bind_int64(q, 2, p->id) != DB_OK ||
	    db_bind_int64(q, 3, p->time) != DB_OK)
		return STORE_INVALID;
	return run(q, NULL);
}

enum store_err
store_staff_reset_add(struct store *st, int64_t id,
    const unsigned char hash[STORE_TOKEN_HASH_BYTES], int64_t expires, const char *pwhash,
    const struct store_audit *au)
{
	struct pw p = { id, pwhash, NULL, hash, expires, NULL };

	return in_tx(st, reset_add, &p, au);
}

enum store_err
store_staff_reset_find(struct store *st, const unsigned char hash[STORE_TOKEN_HASH_BYTES],
    int64_t now, struct store_staff *out)
{
	struct db_stmt *q;
	enum store_err er;
	const char *name;
	int rc;

	memset(out, 0, sizeof *out);
	if ((er = prepared(st)) != STORE_OK)
		return er;
	q = q_of(st, SA_RESET_FIND);
	if (bind_hash(q, 1, hash) != STORE_OK || db_bind_int64(q, 2, now) != DB_OK)
		return STORE_INVALID;
	if ((rc = db_step(q)) == DB_ROW) {
		out->id = db_column_int64(q, 0);
		name = db_column_text(q, 1);
		if (name == NULL || strlen((const char *)name) > STORE_STAFF_NAME_MAX)
			er = STORE_CORRUPT;
		else
			strcpy(out->name, (const char *)name);
	} else
		er = rc == DB_DONE ? STORE_NOTFOUND : store_err_of(rc);
	db_reset(q);
	return er;
}

static enum store_err
reset_use(struct store *st, const void *arg)
{
	const struct pw *p = arg;
	struct db_stmt *q = q_of(st, SA_RESET_TAKE);
	enum store_err er;

	if (bind_hash(q, 1, p->code) != STORE_OK || db_bind_int64(q, 2, p->time) != DB_OK ||
	    db_bind_int64(q, 3, p->id) != DB_OK)
		return STORE_INVALID;
	if ((er = run(q, NULL)) != STORE_OK)
		return er;
	if (db_changes(st->db) != 1)
		return STORE_NOTFOUND;	/* used meanwhile, or expired */
	return set_pw(st, p);
}

enum store_err
store_staff_reset_use(struct store *st, const unsigned char hash[STORE_TOKEN_HASH_BYTES],
    int64_t now, int64_t id, const char *pwhash, const struct store_audit *au)
{
	struct pw p = { id, pwhash, NULL, hash, now, NULL };

	return in_tx(st, reset_use, &p, au);
}
