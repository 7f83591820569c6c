/* store_int: what the store*.c files share and nothing outside them sees.
 * Every statement is prepared once at open into st->stmt[], indexed by
 * enum stmt; the SQL text of each lives in store.c's table. */
#ifndef STORE_INT_H
#define STORE_INT_H
#include <time.h>
#include "db.h"
#include "store.h"

enum stmt {
	ST_BEGIN,		/* BEGIN IMMEDIATE */
	ST_COMMIT,
	ST_ROLLBACK,
	ST_SAVEPOINT,
	ST_RELEASE,
	ST_ROLLBACK_TO,
	ST_NONCE_ADD,
	ST_DEVICE_ADD,
	ST_DEVICE_SEEN,
	ST_RESPONSE_ADD,
	ST_SEAL_KEY_ADD,
	ST_SEAL_KEYS,
	ST_SURVEY_ADD,
	ST_COUNT_ALL,
	ST_COUNT_SURVEY,
	ST_EACH,
	ST_INTEGRITY,
	ST_NONCE_SEEN,
	ST__MAX
};

/* The one-row form of a response's answers (migration 4; store_pack.c).
 *   response.answers  JSON text [["question",pos,"value"],...], sorted by
 *                     question (bytewise) then pos, each (question, pos)
 *                     once; a free-text answer has null for its value.
 *   response.texts    NULL when there is no text, else one byte of form and:
 *                     TEXTS_ONE_SEAL: one sealed blob (seal.h) of the texts
 *                     as pieces, all sealed together;
 *                     TEXTS_PIECES: the pieces, each one sealed text (the
 *                     answers moved from the old answer table kept their
 *                     seals: the server cannot open them to seal them again).
 *   response.texts_key  the seal_key row of every seal in texts.
 *   a piece           a 4-byte little-endian length and that many bytes.
 * The k-th null of answers is the k-th piece of texts. */
/* The form's nonce as stored in used_nonce: keyed with st->nonce_key. */
void store_nonce_hash(const struct store *st, const unsigned char nonce[16],
    unsigned char out[32]);

#define TEXTS_ONE_SEAL	2
#define TEXTS_PIECES	1

struct pbuf {
	unsigned char	*p;
	size_t		 n, cap;
};
/* Room for n more bytes; appending; freeing (wipe: zero it first).  -1 = no memory. */
int pbuf_room(struct pbuf *b, size_t n);
int pbuf_add(struct pbuf *b, const void *p, size_t n);
void pbuf_free(struct pbuf *b, int wipe);
/* Appends one answer to b, which holds "[" and the answers so far (the
 * caller closes it with "]"); value NULL: a text, written as null. */
int pack_answer(struct pbuf *b, const char *question, int pos, const char *value, size_t len);
/* Appends a piece (pack_len: only its length, the bytes to follow); the next piece from *cur (NULL if what is left is not one). */
int pack_len(struct pbuf *b, size_t n);
int pack_piece(struct pbuf *b, const void *p, size_t n);
const unsigned char *unpack_piece(const unsigned char **cur, const unsigned char *end,
    size_t *n);
/* Reads an answers column (s, n bytes) one answer at a time.  unpack_begin:
 * -1 if it is not an array.  unpack_answer decodes the question and, for a
 * closed answer, the value into out, each followed by a NUL (out needs room
 * for n bytes: the decoded form is never longer); *qn and *vn their lengths,
 * *vn SIZE_MAX for a text.  1: an answer, 0: the end, -1: malformed. */
struct jcur {
	const char	*p, *end;
	int		 n;
};
int unpack_begin(struct jcur *c, const char *s, size_t n);
int unpack_answer(struct jcur *c, char *out, size_t *qn, int *pos, size_t *vn);
/* Migration 4's step between its SQL halves: fills response_one's answers
 * from the old answer table (store_move.c). */
enum store_err store_move_answers(struct db *db);

/* The statement tables that store*.c files prepare on first use, so that a
 * store that never needs one never prepares it (nor needs its tables). */
enum store_tab {
	TAB_STAFF,		/* store_staff.c */
	TAB_POLL,		/* store_poll.c */
	TAB_DRAFT,		/* store_draft.c */
	TAB_LIFE,		/* store_life.c */
	TAB_ACCT,		/* store_staff_acct.c */
	TAB_RESULTS,		/* store_results.c */
	TAB_COUNT,		/* store_count.c */
	TAB_BULK,		/* store_bulk.c */
	TAB__MAX
};
struct store_table {
	enum store_tab		 id;
	const char *const	*sql;		/* [n] */
	int			 n;
	int			 wipe;		/* turn on SQL_SECURE_DELETE first */
	int			 missing_notfound; /* a failed prepare is store_prepare_err's */
};

/* A period public key, cached for reading. */
struct store_key {
	int64_t		 id;
	unsigned char	 pk[SEAL_KEY_BYTES];
};

struct store {
	struct db	*db;
	struct db_stmt	**stmt;		/* ST__MAX of them */
	int		 flags;
	int		 version;		/* schema version after migrations */

	/* writing: the current sealing period */
	unsigned char	 recipient[SEAL_KEY_BYTES];
	int		 have_recipient;
	unsigned char	 nonce_key[STORE_NONCE_KEY_BYTES];		/* keys the hash of form nonces */
	struct sealer	*sealer;
	int64_t		 key_id;		/* its seal_key row; 0 = not inserted yet */
	struct timespec	 sealer_born;		/* CLOCK_MONOTONIC */
	uint64_t	 period_texts;		/* texts sealed under st->sealer */
	unsigned char	*sealbuf;		/* reused for each response's sealed texts */
	size_t		 sealcap;
	struct pbuf	 json;			/* reused: a response's answers column */
	struct pbuf	 plain;			/* reused: its texts before sealing (wiped) */
	const struct store_answer **order;	/* reused: its answers, sorted */
	size_t		 ordercap;

	/* reading: period public keys sorted by id */
	struct store_key *keys;
	size_t		 nkeys, capkeys;

	/* the statement tables of store_table_prepare, each prepared on first use */
	struct db_stmt	**tab[TAB__MAX];
	int		 tab_n[TAB__MAX];	/* how many statements tab[i] holds */
	/* store_count.c: keeping counts current in store_responses_add */
	const struct store_counter *counter;	/* NULL: counts are only dropped */
	struct count_open *opened;	/* the batch's surveys whose counts are open */
	size_t		 nopened, capopened;
	int64_t		*added;		/* [submission]: its response's id, 0: none */
	size_t		 capadded;
	uint64_t	 kept;		/* surveys' counts kept by adding, committed */
	uint64_t	 kept_batch;	/* ... in the batch being written */
};

/* Engine-specific settings the store*.c files run: wipe deleted rows (SQLite's
 * secure_delete; PostgreSQL's VACUUM does it in its own time), and relax or
 * restore durability for a transaction that may be lost in a crash.  SQLite
 * relaxes the connection before BEGIN and restores it after; PostgreSQL
 * relaxes only inside the transaction (SQL_SYNC_RELAXED_TX, after BEGIN:
 * SET LOCAL ends with it), so that nothing, a failure between the two
 * least of all, leaves a connection that commits responses relaxed.  Only
 * drafts are relaxed on PostgreSQL. */
#define SQL_SECURE_DELETE	DB_SQL2("PRAGMA secure_delete = ON", "")
#define SQL_SYNC_RELAXED	DB_SQL2("PRAGMA synchronous = NORMAL", "")
#define SQL_SYNC_RELAXED_TX	DB_SQL2("", "SET LOCAL synchronous_commit = off")
#define SQL_SYNC_FULL		DB_SQL2("PRAGMA synchronous = FULL", "")
#define SQL_BEGIN_WRITE		DB_SQL2("BEGIN IMMEDIATE", "BEGIN")

/* Parameter n as a 64-bit integer, in SQL that does arithmetic on it
 * (PostgreSQL cannot infer a type for "?1 - ?2"). */
#define INT(n)			"CAST(?" #n " AS BIGINT)"

/* The store error for a result code of db.h (SQLite's numbers). */
enum store_err store_err_of(int rc);
/* The store error for a failed prepare: an SQL error there is a missing
 * table (an older schema), STORE_NOTFOUND. */
enum store_err store_prepare_err(int rc);
/* Steps a one-row count query (bound by the caller) into *n (0 without a
 * row), resets it, maps the result. */
enum store_err store_count(struct db_stmt *q, int64_t *n);
/* Calls fn with column 0 (text) of each row of q until it returns nonzero,
 * and resets q: DB_DONE then as after the last row, else the error. */
int store_each_text(struct db_stmt *q, int (*fn)(void *ctx, const char *s), void *ctx);
/* Prepares t into st->tab[t->id] unless it is there already; store_close
 * finalizes it. */
enum store_err store_table_prepare(struct store *st, const struct store_table *t);
/* Statement which of t, prepared if need be, reset with no bindings; NULL
 * and *er when t cannot be prepared. */
struct db_stmt *store_table_stmt(struct store *st, const struct store_table *t, int which,
    enum store_err *er);
/* Steps q to its end and resets it: the last step's db.h code; *rows (may
 * be NULL) the rows it returned. */
int store_run(struct db_stmt *q, int64_t *rows);
/* Ends the transaction ST_BEGIN opened: commits when er is STORE_OK, else
 * (or when the commit fails) rolls back; the outcome. */
enum store_err store_end(struct store *st, enum store_err er);
/* Steps a statement that returns no rows, resets it, maps the result. */
enum store_err store_exec(struct store *st, enum stmt which);
/* Today's local date as "YYYY-MM-DD". */
void store_today(char day[11]);
/* Frees the read-side caches (store_read.c). */
void store_read_free(struct store *st);
/* store_audit.c: the hash of an entry; the last entry's id and hash (0 and
 * zeros when empty); appending one entry (inside the caller's BEGIN
 * IMMEDIATE transaction); migration step chaining the rows from before. */
void store_audit_hash(const unsigned char prev[STORE_AUDIT_HASH_BYTES], int64_t id,
    const char *at, const char *staff, const char *action, const char *detail,
    unsigned char out[STORE_AUDIT_HASH_BYTES]);
enum store_err store_audit_last(struct db *db, int64_t *id,
    unsigned char head[STORE_AUDIT_HASH_BYTES]);
enum store_err store_audit_append(struct db *db, const char *at, const char *staff,
    const char *action, const char *detail);
enum store_err store_audit_chain_old(struct db *db);
/* Frees what keeping the counts current holds (store_count.c). */
void store_count_free(struct store *st);
/* For store_responses_add, inside its transaction (store_count.c): before
 * the inserts, opens the kept counts of the batch's surveys; each stored
 * submission's response id is noted with store_count_added; after them,
 * store_count_end adds those responses and stores the counts (in a
 * savepoint of its own: a failure there leaves the responses alone);
 * store_count_abandon drops what is open when the batch fails.  Only
 * SQLite errors of the transaction are returned. */
enum store_err store_count_begin(struct store *st, struct submission *const *subs, size_t n);
void store_count_added(struct store *st, size_t i, int64_t id);
enum store_err store_count_end(struct store *st, struct submission *const *subs, size_t n);
void store_count_abandon(struct store *st);
/* store_add.c, for store_bulk.c.  A random id in 1 .. 2^63-1.  Makes sure
 * a fresh enough sealer exists and its key row is in this transaction (the
 * old sealer is wiped when it is replaced).  A submission's answers column
 * into st->json and, when it has texts, their one seal (under st->sealer,
 * st->key_id) into st->sealbuf, *tlen bytes (0: no texts); STORE_INVALID
 * for answers the store refuses. */
int64_t store_random_id(void);
enum store_err store_ensure_sealer(struct store *st);
enum store_err store_pack_response(struct store *st, const struct submission *sub,
    size_t *tlen);
/* store_bulk.c, on PostgreSQL, inside the batch's open transaction: the n
 * submissions' nonce, device and response rows in one statement, each
 * stored response noted with store_count_added.  When a form fails by
 * itself (a duplicate, a device used, a refused form, a clashing id) the
 * statement fails whole, the transaction is spoiled, and *again is set: the
 * caller rolls back and adds the batch again, form by form. */
enum store_err store_bulk_add(struct store *st, struct submission *const *subs, size_t n,
    int *again);
/* store_read.c: calls fn for each row q (already bound; the columns of
 * ST_EACH) gives, read as store_each_response reads, text answers skipped;
 * resets q. */
enum store_err store_read_rows(struct store *st, struct db_stmt *q,
    int (*fn)(void *ctx, const struct store_response *r), void *ctx);
/* Runs SQL text that is part of the store (pragmas, migrations). */
enum store_err store_exec_sql(struct db *db, const char *sql);
/* A numbered schema migration: its SQL, then its C step if it has one, then
 * the SQL after it (store_schema.c). */
struct migration {
	const char	*sql;
	enum store_err	(*step)(struct db *db);
	const char	*after;
};
/* Migration 4's SQL that is the same on both engines (store_schema.c,
 * store_schema_pg.c): the response table's closing constraints with the
 * copy of its rows, and the swap of the new table for the old two. */
#define STORE_M4_RESPONSE_COPY \
	" CHECK ((texts IS NULL) = (texts_key IS NULL))," \
	" FOREIGN KEY (survey, version, def_hash) REFERENCES survey (id, version, def_hash));" \
	"INSERT INTO response_one (id, survey, version, def_hash, channel, lang, day)" \
	" SELECT id, survey, version, def_hash, channel, lang, day FROM response;"
#define STORE_M4_SWAP \
	"DROP TABLE answer; DROP TABLE response; ALTER TABLE response_one RENAME TO response;"

/* The PostgreSQL forms, the same steps in the same order (store_schema_pg.c). */
#define STORE_PG_MIGRATIONS	16
extern const struct migration store_pg_migrations[STORE_PG_MIGRATIONS];
/* True when table has a column named col; migration steps. */
int store_has_column(struct db *db, const char *table, const char *col);
enum store_err store_add_flagged(struct db *db);
enum store_err store_add_drops(struct db *db);
/* store_schema.c: brings a writable database up to this version's schema
 * (STORE_SCHEMA for a newer one); for a read-only open, STORE_SCHEMA unless
 * the database is at this version. */
enum store_err store_migrate(struct store *st);
enum store_err store_schema_check(struct store *st);
/* store_role.c: STORE_PRIVILEGE when the PostgreSQL role of st may do more
 * than the app does (superuser, may create roles, may create or change
 * tables in the schema or the database). */
enum store_err store_role_check(struct store *st);
/* Puts the page cache of store_pcache.c in place (before the first open). */
void store_pcache_install(void);
#endif
