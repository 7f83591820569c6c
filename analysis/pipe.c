/* pipe: a bounded queue of batches between two threads.  A batch is one
 * byte buffer of serialised responses (fixed header, then NUL-terminated
 * strings), reused once consumed; free text passes through it in the clear,
 * so a batch is wiped (sodium_memzero) before it is reused or freed. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "buf.h"
#include "pipe.h"

#define PIPE_BATCHES	4
#define PIPE_PER_BATCH	512

struct batch {
	struct buf	 data;
	size_t		 n;
};

struct pipe {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct batch	 b[PIPE_BATCHES];
	size_t		 head, count;	/* ring of full batches: b[head .. head+count) */
	size_t		 fill;		/* the batch the producer is filling */
	int		 done, failed;
	pthread_t	 th;
	int		(*fn)(void *, const struct store_response *);
	void		*ctx;
	struct store_answer *ans;	/* consumer's scratch */
	size_t		 capans;
};

struct rec {
	int64_t		 id;
	int32_t		 version;
	uint32_t	 nanswers;
	int32_t		 flagged;
};

struct rec_answer {
	int32_t		 pos;
	int32_t		 text;
	uint64_t	 len;
};

static void
put_str(struct buf *b, const char *s, size_t n)
{
	buf_add(b, s, n);
	buf_addc(b, '\0');
}

static const char *
get_str(const char **p)
{
	const char *s = *p;

	*p += strlen(s) + 1;
	return s;
}

static int
decode_one(struct pipe *p, const char **at, struct store_response *r)
{
	struct rec h;

	memcpy(&h, *at, sizeof(h));
	*at += sizeof(h);
	if (h.nanswers > p->capans) {
		struct store_answer *na = realloc(p->ans, h.nanswers * sizeof(*na));
		if (na == NULL)
			return -1;
		p->ans = na;
		p->capans = h.nanswers;
	}
	r->id = h.id;
	r->version = h.version;
	r->flagged = h.flagged;
	r->survey = get_str(at);
	r->channel = get_str(at);
	r->lang = get_str(at);
	r->day = get_str(at);
	for (uint32_t i = 0; i < h.nanswers; i++) {
		struct rec_answer ra;
		memcpy(&ra, *at, sizeof(ra));
		*at += sizeof(ra);
		p->ans[i].pos = ra.pos;
		p->ans[i].text = ra.text;
		p->ans[i].len = (size_t)ra.len;
		p->ans[i].question = get_str(at);
		p->ans[i].value = *at;
		*at += ra.len + 1;
	}
	r->answers = p->ans;
	r->nanswers = h.nanswers;
	return 0;
}

static int
consume(struct pipe *p, struct batch *b)
{
	const char *at = b->data.p;
	struct store_response r;

	for (size_t i = 0; i < b->n; i++)
		if (decode_one(p, &at, &r) != 0 || p->fn(p->ctx, &r) != 0)
			return -1;
	return 0;
}

static void *
worker(void *arg)
{
	struct pipe *p = arg;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->count == 0 && !p->done)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->count == 0)
			break;
		struct batch *b = &p->b[p->head];
		int skip = p->failed;
		pthread_mutex_unlock(&p->mu);
		int rc = skip ? 0 : consume(p, b);
		if (b->data.p != NULL)
			sodium_memzero(b->data.p, b->data.len);
		buf_reset(&b->data);
		b->n = 0;
		pthread_mutex_lock(&p->mu);
		if (rc != 0)
			p->failed = 1;
		p->head = (p->head + 1) % PIPE_BATCHES;
		p->count--;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct pipe *
pipe_new(int (*fn)(void *, const struct store_response *), void *ctx)
{
	struct pipe *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->fn = fn;
	p->ctx = ctx;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	if (pthread_create(&p->th, NULL, worker, p) != 0) {
		pthread_mutex_destroy(&p->mu);
		pthread_cond_destroy(&p->cv);
		free(p);
		return NULL;
	}
	return p;
}

/* Queues the batch being filled and waits for a free one. */
static int
hand_over(struct pipe *p)
{
	int failed;

	pthread_mutex_lock(&p->mu);
	p->count++;
	pthread_cond_broadcast(&p->cv);
	while (p->count == PIPE_BATCHES)
		pthread_cond_wait(&p->cv, &p->mu);
	p->fill = (p->head + p->count) % PIPE_BATCHES;
	failed = p->failed;
	pthread_mutex_unlock(&p->mu);
	return failed;
}

int
pipe_push(struct pipe *p, const struct store_response *r)
{
	struct batch *b = &p->b[p->fill];
	struct rec h = { r->id, r->version, (uint32_t)r->nanswers, r->flagged };

	buf_add(&b->data, &h, sizeof(h));
	put_str(&b->data, r->survey, strlen(r->survey));
	put_str(&b->data, r->channel, strlen(r->channel));
	put_str(&b->data, r->lang, strlen(r->lang));
	put_str(&b->data, r->day, strlen(r->day));
	for (size_t i = 0; i < r->nanswers; i++) {
		const struct store_answer *a = &r->answers[i];
		struct rec_answer ra = { a->pos, a->text, a->len };
		buf_add(&b->data, &ra, sizeof(ra));
		put_str(&b->data, a->question, strlen(a->question));
		put_str(&b->data, a->value, a->len);
	}
	if (buf_failed(&b->data))
		return -1;
	if (++b->n == PIPE_PER_BATCH)
		return hand_over(p);
	return 0;
}

int
pipe_finish(struct pipe *p)
{
	int failed;

	if (p == NULL)
		return 0;
	pthread_mutex_lock(&p->mu);
	if (p->b[p->fill].n > 0)
		p->count++;
	p->done = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->th, NULL);
	failed = p->failed;
	for (size_t i = 0; i < PIPE_BATCHES; i++) {
		if (p->b[i].data.p != NULL)
			sodium_memzero(p->b[i].data.p, p->b[i].data.cap);
		buf_free(&p->b[i].data);
	}
	free(p->ans);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
	return failed ? -1 : 0;
}
