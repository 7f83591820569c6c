/* Tests for wire: round trips, and every truncation, bit flip and random
 * message decoded without reading out of bounds. */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "wire.h"
#include "unit.h"

static struct store_answer answers[] = {
	{ "q1", "yes", 3, 0, 0 },
	{ "q2", "swings", 6, 1, 0 },
	{ "q2", "slide", 5, 2, 0 },
	{ "q3", "Più alberi, per favore", 23, 0, 1 },
	{ "q4", "", 0, -3, 0 },
};

static const unsigned char device[STORE_DEVICE_BYTES] = { 0xd1, 0, 0xff, 7 };

static struct submission
sample(void)
{
	struct submission s;

	memset(&s, 0, sizeof s);
	s.survey = "park";
	s.version = 7;
	s.def_hash = "0123456789abcdef0123456789abcdef";
	s.channel = "paper";
	s.lang = "it";
	s.day = "2024-05-01";
	for (size_t i = 0; i < sizeof s.nonce; i++)
		s.nonce[i] = (unsigned char)(i * 17);
	s.answers = answers;
	s.nanswers = sizeof answers / sizeof answers[0];
	return s;
}

static void
same(const struct submission *a, const struct submission *b)
{
	ck_assert_str_eq(a->survey, b->survey);
	ck_assert_int_eq(a->version, b->version);
	ck_assert_str_eq(a->def_hash, b->def_hash);
	ck_assert_str_eq(a->channel, b->channel);
	ck_assert_str_eq(a->lang, b->lang);
	if (a->day == NULL)
		ck_assert_ptr_null(b->day);
	else
		ck_assert_str_eq(a->day, b->day);
	ck_assert_mem_eq(a->nonce, b->nonce, sizeof a->nonce);
	if (a->device == NULL)
		ck_assert_ptr_null(b->device);
	else
		ck_assert_mem_eq(a->device, b->device, STORE_DEVICE_BYTES);
	ck_assert_int_eq(a->flagged, b->flagged);
	ck_assert_uint_eq(a->nanswers, b->nanswers);
	for (size_t i = 0; i < a->nanswers; i++) {
		ck_assert_str_eq(a->answers[i].question, b->answers[i].question);
		ck_assert_uint_eq(a->answers[i].len, b->answers[i].len);
		ck_assert_mem_eq(a->answers[i].value, b->answers[i].value, a->answers[i].len);
		ck_assert_int_eq(a->answers[i].pos, b->answers[i].pos);
		ck_assert_int_eq(a->answers[i].text, b->answers[i].text);
	}
}

START_TEST(test_roundtrip)
{
	struct submission	 s = sample(), d;
	struct buf		 b = BUF_INIT;
	struct arena		*a = arena_new(4096);

	ck_assert_int_eq(wire_encode_submission(&s, &b), 0);
	ck_assert_int_eq(wire_decode_submission(b.p, b.len, a, &d), 0);
	same(&s, &d);
	s.day = NULL;
	s.nanswers = 0;
	buf_reset(&b);
	ck_assert_int_eq(wire_encode_submission(&s, &b), 0);
	ck_assert_int_eq(wire_decode_submission(b.p, b.len, a, &d), 0);
	same(&s, &d);
	s.device = device;
	buf_reset(&b);
	ck_assert_int_eq(wire_encode_submission(&s, &b), 0);
	ck_assert_int_eq(wire_decode_submission(b.p, b.len, a, &d), 0);
	same(&s, &d);
	ck_assert_ptr_ne(d.device, (const unsigned char *)b.p + 3 + 4 + 16 + 1);	/* a copy */
	b.p[3 + 4 + 16] = 2;	/* a device flag that is not 0 or 1 */
	ck_assert_int_eq(wire_decode_submission(b.p, b.len, a, &d), -1);
	s.flagged = 1;	/* the safeguarding flag goes across */
	buf_reset(&b);
	ck_assert_int_eq(wire_encode_submission(&s, &b), 0);
	ck_assert_int_eq(wire_decode_submission(b.p, b.len, a, &d), 0);
	same(&s, &d);
	ck_assert_int_eq(d.flagged, 1);
	b.p[3 + 4 + 16 + 1 + STORE_DEVICE_BYTES] = 2;	/* nor is the safeguarding flag */
	ck_assert_int_eq(wire_decode_submission(b.p, b.len, a, &d), -1);
	buf_free(&b);
	arena_free(a);
}
END_TEST

START_TEST(test_truncated_and_flipped)
{
	struct submission	 s = sample(), d;
	struct buf		 b = BUF_INIT;
	struct arena		*a = arena_new(4096);
	unsigned char		*cp;

	s.device = device;

	ck_assert_int_eq(wire_encode_submission(&s, &b), 0);
	for (size_t n = 0; n < b.len; n++) {
		cp = malloc(n ? n : 1);	/* exact size: ASan catches any over-read */
		memcpy(cp, b.p, n);
		ck_assert_int_eq(wire_decode_submission(cp, n, a, &d), -1);
		free(cp);
		arena_reset(a);
	}
	cp = malloc(b.len + 1);
	memcpy(cp, b.p, b.len);
	cp[b.len] = 0;
	ck_assert_int_eq(wire_decode_submission(cp, b.len + 1, a, &d), -1);	/* trailing */
	for (size_t i = 0; i < b.len * 8; i++) {
		cp[i / 8] ^= (unsigned char)(1u << (i % 8));
		if (wire_decode_submission(cp, b.len, a, &d) == 0)	/* must not crash */
			ck_assert_uint_eq(d.nanswers, s.nanswers);
		cp[i / 8] ^= (unsigned char)(1u << (i % 8));
		arena_reset(a);
	}
	free(cp);
	buf_free(&b);
	arena_free(a);
}
END_TEST

START_TEST(test_garbage)
{
	unsigned char		 p[512];
	struct submission	 d;
	struct arena		*a = arena_new(4096);

	ck_assert_int_ge(sodium_init(), 0);
	for (int i = 0; i < 20000; i++) {
		size_t n = randombytes_uniform(sizeof p);
		randombytes_buf(p, n);
		if (i % 2)
			memcpy(p, "VS3", n < 3 ? n : 3);
		if (wire_decode_submission(p, n, a, &d) == 0)
			ck_assert_uint_le(d.nanswers, WIRE_MAX_ANSWERS);
		arena_reset(a);
	}
	arena_free(a);
}
END_TEST

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xff, p[1] = (v >> 8) & 0xff, p[2] = (v >> 16) & 0xff, p[3] = v >> 24;
}

START_TEST(test_limits)
{
	struct submission	 s = sample(), d;
	struct store_answer	 mine[sizeof answers / sizeof answers[0]];
	struct store_answer	*many = calloc(WIRE_MAX_ANSWERS + 1, sizeof *many);
	struct buf		 b = BUF_INIT;
	struct arena		*a = arena_new(4096);
	static char		 big[WIRE_MAX_BYTES];
	size_t			 off;

	for (size_t i = 0; i <= WIRE_MAX_ANSWERS; i++)
		many[i] = (struct store_answer){ "q", "v", 1, (int)i, 0 };
	s.answers = many;
	s.nanswers = WIRE_MAX_ANSWERS;
	ck_assert_int_eq(wire_encode_submission(&s, &b), 0);
	ck_assert_int_eq(wire_decode_submission(b.p, b.len, a, &d), 0);
	ck_assert_uint_eq(d.nanswers, WIRE_MAX_ANSWERS);
	/* the answer count is patched past the limit: refused before any allocation */
	off = b.len - WIRE_MAX_ANSWERS * 15 - 4;
	put32((unsigned char *)b.p + off, WIRE_MAX_ANSWERS + 1);
	ck_assert_int_eq(wire_decode_submission(b.p, b.len, a, &d), -1);
	put32((unsigned char *)b.p + off, 0xFFFFFFFF);
	ck_assert_int_eq(wire_decode_submission(b.p, b.len, a, &d), -1);
	s.nanswers = WIRE_MAX_ANSWERS + 1;
	buf_reset(&b);
	ck_assert_int_eq(wire_encode_submission(&s, &b), -1);
	/* over the byte limit */
	memset(big, 'x', sizeof big - 1);
	s = sample();
	memcpy(mine, answers, sizeof mine);
	s.answers = mine;
	s.answers[3].value = big;
	s.answers[3].len = sizeof big - 1;
	buf_reset(&b);
	ck_assert_int_eq(wire_encode_submission(&s, &b), -1);
	s.answers[3] = answers[3];
	/* NUL inside a value, and a text flag other than 0 or 1 */
	s.answers[0].value = "y\0s";
	ck_assert_int_eq(wire_encode_submission(&s, &b), -1);
	ck_assert_uint_eq(b.len, 0);	/* a failed encode leaves nothing behind */
	s.answers[0] = answers[0];
	buf_reset(&b);
	ck_assert_int_eq(wire_encode_submission(&s, &b), 0);
	b.p[b.len - 1] = 2;
	ck_assert_int_eq(wire_decode_submission(b.p, b.len, a, &d), -1);
	b.p[b.len - 1] = 0;
	ck_assert_int_eq(wire_decode_submission(b.p, b.len, a, &d), 0);
	b.p[3 + 4 + 16 + 1 + 1 + 4] = '\0';	/* the first byte of "park" */
	ck_assert_int_eq(wire_decode_submission(b.p, b.len, a, &d), -1);
	buf_free(&b);
	free(many);
	arena_free(a);
}
END_TEST

START_TEST(test_reply)
{
	unsigned char	 r[WIRE_REPLY_BYTES];
	enum store_err	 e;

	for (int i = 0; i < STORE__MAX; i++) {
		wire_encode_reply((enum store_err)i, r);
		ck_assert_int_eq(wire_decode_reply(r, sizeof r, &e), 0);
		ck_assert_int_eq(e, i);
	}
	ck_assert_int_eq(wire_decode_reply(r, sizeof r - 1, &e), -1);
	r[3] = STORE__MAX;
	ck_assert_int_eq(wire_decode_reply(r, sizeof r, &e), -1);
	r[3] = 0, r[0] = 'X';
	ck_assert_int_eq(wire_decode_reply(r, sizeof r, &e), -1);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("wire");
	TCase	*tc = tcase_create("wire");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_truncated_and_flipped);
	tcase_add_test(tc, test_garbage);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_reply);
	suite_add_tcase(s, tc);
	return unit_run(s, CK_FORK_GETENV);
}
