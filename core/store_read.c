/* store_read: streaming every response with its answers, for the analysis tool.
 * One query walks response in id order (its primary key), one row per
 * response; its answers column is read here (unpack_answer), already by
 * question then pos (store_int.h), so nothing is sorted.  That order is
 * checked as each answer arrives: out of order is STORE_CORRUPT (the k-th
 * text belongs to the k-th null).  A response's texts are opened once, at
 * its first text answer, and handed out in turn.  Everything is gathered
 * into buffers that live for the whole walk and only grow: no allocation per
 * response.  Strings are kept as offsets while gathering (the buffer may
 * move) and turned into pointers just before the callback. */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "store_int.h"

enum col { C_ID, C_SURVEY, C_VERSION, C_CHANNEL, C_LANG, C_DAY, C_ANSWERS, C_TEXTS, C_KEY,
	C_FLAGGED };

struct offsets {
	size_t q, v;
};

struct gather {
	struct store_response	 r;
	struct store_answer	*v;
	struct offsets		*off;
	size_t			 n, cap;
	char			*text;
	size_t			 tlen, tcap;
	size_t			 o_survey, o_channel, o_lang, o_day;
	struct pbuf		 plain;		/* the response's opened texts, as pieces */
	const unsigned char	*pcur;		/* the next of them; NULL: not opened yet */
};

void
store_read_free(struct store *st)
{
	free(st->keys);
	st->keys = NULL;
	st->nkeys = st->capkeys = 0;
}

/* Reloads every period public key; there are few (one per period). */
static enum store_err
load_keys(struct store *st)
{
	struct db_stmt	*q = st->stmt[ST_SEAL_KEYS];
	int		 rc;

	st->nkeys = 0;
	while ((rc = db_step(q)) == DB_ROW) {
		if (st->nkeys == st->capkeys) {
			size_t n = st->capkeys ? 2 * st->capkeys : 64;
			struct store_key *k = realloc(st->keys, n * sizeof *k);
			if (k == NULL) {
				db_reset(q);
				return STORE_NOMEM;
			}
			st->keys = k;
			st->capkeys = n;
		}
		if (db_column_bytes(q, 1) != SEAL_KEY_BYTES)
			continue;
		st->keys[st->nkeys].id = db_column_int64(q, 0);
		memcpy(st->keys[st->nkeys].pk, db_column_blob(q, 1), SEAL_KEY_BYTES);
		st->nkeys++;
	}
	db_reset(q);
	return store_err_of(rc);
}

static const unsigned char *
find_key(const struct store *st, int64_t id)
{
	size_t lo = 0, hi = st->nkeys;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (st->keys[mid].id == id)
			return st->keys[mid].pk;
		if (st->keys[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Room for n more bytes of text. */
static int
text_room(struct gather *g, size_t n)
{
	if (n > SIZE_MAX / 2 - g->tlen)
		return -1;
	if (g->tlen + n > g->tcap) {
		size_t	 cap = g->tcap ? g->tcap : 4096;
		char	*p;
		while (cap < g->tlen + n)
			cap *= 2;
		if ((p = realloc(g->text, cap)) == NULL)
			return -1;
		g->text = p;
		g->tcap = cap;
	}
	return 0;
}

/* Appends a column's text with its NUL; *off gets where it starts. */
static int
add_col(struct gather *g, struct db_stmt *q, int col, size_t *off)
{
	const char		*p = db_column_text(q, col);
	size_t			 n = (size_t)db_column_bytes(q, col);

	if (text_room(g, n + 1) != 0)
		return -1;
	*off = g->tlen;
	if (n > 0)
		memcpy(g->text + g->tlen, p, n);
	g->text[g->tlen + n] = '\0';
	g->tlen += n + 1;
	return 0;
}

static enum store_err
begin_response(struct gather *g, struct db_stmt *q)
{
	g->n = 0;
	g->tlen = 0;
	g->pcur = NULL;
	g->r.id = db_column_int64(q, C_ID);
	g->r.version = db_column_int(q, C_VERSION);
	g->r.flagged = db_column_int(q, C_FLAGGED) != 0;
	if (add_col(g, q, C_SURVEY, &g->o_survey) != 0 ||
	    add_col(g, q, C_CHANNEL, &g->o_channel) != 0 ||
	    add_col(g, q, C_LANG, &g->o_lang) != 0 ||
	    add_col(g, q, C_DAY, &g->o_day) != 0)
		return STORE_NOMEM;
	return STORE_OK;
}

/* Opens one sealed blob and appends its text to g->plain. */
static enum store_err
open_one(struct opener *op, struct gather *g, int64_t key, const unsigned char *pk,
    const unsigned char *blob, size_t n)
{
	if (n < SEAL_OVERHEAD)
		return STORE_CORRUPT;
	if (pbuf_room(&g->plain, n - SEAL_OVERHEAD) != 0)
		return STORE_NOMEM;
	if (opener_open(op, key, pk, blob, n, g->plain.p + g->plain.n) != 0)
		return STORE_CORRUPT;
	g->plain.n += n - SEAL_OVERHEAD;
	return STORE_OK;
}

/* Opens every old-form seal (one per text) into g->plain as pieces. */
static enum store_err
open_pieces(struct opener *op, struct gather *g, int64_t key, const unsigned char *pk,
    const unsigned char *p, const unsigned char *end)
{
	const unsigned char	*blob;
	size_t			 n;
	enum store_err		 er;

	while (p < end) {
		if ((blob = unpack_piece(&p, end, &n)) == NULL || n < SEAL_OVERHEAD)
			return STORE_CORRUPT;
		if (pack_len(&g->plain, n - SEAL_OVERHEAD) != 0)
			return STORE_NOMEM;
		if ((er = open_one(op, g, key, pk, blob, n)) != STORE_OK)
			return er;
	}
	return STORE_OK;
}

/* Opens the response's texts column into g->plain, once per response. */
static enum store_err
open_texts(struct store *st, struct opener *op, struct gather *g, struct db_stmt *q)
{
	const unsigned char	*blob = db_column_blob(q, C_TEXTS);
	size_t			 n = (size_t)db_column_bytes(q, C_TEXTS);
	int64_t			 key = db_column_int64(q, C_KEY);
	const unsigned char	*pk;
	enum store_err		 er;

	if (blob == NULL || n < 1)
		return STORE_CORRUPT;
	if ((pk = find_key(st, key)) == NULL) {
		if ((er = load_keys(st)) != STORE_OK)
			return er;
		if ((pk = find_key(st, key)) == NULL)
			return STORE_CORRUPT;
	}
	sodium_memzero(g->plain.p, g->plain.n);
	g->plain.n = 0;
	if (blob[0] == TEXTS_ONE_SEAL)
		er = open_one(op, g, key, pk, blob + 1, n - 1);
	else if (blob[0] == TEXTS_PIECES)
		er = open_pieces(op, g, key, pk, blob + 1, blob + n);
	else
		er = STORE_CORRUPT;
	if (er == STORE_OK && pbuf_room(&g->plain, 1) != 0)
		er = STORE_NOMEM;	/* so that pcur is never NULL, even for no bytes */
	g->pcur = g->plain.p;
	return er;
}

/* The response's next text into the text buffer. */
static enum store_err
next_text(struct store *st, struct opener *op, struct gather *g, struct db_stmt *q, size_t *off)
{
	const unsigned char	*t;
	size_t			 n;
	enum store_err		 er;

	if (g->pcur == NULL && (er = open_texts(st, op, g, q)) != STORE_OK)
		return er;
	if ((t = unpack_piece(&g->pcur, g->plain.p + g->plain.n, &n)) == NULL)
		return STORE_CORRUPT;	/* fewer texts than the answers name */
	if (text_room(g, n + 1) != 0)
		return STORE_NOMEM;
	*off = g->tlen;
	memcpy(g->text + g->tlen, t, n);
	g->text[g->tlen + n] = '\0';
	g->tlen += n + 1;
	return STORE_OK;
}

/* Whether answer b (question at offset b->q, pos pb) comes after answer a. */
static int
in_order(const struct gather *g, const struct offsets *a, int pa, const struct offsets *b,
    int pb)
{
	int c = strcmp(g->text + a->q, g->text + b->q);

	return c < 0 || (c == 0 && pa < pb);
}

/* Room for one more answer. */
static enum store_err
answer_room(struct gather *g)
{
	if (g->n == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 64;
		struct store_answer *v = realloc(g->v, cap * sizeof *v);
		struct offsets *off = v ? realloc(g->off, cap * sizeof *off) : NULL;
		if (v != NULL)
			g->v = v;
		if (off == NULL)
			return STORE_NOMEM;
		g->off = off;
		g->cap = cap;
	}
	return STORE_OK;
}

/* Keeps the answer just decoded at g->tlen (question, then for a closed one
 * its value); a text is opened now, or skipped without an opener. */
static enum store_err
keep_answer(struct store *st, struct opener *op, struct gather *g, struct db_stmt *q,
    size_t qn, int pos, size_t vn)
{
	int		 text = vn == SIZE_MAX;
	struct offsets	 o = { g->tlen, g->tlen + qn + 1 };
	enum store_err	 er;

	if (text && op == NULL)
		return STORE_OK;
	if ((er = answer_room(g)) != STORE_OK)
		return er;
	g->tlen += qn + 1 + (text ? 0 : vn + 1);
	if (g->n > 0 && !in_order(g, &g->off[g->n - 1], g->v[g->n - 1].pos, &o, pos))
		return STORE_CORRUPT;
	if (text && (er = next_text(st, op, g, q, &o.v)) != STORE_OK)
		return er;
	g->v[g->n].pos = pos;
	g->v[g->n].text = text;
	g->v[g->n].len = text ? strlen(g->text + o.v) : vn;
	g->off[g->n++] = o;
	return STORE_OK;
}

/* Every answer of the response in the current row. */
static enum store_err
add_answers(struct store *st, struct opener *op, struct gather *g, struct db_stmt *q)
{
	const char	*s = (const char *)db_column_text(q, C_ANSWERS);
	size_t		 n = (size_t)db_column_bytes(q, C_ANSWERS), qn, vn;
	struct jcur	 c;
	int		 pos, rc;
	enum store_err	 er;

	if (s == NULL || unpack_begin(&c, s, n) != 0)
		return STORE_CORRUPT;
	for (;;) {
		if (text_room(g, n) != 0)	/* what is left of the column, decoded, fits */
			return STORE_NOMEM;
		if ((rc = unpack_answer(&c, g->text + g->tlen, &qn, &pos, &vn)) <= 0)
			return rc == 0 ? STORE_OK : STORE_CORRUPT;
		if ((er = keep_answer(st, op, g, q, qn, pos, vn)) != STORE_OK)
			return er;
	}
}

/* Turns the offsets into pointers and hands the response over. */
static int
deliver(struct gather *g, int (*fn)(void *, const struct store_response *), void *ctx)
{
	for (size_t i = 0; i < g->n; i++) {
		g->v[i].question = g->text + g->off[i].q;
		g->v[i].value = g->text + g->off[i].v;
	}
	g->r.survey = g->text + g->o_survey;
	g->r.channel = g->text + g->o_channel;
	g->r.lang = g->text + g->o_lang;
	g->r.day = g->text + g->o_day;
	g->r.answers = g->v;
	g->r.nanswers = g->n;
	return fn(ctx, &g->r);
}

static enum store_err
walk(struct store *st, struct db_stmt *q, struct opener *op, struct gather *g,
    int (*fn)(void *, const struct store_response *), void *ctx)
{
	int		 rc;
	enum store_err	 er;

	while ((rc = db_step(q)) == DB_ROW) {
		if ((er = begin_response(g, q)) != STORE_OK ||
		    (er = add_answers(st, op, g, q)) != STORE_OK)
			return er;
		if (deliver(g, fn, ctx) != 0)
			return STORE_OK;
	}
	return store_err_of(rc);
}

/* Walks the rows of q (bound) and resets it. */
static enum store_err
walk_rows(struct store *st, struct db_stmt *q, struct opener *op,
    int (*fn)(void *ctx, const struct store_response *r), void *ctx)
{
	struct gather	 g;
	enum store_err	 er;

	memset(&g, 0, sizeof g);
	er = walk(st, q, op, &g, fn, ctx);
	db_reset(q);
	db_clear_bindings(q);
	if (g.text != NULL)	/* opened free text passed through here */
		sodium_memzero(g.text, g.tcap);
	free(g.text);
	pbuf_free(&g.plain, 1);
	free(g.v);
	free(g.off);
	return er;
}

enum store_err
store_each_response(struct store *st, const char *survey, struct opener *op,
    int (*fn)(void *ctx, const struct store_response *r), void *ctx)
{
	if (db_bind_text(st->stmt[ST_EACH], 1, survey, -1) != DB_OK)
		return STORE_INVALID;
	return walk_rows(st, st->stmt[ST_EACH], op, fn, ctx);
}

enum store_err
store_read_rows(struct store *st, struct db_stmt *q,
    int (*fn)(void *ctx, const struct store_response *r), void *ctx)
{
	return walk_rows(st, q, NULL, fn, ctx);
}
