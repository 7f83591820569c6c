/* db_sqlite: the SQLite engine of db.h.  A thin layer: the handles are
 * SQLite's, the result codes SQLite's extended ones. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "db.h"

struct lite {
	struct db	 db;
	sqlite3		*h;
};

struct lite_stmt {
	struct db_stmt	 q;
	sqlite3_stmt	*h;
};

#define H(d)	(((struct lite *)(d))->h)
#define Q(s)	(((struct lite_stmt *)(s))->h)

static int
l_close(struct db *db)
{
	int rc = sqlite3_close(H(db));

	free(db);
	return rc;
}

static int
l_prepare(struct db *db, const char *sql, int flags, struct db_stmt **out)
{
	struct lite_stmt	*s;
	int			 rc;

	if ((s = calloc(1, sizeof *s)) == NULL)
		return DB_NOMEM;
	s->q.db = db;
	rc = sqlite3_prepare_v3(H(db), sql, -1,
	    (flags & DB_PERSISTENT) ? SQLITE_PREPARE_PERSISTENT : 0, &s->h, NULL);
	if (rc != SQLITE_OK || s->h == NULL) {
		sqlite3_finalize(s->h);
		free(s);
		return rc != SQLITE_OK ? rc : DB_MISUSE;
	}
	*out = &s->q;
	return DB_OK;
}

static int
l_exec(struct db *db, const char *sql)
{
	return sqlite3_exec(H(db), sql, NULL, NULL, NULL);
}

static int
l_bind_int64(struct db_stmt *q, int i, int64_t v)
{
	return sqlite3_bind_int64(Q(q), i, v);
}

static int
l_bind_text(struct db_stmt *q, int i, const char *s, int n)
{
	return sqlite3_bind_text(Q(q), i, s, n, SQLITE_STATIC);
}

static int
l_bind_blob(struct db_stmt *q, int i, const void *p, int n)
{
	return sqlite3_bind_blob(Q(q), i, p, n, SQLITE_STATIC);
}

static int
l_bind_null(struct db_stmt *q, int i)
{
	return sqlite3_bind_null(Q(q), i);
}

static int
l_bind_count(struct db_stmt *q)
{
	return sqlite3_bind_parameter_count(Q(q));
}

static int
l_step(struct db_stmt *q)
{
	return sqlite3_step(Q(q));
}

static int
l_reset(struct db_stmt *q)
{
	return sqlite3_reset(Q(q));
}

static int
l_clear(struct db_stmt *q)
{
	return sqlite3_clear_bindings(Q(q));
}

static int
l_finalize(struct db_stmt *q)
{
	int rc = sqlite3_finalize(Q(q));

	free(q);
	return rc;
}

static int64_t
l_col_int64(struct db_stmt *q, int i)
{
	return sqlite3_column_int64(Q(q), i);
}

static const char *
l_col_text(struct db_stmt *q, int i)
{
	return (const char *)sqlite3_column_text(Q(q), i);
}

static const void *
l_col_blob(struct db_stmt *q, int i)
{
	return sqlite3_column_blob(Q(q), i);
}

static int
l_col_bytes(struct db_stmt *q, int i)
{
	return sqlite3_column_bytes(Q(q), i);
}

static int
l_col_null(struct db_stmt *q, int i)
{
	return sqlite3_column_type(Q(q), i) == SQLITE_NULL;
}

static int64_t
l_changes(struct db *db)
{
	return sqlite3_changes64(H(db));
}

static int64_t
l_last_id(struct db *db)
{
	return sqlite3_last_insert_rowid(H(db));
}

static int
l_autocommit(struct db *db)
{
	return sqlite3_get_autocommit(H(db));
}

static int
l_errcode(struct db *db)
{
	return sqlite3_extended_errcode(H(db));
}

static const char *
l_errmsg(struct db *db)
{
	return sqlite3_errmsg(H(db));
}

static const struct db_ops lite_ops = {
	.close = l_close, .prepare = l_prepare, .exec = l_exec,
	.bind_int64 = l_bind_int64, .bind_text = l_bind_text, .bind_blob = l_bind_blob,
	.bind_null = l_bind_null, .bind_count = l_bind_count, .step = l_step,
	.reset = l_reset, .clear = l_clear, .finalize = l_finalize,
	.col_int64 = l_col_int64, .col_text = l_col_text, .col_blob = l_col_blob,
	.col_bytes = l_col_bytes, .col_null = l_col_null, .changes = l_changes, .last_id = l_last_id,
	.autocommit = l_autocommit, .errcode = l_errcode, .errmsg = l_errmsg,
};

_Static_assert(DB_ROW == SQLITE_ROW && DB_DONE == SQLITE_DONE && DB_BUSY == SQLITE_BUSY &&
    DB_CONSTRAINT_PRIMARYKEY == SQLITE_CONSTRAINT_PRIMARYKEY &&
    DB_CONSTRAINT_UNIQUE == SQLITE_CONSTRAINT_UNIQUE &&
    DB_CONSTRAINT_CHECK == SQLITE_CONSTRAINT_CHECK &&
    DB_CONSTRAINT_NOTNULL == SQLITE_CONSTRAINT_NOTNULL && DB_NOTADB == SQLITE_NOTADB &&
    DB_FULL == SQLITE_FULL && DB_CANTOPEN == SQLITE_CANTOPEN, "db codes are SQLite's");

/* "file:" URI for a read-only open, with the characters a URI path may not
 * hold percent-encoded.  Caller frees. */
static char *
ro_uri(const char *path)
{
	size_t	 n = strlen(path), k = 0;
	char	*u = malloc(3 * n + 16);

	if (u == NULL)
		return NULL;
	memcpy(u, "file:", 5), k = 5;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p < 0x21 || *p > 0x7e)
			k += (size_t)snprintf(u + k, 4, "%%%02X", *p);
		else
			u[k++] = (char)*p;
	}
	memcpy(u + k, "?mode=ro", 9);
	return u;
}

int
db_sqlite_open(const char *path, int flags, struct db **out)
{
	struct lite	*l;
	char		*uri = NULL;
	int		 rc, of = SQLITE_OPEN_NOMUTEX;

	*out = NULL;
	if ((l = calloc(1, sizeof *l)) == NULL)
		return DB_NOMEM;
	l->db.ops = &lite_ops;
	l->db.engine = DB_SQLITE;
	if (flags & DB_RDONLY) {
		if ((uri = ro_uri(path)) == NULL) {
			free(l);
			return DB_NOMEM;
		}
		rc = sqlite3_open_v2(uri, &l->h, of | SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
		free(uri);
	} else {
		of |= SQLITE_OPEN_READWRITE | ((flags & DB_CREATE) ? SQLITE_OPEN_CREATE : 0);
		rc = sqlite3_open_v2(path, &l->h, of, NULL);
	}
	if (rc != SQLITE_OK) {
		l_close(&l->db);
		return rc;
	}
	sqlite3_extended_result_codes(l->h, 1);
	*out = &l->db;
	return DB_OK;
}

struct sqlite3 *
db_sqlite(struct db *db)
{
	return db->engine == DB_SQLITE ? H(db) : NULL;
}
