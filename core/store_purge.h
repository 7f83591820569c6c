/* store_purge: deleting what is past its time (retain.h says when).  Every
 * delete runs with secure_delete on, so the bytes of a deleted row are
 * overwritten with zeros in the pages that held it; store_purge_compact then
 * copies the WAL into the database file and truncates it (the old page
 * images in the -wal go) and VACUUMs (the file is rebuilt from live rows
 * only).  The store never decides what is past its time: the caller passes
 * the first day kept. */
#ifndef STORE_PURGE_H
#define STORE_PURGE_H
#include "store.h"

/* What one purge deleted, or with dry_run would delete. */
struct store_purge_counts {
	int64_t		 responses;
	int64_t		 devices;		/* one_per_device rows */
	int64_t		 poll_sessions;
	int64_t		 poll_votes;
	int64_t		 poll_statements;
};

/* Calls fn for every survey id that has responses, device rows or poll
 * sessions ("" for the quick-question sessions, which have no poll set),
 * each once, in strcmp order.  fn must not write to st; *survey is valid
 * only during the call.  Stops early when fn returns nonzero. */
enum store_err store_purge_each_survey(struct store *st,
    int (*fn)(void *ctx, const char *survey), void *ctx) __attribute__((warn_unused_result));

/* In one transaction, deletes survey's rows from before day `keep_from`
 * ("YYYY-MM-DD"): its responses whose day is earlier, its poll sessions
 * whose day is earlier (with their votes, statements, presence and question
 * rows), and then its device rows if none of its responses remain (a device
 * row has no day, so it cannot outlive the responses it guarded any other
 * way).  dry_run: counts only, nothing written.  *n is set in both cases. */
enum store_err store_purge_survey(struct store *st, const char *survey,
    const char *keep_from, int dry_run, struct store_purge_counts *n)
    __attribute__((warn_unused_result));

/* Drafts whose last day (days since 1970, UTC, as store_draft_put) is before
 * today: *n of them; unless dry_run they are deleted, with their resume-code
 * rows and old failure counts (store_draft_sweep). */
enum store_err store_purge_drafts(struct store *st, long today, int dry_run, int64_t *n)
    __attribute__((warn_unused_result));

/* Checkpoints (TRUNCATE), VACUUMs when vacuum is nonzero, and checkpoints
 * (TRUNCATE) again.  Not in a transaction.  VACUUM holds the write lock for
 * as long as it takes to copy the live rows (other writers wait up to their
 * busy timeout) and needs room for a copy of the database and a -wal as
 * big: the caller checks the disk first.  STORE_BUSY: a reader kept the WAL
 * from being truncated (the zeroed pages are in the database file; the old
 * ones stay in the -wal until the next truncate). */
enum store_err store_purge_compact(struct store *st, int vacuum)
    __attribute__((warn_unused_result));

/* One purge at a time over every node of a database.  On PostgreSQL, where
 * several app nodes' writers share the database, *got is 1 when this
 * connection took the purge's advisory lock (a session lock: it goes with
 * the connection), 0 when another session holds it.  On SQLite *got is
 * always 1: one server writes a file, and its write lock orders the rest.
 * store_purge_unlock releases what store_purge_lock took. */
enum store_err store_purge_lock(struct store *st, int *got) __attribute__((warn_unused_result));
void store_purge_unlock(struct store *st);

/* 1 when st is a PostgreSQL database: its WAL and files are the server's. */
int store_purge_on_server(struct store *st);

/* Bytes the database file and its -wal take now (0 if neither can be read). */
uint64_t store_purge_size(const char *db);
#endif
