/* store_move: migration 4's step.  Reads the old answer table in its key
 * order (response, question, pos), so each response's answers arrive
 * together and already in the order the answers column keeps, and writes
 * them into response_one in the one-row form (store_int.h).  Old texts keep
 * their own seals (TEXTS_PIECES): the server holds no key that opens them.
 * A response whose texts were sealed under different periods cannot be
 * written in that form; store_add never stored one (a submission is sealed
 * under one sealer), so one found here is STORE_CORRUPT and the migration,
 * left undone, stops the store from opening. */
#include <limits.h>
#include <string.h>
#include "store_int.h"

enum { M_RESPONSE, M_QUESTION, M_POS, M_VALUE, M_SEALED, M_KEY };

struct move {
	struct db_stmt	*set;
	struct pbuf	 json, texts;
	int64_t		 id, key;
	int		 have;
};

/* Writes the gathered response and starts the next one. */
static enum store_err
flush(struct move *m)
{
	enum store_err	 er = STORE_OK;
	int		 rc;

	if (!m->have)
		return STORE_OK;
	if (pbuf_add(&m->json, "]", 1) != 0)
		return STORE_NOMEM;
	if (m->json.n > INT_MAX || m->texts.n > INT_MAX)
		return STORE_INVALID;
	db_bind_int64(m->set, 1, m->id);
	db_bind_text(m->set, 2, (const char *)m->json.p, (int)m->json.n);
	if (m->texts.n > 0) {
		db_bind_blob(m->set, 3, m->texts.p, (int)m->texts.n);
		db_bind_int64(m->set, 4, m->key);
	} else {
		db_bind_null(m->set, 3);
		db_bind_null(m->set, 4);
	}
	rc = db_step(m->set);
	db_reset(m->set);
	if (rc != DB_DONE)
		er = store_err_of(rc);
	m->have = 0;
	return er;
}

static enum store_err
add_row(struct move *m, struct db_stmt *q)
{
	const char	*question = (const char *)db_column_text(q, M_QUESTION);
	int		 sealed = !db_column_is_null(q, M_SEALED);
	const char	*value = sealed ? NULL : (const char *)db_column_text(q, M_VALUE);
	size_t		 len = (size_t)db_column_bytes(q, sealed ? M_SEALED : M_VALUE);

	if (!m->have) {
		m->id = db_column_int64(q, M_RESPONSE);
		m->json.n = m->texts.n = 0;
		m->have = 1;
		if (pbuf_add(&m->json, "[", 1) != 0)
			return STORE_NOMEM;
	}
	if (question == NULL || (!sealed && value == NULL))
		return STORE_CORRUPT;
	if (sealed && m->texts.n == 0) {
		m->key = db_column_int64(q, M_KEY);
		if (pbuf_add(&m->texts, (unsigned char[]){ TEXTS_PIECES }, 1) != 0)
			return STORE_NOMEM;
	} else if (sealed && db_column_int64(q, M_KEY) != m->key) {
		return STORE_CORRUPT;
	}
	if (pack_answer(&m->json, question, db_column_int(q, M_POS), value, len) != 0 ||
	    (sealed && pack_piece(&m->texts, db_column_blob(q, M_SEALED), len) != 0))
		return STORE_NOMEM;
	return STORE_OK;
}

static enum store_err
move_all(struct move *m, struct db_stmt *q)
{
	enum store_err	 er;
	int		 rc;

	while ((rc = db_step(q)) == DB_ROW) {
		if (m->have && db_column_int64(q, M_RESPONSE) != m->id &&
		    (er = flush(m)) != STORE_OK)
			return er;
		if ((er = add_row(m, q)) != STORE_OK)
			return er;
	}
	if (rc != DB_DONE)
		return store_err_of(rc);
	return flush(m);
}

enum store_err
store_move_answers(struct db *db)
{
	struct db_stmt	*q = NULL;
	struct move	 m;
	enum store_err	 er;

	memset(&m, 0, sizeof m);
	er = store_err_of(db_prepare(db, "SELECT response, question, pos, value,"
	    " sealed, seal_key FROM answer ORDER BY response, question, pos", 0, &q));
	if (er == STORE_OK)
		er = store_err_of(db_prepare(db, "UPDATE response_one"
		    " SET answers = ?2, texts = ?3, texts_key = ?4 WHERE id = ?1", 0, &m.set));
	if (er == STORE_OK)
		er = move_all(&m, q);
	db_finalize(q);
	db_finalize(m.set);
	pbuf_free(&m.json, 0);
	pbuf_free(&m.texts, 0);
	return er;
}
