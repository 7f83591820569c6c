/* store_purge: the deletes of a retention purge (store_purge.h).  A purge
 * runs once a day, so its statements are prepared per call and finalized
 * before it returns rather than held for the life of the connection.
 * Invariant: every delete here runs on a connection with secure_delete on,
 * inside one transaction per survey, so a response is either wholly there
 * or wholly gone and a response committed meanwhile is judged by its own
 * day like any other. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "store_int.h"
#include "store_purge.h"

enum pq {
	PQ_RESP_N, PQ_RESP_DEL, PQ_RESP_LEFT,
	PQ_VOTE_N, PQ_VOTE_DEL, PQ_STMT_N, PQ_STMT_DEL, PQ_PRES_DEL, PQ_QUES_DEL,
	PQ_SESS_N, PQ_SESS_DEL,
	PQ_DEV_N, PQ_DEV_DEL,
	PQ__MAX
};

#define OLD_SESSIONS " session IN (SELECT id FROM poll_session WHERE poll_set = ?1 AND day < ?2)"
static const char *const pq_sql[PQ__MAX] = {
	[PQ_RESP_N] =	"SELECT count(*) FROM response WHERE survey = ?1 AND day < ?2",
	[PQ_RESP_DEL] =	"DELETE FROM response WHERE survey = ?1 AND day < ?2",
	[PQ_RESP_LEFT] = "SELECT count(*) FROM response WHERE survey = ?1",
	[PQ_VOTE_N] =	"SELECT count(*) FROM poll_vote WHERE" OLD_SESSIONS,
	[PQ_VOTE_DEL] =	"DELETE FROM poll_vote WHERE" OLD_SESSIONS,
	[PQ_STMT_N] =	"SELECT count(*) FROM poll_statement WHERE" OLD_SESSIONS,
	[PQ_STMT_DEL] =	"DELETE FROM poll_statement WHERE" OLD_SESSIONS,
	[PQ_PRES_DEL] =	"DELETE FROM poll_presence WHERE" OLD_SESSIONS,
	[PQ_QUES_DEL] =	"DELETE FROM poll_question WHERE" OLD_SESSIONS,
	[PQ_SESS_N] =	"SELECT count(*) FROM poll_session WHERE poll_set = ?1 AND day < ?2",
	[PQ_SESS_DEL] =	"DELETE FROM poll_session WHERE poll_set = ?1 AND day < ?2",
	[PQ_DEV_N] =	"SELECT count(*) FROM device WHERE survey = ?1",
	[PQ_DEV_DEL] =	"DELETE FROM device WHERE survey = ?1",
};
#undef OLD_SESSIONS

struct pq_set {
	struct db_stmt	*s[PQ__MAX];
	const char	*survey, *keep_from;
};

static void
pq_free(struct pq_set *p)
{
	for (int i = 0; i < PQ__MAX; i++)
		db_finalize(p->s[i]);
}

static enum store_err
pq_prepare(struct store *st, struct pq_set *p)
{
	for (int i = 0; i < PQ__MAX; i++) {
		int rc = db_prepare(st->db, pq_sql[i], 0, &p->s[i]);
		if (rc != DB_OK)
			return store_err_of(rc);
	}
	return STORE_OK;
}

/* Binds the survey (?1) and, where the statement has one, the day (?2). */
static struct db_stmt *
pq_bind(struct pq_set *p, enum pq which)
{
	struct db_stmt *q = p->s[which];

	db_reset(q);
	if (db_bind_text(q, 1, p->survey, -1) != DB_OK ||
	    (db_bind_parameter_count(q) >= 2 &&
	    db_bind_text(q, 2, p->keep_from, -1) != DB_OK))
		return NULL;
	return q;
}

static enum store_err
pq_count(struct pq_set *p, enum pq which, int64_t *n)
{
	struct db_stmt *q = pq_bind(p, which);

	*n = 0;
	return q == NULL ? STORE_INVALID : store_count(q, n);
}

/* Runs a DELETE; *n (may be NULL) gets the rows it deleted. */
static enum store_err
pq_delete(struct store *st, struct pq_set *p, enum pq which, int64_t *n)
{
	struct db_stmt *q = pq_bind(p, which);
	int rc;

	if (q == NULL)
		return STORE_INVALID;
	rc = db_step(q);
	db_reset(q);
	if (n != NULL)
		*n = db_changes(st->db);
	return store_err_of(rc);
}

static enum store_err
count_all(struct pq_set *p, struct store_purge_counts *n, int64_t *left)
{
	enum store_err er;

	if ((er = pq_count(p, PQ_RESP_N, &n->responses)) != STORE_OK ||
	    (er = pq_count(p, PQ_RESP_LEFT, left)) != STORE_OK ||
	    (er = pq_count(p, PQ_SESS_N, &n->poll_sessions)) != STORE_OK ||
	    (er = pq_count(p, PQ_VOTE_N, &n->poll_votes)) != STORE_OK ||
	    (er = pq_count(p, PQ_STMT_N, &n->poll_statements)) != STORE_OK)
		return er;
	*left -= n->responses;
	return *left == 0 ? pq_count(p, PQ_DEV_N, &n->devices) : STORE_OK;
}

/* Children before their session: the foreign keys are enforced. */
static enum store_err
delete_all(struct store *st, struct pq_set *p, struct store_purge_counts *n, int64_t left)
{
	enum store_err er;

	if ((er = pq_delete(st, p, PQ_RESP_DEL, &n->responses)) != STORE_OK ||
	    (er = pq_delete(st, p, PQ_VOTE_DEL, &n->poll_votes)) != STORE_OK ||
	    (er = pq_delete(st, p, PQ_STMT_DEL, &n->poll_statements)) != STORE_OK ||
	    (er = pq_delete(st, p, PQ_PRES_DEL, NULL)) != STORE_OK ||
	    (er = pq_delete(st, p, PQ_QUES_DEL, NULL)) != STORE_OK ||
	    (er = pq_delete(st, p, PQ_SESS_DEL, &n->poll_sessions)) != STORE_OK)
		return er;
	return left == 0 ? pq_delete(st, p, PQ_DEV_DEL, &n->devices) : STORE_OK;
}

enum store_err
store_purge_survey(struct store *st, const char *survey, const char *keep_from, int dry_run,
    struct store_purge_counts *n)
{
	struct pq_set	 p = { .survey = survey, .keep_from = keep_from };
	enum store_err	 er;
	int64_t		 left = 0;

	memset(n, 0, sizeof *n);
	if ((er = store_exec_sql(st->db, SQL_SECURE_DELETE)) != STORE_OK ||
	    (er = pq_prepare(st, &p)) != STORE_OK)
		goto out;
	if (dry_run) {
		if ((er = store_exec_sql(st->db, "BEGIN")) == STORE_OK) {
			er = count_all(&p, n, &left);
			(void)store_exec_sql(st->db, "COMMIT");
		}
		goto out;
	}
	if ((er = store_exec(st, ST_BEGIN)) != STORE_OK)
		goto out;
	if ((er = count_all(&p, n, &left)) == STORE_OK)
		er = delete_all(st, &p, n, left);
	er = store_end(st, er);
out:
	pq_free(&p);
	return er;
}

enum store_err
store_purge_each_survey(struct store *st, int (*fn)(void *ctx, const char *survey), void *ctx)
{
	struct db_stmt	*q = NULL;
	int		 rc;

	rc = db_prepare(st->db, "SELECT survey FROM response UNION SELECT survey FROM"
	    " device UNION SELECT poll_set FROM poll_session ORDER BY 1", 0, &q);
	if (rc == DB_OK)
		rc = store_each_text(q, fn, ctx);
	db_finalize(q);
	return store_err_of(rc);
}

enum store_err
store_purge_drafts(struct store *st, long today, int dry_run, int64_t *n)
{
	struct db_stmt	*q = NULL;
	enum store_err	 er;

	*n = 0;
	er = store_err_of(db_prepare(st->db, "SELECT count(*) FROM draft WHERE expires < ?1", 0, &q));
	if (er == STORE_OK && (er = store_err_of(db_bind_int64(q, 1, today))) == STORE_OK)
		er = store_count(q, n);
	db_finalize(q);
	if (er != STORE_OK || dry_run)
		return er;
	return store_draft_sweep(st, today);
}

enum store_err
store_purge_compact(struct store *st, int vacuum)
{
	enum store_err er;

	if ((er = store_exec_sql(st->db, SQL_SECURE_DELETE)) != STORE_OK)
		return er;
	er = store_checkpoint(st, STORE_CKPT_TRUNCATE, NULL, NULL);
	if (!vacuum || (er != STORE_OK && er != STORE_BUSY))
		return er;
	if ((er = store_exec_sql(st->db, "VACUUM")) != STORE_OK)
		return er;
	return store_checkpoint(st, STORE_CKPT_TRUNCATE, NULL, NULL);
}

/* pg_try_advisory_lock's key for the purge: "voices-p" as a number. */
#define PURGE_LOCK_SQL(f)	"SELECT " f "(8534155694515105136)::int"

int
store_purge_on_server(struct store *st)
{
	return db_engine(st->db) == DB_PG;
}

enum store_err
store_purge_lock(struct store *st, int *got)
{
	struct db_stmt	*q = NULL;
	int64_t		 n = 0;
	enum store_err	 er;

	*got = 1;
	if (!store_purge_on_server(st))
		return STORE_OK;
	er = store_err_of(db_prepare(st->db, PURGE_LOCK_SQL("pg_try_advisory_lock"), 0, &q));
	if (er == STORE_OK)
		er = store_count(q, &n);
	db_finalize(q);
	*got = er == STORE_OK && n == 1;
	return er;
}

void
store_purge_unlock(struct store *st)
{
	struct db_stmt	*q = NULL;
	int64_t		 n;

	if (!store_purge_on_server(st))
		return;
	if (db_prepare(st->db, PURGE_LOCK_SQL("pg_advisory_unlock"), 0, &q) == DB_OK &&
	    store_count(q, &n) != STORE_OK)
		n = 0;	/* the connection went, and its lock with it */
	db_finalize(q);
}

uint64_t
store_purge_size(const char *db)
{
	char		 wal[4096];
	struct stat	 sb;
	uint64_t	 n = 0;

	if (stat(db, &sb) == 0)
		n += (uint64_t)sb.st_size;
	if (snprintf(wal, sizeof wal, "%s-wal", db) < (int)sizeof wal && stat(wal, &sb) == 0)
		n += (uint64_t)sb.st_size;
	return n;
}
