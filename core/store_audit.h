/* store_audit.h: the audit log of staff actions (store_audit.c, store_audit_read.c).
 * Part of the store: store.h includes it; a file may include it alone. */
#include "store.h"	/* first: it includes this file after its own part */
#ifndef STORE_AUDIT_H
#define STORE_AUDIT_H

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
#endif
