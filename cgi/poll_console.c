/* poll_console: what the facilitator's buttons do.  Form fields of POST
 * /staff/polls/ID: _nav = next | prev | lock | unlock | show | hide | end
 * (the session state machine, poll_model.h; end only with _sure=1, else the
 * answer is a page asking to confirm), save (copy the answers of an
 * ended session again), approve | unapprove with _q and _v (a free-text
 * answer, by its voter hash), st_ok | st_no with _id (a statement).
 *
 * Ending a session copies each participant's answers into the response
 * store as one response (survey = the poll set, channel workshop) through
 * the writer, exactly as a survey submission: the analysis tool then counts
 * them with everything else.  Each copy's nonce is derived from the voter
 * hash, so copying again after a failure stores nothing twice.  Its
 * language is the one the participant last answered in.  Once copied, the
 * session's free text in plain is wiped (store_poll_saved). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>
#include "action.h"
#include "audit.h"
#include "handlers.h"
#include "poll_staff.h"
#include "sdc.h"
#include "staff.h"
#include "view.h"
#include "writer.h"

/* Appends one vote's answers to sub (a multi or ranking: one per option). */
static int
add_answers(struct ctx *c, const struct survey *s, const struct poll_vote *v,
    struct submission *sub)
{
	const struct question *q = &s->qs[v->q];
	int many = q->type == Q_MULTI || q->type == Q_RANKING, pos = 1;
	const char *p = v->value;

	if (q->type == Q_STATEMENTS || q->type == Q_INFO)
		return 0;	/* statement votes stay in the poll tables */
	do {
		size_t n = many ? strcspn(p, ",") : strlen(p);
		struct store_answer *a = &sub->answers[sub->nanswers++];
		a->question = q->id;
		a->value = arena_strndup(c->a, p, n);
		a->len = n;
		a->pos = many ? pos++ : 0;
		a->text = v->text;
		if (a->value == NULL)
			return -1;
		p += n + (p[n] == ',');
	} while (many && *p);
	return 0;
}

/* The language of the voter's last vote that has one the poll set still
 * offers (votes come in question order), else the default (index 0). */
static int
voter_lang(const struct survey *s, const struct poll_vote *v, size_t n)
{
	int l;

	while (n-- > 0)
		if (v[n].lang != NULL && (l = survey_lang_index(s, v[n].lang)) >= 0)
			return l;
	return 0;
}

/* The fewest participants of a session a language must have to be recorded
 * with their responses: the facilitator sees who reads which language, so a
 * language few chose would single them out among the day's workshop
 * responses.  Below it they are recorded in the default language. */
static int
lang_floor(const struct survey *s)
{
	return sdc_threshold(SDC_K_DEFAULT, s->suppress_below);
}

/* One response for the votes v[0..n) of one voter, recorded in language l. */
static enum store_err
save_one(struct ctx *c, const struct psess *ps, const struct poll_vote *v, size_t n, int l)
{
	struct submission sub = { .survey = ps->s->id, .version = ps->s->version,
	    .def_hash = ps->s->hash, .channel = "workshop", .lang = ps->s->langs[l].code,
	    .day = ps->p.day };
	size_t max = 0;

	for (size_t i = 0; i < n; i++)
		max += 1 + strlen(v[i].value) / 2;
	if ((sub.answers = arena_calloc(c->a, max + 1, sizeof(*sub.answers))) == NULL)
		return STORE_NOMEM;
	for (size_t i = 0; i < n; i++)
		if (v[i].item == 0 && add_answers(c, ps->s, &v[i], &sub) != 0)
			return STORE_NOMEM;
	if (sub.nanswers == 0)
		return STORE_OK;
	crypto_generichash(sub.nonce, sizeof(sub.nonce), v[0].voter, STORE_VOTER_BYTES,
	    (const unsigned char *)"voices poll response", 20);
	return writer_submit(c->app, &sub);
}

/* How many participants chose each language. */
static void
count_langs(const struct survey *s, const struct poll_votes *vs, size_t n[SURVEY_MAX_LANGS])
{
	memset(n, 0, SURVEY_MAX_LANGS * sizeof(*n));
	for (size_t from = 0, end; from < vs->n; from = end) {
		end = poll_next_voter(vs, from);
		n[voter_lang(s, &vs->v[from], end - from)]++;
	}
}

/* Copies every participant's answers; 0 when all are stored. */
static int
save_responses(struct ctx *c, const struct psess *ps)
{
	struct poll_votes vs = { .a = c->a };
	struct store *st = poll_store(c->app);
	size_t per_lang[SURVEY_MAX_LANGS];

	if (ps->p.poll_set[0] == '\0')
		return 0;	/* a quick question has no survey file to analyse it by */
	if (st == NULL || store_poll_each_vote(st, ps->p.id, -1, -1, poll_collect, &vs) != STORE_OK ||
	    vs.failed)
		return -1;
	count_langs(ps->s, &vs, per_lang);
	for (size_t from = 0, end; from < vs.n; from = end) {
		enum store_err er;
		int l;
		end = poll_next_voter(&vs, from);
		l = voter_lang(ps->s, &vs.v[from], end - from);
		er = save_one(c, ps, &vs.v[from], end - from,
		    per_lang[l] >= (size_t)lang_floor(ps->s) ? l : 0);
		if (er != STORE_OK && er != STORE_DUPLICATE)
			return -1;
	}
	return 0;
}

/* Copies the answers, then has the store wipe the session's plain free
 * text: a word cloud keeps the words its export shows (given by at least
 * suppress_below people), every other text goes; the copies in the
 * responses are sealed. */
static int
save(struct ctx *c, struct psess *ps)
{
	struct store *st = poll_store(c->app);
	int keep[POLL_MAX_QUESTIONS];

	for (int q = 0; q < ps->p.state.nq; q++)
		keep[q] = ps->s->qs[q].type == Q_WORDCLOUD ? ps->suppress : 0;
	if (save_responses(c, ps) != 0 || st == NULL ||
	    store_poll_saved(st, &ps->p, keep) != STORE_OK)
		return -1;
	(void)audit_log(c, "poll_saved", "session=%lld", (long long)ps->p.id);
	return 0;
}

/* Applies a state action, rereading once if someone changed the session. */
static int
change(struct ctx *c, struct psess *ps, enum poll_action a)
{
	struct store *st = poll_store(c->app);
	enum store_err er = STORE_BUSY;

	for (int t = 0; t < 2 && er == STORE_BUSY; t++) {
		if (t > 0 && (st == NULL || store_poll_get(st, ps->p.id, c->a, &ps->p) != STORE_OK))
			return -1;
		if (poll_apply(&ps->p.state, a) != 0)
			return 0;	/* not allowed now (a double click): nothing to do */
		er = st ? store_poll_update(st, &ps->p) : STORE_IO;
	}
	if (er != STORE_OK)
		return -1;
	if (a != PA_END)
		return 0;
	(void)audit_log(c, "poll_end", "session=%lld", (long long)ps->p.id);
	return save(c, ps);
}

#define STALE_MAX	64	/* sessions ended per sweep; the next sweep takes more */

struct stale {
	const char	*before;	/* "YYYY-MM-DD": sessions started before it */
	int64_t		 ids[STALE_MAX];
	size_t		 n;
};

static int
stale_row(void *ctx, const struct store_poll *p)
{
	struct stale *s = ctx;

	if ((p->state.open || !p->saved) && strcmp(p->day, s->before) < 0)
		s->ids[s->n++] = p->id;
	return s->n == STALE_MAX;
}

void
poll_end_stale(struct ctx *c)
{
	struct store *st = poll_store(c->app);
	time_t yesterday = time(NULL) - 24 * 60 * 60;
	char before[11];
	struct stale s = { .before = before };
	struct tm tm;

	if (st == NULL || gmtime_r(&yesterday, &tm) == NULL ||
	    strftime(before, sizeof(before), "%Y-%m-%d", &tm) == 0 ||
	    store_poll_list(st, 0, stale_row, &s) != STORE_OK)
		return;
	for (size_t i = 0; i < s.n; i++) {
		struct psess ps;

		memset(&ps, 0, sizeof(ps));
		if (store_poll_get(st, s.ids[i], c->a, &ps.p) != STORE_OK || poll_bind(c, &ps) != 0)
			continue;
		if (ps.p.state.open)
			(void)change(c, &ps, PA_END);
		else
			(void)save(c, &ps);
	}
}

/* After a button: back to the console, saying when it was not saved. */
static void
back(struct ctx *c, int rc)
{
	resp_redirect(c->resp, c->a, 303, arena_printf(c->a, "/staff/polls/%lld%s",
	    (long long)c->poll->p.id, rc == 0 ? "" : "?unsaved=1"));
}

/* st_ok, st_no: a statement (_id) shown to the room or not (arg: its state). */
static void
statement_set(struct ctx *c, int arg)
{
	const struct psess *ps = c->poll;
	struct store *st = poll_store(c->app);
	const char *id = kv_get(&c->req->form, "_id");
	enum store_err er = STORE_INVALID;

	if (st != NULL && id != NULL) {
		er = store_poll_statement_set(st, ps->p.id, strtoll(id, NULL, 10),
		    (enum store_poll_sstate)arg);
		if (er == STORE_OK)
			(void)audit_log(c, "poll_moderate", "session=%lld statement=%lld %s",
			    (long long)ps->p.id, strtoll(id, NULL, 10),
			    arg == SPS_APPROVED ? "approved" : "rejected");
	}
	back(c, er == STORE_OK || er == STORE_NOTFOUND ? 0 : -1);
}

/* approve, unapprove: a free-text answer (_q, and _v its voter hash) shown
 * on the screens or not (arg 1, 0). */
static void
answer_shown(struct ctx *c, int arg)
{
	const struct psess *ps = c->poll;
	const struct kvlist *f = &c->req->form;
	struct store *st = poll_store(c->app);
	unsigned char voter[STORE_VOTER_BYTES];
	const char *v = kv_get(f, "_v"), *q = kv_get(f, "_q");
	size_t len;
	enum store_err er = STORE_INVALID;

	if (st != NULL && v != NULL && q != NULL && strlen(v) == 64 && sodium_hex2bin(voter,
	    sizeof(voter), v, 64, NULL, &len, NULL) == 0 && len == sizeof(voter)) {
		er = store_poll_approve(st, ps->p.id, atoi(q), voter, arg);
		/* which answer is not said: the voter's hash would link the rows */
		if (er == STORE_OK)
			(void)audit_log(c, "poll_moderate", "session=%lld question=%d answer %s",
			    (long long)ps->p.id, atoi(q) + 1, arg ? "shown" : "hidden");
	}
	back(c, er == STORE_OK || er == STORE_NOTFOUND ? 0 : -1);
}

/* Ending cannot be undone, so the button asks first: a page with a form of
 * its own (no JavaScript needed) that ends the session, and a way back. */
static void
confirm_end(struct ctx *c, const struct psess *ps)
{
	struct tdict *d = staff_view_page(c, view_text(c, "poll_end_title", 0, 0, 0));

	poll_staff_head(c, ps, d);
	view_render(c, 200, "poll_end", d);
}

/* next, prev, lock, unlock, show, hide, end: the state machine's action arg;
 * end only with _sure=1, else the page asking to confirm. */
static void
state_action(struct ctx *c, int arg)
{
	struct psess *ps = c->poll;
	const char *sure = kv_get(&c->req->form, "_sure");

	if (arg == PA_END && ps->p.state.open && (sure == NULL || strcmp(sure, "1") != 0))
		confirm_end(c, ps);
	else
		back(c, change(c, ps, (enum poll_action)arg));
}

/* save: copy the answers of an ended session again. */
static void
save_again(struct ctx *c, int arg)
{
	struct psess *ps = c->poll;

	(void)arg;
	back(c, !ps->p.state.open && !ps->p.saved ? save(c, ps) : 0);
}

void
h_poll_action(struct ctx *c)
{
	static const struct action t[] = {
		{ "next", state_action, PA_NEXT }, { "prev", state_action, PA_PREV },
		{ "lock", state_action, PA_LOCK }, { "unlock", state_action, PA_UNLOCK },
		{ "show", state_action, PA_SHOW }, { "hide", state_action, PA_HIDE },
		{ "end", state_action, PA_END },
		{ "save", save_again, 0 },
		{ "approve", answer_shown, 1 }, { "unapprove", answer_shown, 0 },
		{ "st_ok", statement_set, SPS_APPROVED }, { "st_no", statement_set, SPS_REJECTED },
	};

	action_run(c, t, sizeof t / sizeof t[0]);
}
