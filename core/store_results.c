/* store_results: the rows behind a survey's public results page (the
 * "results" migration): one results row per survey and its "We did"
 * entries.  Only published figures and staff text live here.  Statements
 * are prepared on first use, like the other optional parts of the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "store_int.h"
#include "util.h"

enum rstmt {
	RS_GET,
	RS_PUT,
	RS_PUBLISH,
	RS_DID_EACH,
	RS_DID_ADD,
	RS_DID_SET,
	RS_DID_DEL,
	RS__MAX
};

static const char *const sql[RS__MAX] = {
	[RS_GET] =	"SELECT themes, uploaded, published FROM results WHERE survey = ?1",
	[RS_PUT] =	"INSERT INTO results (survey, themes, uploaded) VALUES (?1, ?2, ?3)"
			" ON CONFLICT (survey) DO UPDATE SET themes = excluded.themes,"
			" uploaded = excluded.uploaded",
	[RS_PUBLISH] =	"INSERT INTO results (survey, published) VALUES (?1, ?2)"
			" ON CONFLICT (survey) DO UPDATE SET published = excluded.published",
	[RS_DID_EACH] =	"SELECT id, title, body, status, day FROM results_did WHERE survey = ?1"
			" ORDER BY day DESC, id DESC",
	[RS_DID_ADD] =	"INSERT INTO results_did (survey, title, body, status, day)"
			" VALUES (?1, ?2, ?3, ?4, ?5)",
	[RS_DID_SET] =	"UPDATE results_did SET title = ?2, body = ?3, status = ?4, day = ?5"
			" WHERE survey = ?1 AND id = ?6",
	[RS_DID_DEL] =	"DELETE FROM results_did WHERE survey = ?1 AND id = ?2",
};

static const struct store_table table = { TAB_RESULTS, sql, RS__MAX, 0, 0 };

/* The statement, reset, with ?1 bound to the survey id; NULL on error. */
static struct db_stmt *
stmt(struct store *st, enum rstmt which, const char *survey)
{
	enum store_err er;
	struct db_stmt *q = store_table_stmt(st, &table, which, &er);

	return q != NULL && db_bind_text(q, 1, survey, -1) == DB_OK ? q : NULL;
}

/* Steps a statement that returns no rows; STORE_NOTFOUND when it changed none. */
static enum store_err
run(struct store *st, struct db_stmt *q)
{
	int rc;

	if (q == NULL)
		return STORE_IO;
	rc = db_step(q);
	db_reset(q);
	if (rc != DB_DONE)
		return store_err_of(rc);
	return db_changes(st->db) > 0 ? STORE_OK : STORE_NOTFOUND;
}

static void
copy_day(char day[11], const char *s)
{
	snprintf(day, 11, "%s", s != NULL ? s : "");
}

enum store_err
store_results_get(struct store *st, const char *survey, struct arena *a,
    struct store_results *out)
{
	struct db_stmt *q = stmt(st, RS_GET, survey);
	enum store_err er = STORE_NOTFOUND;
	int rc;

	memset(out, 0, sizeof *out);
	if (q == NULL)
		return STORE_IO;
	if ((rc = db_step(q)) == DB_ROW) {
		const char *t = db_column_text(q, 0);
		out->themes = a != NULL ? arena_strdup(a, t != NULL ? (const char *)t : "") : NULL;
		copy_day(out->uploaded, db_column_text(q, 1));
		out->published = db_column_int(q, 2) != 0;
		er = out->themes != NULL || a == NULL ? STORE_OK : STORE_NOMEM;
	} else if (rc != DB_DONE)
		er = store_err_of(rc);
	db_reset(q);
	return er;
}

enum store_err
store_results_put(struct store *st, const char *survey, const char *themes, const char *day)
{
	struct db_stmt *q = stmt(st, RS_PUT, survey);

	if (q == NULL || db_bind_text(q, 2, themes, -1) != DB_OK ||
	    db_bind_text(q, 3, day, -1) != DB_OK)
		return STORE_IO;
	return run(st, q);
}

enum store_err
store_results_publish(struct store *st, const char *survey, int on)
{
	struct db_stmt *q = stmt(st, RS_PUBLISH, survey);

	if (q == NULL || db_bind_int(q, 2, on != 0) != DB_OK)
		return STORE_IO;
	return run(st, q);
}

enum store_err
store_results_did_each(struct store *st, const char *survey,
    int (*fn)(void *ctx, const struct store_did *d), void *ctx)
{
	struct db_stmt *q = stmt(st, RS_DID_EACH, survey);
	struct store_did d;
	int rc;

	if (q == NULL)
		return STORE_IO;
	while ((rc = db_step(q)) == DB_ROW) {
		d.id = db_column_int64(q, 0);
		d.title = (const char *)db_column_text(q, 1);
		d.body = (const char *)db_column_text(q, 2);
		d.status = db_column_int(q, 3);
		copy_day(d.day, db_column_text(q, 4));
		if (d.title == NULL || d.body == NULL || fn(ctx, &d) != 0) {
			rc = DB_DONE;
			break;
		}
	}
	db_reset(q);
	return rc == DB_DONE ? STORE_OK : store_err_of(rc);
}

static int
did_ok(const struct store_did *d)
{
	size_t tn = d->title ? strlen(d->title) : 0, bn = d->body ? strlen(d->body) : 0;

	return tn > 0 && tn <= STORE_DID_TITLE_MAX && bn > 0 && bn <= STORE_DID_BODY_MAX &&
	    d->status >= 0 && d->status < DID__MAX && day_valid(d->day);
}

enum store_err
store_results_did_put(struct store *st, const char *survey, const struct store_did *d,
    int64_t *id)
{
	struct db_stmt *q;
	enum store_err er;

	if (!did_ok(d))
		return STORE_INVALID;
	if ((q = stmt(st, d->id == 0 ? RS_DID_ADD : RS_DID_SET, survey)) == NULL ||
	    db_bind_text(q, 2, d->title, -1) != DB_OK ||
	    db_bind_text(q, 3, d->body, -1) != DB_OK ||
	    db_bind_int(q, 4, d->status) != DB_OK ||
	    db_bind_text(q, 5, d->day, -1) != DB_OK ||
	    (d->id != 0 && db_bind_int64(q, 6, d->id) != DB_OK))
		return STORE_IO;
	if ((er = run(st, q)) == STORE_OK && id != NULL)
		*id = d->id != 0 ? d->id : db_last_insert_id(st->db);
	return er;
}

enum store_err
store_results_did_del(struct store *st, const char *survey, int64_t id)
{
	struct db_stmt *q = stmt(st, RS_DID_DEL, survey);

	if (q == NULL || db_bind_int64(q, 2, id) != DB_OK)
		return STORE_IO;
	return run(st, q);
}
