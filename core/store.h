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
	STORE__MAX
};
const char *store_strerror(enum store_err e);

enum store_flags {
	STORE_RDONLY	= 1 << 0,	/* the analysis tool: opens with mode=ro, never migrates */
	STORE_CREATE	= 1 << 1,	/* create the file if missing */
	STORE_COPY	= 1 << 2	/* read-only, any schema version, no statements: a
					 * source for store_backup and nothing else */
};

struct store;
/* Opens the database, sets WAL, synchronous=FULL, busy_timeout, foreign keys,
 * applies numbered migrations (not with STORE_RDONLY) and prepares every
 * statement.  One store per process (after fork) and per thread. */
enum store_err store_open(const char *path, int flags, struct store **out)
    __attribute__((warn_unused_result));
void store_close(struct store *st);
/* The schema version after migrations. */
int store_schema_version(struct store *st);
/* Busy timeout in milliseconds (default 5000; tests lower it). */
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
 * gives a multi's options pos 0: the caller numbers them 1..k here.) */
enum store_err store_responses_add(struct store *st, struct submission *const *subs,
    size_t n, enum store_err *results) __attribute__((warn_unused_result));

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

/* ---- Staff accounts, sessions, audit log, login throttling ----
 * Staff are council employees, not respondents: their names and times are
 * kept.  Every change to an account or a session writes its audit row in the
 * same transaction.  Times are Unix seconds passed in by the caller, so
 * expiry is testable.  Passwords never reach the store: only their
 * crypto_pwhash_str() strings. */

#define STORE_STAFF_NAME_MAX	64	/* bytes */
#define STORE_PWHASH_MAX	128	/* bytes with the NUL (crypto_pwhash_STRBYTES) */
#define STORE_TOKEN_HASH_BYTES	32	/* sessions are found by a hash of the token */

struct store_staff {
	int64_t		 id;
	char		 name[STORE_STAFF_NAME_MAX + 1];
	char		 role[16];		/* "admin", "analyst" or "facilitator" */
	char		 pwhash[STORE_PWHASH_MAX];
	char		 created_day[11];	/* "YYYY-MM-DD", "" if unknown */
	int		 disabled;
};

/* One audit row: who did what, when.  detail holds staff-side facts only
 * (an account name, a role), never respondent data nor a secret. */
struct store_audit {
	int64_t		 now;		/* Unix seconds; stored as UTC "YYYY-MM-DDTHH:MM:SSZ" */
	const char	*staff;		/* who acted: a staff name, or "cli", "-" */
	const char	*action;	/* e.g. "login", "user_created" */
	const char	*detail;	/* may be NULL */
};

/* Writes one audit row: on its own in a BEGIN IMMEDIATE transaction of its
 * own (events that change nothing else), or, called inside the caller's
 * transaction, as part of it (so the row commits with the change).  In a
 * deferred transaction a writer that came between fails it (STORE_BUSY),
 * never forks the chain. */
enum store_err store_staff_audit(struct store *st, const struct store_audit *au)
    __attribute__((warn_unused_result));
/* The audit log is an append-only hash chain (store_audit.c): each entry's
 * hash covers the hash of the one before it and its own fields, so changing
 * or removing any entry breaks the chain from there on.  store_staff_audit
 * and the account and session calls below chain their row inside a BEGIN
 * IMMEDIATE transaction. */
#define STORE_AUDIT_HASH_BYTES	32

enum store_audit_break {
	STORE_AUDIT_INTACT,
	STORE_AUDIT_GAP,		/* bad_id follows missing ids */
	STORE_AUDIT_PREV,		/* bad_id's prev is not the hash before it */
	STORE_AUDIT_HASH,		/* bad_id's content does not give its hash */
	STORE_AUDIT_HEAD_MISSING,	/* the recorded head is not in the chain: cut (bad_id:
					 * the first missing entry) */
	STORE_AUDIT_HEAD_DIFFERS,	/* entry bad_id (the recorded head's) has another hash */
	STORE_AUDIT_BREAK__MAX
};
const char *store_audit_break_name(enum store_audit_break b);

/* In: have_want, want_id (0: any entry) and want, a head recorded earlier
 * (what `voices backup` printed).  Out: the rest. */
struct store_audit_verify {
	int			 have_want;
	int64_t			 want_id;
	unsigned char		 want[STORE_AUDIT_HASH_BYTES];
	int			 want_found;
	int64_t			 entries;
	int64_t			 last_id;
	unsigned char		 head[STORE_AUDIT_HASH_BYTES];	/* the last entry's hash */
	int64_t			 bad_id;			/* first broken entry, 0 if none */
	enum store_audit_break	 why;
};
/* Walks the whole chain; STORE_OK whatever it finds (v->why says), an error
 * only when it cannot be read (STORE_SCHEMA: no chain in this schema).
 * Works on a STORE_COPY store too. */
enum store_err store_audit_verify(struct store *st, struct store_audit_verify *v)
    __attribute__((warn_unused_result));

/* One audit entry as the admin page lists it; valid during the callback. */
struct store_audit_row {
	int64_t		 id;
	const char	*at, *staff, *action, *detail;
};
/* Filters: NULL or "" for any.  from and to are "YYYY-MM-DD" days (UTC),
 * both included. */
struct store_audit_filter {
	const char	*action, *staff, *from, *to;
};
/* The entries matching f, newest first, skipping `offset`, at most `limit`;
 * *total: how many match in all. */
enum store_err store_audit_list(struct store *st, const struct store_audit_filter *f,
    int64_t offset, int limit, int (*fn)(void *ctx, const struct store_audit_row *r), void *ctx,
    int64_t *total) __attribute__((warn_unused_result));
/* Calls fn for each distinct action and staff name in the log (for the
 * page's filter choices), sorted; which: 0 actions, 1 staff names. */
enum store_err store_audit_distinct(struct store *st, int which,
    int (*fn)(void *ctx, const char *s), void *ctx) __attribute__((warn_unused_result));

/* Adds an account and its audit row; *id is the new account's id (id may be
 * NULL).  STORE_DUPLICATE when the name is taken, STORE_INVALID for an
 * unknown role or an over-long field. */
enum store_err store_staff_add(struct store *st, const char *name, const char *role,
    const char *pwhash, const struct store_audit *au, int64_t *id)
    __attribute__((warn_unused_result));
/* The account called name (disabled ones too), or STORE_NOTFOUND. */
enum store_err store_staff_find(struct store *st, const char *name, struct store_staff *out)
    __attribute__((warn_unused_result));
/* Calls fn for every account, by name; stops early when fn returns nonzero.
 * *s is valid only during the call. */
enum store_err store_staff_list(struct store *st,
    int (*fn)(void *ctx, const struct store_staff *s), void *ctx)
    __attribute__((warn_unused_result));
/* Disables the account called name, ends its sessions and writes the audit
 * row, in one transaction.  STORE_NOTFOUND for no such account; disabling
 * a disabled account is STORE_OK and still audited. */
enum store_err store_staff_disable(struct store *st, const char *name,
    const struct store_audit *au) __attribute__((warn_unused_result));

/* Sessions.  A session is valid while now - created < max_age and
 * now - last_seen < idle, and its account is not disabled. */
struct store_session_limits {
	int64_t		 idle;		/* seconds since last_seen */
	int64_t		 max_age;	/* seconds since created */
	int64_t		 touch;		/* last_seen is rewritten at most this often */
};
/* Records a new session for account staff (login) with its audit row. */
enum store_err store_staff_session_add(struct store *st,
    const unsigned char hash[STORE_TOKEN_HASH_BYTES], int64_t staff,
    const struct store_audit *au) __attribute__((warn_unused_result));
/* The account of a valid session into *out, refreshing last_seen (at most
 * every lim->touch seconds).  An expired session is deleted; an expired,
 * unknown or disabled one is STORE_NOTFOUND. */
enum store_err store_staff_session_get(struct store *st,
    const unsigned char hash[STORE_TOKEN_HASH_BYTES], int64_t now,
    const struct store_session_limits *lim, struct store_staff *out)
    __attribute__((warn_unused_result));
/* Ends a session (logout) with its audit row; STORE_NOTFOUND if none. */
enum store_err store_staff_session_del(struct store *st,
    const unsigned char hash[STORE_TOKEN_HASH_BYTES], const struct store_audit *au)
    __attribute__((warn_unused_result));
/* Deletes every session expired at now; *n (may be NULL) says how many. */
enum store_err store_staff_session_purge(struct store *st, int64_t now,
    const struct store_session_limits *lim, int64_t *n) __attribute__((warn_unused_result));

/* Login throttling, by an opaque key (a keyed hash of the account name, or
 * of a known browser's cookie).  A key is locked once `limit` failures fall in
 * one window of `window` seconds (counted from the window's first failure);
 * the lock lasts `lock` seconds from the failure that set it. */
struct store_throttle_rule {
	int		 limit;
	int64_t		 window;
	int64_t		 lock;
};
/* Counts one failure; *locked (may be NULL) says whether the key is now locked. */
enum store_err store_staff_throttle_fail(struct store *st, const unsigned char *key,
    size_t keylen, int64_t now, const struct store_throttle_rule *r, int *locked)
    __attribute__((warn_unused_result));
/* *locked: 1 while the key is locked at now; *until: when the lock ends (0 if not locked). */
enum store_err store_staff_throttle_check(struct store *st, const unsigned char *key,
    size_t keylen, int64_t now, const struct store_throttle_rule *r, int *locked,
    int64_t *until) __attribute__((warn_unused_result));
/* Forgets the failures of a key (after a successful login). */
enum store_err store_staff_throttle_clear(struct store *st, const unsigned char *key,
    size_t keylen) __attribute__((warn_unused_result));
/* Forgets every key whose window or lock has ended at now: such a key counts
 * as never seen, so the table holds only the last window's names. */
enum store_err store_staff_throttle_purge(struct store *st, int64_t now)
    __attribute__((warn_unused_result));

/* ---- Managing accounts (store_staff_acct.c) ----
 * Each change commits with its audit row.  A change that would leave no
 * active admin (disabling or demoting the last one) changes nothing and is
 * STORE_INVALID; no such account is STORE_NOTFOUND. */

/* Disables (disabled 1: its sessions and reset codes end too) or re-enables
 * the account called name. */
enum store_err store_staff_set_disabled(struct store *st, const char *name, int disabled,
    const struct store_audit *au) __attribute__((warn_unused_result));
/* Gives the account called name a role ("admin", "analyst", "facilitator"). */
enum store_err store_staff_set_role(struct store *st, const char *name, const char *role,
    const struct store_audit *au) __attribute__((warn_unused_result));
/* Replaces account id's password hash and ends all its sessions but the one
 * whose token hash is keep (NULL: all); *ended (may be NULL) counts them. */
enum store_err store_staff_set_password(struct store *st, int64_t id, const char *pwhash,
    const unsigned char *keep, const struct store_audit *au, int64_t *ended)
    __attribute__((warn_unused_result));
/* Ends every session of account id ("sign out everywhere"); *ended (may be
 * NULL) counts them.  Audited even when there were none. */
enum store_err store_staff_sessions_end(struct store *st, int64_t id,
    const struct store_audit *au, int64_t *ended) __attribute__((warn_unused_result));

/* One session as its owner may see it: no address, no browser, only times. */
struct store_session {
	unsigned char	 token_hash[STORE_TOKEN_HASH_BYTES];
	int64_t		 created, last_seen;	/* Unix seconds */
};
/* Calls fn for each session of account id valid at now under lim, newest
 * first; stops early when fn returns nonzero.  *s is valid during the call. */
enum store_err store_staff_sessions(struct store *st, int64_t id, int64_t now,
    const struct store_session_limits *lim,
    int (*fn)(void *ctx, const struct store_session *s), void *ctx)
    __attribute__((warn_unused_result));
/* How many sessions of account id are valid at now under lim. */
enum store_err store_staff_session_count(struct store *st, int64_t id, int64_t now,
    const struct store_session_limits *lim, int64_t *n) __attribute__((warn_unused_result));

/* Password resets.  An admin's reset replaces account id's password hash with
 * pwhash (of a password nobody knows), ends its sessions, forgets any earlier
 * code and records the hash of a new one valid until `expires`.  Only the
 * hash of a code ever reaches the store. */
enum store_err store_staff_reset_add(struct store *st, int64_t id,
    const unsigned char hash[STORE_TOKEN_HASH_BYTES], int64_t expires, const char *pwhash,
    const struct store_audit *au) __attribute__((warn_unused_result));
/* The active account whose code has this hash and has not expired at now
 * (out->pwhash left empty), or STORE_NOTFOUND. */
enum store_err store_staff_reset_find(struct store *st,
    const unsigned char hash[STORE_TOKEN_HASH_BYTES], int64_t now, struct store_staff *out)
    __attribute__((warn_unused_result));
/* Uses the code once: deletes it (STORE_NOTFOUND if it is gone, expired or
 * not account id's), sets pwhash and ends id's sessions, all together. */
enum store_err store_staff_reset_use(struct store *st,
    const unsigned char hash[STORE_TOKEN_HASH_BYTES], int64_t now, int64_t id,
    const char *pwhash, const struct store_audit *au) __attribute__((warn_unused_result));

/* ---- Workshop polls (store_poll.c, store_poll_vote.c) ----
 * A session is run by one facilitator from a poll set (a survey file of kind
 * poll) or from one quick question typed in the browser.  A participant is
 * known only by `voter`, a keyed hash of a random cookie scoped to the
 * session; the only date kept is the day.  When a session ends, the web app
 * copies each participant's answers as one response (channel workshop)
 * through store_responses_add, then calls store_poll_saved. */

#define STORE_VOTER_BYTES	32
#define STORE_POLL_TEXT_MAX	2000	/* bytes of a vote's value or a statement */
#define STORE_POLL_LANG_MAX	15	/* bytes of a vote's language code */

struct store_poll {
	int64_t		 id;
	char		 code[POLL_CODE_LEN + 1];
	char		 poll_set[SURVEY_ID_MAX + 1];	/* "" for a quick question */
	int		 version;
	char		 def_hash[33];
	int64_t		 staff;		/* the facilitator who started it */
	int64_t		 rev;		/* bumped by every change the room follows */
	int		 saved;		/* answers copied to responses */
	char		 day[11];
	struct poll_state state;
	/* a quick question (poll_set ""), in the arena of the getter: */
	const char	*quick_type, *quick_text, *quick_options;	/* options: one a line */
};

/* Creates a session from p (poll_set, version, def_hash, staff, state.nq,
 * quick_*), with a fresh join code unique among open sessions; fills p->id,
 * p->code, p->day and the initial state. */
enum store_err store_poll_create(struct store *st, struct store_poll *p)
    __attribute__((warn_unused_result));
/* The session by id, or by join code: the open session with that code, else
 * the latest ended one (so a phone still on it learns it ended).  Strings in a. */
enum store_err store_poll_get(struct store *st, int64_t id, struct arena *a,
    struct store_poll *out) __attribute__((warn_unused_result));
enum store_err store_poll_find(struct store *st, const char *code, struct arena *a,
    struct store_poll *out) __attribute__((warn_unused_result));
/* Writes p->state if the stored rev is still p->rev (else STORE_BUSY: someone
 * else changed it; reread and retry), bumping rev; p->rev is updated. */
enum store_err store_poll_update(struct store *st, struct store_poll *p)
    __attribute__((warn_unused_result));
/* Every session of staff member `staff` (0: all), newest first; stops early
 * when fn returns nonzero.  *p is valid only during the call. */
enum store_err store_poll_list(struct store *st, int64_t staff,
    int (*fn)(void *ctx, const struct store_poll *p), void *ctx)
    __attribute__((warn_unused_result));
/* Marks the ended session p (id, state.nq) as copied, in one transaction
 * with forgetting what only the live session needed: its presence rows,
 * which language each vote was read in, and its free text in plain.  Every
 * open-text and word-cloud answer is overwritten (value ''), but, for a
 * question q with keep_words[q] > 0 (a word cloud: its suppress_below), the
 * answers at least that many of its participants gave (case-folded, as the
 * cloud counts them); every statement not approved loses its text.  The
 * connection runs with secure_delete on, so the bytes are zeroed in the
 * database file, not just freed; the -wal keeps the old pages until the next
 * checkpoint that truncates it.  keep_words: NULL, or state.nq entries. */
enum store_err store_poll_saved(struct store *st, const struct store_poll *p,
    const int *keep_words) __attribute__((warn_unused_result));

/* Presence: `who` (a keyed hash unlike voter) was seen at now (Unix seconds).
 * Only the minute is kept (now / 60), written once a minute per participant
 * at most, without waiting for the disk: it is a live count, not data anyone
 * was promised. */
enum store_err store_poll_seen(struct store *st, int64_t session,
    const unsigned char who[STORE_VOTER_BYTES], int64_t now) __attribute__((warn_unused_result));
/* Participants seen in the minute of now or the one before (so in the last
 * 60 to 120 s). */
enum store_err store_poll_connected(struct store *st, int64_t session, int64_t now,
    int64_t *n) __attribute__((warn_unused_result));

/* One vote: item 0 for an answer to question q, a statement id for an
 * agree/disagree/pass vote on that statement.  text: free text (open text,
 * word cloud), shown in the room only once approved.  lang: the language
 * the participant read the question in (NULL: not known), which their
 * response records when the session ends. */
struct store_poll_vote {
	int64_t		 session;
	int		 q;
	int64_t		 item;
	unsigned char	 voter[STORE_VOTER_BYTES];
	const char	*value;
	int		 text;
	const char	*lang;
};
/* Stores a batch of votes in one transaction (the writer's group commit).
 * A vote replaces the same voter's earlier vote on (q, item), so a retried
 * POST counts once.  results[i]: STORE_OK, STORE_NOTFOUND (the session is
 * not taking votes on q now: ended, moved on, locked, or the statement is
 * not approved) or STORE_INVALID.  A failed transaction returns its error
 * and sets every result to it. */
enum store_err store_poll_votes_add(struct store *st, const struct store_poll_vote *const *v,
    size_t n, enum store_err *results) __attribute__((warn_unused_result));

/* One stored vote as the readers see it; valid only during the callback.
 * group: the same voter's answer to question group_q, or NULL. */
struct store_poll_row {
	int			 q;
	int64_t			 item;
	const unsigned char	*voter;
	const char		*value;
	int			 text;
	int			 approved;
	const char		*group;
	const char		*lang;		/* NULL when not known */
};
/* Calls fn for every vote of the session on question q (-1: all questions),
 * ordered by voter, q, item.  group_q >= 0 joins each voter's answer to
 * that question (a "which age band" question, for group differences). */
enum store_err store_poll_each_vote(struct store *st, int64_t session, int q, int group_q,
    int (*fn)(void *ctx, const struct store_poll_row *r), void *ctx)
    __attribute__((warn_unused_result));
/* Participants who answered question q. */
enum store_err store_poll_answers(struct store *st, int64_t session, int q, int64_t *n)
    __attribute__((warn_unused_result));
/* This voter's vote on (q, item) into *value (in a), or STORE_NOTFOUND. */
enum store_err store_poll_my_vote(struct store *st, int64_t session, int q, int64_t item,
    const unsigned char voter[STORE_VOTER_BYTES], struct arena *a, const char **value)
    __attribute__((warn_unused_result));
/* Shows (approved 1) or hides a free-text answer in the room. */
enum store_err store_poll_approve(struct store *st, int64_t session, int q,
    const unsigned char voter[STORE_VOTER_BYTES], int approved)
    __attribute__((warn_unused_result));

enum store_poll_sstate { SPS_WAITING, SPS_APPROVED, SPS_REJECTED, SPS__MAX };
struct store_poll_statement {
	int64_t			 id;
	int			 q;
	const char		*text;
	enum store_poll_sstate	 state;
};
/* A participant's statement, held for approval.  No author is stored. */
enum store_err store_poll_statement_add(struct store *st, int64_t session, int q,
    const char *text, int64_t *id) __attribute__((warn_unused_result));
enum store_err store_poll_statement_set(struct store *st, int64_t session, int64_t id,
    enum store_poll_sstate state) __attribute__((warn_unused_result));
/* Every statement of question q, oldest first (but those whose text was
 * wiped when the session was saved); valid only during fn. */
enum store_err store_poll_each_statement(struct store *st, int64_t session, int q,
    int (*fn)(void *ctx, const struct store_poll_statement *s), void *ctx)
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

/* ---- Survey lifecycle: an admin's close or reopen (store_life.c) ----
 * One row per survey, the latest change; lc_decide() combines it with the
 * survey file.  Staff-side facts only, never respondent data. */
#define STORE_REASON_MAX	500	/* bytes */
struct store_survey_state {
	struct lc_override	 ov;		/* LC_ACT_NONE: nothing stored */
	char			 staff[STORE_STAFF_NAME_MAX + 1];
	char			 reason[STORE_REASON_MAX + 1];
};
/* The stored change of `survey` into *out (ov.action LC_ACT_NONE if none). */
enum store_err store_survey_state_get(struct store *st, const char *survey,
    struct store_survey_state *out) __attribute__((warn_unused_result));
/* Stores a close or reopen (ov.at, ov.grace) by au->staff with its reason,
 * and the audit row au (whose detail should name the survey), in one
 * transaction.  STORE_INVALID for LC_ACT_NONE or an over-long reason. */
enum store_err store_survey_state_set(struct store *st, const char *survey,
    const struct lc_override *ov, const char *reason, const struct store_audit *au)
    __attribute__((warn_unused_result));
/* Calls fn for each survey version that has responses stored, ascending. */
enum store_err store_survey_versions(struct store *st, const char *survey,
    void (*fn)(void *ctx, int version), void *ctx) __attribute__((warn_unused_result));

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
#endif
