/* Tests for a batch of submissions written whole (store_bulk.c on
 * PostgreSQL: one statement for the batch; on SQLite form by form): each
 * form's result and the rows stored when a form in the middle fails by
 * itself, sealed texts, devices and the kept counts.  On PostgreSQL the
 * connection's prepared statements say which way a batch went: the bulk
 * statement once, or the savepoint of each form after it failed. */
#include "store_fixture.h"

/* How many times the connection ran its prepared statement that begins with
 * prefix (PostgreSQL), -1 on SQLite. */
static int
runs(struct store *st, const char *prefix)
{
	char sql[256];

	if (!store_target_pg())
		return -1;
	snprintf(sql, sizeof sql, "SELECT CAST(coalesce(sum(generic_plans + custom_plans), 0)"
	    " AS INTEGER) FROM pg_prepared_statements WHERE statement LIKE '%s%%'", prefix);
	return sql_int(st, sql);
}

/* Each form's result is the one wanted. */
static void
results_are(const enum store_err *r, const enum store_err *want, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(r[i], want[i]);
}

#define BULK		"WITH n AS (INSERT INTO used_nonce"
#define SAVEPOINT	"SAVEPOINT submission"

/* The texts read back with the secret key: how many responses hold SECRET. */
static int
secrets(struct store *st)
{
	struct opener	*op = opener_new(sk);
	struct collect	*col = calloc(1, sizeof *col);
	int		 n = 0;

	ck_assert_int_eq(store_each_response(st, NULL, op, collect_fn, col), STORE_OK);
	for (size_t i = 0; i < col->n; i++)
		n += strstr(col->lines[i], "|q3:0:" SECRET ":1") != NULL;
	opener_free(op);
	free(col);
	return n;
}

/* A batch with sealed texts and devices, in which nothing fails: one
 * statement on PostgreSQL, every row as form by form. */
START_TEST(test_bulk_sealed)
{
	struct store		*st = open_rw();
	struct submission	 a = sub_make(1, basic, NBASIC), b = sub_make(2, basic, 2);
	struct submission	 c = sub_device(3, 1), d = sub_device(4, 2);
	struct submission	*v[] = { &a, &b, &c, &d };
	enum store_err		 r[4];

	d.answers = basic, d.nanswers = NBASIC;
	b.survey = "roads";
	ck_assert_int_eq(store_responses_add(st, v, 4, r), STORE_OK);
	results_are(r, (enum store_err[]){ STORE_OK, STORE_OK, STORE_OK, STORE_OK }, 4);
	ck_assert_int_eq(count(st, "park"), 3);
	ck_assert_int_eq(count(st, "roads"), 1);
	ck_assert_int_eq(sql_int(st, "SELECT count(*) FROM used_nonce"), 4);
	ck_assert_int_eq(sql_int(st, "SELECT count(*) FROM device"), 2);
	ck_assert_int_eq(sql_int(st, "SELECT count(*) FROM response WHERE texts IS NOT NULL"
	    " AND texts_key = (SELECT max(id) FROM seal_key)"), 2);
	ck_assert_int_eq(sql_int(st, "SELECT count(*) FROM response WHERE texts IS NULL"
	    " AND texts_key IS NULL AND flagged = 0 AND day = '2024-05-01'"), 2);
	ck_assert_int_eq(sql_int(st, "SELECT count(*) FROM seal_key"), 1);
	ck_assert_int_eq(secrets(st), 2);
	ck_assert_int_eq(seen(st, "park", 1), 1);
	ck_assert_int_eq(seen(st, "park", 2), 1);
	if (store_target_pg()) {
		ck_assert_int_eq(runs(st, BULK), 1);
		ck_assert_int_eq(runs(st, SAVEPOINT), 0);
	}
	ck_assert_int_eq(store_integrity(st), STORE_OK);
	store_close(st);
}
END_TEST

/* Duplicates in the middle of a batch, one of a stored form and one of a
 * form earlier in the batch: only they are refused, and nothing of them is
 * stored; the batch went form by form after its statement failed. */
START_TEST(test_bulk_duplicate_middle)
{
	struct store		*st = open_rw();
	struct submission	 x = sub_make(9, basic, 1), x2 = sub_make(9, basic, 2);
	struct submission	 a = sub_make(1, basic, NBASIC), a2 = sub_make(1, basic, 1);
	struct submission	 b = sub_make(2, basic, NBASIC), c = sub_make(3, basic, 2);
	struct submission	*v[] = { &a, &x2, &b, &a2, &c };
	enum store_err		 r[5];

	add_one(st, &x);
	ck_assert_int_eq(store_responses_add(st, v, 5, r), STORE_OK);
	results_are(r, (enum store_err[]){ STORE_OK, STORE_DUPLICATE, STORE_OK, STORE_DUPLICATE,
	    STORE_OK }, 5);
	ck_assert_int_eq(count(st, "park"), 4);
	ck_assert_int_eq(sql_int(st, "SELECT count(*) FROM used_nonce"), 4);
	ck_assert_int_eq(sql_int(st, "SELECT count(*) FROM response WHERE texts IS NOT NULL"), 2);
	ck_assert_int_eq(secrets(st), 2);
	if (store_target_pg()) {
		ck_assert_int_eq(runs(st, BULK), 2);
		ck_assert_int_eq(runs(st, SAVEPOINT), 5);
	}
	/* The next clean batch is one statement again. */
	a = sub_make(4, basic, 2), b = sub_make(5, basic, 2);
	v[1] = &b;
	ck_assert_int_eq(store_responses_add(st, v, 2, r), STORE_OK);
	ck_assert_int_eq(count(st, "park"), 6);
	if (store_target_pg()) {
		ck_assert_int_eq(runs(st, BULK), 3);
		ck_assert_int_eq(runs(st, SAVEPOINT), 5);
	}
	store_close(st);
}
END_TEST

/* A device used twice in one batch: the second form is refused, its nonce
 * not used up; the forms around it are stored. */
START_TEST(test_bulk_device_twice)
{
	struct store		*st = open_rw();
	struct submission	 a = sub_device(1, 1), b = sub_device(2, 1), c = sub_device(3, 2);
	struct submission	 d = sub_make(4, basic, NBASIC);
	struct submission	*v[] = { &a, &b, &c, &d };
	enum store_err		 r[4];

	ck_assert_int_eq(store_responses_add(st, v, 4, r), STORE_OK);
	results_are(r, (enum store_err[]){ STORE_OK, STORE_DEVICE_USED, STORE_OK, STORE_OK }, 4);
	ck_assert_int_eq(count(st, "park"), 3);
	ck_assert_int_eq(sql_int(st, "SELECT count(*) FROM device"), 2);
	ck_assert_int_eq(sql_int(st, "SELECT count(*) FROM used_nonce"), 3);
	ck_assert_int_eq(secrets(st), 1);
	b.device = NULL;	/* its nonce is still free */
	ck_assert_int_eq(store_responses_add(st, &v[1], 1, r), STORE_OK);
	ck_assert_int_eq(r[0], STORE_OK);
	ck_assert_int_eq(count(st, "park"), 4);
	store_close(st);
}
END_TEST

/* A counter whose counts are text: the kept bytes, then "+" and the first
 * answer's value per response added. */
static void *
tally_open(void *ctx, const char *survey, const unsigned char *blob, size_t len)
{
	char *text = ctx;

	ck_assert_str_eq(survey, "park");
	ck_assert_uint_lt(len, 64);
	memcpy(text, blob, len);
	text[len] = '\0';
	return text;
}

static int
tally_add(void *tally, const struct store_response *r)
{
	strcat(tally, "+");
	strcat(tally, r->answers[0].value);
	return 0;
}

static int
tally_close(void *tally, int keep, unsigned char **blob, size_t *len)
{
	if (!keep)
		return -1;
	*len = strlen(tally);
	*blob = malloc(*len);
	memcpy(*blob, tally, *len);
	return 0;
}

/* The park counts kept, as text, and the gen they are at. */
static const char *
kept_park(struct store *st, int64_t *gen)
{
	const char *text = store_kept(st, "park", gen);

	ck_assert_ptr_nonnull(text);
	return text;
}

/* Kept counts take exactly the batch's stored responses, whichever way the
 * batch went: one statement, or form by form after a duplicate. */
START_TEST(test_bulk_counts)
{
	struct store		*st = open_rw();
	struct store_answer	 no[] = { { "q1", "no", 2, 0, 0 }, basic[3] };
	struct submission	 a = sub_make(1, basic, NBASIC), b = sub_make(2, no, 2);
	struct submission	 a2 = sub_make(1, no, 1), c = sub_make(3, no, 2);
	struct submission	*v[] = { &a, &b, &a2, &c };
	char			 text[128];
	struct store_counter	 cnt = { text, tally_open, tally_add, tally_close };
	enum store_err		 r[4];
	int64_t			 gen;

	store_set_counter(st, &cnt);
	ck_assert_int_eq(store_count_put(st, "park", 0, (const unsigned char *)"c0", 2), STORE_OK);
	ck_assert_int_eq(store_responses_add(st, v, 2, r), STORE_OK);
	ck_assert_str_eq(kept_park(st, &gen), "c0+yes+no");
	ck_assert_int_eq(gen, 2);
	ck_assert_uint_eq(store_count_kept(st), 1);
	ck_assert_int_eq(store_responses_add(st, &v[2], 2, r), STORE_OK);
	ck_assert_int_eq(r[0], STORE_DUPLICATE);
	ck_assert_int_eq(r[1], STORE_OK);
	ck_assert_str_eq(kept_park(st, &gen), "c0+yes+no+no");
	ck_assert_int_eq(gen, 3);
	ck_assert_uint_eq(store_count_kept(st), 2);
	ck_assert_int_eq(count(st, "park"), 3);
	if (store_target_pg()) {
		ck_assert_int_eq(runs(st, BULK), 2);
		ck_assert_int_eq(runs(st, SAVEPOINT), 2);
	}
	store_set_counter(st, NULL);
	store_close(st);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("store_bulk");

	store_fixture(unit_tcase(s, "store_bulk", test_bulk_sealed, test_bulk_duplicate_middle,
	    test_bulk_device_twice, test_bulk_counts, NULL));
	return unit_run(s, CK_FORK_GETENV);
}
