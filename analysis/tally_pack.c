/* tally_pack: a tally's counters as bytes and back (tally.h), for the
 * server's stored count of a survey (cgi/dash.c).  The bytes are a header
 * (format, sizeof(long), the survey's id and file hash, the breakdown) and
 * then every counter array, each led by its length; unpacking checks each
 * length against the tally it fills, so bytes from another survey file,
 * another build's limits or a damaged row are refused, never misread.
 * Numbers are in this machine's byte order: the bytes never leave it. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tally.h"

/* Raised when the same responses would be counted differently, so that the
 * counts kept by an older build are counted again: 2, a number answer stored
 * with spaces round it is counted. */
#define PACK_MAGIC	"voices-tally-2"	/* its NUL too: 15 bytes */

struct out {
	unsigned char	*p;
	size_t		 len, cap;
	int		 fail;
};

struct in {
	const unsigned char *p;
	size_t		 len, at;
	int		 fail;
};

static void
put(struct out *o, const void *v, size_t n)
{
	unsigned char *np;
	size_t cap;

	if (o->fail || n == 0)
		return;
	if (o->cap - o->len < n) {
		cap = o->cap ? o->cap : 4096;
		while (cap - o->len < n)
			cap *= 2;
		if ((np = realloc(o->p, cap)) == NULL) {
			o->fail = 1;
			return;
		}
		o->p = np;
		o->cap = cap;
	}
	memcpy(o->p + o->len, v, n);
	o->len += n;
}

static void
get(struct in *in, void *v, size_t n)
{
	if (in->fail || in->len - in->at < n) {
		in->fail = 1;
		return;
	}
	if (n > 0)
		memcpy(v, in->p + in->at, n);
	in->at += n;
}

/* An array of n elements of size bytes, led by n. */
static void
put_arr(struct out *o, const void *v, size_t n, size_t size)
{
	uint64_t k = n;

	put(o, &k, sizeof k);
	put(o, v, n * size);
}

/* Reads an array put_arr wrote, which must hold exactly n elements. */
static void
get_arr(struct in *in, void *v, size_t n, size_t size)
{
	uint64_t k = 0;

	get(in, &k, sizeof k);
	if (k != n)
		in->fail = 1;
	get(in, v, n * size);
}

static void
put_long(struct out *o, long v)
{
	int64_t k = v;

	put(o, &k, sizeof k);
}

static long
get_long(struct in *in, long max)
{
	int64_t k = -1;

	get(in, &k, sizeof k);
	if (k < 0 || k > max)
		in->fail = 1;
	return in->fail ? 0 : (long)k;
}

/* The header: what the counters belong to. */
static void
header(const struct tally *t, char h[128])
{
	memset(h, 0, 128);
	snprintf(h, 128, "%s %zu %d %ld %zu %s %s", PACK_MAGIC, sizeof(long), (int)t->by,
	    t->by_q, t->ngroups, t->s->hash, t->s->id);
}

/* One question's counters; NULL arrays (not this question's type) are empty. */
/* The arrays of question i's tally, in their packed order: pointer, element
 * count and element size.  Pack and unpack walk the same list. */
struct q_arr {
	void	*p;
	size_t	 n, size;
};
#define Q_ARRS	10

static void
q_arrays(const struct tally *t, size_t i, struct q_arr a[Q_ARRS])
{
	const struct question *q = &t->s->qs[i];
	const struct tally_q *tq = &t->q[i];
	size_t g = t->ngroups, nb = tq->nb ? tq->nb->n : 0;

	a[0] = (struct q_arr){ tq->asked, g, sizeof(long) };
	a[1] = (struct q_arr){ tq->answered, g, sizeof(long) };
	a[2] = (struct q_arr){ tq->opt, q->nopts * g, sizeof(long) };
	a[3] = (struct q_arr){ tq->first, tq->first ? q->nopts : 0, sizeof(long) };
	a[4] = (struct q_arr){ tq->ranksum, tq->ranksum ? q->nopts : 0, sizeof(double) };
	a[5] = (struct q_arr){ tq->ver_opt, tq->ver_opt ? TALLY_MAX_VERSIONS * q->nopts : 0,
	    sizeof(long) };
	a[6] = (struct q_arr){ tq->ver_answered, tq->ver_answered ? TALLY_MAX_VERSIONS : 0,
	    sizeof(long) };
	a[7] = (struct q_arr){ tq->num_band, nb, sizeof(long) };
	a[8] = (struct q_arr){ tq->num_exact, tq->nb ? tq->nb->nexact : 0, sizeof(long) };
	a[9] = (struct q_arr){ tq->num_over, nb, sizeof(long) };
}

static void
pack_q(struct out *o, const struct tally *t, size_t i)
{
	const struct tally_q *tq = &t->q[i];
	struct q_arr a[Q_ARRS];

	q_arrays(t, i, a);
	for (size_t k = 0; k < Q_ARRS; k++)
		put_arr(o, a[k].p, a[k].n, a[k].size);
	put_long(o, tq->numn);
	put_long(o, tq->texts);
	put_long(o, tq->uncoded);
}

static void
unpack_q(struct in *in, struct tally *t, size_t i)
{
	struct tally_q *tq = &t->q[i];
	struct q_arr a[Q_ARRS];

	q_arrays(t, i, a);
	for (size_t k = 0; k < Q_ARRS; k++)
		get_arr(in, a[k].p, a[k].n, a[k].size);
	tq->numn = get_long(in, LONG_MAX);
	tq->texts = get_long(in, LONG_MAX);
	tq->uncoded = get_long(in, LONG_MAX);
}

int
tally_pack(const struct tally *t, unsigned char **out, size_t *len)
{
	struct out o = { NULL, 0, 0, 0 };
	char h[128];

	*out = NULL;
	*len = 0;
	if (t->cb != NULL || t->corr != NULL)
		return -1;
	header(t, h);
	put(&o, h, sizeof h);
	put_long(&o, t->n);
	put_long(&o, t->flagged);
	put_long(&o, t->texts);
	put_long(&o, t->day_other);
	put_arr(&o, t->group_n, t->ngroups, sizeof(long));
	put_arr(&o, t->channel, CH__MAX + 1, sizeof(long));
	put_long(&o, (long)t->nlangs);
	put_arr(&o, t->langs, t->nlangs, sizeof(t->langs[0]));
	put_arr(&o, t->lang_n, TALLY_MAX_LANGS + 1, sizeof(long));
	put_long(&o, (long)t->ndays);
	put_arr(&o, t->days, t->ndays, sizeof(*t->days));
	put_arr(&o, t->day_n, t->ndays, sizeof(long));
	put_long(&o, (long)t->nversions);
	put_arr(&o, t->versions, t->nversions, sizeof(int));
	put_arr(&o, t->version_n, t->nversions, sizeof(long));
	put_arr(&o, t->ver_first, t->nversions, sizeof(t->ver_first[0]));
	put_arr(&o, t->ver_last, t->nversions, sizeof(t->ver_last[0]));
	put_long(&o, (long)t->s->nqs);
	for (size_t i = 0; i < t->s->nqs; i++)
		pack_q(&o, t, i);
	if (o.fail) {
		free(o.p);
		return -1;
	}
	*out = o.p;
	*len = o.len;
	return 0;
}

/* Every stored string is NUL-terminated within its slot. */
static int
strings_ok(const struct tally *t)
{
	for (size_t i = 0; i < t->nlangs; i++)
		if (memchr(t->langs[i], '\0', sizeof(t->langs[i])) == NULL)
			return 0;
	for (size_t i = 0; i < t->ndays; i++)
		if (t->days[i][10] != '\0')
			return 0;
	for (size_t i = 0; i < t->nversions; i++)
		if (t->ver_first[i][10] != '\0' || t->ver_last[i][10] != '\0')
			return 0;
	return 1;
}

int
tally_unpack(struct tally *t, const unsigned char *buf, size_t len)
{
	struct in in = { buf, len, 0, 0 };
	char h[128], want[128];

	if (t->cb != NULL || t->corr != NULL || t->n != 0)
		return -1;
	header(t, want);
	get(&in, h, sizeof h);
	if (in.fail || memcmp(h, want, sizeof h) != 0)
		return -1;
	t->n = get_long(&in, LONG_MAX);
	t->flagged = get_long(&in, LONG_MAX);
	t->texts = get_long(&in, LONG_MAX);
	t->day_other = get_long(&in, LONG_MAX);
	get_arr(&in, t->group_n, t->ngroups, sizeof(long));
	get_arr(&in, t->channel, CH__MAX + 1, sizeof(long));
	t->nlangs = (size_t)get_long(&in, TALLY_MAX_LANGS);
	get_arr(&in, t->langs, t->nlangs, sizeof(t->langs[0]));
	get_arr(&in, t->lang_n, TALLY_MAX_LANGS + 1, sizeof(long));
	t->ndays = (size_t)get_long(&in, TALLY_MAX_DAYS);
	get_arr(&in, t->days, t->ndays, sizeof(*t->days));
	get_arr(&in, t->day_n, t->ndays, sizeof(long));
	t->nversions = (size_t)get_long(&in, TALLY_MAX_VERSIONS);
	get_arr(&in, t->versions, t->nversions, sizeof(int));
	get_arr(&in, t->version_n, t->nversions, sizeof(long));
	get_arr(&in, t->ver_first, t->nversions, sizeof(t->ver_first[0]));
	get_arr(&in, t->ver_last, t->nversions, sizeof(t->ver_last[0]));
	if (get_long(&in, LONG_MAX) != (long)t->s->nqs)
		in.fail = 1;
	for (size_t i = 0; !in.fail && i < t->s->nqs; i++)
		unpack_q(&in, t, i);
	return in.fail || in.at != len || !strings_ok(t) ? -1 : 0;
}
