/* flow_done: the confirmation and privacy pages, and the signed link that
 * lets the confirmation say "received" only to a browser sent there by a
 * stored response. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sodium.h>
#include "flow.h"
#include "handlers.h"
#include "view.h"

#define DONE_TTL	1800	/* seconds a confirmation link says "received" */

/* The keyed hash behind a confirmation link: BLAKE2b(key = server secret,
 * "done:" || survey id || ":" || expiry [|| ":s" when flagged]), 16 bytes.
 * Survey ids have no ':'.  The flag is only in the hash, so the address of a
 * flagged confirmation looks like any other in the browser's history. */
static void
done_mac(unsigned char out[16], const unsigned char secret[32], const char *survey,
    long long expiry, int flagged)
{
	crypto_generichash_state st;
	char ex[32];

	snprintf(ex, sizeof(ex), ":%lld%s", expiry, flagged ? ":s" : "");
	crypto_generichash_init(&st, secret, 32, 16);
	crypto_generichash_update(&st, (const unsigned char *)"done:", 5);
	crypto_generichash_update(&st, (const unsigned char *)survey, strlen(survey));
	crypto_generichash_update(&st, (const unsigned char *)ex, strlen(ex));
	crypto_generichash_final(&st, out, 16);
}

/* "EXPIRY.MAC": proof, for DONE_TTL seconds, that this link came from a
 * stored response; it names no response.  In the arena; NULL on OOM. */
static const char *
done_token(struct ctx *c, int flagged)
{
	long long expiry = (long long)time(NULL) + DONE_TTL;
	unsigned char mac[16];
	char hex[33];

	done_mac(mac, c->app->secret, c->survey->id, expiry, flagged);
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	return arena_printf(c->a, "%lld.%s", expiry, hex);
}

/* 1 when t is a done_token for this survey that has not expired, 2 when
 * it is one of a flagged response; else 0. */
static int
done_token_ok(struct ctx *c, const char *t)
{
	unsigned char want[16], got[16];
	long long now = (long long)time(NULL), expiry;
	const char *dot = t ? strchr(t, '.') : NULL;
	size_t len;
	char *end;

	if (dot == NULL || dot == t || (size_t)(dot - t) > 12 || strlen(dot + 1) != 32 ||
	    strspn(t, "0123456789") != (size_t)(dot - t))
		return 0;
	expiry = strtoll(t, &end, 10);
	if (end != dot || expiry < now || expiry > now + DONE_TTL)
		return 0;
	if (sodium_hex2bin(got, sizeof(got), dot + 1, 32, NULL, &len, NULL) != 0 ||
	    len != sizeof(got))
		return 0;
	done_mac(want, c->app->secret, c->survey->id, expiry, 0);
	if (sodium_memcmp(want, got, sizeof(want)) == 0)
		return 1;
	done_mac(want, c->app->secret, c->survey->id, expiry, 1);
	return sodium_memcmp(want, got, sizeof(want)) == 0 ? 2 : 0;
}

int
flow_confirm(struct flow *f)
{
	struct ctx *c = f->c;
	const char *token = done_token(c, f->flagged);

	if (token == NULL)
		return -1;
	resp_redirect(c->resp, c->a, 303, arena_printf(c->a, "/s/%s/done?l=%s&c=%s&t=%s",
	    f->s->id, c->lang, f->channel, token));
	return 0;
}

/* A page of the survey's own text (confirmation, privacy) under a UI heading;
 * channel (NULL for none) goes on to the link to a new response. */
static struct tdict *
text_page(struct ctx *c, const char *title_key, const struct i18n *text, const char *name,
    const char *channel)
{
	int lang = view_set_lang(c, kv_get(&c->req->query, "l"));
	struct tdict *d = view_page(c, view_text(c, title_key, 0, 0, 0));

	view_paras(d, name, c->a, i18n_get(text, lang));
	tdict_bool(d, "one_per_device", c->survey->one_per_device);
	tdict_str(d, "draft_notice", view_text(c, "draft_notice", c->app->cfg->draft_days, 0, 0));
	tdict_str(d, "channel", channel);
	return d;
}

/* What the confirmation of a flagged response adds: that nobody can reply
 * to an anonymous answer, and who to contact now. */
static void
put_safe(struct ctx *c, struct tdict *d)
{
	const struct help_item *h = &c->survey->safe_line;
	int lang = view_lang(c);
	struct tdict *l;

	tdict_bool(d, "safe", 1);
	tdict_bool(d, "flow_js", 1);
	tdict_str(d, "quick_exit", c->survey->quick_exit);	/* whatever page was marked */
	if (*i18n_get(&h->name, lang) == '\0')
		return;
	l = tdict_add(d, "safe_line");
	tdict_str(l, "name", i18n_get(&h->name, lang));
	if (*i18n_get(&h->detail, lang))
		tdict_str(l, "detail", i18n_get(&h->detail, lang));
	tdict_str(l, "tel", h->tel);
	tdict_str(l, "tel_uri", h->tel_uri);
	tdict_str(l, "url", h->url);
}

/* The confirmation, only for a browser sent here by a stored response within
 * DONE_TTL (anyone else would be told of answers they never sent): others go
 * to the start page. */
void
h_survey_done(struct ctx *c)
{
	const char *ch = kv_get(&c->req->query, "c");

	int ok;

	if (ch != NULL && channel_from_name(ch) == CH__MAX)
		ch = NULL;
	if ((ok = done_token_ok(c, kv_get(&c->req->query, "t"))) != 0) {
		struct tdict *d = text_page(c, "done_title", &c->survey->done, "done", ch);
		if (ok == 2)
			put_safe(c, d);
		else
			view_safe(c, d, (long)c->survey->npages);
		view_render(c, 200, "done", d);
		return;
	}
	view_set_lang(c, kv_get(&c->req->query, "l"));
	resp_redirect(c->resp, c->a, 303, arena_printf(c->a, "/s/%s?l=%s%s%s", c->survey->id,
	    c->lang, ch ? "&c=" : "", ch ? ch : ""));
}

void
h_survey_privacy(struct ctx *c)
{
	c->lang_link = arena_printf(c->a, "/s/%s/privacy", c->survey->id);	/* an id needs no escaping */
	view_render(c, 200, "privacy", text_page(c, "privacy_title", &c->survey->privacy,
	    "privacy", NULL));
}
