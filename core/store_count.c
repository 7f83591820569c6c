/* store_count: a survey's kept counts (store.h) and the gen that says
 * whether they are still the counts of the survey's responses.  The
 * triggers that raise gen are in the "tally_count" migration
 * (store_schema.c).  Statements are prepared on first use, like the other
 * optional parts of the store. */
#include <stdlib.h>
#include <string.h>
#include "store_int.h"

enum cstmt { CS_GET, CS_PUT, CS__MAX };

static const char *const sql[CS__MAX] = {
	[CS_GET] =	"SELECT gen, tally FROM tally_count WHERE survey = ?1",
	/* No row yet (gen 0) is a row of gen 0: an insert, unless a response
	 * came in the meantime and made the row (gen 1 or more). */
	[CS_PUT] =	"INSERT INTO tally_count (survey, gen, tally) VALUES (?1, " INT(2) ", ?3)"
			" ON CONFLICT (survey) DO UPDATE SET tally = excluded.tally"
			" WHERE tally_count.gen = excluded.gen",
};

static enum store_err
prepared(struct store *st)
{
	if (st->count_stmt != NULL)
		return STORE_OK;
	return store_err_of(db_prepare_table(st->db, sql, CS__MAX, &st->count_stmt));
}

void
store_count_free(struct store *st)
{
	db_finalize_table(&st->count_stmt, CS__MAX);
}

/* The statement with ?1 bound to the survey id, or NULL. */
static struct db_stmt *
stmt(struct store *st, enum cstmt which, const char *survey, enum store_err *er)
{
	struct db_stmt *q;

	if ((*er = prepared(st)) != STORE_OK)
		return NULL;
	q = st->count_stmt[which];
	if (db_bind_text(q, 1, survey, -1) != DB_OK) {
		*er = STORE_INVALID;
		return NULL;
	}
	return q;
}

static void
done(struct db_stmt *q)
{
	db_reset(q);
	db_clear_bindings(q);
}

enum store_err
store_count_get(struct store *st, const char *survey, int64_t *gen, unsigned char **blob,
    size_t *len)
{
	struct db_stmt *q;
	enum store_err er;
	int rc;

	*gen = 0;
	*blob = NULL;
	*len = 0;
	if ((q = stmt(st, CS_GET, survey, &er)) == NULL)
		return er;
	if ((rc = db_step(q)) == DB_ROW) {
		const void *b = db_column_blob(q, 1);
		int n = db_column_bytes(q, 1);
		*gen = db_column_int64(q, 0);
		if (b != NULL && n > 0 && (*blob = malloc((size_t)n)) == NULL)
			rc = DB_NOMEM;
		else if (b != NULL && n > 0) {
			memcpy(*blob, b, (size_t)n);
			*len = (size_t)n;
		}
	}
	done(q);
	return store_err_of(rc);
}

/* Committed without waiting for the disk (synchronous NORMAL, for this one
 * transaction): counts lost to a power cut are counted again, and the next
 * commit of the connection, with FULL, syncs the log with them. */
enum store_err
store_count_put(struct store *st, const char *survey, int64_t gen, const unsigned char *blob,
    size_t len)
{
	struct db_stmt *q;
	enum store_err er;
	int rc = DB_OK;

	if (len > INT32_MAX)
		return STORE_INVALID;
	if ((q = stmt(st, CS_PUT, survey, &er)) == NULL)
		return er;
	if (db_bind_int64(q, 2, gen) != DB_OK ||
	    db_bind_blob(q, 3, blob, (int)len) != DB_OK)
		er = STORE_INVALID;
	else if ((er = store_exec_sql(st->db, SQL_SYNC_RELAXED)) == STORE_OK) {
		rc = db_step(q);
		er = store_exec_sql(st->db, SQL_SYNC_FULL);
	}
	done(q);
	return rc != DB_DONE && rc != DB_OK ? store_err_of(rc) : er;
}
