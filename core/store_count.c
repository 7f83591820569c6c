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
	[CS_PUT] =	"INSERT INTO tally_count (survey, gen, tally) VALUES (?1, ?2, ?3)"
			" ON CONFLICT (survey) DO UPDATE SET tally = excluded.tally"
			" WHERE gen = excluded.gen",
};

static enum store_err
prepared(struct store *st)
{
	if (st->count_stmt != NULL)
		return STORE_OK;
	if ((st->count_stmt = calloc(CS__MAX, sizeof *st->count_stmt)) == NULL)
		return STORE_NOMEM;
	for (int i = 0; i < CS__MAX; i++) {
		int rc = sqlite3_prepare_v3(st->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT,
		    &st->count_stmt[i], NULL);
		if (rc != SQLITE_OK) {
			store_count_free(st);
			return store_err_of(rc);
		}
	}
	return STORE_OK;
}

void
store_count_free(struct store *st)
{
	if (st->count_stmt == NULL)
		return;
	for (int i = 0; i < CS__MAX; i++)
		sqlite3_finalize(st->count_stmt[i]);
	free(st->count_stmt);
	st->count_stmt = NULL;
}

/* The statement with ?1 bound to the survey id, or NULL. */
static sqlite3_stmt *
stmt(struct store *st, enum cstmt which, const char *survey, enum store_err *er)
{
	sqlite3_stmt *q;

	if ((*er = prepared(st)) != STORE_OK)
		return NULL;
	q = st->count_stmt[which];
	if (sqlite3_bind_text(q, 1, survey, -1, SQLITE_STATIC) != SQLITE_OK) {
		*er = STORE_INVALID;
		return NULL;
	}
	return q;
}

static void
done(sqlite3_stmt *q)
{
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
}

enum store_err
store_count_get(struct store *st, const char *survey, int64_t *gen, unsigned char **blob,
    size_t *len)
{
	sqlite3_stmt *q;
	enum store_err er;
	int rc;

	*gen = 0;
	*blob = NULL;
	*len = 0;
	if ((q = stmt(st, CS_GET, survey, &er)) == NULL)
		return er;
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const void *b = sqlite3_column_blob(q, 1);
		int n = sqlite3_column_bytes(q, 1);
		*gen = sqlite3_column_int64(q, 0);
		if (b != NULL && n > 0 && (*blob = malloc((size_t)n)) == NULL)
			rc = SQLITE_NOMEM;
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
	sqlite3_stmt *q;
	enum store_err er;
	int rc = SQLITE_OK;

	if (len > INT32_MAX)
		return STORE_INVALID;
	if ((q = stmt(st, CS_PUT, survey, &er)) == NULL)
		return er;
	if (sqlite3_bind_int64(q, 2, gen) != SQLITE_OK ||
	    sqlite3_bind_blob(q, 3, blob, (int)len, SQLITE_STATIC) != SQLITE_OK)
		er = STORE_INVALID;
	else if ((er = store_exec_sql(st->db, "PRAGMA synchronous = NORMAL")) == STORE_OK) {
		rc = sqlite3_step(q);
		er = store_exec_sql(st->db, "PRAGMA synchronous = FULL");
	}
	done(q);
	return rc != SQLITE_DONE && rc != SQLITE_OK ? store_err_of(rc) : er;
}
