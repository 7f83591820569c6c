/* store_add: writing a batch of submissions in one transaction (group commit).
 * Each submission runs inside its own savepoint, so a duplicate or a refused
 * one is undone alone while the rest of the batch commits.  A submission is
 * two rows: its nonce, and its response with every answer inside it (the
 * form in store_int.h): one B-tree insert at a random key instead of one per
 * answer, which is what the writer spent its time on.  A survey that takes
 * one response per device adds a third, its device row, which the same
 * device's next response clashes with.  Its free texts are sealed together,
 * once, with the store's current sealer before they are bound: plain text
 * never reaches SQLite.  Invariant: st->key_id names a committed seal_key row
 * for st->sealer, or is 0 (the row is inserted by the next transaction that
 * seals).  A survey's kept counts, when it has some, are brought up to date
 * with the batch's responses in the same transaction (store_count.c).
 *
 * On PostgreSQL, where every statement is a round trip, a batch first goes
 * whole: BEGIN, one statement that inserts all its nonce, device and
 * response rows (store_bulk.c: each column an array, unnest), COMMIT; the
 * rows are those of the form-by-form path, packed and sealed by the same
 * code.  A failed statement spoils its whole transaction, back to the last
 * savepoint: when a form fails by itself (a duplicate, a device used, a
 * refused form, a random id that clashes) the batch is rolled back and
 * added again form by form in savepoints, as on SQLite, and each form gets
 * its own result; a clashing id is drawn again after rolling back to the
 * submission's savepoint (a seal key's, to its own), where SQLite just runs
 * the insert again.  A batch whose connection was lost mid-way (its COMMIT
 * too) is resolved by the forms' nonces (resolve_lost): committed exactly
 * once, or reported failed, never both. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "store_int.h"

#define SEALER_MAX_TEXTS	10000	/* rotate after this many texts ... */
#define SEALER_MAX_SECONDS	600	/* ... or this age, whichever first */
#define ID_TRIES		8	/* random id collisions are ~never; bound them anyway */
#define LOST_ROUNDS		3	/* a batch is added again after this many lost connections at most */

int64_t
store_random_id(void)
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
	return rc == DB_CONSTRAINT_PRIMARYKEY ||
	    (rc == DB_CONSTRAINT && db_errcode(st->db) ==
	    DB_CONSTRAINT_PRIMARYKEY);
}

/* Steps an insert and resets it; returns the result code (db.h). */
static int
step_insert(struct db_stmt *q)
{
	int rc = db_step(q);

	db_reset(q);
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

static int
on_pg(struct store *st)
{
	return db_engine(st->db) == DB_PG;
}

/* Steps the seal key's insert; on PostgreSQL inside a savepoint of its own,
 * so that a clash leaves the batch's transaction usable. */
static int
step_key(struct store *st, struct db_stmt *q)
{
	int rc, rc2;

	if (!on_pg(st))
		return step_insert(q);
	if ((rc = db_exec(st->db, "SAVEPOINT seal_key")) != DB_OK)
		return rc;
	rc = step_insert(q);
	rc2 = db_exec(st->db, rc == DB_DONE ? "RELEASE seal_key" : "ROLLBACK TO seal_key");
	return rc == DB_DONE && rc2 != DB_OK ? rc2 : rc;
}

/* Inserts the current sealer's seal_key row under a random id. */
static enum store_err
insert_key(struct store *st)
{
	struct db_stmt	*q = st->stmt[ST_SEAL_KEY_ADD];
	int64_t		 id;
	int		 rc = DB_OK;

	for (int t = 0; t < ID_TRIES; t++) {
		id = store_random_id();
		db_bind_int64(q, 1, id);
		db_bind_blob(q, 2, sealer_public(st->sealer), SEAL_KEY_BYTES);
		db_bind_blob(q, 3, st->recipient, SEAL_KEY_BYTES);
		if ((rc = step_key(st, q)) == DB_DONE) {
			st->key_id = id;
			return STORE_OK;
		}
		if (!is_pk_clash(st, rc))
			break;
	}
	return store_err_of(rc);
}

enum store_err
store_ensure_sealer(struct store *st)
{
	if (!st->have_recipient)
		return STORE_INVALID;
	if (st->sealer != NULL && (st->period_texts >= SEALER_MAX_TEXTS ||
	    age_seconds(&st->sealer_born) >= SEALER_MAX_SECONDS)) {
		sealer_free(st->sealer);
		st->sealer = NULL;
	}
	if (st->sealer == NULL) {
		st->key_id = 0;
		st->period_texts = 0;
		if ((st->sealer = sealer_new(st->recipient)) == NULL)
			return STORE_INVALID;	/* a weak recipient key, or no memory */
		clock_gettime(CLOCK_MONOTONIC, &st->sealer_born);
	}
	return st->key_id != 0 ? STORE_OK : insert_key(st);
}

static enum store_err
add_nonce(struct store *st, const struct submission *sub, const char *day)
{
	struct db_stmt	*q = st->stmt[ST_NONCE_ADD];
	unsigned char	 h[32];
	int		 rc;

	store_nonce_hash(st, sub->nonce, h);
	db_bind_blob(q, 1, h, sizeof h);
	db_bind_text(q, 2, day, -1);
	rc = step_insert(q);
	if (is_pk_clash(st, rc))
		return STORE_DUPLICATE;
	return store_err_of(rc);
}

/* The device row of a survey that takes one response per device; a second
 * response from the same device clashes on its primary key. */
static enum store_err
add_device(struct store *st, const struct submission *sub)
{
	struct db_stmt	*q = st->stmt[ST_DEVICE_ADD];
	int		 rc;

	if (sub->device == NULL)
		return STORE_OK;
	db_bind_text(q, 1, sub->survey, -1);
	db_bind_blob(q, 2, sub->device, STORE_DEVICE_BYTES);
	rc = step_insert(q);
	if (is_pk_clash(st, rc))
		return STORE_DEVICE_USED;
	return store_err_of(rc);
}

/* Orders answers by question (bytewise, as SQLite's BINARY) then pos. */
static int
cmp_answer(const void *x, const void *y)
{
	const struct store_answer *a = *(const struct store_answer *const *)x;
	const struct store_answer *b = *(const struct store_answer *const *)y;
	int c = strcmp(a->question, b->question);

	return c != 0 ? c : (a->pos > b->pos) - (a->pos < b->pos);
}

/* st->order: the submission's answers sorted, each checked.  A missing
 * string, a negative pos or a repeated (question, pos) is STORE_INVALID. */
static enum store_err
sort_answers(struct store *st, const struct submission *sub)
{
	size_t n = sub->nanswers;

	if (n > st->ordercap) {
		const struct store_answer **o = realloc(st->order, n * sizeof *o);
		if (o == NULL)
			return STORE_NOMEM;
		st->order = o;
		st->ordercap = n;
	}
	for (size_t i = 0; i < n; i++) {
		const struct store_answer *a = &sub->answers[i];
		if (a->question == NULL || a->value == NULL || a->len > INT_MAX || a->pos < 0)
			return STORE_INVALID;
		st->order[i] = a;
	}
	if (n > 1)
		qsort(st->order, n, sizeof *st->order, cmp_answer);
	for (size_t i = 1; i < n; i++)
		if (cmp_answer(&st->order[i - 1], &st->order[i]) == 0)
			return STORE_INVALID;
	return STORE_OK;
}

/* st->json: the answers column; st->plain: the texts as pieces; *ntexts. */
static enum store_err
pack_all(struct store *st, size_t n, size_t *ntexts)
{
	st->json.n = 0;
	st->plain.n = 0;
	*ntexts = 0;
	if (pbuf_add(&st->json, "[", 1) != 0)
		return STORE_NOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct store_answer *a = st->order[i];
		if (pack_answer(&st->json, a->question, a->pos, a->text ? NULL : a->value,
		    a->len) != 0 || (a->text && pack_piece(&st->plain, a->value, a->len) != 0))
			return STORE_NOMEM;
		*ntexts += a->text != 0;
	}
	return pbuf_add(&st->json, "]", 1) != 0 ? STORE_NOMEM : STORE_OK;
}

/* Seals st->plain, all the texts at once, into st->sealbuf as the texts
 * column (form byte first), and wipes the plain copy; *len its size. */
static enum store_err
seal_texts(struct store *st, size_t *len)
{
	size_t need = 1 + st->plain.n + SEAL_OVERHEAD;

	if (st->plain.n > INT_MAX - SEAL_OVERHEAD - 1)
		return STORE_INVALID;
	if (need > st->sealcap) {
		unsigned char *p = realloc(st->sealbuf, need);
		if (p == NULL)
			return STORE_NOMEM;
		st->sealbuf = p;
		st->sealcap = need;
	}
	st->sealbuf[0] = TEXTS_ONE_SEAL;
	sealer_seal(st->sealer, st->plain.p, st->plain.n, st->sealbuf + 1);
	sodium_memzero(st->plain.p, st->plain.n);
	*len = need;
	return STORE_OK;
}

enum store_err
store_pack_response(struct store *st, const struct submission *sub, size_t *tlen)
{
	size_t		 ntexts;
	enum store_err	 er;

	*tlen = 0;
	if ((er = sort_answers(st, sub)) != STORE_OK ||
	    (er = pack_all(st, sub->nanswers, &ntexts)) != STORE_OK)
		return er;
	if (st->json.n > INT_MAX)
		return STORE_INVALID;
	if (ntexts == 0)
		return STORE_OK;
	if ((er = seal_texts(st, tlen)) != STORE_OK)
		return er;
	st->period_texts += ntexts;
	return STORE_OK;
}

/* Binds the answers and texts columns (8, 9, 10) of ST_RESPONSE_ADD. */
static enum store_err
bind_answers(struct store *st, const struct submission *sub)
{
	struct db_stmt	*q = st->stmt[ST_RESPONSE_ADD];
	size_t		 len;
	enum store_err	 er;

	if ((er = store_pack_response(st, sub, &len)) != STORE_OK)
		return er;
	db_bind_text(q, 8, (const char *)st->json.p, (int)st->json.n);
	if (len == 0) {
		db_bind_null(q, 9);
		db_bind_null(q, 10);
		return STORE_OK;
	}
	db_bind_blob(q, 9, st->sealbuf, (int)len);
	db_bind_int64(q, 10, st->key_id);
	return STORE_OK;
}

/* Inserts the response row, answers included, under a fresh random id
 * (into *id).  On PostgreSQL a clash sets *clash and returns at once: the
 * caller rolls the submission back and adds it again. */
static enum store_err
add_response(struct store *st, const struct submission *sub, const char *day, int64_t *id,
    int *clash)
{
	struct db_stmt	*q = st->stmt[ST_RESPONSE_ADD];
	enum store_err	 er;
	int		 rc = DB_OK;

	if (sub->survey == NULL || sub->def_hash == NULL || sub->channel == NULL ||
	    sub->lang == NULL)
		return STORE_INVALID;
	if ((er = bind_answers(st, sub)) != STORE_OK)
		return er;
	db_bind_text(q, 2, sub->survey, -1);
	db_bind_int(q, 3, sub->version);
	db_bind_text(q, 4, sub->def_hash, -1);
	db_bind_text(q, 5, sub->channel, -1);
	db_bind_text(q, 6, sub->lang, -1);
	db_bind_text(q, 7, day, -1);
	db_bind_int(q, 11, sub->flagged != 0);
	for (int t = 0; t < ID_TRIES; t++) {
		db_bind_int64(q, 1, *id = store_random_id());
		if ((rc = step_insert(q)) == DB_DONE)
			break;
		if (!is_pk_clash(st, rc))
			break;
		if (on_pg(st)) {
			*clash = 1;
			break;
		}
	}
	db_clear_bindings(q);	/* no pointer into reused buffers outlives the call */
	return store_err_of(rc);
}

/* One submission inside the open transaction (and its savepoint): its nonce
 * row, its device row if it has one, and its response row, the answers
 * inside it.  The nonce goes first: a form sent again is a duplicate (and
 * its sender sees the confirmation again), not a second response from its
 * device. */
static enum store_err
add_one(struct store *st, const struct submission *sub, int64_t *id, int *clash)
{
	char		 today[11];
	const char	*day = sub->day;
	enum store_err	 er;

	if (day == NULL) {
		store_today(today);
		day = today;
	}
	if ((er = add_nonce(st, sub, day)) != STORE_OK ||
	    (er = add_device(st, sub)) != STORE_OK)
		return er;
	return add_response(st, sub, day, id, clash);
}

/* add_one inside the open savepoint; on PostgreSQL a response id that
 * clashed is drawn again after rolling back to the savepoint. */
static enum store_err
add_one_again(struct store *st, const struct submission *sub, int64_t *id)
{
	enum store_err	 er;
	int		 clash;

	for (int t = 0;; t++) {
		clash = 0;
		er = add_one(st, sub, id, &clash);
		if (!clash)
			return er;
		if (t + 1 >= ID_TRIES)
			return STORE_IO;
		if ((er = store_exec(st, ST_ROLLBACK_TO)) != STORE_OK)
			return er;
	}
}

/* A submission's own failure (duplicate, device used, refused) is undone
 * alone; anything else is returned for the whole transaction to fail.  The
 * id of a response stored is noted for the kept counts (store_count.c). */
static enum store_err
add_in_savepoint(struct store *st, struct submission *const *subs, size_t i,
    enum store_err *result)
{
	const struct submission *sub = subs[i];
	int64_t id = 0;
	enum store_err er;

	if (has_text(sub)) {
		er = store_ensure_sealer(st);
		if (er == STORE_INVALID) {
			*result = er;
			return STORE_OK;
		}
		if (er != STORE_OK)
			return er;
	}
	if ((er = store_exec(st, ST_SAVEPOINT)) != STORE_OK)
		return er;
	er = add_one_again(st, sub, &id);
	if (er == STORE_OK)
		store_count_added(st, i, id);
	if (er == STORE_DUPLICATE || er == STORE_DEVICE_USED || er == STORE_INVALID) {
		*result = er;
		if ((er = store_exec(st, ST_ROLLBACK_TO)) != STORE_OK)
			return er;
	} else if (er != STORE_OK) {
		return er;
	}
	return store_exec(st, ST_RELEASE);
}

/* The batch in one transaction, each form in a savepoint of its own, or,
 * when plain, all of them in one statement (store_bulk_add; *again as
 * there). */
static enum store_err
add_batch_as(struct store *st, struct submission *const *subs, size_t n,
    enum store_err *results, int plain, int *again)
{
	int64_t		 key_before = st->key_id;
	enum store_err	 er;
	size_t		 i;

	for (i = 0; i < n; i++)
		results[i] = STORE_OK;
	if (n == 0)
		return STORE_OK;
	if ((er = store_exec(st, ST_BEGIN)) != STORE_OK ||
	    (er = store_count_begin(st, subs, n)) != STORE_OK)
		goto fail;
	if (plain && (er = store_bulk_add(st, subs, n, again)) != STORE_OK)
		goto fail;
	for (i = 0; !plain && i < n; i++)
		if ((er = add_in_savepoint(st, subs, i, &results[i])) != STORE_OK)
			goto fail;
	if ((er = store_count_end(st, subs, n)) != STORE_OK)
		goto fail;
	if ((er = store_exec(st, ST_COMMIT)) == STORE_OK) {
		st->kept += st->kept_batch;
		return STORE_OK;
	}
fail:
	store_count_abandon(st);
	if (!db_autocommit(st->db))
		(void)store_exec(st, ST_ROLLBACK);
	if (st->key_id != key_before)	/* its key row was rolled back with the rest */
		st->key_id = 0;
	for (i = 0; i < n; i++)
		results[i] = er;
	return er;
}

/* On PostgreSQL first without savepoints, then, if a form failed alone,
 * with them (SQLite's savepoints cost no round trip). */
static enum store_err
add_batch(struct store *st, struct submission *const *subs, size_t n,
    enum store_err *results)
{
	enum store_err	 er;
	int		 again = 0;

	if (on_pg(st) && ((er = add_batch_as(st, subs, n, results, 1, &again)) == STORE_OK ||
	    !again))
		return er;
	return add_batch_as(st, subs, n, results, 0, &again);
}

/* One round of resolve_lost: each pending submission whose nonce is stored
 * is confirmed (STORE_DUPLICATE, as a form sent again); the others go into
 * again (their indexes into at; *m of them).  An error when the database
 * cannot be asked. */
static enum store_err
sort_lost(struct store *st, struct submission *const *subs, size_t n, enum store_err *results,
    const char *pending, struct submission **again, size_t *at, size_t *m)
{
	enum store_err	 er;
	int		 seen;

	*m = 0;
	for (size_t i = 0; i < n; i++) {
		if (!pending[i])
			continue;
		seen = 0;
		if ((er = store_nonce_seen(st, subs[i]->nonce, &seen)) != STORE_OK)
			return er;
		if (seen)
			results[i] = STORE_DUPLICATE;
		else {
			again[*m] = subs[i];
			at[(*m)++] = i;
		}
	}
	return STORE_OK;
}

/* The batch failed with its connection lost (er): what was committed is not
 * known.  Asked again on a new connection, a stored nonce means committed;
 * the rest are added again, where a nonce that was committed after all is
 * refused as a duplicate.  Whatever cannot be settled (the database out of
 * reach past the reconnect bound) keeps er: never confirmed unseen. */
static enum store_err
resolve_lost(struct store *st, struct submission *const *subs, size_t n,
    enum store_err *results, enum store_err er)
{
	struct submission	**again = calloc(n, sizeof *again);
	enum store_err		 *res = calloc(n, sizeof *res);
	size_t			 *at = calloc(n, sizeof *at), m;
	char			 *pending = malloc(n);
	unsigned		  lost;

	if (again == NULL || res == NULL || at == NULL || pending == NULL)
		goto out;
	memset(pending, 1, n);
	for (int round = 0; round < LOST_ROUNDS; round++) {
		if ((er = sort_lost(st, subs, n, results, pending, again, at, &m)) != STORE_OK)
			break;
		lost = db_losses(st->db);
		er = m == 0 ? STORE_OK : add_batch(st, again, m, res);
		for (size_t j = 0; j < m; j++) {
			results[at[j]] = res[j];
			pending[at[j]] = er != STORE_OK;
		}
		if (er == STORE_OK || db_losses(st->db) == lost)
			break;
	}
out:
	free(again), free(res), free(at), free(pending);
	return er;
}

enum store_err
store_responses_add(struct store *st, struct submission *const *subs, size_t n,
    enum store_err *results)
{
	unsigned	 lost = db_losses(st->db);
	enum store_err	 er = add_batch(st, subs, n, results);

	if (er == STORE_OK || db_losses(st->db) == lost)
		return er;
	return resolve_lost(st, subs, n, results, er);
}

unsigned
store_losses(struct store *st)
{
	return db_losses(st->db);
}
