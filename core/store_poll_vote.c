/* store_poll_vote: poll votes (written in batches by the writer process),
 * the readers that tally them, free-text moderation and statements, and
 * wiping their plain text once it is no longer needed. */
#include <string.h>
#include "store_poll_int.h"

static int
vote_ok(const struct store_poll_vote *v)
{
	return v->value != NULL && strlen(v->value) <= STORE_POLL_TEXT_MAX && v->q >= 0 &&
	    v->q < POLL_MAX_QUESTIONS && v->item >= 0 &&
	    (v->lang == NULL || (*v->lang != '\0' && strlen(v->lang) <= STORE_POLL_LANG_MAX));
}

/* One vote inside the open transaction: its result, or -1 with *fatal set
 * when the transaction itself failed. */
static enum store_err
add_one(struct store *st, const struct store_poll_vote *v, enum store_err *fatal)
{
	struct db_stmt	*q = store_poll_stmt(st, PS_VOTE_ADD, fatal);
	enum store_err	 er;

	if (q == NULL)
		return *fatal;
	if (!vote_ok(v))
		return STORE_INVALID;
	db_bind_int64(q, 1, v->session);
	db_bind_int(q, 2, v->q);
	db_bind_int64(q, 3, v->item);
	db_bind_blob(q, 4, v->voter, STORE_VOTER_BYTES);
	db_bind_text(q, 5, v->value, -1);
	db_bind_int(q, 6, v->text != 0);
	if (v->lang != NULL)
		db_bind_text(q, 7, v->lang, -1);
	er = store_poll_run(q);
	if (er == STORE_OK)
		return db_changes(st->db) == 1 ? STORE_OK : STORE_NOTFOUND;
	if (er == STORE_INVALID || er == STORE_DUPLICATE)
		return STORE_INVALID;	/* this vote alone: SQLite undid just the statement */
	*fatal = er;
	return er;
}

enum store_err
store_poll_votes_add(struct store *st, const struct store_poll_vote *const *v, size_t n,
    enum store_err *results)
{
	enum store_err er, fatal = STORE_OK;

	if ((er = store_exec(st, ST_BEGIN)) != STORE_OK)
		goto fail;
	for (size_t i = 0; i < n && fatal == STORE_OK; i++)
		results[i] = add_one(st, v[i], &fatal);
	if ((er = fatal) != STORE_OK || (er = store_exec(st, ST_COMMIT)) != STORE_OK) {
		(void)store_exec(st, ST_ROLLBACK);
		goto fail;
	}
	return STORE_OK;
fail:
	for (size_t i = 0; i < n; i++)
		results[i] = er;
	return er;
}

enum store_err
store_poll_each_vote(struct store *st, int64_t session, int q, int group_q,
    int (*fn)(void *ctx, const struct store_poll_row *r), void *ctx)
{
	enum store_err	 er;
	struct db_stmt	*s = store_poll_stmt(st, PS_EACH_VOTE, &er);
	struct store_poll_row r;
	int		 rc;

	if (s == NULL)
		return er;
	db_bind_int64(s, 1, session);
	db_bind_int(s, 2, q);
	db_bind_int(s, 3, group_q);
	while ((rc = db_step(s)) == DB_ROW) {
		if (db_column_bytes(s, 2) != STORE_VOTER_BYTES)
			continue;
		r.q = db_column_int(s, 0);
		r.item = db_column_int64(s, 1);
		r.voter = db_column_blob(s, 2);
		r.value = (const char *)db_column_text(s, 3);
		r.text = db_column_int(s, 4);
		r.approved = db_column_int(s, 5);
		r.group = (const char *)db_column_text(s, 6);
		r.lang = (const char *)db_column_text(s, 7);
		if (r.value == NULL)
			continue;
		if (fn(ctx, &r) != 0) {
			rc = DB_DONE;
			break;
		}
	}
	db_reset(s);
	return store_err_of(rc);
}

enum store_err
store_poll_my_vote(struct store *st, int64_t session, int q, int64_t item,
    const unsigned char voter[STORE_VOTER_BYTES], struct arena *a, const char **value)
{
	enum store_err	 er;
	struct db_stmt	*s = store_poll_stmt(st, PS_MY_VOTE, &er);
	int		 rc;

	*value = NULL;
	if (s == NULL)
		return er;
	db_bind_int64(s, 1, session);
	db_bind_int(s, 2, q);
	db_bind_int64(s, 3, item);
	db_bind_blob(s, 4, voter, STORE_VOTER_BYTES);
	if ((rc = db_step(s)) == DB_ROW &&
	    (*value = arena_strdup(a, (const char *)db_column_text(s, 0))) == NULL)
		rc = DB_NOMEM;
	db_reset(s);
	if (rc == DB_DONE)
		return STORE_NOTFOUND;
	return store_err_of(rc);
}

enum store_err
store_poll_approve(struct store *st, int64_t session, int q,
    const unsigned char voter[STORE_VOTER_BYTES], int approved)
{
	enum store_err	 er;
	struct db_stmt	*s = store_poll_stmt(st, PS_APPROVE, &er);

	if (s == NULL)
		return er;
	db_bind_int64(s, 1, session);
	db_bind_int(s, 2, q);
	db_bind_blob(s, 3, voter, STORE_VOTER_BYTES);
	db_bind_int(s, 4, approved != 0);
	if ((er = store_poll_run(s)) != STORE_OK)
		return er;
	return db_changes(st->db) == 1 ? STORE_OK : STORE_NOTFOUND;
}

enum store_err
store_poll_statement_add(struct store *st, int64_t session, int q, const char *text,
    int64_t *id)
{
	enum store_err	 er;
	struct db_stmt	*s = store_poll_stmt(st, PS_STATEMENT_ADD, &er);

	if (s == NULL)
		return er;
	if (text == NULL || strlen(text) > STORE_POLL_TEXT_MAX)
		return STORE_INVALID;
	db_bind_int64(s, 1, session);
	db_bind_int(s, 2, q);
	db_bind_text(s, 3, text, -1);
	if ((er = store_poll_run(s)) != STORE_OK)
		return er;
	if (db_changes(st->db) != 1)
		return STORE_NOTFOUND;
	if (id != NULL)
		*id = db_last_insert_id(st->db);
	return STORE_OK;
}

enum store_err
store_poll_statement_set(struct store *st, int64_t session, int64_t id,
    enum store_poll_sstate state)
{
	enum store_err	 er;
	struct db_stmt	*s = store_poll_stmt(st, PS_STATEMENT_SET, &er);

	if (s == NULL)
		return er;
	if ((unsigned)state >= SPS__MAX)
		return STORE_INVALID;
	db_bind_int64(s, 1, session);
	db_bind_int64(s, 2, id);
	db_bind_int(s, 3, (int)state);
	if ((er = store_poll_run(s)) != STORE_OK)
		return er;
	return db_changes(st->db) == 1 ? STORE_OK : STORE_NOTFOUND;
}

enum store_err
store_poll_each_statement(struct store *st, int64_t session, int q,
    int (*fn)(void *ctx, const struct store_poll_statement *s), void *ctx)
{
	enum store_err	 er;
	struct db_stmt	*s = store_poll_stmt(st, PS_EACH_STATEMENT, &er);
	struct store_poll_statement ps;
	int		 rc;

	if (s == NULL)
		return er;
	db_bind_int64(s, 1, session);
	db_bind_int(s, 2, q);
	while ((rc = db_step(s)) == DB_ROW) {
		ps.id = db_column_int64(s, 0);
		ps.q = db_column_int(s, 1);
		ps.text = (const char *)db_column_text(s, 2);
		ps.state = (enum store_poll_sstate)db_column_int(s, 3);
		if (ps.text == NULL || *ps.text == '\0' || (unsigned)ps.state >= SPS__MAX)
			continue;	/* wiped when its session was saved */
		if (fn(ctx, &ps) != 0) {
			rc = DB_DONE;
			break;
		}
	}
	db_reset(s);
	return store_err_of(rc);
}

enum store_err
store_poll_wipe_texts(struct store *st, const struct store_poll *p, const int *keep_words)
{
	enum store_err	 er = STORE_OK;
	struct db_stmt	*q;

	for (int i = 0; i < p->state.nq && er == STORE_OK; i++) {
		if ((q = store_poll_stmt(st, PS_TEXT_WIPE, &er)) == NULL)
			return er;
		db_bind_int64(q, 1, p->id);
		db_bind_int(q, 2, i);
		db_bind_int(q, 3, keep_words != NULL ? keep_words[i] : 0);
		er = store_poll_run(q);
	}
	if (er != STORE_OK || (q = store_poll_stmt(st, PS_STATEMENT_WIPE, &er)) == NULL)
		return er;
	db_bind_int64(q, 1, p->id);
	return store_poll_run(q);
}

enum store_err
store_poll_backup_wipe(struct db *dst)
{
	struct db_stmt	*q = NULL;
	int		 rc, n = 0;

	rc = db_prepare(dst, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
	    " AND name IN ('poll_session', 'poll_vote', 'poll_statement')", 0, &q);
	if (rc == DB_OK && (rc = db_step(q)) == DB_ROW)
		n = db_column_int(q, 0);
	db_finalize(q);
	if (rc != DB_ROW || n != 3)
		return rc == DB_ROW ? STORE_OK : store_err_of(rc);
	return store_exec_sql(dst, "PRAGMA secure_delete = ON;"
	    "BEGIN IMMEDIATE;"
	    "UPDATE poll_vote SET value = '' WHERE text = 1 AND value <> ''"
	    " AND session IN (SELECT id FROM poll_session WHERE saved = 0);"
	    "UPDATE poll_statement SET text = '' WHERE state <> 1 AND text <> ''"
	    " AND session IN (SELECT id FROM poll_session WHERE saved = 0);"
	    "COMMIT;");
}
