/* db: the database engine under the store, SQLite (db_sqlite.c) or
 * PostgreSQL (db_pg.c), behind one small interface shaped like SQLite's own:
 * prepare, bind, step, column, reset, finalize.  Only the store*.c files use
 * it; everything else uses store.h.
 *
 * SQL is written once, with ?N placeholders (PostgreSQL gets $N).  Where the
 * two dialects differ, a table entry holds both side by side:
 * DB_SQL2("sqlite text", "postgresql text"); db_prepare and db_exec take
 * the half of the engine they run on.
 *
 * Result codes are SQLite's numbers (enum db_rc lists the ones the store
 * tells apart); the PostgreSQL engine maps SQLSTATEs onto them.
 * Bound text and blobs must stay valid until the statement is stepped. */
#ifndef DB_H
#define DB_H
#include <stddef.h>
#include <stdint.h>

enum db_rc {
	DB_OK		= 0,
	DB_ERROR	= 1,	/* SQL error: a missing table, a syntax error */
	DB_INTERNAL	= 2,
	DB_BUSY		= 5,	/* locked past the busy timeout, or a serialization failure */
	DB_LOCKED	= 6,
	DB_NOMEM	= 7,
	DB_IOERR	= 10,
	DB_CORRUPT	= 11,
	DB_FULL		= 13,
	DB_CANTOPEN	= 14,
	DB_TOOBIG	= 18,
	DB_CONSTRAINT	= 19,
	DB_MISMATCH	= 20,
	DB_MISUSE	= 21,
	DB_RANGE	= 25,
	DB_NOTADB	= 26,
	DB_ROW		= 100,
	DB_DONE		= 101,
	DB_CONSTRAINT_CHECK	= DB_CONSTRAINT | (1 << 8),
	DB_CONSTRAINT_NOTNULL	= DB_CONSTRAINT | (5 << 8),
	DB_CONSTRAINT_PRIMARYKEY = DB_CONSTRAINT | (6 << 8),
	DB_CONSTRAINT_UNIQUE	= DB_CONSTRAINT | (8 << 8),
	/* The connection was lost while a statement or COMMIT was in flight:
	 * whether it took effect is not known (an I/O error class). */
	DB_UNKNOWN	= DB_IOERR | (100 << 8),
};

enum db_engine {
	DB_SQLITE,
	DB_PG
};

enum db_open_flags {
	DB_RDONLY	= 1 << 0,
	DB_CREATE	= 1 << 1	/* SQLite: create the file if missing */
};

enum db_prep_flags {
	DB_PERSISTENT	= 1 << 0	/* kept for the life of the connection */
};

/* Marks an SQL text that has a variant per engine (see above). */
#define DB_SQL2(lite, pg)	"\001" lite "\0" pg

struct db;
struct db_stmt;

/* Which engine a `database:` setting names: a PostgreSQL connection string
 * (postgresql:// or postgres:// URI, or keyword=value pairs) or else a
 * SQLite file path. */
enum db_engine db_engine_of(const char *target);
/* Opens target (db_engine_of decides the engine); on failure *out may still
 * hold a handle whose errmsg says why (close it). */
int db_open(const char *target, int flags, struct db **out);
int db_close(struct db *db);
enum db_engine db_engine(const struct db *db);
/* The SQLite connection, or NULL on PostgreSQL (SQLite-only features:
 * backup, checkpoints, the busy timeout). */
struct sqlite3 *db_sqlite(struct db *db);

/* The half of an SQL text (DB_SQL2) that engine runs. */
const char *db_sql_for(enum db_engine engine, const char *sql);
int db_prepare(struct db *db, const char *sql, int flags, struct db_stmt **out);
/* Runs one or more statements that bind nothing and return no rows. */
int db_exec(struct db *db, const char *sql);
int db_bind_int64(struct db_stmt *q, int i, int64_t v);
int db_bind_int(struct db_stmt *q, int i, int v);
/* n < 0: s is NUL-terminated. */
int db_bind_text(struct db_stmt *q, int i, const char *s, int n);
int db_bind_blob(struct db_stmt *q, int i, const void *p, int n);
int db_bind_null(struct db_stmt *q, int i);
int db_bind_parameter_count(struct db_stmt *q);
/* DB_ROW, DB_DONE or an error. */
int db_step(struct db_stmt *q);
int db_reset(struct db_stmt *q);
int db_clear_bindings(struct db_stmt *q);
int db_finalize(struct db_stmt *q);
int64_t db_column_int64(struct db_stmt *q, int i);
int db_column_int(struct db_stmt *q, int i);
/* NULL for SQL NULL; valid until the next step, reset or column call on i. */
const char *db_column_text(struct db_stmt *q, int i);
const void *db_column_blob(struct db_stmt *q, int i);
int db_column_bytes(struct db_stmt *q, int i);
int db_column_is_null(struct db_stmt *q, int i);
/* Rows changed by the last INSERT, UPDATE or DELETE. */
int64_t db_changes(struct db *db);
/* The id the last INSERT gave its row (SQLite's rowid; PostgreSQL's
 * lastval(), the identity the session drew last). */
int64_t db_last_insert_id(struct db *db);
/* 1 outside a transaction. */
int db_autocommit(struct db *db);
/* The last error's code (extended) and message. */
int db_errcode(struct db *db);
const char *db_errmsg(struct db *db);

/* A lost connection (PostgreSQL's: a failover, a restart, a terminated
 * backend) is connected again at its next use, with the same connection
 * string, for up to this long from when the loss was noticed (default 20 s;
 * tests shorten it); after that each use tries once.  A statement cut off
 * inside a transaction is DB_UNKNOWN, and so is every later one until the
 * caller ends that transaction: none runs on the new connection.  No-op on
 * SQLite. */
void db_reconnect_limit(struct db *db, int ms);
/* How many times the connection was lost so far (0 on SQLite): a caller
 * sees from it that a failure may have left an unknown outcome. */
unsigned db_losses(struct db *db);

/* For the store's statement tables and row loops. */
/* Prepares n statements (persistent) into a new array *out; on failure
 * nothing is left prepared and *out is NULL. */
int db_prepare_table(struct db *db, const char *const *sql, int n, struct db_stmt ***out);
/* Finalizes and frees a table from db_prepare_table; NULL is fine. */
void db_finalize_table(struct db_stmt ***table, int n);
/* Steps q, calling row(q, arg) for each row until it returns nonzero;
 * resets q.  DB_DONE when every row was seen, DB_ROW when row stopped the
 * loop, else the error. */
int db_rows(struct db_stmt *q, int (*row)(struct db_stmt *q, void *arg), void *arg);
/* Steps a statement expected to return at most one row, reads its first
 * column as an integer into *v (untouched without a row), resets it. */
int db_one_int64(struct db_stmt *q, int64_t *v);

/* Engine-internal: what each engine provides (db.c dispatches). */
struct db_ops {
	int		(*close)(struct db *);
	int		(*prepare)(struct db *, const char *, int, struct db_stmt **);
	int		(*exec)(struct db *, const char *);
	int		(*bind_int64)(struct db_stmt *, int, int64_t);
	int		(*bind_text)(struct db_stmt *, int, const char *, int);
	int		(*bind_blob)(struct db_stmt *, int, const void *, int);
	int		(*bind_null)(struct db_stmt *, int);
	int		(*bind_count)(struct db_stmt *);
	int		(*step)(struct db_stmt *);
	int		(*reset)(struct db_stmt *);
	int		(*clear)(struct db_stmt *);
	int		(*finalize)(struct db_stmt *);
	int64_t		(*col_int64)(struct db_stmt *, int);
	const char	*(*col_text)(struct db_stmt *, int);
	const void	*(*col_blob)(struct db_stmt *, int);
	int		(*col_bytes)(struct db_stmt *, int);
	int		(*col_null)(struct db_stmt *, int);
	int64_t		(*changes)(struct db *);
	int64_t		(*last_id)(struct db *);
	int		(*autocommit)(struct db *);
	int		(*errcode)(struct db *);
	const char	*(*errmsg)(struct db *);
};

struct db {
	const struct db_ops	*ops;
	enum db_engine		 engine;
};

struct db_stmt {
	struct db		*db;
};

int db_sqlite_open(const char *path, int flags, struct db **out);
int db_pg_open(const char *conninfo, int flags, struct db **out);
/* The role a PostgreSQL connection string names (user=) into out (n
 * bytes): 1 when it names one, else 0. */
int db_pg_conninfo_user(const char *conninfo, char *out, size_t n);
/* 0 when the password file the connection string names (passfile=, else
 * PGPASSFILE) may be read or written by its group or others (its path then in
 * path, n bytes), else 1: the file is private, or none is named or there. */
int db_pg_passfile_private(const char *conninfo, char *path, size_t n);
void db_pg_limit(struct db *db, int ms);
unsigned db_pg_losses(struct db *db);
#endif
