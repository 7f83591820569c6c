/* Tests for several app nodes on one database (make cluster): each node has
 * a writer of its own, and on PostgreSQL their batches run at the same time.
 * A survey's kept counts (store_count_*) must stay those of all its
 * responses: a batch whose survey got another writer's response after it
 * read the counts leaves them dropped, to be counted afresh.  On SQLite one
 * writer holds the database for its whole batch (BEGIN IMMEDIATE), so the
 * other's batch can only come after it: both keep the counts. */
#include "store_fixture.h"
#include "unit.h"

/* A counter whose counts are the number of responses, in decimal.  When
 * other is set, the first open runs a batch of one response (nonce byte
 * seq) through that store: another node's writer, between this batch's
 * reading of the counts and its inserts. */
struct nodecount {
	struct store	*other;
	unsigned char	 seq;
	long		 n;
};

static void *
nc_open(void *ctx, const char *survey, const unsigned char *blob, size_t len)
{
	struct nodecount *c = ctx;
	char text[24];

	ck_assert_str_eq(survey, "park");
	ck_assert_uint_lt(len, sizeof text);
	memcpy(text, blob, len);
	text[len] = '\0';
	c->n = strtol(text, NULL, 10);
	if (c->other != NULL) {
		struct submission b = sub_make(c->seq, basic, 2), *v[] = { &b };
		enum store_err r;

		ck_assert_int_eq(store_responses_add(c->other, v, 1, &r), STORE_OK);
		ck_assert_int_eq(r, STORE_OK);
		c->other = NULL;
	}
	return c;
}

static int
nc_add(void *tally, const struct store_response *r)
{
	struct nodecount *c = tally;

	ck_assert_str_eq(r->survey, "park");
	c->n++;
	return 0;
}

static int
nc_close(void *tally, int keep, unsigned char **blob, size_t *len)
{
	struct nodecount *c = tally;
	char text[24];

	if (!keep)
		return -1;
	*len = (size_t)snprintf(text, sizeof text, "%ld", c->n);
	ck_assert_ptr_nonnull(*blob = malloc(*len));
	memcpy(*blob, text, *len);
	return 0;
}

/* The park counts kept, or -1 when none are. */
static long
kept(struct store *st, int64_t *gen)
{
	unsigned char *blob;
	char text[24];
	size_t len;

	ck_assert_int_eq(store_count_get(st, "park", gen, &blob, &len), STORE_OK);
	if (blob == NULL)
		return -1;
	ck_assert_uint_lt(len, sizeof text);
	memcpy(text, blob, len);
	text[len] = '\0';
	free(blob);
	return strtol(text, NULL, 10);
}

START_TEST(test_two_writers_keep_true_counts)
{
	struct store		*a = open_rw(), *b = open_rw();
	struct nodecount	 ca = { b, 2, 0 }, cb = { NULL, 0, 0 };
	struct store_counter	 cnta = { &ca, nc_open, nc_add, nc_close };
	struct store_counter	 cntb = { &cb, nc_open, nc_add, nc_close };
	struct submission	 s1 = sub_make(1, basic, 2), s3 = sub_make(3, basic, 2);
	struct submission	 s2 = sub_make(2, basic, 2), *v[] = { &s1 };
	enum store_err		 r;
	int64_t			 gen;

	store_set_counter(a, &cnta);
	store_set_counter(b, &cntb);
	ck_assert_int_eq(store_count_put(a, "park", 0, (const unsigned char *)"0", 1), STORE_OK);
	if (!store_target_pg())
		ca.other = NULL;	/* b's batch waits for a's to commit */
	ck_assert_int_eq(store_responses_add(a, v, 1, &r), STORE_OK);
	ck_assert_int_eq(r, STORE_OK);
	if (!store_target_pg()) {
		v[0] = &s2;
		ck_assert_int_eq(store_responses_add(b, v, 1, &r), STORE_OK);
	}
	ck_assert_int_eq(count(a, "park"), 2);
	if (store_target_pg()) {
		/* b kept 0 + its one at gen 1; a's batch found gen 2, not 1. */
		ck_assert_int_eq(kept(a, &gen), -1);
		ck_assert_uint_eq(store_count_kept(b), 1);
		ck_assert_uint_eq(store_count_kept(a), 0);
	} else
		ck_assert_int_eq(kept(a, &gen), 2);
	ck_assert_int_eq(gen, 2);

	/* Counted afresh at gen 2; a batch with no other writer keeps them. */
	ck_assert_int_eq(store_count_put(b, "park", 2, (const unsigned char *)"2", 1), STORE_OK);
	v[0] = &s3;
	ck_assert_int_eq(store_responses_add(a, v, 1, &r), STORE_OK);
	ck_assert_int_eq(kept(b, &gen), 3);
	ck_assert_int_eq(gen, 3);
	ck_assert_int_eq(count(b, "park"), 3);
	store_set_counter(a, NULL);
	store_set_counter(b, NULL);
	store_close(a);
	store_close(b);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("store_nodes");
	TCase	*tc = tcase_create("store_nodes");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_two_writers_keep_true_counts);
	suite_add_tcase(s, tc);
	return unit_run(s, CK_FORK_GETENV);
}
