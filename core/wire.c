/* wire: encoding and hostile-input-safe decoding of submissions (see wire.h).
 * The decoder never reads past n: every read goes through a cursor that
 * checks the bytes left first and stays failed once a check fails. */
#include <string.h>
#include "wire.h"

#define NO_STRING	0xFFFFFFFFu
#define ANSWER_MIN	(4 + 4 + 4 + 1)	/* two empty strings, pos, text flag */

static const char sub_magic[3] = { 'V', 'S', '3' };
static const char reply_magic[3] = { 'V', 'R', '1' };
static const char vote_magic[3] = { 'V', 'P', '2' };

static void
put_u32(struct buf *b, uint32_t v)
{
	unsigned char p[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };

	buf_add(b, p, 4);
}

static void
put_str(struct buf *b, const char *s, size_t n)
{
	put_u32(b, (uint32_t)n);
	buf_add(b, s, n);
}

static int
str_ok(const char *s)
{
	return s != NULL && strlen(s) < WIRE_MAX_BYTES;
}

/* Takes a half-written message back out of b, so a failed encode leaves b
 * as it was (unless b itself failed). */
static int
unwind(struct buf *b, size_t start)
{
	if (!buf_failed(b)) {
		b->len = start;
		if (b->p != NULL)
			b->p[start] = '\0';
	}
	return -1;
}

int
wire_encode_submission(const struct submission *sub, struct buf *out)
{
	size_t start = out->len;

	if (sub->nanswers > WIRE_MAX_ANSWERS || !str_ok(sub->survey) ||
	    !str_ok(sub->def_hash) || !str_ok(sub->channel) || !str_ok(sub->lang) ||
	    (sub->day != NULL && !str_ok(sub->day)))
		return -1;
	buf_add(out, sub_magic, sizeof sub_magic);
	put_u32(out, (uint32_t)sub->version);
	buf_add(out, sub->nonce, sizeof sub->nonce);
	buf_addc(out, sub->device != NULL);
	if (sub->device != NULL)
		buf_add(out, sub->device, STORE_DEVICE_BYTES);
	buf_addc(out, sub->flagged != 0);
	put_str(out, sub->survey, strlen(sub->survey));
	put_str(out, sub->def_hash, strlen(sub->def_hash));
	put_str(out, sub->channel, strlen(sub->channel));
	put_str(out, sub->lang, strlen(sub->lang));
	if (sub->day != NULL)
		put_str(out, sub->day, strlen(sub->day));
	else
		put_u32(out, NO_STRING);
	put_u32(out, (uint32_t)sub->nanswers);
	for (size_t i = 0; i < sub->nanswers; i++) {
		const struct store_answer *a = &sub->answers[i];
		if (!str_ok(a->question) || a->value == NULL || a->len >= WIRE_MAX_BYTES ||
		    memchr(a->value, '\0', a->len) != NULL)
			return unwind(out, start);
		put_str(out, a->question, strlen(a->question));
		put_str(out, a->value, a->len);
		put_u32(out, (uint32_t)a->pos);
		buf_addc(out, a->text ? 1 : 0);
	}
	if (buf_failed(out) || out->len - start > WIRE_MAX_BYTES)
		return unwind(out, start);
	return 0;
}

struct cursor {
	const unsigned char	*p;
	size_t			 left;
	int			 bad;
};

static const unsigned char *
take(struct cursor *c, size_t n)
{
	const unsigned char *p = c->p;

	if (c->bad || n > c->left) {
		c->bad = 1;
		return NULL;
	}
	c->p += n;
	c->left -= n;
	return p;
}

static uint32_t
get_u32(struct cursor *c)
{
	const unsigned char *p = take(c, 4);

	if (p == NULL)
		return 0;
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A NUL-terminated copy in the arena; *len gets its length.  With
 * may_be_absent, the NO_STRING length gives NULL without failing. */
static char *
get_str(struct cursor *c, struct arena *a, size_t *len, int may_be_absent)
{
	uint32_t		 n = get_u32(c);
	const unsigned char	*p;
	char			*s;

	if (c->bad || (n == NO_STRING && may_be_absent))
		return NULL;
	if ((p = take(c, n)) == NULL)
		return NULL;
	if (memchr(p, '\0', n) != NULL || (s = arena_alloc(a, (size_t)n + 1)) == NULL) {
		c->bad = 1;
		return NULL;
	}
	memcpy(s, p, n);
	s[n] = '\0';
	if (len != NULL)
		*len = n;
	return s;
}

/* A u8 flag: 0 or 1, anything else fails the cursor. */
static int
get_flag(struct cursor *c)
{
	const unsigned char *t = take(c, 1);

	if (t != NULL && *t > 1)
		c->bad = 1;
	return t != NULL && *t == 1;
}

static void
get_answer(struct cursor *c, struct arena *a, struct store_answer *ans)
{
	ans->question = get_str(c, a, NULL, 0);
	ans->value = get_str(c, a, &ans->len, 0);
	ans->pos = (int)get_u32(c);
	ans->text = get_flag(c);
}

/* The device hash, copied into the arena (the message buffer is reused for
 * the next message before the batch is written); NULL when absent. */
static const unsigned char *
get_device(struct cursor *c, struct arena *a)
{
	const unsigned char	*p;
	unsigned char		*d;

	if (!get_flag(c) || (p = take(c, STORE_DEVICE_BYTES)) == NULL)
		return NULL;
	if ((d = arena_alloc(a, STORE_DEVICE_BYTES)) == NULL) {
		c->bad = 1;
		return NULL;
	}
	memcpy(d, p, STORE_DEVICE_BYTES);
	return d;
}

int
wire_decode_submission(const void *p, size_t n, struct arena *a, struct submission *sub)
{
	struct cursor		 c = { p, n, 0 };
	const unsigned char	*m;
	uint32_t		 na;

	memset(sub, 0, sizeof *sub);
	if (n > WIRE_MAX_BYTES || (m = take(&c, sizeof sub_magic)) == NULL ||
	    memcmp(m, sub_magic, sizeof sub_magic) != 0)
		return -1;
	sub->version = (int)get_u32(&c);
	if ((m = take(&c, sizeof sub->nonce)) != NULL)
		memcpy(sub->nonce, m, sizeof sub->nonce);
	sub->device = get_device(&c, a);
	if ((m = take(&c, 1)) != NULL && *m > 1)
		return -1;
	sub->flagged = m != NULL && *m == 1;
	sub->survey = get_str(&c, a, NULL, 0);
	sub->def_hash = get_str(&c, a, NULL, 0);
	sub->channel = get_str(&c, a, NULL, 0);
	sub->lang = get_str(&c, a, NULL, 0);
	sub->day = get_str(&c, a, NULL, 1);
	na = get_u32(&c);
	if (c.bad || na > WIRE_MAX_ANSWERS || na > c.left / ANSWER_MIN)
		return -1;
	if (na > 0 && (sub->answers = arena_calloc(a, na, sizeof *sub->answers)) == NULL)
		return -1;
	for (uint32_t i = 0; i < na && !c.bad; i++)
		get_answer(&c, a, &sub->answers[i]);
	sub->nanswers = na;
	return c.bad || c.left != 0 ? -1 : 0;
}

static void
put_u64(struct buf *b, uint64_t v)
{
	put_u32(b, (uint32_t)(v & 0xffffffffu));
	put_u32(b, (uint32_t)(v >> 32));
}

static uint64_t
get_u64(struct cursor *c)
{
	uint64_t lo = get_u32(c);

	return lo | (uint64_t)get_u32(c) << 32;
}

int
wire_encode_vote(const struct store_poll_vote *v, struct buf *out)
{
	size_t start = out->len;

	if (v->value == NULL || strlen(v->value) > STORE_POLL_TEXT_MAX || v->q < 0 ||
	    v->item < 0 || v->session < 0 ||
	    (v->lang != NULL && strlen(v->lang) > STORE_POLL_LANG_MAX))
		return -1;
	buf_add(out, vote_magic, sizeof vote_magic);
	put_u64(out, (uint64_t)v->session);
	put_u32(out, (uint32_t)v->q);
	put_u64(out, (uint64_t)v->item);
	buf_add(out, v->voter, sizeof v->voter);
	put_str(out, v->value, strlen(v->value));
	put_str(out, v->lang ? v->lang : "", v->lang ? strlen(v->lang) : 0);
	buf_addc(out, v->text ? 1 : 0);
	return buf_failed(out) ? unwind(out, start) : 0;
}

int
wire_decode_vote(const void *p, size_t n, struct arena *a, struct store_poll_vote *v)
{
	struct cursor		 c = { p, n, 0 };
	const unsigned char	*m;

	memset(v, 0, sizeof *v);
	if (n > WIRE_MAX_BYTES || (m = take(&c, sizeof vote_magic)) == NULL ||
	    memcmp(m, vote_magic, sizeof vote_magic) != 0)
		return -1;
	v->session = (int64_t)get_u64(&c);
	v->q = (int)get_u32(&c);
	v->item = (int64_t)get_u64(&c);
	if ((m = take(&c, sizeof v->voter)) != NULL)
		memcpy(v->voter, m, sizeof v->voter);
	v->value = get_str(&c, a, NULL, 0);
	v->lang = get_str(&c, a, NULL, 0);
	v->text = get_flag(&c);
	if (c.bad || c.left != 0 || v->session < 0 || v->q < 0 || v->item < 0 ||
	    strlen(v->value) > STORE_POLL_TEXT_MAX || strlen(v->lang) > STORE_POLL_LANG_MAX)
		return -1;
	if (*v->lang == '\0')
		v->lang = NULL;
	return 0;
}

enum wire_kind
wire_kind_of(const void *p, size_t n)
{
	if (n >= sizeof sub_magic && memcmp(p, sub_magic, sizeof sub_magic) == 0)
		return WIRE_SUBMISSION;
	if (n >= sizeof vote_magic && memcmp(p, vote_magic, sizeof vote_magic) == 0)
		return WIRE_VOTE;
	return WIRE_UNKNOWN;
}

void
wire_encode_reply(enum store_err e, unsigned char out[WIRE_REPLY_BYTES])
{
	memcpy(out, reply_magic, sizeof reply_magic);
	out[3] = (unsigned char)e;
}

int
wire_decode_reply(const void *p, size_t n, enum store_err *e)
{
	const unsigned char *m = p;

	if (n != WIRE_REPLY_BYTES || memcmp(m, reply_magic, sizeof reply_magic) != 0 ||
	    m[3] >= STORE__MAX)
		return -1;
	*e = (enum store_err)m[3];
	return 0;
}
