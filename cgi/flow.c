/* flow: the respondent's journey through a survey.  A browser that keeps
 * cookies has a draft on the server (flow_draft.c), sealed under a key only
 * its cookie holds: every POST changes the draft and answers 303 to the next
 * page's own address, so Back, Forward and Reload are GETs.  A browser that
 * keeps none carries the draft in the form: answers to the pages not on
 * screen travel as hidden fields named like the visible inputs, and every
 * POST is answered with the next page.  Either way every POST is re-parsed
 * from scratch into typed answers and the final submit re-validates
 * everything against the survey model.
 *
 * Answers to a page that a condition hides are kept in the draft too, so
 * that changing an answer back re-opens the page with what was written on it;
 * they are left out of the response when it is stored.
 *
 * Form fields besides answers: _csrf, _fc (the token of a browser without
 * cookies), _n (the form's nonce: a re-submit is a duplicate), _c (channel),
 * _l (language), _p (the page on screen: a page id, "start" or "check"),
 * _r (return to the check page), _s (the pages open when the check page was
 * shown: '0' or '1' per page), _d (the answers are in the draft), _k (without
 * cookies: the draft's resume code), _nav (the button). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>
#include "action.h"
#include "device.h"
#include "disclose.h"
#include "esc.h"
#include "flow.h"
#include "handlers.h"
#include "life.h"
#include "scrub.h"
#include "util.h"
#include "view.h"
#include "writer.h"



/* s without the spaces and tabs around it (cut in place). */
static char *
trim_in_place(char *s)
{
	const char	*p = s;
	size_t		 n = strlen(s);

	trim_blank(&p, &n);
	s[(size_t)(p - s) + n] = '\0';
	return s + (p - s);
}

/* Adds the values of one form field to the answer set (ranking: "qid.code",
 * a grid's row: "grid.row"). */
int
flow_take_field(struct flow *f, struct answer_set *as, const struct kv *kv)
{
	const struct survey *s = f->s;
	const char *dot = strchr(kv->name, '.');
	char qid[SURVEY_ID_MAX + 1];
	size_t n = dot ? (size_t)(dot - kv->name) : strlen(kv->name);
	long q;

	if (n == 0 || n > SURVEY_ID_MAX || kv->name[0] == '_')
		return 0;
	memcpy(qid, kv->name, n);
	qid[n] = '\0';
	if ((q = survey_question_index(s, qid)) < 0)
		return 0;		/* unlisted fields are ignored */
	if (s->qs[q].type == Q_GRID)
		return flow_take_grid(s, as, (size_t)q, dot ? dot + 1 : NULL, kv->value);
	if ((s->qs[q].type == Q_RANKING) != (dot != NULL) || s->qs[q].type == Q_INFO ||
	    s->qs[q].row > 0)
		return 0;	/* a grid's row is only answered as "grid.row" */
	if (dot != NULL) {
		char *end;
		long pos = strtol(kv->value, &end, 10);
		if (kv->value[0] == '\0')
			return 0;	/* "not ranked" */
		if (*end != '\0' || pos < 1 || pos > 99)
			pos = 0;	/* the check reports it */
		return answer_set_add(as, (size_t)q, dot + 1, (int)pos);
	}
	if (kv->value[strspn(kv->value, " \t\n")] == '\0')
		return 0;		/* blank counts as unanswered */
	if (s->qs[q].type == Q_NUMBER) {	/* ٣ and ৩ are 3: checked and stored so */
		char *ascii = arena_alloc(f->c->a, strlen(kv->value) + 1);
		if (ascii == NULL)
			return -1;
		answer_number_ascii(ascii, kv->value);
		return answer_set_add(as, (size_t)q, trim_in_place(ascii), 0);
	}
	return answer_set_add(as, (size_t)q, kv->value, 0);
}

/* The page on screen: a page index, PAGE_START, npages for "check"; -2 if unknown. */
static long
page_of(const struct survey *s, const char *p)
{
	if (p == NULL)
		return -2;
	if (strcmp(p, "start") == 0)
		return PAGE_START;
	if (strcmp(p, "check") == 0)
		return (long)s->npages;
	return survey_page_index(s, p) >= 0 ? survey_page_index(s, p) : -2;
}

int
flow_parse(struct ctx *c, struct flow *f)
{
	const struct kvlist *form = &c->req->form;
	const char *ch = kv_get(form, "_c");
	char code[DRAFT_CODE_LEN + 1];

	memset(f, 0, sizeof(*f));
	f->c = c;
	f->s = c->survey;
	f->lang = view_set_lang(c, kv_get(form, "_l"));
	f->nonce = kv_get(form, "_n");
	f->channel = ch ? ch : "";
	f->page = page_of(f->s, kv_get(form, "_p"));
	f->ret = kv_get(form, "_r") != NULL;
	f->nav = kv_get(form, ACTION_FIELD);
	f->seen = kv_get(form, "_s");
	if (kv_get(form, "_k") != NULL && draft_code_parse(kv_get(form, "_k"), code) == 0)
		f->code = arena_strdup(c->a, code);	/* without cookies: the draft's code */
	if (f->seen != NULL && (strlen(f->seen) != f->s->npages ||
	    f->seen[strspn(f->seen, "01")] != '\0'))
		f->seen = NULL;	/* (a survey reloaded mid-journey): only skips a detour */
	if (!hex_token_ok(f->nonce, FLOW_NONCE_HEX) || channel_from_name(f->channel) == CH__MAX ||
	    f->page == -2 || f->nav == NULL)
		return -1;
	for (size_t i = 0; i < form->n; i++)
		if (flow_take_field(f, &f->as, &form->v[i]) != 0)
			return -1;
	return 0;
}

int
flow_settle(struct flow *f)
{
	survey_vis_free(&f->vis);
	return survey_vis_settle(&f->vis, f->s, &f->as);
}

long
flow_next_visible(const struct flow *f, long from, int step)
{
	for (long p = from + step; p >= 0 && p < (long)f->s->npages; p += step)
		if (f->vis.page[p])
			return p;
	return step > 0 ? (long)f->s->npages : PAGE_START;
}

/* Where Continue leads from page p for a respondent who came from the check
 * page: the next page the change has opened (one closed when the check page
 * was shown), so that a re-opened branch is seen again with its kept
 * answers; else back to the check page. */
static long
after_change(const struct flow *f, long p)
{
	long end = (long)f->s->npages;

	for (long q = flow_next_visible(f, p, 1); f->seen != NULL && q < end; q = flow_next_visible(f, q, 1))
		if (f->seen[q] == '0')
			return q;
	return end;
}

int
flow_check_page(struct flow *f, long p)
{
	const struct page *pg = &f->s->pages[p];
	int ok = 1;

	for (size_t q = pg->first; q < pg->first + pg->count; q++) {
		if (!f->vis.q[q])
			continue;
		f->errs[q] = survey_check_shown(f->s, q, &f->as);
		ok &= f->errs[q] == AE_OK;
	}
	return ok;
}

int
flow_nonce_stored(struct ctx *c, const char *nonce)
{
	struct store *st = app_store(c->app);
	unsigned char key[STORE_NONCE_KEY_BYTES], n[16];
	size_t len;
	int used = 0;

	if (st == NULL || !hex_token_ok(nonce, FLOW_NONCE_HEX) ||
	    sodium_hex2bin(n, sizeof(n), nonce, 32, NULL, &len, NULL) != 0 ||
	    len != sizeof(n))
		return 0;
	crypto_generichash(key, sizeof(key), (const unsigned char *)"voices nonce key", 16,
	    c->app->secret, sizeof(c->app->secret));
	if (store_nonce_used(st, key, n, &used) != STORE_OK)
		used = 0;
	sodium_memzero(key, sizeof(key));
	return used;
}

/* Stores the response through the writer; the answer only after its commit.
 * No check of the device before it: the writer looks at the nonce first, so
 * the same form sent again still gets the confirmation, which carries the
 * channel on to the next form ("Start a new response").  The draft is
 * erased once the response is stored (a transaction after the writer's). */
static void
submit(struct flow *f)
{
	struct ctx *c = f->c;
	struct submission sub;
	enum store_err e;

	for (long p = 0; p < (long)f->s->npages; p++)
		if (f->vis.page[p] && !flow_check_page(f, p)) {
			flow_go(f, p, 422);
			return;
		}
	if (c->preview) {	/* a draft survey, tried by staff: nothing is stored */
		flow_draft_erase(f);
		life_preview_sent(c);
		return;
	}
	if (flow_submission(f, &sub) != 0) {
		page_error(c, 400, "bad_request");
		return;
	}
	f->flagged = sub.flagged;
	e = writer_submit(c->app, &sub);
	if (e == STORE_OK || e == STORE_DUPLICATE) {
		flow_draft_erase(f);
		if (flow_confirm(f) != 0)
			flow_render_check(f, 503);
	} else if (e == STORE_DEVICE_USED)
		device_page(c, 409);
	else if (e == STORE_CLOSED)
		life_refused(c);
	else if (e == STORE_INVALID)
		page_error(c, 400, "bad_request");
	else
		flow_render_check(f, 503);
}

static void
nav_start(struct flow *f, const char *arg)
{
	(void)arg;
	if (device_answered(f->c))
		device_page(f->c, 200);
	else
		flow_go(f, flow_next_visible(f, PAGE_START, 1), 200);
}

static void
nav_next(struct flow *f, const char *arg)
{
	(void)arg;
	if (f->page < 0 || f->page >= (long)f->s->npages)
		page_error(f->c, 400, "bad_request");
	else if (!flow_check_page(f, f->page))
		flow_go(f, f->page, 422);
	else
		flow_go(f, f->ret ? after_change(f, f->page) : flow_next_visible(f, f->page, 1), 200);
}

static void
nav_back(struct flow *f, const char *arg)
{
	(void)arg;
	flow_go(f, flow_next_visible(f, f->page, -1), 200);
}

/* goto:PAGE, the check page's "Change" links. */
static void
nav_goto(struct flow *f, const char *page)
{
	if (survey_page_index(f->s, page) < 0)
		page_error(f->c, 400, "bad_request");
	else {
		f->ret = 1;
		flow_go(f, survey_page_index(f->s, page), 200);
	}
}

/* lang:CODE, the language chooser without JavaScript. */
static void
nav_lang(struct flow *f, const char *code)
{
	f->lang = view_set_lang(f->c, code);
	flow_go(f, f->page, 200);
}

static void
nav_stay(struct flow *f, const char *arg)
{
	(void)arg;
	flow_go(f, f->page, 200);
}

static void
nav_save(struct flow *f, const char *arg)
{
	(void)arg;
	flow_save(f);
}

static void
nav_forget(struct flow *f, const char *arg)
{
	(void)arg;
	flow_forget(f);
}

static void
nav_submit(struct flow *f, const char *arg)
{
	(void)arg;
	if (f->page == (long)f->s->npages)
		submit(f);
	else
		page_error(f->c, 400, "bad_request");
}

/* The buttons of a survey page (_nav): a name ending in ':' takes what
 * follows it as its argument.  ("fresh" is merge_draft's.) */
static const struct {
	const char	*name;
	void		(*fn)(struct flow *f, const char *arg);
} navs[] = {
	{ "start", nav_start }, { "next", nav_next }, { "back", nav_back },
	{ "goto:", nav_goto }, { "lang:", nav_lang }, { "stay", nav_stay },
	{ "save", nav_save }, { "forget", nav_forget }, { "submit", nav_submit },
};

/* Runs the button the form names; a name not in navs is a 400. */
static void
navigate(struct flow *f)
{
	for (size_t i = 0; i < sizeof navs / sizeof navs[0]; i++) {
		size_t n = strlen(navs[i].name);

		if (navs[i].name[n - 1] == ':' ? strncmp(f->nav, navs[i].name, n) == 0 :
		    strcmp(f->nav, navs[i].name) == 0) {
			navs[i].fn(f, f->nav + n);
			return;
		}
	}
	page_error(f->c, 400, "bad_request");
}

/* With a draft (the browser's cookie names one), the form carries only the
 * answers of the page it shows, and the rest come from the draft: so a form
 * from a page left open in another tab, or reached with Back, changes that
 * page's answers and nothing else.  A form that says it came with a draft
 * when there is none any more (expired, sent, cookies cleared) goes to the
 * start page, which says so. */
static int
merge_draft(struct flow *f)
{
	int got;

	f->prg = flow_cookies_on(f->c);
	if (strcmp(f->nav, "fresh") == 0) {	/* "Start again": the old draft goes */
		const char *nonce = f->nonce, *ch = f->channel;
		if (f->prg && flow_draft_load(f, -2) > 0)
			flow_draft_erase(f);
		answer_set_free(&f->as);
		memset(&f->as, 0, sizeof(f->as));
		f->nonce = nonce;
		f->channel = ch;
		f->have_keys = 0;
		f->code = NULL;
		f->nav = "start";
		return 0;
	}
	if (!f->prg || (got = flow_draft_load(f, f->page)) == 0)
		return kv_get(&f->c->req->form, "_d") != NULL ? 1 : 0;
	return got < 0 ? -1 : 0;
}

/* The form of a draft that is no longer there: the confirmation again if
 * it was sent, else the start page, which says the answers were not found. */
static void
gone(struct flow *f)
{
	struct ctx *c = f->c;

	if (strcmp(f->nav, "submit") == 0 && flow_nonce_stored(f->c, f->nonce) && flow_confirm(f) == 0)
		return;
	resp_redirect(c->resp, c->a, 303, arena_printf(c->a, "%s&gone=1",
	    flow_url(f, PAGE_START, 0)));
}

void
h_survey_post(struct ctx *c)
{
	struct flow f;
	int m;

	if (flow_parse(c, &f) != 0) {
		answer_set_free(&f.as);
		page_error(c, 400, "bad_request");
		return;
	}
	if ((m = merge_draft(&f)) == 1)
		gone(&f);
	else if (m < 0 || (f.errs = arena_calloc(c->a, c->survey->nqs + 1, sizeof(*f.errs))) == NULL ||
	    flow_settle(&f) != 0)
		page_error(c, 503, "try_again");
	else
		navigate(&f);
	survey_vis_free(&f.vis);
	answer_set_free(&f.as);
}

void
h_survey_start(struct ctx *c)
{
	const char *ch = kv_get(&c->req->query, "c");
	unsigned char r[16];
	char *nonce = arena_alloc(c->a, 33);
	struct flow f;

	if (ch != NULL && channel_from_name(ch) == CH__MAX) {
		page_error(c, 400, "bad_channel");
		return;
	}
	flow_init(&f, c);
	f.channel = ch ? ch : "online";
	if (device_answered(c)) {
		device_page(c, 200);
		return;
	}
	if (nonce == NULL || (flow_cookies_on(c) && flow_draft_load(&f, -2) < 0)) {
		page_error(c, 503, "try_again");
		answer_set_free(&f.as);
		return;
	}
	if (!f.have_keys) {
		randombytes_buf(r, sizeof(r));
		sodium_bin2hex(nonce, 33, r, sizeof(r));
		f.nonce = nonce;
		f.channel = ch ? ch : "online";
		f.lang = view_set_lang(c, kv_get(&c->req->query, "l"));
	}
	if (flow_settle(&f) != 0)
		page_error(c, 503, "try_again");
	else
		flow_render_page(&f, PAGE_START, 200);
	survey_vis_free(&f.vis);
	answer_set_free(&f.as);
}

/* Today's date in local time, "YYYY-MM-DD": the only time a response keeps. */
static const char *
today(struct arena *a)
{
	char *d = arena_alloc(a, 11);

	return d != NULL && day_local(time(NULL), d) == 0 ? d : NULL;
}

/* Free text is scrubbed of personal identifiers here, before it leaves the worker. */
static const char *
scrubbed(struct arena *a, const char *text, size_t *len)
{
	struct buf b = BUF_INIT;
	char *out = NULL;

	scrub_text(text, strlen(text), &b);
	if (!buf_failed(&b) && (out = arena_strndup(a, b.p ? b.p : "", b.len)) != NULL)
		*len = b.len;
	buf_free(&b);
	return out;
}

int
flow_submission(struct flow *f, struct submission *sub)
{
	struct arena *a = f->c->a;
	size_t len;

	memset(sub, 0, sizeof(*sub));
	sub->survey = f->s->id;
	sub->version = f->s->version;
	sub->def_hash = f->s->hash;
	sub->channel = f->channel;
	sub->lang = f->c->lang;
	sub->day = today(a);
	if (f->s->one_per_device && (sub->device = device_hash(f->c)) == NULL)
		return -1;
	if (sub->day == NULL || sodium_hex2bin(sub->nonce, sizeof(sub->nonce), f->nonce, 32,
	    NULL, &len, NULL) != 0 || len != sizeof(sub->nonce))
		return -1;
	if ((sub->answers = arena_calloc(a, f->as.n + 1, sizeof(*sub->answers))) == NULL)
		return -1;
	for (size_t i = 0; i < f->as.n; i++) {
		const struct answer *an = &f->as.v[i];
		const struct question *q = &f->s->qs[an->q];
		struct store_answer *sa;

		if (!f->vis.q[an->q])
			continue;	/* kept in the draft, never stored while hidden */
		sa = &sub->answers[sub->nanswers++];

		sa->question = q->id;
		sa->pos = an->pos;
		sa->text = q->type == Q_TEXT || q->type == Q_LONGTEXT;
		if (sa->text && !sub->flagged && survey_safeguarded(f->s, (long)q->page) &&
		    (sub->flagged = disclose_match(f->s->disclose, an->value, strlen(an->value),
		    NULL)) < 0)
			return -1;
		sa->value = sa->text ? scrubbed(a, an->value, &sa->len) : an->value;
		if (sa->value == NULL)
			return -1;
		if (!sa->text)
			sa->len = strlen(sa->value);
		if (q->type == Q_MULTI)	/* chosen options are numbered in the order given */
			for (size_t j = 0; j + 1 < sub->nanswers; j++)
				sa->pos += sub->answers[j].question == q->id;
		if (q->type == Q_MULTI)
			sa->pos++;
	}
	return 0;
}
