/* store_poll_int: what store_poll.c and store_poll_vote.c share: the poll
 * statements, prepared on the first poll call (not at open, so a read-only
 * store of an older schema still opens).  The connection that prepares them
 * gets secure_delete on: free text a session keeps in plain while it runs is
 * wiped when its answers are saved, and SQLite then zeroes the bytes it
 * frees instead of leaving them in free space. */
#ifndef STORE_POLL_INT_H
#define STORE_POLL_INT_H
#include "store_int.h"

enum pstmt {
	PS_CREATE,
	PS_GET,
	PS_FIND,
	PS_LIST,
	PS_LOCKS,
	PS_UPDATE,
	PS_LOCK_SET,
	PS_SAVED,
	PS_PRESENCE_DROP,
	PS_LANG_DROP,
	PS_TEXT_WIPE,
	PS_STATEMENT_WIPE,
	PS_SEEN_GET,
	PS_SEEN_SET,
	PS_CONNECTED,
	PS_VOTE_ADD,
	PS_EACH_VOTE,
	PS_ANSWERS,
	PS_MY_VOTE,
	PS_APPROVE,
	PS_STATEMENT_ADD,
	PS_STATEMENT_SET,
	PS_EACH_STATEMENT,
	PS__MAX
};

/* The statement, reset with no bindings; NULL (and *er set) if the poll
 * statements cannot be prepared. */
struct db_stmt *store_poll_stmt(struct store *st, enum pstmt which, enum store_err *er);
/* Steps q to its end, resets it, maps the result. */
enum store_err store_poll_run(struct db_stmt *q);
/* Inside the caller's transaction: the plain free text of the ended session
 * p overwritten, as store_poll_saved promises. */
enum store_err store_poll_wipe_texts(struct store *st, const struct store_poll *p,
    const int *keep_words);
/* In dst, a backup just copied: the plain free text of the sessions not
 * saved yet (only their live moderation needs it) overwritten, as
 * store_poll_saved would; nothing to do in a copy without poll tables. */
enum store_err store_poll_backup_wipe(struct db *dst);
#endif
