/* store_count: a survey's stored count (store.h) and the gen that says
 * whether it is still the count of the survey's responses.  The triggers
 * that raise gen are in the "tally_count" migration (store_schema.c). */
#include <stdlib.h>
#include <string.h>
#include "store_int.h"

enum store_err
store_count_get(struct store *st, const char *survey, int64_t *gen, unsigned char **blob,
    size_t *len)
{
	sqlite3_stmt *q = NULL;
	int rc;

	*gen = 0;
	*blob = NULL;
	*len = 0;
	rc = sqlite3_prepare_v2(st->db, "SELECT gen, tally FROM tally_count WHERE survey = ?1",
	    -1, &q, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(q, 1, survey, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		const void *b = sqlite3_column_blob(q, 1);
		int n = sqlite3_column_bytes(q, 1);
		*gen = sqlite3_column_int64(q, 0);
		if (b != NULL && n > 0) {
			if ((*blob = malloc((size_t)n)) == NULL)
				rc = SQLITE_NOMEM;
			else {
				memcpy(*blob, b, (size_t)n);
				*len = (size_t)n;
			}
		}
	}
	sqlite3_finalize(q);
	return store_err_of(rc);
}

/* No row yet (gen 0) is a row of gen 0: an insert, unless a response came
 * in the meantime and made the row (gen 1 or more).  Committed without
 * waiting for the disk (synchronous NORMAL, for this transaction only):
 * counts lost to a power cut are counted again, and the next commit of the
 * connection with FULL syncs the log with them. */
enum store_err
store_count_put(struct store *st, const char *survey, int64_t gen, const unsigned char *blob,
    size_t len)
{
	sqlite3_stmt *q = NULL;
	enum store_err er = STORE_OK;
	int rc;

	if (len > INT32_MAX)
		return STORE_INVALID;
	rc = sqlite3_prepare_v2(st->db, "INSERT INTO tally_count (survey, gen, tally)"
	    " VALUES (?1, ?2, ?3) ON CONFLICT (survey) DO UPDATE SET tally = excluded.tally"
	    " WHERE gen = excluded.gen", -1, &q, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(q, 1, survey, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(q, 2, gen);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_blob(q, 3, blob, (int)len, SQLITE_STATIC);
	if (rc == SQLITE_OK && (er = store_exec_sql(st->db, "PRAGMA synchronous = NORMAL")) ==
	    STORE_OK) {
		rc = sqlite3_step(q);
		er = store_exec_sql(st->db, "PRAGMA synchronous = FULL");
	}
	sqlite3_finalize(q);
	return rc != SQLITE_DONE && rc != SQLITE_OK ? store_err_of(rc) : er;
}
