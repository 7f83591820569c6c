/* store_draft: the rows of unfinished answers (migration 8, "drafts").  The store sees
 * only lookup ids, expiry days and sealed boxes (draft.h makes them); it
 * cannot open a box.  Invariants: a row whose expiry day has passed is never
 * returned (reading one deletes it), every write first deletes every expired
 * row, and the connection that touches drafts runs with secure_delete on, so
 * a deleted draft's bytes are overwritten rather than left in free space.
 * A draft write commits with synchronous=NORMAL: no disk flush of its own
 * (the next FULL commit, the writer's, flushes it), so a step costs no fsync
 * and holds the write lock for less time; a power cut may lose the last
 * steps of a draft, never a response, and cannot corrupt the database. */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "store_int.h"

enum dstmt {
	DS_PUT,
	DS_GET,
	DS_DEL,
	DS_SWEEP,
	DS_CODE_PUT,
	DS_CODE_GET,
	DS_CODE_DEL,
	DS_CODE_TOUCH,
	DS_CODE_SWEEP,
	DS_FAIL_ADD,
	DS_FAIL_GET,
	DS_FAIL_SWEEP,
	DS_NONCE_USED,
	DS__MAX
};

static const char *const sql[DS__MAX] = {
	[DS_PUT] =	"INSERT INTO draft (id, expires, box) VALUES (?1, ?2, ?3)"
			" ON CONFLICT (id) DO UPDATE SET expires = excluded.expires, box = excluded.box",
	[DS_GET] =	"SELECT expires, box FROM draft WHERE id = ?1",
	[DS_DEL] =	"DELETE FROM draft WHERE id = ?1",
	[DS_SWEEP] =	"DELETE FROM draft WHERE expires < ?1",
	[DS_CODE_PUT] =	"INSERT INTO draft_code (id, expires, box) VALUES (?1, ?2, ?3)"
			" ON CONFLICT (id) DO UPDATE SET expires = excluded.expires, box = excluded.box",
	[DS_CODE_GET] =	"SELECT expires, box FROM draft_code WHERE id = ?1",
	[DS_CODE_DEL] =	"DELETE FROM draft_code WHERE id = ?1",
	[DS_CODE_TOUCH] = "UPDATE draft_code SET expires = ?2 WHERE id = ?1",
	[DS_CODE_SWEEP] = "DELETE FROM draft_code WHERE expires < ?1",
	[DS_FAIL_ADD] =	"INSERT INTO draft_fail (survey, day, n) VALUES (?1, ?2, 1)"
			" ON CONFLICT (survey, day) DO UPDATE SET n = draft_fail.n + 1",
	[DS_FAIL_GET] =	"SELECT n FROM draft_fail WHERE survey = ?1 AND day = ?2",
	[DS_FAIL_SWEEP] = "DELETE FROM draft_fail WHERE day < ?1",
	[DS_NONCE_USED] = "SELECT count(*) FROM used_nonce WHERE hash = ?1",
};

static const struct store_table table = { TAB_DRAFT, sql, DS__MAX, 1, 0 };

static enum store_err
prepared(struct store *st)
{
	return store_table_prepare(st, &table);
}

/* The statement, reset, with ?1 bound to the blob id (n bytes) when id is not
 * NULL, else to the integer v. */
static struct db_stmt *
stmt(struct store *st, enum dstmt which, const unsigned char *id, size_t n, long v)
{
	enum store_err er;
	struct db_stmt *q = store_table_stmt(st, &table, which, &er);

	if (q == NULL || (id ? db_bind_blob(q, 1, id, (int)n)
	    : db_bind_int64(q, 1, v)) != DB_OK)
		return NULL;
	return q;
}

static enum store_err
run(struct db_stmt *q)
{
	if (q == NULL)
		return STORE_INVALID;
	return store_err_of(store_run(q, NULL));
}

static enum store_err
sweep(struct store *st, long today)
{
	enum store_err er;

	if ((er = run(stmt(st, DS_SWEEP, NULL, 0, today))) != STORE_OK ||
	    (er = run(stmt(st, DS_CODE_SWEEP, NULL, 0, today))) != STORE_OK)
		return er;
	return run(stmt(st, DS_FAIL_SWEEP, NULL, 0, today));
}

static enum store_err
put(struct store *st, enum dstmt which, const unsigned char id[STORE_DRAFT_ID_BYTES],
    long expires, const void *box, size_t n)
{
	struct db_stmt *q = stmt(st, which, id, STORE_DRAFT_ID_BYTES, 0);

	if (q == NULL || n > 1024 * 1024 || db_bind_int64(q, 2, expires) != DB_OK ||
	    db_bind_blob(q, 3, box, (int)n) != DB_OK)
		return STORE_INVALID;
	return run(q);
}

enum store_err
store_draft_put(struct store *st, const unsigned char id[STORE_DRAFT_ID_BYTES], long expires,
    const void *box, size_t n, const unsigned char *code, long today)
{
	enum store_err	 er;
	struct db_stmt	*q;

	if ((er = prepared(st)) != STORE_OK ||
	    (er = store_exec_sql(st->db, SQL_SYNC_RELAXED)) != STORE_OK)
		return er;
	if ((er = store_exec(st, ST_BEGIN)) != STORE_OK) {
		(void)store_exec_sql(st->db, SQL_SYNC_FULL);
		return er;
	}
	if ((er = store_exec_sql(st->db, SQL_SYNC_RELAXED_TX)) == STORE_OK &&
	    (er = sweep(st, today)) == STORE_OK &&
	    (er = put(st, DS_PUT, id, expires, box, n)) == STORE_OK && code != NULL) {
		q = stmt(st, DS_CODE_TOUCH, code, STORE_DRAFT_ID_BYTES, 0);
		er = q == NULL || db_bind_int64(q, 2, expires) != DB_OK ? STORE_INVALID
		    : run(q);
	}
	er = store_end(st, er);
	if (store_exec_sql(st->db, SQL_SYNC_FULL) != STORE_OK && er == STORE_OK)
		er = STORE_IO;
	return er;
}

enum store_err
store_draft_code_put(struct store *st, const unsigned char id[STORE_DRAFT_ID_BYTES],
    long expires, const void *box, size_t n)
{
	enum store_err er;

	if ((er = prepared(st)) != STORE_OK || (er = store_exec(st, ST_BEGIN)) != STORE_OK)
		return er;
	return store_end(st, put(st, DS_CODE_PUT, id, expires, box, n));
}

/* Reads row id of draft or draft_code (which: DS_GET or DS_CODE_GET). */
static enum store_err
get(struct store *st, enum dstmt which, const unsigned char id[STORE_DRAFT_ID_BYTES],
    long today, struct buf *box, long *expires)
{
	enum store_err	 er;
	struct db_stmt	*q;
	long		 ex = 0;
	int		 rc;

	if ((er = prepared(st)) != STORE_OK)
		return er;
	if ((q = stmt(st, which, id, STORE_DRAFT_ID_BYTES, 0)) == NULL)
		return STORE_INVALID;
	if ((rc = db_step(q)) == DB_ROW) {
		ex = (long)db_column_int64(q, 0);
		buf_add(box, db_column_blob(q, 1), (size_t)db_column_bytes(q, 1));
	}
	db_reset(q);
	if (rc != DB_ROW)
		return rc == DB_DONE ? STORE_NOTFOUND : store_err_of(rc);
	if (buf_failed(box))
		return STORE_NOMEM;
	if (expires != NULL)
		*expires = ex;
	if (ex >= today)
		return STORE_OK;
	box->len = 0;
	er = store_draft_sweep(st, today);	/* gone on access */
	return er == STORE_OK ? STORE_NOTFOUND : er;
}

enum store_err
store_draft_get(struct store *st, const unsigned char id[STORE_DRAFT_ID_BYTES], long today,
    struct buf *box, long *expires)
{
	return get(st, DS_GET, id, today, box, expires);
}

enum store_err
store_draft_code_get(struct store *st, const unsigned char id[STORE_DRAFT_ID_BYTES], long today,
    struct buf *box)
{
	return get(st, DS_CODE_GET, id, today, box, NULL);
}

enum store_err
store_draft_del(struct store *st, const unsigned char id[STORE_DRAFT_ID_BYTES],
    const unsigned char *code)
{
	enum store_err er;

	if ((er = prepared(st)) != STORE_OK || (er = store_exec(st, ST_BEGIN)) != STORE_OK)
		return er;
	er = run(stmt(st, DS_DEL, id, STORE_DRAFT_ID_BYTES, 0));
	if (er == STORE_OK && code != NULL)
		er = run(stmt(st, DS_CODE_DEL, code, STORE_DRAFT_ID_BYTES, 0));
	return store_end(st, er);
}

enum store_err
store_draft_sweep(struct store *st, long today)
{
	enum store_err er;

	if ((er = prepared(st)) != STORE_OK || (er = store_exec(st, ST_BEGIN)) != STORE_OK)
		return er;
	return store_end(st, sweep(st, today));
}

enum store_err
store_draft_failures(struct store *st, const char *survey, long today, int add, int64_t *n)
{
	enum store_err	 er;
	struct db_stmt	*q;

	*n = 0;
	if ((er = prepared(st)) != STORE_OK)
		return er;
	if (add) {
		if ((er = store_exec(st, ST_BEGIN)) != STORE_OK)
			return er;
		q = st->tab[TAB_DRAFT][DS_FAIL_ADD];
		db_reset(q);
		er = db_bind_text(q, 1, survey, -1) != DB_OK ||
		    db_bind_int64(q, 2, today) != DB_OK ? STORE_INVALID : run(q);
		if ((er = store_end(st, er)) != STORE_OK)
			return er;
	}
	q = st->tab[TAB_DRAFT][DS_FAIL_GET];
	db_reset(q);
	if (db_bind_text(q, 1, survey, -1) != DB_OK ||
	    db_bind_int64(q, 2, today) != DB_OK)
		return STORE_INVALID;
	return store_count(q, n);
}

enum store_err
store_nonce_used(struct store *st, const unsigned char key[STORE_NONCE_KEY_BYTES],
    const unsigned char nonce[16], int *used)
{
	enum store_err	 er;
	unsigned char	 h[32];
	int64_t		 n = 0;

	*used = 0;
	if ((er = prepared(st)) != STORE_OK)
		return er;
	crypto_generichash(h, sizeof h, nonce, 16, key, STORE_NONCE_KEY_BYTES);
	if ((er = store_count(stmt(st, DS_NONCE_USED, h, sizeof h, 0), &n)) == STORE_OK)
		*used = n > 0;
	return er;
}
