/* store: the one storage layer.  Every SQL statement of the product lives in
 * the store*.c files, prepared once at open, every value bound, run by one
 * of two engines (core/db.h, docs/storage.md): SQLite, the default, in WAL
 * mode with synchronous=FULL, where a call that returns STORE_OK for a write
 * means the data is on disk; or PostgreSQL, where it means the server
 * committed it.
 *
 * What a response carries, and nothing more: a random 63-bit id (tables are
 * WITHOUT ROWID, so row order says nothing about arrival order), survey id,
 * version and definition hash, channel, language, and the day.  No address,
 * agent, cookie or time of day.  Free text is scrubbed by the caller and
 * sealed here to the analysis public key.  A survey that takes one response
 * per device also gets a row of `device` per device that answered it: the
 * survey id and a keyed hash, nothing that leads to the response (migration
 * 5).
 *
 * Layout (migration 4): a response is ONE row of `response` holding its
 * answers (a JSON array [["question",pos,"value"],...], texts with a null
 * value) and all of its free texts sealed together in one blob (column
 * texts, with the seal_key row texts_key), plus one row of used_nonce: two
 * B-tree inserts per submission however many answers it has.  `answer` is a
 * view with the columns of the old table (response, question, pos, value,
 * sealed, seal_key), one row per answer, for reading with plain SQL; a
 * text's sealed there is its response's whole texts blob.  store_int.h has
 * the exact form. */
#ifndef STORE_H
#define STORE_H
#include <stddef.h>
#include <stdint.h>
#include "survey.h"
#include "seal.h"
#include "arena.h"
#include "buf.h"
#include "poll_model.h"

enum store_err {
	STORE_OK,
	STORE_DUPLICATE,	/* the form's nonce was used before: already stored, nothing new */
	STORE_BUSY,		/* the write lock was held past the busy timeout */
	STORE_FULL,		/* disk or quota full */
	STORE_NOMEM,
	STORE_IO,		/* any other SQLite or file error */
	STORE_CORRUPT,
	STORE_NOTFOUND,
	STORE_INVALID,		/* the caller passed something the schema refuses */
	STORE_DEVICE_USED,	/* this device already sent a response to this survey: nothing new */
	STORE_SCHEMA,		/* read-only: not this version's schema; read-write: a newer one */
	STORE_CLOSED,		/* the survey was closed (lifecycle.h): nothing stored */
	STORE_PRIVILEGE,	/* STORE_APP on PostgreSQL: the role may do more than the app */
	STORE_PASSFILE,		/* the password file may be read by others than its owner */
	STORE__MAX
};
const char *store_strerror(enum store_err e);

enum store_flags {
	STORE_RDONLY	= 1 << 0,	/* the analysis tool: opens with mode=ro, never migrates */
	STORE_CREATE	= 1 << 1,	/* create the file if missing */
	STORE_COPY	= 1 << 2,	/* read-only, any schema version, no statements: a
					 * source for store_backup and nothing else */
	STORE_APP	= 1 << 3	/* the app's own processes (serve, user, purge): on
					 * PostgreSQL never migrates (a schema behind is
					 * STORE_SCHEMA: `voices init` migrates, as the
					 * schema's owner) and refuses a role that may do more
					 * than the app does (STORE_PRIVILEGE: store_role.c);
					 * on SQLite no different from 0 */
};

struct store;
/* Opens the database, sets WAL, synchronous=FULL, busy_timeout, foreign keys,
 * applies numbered migrations (not with STORE_RDONLY) and prepares every
 * statement.  One store per process (after fork) and per thread. */
enum store_err store_open(const char *path, int flags, struct store **out)
    __attribute__((warn_unused_result));
void store_close(struct store *st);
/* PostgreSQL, for `voices init` on a store opened as the schema's owner:
 * gives the role that the connection string app names (user=) exactly what
 * the app does (store_role.c) unless app is NULL, and analyst_role SELECT on
 * what the analysis tool reads unless it is NULL, taking back whatever else
 * either had on the schema's tables.  Either role must exist and be neither
 * a superuser nor the owner.  On failure why (n bytes) says what went
 * wrong.  SQLite: nothing to do, STORE_OK. */
enum store_err store_grant(struct store *st, const char *app, const char *analyst_role,
    char *why, size_t n) __attribute__((warn_unused_result));
/* The schema version after migrations. */
int store_schema_version(struct store *st);
/* Busy timeout in milliseconds (default 5000; tests lower it): how long a
 * statement waits for another connection's lock before STORE_BUSY.  On
 * PostgreSQL its lock_timeout (0: no limit; none until this is called). */
void store_set_busy_timeout(struct store *st, int ms);
/* Texts are sealed to this key; without it storing a text answer fails. */
void store_set_recipient(struct store *st, const unsigned char pk[SEAL_KEY_BYTES]);
/* Form nonces are stored only as a BLAKE2b hash keyed with this server
 * secret, so a copy of the database cannot confirm that a given browser's
 * form was submitted.  Every process writing one database must set the same
 * key (default: all zero, i.e. an unkeyed hash). */
#define STORE_NONCE_KEY_BYTES	32
void store_set_nonce_key(struct store *st, const unsigned char key[STORE_NONCE_KEY_BYTES]);
/* *seen: 1 when a submission with this form nonce is stored (under the key
 * set above), else 0.  A read: it works while writes fail (disk full). */
enum store_err store_nonce_seen(struct store *st, const unsigned char nonce[16], int *seen)
    __attribute__((warn_unused_result));

/* ---- WAL checkpoints ----
 * A COMMIT is durable once its frames are fsynced into the -wal file; a
 * checkpoint later copies committed frames into the database file, fsyncs it,
 * and only then lets the WAL be reused (every read-write store runs with
 * synchronous=FULL, which is what makes the checkpoint fsync).  So who
 * checkpoints, and when, changes speed and the size of the -wal file, never
 * what survives a crash. */

/* After a COMMIT on this connection leaves at least `pages` frames in the WAL,
 * the committing call checkpoints (PASSIVE) before it returns (SQLite's
 * default: 1000).  0 or less: never; then another connection must. */
enum store_err store_set_autocheckpoint(struct store *st, int pages);

/* 1 when database (the configuration's `database:`) names a SQLite file,
 * 0 for a PostgreSQL connection string (docs/storage.md). */
int store_is_file(const char *database);

/* ---- Room on the disk (store_space.c) ----
 * (On PostgreSQL, the server's disk is its own: always STORE_SPACE_OK, no
 * reserve file.)
 * A reserve file, DATABASE.reserve, keeps the room a checkpoint needs to
 * drain the WAL when the disk fills.  Its absence means writes are refused
 * until there is room again. */
#define STORE_RESERVE_BYTES	(2ULL * 1024 * 1024)
#define STORE_SPACE_MIN		(512ULL * 1024)	/* free beyond the reserve to accept writes */

enum store_space {
	STORE_SPACE_OK,
	STORE_SPACE_LOW,	/* nearly full: under a tenth of the filesystem (at most 1 GiB) free */
	STORE_SPACE_FULL,	/* no reserve: writes refused */
	STORE_SPACE_UNKNOWN	/* the filesystem could not be asked */
};
/* The state of db's filesystem; *free_bytes: bytes free there (beyond the
 * reserve).  A stat and a statvfs: cheap enough for every health check. */
enum store_space store_space(const char *db, uint64_t *free_bytes);
/* Makes the reserve file beside db if it is missing: STORE_OK (it is there),
 * STORE_FULL (not STORE_RESERVE_BYTES + STORE_SPACE_MIN free; nothing made)
 * or STORE_IO. */
enum store_err store_reserve_make(const char *db) __attribute__((warn_unused_result));
/* Deletes the reserve, so that a checkpoint can use its room. */
void store_reserve_release(const char *db);

enum store_ckpt {
	/* Copies what no reader still needs; never waits, never blocks anyone. */
	STORE_CKPT_PASSIVE,
	/* Also takes the write lock (waiting up to the busy timeout) while it
	 * copies the rest, then waits for readers to leave the WAL, so that the
	 * next write starts it from the beginning.  Blocks writers meanwhile. */
	STORE_CKPT_RESTART,
	/* As RESTART, then truncates the -wal file to zero bytes. */
	STORE_CKPT_TRUNCATE
};
/* Checkpoints the database.  *wal_pages: frames in the WAL; *checkpointed:
 * frames of those now in the database file (either pointer may be NULL; both
 * -1 when the database is not in WAL mode).  STORE_BUSY: RESTART or TRUNCATE
 * found a writer or a reader in the way within the busy timeout (what could
 * be copied was), or another checkpoint was running.  Not in a transaction. */
enum store_err store_checkpoint(struct store *st, enum store_ckpt mode, int *wal_pages,
    int *checkpointed) __attribute__((warn_unused_result));

/* Records the survey and the definition hash it was loaded with (idempotent). */
enum store_err store_survey_register(struct store *st, const struct survey *s)
    __attribute__((warn_unused_result));

/* One answer as stored: self-contained strings so a submission can travel
 * between processes.  (question, pos) is unique within a response: pos is 0
 * for a question with one value, 1..k for the k options chosen in a multi
 * (in the order given), and the rank (1 = first) for a ranking.  A repeated
 * (question, pos) makes the submission STORE_INVALID. */
struct store_answer {
	const char	*question;
	const char	*value;		/* text, or for opened free text the plain text */
	size_t		 len;
	int		 pos;
	int		 text;		/* free text: sealed at rest */
};

/* One response per device (a survey with one_per_device): the caller passes
 * a keyed hash of the browser's random cookie, never the cookie, and keys it
 * so that it cannot be joined with any other hash.  The store keeps it with
 * the survey id only: no day, no time, nothing that names the response. */
#define STORE_DEVICE_BYTES	32

struct submission {
	const char	*survey;
	int		 version;
	const char	*def_hash;
	const char	*channel;
	const char	*lang;
	const char	*day;		/* "YYYY-MM-DD"; NULL = today (local date) */
	unsigned char	 nonce[16];	/* one per filled-in form: a re-submit is a duplicate */
	const unsigned char *device;	/* STORE_DEVICE_BYTES, or NULL: not one per device */
	int		 flagged;	/* 1: the safeguarding check fired on its free text
					 * (only this bit is kept: no phrase, no question) */
	struct store_answer *answers;
	size_t		 nanswers;
};

/* Stores a batch of submissions in ONE transaction (group commit): one fsync
 * for all.  results[i] is STORE_OK (stored), STORE_DUPLICATE (stored before:
 * nothing new), STORE_DEVICE_USED (its device sent a response to this survey
 * before, under any version, earlier in the batch included: nothing of it
 * stored) or STORE_INVALID (refused; nothing of it stored).  The nonce is
 * checked first, so the same form sent again is STORE_DUPLICATE even though
 * its device is used by then.  A device row is written in the transaction of
 * its response, so neither is ever stored without the other.  A failure of
 * the transaction itself (busy, full, I/O) returns that error, stores nothing
 * and sets every result to it.  The survey (id, version, def_hash) must have
 * been registered with store_survey_register first, and a day, if given, must
 * be "YYYY-MM-DD"; otherwise STORE_INVALID.  Only when this returns STORE_OK
 * may a caller tell anyone their submission was received.  (struct answer
 * gives a multi's options pos 0: the caller numbers them 1..k here.)
 * A batch whose database connection was lost (PostgreSQL: its COMMIT's
 * outcome unknown) is settled on a new connection by the forms' nonces: a
 * form whose nonce is stored is STORE_DUPLICATE (it was committed), the
 * others are added again; if the database stays out of reach, the error
 * (never a confirmation) for those not settled. */
enum store_err store_responses_add(struct store *st, struct submission *const *subs,
    size_t n, enum store_err *results) __attribute__((warn_unused_result));
/* How many times the store's database connection was lost so far (0 on
 * SQLite): each was connected again at the next use (db.h). */
unsigned store_losses(struct store *st);

/* *seen: 1 when a response to `survey` from the device with this hash is
 * stored, else 0.  Only a hint for a page: store_responses_add decides. */
enum store_err store_device_seen(struct store *st, const char *survey,
    const unsigned char hash[STORE_DEVICE_BYTES], int *seen) __attribute__((warn_unused_result));

/* ---- Drafts: unfinished answers a respondent saved (store_draft.c) ----
 * Rows are found by a lookup id (a keyed hash, draft.h) and hold a box the
 * store cannot open and the last day (days since 1970, UTC) it may be read.
 * The connection runs with secure_delete on once it has touched a draft, and
 * every write first deletes the rows whose day has passed. */
#define STORE_DRAFT_ID_BYTES	16

/* Writes draft row id (created or replaced) with its box, and moves code row
 * `code` (NULL: none) to the same expiry; one transaction. */
enum store_err store_draft_put(struct store *st, const unsigned char id[STORE_DRAFT_ID_BYTES],
    long expires, const void *box, size_t n, const unsigned char *code, long today)
    __attribute__((warn_unused_result));
/* Appends draft id's box to box (and its day to *expires, may be NULL).
 * STORE_NOTFOUND when there is none or it has expired (then it is deleted). */
enum store_err store_draft_get(struct store *st, const unsigned char id[STORE_DRAFT_ID_BYTES],
    long today, struct buf *box, long *expires) __attribute__((warn_unused_result));
/* The same two for the rows of resume codes. */
enum store_err store_draft_code_put(struct store *st,
    const unsigned char id[STORE_DRAFT_ID_BYTES], long expires, const void *box, size_t n)
    __attribute__((warn_unused_result));
enum store_err store_draft_code_get(struct store *st,
    const unsigned char id[STORE_DRAFT_ID_BYTES], long today, struct buf *box)
    __attribute__((warn_unused_result));
/* Deletes draft id and code row `code` (NULL: none). */
enum store_err store_draft_del(struct store *st, const unsigned char id[STORE_DRAFT_ID_BYTES],
    const unsigned char *code) __attribute__((warn_unused_result));
/* Deletes every draft, code and failure count whose day has passed. */
enum store_err store_draft_sweep(struct store *st, long today)
    __attribute__((warn_unused_result));
/* *n: wrong resume codes tried on `survey` today, after counting one more
 * when add is 1. */
enum store_err store_draft_failures(struct store *st, const char *survey, long today, int add,
    int64_t *n) __attribute__((warn_unused_result));

/* *used: 1 when a response with this form nonce is stored (the hash keyed
 * as store_set_nonce_key's).  Only for a page: store_responses_add decides. */
enum store_err store_nonce_used(struct store *st, const unsigned char key[STORE_NONCE_KEY_BYTES],
    const unsigned char nonce[16], int *used) __attribute__((warn_unused_result));

/* Number of responses stored for a survey (NULL = all). */
enum store_err store_response_count(struct store *st, const char *survey, int64_t *out)
    __attribute__((warn_unused_result));

/* ---- Reading, for the analysis tool ---- */

struct store_response {
	int64_t		 id;
	const char	*survey;
	int		 version;
	const char	*channel;
	const char	*lang;
	const char	*day;
	struct store_answer *answers;	/* grouped by question, pos ascending */
	size_t		 nanswers;
	int		 flagged;	/* the safeguarding check fired (struct submission) */
};

/* Calls fn once per response of `survey` (NULL = every survey), with its
 * answers.  Free text is opened with `op` (NULL: text answers are skipped).
 * Everything passed to fn is valid only during that call.  Stops early when
 * fn returns nonzero (still STORE_OK).  Streams: memory does not grow with the
 * number of rows.  A text that `op` cannot open (wrong key, damaged or forged
 * blob) stops the walk with STORE_CORRUPT. */
enum store_err store_each_response(struct store *st, const char *survey, struct opener *op,
    int (*fn)(void *ctx, const struct store_response *r), void *ctx)
    __attribute__((warn_unused_result));

/* Online backup to dest (SQLite backup API), fsynced and integrity-checked;
 * *responses: how many the copy holds.  A poll session still running has
 * its free text in plain for its moderator: in the copy it is overwritten,
 * as when the session is saved (store_poll_saved). */
enum store_err store_backup(struct store *st, const char *dest, int64_t *responses)
    __attribute__((warn_unused_result));
/* PRAGMA integrity_check == ok. */
enum store_err store_integrity(struct store *st) __attribute__((warn_unused_result));

/* ---- Results pages: "You said, we did" (store_results.c) ----
 * A survey's accepted themes (JSON the caller checked for disclosure before
 * storing: the store keeps it as given), whether its page is published, and
 * the "We did" entries staff write.  Days are "YYYY-MM-DD"; no times. */
#define STORE_DID_TITLE_MAX	200	/* bytes */
#define STORE_DID_BODY_MAX	4000	/* bytes */
enum store_did_status { DID_PLANNED, DID_PROGRESS, DID_DONE, DID__MAX };

struct store_results {
	const char	*themes;	/* "" before any upload; in the caller's arena */
	char		 uploaded[11];	/* day of the last upload, "" before one */
	int		 published;
};
struct store_did {
	int64_t		 id;		/* 0 for a new entry */
	const char	*title;
	const char	*body;		/* what changed */
	int		 status;	/* enum store_did_status */
	char		 day[11];
};
struct arena;
/* The survey's results row, strings copied into a (a NULL: themes is not
 * read, NULL); STORE_NOTFOUND when nothing was ever uploaded or published. */
enum store_err store_results_get(struct store *st, const char *survey, struct arena *a,
    struct store_results *out) __attribute__((warn_unused_result));
/* Replaces the survey's themes (and the upload day); publishing is kept. */
enum store_err store_results_put(struct store *st, const char *survey, const char *themes,
    const char *day) __attribute__((warn_unused_result));
/* Publishes (on 1) or withdraws (0) the survey's page. */
enum store_err store_results_publish(struct store *st, const char *survey, int on)
    __attribute__((warn_unused_result));
/* Calls fn for each entry of the survey, newest day first; stops when fn
 * returns nonzero.  *d is valid only during the call. */
enum store_err store_results_did_each(struct store *st, const char *survey,
    int (*fn)(void *ctx, const struct store_did *d), void *ctx)
    __attribute__((warn_unused_result));
/* Adds d (d->id 0; *id gets the new id) or rewrites entry d->id of the
 * survey (STORE_NOTFOUND when it has none).  STORE_INVALID for an empty or
 * over-long field, an unknown status or a malformed day. */
enum store_err store_results_did_put(struct store *st, const char *survey,
    const struct store_did *d, int64_t *id) __attribute__((warn_unused_result));
/* Deletes entry id of the survey; STORE_NOTFOUND when it has none. */
enum store_err store_results_did_del(struct store *st, const char *survey, int64_t id)
    __attribute__((warn_unused_result));

/* ---- A survey's stored count (store_count.c, the "tally_count" migration) ----
 * One row per survey: gen, which triggers on the response table raise in
 * the same transaction as every insert, delete or change of one of the
 * survey's responses (whatever makes it: a submission, a purge, a move, a
 * flag), and the packed counts (analysis/tally.h) of the responses as they
 * were at that gen, or none; the triggers drop them as they raise gen, so
 * no count of a purged response outlives the purge.  Counts of the closed
 * answers only, raw (unsuppressed), like the rows they are counted from. */
/* The survey's gen into *gen (0 when it has no row) and its counts into
 * *blob (malloc'd, the caller frees it; NULL when none are stored) of
 * *len bytes. */
enum store_err store_count_get(struct store *st, const char *survey, int64_t *gen,
    unsigned char **blob, size_t *len) __attribute__((warn_unused_result));
/* Stores blob as the survey's counts if its gen is still `gen` (what
 * store_count_get gave before the responses were read); when it has
 * moved on, nothing is stored and the result is still STORE_OK. */
enum store_err store_count_put(struct store *st, const char *survey, int64_t gen,
    const unsigned char *blob, size_t len) __attribute__((warn_unused_result));
/* Keeping the counts current as responses come in.  With a counter set,
 * store_responses_add, in the transaction of its batch, adds the batch's
 * new responses to the kept counts of each of their surveys that has some
 * (so current as of just before the batch) and stores them at the gen the
 * batch's inserts made.  Each response is read back from its row as
 * store_each_response reads it (text answers skipped), so a counter sees
 * what a count afresh would.  If anything fails (the counter's open, add
 * or close says -1, or writing the counts does), nothing of the counts is
 * written and the triggers have already dropped them: the next view counts
 * afresh; the responses are committed all the same.  Deletes and changes
 * of responses still only drop the counts.  open: a tally of `survey`
 * filled from its kept bytes, or NULL when they cannot be added to (another
 * survey file, no memory); add: counts one response, 0 or -1; close: when
 * keep, the tally's bytes (malloc'd) into *blob and *len, 0 or -1; frees
 * the tally either way.  c (and ctx) must outlive st; NULL unsets. */
struct store_counter {
	void	*ctx;
	void	*(*open)(void *ctx, const char *survey, const unsigned char *blob, size_t len);
	int	 (*add)(void *tally, const struct store_response *r);
	int	 (*close)(void *tally, int keep, unsigned char **blob, size_t *len);
};
void store_set_counter(struct store *st, const struct store_counter *c);
/* How many times this store has added a batch to a survey's kept counts
 * and stored them (for tests and the benchmark: a count, nothing more). */
uint64_t store_count_kept(const struct store *st);

/* The topics of the store, each in its own header (they need the above). */
#include "store_audit.h"
#include "store_staff.h"
#include "store_poll.h"
#include "store_life.h"
#endif
