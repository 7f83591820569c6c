/* store_count: a survey's kept counts (store.h) and the gen that says
 * whether they are still the counts of the survey's responses.  The
 * triggers that raise gen are in the "tally_count" and "tally_gen"
 * migrations (store_schema.c).  Statements are prepared on first use, like
 * the other optional parts of the store. */
#include <stdlib.h>
#include <string.h>
#include "store_int.h"

enum cstmt { CS_GET, CS_PUT, CS_ONE, CS_SAVE, CS_RELEASE, CS_UNDO, CS__MAX };

/* A survey of the batch whose kept counts are open in the counter, and the
 * gen they were read at. */
struct count_open {
	const char	*survey;	/* the first submission's: lives for the batch */
	void		*tally;
	int64_t		 gen;
};

/* A survey's gen is the sum of its shards' (tally_gen); its counts are
 * tally_count's tally while the gen they were counted at is that sum. */
#define GEN_NOW	"(SELECT CAST(coalesce(sum(gen), 0) AS BIGINT) FROM tally_gen" \
		" WHERE survey = ?1)"

static const char *const sql[CS__MAX] = {
	[CS_GET] =	"SELECT g.n, c.tally FROM (SELECT " GEN_NOW " AS n) g"
			" LEFT JOIN tally_count c ON c.survey = ?1 AND c.gen = g.n",
	/* Only while gen is still ?2, in the statement's snapshot: a writer
	 * that commits more responses afterwards raises the sum past it, so
	 * the counts stored here are never read as its.  The row is updated
	 * only if no delete or change of a response dropped the counts since
	 * the statement began (drops, in the row as locked, against the
	 * snapshot's), so that nothing counted before a purge outlives it. */
	[CS_PUT] =	DB_SQL2("INSERT INTO tally_count (survey, gen, tally)"
			" SELECT ?1, " INT(2) ", ?3 WHERE " GEN_NOW " = " INT(2)
			" ON CONFLICT (survey) DO UPDATE SET gen = excluded.gen, tally = excluded.tally"
			" WHERE tally_count.drops ="
			" (SELECT k.drops FROM tally_count k WHERE k.survey = ?1)",
			"INSERT INTO tally_count (survey, gen, tally)"
			" SELECT CAST(?1 AS TEXT), " INT(2) ", CAST(?3 AS BYTEA)"
			" WHERE " GEN_NOW " = " INT(2)
			" ON CONFLICT (survey) DO UPDATE SET gen = excluded.gen, tally = excluded.tally"
			" WHERE tally_count.drops ="
			" (SELECT k.drops FROM tally_count k WHERE k.survey = ?1)"),
	/* The columns of ST_EACH (store_read.c). */
	[CS_ONE] =	"SELECT id, survey, version, channel, lang, day, answers, texts, texts_key,"
			" flagged FROM response WHERE id = ?1",
	[CS_SAVE] =	"SAVEPOINT counts",
	[CS_RELEASE] =	"RELEASE counts",
	[CS_UNDO] =	"ROLLBACK TO counts",
};

static const struct store_table table = { TAB_COUNT, sql, CS__MAX, 0, 0 };

static enum store_err
prepared(struct store *st)
{
	return store_table_prepare(st, &table);
}

void
store_count_free(struct store *st)
{
	store_count_abandon(st);
	free(st->opened);
	free(st->added);
	st->opened = NULL;
	st->added = NULL;
	st->capopened = st->capadded = 0;
}

/* The statement with ?1 bound to the survey id, or NULL. */
static struct db_stmt *
stmt(struct store *st, enum cstmt which, const char *survey, enum store_err *er)
{
	struct db_stmt *q = store_table_stmt(st, &table, which, er);

	if (q != NULL && db_bind_text(q, 1, survey, -1) != DB_OK) {
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

/* CS_PUT with everything bound, or NULL (*er says why). */
static struct db_stmt *
bind_put(struct store *st, const char *survey, int64_t gen, const unsigned char *blob,
    size_t len, enum store_err *er)
{
	struct db_stmt *q;

	if (len > INT32_MAX) {
		*er = STORE_INVALID;
		return NULL;
	}
	if ((q = stmt(st, CS_PUT, survey, er)) == NULL)
		return NULL;
	if (db_bind_int64(q, 2, gen) != DB_OK ||
	    db_bind_blob(q, 3, blob, (int)len) != DB_OK) {
		done(q);
		*er = STORE_INVALID;
		return NULL;
	}
	return q;
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

	if ((q = bind_put(st, survey, gen, blob, len, &er)) == NULL)
		return er;
	if ((er = store_exec_sql(st->db, SQL_SYNC_RELAXED)) == STORE_OK) {
		rc = db_step(q);
		er = store_exec_sql(st->db, SQL_SYNC_FULL);
	}
	done(q);
	return rc != DB_DONE && rc != DB_OK ? store_err_of(rc) : er;
}

void
store_set_counter(struct store *st, const struct store_counter *c)
{
	store_count_abandon(st);
	st->counter = c;
}

uint64_t
store_count_kept(const struct store *st)
{
	return st->kept;
}

static enum store_err
exec(struct store *st, enum cstmt which)
{
	struct db_stmt *q = st->tab[TAB_COUNT][which];
	int rc = db_step(q);

	db_reset(q);
	return store_err_of(rc);
}

void
store_count_abandon(struct store *st)
{
	for (size_t i = 0; i < st->nopened; i++)
		if (st->opened[i].tally != NULL)
			(void)st->counter->close(st->opened[i].tally, 0, NULL, NULL);
	st->nopened = 0;
}

/* Opens the kept counts of survey, if it has some and the counter can add
 * to them; noted either way, so that each survey is looked up once.  Any
 * failure just leaves them closed: the triggers drop them. */
static void
open_survey(struct store *st, const char *survey)
{
	unsigned char *blob = NULL;
	void *t = NULL;
	int64_t gen;
	size_t len;

	for (size_t i = 0; i < st->nopened; i++)
		if (strcmp(st->opened[i].survey, survey) == 0)
			return;
	if (st->nopened == st->capopened) {
		size_t cap = st->capopened ? 2 * st->capopened : 8;
		struct count_open *o = realloc(st->opened, cap * sizeof *o);
		if (o == NULL)
			return;
		st->opened = o;
		st->capopened = cap;
	}
	if (store_count_get(st, survey, &gen, &blob, &len) == STORE_OK && blob != NULL)
		t = st->counter->open(st->counter->ctx, survey, blob, len);
	free(blob);
	st->opened[st->nopened++] = (struct count_open){ survey, t, gen };
}

enum store_err
store_count_begin(struct store *st, struct submission *const *subs, size_t n)
{
	st->nopened = 0;
	st->kept_batch = 0;
	if (st->counter == NULL || n == 0 || prepared(st) != STORE_OK)
		return STORE_OK;
	if (n > st->capadded) {
		int64_t *a = realloc(st->added, n * sizeof *a);
		if (a == NULL)
			return STORE_OK;	/* not kept: dropped, as without a counter */
		st->added = a;
		st->capadded = n;
	}
	memset(st->added, 0, n * sizeof *st->added);
	for (size_t i = 0; i < n; i++)
		if (subs[i]->survey != NULL)
			open_survey(st, subs[i]->survey);
	return STORE_OK;
}

void
store_count_added(struct store *st, size_t i, int64_t id)
{
	if (st->nopened > 0 && i < st->capadded)
		st->added[i] = id;
}

struct adding {
	const struct store_counter *c;
	void	*tally;
	size_t	 seen;
	int	 failed;
};

static int
add_one(void *ctx, const struct store_response *r)
{
	struct adding *a = ctx;

	a->seen++;
	a->failed = a->c->add(a->tally, r) != 0;
	return a->failed;
}

/* Adds the batch's responses of o's survey to its counts, and stores them
 * at the gen the inserts made: the gen they were read at plus one per
 * insert.  Any other gen means another writer (an app node of its own on
 * the same PostgreSQL database) changed the survey's responses after they
 * were read, and they are left dropped.  o's tally is closed. */
static enum store_err
keep_survey(struct store *st, struct count_open *o, struct submission *const *subs, size_t n)
{
	struct adding a = { st->counter, o->tally, 0, 0 };
	struct db_stmt *q = st->tab[TAB_COUNT][CS_ONE];
	unsigned char *blob = NULL, *none = NULL;
	size_t len, want = 0, nonelen;
	enum store_err er = STORE_OK;
	int64_t gen;

	o->tally = NULL;
	for (size_t i = 0; i < n && er == STORE_OK && !a.failed; i++) {
		if (st->added[i] == 0 || strcmp(subs[i]->survey, o->survey) != 0)
			continue;
		want++;
		if (db_bind_int64(q, 1, st->added[i]) != DB_OK)
			a.failed = 1;
		else
			er = store_read_rows(st, q, add_one, &a);
	}
	if (er != STORE_OK || a.failed || a.seen != want) {
		(void)a.c->close(a.tally, 0, NULL, NULL);
		return er;
	}
	if (a.c->close(a.tally, 1, &blob, &len) != 0)
		return STORE_OK;	/* not kept: the triggers dropped them */
	if ((er = store_count_get(st, o->survey, &gen, &none, &nonelen)) == STORE_OK &&
	    gen == o->gen + (int64_t)want &&
	    (q = bind_put(st, o->survey, gen, blob, len, &er)) != NULL) {
		int rc = db_step(q);
		er = store_err_of(rc);
		done(q);
		st->kept_batch += er == STORE_OK;
	}
	free(none);
	free(blob);
	return er;
}

enum store_err
store_count_end(struct store *st, struct submission *const *subs, size_t n)
{
	enum store_err er = STORE_OK;
	size_t i;

	for (i = 0; i < st->nopened && st->opened[i].tally == NULL; i++)
		;
	if (i == st->nopened || exec(st, CS_SAVE) != STORE_OK) {
		store_count_abandon(st);	/* not kept: the triggers dropped them */
		return STORE_OK;
	}
	for (i = 0; i < st->nopened && er == STORE_OK; i++)
		if (st->opened[i].tally != NULL)
			er = keep_survey(st, &st->opened[i], subs, n);
	store_count_abandon(st);
	if (er != STORE_OK)
		st->kept_batch = 0;
	if (er != STORE_OK && (er = exec(st, CS_UNDO)) != STORE_OK)
		return er;
	return exec(st, CS_RELEASE);
}
