/* flow_resume: "Save and come back later", and coming back with a code.
 *
 * Saving gives the draft a resume code (draft.h): a row found by a keyed
 * hash of the code, holding the draft's id and key sealed under a key
 * stretched from the code.  The code is kept in the draft too, so the
 * "saved" page can be shown again (Reload, Back) and a later save reuses it.
 * Wrong codes are counted per survey and day; past resume_failures in a day
 * the resume page refuses every code until the next day (429), so the 60 bits
 * of a code cannot be searched online. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sodium.h>
#include "flow.h"
#include "handlers.h"
#include "view.h"

#define WRAPPED	(DRAFT_ID_BYTES + DRAFT_KEY_BYTES)

/* Seals f's keys into the row of f->code. */
static int
wrap(struct flow *f)
{
	struct ctx *c = f->c;
	struct store *st = app_store(c->app);
	unsigned char lookup[DRAFT_LOOKUP_BYTES], key[DRAFT_KEY_BYTES], plain[WRAPPED];
	struct buf box = BUF_INIT;
	int rc = -1;

	draft_code_lookup(c->app->secret, f->s->id, f->code, lookup);
	if (st == NULL || draft_code_key(f->code, lookup, key) != 0)
		return -1;
	memcpy(plain, f->keys.id, DRAFT_ID_BYTES);
	memcpy(plain + DRAFT_ID_BYTES, f->keys.key, DRAFT_KEY_BYTES);
	draft_seal(key, lookup, plain, sizeof(plain), &box);
	if (!buf_failed(&box) &&
	    store_draft_code_put(st, lookup, f->expires, box.p, box.len) == STORE_OK)
		rc = 0;
	sodium_memzero(key, sizeof(key));
	sodium_memzero(plain, sizeof(plain));
	buf_free(&box);
	return rc;
}

/* The keys the row of code opens to: 0, else -1 (no such row, expired, or
 * it does not open), or -2 on a store error. */
static int
unwrap(struct ctx *c, const char *code, struct draft_keys *k)
{
	struct store *st = app_store(c->app);
	unsigned char lookup[DRAFT_LOOKUP_BYTES], key[DRAFT_KEY_BYTES];
	struct buf box = BUF_INIT, plain = BUF_INIT;
	enum store_err e;
	int rc = -1;

	if (st == NULL)
		return -2;
	draft_code_lookup(c->app->secret, c->survey->id, code, lookup);
	if ((e = store_draft_code_get(st, lookup, draft_today(), &box)) != STORE_OK)
		return e == STORE_NOTFOUND ? -1 : -2;
	if (draft_code_key(code, lookup, key) != 0)
		rc = -2;
	else if (draft_open(key, lookup, box.p, box.len, &plain) == 0 && plain.len == WRAPPED) {
		memcpy(k->id, plain.p, DRAFT_ID_BYTES);
		memcpy(k->key, plain.p + DRAFT_ID_BYTES, DRAFT_KEY_BYTES);
		rc = 0;
	}
	sodium_memzero(key, sizeof(key));
	if (plain.p != NULL)
		sodium_memzero(plain.p, plain.cap);
	buf_free(&plain);
	buf_free(&box);
	return rc;
}

/* The last day a draft is kept, as the respondent reads it. */
static const char *
day_text(struct ctx *c, long day)
{
	time_t t = (time_t)day * 86400;
	struct tm tm;
	char out[64];

	if (gmtime_r(&t, &tm) == NULL)
		return "";
	strftime(out, sizeof(out), strcmp(c->lang, "en") == 0 ? "%e %B %Y" : "%Y-%m-%d", &tm);
	return arena_strdup(c->a, out[0] == ' ' ? out + 1 : out);
}

static void
render_saved(struct flow *f, int status)
{
	struct ctx *c = f->c;
	struct tdict *d = view_page(c, view_text(c, "saved_title", 0, 0, 0));
	char shown[DRAFT_CODE_SHOWN + 1];

	draft_code_format(f->code, shown);
	tdict_str(d, "code_shown", shown);
	tdict_str(d, "link", arena_printf(c->a, "%s/s/%s/resume?code=%s", c->app->cfg->base_url,
	    f->s->id, shown));
	tdict_str(d, "keep", view_text(c, "saved_keep", c->app->cfg->draft_days, 0, 0));
	tdict_str(d, "until", day_text(c, f->expires));
	tdict_bool(d, "cookies_off", !f->prg);
	tdict_str(d, "continue_url", flow_url(f, f->at, 0));
	flow_view_state(f, d, f->at);
	view_render(c, status, "saved", d);
}

void
flow_save(struct flow *f)
{
	struct ctx *c = f->c;
	char code[DRAFT_CODE_LEN + 1];
	int fresh = 0;

	f->at = f->page >= 0 ? f->page : flow_next_visible(f, PAGE_START, 1);
	if (!f->have_keys && f->code != NULL) {	/* no cookies: the form names the draft */
		if (unwrap(c, f->code, &f->keys) == 0)
			f->have_keys = 1;
		else
			f->code = NULL;	/* expired: a new code */
	}
	if (f->code == NULL) {
		draft_code_new(code);
		f->code = arena_strdup(c->a, code);
		fresh = 1;
	}
	if (f->code == NULL || flow_draft_save(f) != 0 || (fresh && wrap(f) != 0)) {
		page_error(c, 503, "try_again");
		return;
	}
	if (f->prg)
		resp_redirect(c->resp, c->a, 303, arena_printf(c->a, "/s/%s/saved", f->s->id));
	else
		render_saved(f, 200);
}

void
flow_forget(struct flow *f)
{
	struct ctx *c = f->c;

	flow_draft_forget(f);
	resp_redirect(c->resp, c->a, 303, arena_printf(c->a, "%s&forgot=1",
	    flow_url(f, PAGE_START, 0)));
}

void
h_survey_saved(struct ctx *c)
{
	struct flow f;

	if (flow_draft_for_get(c, &f) != 0)
		return;
	if (f.code == NULL)
		resp_redirect(c->resp, c->a, 303, flow_url(&f, f.at, 0));
	else
		render_saved(&f, 200);
	survey_vis_free(&f.vis);
	answer_set_free(&f.as);
}

/* The page where a code is typed; err: the ui.yaml key of what went wrong. */
static void
render_resume(struct ctx *c, int status, const char *err, const char *typed)
{
	struct tdict *d = view_page(c, view_text(c, "resume_title", 0, 0, 0));
	unsigned char r[16];
	char nonce[33];

	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(nonce, sizeof(nonce), r, sizeof(r));
	tdict_str(d, "nonce", arena_strdup(c->a, nonce));
	tdict_str(d, "form_token", flow_form_token(c, nonce));
	tdict_str(d, "typed", typed);
	tdict_bool(d, "cookies_off", !flow_cookies_on(c));
	if (err != NULL) {
		tdict_str(d, "error", view_text(c, err, c->app->cfg->draft_days, 0, 0));
		tdict_str(d, "title", arena_printf(c->a, "%s: %s", view_text(c, "error_title", 0, 0, 0),
		    view_text(c, "resume_title", 0, 0, 0)));
	}
	view_render(c, status, "resume", d);
}

void
h_survey_resume(struct ctx *c)
{
	view_set_lang(c, kv_get(&c->req->query, "l"));
	render_resume(c, 200, NULL, kv_get(&c->req->query, "code"));
}

/* Opens the draft the code leads to and goes on where it was left. */
static void
resume(struct ctx *c, struct flow *f, const char *code)
{
	int got;

	f->have_keys = 1;
	f->prg = flow_cookies_on(c);
	f->code = arena_strdup(c->a, code);
	if ((got = flow_draft_open(f, -2)) <= 0 || (f->errs = arena_calloc(c->a,
	    f->s->nqs + 1, sizeof(*f->errs))) == NULL || flow_settle(f) != 0) {
		if (got == 0)
			render_resume(c, 422, "resume_not_found", code);
		else
			page_error(c, 503, "try_again");
		return;
	}
	if (f->prg) {
		flow_draft_cookie(f);
		resp_redirect(c->resp, c->a, 303, flow_url(f, f->at, 0));
	} else
		flow_render_page(f, f->at, 200);
}

void
h_survey_resume_post(struct ctx *c)
{
	const char *typed = kv_get(&c->req->form, "code");
	struct store *st = app_store(c->app);
	char code[DRAFT_CODE_LEN + 1];
	int64_t fails = 0;
	struct flow f;
	int k;

	flow_init(&f, c);
	f.lang = view_set_lang(c, kv_get(&c->req->form, "_l"));
	if (draft_code_parse(typed, code) != 0) {
		render_resume(c, 422, "resume_bad_code", typed);
		return;
	}
	if (st == NULL || store_draft_failures(st, c->survey->id, draft_today(), 0, &fails) != STORE_OK) {
		page_error(c, 503, "try_again");
		return;
	}
	if (fails >= c->app->cfg->resume_failures) {
		render_resume(c, 429, "resume_too_many", typed);
		return;
	}
	if ((k = unwrap(c, code, &f.keys)) == -1) {
		if (store_draft_failures(st, c->survey->id, draft_today(), 1, &fails) != STORE_OK)
			page_error(c, 503, "try_again");
		else
			render_resume(c, 422, "resume_not_found", typed);
		return;
	}
	if (k != 0)
		page_error(c, 503, "try_again");
	else
		resume(c, &f, code);
	survey_vis_free(&f.vis);
	answer_set_free(&f.as);
	sodium_memzero(&f.keys, sizeof(f.keys));
}
