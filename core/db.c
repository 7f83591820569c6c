/* db: the engine-neutral calls (each hands over to the engine's ops) and the
 * store's shared calls for statement tables and row loops. */
#include <stdlib.h>
#include <string.h>
#include "db.h"

enum db_engine
db_engine_of(const char *target)
{
	if (strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0)
		return DB_PG;
	/* keyword=value pairs: a path with '=' in it must start with / or . */
	if (target[0] != '/' && target[0] != '.' && strchr(target, '=') != NULL)
		return DB_PG;
	return DB_SQLITE;
}

int
db_open(const char *target, int flags, struct db **out)
{
	*out = NULL;
	if (db_engine_of(target) == DB_PG)
		return db_pg_open(target, flags, out);
	return db_sqlite_open(target, flags, out);
}

int
db_close(struct db *db)
{
	return db == NULL ? DB_OK : db->ops->close(db);
}

enum db_engine
db_engine(const struct db *db)
{
	return db->engine;
}

const char *
db_sql_for(enum db_engine engine, const char *sql)
{
	if (sql[0] != '\001')
		return sql;
	sql++;
	return engine == DB_PG ? sql + strlen(sql) + 1 : sql;
}

int
db_prepare(struct db *db, const char *sql, int flags, struct db_stmt **out)
{
	*out = NULL;
	return db->ops->prepare(db, db_sql_for(db->engine, sql), flags, out);
}

int
db_exec(struct db *db, const char *sql)
{
	return db->ops->exec(db, db_sql_for(db->engine, sql));
}

int
db_bind_int64(struct db_stmt *q, int i, int64_t v)
{
	return q->db->ops->bind_int64(q, i, v);
}

int
db_bind_int(struct db_stmt *q, int i, int v)
{
	return q->db->ops->bind_int64(q, i, v);
}

int
db_bind_text(struct db_stmt *q, int i, const char *s, int n)
{
	return q->db->ops->bind_text(q, i, s, n);
}

int
db_bind_blob(struct db_stmt *q, int i, const void *p, int n)
{
	return q->db->ops->bind_blob(q, i, p, n);
}

int
db_bind_null(struct db_stmt *q, int i)
{
	return q->db->ops->bind_null(q, i);
}

int
db_bind_parameter_count(struct db_stmt *q)
{
	return q->db->ops->bind_count(q);
}

int
db_step(struct db_stmt *q)
{
	return q->db->ops->step(q);
}

int
db_reset(struct db_stmt *q)
{
	return q == NULL ? DB_OK : q->db->ops->reset(q);
}

int
db_clear_bindings(struct db_stmt *q)
{
	return q->db->ops->clear(q);
}

int
db_finalize(struct db_stmt *q)
{
	return q == NULL ? DB_OK : q->db->ops->finalize(q);
}

int64_t
db_column_int64(struct db_stmt *q, int i)
{
	return q->db->ops->col_int64(q, i);
}

int
db_column_int(struct db_stmt *q, int i)
{
	return (int)q->db->ops->col_int64(q, i);
}

const char *
db_column_text(struct db_stmt *q, int i)
{
	return q->db->ops->col_text(q, i);
}

const void *
db_column_blob(struct db_stmt *q, int i)
{
	return q->db->ops->col_blob(q, i);
}

int
db_column_bytes(struct db_stmt *q, int i)
{
	return q->db->ops->col_bytes(q, i);
}

int
db_column_is_null(struct db_stmt *q, int i)
{
	return q->db->ops->col_null(q, i);
}

int64_t
db_changes(struct db *db)
{
	return db->ops->changes(db);
}

int64_t
db_last_insert_id(struct db *db)
{
	return db->ops->last_id(db);
}

int
db_autocommit(struct db *db)
{
	return db->ops->autocommit(db);
}

int
db_errcode(struct db *db)
{
	return db->ops->errcode(db);
}

const char *
db_errmsg(struct db *db)
{
	return db->ops->errmsg(db);
}

void
db_reconnect_limit(struct db *db, int ms)
{
	if (db->engine == DB_PG)
		db_pg_limit(db, ms);
}

unsigned
db_losses(struct db *db)
{
	return db->engine == DB_PG ? db_pg_losses(db) : 0;
}

int
db_prepare_table(struct db *db, const char *const *sql, int n, struct db_stmt ***out)
{
	struct db_stmt	**t;
	int		  rc = DB_OK;

	if ((*out = t = calloc((size_t)n, sizeof *t)) == NULL)
		return DB_NOMEM;
	for (int i = 0; i < n && rc == DB_OK; i++)
		rc = db_prepare(db, sql[i], DB_PERSISTENT, &t[i]);
	if (rc != DB_OK)
		db_finalize_table(out, n);
	return rc;
}

void
db_finalize_table(struct db_stmt ***table, int n)
{
	if (*table == NULL)
		return;
	for (int i = 0; i < n; i++)
		db_finalize((*table)[i]);
	free(*table);
	*table = NULL;
}

int
db_rows(struct db_stmt *q, int (*row)(struct db_stmt *q, void *arg), void *arg)
{
	int rc;

	while ((rc = db_step(q)) == DB_ROW)
		if (row(q, arg) != 0)
			break;
	db_reset(q);
	return rc;
}

int
db_one_int64(struct db_stmt *q, int64_t *v)
{
	int rc = db_step(q);

	if (rc == DB_ROW)
		*v = db_column_int64(q, 0);
	db_reset(q);
	return rc;
}
