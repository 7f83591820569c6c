/* store_bulk: a batch of submissions in one statement, on PostgreSQL.
 * Each column of the batch's rows travels as one array parameter (text
 * form: "{...}", every element quoted, bytea as hex); one INSERT ... SELECT
 * FROM unnest(...) writes the responses, and two data-modifying WITH
 * clauses of the same statement the nonce rows and the device rows: one
 * round trip and one statement for the whole batch, where form by form
 * they are two or three each.  The rows are exactly those add_one of
 * store_add.c writes: the same nonce hash, the same random ids, the answers
 * packed and the texts sealed by the same code (store_pack_response).
 *
 * A statement fails whole: a duplicate nonce, a device used, a refused
 * form or a clashing id anywhere in the batch fails it (and the
 * transaction), and the batch is added again form by form, in savepoints,
 * where each form gets its own result. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store_int.h"

/* The array parameters, ?1 .. ?C__MAX in that order. */
enum col {
	C_NONCE, C_DEV_SURVEY, C_DEV_HASH, C_ID, C_SURVEY, C_DAY, C_VERSION,
	C_DEF_HASH, C_CHANNEL, C_LANG, C_ANSWERS, C_TEXTS, C_KEY, C_FLAGGED, C__MAX
};

static const char *const sql[] = {
	"WITH n AS (INSERT INTO used_nonce (hash, day)"
	" SELECT * FROM unnest(?1::bytea[], ?6::text[])),"
	" d AS (INSERT INTO device (survey, hash)"
	" SELECT * FROM unnest(?2::text[], ?3::bytea[]))"
	" INSERT INTO response (id, survey, version, def_hash, channel, lang, day,"
	" answers, texts, texts_key, flagged)"
	" SELECT * FROM unnest(?4::bigint[], ?5::text[], ?7::bigint[], ?8::text[],"
	" ?9::text[], ?10::text[], ?6::text[], ?11::text[], ?12::bytea[], ?13::bigint[],"
	" ?14::integer[])",
};

static const struct store_table table = { TAB_BULK, sql, 1, 0, 0 };

/* The batch's columns as array literals being built, and its ids. */
struct bulk {
	struct pbuf	 col[C__MAX];
	int64_t		*id;
};

/* Opens the next element of array c ("{" or ","). */
static int
next(struct bulk *b, enum col c)
{
	return pbuf_add(&b->col[c], b->col[c].n == 0 ? "{" : ",", 1);
}

/* Appends s (n bytes) quoted, '"' and '\' escaped. */
static int
put_text(struct bulk *b, enum col c, const char *s, size_t n)
{
	struct pbuf	*p = &b->col[c];
	size_t		 run = 0;

	if (next(b, c) != 0 || pbuf_add(p, "\"", 1) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '"' && s[i] != '\\')
			continue;
		if (pbuf_add(p, s + run, i - run) != 0 || pbuf_add(p, "\\", 1) != 0)
			return -1;
		run = i;
	}
	return pbuf_add(p, s + run, n - run) != 0 || pbuf_add(p, "\"", 1) != 0 ? -1 : 0;
}

static int
put_str(struct bulk *b, enum col c, const char *s)
{
	return put_text(b, c, s, strlen(s));
}

/* Appends bytea v (n bytes) in hex: "\\x..." inside the array. */
static int
put_hex(struct bulk *b, enum col c, const unsigned char *v, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	struct pbuf	*p = &b->col[c];

	if (next(b, c) != 0 || pbuf_room(p, 2 * n + 6) != 0)
		return -1;
	memcpy(p->p + p->n, "\"\\\\x", 4);
	p->n += 4;
	for (size_t i = 0; i < n; i++) {
		p->p[p->n++] = digits[v[i] >> 4];
		p->p[p->n++] = digits[v[i] & 15];
	}
	p->p[p->n++] = '"';
	return 0;
}

static int
put_int(struct bulk *b, enum col c, int64_t v)
{
	char num[24];

	return put_text(b, c, num, (size_t)snprintf(num, sizeof num, "%lld", (long long)v));
}

static int
put_null(struct bulk *b, enum col c)
{
	return next(b, c) != 0 || pbuf_add(&b->col[c], "NULL", 4) != 0 ? -1 : 0;
}

/* The response's columns of one submission (its day, its id). */
static enum store_err
add_response(struct store *st, struct bulk *b, const struct submission *sub, const char *day,
    int64_t id)
{
	size_t		 tlen;
	enum store_err	 er;

	if ((er = store_pack_response(st, sub, &tlen)) != STORE_OK)
		return er;
	if (put_int(b, C_ID, id) != 0 || put_str(b, C_SURVEY, sub->survey) != 0 ||
	    put_str(b, C_DAY, day) != 0 || put_int(b, C_VERSION, sub->version) != 0 ||
	    put_str(b, C_DEF_HASH, sub->def_hash) != 0 ||
	    put_str(b, C_CHANNEL, sub->channel) != 0 || put_str(b, C_LANG, sub->lang) != 0 ||
	    put_text(b, C_ANSWERS, (const char *)st->json.p, st->json.n) != 0 ||
	    put_int(b, C_FLAGGED, sub->flagged != 0) != 0)
		return STORE_NOMEM;
	if (tlen == 0)
		return put_null(b, C_TEXTS) != 0 || put_null(b, C_KEY) != 0 ? STORE_NOMEM : STORE_OK;
	return put_hex(b, C_TEXTS, st->sealbuf, tlen) != 0 ||
	    put_int(b, C_KEY, st->key_id) != 0 ? STORE_NOMEM : STORE_OK;
}

/* One submission's rows into the arrays; STORE_INVALID when it is refused
 * before the database sees it (add_one's checks). */
static enum store_err
add_form(struct store *st, struct bulk *b, const struct submission *sub, int64_t id)
{
	unsigned char	 h[32];
	char		 today[11];
	const char	*day = sub->day;
	enum store_err	 er;

	if (sub->survey == NULL || sub->def_hash == NULL || sub->channel == NULL ||
	    sub->lang == NULL)
		return STORE_INVALID;
	if (day == NULL) {
		store_today(today);
		day = today;
	}
	store_nonce_hash(st, sub->nonce, h);
	if (put_hex(b, C_NONCE, h, sizeof h) != 0 || (sub->device != NULL &&
	    (put_str(b, C_DEV_SURVEY, sub->survey) != 0 ||
	    put_hex(b, C_DEV_HASH, sub->device, STORE_DEVICE_BYTES) != 0)))
		return STORE_NOMEM;
	for (size_t i = 0; i < sub->nanswers; i++)
		if (sub->answers[i].text) {
			if ((er = store_ensure_sealer(st)) != STORE_OK)
				return er;
			break;
		}
	return add_response(st, b, sub, day, id);
}

/* Binds the arrays, closed, to q. */
static enum store_err
bind_all(struct db_stmt *q, struct bulk *b)
{
	for (int c = 0; c < C__MAX; c++) {
		if ((b->col[c].n == 0 && pbuf_add(&b->col[c], "{", 1) != 0) ||
		    pbuf_add(&b->col[c], "}", 1) != 0)
			return STORE_NOMEM;
		if (b->col[c].n > INT_MAX)
			return STORE_INVALID;
		if (db_bind_text(q, c + 1, (const char *)b->col[c].p, (int)b->col[c].n) != DB_OK)
			return STORE_NOMEM;
	}
	return STORE_OK;
}

/* Runs the statement; every response must have been inserted. */
static enum store_err
run(struct store *st, struct bulk *b, size_t n)
{
	enum store_err	 er;
	struct db_stmt	*q = store_table_stmt(st, &table, 0, &er);
	int		 rc;

	if (q == NULL)
		return er;
	if ((er = bind_all(q, b)) == STORE_OK) {
		rc = db_step(q);
		db_reset(q);
		er = store_err_of(rc);
		if (er == STORE_OK && db_changes(st->db) != (int64_t)n)
			er = STORE_IO;
	}
	db_clear_bindings(q);
	return er;
}

enum store_err
store_bulk_add(struct store *st, struct submission *const *subs, size_t n, int *again)
{
	struct bulk	 b = { 0 };
	enum store_err	 er = STORE_NOMEM;

	*again = 0;
	if ((b.id = calloc(n, sizeof *b.id)) == NULL)
		return STORE_NOMEM;
	for (size_t i = 0; i < n; i++)
		if ((er = add_form(st, &b, subs[i], b.id[i] = store_random_id())) != STORE_OK)
			goto out;
	if ((er = run(st, &b, n)) != STORE_OK)
		goto out;
	for (size_t i = 0; i < n; i++)
		store_count_added(st, i, b.id[i]);
out:
	*again = er == STORE_INVALID;
	for (int c = 0; c < C__MAX; c++)
		pbuf_free(&b.col[c], 0);
	free(b.id);
	return er;
}
