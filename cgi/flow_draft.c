/* flow_draft: the respondent's unfinished answers kept on the server, so that
 * every step is a GET of its own address (Back, Forward and Reload work) and
 * closing the tab loses nothing.
 *
 * The browser's cookie (DRAFT_COOKIE, under the survey's address) holds a
 * random id and key (draft.h); the row is found by a keyed hash of the id and
 * its box opens only with the key, which the server never stores.  The box
 * holds the draft as a urlencoded form: _n (nonce), _c (channel), _l
 * (language), _a (the page to come back to), _k (the resume code, if one was
 * made) and the answers named as the form names them, so reading a draft
 * goes through the same validating parser as a POST.
 *
 * A browser that keeps no cookies gets none of this: its pages carry the
 * draft in hidden fields and every step is answered directly, as before. */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "csrf.h"
#include "esc.h"
#include "flow.h"
#include "handlers.h"
#include "util.h"
#include "view.h"

#include "cookies.h"

void
flow_init(struct flow *f, struct ctx *c)
{
	memset(f, 0, sizeof(*f));
	f->c = c;
	f->s = c->survey;
	f->lang = view_set_lang(c, kv_get(&c->req->query, "l"));
	f->channel = "online";
	f->page = PAGE_START;
	f->at = PAGE_START;
}

int
flow_cookies_on(struct ctx *c)
{
	return csrf_cookie_ok(kv_get(&c->req->cookies, CSRF_COOKIE));
}

static void
form_mac(struct ctx *c, const char *nonce, unsigned char out[16])
{
	static const char	 purpose[] = "voices survey form";
	unsigned char		 key[32];
	crypto_generichash_state st;

	crypto_generichash(key, sizeof(key), (const unsigned char *)purpose, sizeof(purpose) - 1,
	    c->app->secret, sizeof(c->app->secret));
	crypto_generichash_init(&st, key, sizeof(key), 16);
	crypto_generichash_update(&st, (const unsigned char *)c->survey->id,
	    strlen(c->survey->id) + 1);
	crypto_generichash_update(&st, (const unsigned char *)nonce, strlen(nonce));
	crypto_generichash_final(&st, out, 16);
	sodium_memzero(key, sizeof(key));
}

const char *
flow_form_token(struct ctx *c, const char *nonce)
{
	unsigned char mac[16];
	char *hex;

	if (nonce == NULL || (hex = arena_alloc(c->a, 33)) == NULL)
		return NULL;
	form_mac(c, nonce, mac);
	sodium_bin2hex(hex, 33, mac, sizeof(mac));
	return hex;
}

int
flow_form_token_ok(struct ctx *c)
{
	const char *nonce = kv_get(&c->req->form, "_n"), *tok = kv_get(&c->req->form, "_fc");
	unsigned char want[16], got[16];
	size_t len;

	if (flow_cookies_on(c) || nonce == NULL || strlen(nonce) != 32 || tok == NULL ||
	    strlen(tok) != 32 ||
	    sodium_hex2bin(got, sizeof(got), tok, 32, NULL, &len, NULL) != 0 || len != 16)
		return 0;
	form_mac(c, nonce, want);
	return sodium_memcmp(want, got, sizeof(want)) == 0;
}

const char *
flow_url(struct flow *f, long p, int err)
{
	struct arena *a = f->c->a;
	const char *id = f->s->id;

	if (p < 0)
		return arena_printf(a, "/s/%s?l=%s&c=%s", id, f->c->lang, f->channel);
	if (p >= (long)f->s->npages)
		return arena_printf(a, "/s/%s/check", id);
	return arena_printf(a, "/s/%s/p?n=%ld%s%s%s%s", id, p + 1, f->ret ? "&r=1" : "",
	    f->ret && f->seen ? "&s=" : "", f->ret && f->seen ? f->seen : "", err ? "&e=1" : "");
}

/* The name a draft keeps page p under: "start", "check" or the page's id. */
static const char *
page_key(const struct flow *f, long p)
{
	if (p < 0)
		return "start";
	return p >= (long)f->s->npages ? "check" : f->s->pages[p].id;
}

static long
page_from_key(const struct survey *s, const char *k)
{
	if (k == NULL || strcmp(k, "start") == 0)
		return PAGE_START;
	if (strcmp(k, "check") == 0)
		return (long)s->npages;
	return survey_page_index(s, k) >= 0 ? survey_page_index(s, k) : PAGE_START;
}

static void
put_field(struct buf *b, const char *name, const char *value)
{
	if (b->len > 0)
		buf_addc(b, '&');
	esc_url(b, name, strlen(name));
	buf_addc(b, '=');
	esc_url(b, value, strlen(value));
}

/* The draft's plain text (see the top of the file). */
static void
draft_text(struct flow *f, struct buf *b)
{
	put_field(b, "_n", f->nonce);
	put_field(b, "_c", f->channel);
	put_field(b, "_l", f->c->lang);
	put_field(b, "_a", page_key(f, f->at));
	if (f->code != NULL)
		put_field(b, "_k", f->code);
	for (size_t i = 0; i < f->as.n; i++) {
		const struct answer *an = &f->as.v[i];
		const struct question *q = &f->s->qs[an->q];
		char pos[16];
		if (q->type == Q_RANKING) {
			snprintf(pos, sizeof(pos), "%d", an->pos);
			put_field(b, flow_field_name(f->c->a, f->s, an), pos);
		} else
			put_field(b, flow_field_name(f->c->a, f->s, an), an->value);
	}
}

void
flow_draft_cookie(struct flow *f)
{
	struct ctx *c = f->c;
	char hex[DRAFT_COOKIE_LEN + 1];
	const char *v, *path = arena_printf(c->a, "/s/%s", f->s->id);

	draft_keys_format(&f->keys, hex);
	v = arena_strdup(c->a, hex);
	sodium_memzero(hex, sizeof(hex));
	if (v != NULL && path != NULL)
		resp_cookie_lax(c->resp, c->a, DRAFT_COOKIE, v, path,
		    c->app->cfg->draft_days * 86400, c->req->https);
}

int
flow_draft_save(struct flow *f)
{
	struct ctx *c = f->c;
	struct store *st = app_store(c->app);
	struct buf plain = BUF_INIT, box = BUF_INIT;
	unsigned char lookup[DRAFT_LOOKUP_BYTES], code[DRAFT_LOOKUP_BYTES];
	long today = draft_today();
	int rc = -1;

	if (st == NULL)
		return -1;
	if (!f->have_keys) {
		draft_keys_new(&f->keys);
		f->have_keys = 1;
	}
	draft_text(f, &plain);
	draft_lookup(c->app->secret, f->s->id, f->keys.id, lookup);
	if (!buf_failed(&plain))
		draft_seal(f->keys.key, lookup, plain.p, plain.len, &box);
	if (f->code != NULL)
		draft_code_lookup(c->app->secret, f->s->id, f->code, code);
	f->expires = today + c->app->cfg->draft_days;
	if (!buf_failed(&plain) && !buf_failed(&box) && store_draft_put(st, lookup, f->expires,
	    box.p, box.len, f->code ? code : NULL, today) == STORE_OK)
		rc = 0;
	if (rc == 0 && f->prg)
		flow_draft_cookie(f);
	if (plain.p != NULL)
		sodium_memzero(plain.p, plain.cap);
	buf_free(&plain);
	buf_free(&box);
	return rc;
}

/* Answers of d, except those to questions of page `except` shown there. */
static int
merge(struct flow *f, const struct answer_set *d, long except)
{
	struct survey_vis v;
	int rc = 0;

	memset(&v, 0, sizeof(v));
	if (survey_vis_settle(&v, f->s, d) != 0)
		return -1;
	for (size_t i = 0; i < d->n && rc == 0; i++) {
		const struct answer *an = &d->v[i];
		if (except >= 0 && (long)f->s->qs[an->q].page == except && v.q[an->q])
			continue;
		rc = answer_set_add(&f->as, an->q, an->value, an->pos);
	}
	survey_vis_free(&v);
	return rc;
}

int
flow_draft_apply(struct flow *f, const char *plain, size_t n, long except)
{
	struct kvlist kv;
	struct answer_set d = { 0 };
	const char *nonce, *ch, *code;
	char codebuf[DRAFT_CODE_LEN + 1];
	int rc = -1;

	if (form_parse(plain, n, NULL, f->c->a, &kv) != FORM_OK)
		return -1;
	nonce = kv_get(&kv, "_n");
	ch = kv_get(&kv, "_c");
	if (!hex_token_ok(nonce, FLOW_NONCE_HEX) ||
	    ch == NULL || channel_from_name(ch) == CH__MAX)
		return -1;
	f->nonce = nonce;
	f->channel = ch;
	f->lang = view_set_lang(f->c, kv_get(&kv, "_l"));
	f->at = page_from_key(f->s, kv_get(&kv, "_a"));
	code = kv_get(&kv, "_k");
	f->code = code && draft_code_parse(code, codebuf) == 0 ? arena_strdup(f->c->a, codebuf)
	    : NULL;
	for (size_t i = 0; i < kv.n; i++)
		if (flow_take_field(f, &d, &kv.v[i]) < 0)
			goto out;	/* a field the survey no longer has is dropped */
	rc = merge(f, &d, except);
out:
	answer_set_free(&d);
	return rc;
}

int
flow_draft_open(struct flow *f, long except)
{
	struct ctx *c = f->c;
	struct store *st;
	struct buf box = BUF_INIT, plain = BUF_INIT;
	unsigned char lookup[DRAFT_LOOKUP_BYTES];
	enum store_err e;
	int rc = 0;

	if ((st = app_store(c->app)) == NULL)
		return -1;
	draft_lookup(c->app->secret, f->s->id, f->keys.id, lookup);
	e = store_draft_get(st, lookup, draft_today(), &box, &f->expires);
	if (e != STORE_OK && e != STORE_NOTFOUND)
		rc = -1;
	else if (e == STORE_OK && draft_open(f->keys.key, lookup, box.p, box.len, &plain) == 0) {
		char *copy = arena_strndup(c->a, plain.p ? plain.p : "", plain.len);
		rc = copy == NULL ? -1 : flow_draft_apply(f, copy, plain.len, except) == 0 ? 1 : -1;
	}
	if (plain.p != NULL)
		sodium_memzero(plain.p, plain.cap);
	buf_free(&plain);
	buf_free(&box);
	return rc;
}

int
flow_draft_load(struct flow *f, long except)
{
	int rc;

	if (draft_keys_parse(kv_get(&f->c->req->cookies, DRAFT_COOKIE), &f->keys) != 0)
		return 0;
	f->have_keys = 1;
	if ((rc = flow_draft_open(f, except)) <= 0) {
		f->have_keys = 0;
		sodium_memzero(&f->keys, sizeof(f->keys));
	}
	return rc;
}

void
flow_draft_forget(struct flow *f)
{
	struct ctx *c = f->c;
	const char *path = arena_printf(c->a, "/s/%s", f->s->id);

	if (kv_get(&c->req->cookies, DRAFT_COOKIE) != NULL && path != NULL)
		resp_cookie_lax(c->resp, c->a, DRAFT_COOKIE, "", path, 0, c->req->https);
}

void
flow_draft_erase(struct flow *f)
{
	struct ctx *c = f->c;
	struct store *st = app_store(c->app);
	unsigned char lookup[DRAFT_LOOKUP_BYTES], code[DRAFT_LOOKUP_BYTES];

	if (f->have_keys && st != NULL) {
		draft_lookup(c->app->secret, f->s->id, f->keys.id, lookup);
		if (f->code != NULL)
			draft_code_lookup(c->app->secret, f->s->id, f->code, code);
		(void)!store_draft_del(st, lookup, f->code ? code : NULL);
	}
	flow_draft_forget(f);
	f->have_keys = 0;
	sodium_memzero(&f->keys, sizeof(f->keys));
}

void
flow_go(struct flow *f, long p, int status)
{
	if (f->prg && p < 0 && !f->have_keys) {	/* nothing to keep yet: no draft */
		resp_redirect(f->c->resp, f->c->a, 303, flow_url(f, p, 0));
		return;
	}
	if (f->prg) {
		f->at = p;
		if (flow_draft_save(f) == 0) {
			resp_redirect(f->c->resp, f->c->a, 303, flow_url(f, p, status == 422));
			return;
		}
		f->prg = 0;	/* not saved: the page carries the draft, as without cookies */
	}
	f->draft = 0;
	flow_render_page(f, p, status);
}

int
flow_draft_for_get(struct ctx *c, struct flow *f)
{
	int got;

	flow_init(f, c);
	f->draft = f->prg = 1;
	got = flow_cookies_on(c) ? flow_draft_load(f, -2) : 0;
	if (got > 0 && (f->errs = arena_calloc(c->a, f->s->nqs + 1, sizeof(*f->errs))) != NULL &&
	    flow_settle(f) == 0)
		return 0;
	if (got == 0)
		resp_redirect(c->resp, c->a, 303, arena_printf(c->a, "%s&gone=1",
		    flow_url(f, PAGE_START, 0)));
	else
		page_error(c, 503, "try_again");
	survey_vis_free(&f->vis);
	answer_set_free(&f->as);
	return -1;
}

void
h_survey_step(struct ctx *c)
{
	const char *n = kv_get(&c->req->query, "n");
	char *end;
	long p = n ? strtol(n, &end, 10) - 1 : -1;
	struct flow f;
	int status = 200;

	if (n == NULL || *end != '\0' || p < 0 || p >= (long)c->survey->npages) {
		page_error(c, 404, "not_found");
		return;
	}
	if (flow_draft_for_get(c, &f) != 0)
		return;
	f.ret = kv_get(&c->req->query, "r") != NULL;
	f.seen = kv_get(&c->req->query, "s");
	if (f.seen != NULL && (strlen(f.seen) != f.s->npages || f.seen[strspn(f.seen, "01")] != '\0'))
		f.seen = NULL;
	f.page = p;
	if (!f.vis.page[p])	/* closed by a later change: on to the next open one */
		resp_redirect(c->resp, c->a, 303, flow_url(&f, flow_next_visible(&f, p, 1), 0));
	else {
		if (kv_get(&c->req->query, "e") != NULL && !flow_check_page(&f, p))
			status = 422;
		flow_render_page(&f, p, status);
	}
	survey_vis_free(&f.vis);
	answer_set_free(&f.as);
}

void
h_survey_check(struct ctx *c)
{
	struct flow f;

	if (flow_draft_for_get(c, &f) != 0)
		return;
	f.page = (long)f.s->npages;
	flow_render_check(&f, 200);
	survey_vis_free(&f.vis);
	answer_set_free(&f.as);
}
