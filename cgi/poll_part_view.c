/* poll_part_view: what a participant's phone shows, and the parsing of what
 * it sends back.  The question markup is the survey's own (question.html),
 * so polls get the same accessible form controls. */
#include <stdlib.h>
#include <string.h>
#include "esc.h"
#include "poll_part.h"
#include "qview.h"
#include "scrub.h"
#include "view.h"

#define REFRESH_SECONDS	5

/* The question as question.html expects it, with the phone's answer (mine)
 * ticked or filled in; -1 on OOM. */
static int
put_question(struct ctx *c, const struct psess *ps, struct tdict *d, size_t q,
    const char *mine, const char *err)
{
	struct answer_set as = { 0 };
	const struct qview v = { c, ps->s, view_lang(c), &as, 1 };
	int rc = qview_answers(c->a, ps->s, q, mine, &as);

	if (rc == 0)
		qview_put(&v, d, q, 1, err);
	answer_set_free(&as);
	return rc;
}

static int
statement_next(void *ctx, const struct store_poll_statement *s)
{
	struct { struct ctx *c; const struct psess *ps; const unsigned char *voter;
		struct tdict *d; int found; } *x = ctx;
	const char *mine;

	if (s->state != SPS_APPROVED)
		return 0;
	x->found++;	/* every approved one: poll.js compares it with the room's count */
	if (poll_part_own(x->c, x->ps->p.id, s->id))
		return 0;	/* nobody is asked to vote on what they wrote */
	if (store_poll_my_vote(poll_store(x->c->app), x->ps->p.id, s->q, s->id, x->voter,
	    x->c->a, &mine) == STORE_NOTFOUND) {
		struct tdict *sd = tdict_child(x->d, "statement");
		tdict_str(sd, "text", arena_strdup(x->c->a, s->text));
		tdict_int(sd, "id", (long)s->id);
		return 1;
	}
	return 0;
}

/* Statements: the next approved statement this phone neither wrote nor
 * voted on; err (or NULL) is why the statement it sent was refused, shown
 * by the box with what it sent, to put right. */
static void
put_statements(struct ctx *c, const struct psess *ps, struct tdict *d,
    const unsigned char *voter, int q, const char *err)
{
	struct { struct ctx *c; const struct psess *ps; const unsigned char *voter;
		struct tdict *d; int found; } x = { c, ps, voter, d, 0 };
	struct store *st = poll_store(c->app);

	tdict_bool(d, "statements", 1);
	tdict_str(d, "question", i18n_get(&ps->s->qs[q].text, view_lang(c)));
	if (st == NULL || store_poll_each_statement(st, ps->p.id, q, statement_next, &x) !=
	    STORE_OK)
		return;
	tdict_int(d, "nst", x.found);
	tdict_str(d, "new_label", view_text(c, "poll_statement_add", 0, 0, 0));
	if (err != NULL) {
		tdict_str(d, "new_error", err);
		tdict_str(d, "new_text", kv_get(&c->req->form, "_new"));
	}
	if (kv_get(&c->req->query, "sent") != NULL)
		tdict_str(d, "sent", view_text(c, "poll_statement_sent", 0, 0, 0));
}

/* Chooses between the form, "received" and "closed" for question q. */
static int
put_current(struct ctx *c, const struct psess *ps, struct tdict *d, const char *tok,
    const char *err)
{
	const struct question *q = &ps->s->qs[ps->p.state.current];
	unsigned char voter[STORE_VOTER_BYTES];
	const char *mine = NULL;
	struct store *st = poll_store(c->app);

	if (st == NULL || poll_voter_hash(c, ps->p.id, tok, voter) != 0)
		return -1;
	if (q->type == Q_INFO) {
		view_paras(d, "info", c->a, i18n_get(&q->text, view_lang(c)));
		return 1;
	}
	if (q->type == Q_STATEMENTS) {
		put_statements(c, ps, d, voter, ps->p.state.current, err);
		return ps->p.state.locked[ps->p.state.current] ? 1 : 0;
	}
	if (store_poll_my_vote(st, ps->p.id, ps->p.state.current, 0, voter, c->a, &mine) ==
	    STORE_NOTFOUND)
		mine = NULL;
	if (ps->p.state.locked[ps->p.state.current]) {
		tdict_bool(d, "closed", 1);
		return 1;
	}
	if (mine != NULL && err == NULL && kv_get(&c->req->query, "change") == NULL) {
		tdict_bool(d, "voted", 1);
		return 1;
	}
	tdict_bool(d, "form", 1);
	if (put_question(c, ps, d, (size_t)ps->p.state.current, mine, err) != 0)
		return -1;
	if (err != NULL)
		tdict_str(tdict_add(d, "errors"), "text", err);
	return 0;
}

void
poll_part_render(struct ctx *c, const struct psess *ps, const char *tok, const char *err,
    int status)
{
	const struct poll_state *s = &ps->p.state;
	struct tdict *d = view_page(c, i18n_get(&ps->s->title, view_lang(c)));
	int waiting = 1;

	tdict_str(d, "survey_id", "");	/* no survey privacy page for a poll */
	tdict_str(d, "script", "/static/poll.js");
	tdict_str(d, "code", ps->p.code);
	tdict_int(d, "q", s->current);
	tdict_int(d, "locked", s->current >= 0 && s->locked[s->current]);
	tdict_int(d, "open", s->open);
	tdict_int(d, "step_k", s->current + 1);
	tdict_str(d, "step", view_text(c, "step", s->current + 1, 0, s->nq));
	if (kv_get(&c->req->query, "late") != NULL)
		tdict_str(d, "late", view_text(c, "poll_late", 0, 0, 0));
	if (!s->open)
		tdict_bool(d, "ended", 1);
	else if (s->current < 0)
		tdict_bool(d, "lobby", 1);
	else if ((waiting = put_current(c, ps, d, tok, err)) < 0) {
		page_error(c, 503, "try_again");
		return;
	}
	/* Without JavaScript: a waiting page refreshes itself; a page with a
	 * form would lose what is being typed, so the statements step (which
	 * always has one) carries only the button that checks. */
	if (waiting && s->open)
		tdict_int(d, "refresh", REFRESH_SECONDS);
	tdict_bool(d, "check", s->open && (waiting || (s->current >= 0 &&
	    ps->s->qs[s->current].type == Q_STATEMENTS)));
	view_render(c, status, "poll_part", d);
}

const char *
poll_part_clean_text(struct ctx *c, const char *text, int max)
{
	struct buf b = BUF_INIT;
	const char *out = NULL;
	size_t n;

	if (text == NULL)
		return NULL;
	text += strspn(text, " \t\n");
	n = strlen(text);
	while (n > 0 && strchr(" \t\n", text[n - 1]))
		n--;
	if (!utf8_valid(text, n) || utf8_len(text, n) > (size_t)max)
		return NULL;
	scrub_text(text, n, &b);
	if (!buf_failed(&b))
		out = arena_strndup(c->a, b.p ? b.p : "", b.len);
	buf_free(&b);
	return out;
}
