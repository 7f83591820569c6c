/* store_poll.h: workshop polls (store_poll.c, store_poll_vote.c).  Part of the store:
 * store.h includes it; a file may include it alone. */
#include "store.h"	/* first: it includes this file after its own part */
#ifndef STORE_POLL_H
#define STORE_POLL_H

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
#endif
