/* store: opening, the statement table and the small queries.  The schema
 * and its migrations are in store_schema.c, writing submissions in
 * store_add.c, reading them in store_read.c.  Invariant: every statement is
 * reset after use. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>
#include <sqlite3.h>
#include "store_poll_int.h"

#define BUSY_TIMEOUT_MS	5000
/* Above the writer's 32 MiB RESTART point (cgi/checkpointer.c), so that a
 * WAL in steady use is reused in place, never cut and grown again (appending
 * past the end makes each commit's fsync write metadata too). */
#define WAL_LIMIT	"50331648"	/* 48 MiB */

static const char *const stmt_sql[ST__MAX] = {
	/* ST_BEGIN */		DB_SQL2("BEGIN IMMEDIATE", "BEGIN"),
	/* ST_COMMIT */		"COMMIT",
	/* ST_ROLLBACK */	"ROLLBACK",
	/* ST_SAVEPOINT */	"SAVEPOINT submission",
	/* ST_RELEASE */	"RELEASE submission",
	/* ST_ROLLBACK_TO */	"ROLLBACK TO submission",
	/* ST_NONCE_ADD */	"INSERT INTO used_nonce (hash, day) VALUES (?1, ?2)",
	/* ST_DEVICE_ADD */	"INSERT INTO device (survey, hash) VALUES (?1, ?2)",
	/* ST_DEVICE_SEEN */	"SELECT 1 FROM device WHERE survey = ?1 AND hash = ?2",
	/* ST_RESPONSE_ADD */	"INSERT INTO response (id, survey, version, def_hash, channel, lang, day,"
				" answers, texts, texts_key, flagged)"
				" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	/* ST_SEAL_KEY_ADD */	"INSERT INTO seal_key (id, public_key, recipient) VALUES (?1, ?2, ?3)",
	/* ST_SEAL_KEYS */	"SELECT id, public_key FROM seal_key ORDER BY id",
	/* ST_SURVEY_ADD */	"INSERT INTO survey (id, version, def_hash, title, first_seen_day)"
				" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
	/* ST_COUNT_ALL */	"SELECT count(*) FROM response",
	/* ST_COUNT_SURVEY */	"SELECT count(*) FROM response WHERE survey = ?1",
	/* ST_EACH */		"SELECT id, survey, version, channel, lang, day, answers, texts, texts_key,"
				" flagged"
				" FROM response WHERE survey = ?1 OR ?1 IS NULL ORDER BY id",
	/* ST_INTEGRITY */	DB_SQL2("PRAGMA integrity_check", "SELECT 'ok'"),
	/* ST_NONCE_SEEN */	"SELECT 1 FROM used_nonce WHERE hash = ?1",
};

static const char *const err_str[STORE__MAX] = {
	/* STORE_OK */		"ok",
	/* STORE_DUPLICATE */	"already received",
	/* STORE_BUSY */	"database busy",
	/* STORE_FULL */	"disk full",
	/* STORE_NOMEM */	"out of memory",
	/* STORE_IO */		"database I/O error",
	/* STORE_CORRUPT */	"database damaged",
	/* STORE_NOTFOUND */	"not found",
	/* STORE_INVALID */	"refused by the database schema",
	/* STORE_DEVICE_USED */	"this device already answered this survey",
	/* STORE_SCHEMA */	"not a database of this version of voices (one from an older "
				"version: `voices init` brings it, or a copy of it, up to date; "
				"on PostgreSQL `voices migrate` as the schema's owner, "
				"database_owner; "
				"from a newer one: use that version)",
	/* STORE_CLOSED */	"the survey is closed",
	/* STORE_PRIVILEGE */	"the database role may do more than the app does (it is a "
				"superuser, may create roles, owns the tables or may create "
				"them): the app connects as a role with only the grants "
				"`voices init` gives it (docs/storage.md, Roles)",
	/* STORE_PASSFILE */	"the password file may be read by other users: "
				"it must be the service user's alone (chmod 0600)",
};

const char *
store_strerror(enum store_err e)
{
	return (unsigned)e < STORE__MAX ? err_str[e] : "unknown store error";
}

enum store_err
store_err_of(int rc)
{
	switch (rc & 0xff) {
	case DB_OK:
	case DB_DONE:
	case DB_ROW:
		return STORE_OK;
	case DB_BUSY:
	case DB_LOCKED:
		return STORE_BUSY;
	case DB_FULL:
		return STORE_FULL;
	case DB_NOMEM:
		return STORE_NOMEM;
	case DB_CORRUPT:
	case DB_NOTADB:
		return STORE_CORRUPT;
	case DB_CONSTRAINT:
	case DB_MISMATCH:
	case DB_TOOBIG:
	case DB_RANGE:
		return STORE_INVALID;
	case DB_CANTOPEN:
		return STORE_NOTFOUND;
	default:
		return STORE_IO;
	}
}

enum store_err
store_prepare_err(int rc)
{
	return rc == DB_ERROR ? STORE_NOTFOUND : store_err_of(rc);
}

enum store_err
store_count(struct db_stmt *q, int64_t *n)
{
	int rc = db_step(q);

	*n = rc == DB_ROW ? db_column_int64(q, 0) : 0;
	db_reset(q);
	return store_err_of(rc);
}

struct text_rows {
	int	(*fn)(void *ctx, const char *s);
	void	*ctx;
};

static int
text_row(struct db_stmt *q, void *arg)
{
	struct text_rows *t = arg;

	return t->fn(t->ctx, db_column_text(q, 0));
}

int
store_each_text(struct db_stmt *q, int (*fn)(void *ctx, const char *s), void *ctx)
{
	struct text_rows	t = { fn, ctx };
	int			rc = db_rows(q, text_row, &t);

	return rc == DB_ROW ? DB_DONE : rc;
}

enum store_err
store_table_prepare(struct store *st, const struct store_table *t)
{
	int rc;

	if (st->tab[t->id] != NULL)
		return STORE_OK;
	if (t->wipe && (rc = db_exec(st->db, SQL_SECURE_DELETE)) != DB_OK)
		return store_err_of(rc);
	st->tab_n[t->id] = t->n;
	rc = db_prepare_table(st->db, t->sql, t->n, &st->tab[t->id]);
	return t->missing_notfound ? store_prepare_err(rc) : store_err_of(rc);
}

struct db_stmt *
store_table_stmt(struct store *st, const struct store_table *t, int which, enum store_err *er)
{
	struct db_stmt *q;

	if ((*er = store_table_prepare(st, t)) != STORE_OK)
		return NULL;
	q = st->tab[t->id][which];
	db_reset(q);
	db_clear_bindings(q);
	return q;
}

int
store_run(struct db_stmt *q, int64_t *rows)
{
	int64_t	 n = 0;
	int	 rc;

	while ((rc = db_step(q)) == DB_ROW)
		n++;
	db_reset(q);
	if (rows != NULL)
		*rows = n;
	return rc;
}

enum store_err
store_exec(struct store *st, enum stmt which)
{
	struct db_stmt	*s = st->stmt[which];
	int		 rc = db_step(s);

	db_reset(s);
	return store_err_of(rc == DB_ROW ? DB_DONE : rc);
}

enum store_err
store_end(struct store *st, enum store_err er)
{
	if (er == STORE_OK)
		er = store_exec(st, ST_COMMIT);
	if (er != STORE_OK && !db_autocommit(st->db))
		(void)store_exec(st, ST_ROLLBACK);
	return er;
}

void
store_today(char day[11])
{
	time_t		 t = time(NULL);
	struct tm	 tm;

	if (localtime_r(&t, &tm) == NULL || strftime(day, 11, "%Y-%m-%d", &tm) != 10)
		memcpy(day, "1970-01-01", 11);
}

enum store_err
store_exec_sql(struct db *db, const char *sql)
{
	return store_err_of(db_exec(db, sql));
}

static enum store_err
open_db(const char *path, int flags, struct db **db)
{
	char file[4096];

	if (db_engine_of(path) == DB_PG && !db_pg_passfile_private(path, file, sizeof file))
		return STORE_PASSFILE;
	store_pcache_install();
	return store_err_of(db_open(path, ((flags & STORE_RDONLY) ? DB_RDONLY : 0) |
	    ((flags & STORE_CREATE) ? DB_CREATE : 0), db));
}

/* SQLite: the connection's settings (PostgreSQL has its own in the server). */
static enum store_err
configure_sqlite(struct store *st)
{
	struct sqlite3	*h = db_sqlite(st->db);
	enum store_err	 er;

	sqlite3_busy_timeout(h, BUSY_TIMEOUT_MS);
	if ((er = store_exec_sql(st->db, "PRAGMA trusted_schema = OFF")) != STORE_OK ||
	    (st->flags & STORE_RDONLY))
		return er;
	/* Random keys scatter every insert over the whole b-tree, so a writer
	 * whose cache holds only recent pages rereads and rewrites most of them;
	 * 64 MiB (grown on demand) halved the batch write time here.  The -wal
	 * file is cut back to WAL_LIMIT whenever a checkpoint lets it start
	 * over, so a burst (a long reader holding checkpoints back) does not
	 * keep the disk it took. */
	if ((er = store_exec_sql(st->db, "PRAGMA journal_mode = WAL")) != STORE_OK ||
	    (er = store_exec_sql(st->db, "PRAGMA synchronous = FULL")) != STORE_OK ||
	    (er = store_exec_sql(st->db, "PRAGMA foreign_keys = ON")) != STORE_OK ||
	    (er = store_exec_sql(st->db, "PRAGMA cache_size = -65536")) != STORE_OK)
		return er;
	return store_exec_sql(st->db, "PRAGMA journal_size_limit = " WAL_LIMIT);
}

static enum store_err
configure(struct store *st)
{
	enum store_err er;

	if (db_sqlite(st->db) != NULL && (er = configure_sqlite(st)) != STORE_OK)
		return er;
	if (st->flags & STORE_COPY)
		return STORE_OK;
	if (st->flags & STORE_RDONLY)
		return store_schema_check(st);
	if ((st->flags & STORE_APP) && db_engine(st->db) == DB_PG) {
		if ((er = store_role_check(st)) != STORE_OK)
			return er;
		return store_schema_check(st);
	}
	return store_migrate(st);
}

static enum store_err
prepare_all(struct store *st)
{
	return store_prepare_err(db_prepare_table(st->db, stmt_sql, ST__MAX, &st->stmt));
}

enum store_err
store_open(const char *path, int flags, struct store **out)
{
	struct store	*st;
	enum store_err	 er;

	*out = NULL;
	if ((st = calloc(1, sizeof *st)) == NULL)
		return STORE_NOMEM;
	if (flags & STORE_COPY)
		flags |= STORE_RDONLY;
	st->flags = flags;
	if ((er = open_db(path, flags, &st->db)) != STORE_OK ||
	    (er = configure(st)) != STORE_OK ||
	    (!(flags & STORE_COPY) && (er = prepare_all(st)) != STORE_OK)) {
		store_close(st);
		return er;
	}
	*out = st;
	return STORE_OK;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	store_count_free(st);
	db_finalize_table(&st->stmt, ST__MAX);	/* every statement before the close, or it fails */
	for (int i = 0; i < TAB__MAX; i++)
		db_finalize_table(&st->tab[i], st->tab_n[i]);
	db_close(st->db);
	sealer_free(st->sealer);
	free(st->sealbuf);
	pbuf_free(&st->json, 0);
	pbuf_free(&st->plain, 1);
	free(st->order);
	store_read_free(st);
	sodium_memzero(st, sizeof *st);
	free(st);
}

int
store_schema_version(struct store *st)
{
	return st->version;
}

void
store_set_busy_timeout(struct store *st, int ms)
{
	char sql[40];

	if (db_sqlite(st->db) != NULL)
		sqlite3_busy_timeout(db_sqlite(st->db), ms);
	else if (snprintf(sql, sizeof sql, "SET lock_timeout = %d", ms > 0 ? ms : 0) <
	    (int)sizeof sql)
		(void)db_exec(st->db, sql);	/* 55P03 past it: DB_BUSY */
}

enum store_err
store_set_autocheckpoint(struct store *st, int pages)
{
	if (db_sqlite(st->db) == NULL)
		return STORE_OK;
	return store_err_of(sqlite3_wal_autocheckpoint(db_sqlite(st->db), pages > 0 ? pages : 0));
}

enum store_err
store_checkpoint(struct store *st, enum store_ckpt mode, int *wal_pages, int *checkpointed)
{
	static const int modes[] = {
		[STORE_CKPT_PASSIVE] = SQLITE_CHECKPOINT_PASSIVE,
		[STORE_CKPT_RESTART] = SQLITE_CHECKPOINT_RESTART,
		[STORE_CKPT_TRUNCATE] = SQLITE_CHECKPOINT_TRUNCATE,
	};
	int log = -1, done = -1, rc = DB_MISUSE;

	if (db_sqlite(st->db) == NULL)
		rc = DB_OK;	/* PostgreSQL checkpoints on its own */
	else if ((unsigned)mode < sizeof modes / sizeof modes[0])
		rc = sqlite3_wal_checkpoint_v2(db_sqlite(st->db), "main", modes[mode], &log, &done);
	if (wal_pages != NULL)
		*wal_pages = log;
	if (checkpointed != NULL)
		*checkpointed = done;
	return rc == DB_MISUSE ? STORE_INVALID : store_err_of(rc);
}

void
store_set_recipient(struct store *st, const unsigned char pk[SEAL_KEY_BYTES])
{
	if (st->have_recipient && memcmp(st->recipient, pk, SEAL_KEY_BYTES) == 0)
		return;
	memcpy(st->recipient, pk, SEAL_KEY_BYTES);
	st->have_recipient = 1;
	sealer_free(st->sealer);	/* the next text starts a period for the new key */
	st->sealer = NULL;
	st->key_id = 0;
}

void
store_set_nonce_key(struct store *st, const unsigned char key[STORE_NONCE_KEY_BYTES])
{
	memcpy(st->nonce_key, key, sizeof st->nonce_key);
}

void
store_nonce_hash(const struct store *st, const unsigned char nonce[16], unsigned char out[32])
{
	crypto_generichash(out, 32, nonce, 16, st->nonce_key, sizeof st->nonce_key);
}

/* Steps q, whose values were bound (bound: all of them bound without an
 * error): *seen whether it gave a row; resets it. */
static enum store_err
row_seen(struct db_stmt *q, int bound, int *seen)
{
	int rc;

	*seen = 0;
	if (!bound) {
		db_reset(q);
		return STORE_INVALID;
	}
	if ((rc = db_step(q)) == DB_ROW)
		*seen = 1;
	db_reset(q);
	return store_err_of(rc);
}

enum store_err
store_nonce_seen(struct store *st, const unsigned char nonce[16], int *seen)
{
	struct db_stmt	*q = st->stmt[ST_NONCE_SEEN];
	unsigned char	 h[32];

	store_nonce_hash(st, nonce, h);
	return row_seen(q, db_bind_blob(q, 1, h, sizeof h) == DB_OK, seen);
}

enum store_err
store_survey_register(struct store *st, const struct survey *s)
{
	struct db_stmt	*q = st->stmt[ST_SURVEY_ADD];
	const char	*title = s->title.s[0] != NULL ? s->title.s[0] : "";
	char		 day[11];

	store_today(day);
	if (db_bind_text(q, 1, s->id, -1) != DB_OK ||
	    db_bind_int(q, 2, s->version) != DB_OK ||
	    db_bind_text(q, 3, s->hash, -1) != DB_OK ||
	    db_bind_text(q, 4, title, -1) != DB_OK ||
	    db_bind_text(q, 5, day, -1) != DB_OK) {
		db_reset(q);
		return STORE_INVALID;
	}
	return store_exec(st, ST_SURVEY_ADD);
}

enum store_err
store_device_seen(struct store *st, const char *survey,
    const unsigned char hash[STORE_DEVICE_BYTES], int *seen)
{
	struct db_stmt	*q = st->stmt[ST_DEVICE_SEEN];

	return row_seen(q, db_bind_text(q, 1, survey, -1) == DB_OK &&
	    db_bind_blob(q, 2, hash, STORE_DEVICE_BYTES) == DB_OK, seen);
}

enum store_err
store_response_count(struct store *st, const char *survey, int64_t *out)
{
	enum stmt	 which = survey != NULL ? ST_COUNT_SURVEY : ST_COUNT_ALL;
	struct db_stmt	*q = st->stmt[which];

	*out = 0;
	if (survey != NULL && db_bind_text(q, 1, survey, -1) != DB_OK)
		return STORE_INVALID;
	return store_count(q, out);
}

static enum store_err
integrity(struct db_stmt *q)
{
	int	 rc = db_step(q);
	int	 ok = rc == DB_ROW &&
	    strcmp((const char *)db_column_text(q, 0), "ok") == 0;

	if (ok)
		rc = db_step(q);
	db_reset(q);
	if (rc != DB_ROW && rc != DB_DONE)
		return store_err_of(rc);
	return ok && rc == DB_DONE ? STORE_OK : STORE_CORRUPT;
}

enum store_err
store_integrity(struct store *st)
{
	return integrity(st->stmt[ST_INTEGRITY]);
}

/* fsync of the file and of its directory, so the backup survives a crash. */
static enum store_err
sync_path(const char *path)
{
	char	*copy = strdup(path);
	int	 fd, ok = 1;

	if (copy == NULL)
		return STORE_NOMEM;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fsync(fd) != 0)
		ok = 0;
	if (fd >= 0)
		close(fd);
	if (ok && ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    fsync(fd) != 0))
		ok = 0;
	if (fd >= 0)
		close(fd);
	free(copy);
	return ok ? STORE_OK : STORE_IO;
}

static enum store_err
copy_to(struct db *src, struct db *dst)
{
	sqlite3_backup	*bk;
	int		 rc, tries = 0;

	if (db_sqlite(src) == NULL)
		return STORE_INVALID;	/* a PostgreSQL database is backed up with its own tools */
	if ((bk = sqlite3_backup_init(db_sqlite(dst), "main", db_sqlite(src), "main")) == NULL)
		return store_err_of(db_errcode(dst));
	do {
		rc = sqlite3_backup_step(bk, -1);
		if (rc == DB_BUSY || rc == DB_LOCKED)
			sqlite3_sleep(10);
	} while ((rc == DB_BUSY || rc == DB_LOCKED) && ++tries < 500);
	if (sqlite3_backup_finish(bk) != DB_OK && rc == DB_DONE)
		rc = db_errcode(dst);
	return rc == DB_DONE ? STORE_OK : store_err_of(rc);
}

/* Runs integrity_check on a fresh connection to path, and counts the
 * responses there (a table every version of the schema has). */
static enum store_err
check_file(const char *path, int64_t *responses)
{
	struct db		*db = NULL;
	struct db_stmt	*q = NULL;
	enum store_err	 er;

	er = store_err_of(db_sqlite_open(path, 0, &db));
	if (er == STORE_OK)
		er = store_err_of(db_prepare(db, stmt_sql[ST_INTEGRITY], 0, &q));
	if (er == STORE_OK)
		er = integrity(q);
	db_finalize(q);
	q = NULL;
	if (er == STORE_OK)
		er = store_err_of(db_prepare(db, stmt_sql[ST_COUNT_ALL], 0, &q));
	if (er == STORE_OK)
		er = store_count(q, responses);
	db_finalize(q);
	if (db_close(db) != DB_OK && er == STORE_OK)
		er = STORE_IO;
	return er;
}

/* Copies, closes, then checks what reached the file through a new
 * connection, and only then syncs it: a backup reported good is good on disk. */
enum store_err
store_backup(struct store *st, const char *dest, int64_t *responses)
{
	struct db		*dst = NULL;
	enum store_err	 er;

	er = store_err_of(db_sqlite_open(dest, DB_CREATE, &dst));
	if (er == STORE_OK)
		er = copy_to(st->db, dst);
	if (er == STORE_OK)
		er = store_poll_backup_wipe(dst);
	if (db_close(dst) != DB_OK && er == STORE_OK)
		er = STORE_IO;
	if (er == STORE_OK)
		er = check_file(dest, responses);
	if (er == STORE_OK)
		er = sync_path(dest);
	return er;
}
