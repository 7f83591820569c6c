/* store_life: an admin's close or reopen of a survey (the survey_state
 * table), and the survey versions that have responses.
 * Invariants: a change commits together with its audit row; the table holds
 * staff-side facts only.  Statements are prepared on first use, so a store
 * of an older schema (the analysis tool's) still opens. */
#include <stdlib.h>
#include <string.h>
#include "store_int.h"

enum lstmt { LS_GET, LS_SET, LS_VERSIONS, LS__MAX };

static const char *const sql[LS__MAX] = {
	[LS_GET] =	"SELECT action, at, grace, staff, reason FROM survey_state WHERE survey = ?1",
	[LS_SET] =	"INSERT INTO survey_state (survey, action, at, grace, staff, reason)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (survey) DO UPDATE SET"
			" action = excluded.action, at = excluded.at, grace = excluded.grace,"
			" staff = excluded.staff, reason = excluded.reason",
	[LS_VERSIONS] =	"SELECT DISTINCT version FROM response WHERE survey = ?1 ORDER BY version",
};

static const struct store_table table = { TAB_LIFE, sql, LS__MAX, 0, 0 };

/* The statement, reset with no bindings, or NULL when it cannot be prepared. */
static struct db_stmt *
stmt(struct store *st, enum lstmt which, enum store_err *er)
{
	return store_table_stmt(st, &table, which, er);
}

static void
copy_col(struct db_stmt *q, int i, char *dst, size_t cap)
{
	const char *s = db_column_text(q, i);
	size_t n = s ? (size_t)db_column_bytes(q, i) : 0;

	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s ? (const char *)s : "", n);
	dst[n] = '\0';
}

enum store_err
store_survey_state_get(struct store *st, const char *survey, struct store_survey_state *out)
{
	struct db_stmt *q;
	enum store_err er;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((q = stmt(st, LS_GET, &er)) == NULL)
		return er;
	db_bind_text(q, 1, survey, -1);
	if ((rc = db_step(q)) == DB_ROW) {
		const char *a = db_column_text(q, 0);
		out->ov.action = a && strcmp((const char *)a, "close") == 0 ? LC_ACT_CLOSE
		    : LC_ACT_REOPEN;
		out->ov.at = db_column_int64(q, 1);
		out->ov.grace = db_column_int64(q, 2);
		copy_col(q, 3, out->staff, sizeof(out->staff));
		copy_col(q, 4, out->reason, sizeof(out->reason));
		rc = DB_DONE;
	}
	db_reset(q);
	return store_err_of(rc);
}

enum store_err
store_survey_state_set(struct store *st, const char *survey, const struct lc_override *ov,
    const char *reason, const struct store_audit *au)
{
	struct db_stmt *q;
	enum store_err er;
	int rc;

	if (ov->action == LC_ACT_NONE || ov->action >= LC_ACT__MAX || reason == NULL ||
	    strlen(reason) > STORE_REASON_MAX || au == NULL || au->staff == NULL)
		return STORE_INVALID;
	if ((q = stmt(st, LS_SET, &er)) == NULL || (er = store_exec(st, ST_BEGIN)) != STORE_OK)
		return er;
	db_bind_text(q, 1, survey, -1);
	db_bind_text(q, 2, lc_action_names[ov->action], -1);
	db_bind_int64(q, 3, ov->at);
	db_bind_int64(q, 4, ov->grace);
	db_bind_text(q, 5, au->staff, -1);
	db_bind_text(q, 6, reason, -1);
	rc = db_step(q);
	db_reset(q);
	er = rc == DB_DONE ? STORE_OK : store_err_of(rc);
	if (er == STORE_OK)
		er = store_staff_audit(st, au);
	return store_end(st, er);
}

enum store_err
store_survey_versions(struct store *st, const char *survey, void (*fn)(void *ctx, int version),
    void *ctx)
{
	struct db_stmt *q;
	enum store_err er;
	int rc;

	if ((q = stmt(st, LS_VERSIONS, &er)) == NULL)
		return er;
	db_bind_text(q, 1, survey, -1);
	while ((rc = db_step(q)) == DB_ROW)
		fn(ctx, db_column_int(q, 0));
	db_reset(q);
	return store_err_of(rc);
}
