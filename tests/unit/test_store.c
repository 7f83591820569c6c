/* Tests for the store: migrations, group commit with duplicates and refused
 * submissions, sealing at rest, streaming, read-only, backup, busy, full and WAL checkpoints,
 * one response per device.
 * Some tests look inside (store_int.h) to provoke failures mid-transaction. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sodium.h>
#include "store_int.h"
#include "store_purge.h"

#define HASH	"0123456789abcdef0123456789abcdef"
#define SECRET	"the bins on Elm Road overflow every Tuesday 4471"

static char		 dir[64], path[128];
static unsigned char	 pk[SEAL_KEY_BYTES], sk[SEAL_KEY_BYTES];

static void
setup(void)
{
	ck_assert_int_ge(sodium_init(), 0);
	strcpy(dir, "/tmp/voices-store-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/v.db", dir);
	ck_assert_int_eq(seal_keygen(pk, sk), 0);
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void
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

static struct store *
open_rw(void)
{
	struct store *st;

	ck_assert_int_eq(store_open(path, STORE_CREATE, &st), STORE_OK);
	store_set_recipient(st, pk);
	register_survey(st, "park", 1);
	register_survey(st, "park", 1);		/* idempotent */
	register_survey(st, "roads", 1);
	return st;
}

/* A submission to "park" with nonce byte n and the answers given. */
static struct submission
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

static int64_t
count(struct store *st, const char *survey)
{
	int64_t n;

	ck_assert_int_eq(store_response_count(st, survey, &n), STORE_OK);
	return n;
}

static struct store_answer basic[] = {
	{ "q1", "yes", 3, 0, 0 },
	{ "q2", "swings", 6, 1, 0 },
	{ "q2", "slide", 5, 2, 0 },
	{ "q3", SECRET, sizeof SECRET - 1, 0, 1 },
};
#define NBASIC (sizeof basic / sizeof basic[0])

START_TEST(test_migrate_reopen)
{
	struct store *st = open_rw();
	int v = store_schema_version(st);	/* the latest migration */

	ck_assert_int_ge(v, 2);
	store_close(st);
	ck_assert_int_eq(store_open(path, 0, &st), STORE_OK);
	ck_assert_int_eq(store_schema_version(st), v);
	ck_assert_int_eq(count(st, NULL), 0);
	store_close(st);
	ck_assert_int_eq(store_open(path, STORE_RDONLY, &st), STORE_OK);
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
	unsigned char		*blob;
	size_t			 len;
	int64_t			 gen, g2;

	ck_assert_int_eq(store_count_get(st, "park", &gen, &blob, &len), STORE_OK);
	ck_assert_int_eq(gen, 0);
	ck_assert_ptr_null(blob);
	ck_assert_int_eq(store_count_put(st, "park", 0, (const unsigned char *)"c0", 2), STORE_OK);
	ck_assert_int_eq(store_count_get(st, "park", &gen, &blob, &len), STORE_OK);
	ck_assert_int_eq(gen, 0);
	ck_assert_uint_eq(len, 2);
	ck_assert_mem_eq(blob, "c0", 2);
	free(blob);
	ck_assert_int_eq(store_count_put(st, "roads", 0, (const unsigned char *)"r0", 2), STORE_OK);

	ck_assert_int_eq(store_responses_add(st, v, 2, r), STORE_OK);
	ck_assert_int_eq(store_count_get(st, "park", &gen, &blob, &len), STORE_OK);
	ck_assert_int_eq(gen, 2);
	ck_assert_ptr_null(blob);
	/* Counted before the responses came: not kept. */
	ck_assert_int_eq(store_count_put(st, "park", 0, (const unsigned char *)"c0", 2), STORE_OK);
	ck_assert_int_eq(store_count_get(st, "park", &g2, &blob, &len), STORE_OK);
	ck_assert_int_eq(g2, 2);
	ck_assert_ptr_null(blob);
	ck_assert_int_eq(store_count_put(st, "park", 2, (const unsigned char *)"c2", 2), STORE_OK);
	ck_assert_int_eq(store_count_get(st, "park", &g2, &blob, &len), STORE_OK);
	ck_assert_mem_eq(blob, "c2", 2);
	free(blob);
	/* Another survey's are untouched. */
	ck_assert_int_eq(store_count_get(st, "roads", &g2, &blob, &len), STORE_OK);
	ck_assert_int_eq(g2, 0);
	ck_assert_mem_eq(blob, "r0", 2);
	free(blob);

	ck_assert_int_eq(store_purge_survey(st, "park", "2024-05-02", 1, &n), STORE_OK);
	ck_assert_int_eq(store_count_get(st, "park", &g2, &blob, &len), STORE_OK);
	ck_assert_int_eq(g2, 2);	/* a dry run writes nothing */
	free(blob);
	ck_assert_int_eq(store_purge_survey(st, "park", "2024-05-02", 0, &n), STORE_OK);
	ck_assert_int_eq(count(st, "park"), 0);
	ck_assert_int_eq(store_count_get(st, "park", &g2, &blob, &len), STORE_OK);
	ck_assert_int_eq(g2, 4);
	ck_assert_ptr_null(blob);
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
	static char text[256];
	unsigned char *blob;
	size_t len;

	ck_assert_int_eq(store_count_get(st, "park", gen, &blob, &len), STORE_OK);
	ck_assert_uint_lt(len, sizeof text);
	memcpy(text, blob ? (char *)blob : "", len);
	text[len] = '\0';
	free(blob);
	return text;
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
	ck_assert_str_eq(kept_text(st, &gen), "c1+no");
	ck_assert_int_eq(gen, 2);
	ck_assert_uint_eq(store_count_kept(st), 1);
	/* Two in one batch, one refused (a repeated question). */
	bad.answers = (struct store_answer[]){ basic[0], basic[0] };
	bad.nanswers = 2;
	v[0] = &d; v[1] = &bad; v[2] = &e;
	ck_assert_int_eq(store_responses_add(st, v, 3, r), STORE_OK);
	ck_assert_int_eq(r[1], STORE_INVALID);
	ck_assert_str_eq(kept_text(st, &gen), "c1+no+yes+yes");
	ck_assert_int_eq(gen, 4);
	ck_assert_uint_eq(store_count_kept(st), 2);
	ck_assert_int_eq(count(st, "park"), 4);
	/* A counter that fails: the counts are dropped, the response stored. */
	fk.fail = 1;
	v[0] = &f;
	ck_assert_int_eq(store_responses_add(st, v, 1, r), STORE_OK);
	ck_assert_int_eq(r[0], STORE_OK);
	ck_assert_str_eq(kept_text(st, &gen), "");
	ck_assert_int_eq(gen, 5);
	ck_assert_uint_eq(store_count_kept(st), 2);
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
	struct submission	*v[] = { &a };
	unsigned char		 key[STORE_NONCE_KEY_BYTES], other[16];
	enum store_err		 r[1];
	int			 seen = 1;

	ck_assert_int_eq(store_nonce_seen(st, a.nonce, &seen), STORE_OK);
	ck_assert_int_eq(seen, 0);
	ck_assert_int_eq(store_responses_add(st, v, 1, r), STORE_OK);
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

/* The reserve: made once, its absence reads as full, released on demand. */
START_TEST(test_reserve)
{
	char		 rpath[160];
	struct stat	 sb;
	uint64_t	 free_bytes = 0;

	snprintf(rpath, sizeof rpath, "%s.reserve", path);
	ck_assert_int_eq(store_space(path, &free_bytes), STORE_SPACE_FULL);
	ck_assert_int_eq(store_reserve_make(path), STORE_OK);
	ck_assert_int_eq(stat(rpath, &sb), 0);
	ck_assert_int_ge(sb.st_size, STORE_RESERVE_BYTES);
	ck_assert_int_eq(store_reserve_make(path), STORE_OK);	/* already there */
	ck_assert_int_ne(store_space(path, &free_bytes), STORE_SPACE_FULL);
	ck_assert_uint_gt(free_bytes, 0);
	store_reserve_release(path);
	ck_assert_int_ne(stat(rpath, &sb), 0);
	ck_assert_int_eq(store_space(path, &free_bytes), STORE_SPACE_FULL);
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
	ck_assert_int_eq(store_open(path, 0, &st), STORE_OK);
	ck_assert_int_eq(store_responses_add(st, v, 2, r), STORE_OK);
	ck_assert_int_eq(r[0], STORE_INVALID);
	ck_assert_int_eq(r[1], STORE_OK);
	store_close(st);
}
END_TEST

/* Reads a whole file; *n = 0 when it does not exist. */
static unsigned char *
slurp(const char *p, size_t *n)
{
	FILE		*f = fopen(p, "rb");
	unsigned char	*b = NULL;
	long		 len;

	*n = 0;
	if (f == NULL)
		return NULL;
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	b = malloc((size_t)len + 1);
	*n = fread(b, 1, (size_t)len, f);
	fclose(f);
	return b;
}

static int
file_has(const char *p, const char *needle)
{
	size_t		 n;
	unsigned char	*b = slurp(p, &n);
	int		 found = b != NULL && memmem(b, n, needle, strlen(needle)) != NULL;

	free(b);
	return found;
}

START_TEST(test_sealed_at_rest)
{
	struct store		*st = open_rw();
	struct submission	 a = sub_make(1, basic, NBASIC);
	struct submission	*v[] = { &a };
	enum store_err		 r[1];
	char			 wal[160];

	ck_assert_int_eq(store_responses_add(st, v, 1, r), STORE_OK);
	snprintf(wal, sizeof wal, "%s-wal", path);
	ck_assert(file_has(wal, "swings"));	/* the check can see plain values */
	ck_assert(!file_has(wal, "Elm Road"));
	ck_assert(!file_has(path, "Elm Road"));
	store_close(st);
	ck_assert(file_has(path, "swings"));
	ck_assert(!file_has(path, "Elm Road"));
	ck_assert(!file_has(wal, "Elm Road"));
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

/* Collects responses as one canonical line each. */
struct collect {
	char	 lines[64][512];
	size_t	 n;
	int	 stop_after;
};

static int
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

static int
noop_fn(void *ctx, const struct store_response *rp)
{
	(void)ctx, (void)rp;
	return 0;
}

START_TEST(test_wrong_key)
{
	struct store		*st = open_rw();
	struct submission	 a = sub_make(1, basic, NBASIC);
	struct submission	*v[] = { &a };
	enum store_err		 r[1];
	unsigned char		 pk2[SEAL_KEY_BYTES], sk2[SEAL_KEY_BYTES];
	struct opener		*op;

	ck_assert_int_eq(store_responses_add(st, v, 1, r), STORE_OK);
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
	ck_assert_int_eq(store_open(path, STORE_RDONLY, &st), STORE_OK);
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

START_TEST(test_backup)
{
	struct store		*st = open_rw(), *bk;
	struct submission	 a = sub_make(1, basic, NBASIC), b = sub_make(2, basic, 2);
	struct submission	*v[] = { &a, &b };
	enum store_err		 r[2];
	char			 dest[160];

	int64_t			 n = -1;

	ck_assert_int_eq(store_responses_add(st, v, 2, r), STORE_OK);
	snprintf(dest, sizeof dest, "%s/backup.db", dir);
	ck_assert_int_eq(store_backup(st, dest, &n), STORE_OK);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(store_integrity(st), STORE_OK);
	store_close(st);
	ck_assert_int_eq(store_open(dest, STORE_RDONLY, &bk), STORE_OK);
	ck_assert_int_eq(count(bk, NULL), 2);
	ck_assert_int_eq(store_integrity(bk), STORE_OK);
	store_close(bk);
}
END_TEST

/* Adds the one submission v[0] while another connection holds the write
 * lock: it fails with STORE_BUSY. */
static void
add_while_locked(struct store *st, struct submission **v)
{
	enum store_err	 r[1];
	sqlite3		*other;

	ck_assert_int_eq(sqlite3_open(path, &other), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	store_set_busy_timeout(st, 50);
	ck_assert_int_eq(store_responses_add(st, v, 1, r), STORE_BUSY);
	ck_assert_int_eq(r[0], STORE_BUSY);
	ck_assert_int_eq(sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(other);
}

START_TEST(test_busy)
{
	struct store		*st = open_rw();
	struct submission	 a = sub_make(1, basic, NBASIC);
	struct submission	*v[] = { &a };
	enum store_err		 r[1];

	add_while_locked(st, v);
	ck_assert_int_eq(count(st, NULL), 0);
	ck_assert_int_eq(store_responses_add(st, v, 1, r), STORE_OK);
	ck_assert_int_eq(r[0], STORE_OK);
	store_close(st);
}
END_TEST

static void
raw_exec(struct store *st, const char *sql)
{
	ck_assert_int_eq(sqlite3_exec(st->db, sql, NULL, NULL, NULL), SQLITE_OK);
}

/* The disk fills mid-transaction, after a new period's key row went in: the
 * batch fails whole and the key row is inserted again next time. */
START_TEST(test_full_forgets_key)
{
	static char		 big[200000];
	struct store		*st = open_rw();
	struct store_answer	 t[] = { { "t", big, sizeof big - 1, 0, 1 } };
	struct submission	 a = sub_make(1, t, 1), b = sub_make(2, basic, NBASIC);
	struct submission	*v[] = { &a, &b };
	enum store_err		 r[2];
	struct opener		*op = opener_new(sk);

	memset(big, 'x', sizeof big - 1);
	raw_exec(st, "PRAGMA max_page_count = 12");
	ck_assert_int_eq(store_responses_add(st, v, 2, r), STORE_FULL);
	ck_assert_int_eq(r[0], STORE_FULL);
	ck_assert_int_eq(r[1], STORE_FULL);
	ck_assert_ptr_nonnull(st->sealer);
	ck_assert_int_eq(st->key_id, 0);
	raw_exec(st, "PRAGMA max_page_count = 1000000");
	ck_assert_int_eq(store_responses_add(st, &v[1], 1, r), STORE_OK);
	ck_assert_int_eq(r[0], STORE_OK);
	ck_assert_int_eq(count(st, NULL), 1);
	ck_assert_int_eq(store_each_response(st, NULL, op, noop_fn, NULL), STORE_OK);
	opener_free(op);
	store_close(st);
}
END_TEST

static int
count_keys(void *ctx, int nc, char **vals, char **names)
{
	(void)nc, (void)names;
	*(int *)ctx = atoi(vals[0]);
	return 0;
}

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
	ck_assert_int_eq(sqlite3_exec(st->db, "SELECT count(*) FROM seal_key", count_keys,
	    &nkeys, NULL), SQLITE_OK);
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
	struct submission	*v[] = { &a };
	enum store_err		 r[1];
	struct opener		*op = opener_new(sk);
	struct collect		*col = calloc(1, sizeof *col);

	ck_assert_int_eq(store_responses_add(st, v, 1, r), STORE_OK);
	ck_assert_int_eq(r[0], STORE_OK);
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

/* A database written before migration 4 (one row per answer, one seal per
 * text): opening it moves the answers into their responses, and they read
 * back the same, the old seals opened with the same key.  Of migration 3's
 * poll tables it has the ones later migrations change. */
START_TEST(test_migrate_rows)
{
	static const char *old =
	    "CREATE TABLE schema_version (version INTEGER PRIMARY KEY);"
	    "INSERT INTO schema_version VALUES (1), (2), (3);"
	    "CREATE TABLE survey (id TEXT NOT NULL, version INTEGER NOT NULL,"
	    " def_hash TEXT NOT NULL, title TEXT NOT NULL, first_seen_day TEXT NOT NULL,"
	    " PRIMARY KEY (id, version, def_hash)) WITHOUT ROWID;"
	    "CREATE TABLE seal_key (id INTEGER PRIMARY KEY, public_key BLOB NOT NULL,"
	    " recipient BLOB NOT NULL);"
	    "CREATE TABLE response (id INTEGER PRIMARY KEY CHECK (id > 0), survey TEXT NOT NULL,"
	    " version INTEGER NOT NULL, def_hash TEXT NOT NULL, channel TEXT NOT NULL,"
	    " lang TEXT NOT NULL, day TEXT NOT NULL) WITHOUT ROWID;"
	    "CREATE TABLE answer (response INTEGER NOT NULL REFERENCES response (id),"
	    " question TEXT NOT NULL, pos INTEGER NOT NULL, value TEXT, sealed BLOB,"
	    " seal_key INTEGER REFERENCES seal_key (id),"
	    " PRIMARY KEY (response, question, pos)) WITHOUT ROWID;"
	    "CREATE TABLE used_nonce (hash BLOB PRIMARY KEY, day TEXT NOT NULL) WITHOUT ROWID;"
	    "CREATE TABLE poll_vote (session INTEGER NOT NULL, q INTEGER NOT NULL,"
	    " item INTEGER NOT NULL DEFAULT 0, voter BLOB NOT NULL, value TEXT NOT NULL,"
	    " text INTEGER NOT NULL DEFAULT 0, approved INTEGER NOT NULL DEFAULT 0,"
	    " PRIMARY KEY (session, q, item, voter)) WITHOUT ROWID;"
	    "CREATE TABLE poll_session (id INTEGER PRIMARY KEY, saved INTEGER NOT NULL DEFAULT 0);"
	    "CREATE TABLE poll_statement (id INTEGER PRIMARY KEY, session INTEGER NOT NULL,"
	    " q INTEGER NOT NULL, text TEXT NOT NULL, state INTEGER NOT NULL DEFAULT 0);"
	    "CREATE TABLE poll_presence (session INTEGER NOT NULL, who BLOB NOT NULL,"
	    " seen INTEGER NOT NULL, PRIMARY KEY (session, who)) WITHOUT ROWID;"
	    "CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT NOT NULL, staff TEXT NOT NULL,"
	    " action TEXT NOT NULL, detail TEXT);"
	    "INSERT INTO audit VALUES (1, '2024-05-01T09:00:00Z', 'ann', 'login', NULL),"
	    " (2, '2024-05-01T09:01:00Z', 'ann', 'user_created', 'name=bo');"
	    "INSERT INTO survey VALUES ('park', 1, '" HASH "', 'Park', '2024-05-01');"
	    "INSERT INTO response VALUES (7, 'park', 1, '" HASH "', 'online', 'en', '2024-05-01'),"
	    " (9, 'park', 1, '" HASH "', 'paper', 'cy', '2024-05-02');"
	    "INSERT INTO answer VALUES (7, 'q1', 0, 'yes', NULL, NULL),"
	    " (7, 'q2', 1, 'swings', NULL, NULL), (7, 'q2', 2, 'slide', NULL, NULL);";
	struct sealer		*se = sealer_new(pk);
	const char		*texts[] = { SECRET, "" };
	unsigned char		 blob[2][sizeof SECRET + SEAL_OVERHEAD];
	sqlite3			*db;
	sqlite3_stmt		*q;
	struct store		*st;
	struct opener		*op = opener_new(sk);
	struct collect		*col = calloc(1, sizeof *col);
	struct store_audit_verify v;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, old, NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "INSERT INTO seal_key VALUES (5, ?1, ?1)", -1,
	    &q, NULL), SQLITE_OK);
	sqlite3_bind_blob(q, 1, sealer_public(se), SEAL_KEY_BYTES, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(q), SQLITE_DONE);
	sqlite3_finalize(q);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "INSERT INTO answer VALUES (7, ?1, 0, NULL, ?2, 5)",
	    -1, &q, NULL), SQLITE_OK);
	for (int i = 0; i < 2; i++) {
		sealer_seal(se, texts[i], strlen(texts[i]), blob[i]);
		sqlite3_bind_text(q, 1, i == 0 ? "q3" : "q0", -1, SQLITE_STATIC);
		sqlite3_bind_blob(q, 2, blob[i], (int)(strlen(texts[i]) + SEAL_OVERHEAD),
		    SQLITE_STATIC);
		ck_assert_int_eq(sqlite3_step(q), SQLITE_DONE);
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	sqlite3_close(db);
	sealer_free(se);

	ck_assert_int_eq(store_open(path, 0, &st), STORE_OK);
	ck_assert_int_ge(store_schema_version(st), 4);
	ck_assert_int_eq(count(st, NULL), 2);
	ck_assert_int_eq(store_each_response(st, NULL, op, collect_fn, col), STORE_OK);
	ck_assert_uint_eq(col->n, 2);
	ck_assert_str_eq(col->lines[0], "park|1|online|en|2024-05-01|q0:0::1|q1:0:yes:0"
	    "|q2:1:swings:0|q2:2:slide:0|q3:0:" SECRET ":1");
	ck_assert_str_eq(col->lines[1], "park|1|paper|cy|2024-05-02");
	ck_assert_int_eq(store_integrity(st), STORE_OK);
	memset(&v, 0, sizeof v);
	ck_assert_int_eq(store_audit_verify(st, &v), STORE_OK);	/* old rows chained */
	ck_assert_int_eq(v.why, STORE_AUDIT_INTACT);
	ck_assert_int_eq(v.entries, 2);
	store_close(st);
	opener_free(op);
	free(col);
}
END_TEST

static int
int_of(void *ctx, int nc, char **vals, char **names)
{
	(void)nc, (void)names;
	*(int *)ctx = atoi(vals[0]);
	return 0;
}

static off_t
wal_bytes(void)
{
	char		 wal[160];
	struct stat	 sb;

	snprintf(wal, sizeof wal, "%s-wal", path);
	return stat(wal, &sb) == 0 ? sb.st_size : -1;
}

/* Stores n submissions with nonce bytes from first on, one transaction each. */
static void
add_n(struct store *st, int first, int n)
{
	for (int i = first; i < first + n; i++) {
		struct submission	 a = sub_make((unsigned char)i, basic, NBASIC);
		struct submission	*v[] = { &a };
		enum store_err		 r[1];

		ck_assert_int_eq(store_responses_add(st, v, 1, r), STORE_OK);
		ck_assert_int_eq(r[0], STORE_OK);
	}
}

/* With autocheckpoint off the writer's commits stay in the WAL; a second
 * connection copies them (PASSIVE) and then empties the file (TRUNCATE). */
START_TEST(test_checkpoint)
{
	struct store	*st = open_rw(), *ck;
	int		 pages = -2, log = -2, done = -2;

	ck_assert_int_eq(store_set_autocheckpoint(st, 0), STORE_OK);
	ck_assert_int_eq(sqlite3_exec(st->db, "PRAGMA wal_autocheckpoint", int_of, &pages,
	    NULL), SQLITE_OK);
	ck_assert_int_eq(pages, 0);
	ck_assert_int_eq(store_open(path, 0, &ck), STORE_OK);
	ck_assert_int_eq(store_checkpoint(ck, STORE_CKPT_PASSIVE, &log, &done), STORE_OK);
	add_n(st, 1, 20);
	ck_assert_int_eq(store_checkpoint(ck, STORE_CKPT_PASSIVE, &log, &done), STORE_OK);
	ck_assert_int_gt(log, 0);
	ck_assert_int_eq(done, log);
	ck_assert_int_gt(wal_bytes(), 0);
	ck_assert_int_eq(store_checkpoint(ck, STORE_CKPT_TRUNCATE, &log, &done), STORE_OK);
	ck_assert_int_eq(log, 0);
	ck_assert_int_eq(wal_bytes(), 0);
	ck_assert_int_eq(store_checkpoint(ck, STORE_CKPT_RESTART, NULL, NULL), STORE_OK);
	ck_assert_int_eq(store_checkpoint(ck, (enum store_ckpt)7, &log, &done), STORE_INVALID);
	ck_assert_int_eq(log, -1);
	add_n(st, 21, 5);
	store_close(ck);
	store_close(st);
	ck_assert_int_eq(store_open(path, STORE_RDONLY, &st), STORE_OK);
	ck_assert_int_eq(count(st, NULL), 25);
	store_close(st);
}
END_TEST

/* A long read (the analysis tool) pins its snapshot: PASSIVE copies only up
 * to it and returns at once, TRUNCATE with no busy timeout gives up at once,
 * the reader still sees its snapshot, and nothing committed is lost. */
START_TEST(test_checkpoint_reader)
{
	struct store	*st = open_rw(), *ck, *rd;
	int		 log, done;
	int64_t		 n;

	ck_assert_int_eq(store_set_autocheckpoint(st, 0), STORE_OK);
	ck_assert_int_eq(store_open(path, 0, &ck), STORE_OK);
	store_set_busy_timeout(ck, 0);
	add_n(st, 1, 5);
	ck_assert_int_eq(store_open(path, STORE_RDONLY, &rd), STORE_OK);
	raw_exec(rd, "BEGIN");
	ck_assert_int_eq(count(rd, NULL), 5);
	add_n(st, 6, 5);
	ck_assert_int_eq(store_checkpoint(ck, STORE_CKPT_PASSIVE, &log, &done), STORE_OK);
	ck_assert_int_lt(done, log);
	ck_assert_int_eq(store_checkpoint(ck, STORE_CKPT_TRUNCATE, &log, &done), STORE_BUSY);
	ck_assert_int_gt(wal_bytes(), 0);
	ck_assert_int_eq(count(rd, NULL), 5);
	raw_exec(rd, "COMMIT");
	ck_assert_int_eq(store_response_count(rd, NULL, &n), STORE_OK);
	ck_assert_int_eq(n, 10);
	ck_assert_int_eq(store_checkpoint(ck, STORE_CKPT_TRUNCATE, &log, &done), STORE_OK);
	ck_assert_int_eq(wal_bytes(), 0);
	store_close(rd);
	store_close(ck);
	store_close(st);
	ck_assert_int_eq(store_open(path, STORE_RDONLY, &st), STORE_OK);
	ck_assert_int_eq(count(st, NULL), 10);
	ck_assert_int_eq(store_integrity(st), STORE_OK);
	store_close(st);
}
END_TEST

/* Random ids split leaves all over the tree (SQLite renumbers split pages
 * through a spare page number past the end of the file, which the page cache
 * of store_pcache.c keeps track of), and a batch that fills the disk rolls
 * back pages past the old end: after rounds of both, every stored response
 * is there once, readable, and the file is sound. */
START_TEST(test_splits_and_rollbacks)
{
	static char		 wide[1500];
	struct store		*st = open_rw();
	struct store_answer	 a[] = { { "q1", wide, sizeof wide - 1, 0, 0 } };
	struct submission	 subs[40], *v[40];
	enum store_err		 r[40];
	struct opener		*op = opener_new(sk);
	int			 pages, stored = 0;
	char			 sql[64];

	memset(wide, 'w', sizeof wide - 1);
	for (int round = 0; round < 12; round++) {
		for (int i = 0; i < 40; i++) {
			subs[i] = sub_make(0, a, 1);
			randombytes_buf(subs[i].nonce, sizeof subs[i].nonce);
			v[i] = &subs[i];
		}
		ck_assert_int_eq(store_responses_add(st, v, 20, r), STORE_OK);
		stored += 20;
		ck_assert_int_eq(sqlite3_exec(st->db, "PRAGMA page_count", int_of, &pages, NULL),
		    SQLITE_OK);
		snprintf(sql, sizeof sql, "PRAGMA max_page_count = %d", pages + 4);
		raw_exec(st, sql);
		ck_assert_int_eq(store_responses_add(st, &v[20], 20, r), STORE_FULL);
		raw_exec(st, "PRAGMA max_page_count = 1000000");
	}
	ck_assert_int_eq(count(st, NULL), stored);
	ck_assert_int_eq(store_each_response(st, NULL, op, noop_fn, NULL), STORE_OK);
	ck_assert_int_eq(store_integrity(st), STORE_OK);
	opener_free(op);
	store_close(st);
	ck_assert_int_eq(store_open(path, STORE_RDONLY, &st), STORE_OK);
	ck_assert_int_eq(count(st, NULL), stored);
	ck_assert_int_eq(store_integrity(st), STORE_OK);
	store_close(st);
}
END_TEST

/* A submission to "park" with nonce byte n from the device whose hash is
 * STORE_DEVICE_BYTES of byte d (kept in devs[d]). */
static unsigned char devs[4][STORE_DEVICE_BYTES];

static struct submission
sub_device(unsigned char n, int d)
{
	struct submission sub = sub_make(n, basic, 2);

	memset(devs[d], d, sizeof devs[d]);
	sub.device = devs[d];
	return sub;
}

static int
seen(struct store *st, const char *survey, int d)
{
	int s = -1;

	ck_assert_int_eq(store_device_seen(st, survey, devs[d], &s), STORE_OK);
	return s;
}

/* The single integer a query returns. */
static int
sql_int(struct store *st, const char *sql)
{
	int v = -1;

	ck_assert_int_eq(sqlite3_exec(st->db, sql, int_of, &v, NULL), SQLITE_OK);
	return v;
}

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

/* A batch that fails leaves no device row behind: the device may answer. */
START_TEST(test_device_failed_batch)
{
	struct store		*st = open_rw();
	struct submission	 a = sub_device(1, 1);
	struct submission	*v[] = { &a };
	enum store_err		 r[1];

	add_while_locked(st, v);
	ck_assert_int_eq(seen(st, "park", 1), 0);
	ck_assert_int_eq(store_responses_add(st, v, 1, r), STORE_OK);
	ck_assert_int_eq(r[0], STORE_OK);
	ck_assert_int_eq(seen(st, "park", 1), 1);
	store_close(st);
}
END_TEST

/* The device table holds the survey and the hash, nothing else, and is
 * kept in key order (no rowid that would follow arrival). */
START_TEST(test_device_columns)
{
	struct store	*st = open_rw();
	sqlite3_stmt	*q;
	const char	*want[] = { "survey", "hash" };
	int		 n = 0;

	ck_assert_int_eq(sqlite3_prepare_v2(st->db, "SELECT name, pk FROM pragma_table_info('device')"
	    " ORDER BY cid", -1, &q, NULL), SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW) {
		ck_assert_int_lt(n, 2);
		ck_assert_str_eq((const char *)sqlite3_column_text(q, 0), want[n]);
		ck_assert_int_gt(sqlite3_column_int(q, 1), 0);
		n++;
	}
	sqlite3_finalize(q);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(sql_int(st, "SELECT count(*) FROM sqlite_schema WHERE name = 'device'"
	    " AND sql LIKE '%WITHOUT ROWID%'"), 1);
	store_close(st);
}
END_TEST

/* A read-only open (the analysis tool) takes only this version's schema and
 * says so otherwise (a database from another version, a file of something
 * else); the app's own open refuses a newer schema the same way. */
START_TEST(test_schema_versions)
{
	struct store	*st = open_rw();
	int		 v = store_schema_version(st);
	char		 sql[96], other[160];
	FILE		*f;

	snprintf(sql, sizeof sql, "INSERT INTO schema_version VALUES (%d)", v + 1);
	raw_exec(st, sql);
	store_close(st);
	ck_assert_int_eq(store_open(path, STORE_RDONLY, &st), STORE_SCHEMA);
	ck_assert_ptr_null(st);
	ck_assert_int_eq(store_open(path, 0, &st), STORE_SCHEMA);
	ck_assert_ptr_null(st);
	ck_assert_ptr_nonnull(strstr(store_strerror(STORE_SCHEMA), "voices init"));

	snprintf(other, sizeof other, "%s/other.db", dir);
	ck_assert_ptr_nonnull(f = fopen(other, "w"));
	fclose(f);
	ck_assert_int_eq(store_open(other, STORE_RDONLY, &st), STORE_SCHEMA);
	ck_assert_ptr_null(st);
}
END_TEST

/* A backup copies a database of any schema version as it is: between an
 * upgrade and the server's restart the file is still the older one. */
START_TEST(test_backup_other_version)
{
	struct store	*st = open_rw(), *src;
	char		 sql[96], dest[160];
	int64_t		 n = -1;

	add_n(st, 1, 3);
	snprintf(sql, sizeof sql, "INSERT INTO schema_version VALUES (%d)",
	    store_schema_version(st) + 1);
	raw_exec(st, sql);
	store_close(st);
	ck_assert_int_eq(store_open(path, STORE_RDONLY, &src), STORE_SCHEMA);
	ck_assert_int_eq(store_open(path, STORE_COPY, &src), STORE_OK);
	snprintf(dest, sizeof dest, "%s/backup.db", dir);
	ck_assert_int_eq(store_backup(src, dest, &n), STORE_OK);
	ck_assert_int_eq(n, 3);
	store_close(src);
	ck_assert_int_eq(store_open(dest, STORE_RDONLY, &src), STORE_SCHEMA);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("store");
	TCase	*tc = tcase_create("store");
	SRunner	*sr;
	int	 nf;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_migrate_reopen);
	tcase_add_test(tc, test_flag_roundtrip);
	tcase_add_test(tc, test_schema_versions);
	tcase_add_test(tc, test_batch_duplicate);
	tcase_add_test(tc, test_invalid_isolation);
	tcase_add_test(tc, test_text_needs_recipient);
	tcase_add_test(tc, test_sealed_at_rest);
	tcase_add_test(tc, test_each_roundtrip);
	tcase_add_test(tc, test_each_escapes);
	tcase_add_test(tc, test_migrate_rows);
	tcase_add_test(tc, test_wrong_key);
	tcase_add_test(tc, test_rdonly);
	tcase_add_test(tc, test_backup);
	tcase_add_test(tc, test_backup_other_version);
	tcase_add_test(tc, test_busy);
	tcase_add_test(tc, test_full_forgets_key);
	tcase_add_test(tc, test_rotation);
	tcase_add_test(tc, test_checkpoint);
	tcase_add_test(tc, test_checkpoint_reader);
	tcase_add_test(tc, test_splits_and_rollbacks);
	tcase_add_test(tc, test_device_once);
	tcase_add_test(tc, test_device_nonce_first);
	tcase_add_test(tc, test_device_failed_batch);
	tcase_add_test(tc, test_device_columns);
	tcase_add_test(tc, test_nonce_seen);
	tcase_add_test(tc, test_count_gen);
	tcase_add_test(tc, test_count_keep);
	tcase_add_test(tc, test_reserve);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
