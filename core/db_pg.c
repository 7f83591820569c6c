/* db_pg: the PostgreSQL engine of db.h, on libpq.
 *
 * A statement is prepared on the server under its own name, its ?N
 * placeholders written as $N.  Bound values are copied (text as text,
 * blobs in binary); step runs the statement at its first call and walks the
 * rows of the result after that; results come back as text (bytea as hex,
 * decoded on demand).  Errors map onto db.h's codes by SQLSTATE; a
 * connection lost while a statement was in flight is DB_UNKNOWN: the server
 * may or may not have committed it.  The connection itself, and connecting
 * again after it was lost, is db_pg_conn.c's.
 *
 * The password is never on a command line: libpq reads it from the file
 * named by passfile= in the connection string, or PGPASSFILE, or
 * ~/.pgpass (each must be readable only by its owner). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db_pg_int.h"

#define BYTEA_OID	17
#define BOOL_OID	16
#define TEXT_OID	25

/* The db.h code of a failed result. */
static int
code_of(struct pg *p, const PGresult *r)
{
	const char *st = r != NULL ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *con = r != NULL ? PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME) : NULL;
	size_t n;

	if (PQstatus(p->c) == CONNECTION_BAD || st == NULL)
		return DB_UNKNOWN;
	if (strcmp(st, "25006") == 0 && !(p->flags & DB_RDONLY))
		p->stale = 1;	/* a standby now: the primary is elsewhere */
	if (strcmp(st, "23505") == 0) {
		n = con != NULL ? strlen(con) : 0;
		return n > 5 && strcmp(con + n - 5, "_pkey") == 0 ?
		    DB_CONSTRAINT_PRIMARYKEY : DB_CONSTRAINT_UNIQUE;
	}
	if (strcmp(st, "23502") == 0)
		return DB_CONSTRAINT_NOTNULL;
	if (strcmp(st, "23514") == 0)
		return DB_CONSTRAINT_CHECK;
	if (strncmp(st, "23", 2) == 0)
		return DB_CONSTRAINT;
	if (strcmp(st, "40001") == 0 || strcmp(st, "40P01") == 0 || strcmp(st, "55P03") == 0 ||
	    strcmp(st, "57014") == 0)
		return DB_BUSY;
	if (strcmp(st, "53100") == 0)
		return DB_FULL;
	if (strcmp(st, "53200") == 0)
		return DB_NOMEM;
	if (strncmp(st, "22", 2) == 0)
		return DB_MISMATCH;
	if (strncmp(st, "42", 2) == 0 || strncmp(st, "25", 2) == 0 || strcmp(st, "P0001") == 0)
		return st[0] == 'P' ? DB_CONSTRAINT : DB_ERROR;
	if (strncmp(st, "08", 2) == 0 || strncmp(st, "57", 2) == 0)
		return DB_UNKNOWN;
	return DB_IOERR;
}

/* Records and returns the outcome of a finished command. */
static int
outcome(struct pg *p, PGresult *r)
{
	ExecStatusType s = r != NULL ? PQresultStatus(r) : PGRES_FATAL_ERROR;

	if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY) {
		p->err = DB_OK;
		return DB_OK;
	}
	pg_set_err(p, code_of(p, r), r != NULL ? PQresultErrorMessage(r) : PQerrorMessage(p->c));
	return p->err;
}

/* sql with each ?N (or bare ?, numbered in order) as $N, outside quotes;
 * *nparams the highest number.  Caller frees. */
static char *
dollars(const char *sql, int *nparams)
{
	size_t	 n = strlen(sql), k = 0;
	char	*out = malloc(2 * n + 1);
	char	 quote = 0;
	int	 seq = 0;

	if (out == NULL)
		return NULL;
	*nparams = 0;
	for (const char *s = sql; *s; s++) {
		if (quote) {
			quote = *s == quote ? 0 : quote;
			out[k++] = *s;
		} else if (*s == '\'' || *s == '"') {
			quote = *s;
			out[k++] = *s;
		} else if (*s == '?') {
			int v = isdigit((unsigned char)s[1]) ? (int)strtol(s + 1, NULL, 10) : ++seq;
			while (isdigit((unsigned char)s[1]))
				s++;
			k += (size_t)sprintf(out + k, "$%d", v);
			if (v > *nparams)
				*nparams = v;
		} else
			out[k++] = *s;
	}
	out[k] = '\0';
	return out;
}

static void
clear_rows(struct pg_stmt *s)
{
	for (int i = 0; i < s->ncols; i++) {
		free(s->blob[i]);
		s->blob[i] = NULL;
	}
}

static int
p_reset(struct db_stmt *q)
{
	struct pg_stmt *s = S(q);

	clear_rows(s);
	free(s->blob);
	free(s->blen);
	s->blob = NULL;
	s->blen = NULL;
	s->ncols = 0;
	PQclear(s->res);
	s->res = NULL;
	return DB_OK;
}

static int
p_clear(struct db_stmt *q)
{
	struct pg_stmt *s = S(q);

	for (int i = 0; i < s->nparams; i++) {
		free(s->val[i]);
		s->val[i] = NULL;
		s->len[i] = 0;
		s->fmt[i] = 0;
	}
	return DB_OK;
}

static int
p_finalize(struct db_stmt *q)
{
	struct pg_stmt	*s = S(q);
	struct pg	*p = PG(q->db);
	char		 sql[32];

	p_reset(q);
	p_clear(q);
	if (s->gen == p->gen && PQstatus(p->c) == CONNECTION_OK) {
		snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
		PQclear(PQexec(p->c, sql));
	}
	free(s->val);
	free(s->len);
	free(s->fmt);
	free(s->text);
	free(s->types);
	free(s);
	return DB_OK;
}

/* PQprepare, the server inferring each parameter's type; one it cannot
 * infer (only ever compared with NULL, say) is taken as text.  The types
 * found are kept in s->types: prepared again on a new connection, inside a
 * transaction perhaps, the statement is prepared at the first try (a failed
 * one would spoil the transaction). */
static int
prepare_typed(struct pg *p, struct pg_stmt *s)
{
	int		 n = s->nparams, rc = DB_OK, k;
	Oid		*types;
	PGresult	*r;
	const char	*state;

	if (n > 0 && s->types == NULL && (s->types = calloc((size_t)n, sizeof *types)) == NULL)
		return DB_NOMEM;
	types = s->types;
	for (int tries = 0; tries <= n; tries++) {
		r = PQprepare(p->c, s->name, s->text, n, types);
		rc = outcome(p, r);
		state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		k = 0;
		if (rc != DB_OK && state != NULL && (strcmp(state, "42P18") == 0 || strcmp(state, "42P08") == 0))
			k = (int)strtol(strchr(p->msg, '$') ? strchr(p->msg, '$') + 1 : "0", NULL, 10);
		PQclear(r);
		if (k < 1 || k > n || types[k - 1] != 0)
			break;
		types[k - 1] = TEXT_OID;
	}
	return rc;
}

/* Prepares s on the current connection (connected again first if it was
 * lost, outside a transaction). */
static int
prepare_on(struct pg_stmt *s)
{
	struct pg	*p = PG(s->q.db);
	int		 rc, skip, tx;

	for (int tries = 0;; tries++) {
		if ((rc = pg_gate(p, PG_READ, &skip)) != DB_OK || skip)
			return rc;
		tx = pg_in_tx(p);
		rc = prepare_typed(p, s);
		if (!pg_after(p, rc, PG_READ, tx, tries))
			break;
	}
	if (rc == DB_OK)
		s->gen = p->gen;
	return rc;
}

static int
p_prepare(struct db *db, const char *sql, int flags, struct db_stmt **out)
{
	struct pg	*p = PG(db);
	struct pg_stmt	*s;
	char		*text;
	int		 rc, n;

	(void)flags;	/* every statement lives until it is finalized */
	if ((text = dollars(sql, &n)) == NULL || (s = calloc(1, sizeof *s)) == NULL) {
		free(text);
		return DB_NOMEM;
	}
	s->q.db = db;
	s->nparams = n;
	s->text = text;
	s->kind = pg_kind_of(text);
	snprintf(s->name, sizeof s->name, "s%u", ++p->next);
	if (n > 0 && ((s->val = calloc((size_t)n, sizeof *s->val)) == NULL ||
	    (s->len = calloc((size_t)n, sizeof *s->len)) == NULL ||
	    (s->fmt = calloc((size_t)n, sizeof *s->fmt)) == NULL)) {
		s->gen = p->gen - 1;	/* nothing to deallocate */
		p_finalize(&s->q);
		return DB_NOMEM;
	}
	if ((rc = prepare_on(s)) != DB_OK) {
		free(s->val), free(s->len), free(s->fmt), free(s->text), free(s->types), free(s);
		return rc;
	}
	*out = &s->q;
	return DB_OK;
}

static int
p_exec(struct db *db, const char *sql)
{
	struct pg	*p = PG(db);
	enum pg_kind	 k = pg_kind_of(sql);
	PGresult	*r;
	int		 rc, skip, tx;

	for (int tries = 0;; tries++) {
		if ((rc = pg_gate(p, k, &skip)) != DB_OK || skip)
			return rc;
		tx = pg_in_tx(p);
		r = PQexec(p->c, sql);
		rc = outcome(p, r);
		PQclear(r);
		if (!pg_after(p, rc, k, tx, tries))
			return rc;
	}
}

/* Puts an owned copy of n bytes (plus a NUL) in parameter i. */
static int
put(struct db_stmt *q, int i, const void *v, size_t n, int fmt)
{
	struct pg_stmt	*s = S(q);
	char		*c;

	if (i < 1 || i > s->nparams)
		return DB_RANGE;
	if ((c = malloc(n + 1)) == NULL)
		return DB_NOMEM;
	memcpy(c, v, n);
	c[n] = '\0';
	free(s->val[i - 1]);
	s->val[i - 1] = c;
	s->len[i - 1] = (int)n;
	s->fmt[i - 1] = fmt;
	return DB_OK;
}

static int p_bind_null(struct db_stmt *q, int i);

static int
p_bind_int64(struct db_stmt *q, int i, int64_t v)
{
	char num[24];
	int n = snprintf(num, sizeof num, "%lld", (long long)v);

	return put(q, i, num, (size_t)n, 0);
}

static int
p_bind_text(struct db_stmt *q, int i, const char *t, int n)
{
	if (t == NULL)		/* as SQLite: a NULL pointer binds NULL */
		return p_bind_null(q, i);
	return put(q, i, t, n < 0 ? strlen(t) : (size_t)n, 0);
}

static int
p_bind_blob(struct db_stmt *q, int i, const void *b, int n)
{
	if (b == NULL)
		return p_bind_null(q, i);
	return put(q, i, n > 0 ? b : "", n > 0 ? (size_t)n : 0, 1);
}

static int
p_bind_null(struct db_stmt *q, int i)
{
	struct pg_stmt *s = S(q);

	if (i < 1 || i > s->nparams)
		return DB_RANGE;
	free(s->val[i - 1]);
	s->val[i - 1] = NULL;
	return DB_OK;
}

static int
p_bind_count(struct db_stmt *q)
{
	return S(q)->nparams;
}

/* Sends the statement (prepared again first on a new connection) once;
 * its result in s->res. */
static int
send_once(struct pg_stmt *s, int *tx)
{
	struct pg	*p = PG(s->q.db);
	int		 rc, skip;

	if ((rc = pg_gate(p, s->kind, &skip)) != DB_OK || skip) {
		s->res = PQmakeEmptyPGresult(NULL, PGRES_COMMAND_OK);
		return rc;
	}
	*tx = pg_in_tx(p);
	if (s->gen != p->gen &&
	    (rc = prepare_typed(p, s)) != DB_OK)
		return rc;
	s->gen = p->gen;
	s->res = PQexecPrepared(p->c, s->name, s->nparams, (const char *const *)s->val,
	    s->len, s->fmt, 0);
	return outcome(p, s->res);
}

/* Runs the statement; the rows wait in s->res. */
static int
run(struct pg_stmt *s)
{
	struct pg	*p = PG(s->q.db);
	const char	*cmd, *tuples;
	int		 rc, tx = 0;

	for (int tries = 0;; tries++) {
		rc = send_once(s, &tx);
		if (!pg_after(p, rc, s->kind, tx, tries))
			break;
		PQclear(s->res);
		s->res = NULL;
	}
	if (rc != DB_OK)
		return rc;
	if (s->res == NULL)
		return DB_NOMEM;
	cmd = PQcmdStatus(s->res);
	tuples = PQcmdTuples(s->res);
	if (tuples[0] != '\0' && (strncmp(cmd, "INSERT", 6) == 0 ||
	    strncmp(cmd, "UPDATE", 6) == 0 || strncmp(cmd, "DELETE", 6) == 0))
		p->changes = strtoll(tuples, NULL, 10);
	s->nrows = PQntuples(s->res);
	s->ncols = PQnfields(s->res);
	s->row = -1;
	if (s->ncols > 0 && ((s->blob = calloc((size_t)s->ncols, sizeof *s->blob)) == NULL ||
	    (s->blen = calloc((size_t)s->ncols, sizeof *s->blen)) == NULL))
		return DB_NOMEM;
	return DB_OK;
}

static int
p_step(struct db_stmt *q)
{
	struct pg_stmt	*s = S(q);
	int		 rc;

	if (s->res == NULL && (rc = run(s)) != DB_OK) {
		p_reset(q);
		return rc;
	}
	clear_rows(s);
	if (s->row + 1 >= s->nrows) {
		s->row = s->nrows;
		return DB_DONE;
	}
	s->row++;
	return DB_ROW;
}

static int
valid(struct pg_stmt *s, int i)
{
	return s->res != NULL && s->row >= 0 && s->row < s->nrows && i >= 0 && i < s->ncols;
}

static int
p_col_null(struct db_stmt *q, int i)
{
	struct pg_stmt *s = S(q);

	return !valid(s, i) || PQgetisnull(s->res, s->row, i);
}

static int64_t
p_col_int64(struct db_stmt *q, int i)
{
	struct pg_stmt	*s = S(q);
	const char	*v;

	if (p_col_null(q, i))
		return 0;
	v = PQgetvalue(s->res, s->row, i);
	if (PQftype(s->res, i) == BOOL_OID)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

static const char *
p_col_text(struct db_stmt *q, int i)
{
	struct pg_stmt *s = S(q);

	return p_col_null(q, i) ? NULL : PQgetvalue(s->res, s->row, i);
}

static int
hexval(int c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* The bytea column i of this row, decoded once from "\x..." hex. */
static const unsigned char *
bytea(struct pg_stmt *s, int i, size_t *n)
{
	const char	*v = PQgetvalue(s->res, s->row, i);
	size_t		 k = strlen(v);

	if (s->blob[i] == NULL) {
		if (k < 2 || v[0] != '\\' || v[1] != 'x')
			return (*n = 0), NULL;
		k = (k - 2) / 2;
		if ((s->blob[i] = malloc(k + 1)) == NULL)
			return (*n = 0), NULL;
		for (size_t j = 0; j < k; j++)
			s->blob[i][j] = (unsigned char)(hexval(v[2 + 2 * j]) << 4 |
			    hexval(v[3 + 2 * j]));
		s->blob[i][k] = 0;
		s->blen[i] = k;
	}
	*n = s->blen[i];
	return s->blob[i];
}

static const void *
p_col_blob(struct db_stmt *q, int i)
{
	struct pg_stmt	*s = S(q);
	size_t		 n;

	if (p_col_null(q, i))
		return NULL;
	if (PQftype(s->res, i) == BYTEA_OID)
		return bytea(s, i, &n);
	return PQgetvalue(s->res, s->row, i);
}

static int
p_col_bytes(struct db_stmt *q, int i)
{
	struct pg_stmt	*s = S(q);
	size_t		 n;

	if (p_col_null(q, i))
		return 0;
	if (PQftype(s->res, i) == BYTEA_OID)
		return bytea(s, i, &n) != NULL ? (int)n : 0;
	return PQgetlength(s->res, s->row, i);
}

static int64_t
p_changes(struct db *db)
{
	return PG(db)->changes;
}

static int64_t
p_last_id(struct db *db)
{
	PGresult	*r = PQexec(PG(db)->c, "SELECT lastval()");
	int64_t		 id = 0;

	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return id;
}

/* A lost connection holds no transaction, unless the caller has not ended
 * the one it lost yet. */
static int
p_autocommit(struct db *db)
{
	struct pg *p = PG(db);

	return !p->poisoned && !pg_in_tx(p);
}

static int
p_errcode(struct db *db)
{
	return PG(db)->err;
}

static const char *
p_errmsg(struct db *db)
{
	return PG(db)->msg;
}

static int
p_close(struct db *db)
{
	PQfinish(PG(db)->c);
	free(PG(db)->conninfo);
	free(db);
	return DB_OK;
}

static const struct db_ops pg_ops = {
	.close = p_close, .prepare = p_prepare, .exec = p_exec,
	.bind_int64 = p_bind_int64, .bind_text = p_bind_text, .bind_blob = p_bind_blob,
	.bind_null = p_bind_null, .bind_count = p_bind_count, .step = p_step,
	.reset = p_reset, .clear = p_clear, .finalize = p_finalize,
	.col_int64 = p_col_int64, .col_text = p_col_text, .col_blob = p_col_blob,
	.col_bytes = p_col_bytes, .col_null = p_col_null, .changes = p_changes,
	.last_id = p_last_id, .autocommit = p_autocommit, .errcode = p_errcode,
	.errmsg = p_errmsg,
};

int
db_pg_open(const char *conninfo, int flags, struct db **out)
{
	struct pg	*p;
	int		 rc;

	*out = NULL;
	if (!pg_conninfo_ok(conninfo))
		return DB_CANTOPEN;
	if ((p = calloc(1, sizeof *p)) == NULL)
		return DB_NOMEM;
	p->db.ops = &pg_ops;
	p->db.engine = DB_PG;
	p->flags = flags;
	p->limit_ms = PG_RECONNECT_MS;
	if ((p->conninfo = strdup(conninfo)) == NULL) {
		free(p);
		return DB_NOMEM;
	}
	rc = pg_connect(p);
	*out = &p->db;
	return rc;
}
