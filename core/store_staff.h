/* store_staff.h: staff accounts, sessions, login throttling and password resets
 * (store_staff.c, store_staff_acct.c).  Part of the store: store.h includes it;
 * a file may include it alone. */
#include "store.h"	/* first: it includes this file after its own part */
#ifndef STORE_STAFF_H
#define STORE_STAFF_H
#include "store_audit.h"

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
#endif
