/* Tests for the store on either engine (VOICES_TEST_PG: docs/storage.md):
 * migrations, group commit with duplicates and refused submissions, sealing,
 * streaming, read-only, one response per device, another connection's lock
 * past the busy timeout.  The SQLite file's own (WAL, checkpoints, a full
 * disk, backup) are in test_store_sqlite.c.
 * Some tests look inside (store_int.h) to provoke failures mid-transaction. */
#include "store_fixture.h"
#include "store_purge.h"

START_TEST(test_migrate_reopen)
{
	struct store *st = open_rw();
	int v = store_schema_version(st);	/* the latest migration */

	ck_assert_int_ge(v, 2);
	store_close(st);
	ck_assert_int_eq(store_open(store_target(path), 0, &st), STORE_OK);
	ck_assert_int_eq(store_schema_version(st), v);
	ck_assert_int_eq(count(st, NULL), 0);
	store_close(st);
	ck_assert_int_eq(store_open(store_target(path), STORE_RDONLY, &st), STORE_OK);
	ck_assert_int_eq(store_schema_version(st), v);
	store_close(st);
	ck_assert_int_ne(store_open("/nonexistent/x.db", 0, &st), STORE_OK);
	ck_assert_ptr_null(st);
}
END_TEST

START_TEST(test_batch_duplicate)
{
	struct store		*st = open_rw();
	struct submission	 a = sub_make(1, basic, NBASIC), b = sub_make(2, basic, 2);
	struct submission	 c = sub_make(1, basic, 1);
	struct submission	*v[] = { &a, &b, &c };
	enum store_err		 r[3];

	ck_assert_int_eq(store_responses_add(st, v, 3, r), STORE_OK);
	ck_assert_int_eq(r[0], STORE_OK);
	ck_assert_int_eq(r[1], STORE_OK);
	ck_assert_int_eq(r[2], STORE_DUPLICATE);
	ck_assert_int_eq(store_responses_add(st, &v[1], 1, r), STORE_OK);
	ck_assert_int_eq(r[0], STORE_DUPLICATE);
	ck_assert_int_eq(count(st, NULL), 2);
	ck_assert_int_eq(count(st, "park"), 2);
	ck_assert_int_eq(count(st, "roads"), 0);
	store_close(st);
}
END_TEST

/* The kept counts (store_count_*): stored only at the gen they were read at;
 * a response added through the writer's batch, or a purge, raises gen and
 * drops them in its own transaction, for that survey alone. */
START_TEST(test_count_gen)
{
	struct store		*st = open_rw();
	struct submission	 a = sub_make(1, basic, 2), b = sub_make(2, basic, 2);
	struct submission	*v[] = { &a, &b };
	struct store_purge_counts n;
	enum store_err		 r[2];
	int64_t			 gen, g2;

	ck_assert_ptr_null(store_kept(st, "park", &gen));
	ck_assert_int_eq(gen, 0);
	ck_assert_int_eq(store_count_put(st, "park", 0, (const unsigned char *)"c0", 2), STORE_OK);
	ck_assert_str_eq(store_kept(st, "park", &gen), "c0");
	ck_assert_int_eq(gen, 0);
	ck_assert_int_eq(store_count_put(st, "roads", 0, (const unsigned char *)"r0", 2), STORE_OK);

	ck_assert_int_eq(store_responses_add(st, v, 2, r), STORE_OK);
	ck_assert_ptr_null(store_kept(st, "park", &gen));
	ck_assert_int_eq(gen, 2);
	/* Counted before the responses came: not kept. */
	ck_assert_int_eq(store_count_put(st, "park", 0, (const unsigned char *)"c0", 2), STORE_OK);
	ck_assert_ptr_null(store_kept(st, "park", &g2));
	ck_assert_int_eq(g2, 2);
	ck_assert_int_eq(store_count_put(st, "park", 2, (const unsigned char *)"c2", 2), STORE_OK);
	ck_assert_str_eq(store_kept(st, "park", &g2), "c2");
	/* Another survey's are untouched. */
	ck_assert_str_eq(store_kept(st, "roads", &g2), "r0");
	ck_assert_int_eq(g2, 0);

	ck_assert_int_eq(store_purge_survey(st, "park", "2024-05-02", 1, &n), STORE_OK);
	store_kept(st, "park", &g2);
	ck_assert_int_eq(g2, 2);	/* a dry run writes nothing */
	ck_assert_int_eq(store_purge_survey(st, "park", "2024-05-02", 0, &n), STORE_OK);
	ck_assert_int_eq(count(st, "park"), 0);
	ck_assert_ptr_null(store_kept(st, "park", &g2));
	ck_assert_int_eq(g2, 4);
	store_close(st);
}
END_TEST

/* A counter whose counts are text: the kept bytes, then per response added
 * "+" and its first answer's value as read back.  fail: 1 = add fails,
 * 2 = close fails, 3 = open declines. */
struct fake {
	char	 text[256];
	int	 fail, opened, closed;
};

static void *
fake_open(void *ctx, const char *survey, const unsigned char *blob, size_t len)
{
	struct fake *f = ctx;

	ck_assert_str_eq(survey, "park");
	if (f->fail == 3 || len >= sizeof f->text)
		return NULL;
	memcpy(f->text, blob, len);
	f->text[len] = '\0';
	f->opened++;
	return f;
}

static int
fake_add(void *tally, const struct store_response *r)
{
	struct fake *f = tally;

	ck_assert_str_eq(r->survey, "park");
	for (size_t i = 0; i < r->nanswers; i++)	/* the text is not read */
		ck_assert(!r->answers[i].text && strcmp(r->answers[i].question, "q3") != 0);
	strcat(f->text, "+");
	strcat(f->text, r->answers[0].value);
	return f->fail == 1 ? -1 : 0;
}

static int
fake_close(void *tally, int keep, unsigned char **blob, size_t *len)
{
	struct fake *f = tally;

	f->closed++;
	if (!keep || f->fail == 2)
		return -1;
	*len = strlen(f->text);
	*blob = malloc(*len);
	memcpy(*blob, f->text, *len);
	return 0;
}

/* The park counts as text ("" when none are kept). */
static const char *
kept_text(struct store *st, int64_t *gen)
{
	const char *text = store_kept(st, "park", gen);

	return text != NULL ? text : "";
}

/* The park counts kept are text at gen, and nkept surveys' counts are kept. */
static void
kept_are(struct store *st, const char *text, int64_t gen, uint64_t nkept)
{
	int64_t g;

	ck_assert_str_eq(kept_text(st, &g), text);
	ck_assert_int_eq(g, gen);
	ck_assert_uint_eq(store_count_kept(st), nkept);
}

/* With a counter set, a batch adds its new responses (read back from their
 * rows, duplicates and refused ones left out) to counts that were kept, and
 * stores them at the gen its inserts made, in its own transaction; counts
 * not kept, a counter that declines or fails, and a failed batch leave them
 * dropped, as without a counter, and never cost a response. */
START_TEST(test_count_keep)
{
	struct store		*st = open_rw();
	struct store_answer	 other[] = { { "q1", "no", 2, 0, 0 }, basic[1], basic[3] };
	struct submission	 a = sub_make(1, basic, NBASIC), b = sub_make(2, other, 3);
	struct submission	 c = sub_make(1, basic, 1), d = sub_make(3, basic, NBASIC);
	struct submission	 e = sub_make(4, basic, NBASIC), f = sub_make(5, basic, NBASIC);
	struct submission	 bad = sub_make(6, basic, NBASIC), *v[] = { &a, &b, &c };
	struct store_counter	 cnt = { NULL, fake_open, fake_add, fake_close };
	struct fake		 fk = { "", 0, 0, 0 };
	enum store_err		 r[3];
	int64_t			 gen;

	cnt.ctx = &fk;
	store_set_counter(st, &cnt);
	/* Nothing kept yet: nothing to add to. */
	ck_assert_int_eq(store_responses_add(st, &v[0], 1, r), STORE_OK);
	ck_assert_str_eq(kept_text(st, &gen), "");
	ck_assert_int_eq(gen, 1);
	ck_assert_int_eq(fk.opened, 0);
	ck_assert_int_eq(store_count_put(st, "park", 1, (const unsigned char *)"c1", 2), STORE_OK);
	/* b is new, c a duplicate of a: only b is added, at gen 2. */
	ck_assert_int_eq(store_responses_add(st, &v[1], 2, r), STORE_OK);
	ck_assert_int_eq(r[1], STORE_DUPLICATE);
	kept_are(st, "c1+no", 2, 1);
	/* Two in one batch, one refused (a repeated question). */
	bad.answers = (struct store_answer[]){ basic[0], basic[0] };
	bad.nanswers = 2;
	v[0] = &d; v[1] = &bad; v[2] = &e;
	ck_assert_int_eq(store_responses_add(st, v, 3, r), STORE_OK);
	ck_assert_int_eq(r[1], STORE_INVALID);
	kept_are(st, "c1+no+yes+yes", 4, 2);
	ck_assert_int_eq(count(st, "park"), 4);
	/* A counter that fails: the counts are dropped, the response stored. */
	fk.fail = 1;
	add_one(st, &f);
	kept_are(st, "", 5, 2);
	ck_assert_int_eq(count(st, "park"), 5);
	ck_assert_int_eq(fk.opened, fk.closed);
	store_set_counter(st, NULL);
	store_close(st);
}
END_TEST

/* store_nonce_seen: what the writer uses to confirm a form stored before a
 * failed batch; under the nonce key only. */
START_TEST(test_nonce_seen)
{
	struct store		*st = open_rw();
	struct submission	 a = sub_make(7, basic, 2);
	unsigned char		 key[STORE_NONCE_KEY_BYTES], other[16];
	int			 seen = 1;

	ck_assert_int_eq(store_nonce_seen(st, a.nonce, &seen), STORE_OK);
	ck_assert_int_eq(seen, 0);
	add_one(st, &a);
	ck_assert_int_eq(store_nonce_seen(st, a.nonce, &seen), STORE_OK);
	ck_assert_int_eq(seen, 1);
	memset(other, 8, sizeof other);
	ck_assert_int_eq(store_nonce_seen(st, other, &seen), STORE_OK);
	ck_assert_int_eq(seen, 0);
	memset(key, 0x5a, sizeof key);
	store_set_nonce_key(st, key);
	ck_assert_int_eq(store_nonce_seen(st, a.nonce, &seen), STORE_OK);
	ck_assert_int_eq(seen, 0);
	store_close(st);
}
END_TEST

START_TEST(test_invalid_isolation)
{
	struct store_answer	 clash[] = { { "q2", "a", 1, 0, 0 }, { "q2", "b", 1, 0, 0 } };
	struct store_answer	 nullv[] = { { "q1", NULL, 0, 0, 0 } };
	struct store		*st = open_rw();
	struct submission	 ok1 = sub_make(1, basic, NBASIC), bad1 = sub_make(2, clash, 2);
	struct submission	 bad2 = sub_make(3, basic, 1), bad3 = sub_make(4, basic, 1);
	struct submission	 bad4 = sub_make(5, nullv, 1), ok2 = sub_make(6, basic, 2);
	struct submission	*v[] = { &ok1, &bad1, &bad2, &bad3, &bad4, &ok2 };
	enum store_err		 r[6];

	bad2.survey = "unregistered";
	bad3.day = "1 May";
	ck_assert_int_eq(store_responses_add(st, v, 6, r), STORE_OK);
	ck_assert_int_eq(r[0], STORE_OK);
	for (int i = 1; i < 5; i++)
		ck_assert_int_eq(r[i], STORE_INVALID);
	ck_assert_int_eq(r[5], STORE_OK);
	ck_assert_int_eq(count(st, NULL), 2);
	/* a refused submission used up nothing: fixed, its nonce is still good */
	bad1.nanswers = 1;
	ck_assert_int_eq(store_responses_add(st, &v[1], 1, r), STORE_OK);
	ck_assert_int_eq(r[0], STORE_OK);
	ck_assert_int_eq(count(st, NULL), 3);
	store_close(st);
}
END_TEST

START_TEST(test_text_needs_recipient)
{
	struct store		*st;
	struct submission	 a = sub_make(1, basic, NBASIC), b = sub_make(2, basic, 3);
	struct submission	*v[] = { &a, &b };
	enum store_err		 r[2];

	store_close(open_rw());
	ck_assert_int_eq(store_open(store_target(path), 0, &st), STORE_OK);
	ck_assert_int_eq(store_responses_add(st, v, 2, r), STORE_OK);
	ck_assert_int_eq(r[0], STORE_INVALID);
	ck_assert_int_eq(r[1], STORE_OK);
	store_close(st);
}
END_TEST

static int
flag_fn(void *ctx, const struct store_response *rp)
{
	int *flags = ctx;

	flags[rp->flagged]++;
	return 0;
}

/* The safeguarding flag is stored with its response and read back; the
 * other response is not flagged. */
START_TEST(test_flag_roundtrip)
{
	struct store		*st = open_rw();
	struct submission	 a = sub_make(1, basic, NBASIC), b = sub_make(2, basic, NBASIC);
	struct submission	*v[] = { &a, &b };
	enum store_err		 r[2];
	int			 flags[2] = { 0, 0 };

	a.flagged = 1;
	ck_assert_int_eq(store_responses_add(st, v, 2, r), STORE_OK);
	ck_assert_int_eq(store_each_response(st, NULL, NULL, flag_fn, flags), STORE_OK);
	ck_assert_int_eq(flags[0], 1);
	ck_assert_int_eq(flags[1], 1);
	store_close(st);
}
END_TEST

START_TEST(test_each_roundtrip)
{
	struct store		*st = open_rw();
	struct store_answer	 other[] = { { "z", "1", 1, 0, 0 }, { "a", "", 0, 0, 1 } };
	struct submission	 a = sub_make(1, basic, NBASIC), b = sub_make(2, other, 2);
	struct submission	 c = sub_make(3, NULL, 0);
	struct submission	*v[] = { &a, &b, &c };
	enum store_err		 r[3];
	struct opener		*op = opener_new(sk);
	struct collect		*col = calloc(1, sizeof *col);
	const char *want_a = "park|1|online|en|2024-05-01|q1:0:yes:0|q2:1:swings:0"
	    "|q2:2:slide:0|q3:0:" SECRET ":1";
	const char *want_b = "roads|1|paper|cy|2024-05-01|a:0::1|z:0:1:0";

	b.survey = "roads", b.channel = "paper", b.lang = "cy";
	c.day = NULL;
	ck_assert_int_eq(store_responses_add(st, v, 3, r), STORE_OK);
	ck_assert_int_eq(store_each_response(st, NULL, op, collect_fn, col), STORE_OK);
	ck_assert_uint_eq(col->n, 3);
	for (size_t i = 0; i < 3; i++) {
		const char *l = col->lines[i];
		ck_assert(strcmp(l, want_a) == 0 || strcmp(l, want_b) == 0 ||
		    (strncmp(l, "park|1|online|en|", 17) == 0 && strlen(l) == 27));
	}
	memset(col, 0, sizeof *col);
	ck_assert_int_eq(store_each_response(st, "roads", op, collect_fn, col), STORE_OK);
	ck_assert_uint_eq(col->n, 1);
	ck_assert_str_eq(col->lines[0], want_b);
	memset(col, 0, sizeof *col);
	ck_assert_int_eq(store_each_response(st, "park", NULL, collect_fn, col), STORE_OK);
	ck_assert_uint_eq(col->n, 2);
	ck_assert(strstr(col->lines[0], "Elm") == NULL && strstr(col->lines[1], "Elm") == NULL);
	memset(col, 0, sizeof *col);
	col->stop_after = 1;
	ck_assert_int_eq(store_each_response(st, NULL, op, collect_fn, col), STORE_OK);
	ck_assert_uint_eq(col->n, 1);
	opener_free(op);
	free(col);
	store_close(st);
}
END_TEST

START_TEST(test_wrong_key)
{
	struct store		*st = open_rw();
	struct submission	 a = sub_make(1, basic, NBASIC);
	unsigned char		 pk2[SEAL_KEY_BYTES], sk2[SEAL_KEY_BYTES];
	struct opener		*op;

	add_one(st, &a);
	ck_assert_int_eq(seal_keygen(pk2, sk2), 0);
	op = opener_new(sk2);
	ck_assert_int_eq(store_each_response(st, NULL, op, noop_fn, NULL), STORE_CORRUPT);
	opener_free(op);
	store_close(st);
}
END_TEST

START_TEST(test_rdonly)
{
	struct store		*st = open_rw();
	struct submission	 a = sub_make(1, basic, 2);
	struct submission	*v[] = { &a };
	enum store_err		 r[1];
	struct survey		 s;

	store_close(st);
	ck_assert_int_eq(store_open(store_target(path), STORE_RDONLY, &st), STORE_OK);
	ck_assert_int_ne(store_responses_add(st, v, 1, r), STORE_OK);
	ck_assert_int_ne(r[0], STORE_OK);
	memset(&s, 0, sizeof s);
	s.id = "x";
	ck_assert_int_ne(store_survey_register(st, &s), STORE_OK);
	ck_assert_int_eq(count(st, NULL), 0);
	ck_assert_int_eq(store_integrity(st), STORE_OK);
	store_close(st);
}
END_TEST

/* 10,000 texts end a period: the next submission starts a new one, and the
 * opener reads across both. */
START_TEST(test_rotation)
{
	enum { PER = 1000, SUBS = 11 };
	struct store		*st = open_rw();
	struct store_answer	*ans = calloc(PER, sizeof *ans);
	struct submission	 subs[SUBS], *v[SUBS];
	enum store_err		 r[SUBS];
	char			 (*q)[16] = calloc(PER, 16);
	struct opener		*op = opener_new(sk);
	int			 nkeys = 0;

	for (int i = 0; i < PER; i++) {
		snprintf(q[i], 16, "t%04d", i);
		ans[i] = (struct store_answer){ q[i], "hello", 5, 0, 1 };
	}
	for (int i = 0; i < SUBS; i++) {
		subs[i] = sub_make((unsigned char)(i + 1), ans, PER);
		v[i] = &subs[i];
	}
	ck_assert_int_eq(store_responses_add(st, v, SUBS, r), STORE_OK);
	nkeys = sql_int(st, "SELECT count(*) FROM seal_key");
	ck_assert_int_eq(nkeys, 2);
	ck_assert_int_eq(store_each_response(st, NULL, op, noop_fn, NULL), STORE_OK);
	opener_free(op);
	free(q);
	free(ans);
	store_close(st);
}
END_TEST

/* Values JSON must escape, several texts in one response, and answers given
 * out of order all come back as given, grouped by question, pos ascending. */
START_TEST(test_each_escapes)
{
	struct store_answer	 tricky[] = {
		{ "z\"q", "a\"b\\c\n\x01 caf\xc3\xa9", 13, 0, 0 },
		{ "t2", "second text \"quoted\"", 20, 0, 1 },
		{ "m", "two", 3, 2, 0 },
		{ "m", "one", 3, 1, 0 },
		{ "t1", SECRET, sizeof SECRET - 1, 0, 1 },
	};
	struct store		*st = open_rw();
	struct submission	 a = sub_make(1, tricky, 5);
	struct opener		*op = opener_new(sk);
	struct collect		*col = calloc(1, sizeof *col);

	add_one(st, &a);
	ck_assert_int_eq(store_each_response(st, NULL, op, collect_fn, col), STORE_OK);
	ck_assert_uint_eq(col->n, 1);
	ck_assert_str_eq(col->lines[0], "park|1|online|en|2024-05-01|m:1:one:0|m:2:two:0"
	    "|t1:0:" SECRET ":1|t2:0:second text \"quoted\":1"
	    "|z\"q:0:a\"b\\c\n\x01 caf\xc3\xa9:0");
	opener_free(op);
	free(col);
	store_close(st);
}
END_TEST

/* One response per device and survey, whatever the version: refused the
 * second time in the same batch and in a later one, and nothing of a refused
 * one stored, not even its nonce. */
START_TEST(test_device_once)
{
	struct store		*st = open_rw();
	struct submission	 a = sub_device(1, 1), b = sub_device(2, 1), c = sub_device(3, 2);
	struct submission	 v2 = sub_device(4, 1), roads = sub_device(5, 1);
	struct submission	*v[] = { &a, &b, &c }, *w[] = { &v2, &roads };
	enum store_err		 r[3];

	register_survey(st, "park", 2);
	v2.version = 2;
	roads.survey = "roads";

	ck_assert_int_eq(seen(st, "park", 1), 0);
	ck_assert_int_eq(store_responses_add(st, v, 3, r), STORE_OK);
	ck_assert_int_eq(r[0], STORE_OK);
	ck_assert_int_eq(r[1], STORE_DEVICE_USED);
	ck_assert_int_eq(r[2], STORE_OK);
	ck_assert_int_eq(seen(st, "park", 1), 1);
	ck_assert_int_eq(seen(st, "park", 2), 1);
	ck_assert_int_eq(seen(st, "roads", 1), 0);
	ck_assert_int_eq(seen(st, "park", 3), 0);

	ck_assert_int_eq(store_responses_add(st, w, 2, r), STORE_OK);
	ck_assert_int_eq(r[0], STORE_DEVICE_USED);	/* a later batch, another version */
	ck_assert_int_eq(r[1], STORE_OK);		/* another survey */
	ck_assert_int_eq(count(st, "park"), 2);
	ck_assert_int_eq(count(st, "roads"), 1);
	ck_assert_int_eq(sql_int(st, "SELECT count(*) FROM device"), 3);
	ck_assert_int_eq(sql_int(st, "SELECT count(*) FROM used_nonce"), 3);

	b.device = NULL;	/* its nonce was never used up */
	ck_assert_int_eq(store_responses_add(st, &v[1], 1, r), STORE_OK);
	ck_assert_int_eq(r[0], STORE_OK);
	ck_assert_int_eq(count(st, "park"), 3);
	ck_assert_int_eq(sql_int(st, "SELECT count(*) FROM device"), 3);
	ck_assert_int_eq(store_integrity(st), STORE_OK);
	store_close(st);
}
END_TEST

/* The same form sent twice (a double tap, a refresh) is a duplicate, as it
 * is without a device: its sender must see the confirmation, not a refusal. */
START_TEST(test_device_nonce_first)
{
	struct store		*st = open_rw();
	struct submission	 a = sub_device(1, 1), again = sub_device(1, 1);
	struct submission	 other = sub_device(2, 1);
	struct submission	*v[] = { &a, &again, &other };
	enum store_err		 r[3];

	ck_assert_int_eq(store_responses_add(st, v, 2, r), STORE_OK);
	ck_assert_int_eq(r[0], STORE_OK);
	ck_assert_int_eq(r[1], STORE_DUPLICATE);	/* in the same batch */
	/* in a later one, beside another form from the same device */
	ck_assert_int_eq(store_responses_add(st, &v[1], 2, r), STORE_OK);
	ck_assert_int_eq(r[0], STORE_DUPLICATE);
	ck_assert_int_eq(r[1], STORE_DEVICE_USED);
	ck_assert_int_eq(count(st, NULL), 1);
	ck_assert_int_eq(sql_int(st, "SELECT count(*) FROM device"), 1);
	store_close(st);
}
END_TEST

/* While another connection holds the write lock (SQLite's, or on
 * PostgreSQL a lock on the response table), an add fails with STORE_BUSY
 * once the busy timeout is over, and works after. */
START_TEST(test_busy)
{
	struct store		*st = open_rw(), *other;
	struct submission	 a = sub_make(1, basic, NBASIC);
	struct submission	*v[] = { &a };
	enum store_err		 r[1];

	ck_assert_int_eq(store_open(store_target(path), 0, &other), STORE_OK);
	ck_assert_int_eq(db_exec(other->db, store_target_pg() ?
	    "BEGIN; LOCK TABLE response IN EXCLUSIVE MODE" : "BEGIN IMMEDIATE"), DB_OK);
	store_set_busy_timeout(st, 50);
	ck_assert_int_eq(store_responses_add(st, v, 1, r), STORE_BUSY);
	ck_assert_int_eq(r[0], STORE_BUSY);
	ck_assert_int_eq(db_exec(other->db, "ROLLBACK"), DB_OK);
	store_close(other);
	ck_assert_int_eq(count(st, NULL), 0);
	ck_assert_int_eq(store_responses_add(st, v, 1, r), STORE_OK);
	ck_assert_int_eq(r[0], STORE_OK);
	store_close(st);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("store");

	store_fixture(unit_tcase(s, "store", test_migrate_reopen, test_flag_roundtrip,
	    test_batch_duplicate, test_invalid_isolation, test_text_needs_recipient,
	    test_each_roundtrip, test_each_escapes, test_wrong_key, test_rdonly, test_rotation,
	    test_device_once, test_device_nonce_first, test_nonce_seen, test_count_gen,
	    test_count_keep, test_busy, NULL));
	return unit_run(s, CK_FORK_GETENV);
}
