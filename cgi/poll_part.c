/* poll_part: the participant's side of a workshop poll.  No account and no
 * name: a random token in a cookie (POLL_COOKIE) is all that ties a phone's
 * votes together, and the database sees only keyed hashes of it, one for
 * votes and an unrelated one for presence.  The page shows the facilitator's
 * current question; poll.js reloads it when the question changes, and
 * without JavaScript the waiting pages refresh themselves every 5 s and carry
 * a button that checks (the statements step, whose form a refresh would
 * wipe, only the button).
 *
 * The language is picked with ?l=CODE and remembered in a cookie
 * (POLL_LANG_COOKIE), because the pages that follow are reached by
 * redirects, reloads and refreshes that carry no query string. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>
#include "handlers.h"
#include "poll.h"
#include "poll_part.h"
#include "view.h"
#include "writer.h"

#define TOKEN_AGE	(12 * 60 * 60)	/* a workshop day */
#define OWN_MAX		16		/* of them, the latest kept */
#define STATEMENT_MAX	280		/* characters, as the box's maxlength */

/* The participant's token, made and given to the browser if it has none. */
static const char *
token(struct ctx *c)
{
	const char *t = poll_token(c);
	unsigned char r[16];
	char *hex;

	if (t != NULL)
		return t;
	if ((hex = arena_alloc(c->a, 33)) == NULL)
		return NULL;
	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(hex, 33, r, sizeof(r));
	resp_cookie(c->resp, c->a, POLL_COOKIE, hex, TOKEN_AGE, c->req->https);
	return hex;
}

/* The language in langs[0..n) whose code is code, or NULL. */
static const struct lang *
lang_of(const struct lang *langs, size_t n, const char *code)
{
	for (size_t i = 0; code != NULL && i < n; i++)
		if (strcmp(langs[i].code, code) == 0)
			return &langs[i];
	return NULL;
}

/* Its code, a trusted string (from the survey model), or NULL; a draft
 * translation only when the configuration offers drafts. */
static const char *
offered(const struct ctx *c, const struct lang *langs, size_t n, const char *code)
{
	const struct lang *l = lang_of(langs, n, code);

	return l && view_lang_offered(c, l) ? l->code : NULL;
}

/* Sets c->lang from ?l= if langs offers it (and remembers it), else from
 * the remembered one, else the default; the chooser links to `link`. */
static void
choose_lang(struct ctx *c, const struct lang *langs, size_t n, const char *link)
{
	const char *asked = offered(c, langs, n, kv_get(&c->req->query, "l"));
	const char *kept = kv_get(&c->req->cookies, POLL_LANG_COOKIE);

	view_set_lang(c, asked ? asked : offered(c, langs, n, kept));
	if (asked != NULL && (kept == NULL || strcmp(kept, asked) != 0))
		resp_cookie(c->resp, c->a, POLL_LANG_COOKIE, asked, TOKEN_AGE, c->req->https);
	c->lang_link = link;
}

/* The participant's language for the session the router loaded. */
static void
session_lang(struct ctx *c, const struct psess *ps)
{
	choose_lang(c, ps->s->langs, ps->s->nlangs, arena_printf(c->a, "/j/%s", ps->p.code));
}

/* The languages of every poll set, for the code entry page, which does not
 * know the session's yet: all are in ui.yaml, so at most ui_nlangs. */
static size_t
poll_set_langs(struct ctx *c, struct lang **out)
{
	const struct survey_set *set = c->app->surveys;
	size_t n = 0;

	if ((*out = arena_calloc(c->a, ui_nlangs(set->ui) + 1, sizeof(**out))) == NULL)
		return 0;
	for (size_t i = 0; i < set->n; i++)
		for (size_t k = 0; set->v[i]->kind == SK_POLL && k < set->v[i]->nlangs; k++)
			if (offered(c, *out, n, set->v[i]->langs[k].code) == NULL &&
			    n < ui_nlangs(set->ui))
				(*out)[n++] = set->v[i]->langs[k];
	return n;
}

static void
seen(struct ctx *c, const struct psess *ps, const char *tok)
{
	unsigned char who[STORE_VOTER_BYTES];
	struct store *st = poll_store(c->app);

	/* a failed presence write only makes the room count one phone short */
	if (st != NULL && ps->p.state.open && poll_presence_id(c, ps->p.id, tok, who) == 0 &&
	    store_poll_seen(st, ps->p.id, who, (int64_t)time(NULL)) != STORE_OK)
		return;
}

void
h_poll_join(struct ctx *c)
{
	const char *typed = kv_get(&c->req->query, "code");
	char code[POLL_CODE_LEN + 1];
	struct lang *langs;
	size_t n = poll_set_langs(c, &langs);
	const struct lang *chosen;
	struct tdict *d;

	choose_lang(c, langs, n, "/j");
	if (typed != NULL && poll_code_normalise(typed, code) == 0) {
		resp_redirect(c->resp, c->a, 303, arena_printf(c->a, "/j/%s", code));
		return;
	}
	d = view_page(c, view_text(c, "poll_join_title", 0, 0, 0));
	view_langs(c, d, langs, n);
	if ((chosen = lang_of(langs, n, c->lang)) != NULL && chosen->rtl)
		tdict_str(d, "dir", "rtl");	/* view_page knows only a survey's */
	if (typed != NULL) {
		tdict_str(d, "error", view_text(c, "poll_code_bad", 0, 0, 0));
		tdict_str(d, "typed", typed);
	}
	view_render(c, typed != NULL ? 422 : 200, "poll_join", d);
}

void
h_poll_page(struct ctx *c)
{
	const struct psess *ps = c->poll;
	const char *tok;

	session_lang(c, ps);
	if ((tok = token(c)) == NULL) {
		page_error(c, 503, "try_again");
		return;
	}
	seen(c, ps, tok);
	poll_part_render(c, ps, tok, NULL, 200);
}

/* The ids in the own-statements cookie when it is for session, else "". */
static const char *
own_list(struct ctx *c, int64_t session)
{
	const char *v = kv_get(&c->req->cookies, POLL_OWN_COOKIE);
	char *end;

	if (v == NULL || strtoll(v, &end, 10) != (long long)session || *end != '-' ||
	    end[1 + strspn(end + 1, "0123456789.")] != '\0')
		return "";
	return end + 1;
}

int
poll_part_own(struct ctx *c, int64_t session, int64_t id)
{
	const char *p = own_list(c, session);
	char *end;

	while (*p != '\0') {
		if (strtoll(p, &end, 10) == (long long)id && (*end == '.' || *end == '\0'))
			return 1;
		p = *end == '.' ? end + 1 : end + strlen(end);
	}
	return 0;
}

/* Remembers on the phone that it wrote statement id, so that its own
 * statements are never put to it for a vote.  The database keeps no author. */
static void
own_add(struct ctx *c, const struct psess *ps, int64_t id)
{
	const char *old = own_list(c, ps->p.id);
	size_t n = *old != '\0';

	for (const char *p = old; *p != '\0'; p++)
		n += *p == '.';
	for (; n >= OWN_MAX; n--)		/* drop the oldest */
		old += strcspn(old, ".") + 1;
	resp_cookie(c->resp, c->a, POLL_OWN_COOKIE, arena_printf(c->a, "%lld-%s%s%lld",
	    (long long)ps->p.id, old, *old ? "." : "", (long long)id), TOKEN_AGE, c->req->https);
}

/* A new statement, scrubbed, held for approval. */
static void
add_statement(struct ctx *c, const struct psess *ps, const char *tok, int q, const char *text)
{
	struct store *st = poll_store(c->app);
	const char *clean = poll_part_clean_text(c, text, STATEMENT_MAX);
	enum store_err er;
	int64_t id = 0;

	if (clean == NULL || *clean == '\0') {
		/* (the form's parser let only valid UTF-8 through: NULL is too long) */
		poll_part_render(c, ps, tok, clean == NULL ? view_text(c, "error_too_long",
		    STATEMENT_MAX, 0, 0) : view_text(c, "poll_statement_empty", 0, 0, 0), 422);
		return;
	}
	er = st ? store_poll_statement_add(st, ps->p.id, q, clean, &id) : STORE_IO;
	if (er != STORE_OK && er != STORE_NOTFOUND) {
		page_error(c, 503, "try_again");
		return;
	}
	if (er == STORE_OK)
		own_add(c, ps, id);
	resp_redirect(c->resp, c->a, 303, arena_printf(c->a, "/j/%s?sent=1", ps->p.code));
}

/* Votes count only through the writer's commit; the answer page follows. */
static void
send_vote(struct ctx *c, const struct psess *ps, struct store_poll_vote *v)
{
	enum store_err er = writer_vote(c->app, v);

	if (er == STORE_OK || er == STORE_NOTFOUND)
		resp_redirect(c->resp, c->a, 303, arena_printf(c->a, "/j/%s%s", ps->p.code,
		    er == STORE_NOTFOUND ? "?late=1" : ""));
	else if (er == STORE_INVALID)
		page_error(c, 400, "bad_request");
	else
		page_error(c, 503, "poll_try_again");
}

void
h_poll_post(struct ctx *c)
{
	const struct kvlist *f = &c->req->form;
	struct store_poll_vote v = { 0 };
	const char *tok = poll_token(c), *err = NULL, *qs = kv_get(f, "_q");
	const struct psess *ps = c->poll;
	char *end;
	long q;

	session_lang(c, ps);
	q = qs ? strtol(qs, &end, 10) : -1;
	if (tok == NULL || qs == NULL || *end != '\0' || q < 0 || q >= ps->p.state.nq ||
	    poll_voter_hash(c, ps->p.id, tok, v.voter) != 0) {
		page_error(c, 400, "bad_request");
		return;
	}
	if (q != ps->p.state.current || !poll_accepts(&ps->p.state, (int)q)) {
		resp_redirect(c->resp, c->a, 303, arena_printf(c->a, "/j/%s?late=1", ps->p.code));
		return;		/* the room has moved on: say so instead of storing */
	}
	if (kv_get(f, "_new") != NULL && ps->s->qs[q].type == Q_STATEMENTS) {
		add_statement(c, ps, tok, (int)q, kv_get(f, "_new"));
		return;
	}
	v.session = ps->p.id;
	v.q = (int)q;
	v.lang = c->lang;
	if (poll_part_parse(c, ps, (int)q, &v, &err) != 0) {
		if (err == NULL)
			page_error(c, 400, "bad_request");
		else
			poll_part_render(c, ps, tok, err, 422);
		return;
	}
	send_vote(c, ps, &v);
}

static int
count_approved(void *ctx, const struct store_poll_statement *s)
{
	*(long *)ctx += s->state == SPS_APPROVED;
	return 0;
}

void
h_poll_state(struct ctx *c)
{
	const struct poll_state *s;
	struct store *st;
	const struct psess *ps = c->poll;
	const char *tok = poll_token(c);
	long nst = 0;
	json_t *j;

	s = &ps->p.state;
	if (tok != NULL)
		seen(c, ps, tok);
	j = json_pack("{s:b,s:i,s:b}", "open", s->open, "q", s->current, "locked",
	    s->current >= 0 && s->locked[s->current]);
	st = poll_store(c->app);
	if (j && st && s->open && s->current >= 0 && ps->s->qs[s->current].type == Q_STATEMENTS &&
	    store_poll_each_statement(st, ps->p.id, s->current, count_approved, &nst) == STORE_OK)
		json_object_set_new(j, "nst", json_integer(nst));
	poll_send_json(c, j);
}
