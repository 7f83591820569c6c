/* store: the one storage layer.  Every SQL statement of the product lives in
 * the store*.c files, prepared once at open, every value bound.  SQLite in WAL
 * mode with synchronous=FULL: a call that returns STORE_OK for a write means
 * the data is on disk.
 *
 * What a response carries, and nothing more: a random 63-bit id (tables are
 * WITHOUT ROWID, so row order says nothing about arrival order), survey id,
 * version and definition hash, channel, language, and the day.  No address,
 * agent, cookie or time of day.  Free text is scrubbed by the caller and
 * sealed here to the analysis public key. */
#ifndef STORE_H
#define STORE_H
#include <stddef.h>
#include <stdint.h>
#include "survey.h"
#include "seal.h"

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
	STORE__MAX
};
const char *store_strerror(enum store_err e);

enum store_flags {
	STORE_RDONLY	= 1 << 0,	/* the analysis tool: opens with mode=ro, never migrates */
	STORE_CREATE	= 1 << 1	/* create the file if missing */
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

struct submission {
	const char	*survey;
	int		 version;
	const char	*def_hash;
	const char	*channel;
	const char	*lang;
	const char	*day;		/* "YYYY-MM-DD"; NULL = today (local date) */
	unsigned char	 nonce[16];	/* one per filled-in form: a re-submit is a duplicate */
	struct store_answer *answers;
	size_t		 nanswers;
};

/* Stores a batch of submissions in ONE transaction (group commit): one fsync
 * for all.  results[i] is STORE_OK (stored), STORE_DUPLICATE (stored before:
 * nothing new) or STORE_INVALID (refused; nothing of it stored).  A failure of
 * the transaction itself (busy, full, I/O) returns that error, stores nothing
 * and sets every result to it.  The survey (id, version, def_hash) must have
 * been registered with store_survey_register first, and a day, if given, must
 * be "YYYY-MM-DD"; otherwise STORE_INVALID.  Only when this returns STORE_OK
 * may a caller tell anyone their submission was received.  (struct answer
 * gives a multi's options pos 0: the caller numbers them 1..k here.) */
enum store_err store_responses_add(struct store *st, struct submission *const *subs,
    size_t n, enum store_err *results) __attribute__((warn_unused_result));

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

/* Writes one audit row on its own (events that change nothing else). */
enum store_err store_staff_audit(struct store *st, const struct store_audit *au)
    __attribute__((warn_unused_result));
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

/* Login throttling, by an opaque key (a keyed hash of the account name, or a
 * fixed key for all logins).  A key is locked once `limit` failures fall in
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

/* Online backup to dest (SQLite backup API), fsynced and integrity-checked. */
enum store_err store_backup(struct store *st, const char *dest)
    __attribute__((warn_unused_result));
/* PRAGMA integrity_check == ok. */
enum store_err store_integrity(struct store *st) __attribute__((warn_unused_result));
#endif
