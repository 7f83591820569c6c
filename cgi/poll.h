/* poll: what the workshop poll pages share (participant pages in poll_part*.c,
 * the facilitator's in poll_staff.c, poll_console.c and poll_present.c).
 * A session is loaded once per request (by the router, into c->poll) into a
 * struct psess together with the survey model its questions come from: the
 * poll set file, or a one-question survey built from a quick question.
 * Implemented in poll.c unless a declaration names its file. */
#ifndef POLL_H_CGI
#define POLL_H_CGI
#include <jansson.h>
#include "app.h"
#include "store.h"
#include "tmpl.h"

#include "cookies.h"

#define POLL_TOKEN_HEX	32	/* the participant's token: 16 random bytes in hex */

struct psess {
	struct store_poll	 p;
	const struct survey	*s;	/* never NULL once loaded */
	int			 suppress;	/* the exports' threshold (sdc_threshold) */
};

/* This worker's database connection, opened on first use; NULL on failure. */
struct store *poll_store(struct app *app);
/* Loads session id (or the one with join code) and its survey.  0, or -1
 * after filling c->resp with the error page (404 when there is no such
 * session). */
int poll_load(struct ctx *c, int64_t id, struct psess *ps);
int poll_load_code(struct ctx *c, const char *code, struct psess *ps);
/* Fills ps->s (its poll set, or the quick question's) and ps->suppress for
 * the session in ps->p; -1 when its poll set is gone.  Renders nothing. */
int poll_bind(struct ctx *c, struct psess *ps);
/* Ends and saves every session still open (or ended but not saved) that
 * started before yesterday: a workshop left running keeps its plain free
 * text a day at most.  Workers call it about once an hour (poll_console.c). */
void poll_end_stale(struct ctx *c);
#define QUICK_MAX_OPTIONS	12	/* answers to a quick question, one a line */

/* The one-question survey of a quick question, in the request arena. */
const struct survey *poll_quick_survey(struct ctx *c, const struct store_poll *p);
/* Quick question types a facilitator may pick, as in the file format. */
int poll_quick_type_ok(const char *type);

/* The participant's voter hash for this session from their token (32 hex),
 * and the unrelated presence hash.  -1 when the token is malformed. */
int poll_voter_hash(struct ctx *c, int64_t session, const char *token,
    unsigned char out[STORE_VOTER_BYTES]);
int poll_presence_id(struct ctx *c, int64_t session, const char *token,
    unsigned char out[STORE_VOTER_BYTES]);
/* The token from the cookie, or NULL. */
const char *poll_token(struct ctx *c);

/* The short address and the code's QR code as inline SVG (arena). */
const char *poll_join_url(struct ctx *c, const char *code);
const char *poll_qr_svg(struct ctx *c, const char *text);

/* Results of question q as JSON (poll_results.c), with the question's and
 * options' text in c->lang: exact with `suppress` 0 (the presenter and the
 * console, in the room); with `suppress` > 0 (the exports), the threshold
 * of the core's disclosure control, which poll_safe_* apply. */
json_t *poll_results_json(struct ctx *c, const struct psess *ps, int q, int suppress);
/* One vote of one question, as poll_results_json gathers them (arena). */
struct poll_vote {
	const unsigned char	*voter;
	const char		*value;
	const char		*group;		/* the voter's answer to the group question */
	const char		*lang;		/* the language voted in, or NULL */
	int64_t			 item;
	int			 approved;
	int			 q;
	int			 text;
};
struct poll_votes {
	struct arena		*a;
	struct poll_vote	*v;
	size_t			 n, cap;
	int			 failed;
};
/* qsort's order of words ({"text", "count"} objects): most counted first,
 * then by text. */
int poll_cmp_word(const void *x, const void *y);
/* store_poll_each_vote's callback gathering into a struct poll_votes. */
int poll_collect(void *ctx, const struct store_poll_row *r);
/* Votes come ordered by voter: the index just past the votes of the
 * participant whose first vote is vs->v[from]. */
size_t poll_next_voter(const struct poll_votes *vs, size_t from);
/* Adds to o the statements of question q with their agree/disagree/pass
 * counts, the most agreed, the most divisive and the group differences
 * (poll_statements.c). */
void poll_statements_json(struct ctx *c, const struct psess *ps, int q, json_t *o,
    const struct poll_votes *vs, int suppress);

/* What of question q may leave the room at threshold k (poll_safe.c): sets
 * o's "answers" and its bars or points, words, or statements; "withheld"
 * when its table cannot be made safe. */
void poll_safe_options(json_t *o, const struct question *q, const struct poll_votes *vs,
    long answers, int k, int lang);
void poll_safe_words(json_t *o, const struct poll_votes *vs, long answers, int k);
void poll_safe_statements(struct ctx *c, const struct psess *ps, int q, json_t *o,
    const struct poll_votes *vs, long answers, int k);

/* The state the room follows, as the console and presenter poll it
 * (poll_present.c). */
json_t *poll_live_json(struct ctx *c, const struct psess *ps);
/* Sends j as the response body (application/json, no-store); frees j. */
void poll_send_json(struct ctx *c, json_t *j);
/* Index of the question whose answers group the statement results (an
 * age band or area question asked in the session), or -1. */
int poll_group_question(const struct survey *s);
#endif
