/* poll: loading a session with its survey model, the participant's
 * keyed hashes, the join address and its QR code, JSON responses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "esc.h"
#include "poll.h"
#include "qr.h"
#include "sdc.h"
#include "util.h"
#include "view.h"


struct store *
poll_store(struct app *app)
{
	return app_store(app);
}

int
poll_bind(struct ctx *c, struct psess *ps)
{
	if (ps->p.poll_set[0] == '\0')
		ps->s = poll_quick_survey(c, &ps->p);
	else {
		ps->s = survey_find(c->app->surveys, ps->p.poll_set);
		if (ps->s != NULL && ps->s->kind != SK_POLL)
			ps->s = NULL;
	}
	if (ps->s == NULL || ps->s->nqs < (size_t)ps->p.state.nq)
		return -1;
	ps->suppress = sdc_threshold(c->app->cfg->suppress_below,
	    ps->p.poll_set[0] ? ps->s->suppress_below : 0);
	return 0;
}

static int
finish_load(struct ctx *c, enum store_err er, struct psess *ps)
{
	if (er == STORE_NOTFOUND) {
		page_error(c, 404, "poll_not_found");
		return -1;
	}
	if (er != STORE_OK) {
		page_error(c, 503, "try_again");
		return -1;
	}
	if (poll_bind(c, ps) != 0) {
		page_error(c, 404, "poll_not_found");
		return -1;
	}
	c->survey = ps->s;
	view_set_lang(c, NULL);
	return 0;
}

int
poll_load(struct ctx *c, int64_t id, struct psess *ps)
{
	struct store *st = poll_store(c->app);

	memset(ps, 0, sizeof(*ps));
	return finish_load(c, st ? store_poll_get(st, id, c->a, &ps->p) : STORE_IO, ps);
}

int
poll_load_code(struct ctx *c, const char *code, struct psess *ps)
{
	struct store *st = poll_store(c->app);

	memset(ps, 0, sizeof(*ps));
	return finish_load(c, st ? store_poll_find(st, code, c->a, &ps->p) : STORE_IO, ps);
}

int
poll_quick_type_ok(const char *type)
{
	static const char *const ok[] = { "single", "multi", "scale", "ranking", "wordcloud",
		"text", "statements" };

	for (size_t i = 0; type != NULL && i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(type, ok[i]) == 0)
			return 1;
	return 0;
}

static enum qtype
qtype_of(const char *name)
{
	for (int t = 0; t < Q__MAX; t++)
		if (name != NULL && strcmp(name, qtype_names[t]) == 0)
			return (enum qtype)t;
	return Q_SINGLE;
}

/* Options from the lines of text: codes o1, o2, ...; blank lines skipped. */
static void
quick_options(struct ctx *c, struct question *q, const char *text)
{
	const char *p = text ? text : "";

	q->opts = arena_calloc(c->a, QUICK_MAX_OPTIONS, sizeof(*q->opts));
	while (q->opts != NULL && *p && q->nopts < QUICK_MAX_OPTIONS) {
		size_t n = strcspn(p, "\n");
		size_t k = n;
		while (k > 0 && (p[k - 1] == '\r' || p[k - 1] == ' '))
			k--;
		if (k > 0) {
			struct option *o = &q->opts[q->nopts];
			o->code = arena_printf(c->a, "o%zu", q->nopts + 1);
			o->text.s[0] = arena_strndup(c->a, p, k);
			q->nopts++;
		}
		p += n + (p[n] == '\n');
	}
}

const struct survey *
poll_quick_survey(struct ctx *c, const struct store_poll *p)
{
	struct survey *s = arena_calloc(c->a, 1, sizeof(*s));
	struct page *pg = arena_calloc(c->a, 1, sizeof(*pg));
	struct question *q = arena_calloc(c->a, 1, sizeof(*q));

	if (s == NULL || pg == NULL || q == NULL)
		return NULL;
	s->id = "quick";
	s->version = 1;
	s->kind = SK_POLL;
	s->langs[0] = (struct lang){ .code = "en", .name = "English" };
	s->nlangs = 1;
	s->title.s[0] = p->quick_text ? p->quick_text : "";
	s->suppress_below = c->app->cfg->suppress_below;
	pg->id = "quick";
	pg->count = 1;
	q->id = "quick";
	q->type = qtype_of(p->quick_type);
	q->required = 1;
	q->text.s[0] = s->title.s[0];
	q->max_length = q->type == Q_WORDCLOUD ? 40 : 280;
	quick_options(c, q, p->quick_options);
	q->rank = q->nopts < 3 ? (int)q->nopts : 3;
	s->pages = pg;
	s->npages = 1;
	s->qs = q;
	s->nqs = 1;
	return s;
}

const char *
poll_token(struct ctx *c)
{
	const char *t = kv_get(&c->req->cookies, POLL_COOKIE);

	return hex_token_ok(t, POLL_TOKEN_HEX) ? t : NULL;
}

/* BLAKE2b keyed with a key derived from the server secret for `purpose`,
 * over the session id and the token's bytes. */
static int
keyed(struct ctx *c, const char *purpose, int64_t session, const char *token,
    unsigned char out[STORE_VOTER_BYTES])
{
	unsigned char key[32], msg[8 + 16];
	size_t len;

	if (token == NULL || strlen(token) != 32 ||
	    sodium_hex2bin(msg + 8, 16, token, 32, NULL, &len, NULL) != 0 || len != 16)
		return -1;
	for (int i = 0; i < 8; i++)
		msg[i] = (unsigned char)((uint64_t)session >> (8 * i));
	crypto_generichash(key, sizeof(key), (const unsigned char *)purpose, strlen(purpose),
	    c->app->secret, sizeof(c->app->secret));
	crypto_generichash(out, STORE_VOTER_BYTES, msg, sizeof(msg), key, sizeof(key));
	sodium_memzero(key, sizeof(key));
	return 0;
}

int
poll_voter_hash(struct ctx *c, int64_t session, const char *token,
    unsigned char out[STORE_VOTER_BYTES])
{
	return keyed(c, "voices poll voter", session, token, out);
}

int
poll_presence_id(struct ctx *c, int64_t session, const char *token,
    unsigned char out[STORE_VOTER_BYTES])
{
	return keyed(c, "voices poll presence", session, token, out);
}

const char *
poll_join_url(struct ctx *c, const char *code)
{
	const char *base = c->app->cfg->base_url ? c->app->cfg->base_url : "";
	size_t n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	return arena_printf(c->a, "%.*s/j/%s", (int)n, base, code);
}

const char *
poll_qr_svg(struct ctx *c, const char *text)
{
	return qr_svg(c->a, text, view_text(c, "poll_qr_label", 0, 0, 0));
}

void
poll_send_json(struct ctx *c, json_t *j)
{
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;

	buf_reset(&c->resp->body);
	if (s == NULL) {
		c->resp->status = 503;
		c->resp->content_type = "text/plain; charset=utf-8";
		buf_adds(&c->resp->body, "try again\n");
	} else {
		c->resp->content_type = "application/json";
		buf_adds(&c->resp->body, s);
	}
	free(s);
	json_decref(j);
}

int
poll_group_question(const struct survey *s)
{
	static const char *const ids[] = { "age_band", "age", "area", "ward", "where" };

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		long q = survey_question_index(s, ids[i]);
		if (q >= 0 && s->qs[q].type == Q_SINGLE)
			return (int)q;
	}
	return -1;
}
