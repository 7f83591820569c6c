/* Tests for keeping a survey's counts current as responses are stored
 * (analysis/tally_keep.c through core/store_count.c): counts kept, then
 * added to batch by batch by store_responses_add, give the very report (CSV
 * byte for byte) a count afresh of the database gives, new days and
 * languages included; a survey the counter has no file for is only dropped. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export.h"
#include "report.h"
#include "survey.h"
#include "tally.h"
#include "an_unit.h"

#define SURVEY	"residents-2026"

static char dir[64], path[128];

/* Submission k of survey s: an answer to most closed questions, varied with
 * k; its strings live in the arrays given. */
static void
make_sub(const struct survey *s, size_t k, struct submission *sub, struct store_answer *a,
    char (*nums)[16], char *day)
{
	static const char *const chans[] = { "online", "paper", "stall" };
	static const char *const langs[] = { "en", "pl", "so", "tr" };
	size_t n = 0, nn = 0;

	memset(sub, 0, sizeof(*sub));
	sub->survey = s->id;
	sub->version = s->version;
	sub->def_hash = s->hash;
	sub->channel = chans[k % 3];
	sub->lang = langs[k < 300 ? k % 3 : k % 4];	/* "tr" only among the later ones */
	snprintf(day, 11, "2026-03-%02zu", 1 + k / 12 % 28);
	sub->day = day;
	sub->flagged = k % 11 == 0;
	for (size_t b = 0; b < 8; b++)
		sub->nonce[b] = (unsigned char)(k >> (8 * b));
	for (size_t i = 0; i < s->nqs && n + 16 < 256; i++) {
		const struct question *q = &s->qs[i];
		if ((k + i) % 7 == 0)
			continue;
		if (q->type == Q_NUMBER && nn < 32) {
			snprintf(nums[nn], 16, "%ld", q->min + (long)(k % 40));
			a[n++] = (struct store_answer){ q->id, nums[nn], strlen(nums[nn]), 0, 0 };
			nn++;
		} else if (q->type == Q_RANKING) {
			for (size_t o = 0; o < q->nopts && o < 3; o++) {
				const char *c = q->opts[(o + k) % q->nopts].code;
				a[n++] = (struct store_answer){ q->id, c, strlen(c), (int)o + 1, 0 };
			}
		} else if (q->nopts > 0 && q->type != Q_TEXT && q->type != Q_LONGTEXT) {
			const char *c = q->opts[k % q->nopts].code;
			a[n++] = (struct store_answer){ q->id, c, strlen(c), 0, 0 };
			if (q->type == Q_MULTI && q->nopts > 1 && k % 2) {
				c = q->opts[(k + 1) % q->nopts].code;
				a[n++] = (struct store_answer){ q->id, c, strlen(c), 1, 0 };
			}
		}
	}
	sub->answers = a;
	sub->nanswers = n;
}

/* Stores submissions from .. from+n-1 (and the one before from again, a duplicate). */
static void
add_batch(struct store *st, const struct survey *s, size_t from, size_t n)
{
	static struct submission subs[64];
	static struct store_answer a[64][256];
	static char nums[64][32][16], days[64][11];
	struct submission *v[64];
	enum store_err r[64];
	size_t m = 0;

	ck_assert_uint_lt(n, 63);
	for (size_t k = from; k < from + n; k++, m++) {
		make_sub(s, k, &subs[m], a[m], nums[m], days[m]);
		v[m] = &subs[m];
	}
	if (from > 0) {
		make_sub(s, from - 1, &subs[m], a[m], nums[m], days[m]);
		v[m] = &subs[m];
		m++;
	}
	ck_assert_int_eq(store_responses_add(st, v, m, r), STORE_OK);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(r[i], STORE_OK);
	if (from > 0)
		ck_assert_int_eq(r[n], STORE_DUPLICATE);
}

static int
on_response(void *ctx, const struct store_response *r)
{
	ck_assert_int_eq(tally_add(ctx, r), 0);
	return 0;
}

/* A count afresh of every stored response of s. */
static struct tally *
counted(struct store *st, const struct survey *s)
{
	struct tally *t = tally_new(s, NULL, TALLY_BY_NONE, -1, 0);

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(store_each_response(st, s->id, NULL, on_response, t), STORE_OK);
	return t;
}

/* The kept counts of s as a tally, or NULL when none are kept. */
static struct tally *
kept(struct store *st, const struct survey *s)
{
	unsigned char *blob;
	struct tally *t;
	int64_t gen;
	size_t len;

	ck_assert_int_eq(store_count_get(st, s->id, &gen, &blob, &len), STORE_OK);
	if (blob == NULL)
		return NULL;
	t = tally_from_kept(s, blob, len);
	ck_assert_ptr_nonnull(t);
	free(blob);
	return t;
}

START_TEST(added_as_counted)
{
	const struct survey_set *setp;
	struct survey_set *set;
	struct store_counter c;
	const struct survey *s;
	struct tally *t, *u;
	struct store *st;
	unsigned char *blob;
	char err[256];
	size_t len;
	int64_t gen;

	ck_assert_msg(survey_set_load("surveys", &set, err, sizeof(err)) == 0, "%s", err);
	ck_assert_ptr_nonnull(s = survey_find(set, SURVEY));
	strcpy(dir, "/tmp/an_test_tally_keep.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/v.db", dir);
	ck_assert_int_eq(store_open(path, STORE_CREATE, &st), STORE_OK);
	ck_assert_int_eq(store_survey_register(st, s), STORE_OK);
	setp = set;
	tally_keeper(&c, &setp);
	store_set_counter(st, &c);

	for (size_t k = 0; k < 240; k += 60)
		add_batch(st, s, k, 60);
	ck_assert_ptr_null(kept(st, s));	/* nothing kept yet: nothing added */
	ck_assert_uint_eq(store_count_kept(st), 0);
	/* The dashboard's count afresh, kept (cgi/dash.c). */
	t = counted(st, s);
	ck_assert_int_eq(store_count_get(st, s->id, &gen, &blob, &len), STORE_OK);
	ck_assert_ptr_null(blob);
	ck_assert_int_eq(tally_pack(t, &blob, &len), 0);
	ck_assert_int_eq(store_count_put(st, s->id, gen, blob, len), STORE_OK);
	free(blob);
	tally_free(t);
	ck_assert_ptr_nonnull(t = kept(st, s));
	tally_free(t);
	add_batch(st, s, 240, 1);
	ck_assert_uint_eq(store_count_kept(st), 1);

	/* New days, a new language, duplicates: added batch by batch. */
	for (size_t k = 241; k < 421; k += 45)
		add_batch(st, s, k, 45);
	ck_assert_uint_eq(store_count_kept(st), 5);
	ck_assert_ptr_nonnull(u = kept(st, s));
	t = counted(st, s);
	ck_assert_int_eq(t->n, 421);
	ck_assert_int_eq(u->n, 421);
	ck_assert_uint_eq(u->nlangs, 4);
	an_tally_same(t, u);
	tally_free(t);
	tally_free(u);

	/* Without the survey files, nothing is added: the counts are dropped. */
	setp = NULL;
	add_batch(st, s, 421, 10);
	ck_assert_ptr_null(kept(st, s));
	ck_assert_uint_eq(store_count_kept(st), 5);

	store_set_counter(st, NULL);
	store_close(st);
	survey_set_free(set);
	unlink(path);
	snprintf(path, sizeof(path), "%s/v.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/v.db-shm", dir);
	unlink(path);
	unit_rmdir(dir);
}
END_TEST

int
main(void)
{
	return unit_run_tests("tally_keep", "tally_keep", 60, CK_FORK, added_as_counted, NULL);
}
