/* store_poll: workshop poll sessions, their state and presence (the tables
 * of migration 3); votes and statements are in store_poll_vote.c.
 * Invariants: a session's state changes only through store_poll_update, which
 * bumps rev (participants reload when it moves) and refuses a stale write;
 * at most one OPEN session holds a given join code (a partial unique index);
 * once a session is saved, no free text of it is left in plain but the
 * approved statements and the word-cloud words enough people gave; presence
 * keeps a minute, never a second. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store_poll_int.h"

#define CODE_TRIES	16	/* 31^6 codes: a clash among open sessions is rare */
#define SEEN_SLOT	60	/* presence keeps the minute a phone was last seen */

#define SESSION_COLS	"id, code, poll_set, version, def_hash, staff, rev, saved, day," \
			" open, current, show, nq, quick_type, quick_text, quick_options"

static const char *const sql[PS__MAX] = {
	/* PS_CREATE */		"INSERT INTO poll_session (code, poll_set, version, def_hash, staff,"
				" nq, quick_type, quick_text, quick_options, day)"
				" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	/* PS_GET */		"SELECT " SESSION_COLS " FROM poll_session WHERE id = ?1",
	/* PS_FIND */		"SELECT " SESSION_COLS " FROM poll_session WHERE code = ?1"
				" ORDER BY open DESC, id DESC LIMIT 1",
	/* PS_LIST */		"SELECT " SESSION_COLS " FROM poll_session"
				" WHERE ?1 = 0 OR staff = ?1 ORDER BY open DESC, id DESC LIMIT 200",
	/* PS_LOCKS */		"SELECT q, locked FROM poll_question WHERE session = ?1",
	/* PS_UPDATE */		"UPDATE poll_session SET open = ?3, current = ?4, show = ?5,"
				" rev = rev + 1 WHERE id = ?1 AND rev = ?2",
	/* PS_LOCK_SET */	"INSERT INTO poll_question (session, q, locked) VALUES (?1, ?2, ?3)"
				" ON CONFLICT (session, q) DO UPDATE SET locked = excluded.locked",
	/* PS_SAVED */		"UPDATE poll_session SET saved = 1 WHERE id = ?1 AND open = 0",
	/* PS_PRESENCE_DROP */	"DELETE FROM poll_presence WHERE session = ?1",
	/* PS_LANG_DROP */	"UPDATE poll_vote SET lang = NULL WHERE session = ?1",
	/* Free text of question ?2, but for the answers at least ?3 (> 0) of
	 * its participants gave, case-folded as the word cloud counts them. */
	/* PS_TEXT_WIPE */	"UPDATE poll_vote SET value = '' WHERE session = ?1 AND q = ?2"
				" AND text = 1 AND value <> '' AND (?3 <= 0 OR lower(value) NOT IN"
				" (SELECT lower(value) FROM poll_vote WHERE session = ?1 AND q = ?2"
				"  AND text = 1 GROUP BY lower(value) HAVING count(*) >= ?3))",
	/* PS_STATEMENT_WIPE */	"UPDATE poll_statement SET text = '' WHERE session = ?1"
				" AND state <> 1 AND text <> ''",
	/* PS_SEEN_GET */	"SELECT seen FROM poll_presence WHERE session = ?1 AND who = ?2",
	/* PS_SEEN_SET */	"INSERT INTO poll_presence (session, who, seen) VALUES (?1, ?2, ?3)"
				" ON CONFLICT (session, who) DO UPDATE SET seen = excluded.seen",
	/* PS_CONNECTED */	"SELECT count(*) FROM poll_presence WHERE session = ?1 AND seen >= ?2",
	/* A vote counts only while its question is the current one, unlocked,
	 * in an open session (and, for a statement, the statement approved):
	 * checked in the same statement, so a lock can never let one slip in. */
	/* PS_VOTE_ADD */	"INSERT INTO poll_vote (session, q, item, voter, value, text, lang)"
				" SELECT " INT(1) ", " INT(2) ", " INT(3) ", ?4, CAST(?5 AS TEXT), "
				INT(6) ", CAST(?7 AS TEXT)"
				" WHERE EXISTS (SELECT 1 FROM poll_session"
				"  WHERE id = ?1 AND open = 1 AND current = ?2)"
				" AND NOT EXISTS (SELECT 1 FROM poll_question"
				"  WHERE session = ?1 AND q = ?2 AND locked = 1)"
				" AND (?3 = 0 OR EXISTS (SELECT 1 FROM poll_statement"
				"  WHERE id = ?3 AND session = ?1 AND q = ?2 AND state = 1))"
				" ON CONFLICT (session, q, item, voter) DO UPDATE SET"
				" value = excluded.value, text = excluded.text,"
				" lang = excluded.lang,"
				" approved = CASE WHEN poll_vote.value = excluded.value"
				" THEN poll_vote.approved ELSE 0 END",
	/* PS_EACH_VOTE */	"SELECT v.q, v.item, v.voter, v.value, v.text, v.approved, g.value,"
				" v.lang"
				" FROM poll_vote v LEFT JOIN poll_vote g ON ?3 >= 0"
				"  AND g.session = v.session AND g.q = ?3 AND g.item = 0"
				"  AND g.voter = v.voter"
				" WHERE v.session = ?1 AND (?2 < 0 OR v.q = ?2)"
				" ORDER BY v.voter, v.q, v.item",
	/* PS_ANSWERS */	"SELECT count(DISTINCT voter) FROM poll_vote WHERE session = ?1 AND q = ?2",
	/* PS_MY_VOTE */	"SELECT value FROM poll_vote"
				" WHERE session = ?1 AND q = ?2 AND item = ?3 AND voter = ?4",
	/* PS_APPROVE */	"UPDATE poll_vote SET approved = ?4"
				" WHERE session = ?1 AND q = ?2 AND item = 0 AND voter = ?3 AND text = 1",
	/* PS_STATEMENT_ADD */	"INSERT INTO poll_statement (session, q, text)"
				" SELECT " INT(1) ", " INT(2) ", CAST(?3 AS TEXT)"
				" WHERE EXISTS (SELECT 1 FROM poll_session WHERE id = ?1 AND open = 1)",
	/* PS_STATEMENT_SET */	"UPDATE poll_statement SET state = ?3 WHERE session = ?1 AND id = ?2",
	/* PS_EACH_STATEMENT */	"SELECT id, q, text, state FROM poll_statement"
				" WHERE session = ?1 AND q = ?2 ORDER BY id",
};

static const struct store_table table = { TAB_POLL, sql, PS__MAX, 1, 1 };

struct db_stmt *
store_poll_stmt(struct store *st, enum pstmt which, enum store_err *er)
{
	return store_table_stmt(st, &table, which, er);
}

enum store_err
store_poll_run(struct db_stmt *q)
{
	int rc = store_run(q, NULL);

	return (rc & 0xff) == DB_CONSTRAINT && rc != DB_CONSTRAINT_CHECK &&
	    rc != DB_CONSTRAINT_NOTNULL ? STORE_DUPLICATE : store_err_of(rc);
}

static void
copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static const char *
dup_col(struct db_stmt *q, int i, struct arena *a)
{
	const char *s = db_column_text(q, i);

	return s == NULL ? NULL : arena_strdup(a, (const char *)s);
}

/* The row of SESSION_COLS at q into out (quick texts in a, if a is given). */
static void
read_row(struct db_stmt *q, struct arena *a, struct store_poll *out)
{
	memset(out, 0, sizeof *out);
	out->id = db_column_int64(q, 0);
	copy(out->code, sizeof out->code, db_column_text(q, 1));
	copy(out->poll_set, sizeof out->poll_set, db_column_text(q, 2));
	out->version = db_column_int(q, 3);
	copy(out->def_hash, sizeof out->def_hash, db_column_text(q, 4));
	out->staff = db_column_int64(q, 5);
	out->rev = db_column_int64(q, 6);
	out->saved = db_column_int(q, 7);
	copy(out->day, sizeof out->day, db_column_text(q, 8));
	out->state.open = db_column_int(q, 9);
	out->state.current = db_column_int(q, 10);
	out->state.show = db_column_int(q, 11);
	out->state.nq = db_column_int(q, 12);
	if (out->state.nq > POLL_MAX_QUESTIONS)
		out->state.nq = POLL_MAX_QUESTIONS;
	if (a != NULL) {
		out->quick_type = dup_col(q, 13, a);
		out->quick_text = dup_col(q, 14, a);
		out->quick_options = dup_col(q, 15, a);
	}
}

static enum store_err
load_locks(struct store *st, struct store_poll *p)
{
	enum store_err	 er;
	struct db_stmt	*q = store_poll_stmt(st, PS_LOCKS, &er);
	int		 rc;

	if (q == NULL)
		return er;
	db_bind_int64(q, 1, p->id);
	while ((rc = db_step(q)) == DB_ROW) {
		int i = db_column_int(q, 0);
		if (i >= 0 && i < p->state.nq)
			p->state.locked[i] = db_column_int(q, 1) != 0;
	}
	db_reset(q);
	return store_err_of(rc);
}

/* Runs PS_GET or PS_FIND (bound by the caller) into out, with its locks. */
static enum store_err
get_one(struct store *st, struct db_stmt *q, struct arena *a, struct store_poll *out)
{
	int rc = db_step(q);

	if (rc == DB_ROW)
		read_row(q, a, out);
	db_reset(q);
	if (rc == DB_DONE)
		return STORE_NOTFOUND;
	if (rc != DB_ROW)
		return store_err_of(rc);
	if (a != NULL && (out->quick_type && !out->quick_text))
		return STORE_NOMEM;
	return load_locks(st, out);
}

enum store_err
store_poll_get(struct store *st, int64_t id, struct arena *a, struct store_poll *out)
{
	enum store_err	 er;
	struct db_stmt	*q = store_poll_stmt(st, PS_GET, &er);

	if (q == NULL)
		return er;
	db_bind_int64(q, 1, id);
	return get_one(st, q, a, out);
}

enum store_err
store_poll_find(struct store *st, const char *code, struct arena *a, struct store_poll *out)
{
	enum store_err	 er;
	struct db_stmt	*q = store_poll_stmt(st, PS_FIND, &er);

	if (q == NULL)
		return er;
	db_bind_text(q, 1, code, -1);
	return get_one(st, q, a, out);
}

static enum store_err
bind_create(struct db_stmt *q, const struct store_poll *p)
{
	int rc = db_bind_text(q, 1, p->code, -1);

	rc |= db_bind_text(q, 2, p->poll_set, -1);
	rc |= db_bind_int(q, 3, p->version);
	rc |= db_bind_text(q, 4, p->def_hash, -1);
	rc |= db_bind_int64(q, 5, p->staff);
	rc |= db_bind_int(q, 6, p->state.nq);
	rc |= db_bind_text(q, 7, p->quick_type, -1);
	rc |= db_bind_text(q, 8, p->quick_text, -1);
	rc |= db_bind_text(q, 9, p->quick_options, -1);
	rc |= db_bind_text(q, 10, p->day, -1);
	return rc == DB_OK ? STORE_OK : STORE_INVALID;
}

enum store_err
store_poll_create(struct store *st, struct store_poll *p)
{
	enum store_err	 er = STORE_DUPLICATE;
	int		 nq = p->state.nq;

	if (nq < 1 || nq > POLL_MAX_QUESTIONS)
		return STORE_INVALID;
	memset(&p->state, 0, sizeof p->state);
	p->state = (struct poll_state){ .open = 1, .current = -1, .nq = nq };
	p->rev = 0;
	p->saved = 0;
	store_today(p->day);
	for (int t = 0; t < CODE_TRIES && er == STORE_DUPLICATE; t++) {
		struct db_stmt *q = store_poll_stmt(st, PS_CREATE, &er);
		if (q == NULL)
			return er;
		poll_code_new(p->code);
		if ((er = bind_create(q, p)) == STORE_OK)
			er = store_poll_run(q);
	}
	if (er == STORE_OK)
		p->id = db_last_insert_id(st->db);
	return er;
}

static enum store_err
write_state(struct store *st, const struct store_poll *p)
{
	const struct poll_state *s = &p->state;
	enum store_err	 er;
	struct db_stmt	*q = store_poll_stmt(st, PS_UPDATE, &er);

	if (q == NULL)
		return er;
	db_bind_int64(q, 1, p->id);
	db_bind_int64(q, 2, p->rev);
	db_bind_int(q, 3, s->open);
	db_bind_int(q, 4, s->current);
	db_bind_int(q, 5, s->show);
	if ((er = store_poll_run(q)) != STORE_OK)
		return er;
	if (db_changes(st->db) != 1)
		return STORE_BUSY;
	if (s->current < 0 || s->current >= s->nq ||
	    (q = store_poll_stmt(st, PS_LOCK_SET, &er)) == NULL)
		return s->current < 0 ? STORE_OK : er;
	db_bind_int64(q, 1, p->id);
	db_bind_int(q, 2, s->current);
	db_bind_int(q, 3, s->locked[s->current]);
	return store_poll_run(q);
}

enum store_err
store_poll_update(struct store *st, struct store_poll *p)
{
	enum store_err er;

	if ((er = store_exec(st, ST_BEGIN)) != STORE_OK)
		return er;
	if ((er = store_end(st, write_state(st, p))) == STORE_OK)
		p->rev++;
	return er;
}

enum store_err
store_poll_list(struct store *st, int64_t staff,
    int (*fn)(void *ctx, const struct store_poll *p), void *ctx)
{
	enum store_err	 er;
	struct db_stmt	*q = store_poll_stmt(st, PS_LIST, &er);
	struct store_poll p;
	int		 rc;

	if (q == NULL)
		return er;
	db_bind_int64(q, 1, staff);
	while ((rc = db_step(q)) == DB_ROW) {
		read_row(q, NULL, &p);
		if (fn(ctx, &p) != 0) {
			rc = DB_DONE;
			break;
		}
	}
	db_reset(q);
	return store_err_of(rc);
}

/* Runs one PS_* statement bound to the session id alone. */
static enum store_err
run_session(struct store *st, enum pstmt which, int64_t id)
{
	enum store_err	 er;
	struct db_stmt	*q = store_poll_stmt(st, which, &er);

	if (q == NULL)
		return er;
	db_bind_int64(q, 1, id);
	return store_poll_run(q);
}

static enum store_err
forget(struct store *st, const struct store_poll *p, const int *keep_words)
{
	enum store_err er;

	if ((er = run_session(st, PS_SAVED, p->id)) != STORE_OK)
		return er;
	if (db_changes(st->db) != 1)
		return STORE_NOTFOUND;
	if ((er = run_session(st, PS_PRESENCE_DROP, p->id)) != STORE_OK)
		return er;
	/* the responses have their languages now; who read which stays nowhere */
	if ((er = run_session(st, PS_LANG_DROP, p->id)) != STORE_OK)
		return er;
	return store_poll_wipe_texts(st, p, keep_words);
}

enum store_err
store_poll_saved(struct store *st, const struct store_poll *p, const int *keep_words)
{
	enum store_err er;

	if ((er = store_exec(st, ST_BEGIN)) != STORE_OK)
		return er;
	return store_end(st, forget(st, p, keep_words));
}

/* Presence is written with synchronous=NORMAL: in WAL mode that skips the
 * fsync but cannot corrupt the database; the next FULL commit makes it
 * durable anyway.  A count of phones is not worth a disk flush.  It is
 * written once a minute per phone at most: a row holds the minute, as
 * Unix time / SEEN_SLOT, and nothing finer. */
static enum store_err
seen_write(struct store *st, struct db_stmt *q)
{
	enum store_err er;

	if (db_exec(st->db, SQL_SYNC_RELAXED) != DB_OK)
		return STORE_IO;
	er = store_poll_run(q);
	if (db_exec(st->db, SQL_SYNC_FULL) != DB_OK)
		return STORE_IO;
	return er;
}

enum store_err
store_poll_seen(struct store *st, int64_t session, const unsigned char who[STORE_VOTER_BYTES],
    int64_t now)
{
	enum store_err	 er;
	struct db_stmt	*q = store_poll_stmt(st, PS_SEEN_GET, &er);
	int64_t		 seen = 0, slot = now / SEEN_SLOT;
	int		 rc;

	if (q == NULL)
		return er;
	db_bind_int64(q, 1, session);
	db_bind_blob(q, 2, who, STORE_VOTER_BYTES);
	if ((rc = db_step(q)) == DB_ROW)
		seen = db_column_int64(q, 0);
	db_reset(q);
	if (rc != DB_ROW && rc != DB_DONE)
		return store_err_of(rc);
	if (rc == DB_ROW && seen == slot)
		return STORE_OK;
	if ((q = store_poll_stmt(st, PS_SEEN_SET, &er)) == NULL)
		return er;
	db_bind_int64(q, 1, session);
	db_bind_blob(q, 2, who, STORE_VOTER_BYTES);
	db_bind_int64(q, 3, slot);
	return seen_write(st, q);
}

/* The count statement which gives for ?1 = session and ?2 = arg, into *n. */
static enum store_err
session_count(struct store *st, enum pstmt which, int64_t session, int64_t arg, int64_t *n)
{
	enum store_err	 er;
	struct db_stmt	*q = store_poll_stmt(st, which, &er);

	*n = 0;
	if (q == NULL)
		return er;
	db_bind_int64(q, 1, session);
	db_bind_int64(q, 2, arg);
	return store_count(q, n);
}

enum store_err
store_poll_connected(struct store *st, int64_t session, int64_t now, int64_t *n)
{
	return session_count(st, PS_CONNECTED, session, now / SEEN_SLOT - 1, n);
}

enum store_err
store_poll_answers(struct store *st, int64_t session, int q, int64_t *n)
{
	return session_count(st, PS_ANSWERS, session, q, n);
}
