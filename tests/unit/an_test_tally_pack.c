/* Tests for a tally's counters as bytes (analysis/tally_pack.c), which the
 * server keeps between dashboard requests: unpacked, they give the very
 * report (CSV byte for byte) the tally counted from the responses gave;
 * bytes of another survey, damaged or cut short are refused. */
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

#define NRESP	300

static struct survey_set *set;

static const struct survey *
load(const char *id)
{
	char err[256];

	if (set == NULL)
		ck_assert_msg(survey_set_load("surveys", &set, err, sizeof(err)) == 0, "%s", err);
	ck_assert_ptr_nonnull(survey_find(set, id));
	return survey_find(set, id);
}

/* Response k: an answer to every closed question, varied with k. */
static void
add_one(struct tally *t, size_t k)
{
	static const char *const chans[] = { "online", "paper", "stall" };
	static const char *const langs[] = { "en", "pl", "so" };
	const struct survey *s = t->s;
	struct store_answer a[512];
	char nums[64][16], day[11];
	size_t n = 0, nn = 0;
	struct store_response r = { .survey = s->id, .version = (int)(k % 2) + 1,
	    .channel = chans[k % 3], .lang = langs[k % 5 % 3], .day = day };

	snprintf(day, sizeof(day), "2026-03-%02zu", 1 + k % 28);
	for (size_t i = 0; i < s->nqs && n + 16 < 512; i++) {
		const struct question *q = &s->qs[i];
		if ((k + i) % 7 == 0)
			continue;	/* skipped */
		if (q->type == Q_NUMBER && nn < 64) {
			snprintf(nums[nn], sizeof(nums[nn]), "%ld", q->min + (long)(k % 40));
			a[n++] = (struct store_answer){ q->id, nums[nn], strlen(nums[nn]), 0, 0 };
			nn++;
		} else if (q->type == Q_RANKING) {
			for (size_t o = 0; o < q->nopts && o < 8; o++)
				a[n++] = (struct store_answer){ q->id, q->opts[(o + k) % q->nopts].code,
				    0, (int)o + 1, 0 };
		} else if (q->nopts > 0) {
			a[n++] = (struct store_answer){ q->id, q->opts[k % q->nopts].code, 0, 0, 0 };
			if (q->type == Q_MULTI && q->nopts > 1 && k % 2)
				a[n++] = (struct store_answer){ q->id,
				    q->opts[(k + 1) % q->nopts].code, 0, 1, 0 };
		}
	}
	r.answers = a;
	r.nanswers = n;
	r.flagged = k % 11 == 0;
	ck_assert_int_eq(tally_add(t, &r), 0);
}

static struct tally *
counted(const struct survey *s)
{
	struct tally *t = tally_new(s, NULL, TALLY_BY_NONE, -1, 0);

	ck_assert_ptr_nonnull(t);
	for (size_t k = 0; k < NRESP; k++)
		add_one(t, k);
	return t;
}

START_TEST(same_report)
{
	const struct survey *s = load("residents-2026");
	struct tally *t = counted(s), *u;
	unsigned char *b;
	size_t len;

	ck_assert_int_eq(tally_pack(t, &b, &len), 0);
	ck_assert_ptr_nonnull(u = tally_new(s, NULL, TALLY_BY_NONE, -1, 0));
	ck_assert_int_eq(tally_unpack(u, b, len), 0);
	ck_assert_int_eq(u->n, NRESP);
	ck_assert_int_gt(u->q[1].answered[0] + u->q[2].answered[0], 100);
	an_tally_same(t, u);
	/* Into a tally that has counted already: refused. */
	ck_assert_int_eq(tally_unpack(t, b, len), -1);
	free(b);
	tally_free(t);
	tally_free(u);
	survey_set_free(set);
	set = NULL;
}
END_TEST

/* Unpacks b (len bytes) into a fresh tally of s. */
static int
unpack_fresh(const struct survey *s, const unsigned char *b, size_t len)
{
	struct tally *u = tally_new(s, NULL, TALLY_BY_NONE, -1, 0);
	int rc;

	ck_assert_ptr_nonnull(u);
	rc = tally_unpack(u, b, len);
	tally_free(u);
	return rc;
}

START_TEST(refused)
{
	const struct survey *s = load("residents-2026");
	struct tally *t = counted(s);
	unsigned char *b;
	size_t len;

	ck_assert_int_eq(tally_pack(t, &b, &len), 0);
	ck_assert_int_eq(unpack_fresh(s, b, len), 0);
	ck_assert_int_eq(unpack_fresh(load("young-people-2026"), b, len), -1);
	ck_assert_int_eq(unpack_fresh(s, b, len - 1), -1);
	ck_assert_int_eq(unpack_fresh(s, b, 100), -1);
	ck_assert_int_eq(unpack_fresh(s, b, 0), -1);
	b[len - 8] ^= 0x01;	/* the last question's last counter: still a count */
	ck_assert_int_eq(unpack_fresh(s, b, len), 0);
	b[128 + 8 * 4] ^= 0x01;	/* the length of the first array */
	ck_assert_int_eq(unpack_fresh(s, b, len), -1);
	b[128 + 8 * 4] ^= 0x01;
	b[3] ^= 0x20;		/* the header */
	ck_assert_int_eq(unpack_fresh(s, b, len), -1);
	free(b);
	tally_free(t);
	survey_set_free(set);
	set = NULL;
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("tally_pack");
	TCase *tc = tcase_create("tally_pack");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, same_report);
	tcase_add_test(tc, refused);
	suite_add_tcase(s, tc);
	return unit_run(s, CK_FORK);
}
