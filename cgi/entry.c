/* entry: paper forms and stall responses keyed in by staff.  A batch has one
 * channel (paper, stall or focus group); the survey is one long page, every
 * question in order, and its conditions are applied when the form is checked:
 * an answer to a question whose condition is false is dropped, never stored.
 * A response goes the way of an online one, through the same code: the
 * flow's field parser and checks, flow_submission (scrubbing) and
 * writer_submit (sealing, group commit).
 *
 * The batch lives in a signed token (no new per-response data, nothing in
 * the database): "BATCH.COUNT.MAC", a random batch id and how many were saved
 * in it, MAC'd with the server secret together with the member, survey and
 * channel.  Every save answers 303 to a fresh, empty form (PRG, no-store,
 * autocomplete off), so on a shared tablet neither the next person nor Back
 * shows the answers before.  Each save writes an audit row with the survey,
 * channel, batch and count: never an answer.
 *
 * Form fields: _csrf, _n (the form's nonce: sent twice it is stored once),
 * _c (channel), _l (language), _b (the batch token), the answers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>
#include "audit.h"
#include "flow.h"
#include "handlers.h"
#include "links.h"
#include "staff.h"
#include "store.h"
#include "util.h"
#include "view.h"
#include "writer.h"

#define ENTRY_COUNT_MAX	999999

/* The channels a batch may have: forms from somewhere other than a browser. */
static const int entry_channel[CH__MAX] = {
	[CH_PAPER] = 1,
	[CH_STALL] = 1,
	[CH_FOCUS] = 1,
};

struct batch {
	char	 id[17];	/* 16 hex */
	long	 count;		/* responses saved in it */
};

/* The channel name given, CH__MAX unless batches may have it. */
static enum channel
entry_channel_of(const char *name)
{
	enum channel ch = name ? channel_from_name(name) : CH__MAX;

	return ch != CH__MAX && entry_channel[ch] ? ch : CH__MAX;
}

static void
batch_mac(struct ctx *c, const struct batch *b, enum channel ch, unsigned char out[16])
{
	char msg[160];
	int n = snprintf(msg, sizeof(msg), "entry:%lld:%s:%s:%s:%ld", (long long)c->staff->id,
	    c->survey->id, channel_names[ch], b->id, b->count);

	crypto_generichash(out, 16, (const unsigned char *)msg, (size_t)n, c->app->secret,
	    sizeof(c->app->secret));
}

/* The token of b, in the arena; NULL on OOM. */
static const char *
batch_token(struct ctx *c, const struct batch *b, enum channel ch)
{
	unsigned char mac[16];
	char hex[33];

	batch_mac(c, b, ch, mac);
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	return arena_printf(c->a, "%s.%ld.%s", b->id, b->count, hex);
}

/* Reads token t into b; a NULL t starts a new batch.  -1 when t is not a
 * token this member was given for this survey and channel. */
static int
batch_read(struct ctx *c, const char *t, enum channel ch, struct batch *b)
{
	unsigned char want[16], got[16], r[8];
	const char *dot;
	size_t len;
	char *end;

	memset(b, 0, sizeof(*b));
	if (t == NULL) {
		randombytes_buf(r, sizeof(r));
		sodium_bin2hex(b->id, sizeof(b->id), r, sizeof(r));
		return 0;
	}
	if (strlen(t) < 16 + 3 + 32 || strspn(t, "0123456789abcdef") != 16 || t[16] != '.' ||
	    strspn(t + 17, "0123456789") < 1 || strspn(t + 17, "0123456789") > 6)
		return -1;
	memcpy(b->id, t, 16);
	b->count = strtol(t + 17, &end, 10);
	dot = end;
	if (*dot != '.' || strlen(dot + 1) != 32 ||
	    sodium_hex2bin(got, sizeof(got), dot + 1, 32, NULL, &len, NULL) != 0 || len != 16)
		return -1;
	batch_mac(c, b, ch, want);
	return sodium_memcmp(want, got, sizeof(want)) == 0 ? 0 : -1;
}

/* The conditions that decide whether question q is asked (its page's, by
 * the page's first question, then its own), as notes for whoever keys the
 * form in. */
static void
put_conds(struct flow *f, struct tdict *qd, size_t q)
{
	const struct page *pg = &f->s->pages[f->s->qs[q].page];
	const struct cond *cs[2] = { q == pg->first ? pg->show_if : NULL, f->s->qs[q].show_if };

	for (int i = 0; i < 2; i++) {
		const struct question *on;
		struct tdict *cd;
		const char *opts = NULL;

		if (cs[i] == NULL)
			continue;
		on = &f->s->qs[cs[i]->q];
		for (size_t k = 0; k < cs[i]->ncodes; k++) {
			long o = question_option_index(on, cs[i]->codes[k]);
			const char *t = o >= 0 ? i18n_get(&on->opts[o].text, f->lang) : cs[i]->codes[k];
			opts = opts ? arena_printf(f->c->a, "%s%s%s", opts,
			    view_text(f->c, "entry_or", 0, 0, 0), t) : t;
		}
		cd = tdict_add(qd, "conds");
		tdict_str(cd, "cond_q", i18n_get(&on->text, f->lang));
		tdict_str(cd, "cond_opts", opts);
		tdict_bool(cd, "cond_not", cs[i]->negate);
	}
}

/* Every question of the survey, in order, under its page's title. */
static void
put_questions(struct flow *f, struct tdict *d)
{
	tdict_list(d, "errors");
	tdict_list(d, "questions");
	for (size_t p = 0; p < f->s->npages; p++) {
		const struct page *pg = &f->s->pages[p];
		for (size_t q = pg->first; q < pg->first + pg->count; q++) {
			struct tdict *qd = flow_view_question(f, d, q);
			if (qd == NULL)
				continue;
			if (q == pg->first && *i18n_get(&pg->title, f->lang))
				tdict_str(qd, "section", i18n_get(&pg->title, f->lang));
			put_conds(f, qd, q);
		}
	}
}

/* The long form of batch b, with f's answers (none for a new response). */
static void
render_form(struct flow *f, const struct batch *b, enum channel ch, int status)
{
	struct ctx *c = f->c;
	struct tdict *d = staff_view_page(c, status == 422 ? arena_printf(c->a, "%s: %s",
	    view_text(c, "error_title", 0, 0, 0), view_text(c, "entry_title", 0, 0, 0))
	    : view_text(c, "entry_title", 0, 0, 0));

	if (d == NULL) {
		page_error(c, 503, "try_again");
		return;
	}
	tdict_str(d, "sid", f->s->id);
	tdict_str(d, "entry_survey", i18n_get(&f->s->title, f->lang));
	tdict_str(d, "channel", channel_names[ch]);
	tdict_str(d, "channel_label", view_text(c, links_channel_key(ch), 0, 0, 0));
	tdict_str(d, "count_text", view_text(c, "entry_count", b->count, 0, 0));
	tdict_str(d, "nonce", f->nonce);
	tdict_str(d, "batch", batch_token(c, b, ch));
	tdict_bool(d, "saved", status == 200 && kv_get(&c->req->query, "saved") != NULL);
	tdict_bool(d, "has_errors", status == 422);
	tdict_bool(d, "try_again", status == 503);
	put_questions(f, d);
	view_render(c, status, "entry", d);
}

/* The page that starts a batch: choose its channel. */
static void
render_choose(struct ctx *c)
{
	struct tdict *d = staff_view_page(c, view_text(c, "entry_title", 0, 0, 0));

	if (d == NULL) {
		page_error(c, 503, "try_again");
		return;
	}
	tdict_bool(d, "choose", 1);
	tdict_str(d, "sid", c->survey->id);
	tdict_str(d, "entry_survey", i18n_get(&c->survey->title, view_lang(c)));
	for (int ch = 0; ch < CH__MAX; ch++) {
		struct tdict *cd;
		if (!entry_channel[ch])
			continue;
		cd = tdict_add(d, "channels");
		tdict_str(cd, "name", channel_names[ch]);
		tdict_str(cd, "label", view_text(c, links_channel_key((enum channel)ch), 0, 0, 0));
	}
	view_render(c, 200, "entry", d);
}

/* Starts f on a copy of the survey that never takes a device: the tablet
 * is the council's, and one response per device is about respondents'
 * own phones. */
static void
entry_flow(struct ctx *c, struct flow *f, struct survey *copy, const char *lang)
{
	memset(f, 0, sizeof(*f));
	*copy = *c->survey;
	copy->one_per_device = 0;
	f->c = c;
	f->s = copy;
	f->lang = view_set_lang(c, lang);
}

void
h_entry(struct ctx *c)
{
	const char *name = kv_get(&c->req->query, "c");
	enum channel ch = entry_channel_of(name);
	unsigned char r[16];
	char *nonce = arena_alloc(c->a, 33);
	struct survey copy;
	struct batch b;
	struct flow f;

	view_set_lang(c, kv_get(&c->req->query, "l"));
	if (name == NULL) {
		render_choose(c);
		return;
	}
	if (ch == CH__MAX || batch_read(c, kv_get(&c->req->query, "b"), ch, &b) != 0) {
		page_error(c, 400, ch == CH__MAX ? "entry_channel_bad" : "bad_request");
		return;
	}
	if (nonce == NULL) {
		page_error(c, 503, "try_again");
		return;
	}
	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(nonce, 33, r, sizeof(r));
	entry_flow(c, &f, &copy, kv_get(&c->req->query, "l"));
	f.nonce = nonce;
	f.channel = channel_names[ch];
	render_form(&f, &b, ch, 200);
}

/* One audit row per save: the batch and its count so far (the last row of
 * a batch has its size).  The response is stored by then, so a refusal here
 * is reported to the log (audit_log) and not to the member. */
static void
audit(struct ctx *c, enum channel ch, const struct batch *b)
{
	(void)audit_log(c, "entry_batch", "survey=%s channel=%s batch=%s count=%ld",
	    c->survey->id, channel_names[ch], b->id, b->count);
}

/* Stores f's response; on success 303 to a fresh form of the batch.  A
 * form sent twice (a double tap) is stored once and counted once: its first
 * answer never reached the browser, so this one says what it would have. */
static void
save(struct flow *f, struct batch *b, enum channel ch)
{
	struct ctx *c = f->c;
	struct submission sub;
	const char *tok;
	enum store_err e;

	if (flow_submission(f, &sub) != 0) {
		render_form(f, b, ch, 503);
		return;
	}
	e = writer_submit(c->app, &sub);
	if (e == STORE_INVALID) {
		page_error(c, 400, "bad_request");
		return;
	}
	if (e != STORE_OK && e != STORE_DUPLICATE) {
		render_form(f, b, ch, 503);
		return;
	}
	if (b->count < ENTRY_COUNT_MAX)
		b->count++;
	if (e == STORE_OK)
		audit(c, ch, b);
	if ((tok = batch_token(c, b, ch)) == NULL) {
		page_error(c, 503, "try_again");
		return;
	}
	resp_redirect(c->resp, c->a, 303, arena_printf(c->a,
	    "/staff/surveys/%s/enter?c=%s&l=%s&b=%s&saved=1", c->survey->id, channel_names[ch],
	    c->lang, tok));
}


void
h_entry_post(struct ctx *c)
{
	const struct kvlist *form = &c->req->form;
	enum channel ch = entry_channel_of(kv_get(form, "_c"));
	struct survey copy;
	struct batch b;
	struct flow f;
	int ok = 1;

	entry_flow(c, &f, &copy, kv_get(form, "_l"));
	f.nonce = kv_get(form, "_n");
	if (ch == CH__MAX || !hex_token_ok(f.nonce, FLOW_NONCE_HEX) ||
	    batch_read(c, kv_get(form, "_b"), ch, &b) != 0) {
		page_error(c, 400, ch == CH__MAX ? "entry_channel_bad" : "bad_request");
		return;
	}
	f.channel = channel_names[ch];
	for (size_t i = 0; i < form->n && ok; i++)
		ok = flow_take_field(&f, &f.as, &form->v[i]) == 0;
	if (!ok || (f.errs = arena_calloc(c->a, f.s->nqs + 1, sizeof(*f.errs))) == NULL ||
	    flow_settle(&f) != 0) {
		page_error(c, 503, "try_again");
		goto out;
	}
	for (size_t p = 0; p < f.s->npages; p++)
		if (f.vis.page[p] && !flow_check_page(&f, p))
			ok = 0;
	if (ok)
		save(&f, &b, ch);
	else
		render_form(&f, &b, ch, 422);
out:
	survey_vis_free(&f.vis);
	answer_set_free(&f.as);
}
