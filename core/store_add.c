/* store_add: writing a batch of submissions in one transaction (group commit).
 * Each submission runs inside its own savepoint, so a duplicate or a refused
 * one is undone alone while the rest of the batch commits.  Free text is
 * sealed with the store's current sealer before it is bound: plain text never
 * reaches SQLite.  Invariant: st->key_id names a committed seal_key row for
 * st->sealer, or is 0 (the row is inserted by the next transaction that
 * seals). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "store_int.h"

#define SEALER_MAX_TEXTS	10000	/* rotate after this many texts ... */
#define SEALER_MAX_SECONDS	600	/* ... or this age, whichever first */
#define ID_TRIES		8	/* random id collisions are ~never; bound them anyway */

/* A random id in 1 .. 2^63-1. */
static int64_t
random_id(void)
{
	uint64_t v;

	do {
		randombytes_buf(&v, sizeof v);
		v &= INT64_MAX;
	} while (v == 0);
	return (int64_t)v;
}

static int
is_pk_clash(struct store *st, int rc)
{
	return rc == SQLITE_CONSTRAINT_PRIMARYKEY ||
	    (rc == SQLITE_CONSTRAINT && sqlite3_extended_errcode(st->db) ==
	    SQLITE_CONSTRAINT_PRIMARYKEY);
}

/* Steps an insert and resets it; returns the SQLite result code. */
static int
step_insert(sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);

	sqlite3_reset(q);
	return rc;
}

static int
has_text(const struct submission *sub)
{
	for (size_t i = 0; i < sub->nanswers; i++)
		if (sub->answers[i].text)
			return 1;
	return 0;
}

static double
age_seconds(const struct timespec *born)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - born->tv_sec) + (now.tv_nsec - born->tv_nsec) / 1e9;
}

/* Inserts the current sealer's seal_key row under a random id. */
static enum store_err
insert_key(struct store *st)
{
	sqlite3_stmt	*q = st->stmt[ST_SEAL_KEY_ADD];
	int64_t		 id;
	int		 rc = SQLITE_OK;

	for (int t = 0; t < ID_TRIES; t++) {
		id = random_id();
		sqlite3_bind_int64(q, 1, id);
		sqlite3_bind_blob(q, 2, sealer_public(st->sealer), SEAL_KEY_BYTES, SQLITE_STATIC);
		sqlite3_bind_blob(q, 3, st->recipient, SEAL_KEY_BYTES, SQLITE_STATIC);
		if ((rc = step_insert(q)) == SQLITE_DONE) {
			st->key_id = id;
			return STORE_OK;
		}
		if (!is_pk_clash(st, rc))
			break;
	}
	return store_err_of(rc);
}

/* Makes sure a fresh enough sealer exists and its key row is in this
 * transaction.  The old sealer is wiped when it is replaced. */
static enum store_err
ensure_sealer(struct store *st)
{
	if (!st->have_recipient)
		return STORE_INVALID;
	if (st->sealer != NULL && (sealer_count(st->sealer) >= SEALER_MAX_TEXTS ||
	    age_seconds(&st->sealer_born) >= SEALER_MAX_SECONDS)) {
		sealer_free(st->sealer);
		st->sealer = NULL;
	}
	if (st->sealer == NULL) {
		st->key_id = 0;
		if ((st->sealer = sealer_new(st->recipient)) == NULL)
			return STORE_INVALID;	/* a weak recipient key, or no memory */
		clock_gettime(CLOCK_MONOTONIC, &st->sealer_born);
	}
	return st->key_id != 0 ? STORE_OK : insert_key(st);
}

static enum store_err
add_nonce(struct store *st, const struct submission *sub, const char *day)
{
	sqlite3_stmt	*q = st->stmt[ST_NONCE_ADD];
	unsigned char	 h[32];
	int		 rc;

	crypto_generichash(h, sizeof h, sub->nonce, sizeof sub->nonce,
	    st->nonce_key, sizeof st->nonce_key);
	sqlite3_bind_blob(q, 1, h, sizeof h, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, day, -1, SQLITE_STATIC);
	rc = step_insert(q);
	if (is_pk_clash(st, rc))
		return STORE_DUPLICATE;
	return store_err_of(rc);
}

static enum store_err
add_response(struct store *st, const struct submission *sub, const char *day, int64_t *id)
{
	sqlite3_stmt	*q = st->stmt[ST_RESPONSE_ADD];
	int		 rc = SQLITE_OK;

	if (sub->survey == NULL || sub->def_hash == NULL || sub->channel == NULL ||
	    sub->lang == NULL)
		return STORE_INVALID;
	for (int t = 0; t < ID_TRIES; t++) {
		*id = random_id();
		sqlite3_bind_int64(q, 1, *id);
		sqlite3_bind_text(q, 2, sub->survey, -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 3, sub->version);
		sqlite3_bind_text(q, 4, sub->def_hash, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 5, sub->channel, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 6, sub->lang, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 7, day, -1, SQLITE_STATIC);
		if ((rc = step_insert(q)) == SQLITE_DONE)
			return STORE_OK;
		if (!is_pk_clash(st, rc))
			break;
	}
	return store_err_of(rc);
}

/* Seals a text into st->sealbuf and binds it with the period's key id. */
static enum store_err
bind_sealed(struct store *st, sqlite3_stmt *q, const struct store_answer *a)
{
	size_t need = a->len + SEAL_OVERHEAD;

	if (a->len > INT_MAX - SEAL_OVERHEAD)
		return STORE_INVALID;
	if (need > st->sealcap) {
		unsigned char *p = realloc(st->sealbuf, need);
		if (p == NULL)
			return STORE_NOMEM;
		st->sealbuf = p;
		st->sealcap = need;
	}
	sealer_seal(st->sealer, a->value, a->len, st->sealbuf);
	sqlite3_bind_null(q, 4);
	sqlite3_bind_blob(q, 5, st->sealbuf, (int)need, SQLITE_STATIC);
	sqlite3_bind_int64(q, 6, st->key_id);
	return STORE_OK;
}

static enum store_err
add_answer(struct store *st, int64_t id, const struct store_answer *a)
{
	sqlite3_stmt	*q = st->stmt[ST_ANSWER_ADD];
	enum store_err	 er;

	if (a->question == NULL || a->value == NULL || a->len > INT_MAX)
		return STORE_INVALID;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_text(q, 2, a->question, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 3, a->pos);
	if (a->text) {
		if ((er = bind_sealed(st, q, a)) != STORE_OK)
			return er;
	} else {
		sqlite3_bind_text(q, 4, a->value, (int)a->len, SQLITE_STATIC);
		sqlite3_bind_null(q, 5);
		sqlite3_bind_null(q, 6);
	}
	return store_err_of(step_insert(q));
}

/* One submission inside the open transaction (and its savepoint). */
static enum store_err
add_one(struct store *st, const struct submission *sub)
{
	char		 today[11];
	const char	*day = sub->day;
	int64_t		 id;
	enum store_err	 er;

	if (day == NULL) {
		store_today(today);
		day = today;
	}
	if ((er = add_nonce(st, sub, day)) != STORE_OK ||
	    (er = add_response(st, sub, day, &id)) != STORE_OK)
		return er;
	for (size_t i = 0; i < sub->nanswers; i++)
		if ((er = add_answer(st, id, &sub->answers[i])) != STORE_OK)
			return er;
	return STORE_OK;
}

/* A submission's own failure (duplicate, refused) is undone alone; anything
 * else is returned for the whole transaction to fail. */
static enum store_err
add_in_savepoint(struct store *st, const struct submission *sub, enum store_err *result)
{
	enum store_err er;

	if (has_text(sub)) {
		er = ensure_sealer(st);
		if (er == STORE_INVALID) {
			*result = er;
			return STORE_OK;
		}
		if (er != STORE_OK)
			return er;
	}
	if ((er = store_exec(st, ST_SAVEPOINT)) != STORE_OK)
		return er;
	er = add_one(st, sub);
	if (er == STORE_DUPLICATE || er == STORE_INVALID) {
		*result = er;
		if ((er = store_exec(st, ST_ROLLBACK_TO)) != STORE_OK)
			return er;
	} else if (er != STORE_OK) {
		return er;
	}
	return store_exec(st, ST_RELEASE);
}

enum store_err
store_responses_add(struct store *st, struct submission *const *subs, size_t n,
    enum store_err *results)
{
	int64_t		 key_before = st->key_id;
	enum store_err	 er;
	size_t		 i;

	for (i = 0; i < n; i++)
		results[i] = STORE_OK;
	if (n == 0)
		return STORE_OK;
	if ((er = store_exec(st, ST_BEGIN)) != STORE_OK)
		goto fail;
	for (i = 0; i < n; i++)
		if ((er = add_in_savepoint(st, subs[i], &results[i])) != STORE_OK)
			goto fail;
	if ((er = store_exec(st, ST_COMMIT)) == STORE_OK)
		return STORE_OK;
fail:
	if (!sqlite3_get_autocommit(st->db))
		(void)store_exec(st, ST_ROLLBACK);
	if (st->key_id != key_before)	/* its key row was rolled back with the rest */
		st->key_id = 0;
	for (i = 0; i < n; i++)
		results[i] = er;
	return er;
}
