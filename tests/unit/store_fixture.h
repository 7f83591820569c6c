/* store_fixture: what the store's tests share (test_store.c, on both engines;
 * test_store_sqlite.c, the SQLite file's own): a temporary directory and
 * database per test, a key pair, a store with surveys registered,
 * submissions, and reading SQL results back. */
#ifndef STORE_FIXTURE_H
#define STORE_FIXTURE_H
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>
#include "store_int.h"
#include "store_target.h"
#include "unit.h"

#define HASH	"0123456789abcdef0123456789abcdef"

#define SECRET	"the bins on Elm Road overflow every Tuesday 4471"

static char		 dir[64], path[128] __attribute__((unused));

static unsigned char	 pk[SEAL_KEY_BYTES], sk[SEAL_KEY_BYTES] __attribute__((unused));

static inline void
setup(void)
{
	ck_assert_int_ge(sodium_init(), 0);
	strcpy(dir, "/tmp/voices-store-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/v.db", dir);
	ck_assert_int_eq(seal_keygen(pk, sk), 0);
}

static inline void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* The single integer a query returns. */
static inline int
sql_int(struct store *st, const char *sql)
{
	int v = -1;

	struct db_stmt *q;

	ck_assert_int_eq(db_prepare(st->db, sql, 0, &q), DB_OK);
	if (db_step(q) == DB_ROW)
		v = db_column_int(q, 0);
	db_finalize(q);
	return v;
}

static inline void
register_survey(struct store *st, const char *id, int version)
{
	struct survey s;

	memset(&s, 0, sizeof s);
	s.id = id;
	s.version = version;
	s.title.s[0] = "Park";
	memcpy(s.hash, HASH, sizeof s.hash);
	ck_assert_int_eq(store_survey_register(st, &s), STORE_OK);
}

static inline struct store *
open_rw(void)
{
	struct store *st;

	ck_assert_int_eq(store_open(store_target(path), STORE_CREATE, &st), STORE_OK);
	store_set_recipient(st, pk);
	register_survey(st, "park", 1);
	register_survey(st, "park", 1);		/* idempotent */
	register_survey(st, "roads", 1);
	return st;
}

/* A submission to "park" with nonce byte n and the answers given. */
static inline struct submission
sub_make(unsigned char n, struct store_answer *a, size_t na)
{
	struct submission sub;

	memset(&sub, 0, sizeof sub);
	sub.survey = "park";
	sub.version = 1;
	sub.def_hash = HASH;
	sub.channel = "online";
	sub.lang = "en";
	sub.day = "2024-05-01";
	memset(sub.nonce, n, sizeof sub.nonce);
	sub.answers = a;
	sub.nanswers = na;
	return sub;
}

/* Stores the submission a alone, which must be stored. */
static inline void
add_one(struct store *st, struct submission *a)
{
	struct submission	*v[] = { a };
	enum store_err		 r[1];

	ck_assert_int_eq(store_responses_add(st, v, 1, r), STORE_OK);
	ck_assert_int_eq(r[0], STORE_OK);
}

/* Runs the tests of tc each with its own directory, key pair and database
 * (setup, teardown), for 60 seconds at most. */
static inline TCase *
store_fixture(TCase *tc)
{
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	return tc;
}

static inline int64_t
count(struct store *st, const char *survey)
{
	int64_t n;

	ck_assert_int_eq(store_response_count(st, survey, &n), STORE_OK);
	return n;
}

static __attribute__((unused)) struct store_answer basic[] = {
	{ "q1", "yes", 3, 0, 0 },
	{ "q2", "swings", 6, 1, 0 },
	{ "q2", "slide", 5, 2, 0 },
	{ "q3", SECRET, sizeof SECRET - 1, 0, 1 },
};

#define NBASIC (sizeof basic / sizeof basic[0])

/* Collects responses as one canonical line each. */
struct collect {
	char	 lines[64][512];
	size_t	 n;
	int	 stop_after;
};

static inline int
collect_fn(void *ctx, const struct store_response *rp)
{
	struct collect	*c = ctx;
	char		*p = c->lines[c->n];
	size_t		 left = sizeof c->lines[0];
	int		 k;

	ck_assert_uint_lt(c->n, 64);
	k = snprintf(p, left, "%s|%d|%s|%s|%s", rp->survey, rp->version, rp->channel,
	    rp->lang, rp->day);
	for (size_t i = 0; i < rp->nanswers; i++) {
		const struct store_answer *a = &rp->answers[i];
		ck_assert_uint_eq(strlen(a->value), a->len);
		k += snprintf(p + k, left - (size_t)k, "|%s:%d:%s:%d", a->question, a->pos,
		    a->value, a->text);
	}
	c->n++;
	return c->stop_after > 0 && (int)c->n >= c->stop_after;
}

static inline int
noop_fn(void *ctx, const struct store_response *rp)
{
	(void)ctx, (void)rp;
	return 0;
}

/* The survey's kept counts as text (static), NULL when none are kept; the
 * gen they were stored at in *gen. */
static inline const char *
store_kept(struct store *st, const char *survey, int64_t *gen)
{
	static char text[256];
	unsigned char *blob;
	size_t len;

	ck_assert_int_eq(store_count_get(st, survey, gen, &blob, &len), STORE_OK);
	if (blob == NULL)
		return NULL;
	ck_assert_uint_lt(len, sizeof text);
	memcpy(text, blob, len);
	text[len] = '\0';
	free(blob);
	return text;
}

/* A submission to "park" with nonce byte n from the device whose hash is
 * STORE_DEVICE_BYTES of byte d (kept in devs[d]). */
static unsigned char devs[4][STORE_DEVICE_BYTES] __attribute__((unused));

static inline struct submission
sub_device(unsigned char n, int d)
{
	struct submission sub = sub_make(n, basic, 2);

	memset(devs[d], d, sizeof devs[d]);
	sub.device = devs[d];
	return sub;
}

static inline int
seen(struct store *st, const char *survey, int d)
{
	int s = -1;

	ck_assert_int_eq(store_device_seen(st, survey, devs[d], &s), STORE_OK);
	return s;
}
#endif
