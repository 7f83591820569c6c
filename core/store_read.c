/* store_read: streaming every response with its answers, for the analysis tool.
 * One query walks response joined to answer in (response id, question, pos)
 * order, which both primary keys already give, so SQLite sorts nothing.  The
 * rows of one response are gathered into buffers that live for the whole
 * walk and only grow: no allocation per row.  Strings are kept as offsets
 * while gathering (the buffer may move) and turned into pointers just before
 * the callback. */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "store_int.h"

enum col { C_ID, C_SURVEY, C_VERSION, C_CHANNEL, C_LANG, C_DAY, C_QUESTION, C_POS,
	C_VALUE, C_SEALED, C_KEY };

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
	sqlite3_stmt	*q = st->stmt[ST_SEAL_KEYS];
	int		 rc;

	st->nkeys = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (st->nkeys == st->capkeys) {
			size_t n = st->capkeys ? 2 * st->capkeys : 64;
			struct store_key *k = realloc(st->keys, n * sizeof *k);
			if (k == NULL) {
				sqlite3_reset(q);
				return STORE_NOMEM;
			}
			st->keys = k;
			st->capkeys = n;
		}
		if (sqlite3_column_bytes(q, 1) != SEAL_KEY_BYTES)
			continue;
		st->keys[st->nkeys].id = sqlite3_column_int64(q, 0);
		memcpy(st->keys[st->nkeys].pk, sqlite3_column_blob(q, 1), SEAL_KEY_BYTES);
		st->nkeys++;
	}
	sqlite3_reset(q);
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
add_col(struct gather *g, sqlite3_stmt *q, int col, size_t *off)
{
	const unsigned char	*p = sqlite3_column_text(q, col);
	size_t			 n = (size_t)sqlite3_column_bytes(q, col);

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
begin_response(struct gather *g, sqlite3_stmt *q)
{
	g->n = 0;
	g->tlen = 0;
	g->r.id = sqlite3_column_int64(q, C_ID);
	g->r.version = sqlite3_column_int(q, C_VERSION);
	if (add_col(g, q, C_SURVEY, &g->o_survey) != 0 ||
	    add_col(g, q, C_CHANNEL, &g->o_channel) != 0 ||
	    add_col(g, q, C_LANG, &g->o_lang) != 0 ||
	    add_col(g, q, C_DAY, &g->o_day) != 0)
		return STORE_NOMEM;
	return STORE_OK;
}

/* Opens a sealed text into the text buffer. */
static enum store_err
open_text(struct store *st, struct opener *op, struct gather *g, sqlite3_stmt *q, size_t *off)
{
	const unsigned char	*blob = sqlite3_column_blob(q, C_SEALED);
	size_t			 n = (size_t)sqlite3_column_bytes(q, C_SEALED);
	int64_t			 key = sqlite3_column_int64(q, C_KEY);
	const unsigned char	*pk;
	enum store_err		 er;

	if ((pk = find_key(st, key)) == NULL) {
		if ((er = load_keys(st)) != STORE_OK)
			return er;
		if ((pk = find_key(st, key)) == NULL)
			return STORE_CORRUPT;
	}
	if (n < SEAL_OVERHEAD)
		return STORE_CORRUPT;
	if (text_room(g, n - SEAL_OVERHEAD + 1) != 0)
		return STORE_NOMEM;
	if (opener_open(op, key, pk, blob, n, (unsigned char *)g->text + g->tlen) != 0)
		return STORE_CORRUPT;
	*off = g->tlen;
	g->text[g->tlen + n - SEAL_OVERHEAD] = '\0';
	g->tlen += n - SEAL_OVERHEAD + 1;
	return STORE_OK;
}

static enum store_err
add_answer_row(struct store *st, struct opener *op, struct gather *g, sqlite3_stmt *q)
{
	int		 sealed = sqlite3_column_type(q, C_SEALED) != SQLITE_NULL;
	struct offsets	 o;
	enum store_err	 er;

	if (sqlite3_column_type(q, C_QUESTION) == SQLITE_NULL || (sealed && op == NULL))
		return STORE_OK;	/* a response without answers, or a skipped text */
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
	if (add_col(g, q, C_QUESTION, &o.q) != 0)
		return STORE_NOMEM;
	if (sealed)
		er = open_text(st, op, g, q, &o.v);
	else
		er = add_col(g, q, C_VALUE, &o.v) != 0 ? STORE_NOMEM : STORE_OK;
	if (er != STORE_OK)
		return er;
	g->v[g->n].pos = sqlite3_column_int(q, C_POS);
	g->v[g->n].text = sealed;
	g->v[g->n].len = strlen(g->text + o.v);
	g->off[g->n++] = o;
	return STORE_OK;
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
walk(struct store *st, struct opener *op, struct gather *g,
    int (*fn)(void *, const struct store_response *), void *ctx)
{
	sqlite3_stmt	*q = st->stmt[ST_EACH];
	int		 rc, have = 0;
	enum store_err	 er;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (!have || sqlite3_column_int64(q, C_ID) != g->r.id) {
			if (have && deliver(g, fn, ctx) != 0)
				return STORE_OK;
			if ((er = begin_response(g, q)) != STORE_OK)
				return er;
			have = 1;
		}
		if ((er = add_answer_row(st, op, g, q)) != STORE_OK)
			return er;
	}
	if (rc != SQLITE_DONE)
		return store_err_of(rc);
	if (have)
		(void)deliver(g, fn, ctx);
	return STORE_OK;
}

enum store_err
store_each_response(struct store *st, const char *survey, struct opener *op,
    int (*fn)(void *ctx, const struct store_response *r), void *ctx)
{
	sqlite3_stmt	*q = st->stmt[ST_EACH];
	struct gather	 g;
	enum store_err	 er;

	memset(&g, 0, sizeof g);
	if (sqlite3_bind_text(q, 1, survey, -1, SQLITE_STATIC) != SQLITE_OK)
		return STORE_INVALID;
	er = walk(st, op, &g, fn, ctx);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (g.text != NULL)	/* opened free text passed through here */
		sodium_memzero(g.text, g.tcap);
	free(g.text);
	free(g.v);
	free(g.off);
	return er;
}
