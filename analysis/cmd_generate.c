/* cmd_generate: `generate --db DB --n N --pub KEYFILE [--seed S]
 * [--surveys DIR] [--survey ID] [--waves W]`.  Fills a database with N
 * synthetic responses through the same store_responses_add the app uses,
 * 500 per transaction.  Answers follow the survey's rules (conditions,
 * exclusive options, ranking positions), so the data is what the app could
 * have stored.  Each respondent has a latent "feels safe" level, lower in
 * the east of the borough, that drives the scales. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>
#include "arena.h"
#include "cmd.h"
#include "gen.h"
#include "store.h"
#include "survey.h"
#include "util.h"

#define BATCH	500

struct genopt {
	const char	*db, *pub, *surveys, *survey;
	long		 n;
	uint64_t	 seed;
	int		 waves;
};

/* One respondent being built. */
struct resp {
	struct store_answer a[256];
	size_t		 n;
	double		 mood;		/* 0 = feels very unsafe, 1 = very safe */
};

static const char *const east_wards[] = { "northumberland-park", "white-hart-lane",
	"bruce-castle", "tottenham-hale", "tottenham-central", "seven-sisters", "noel-park",
	"west-green", "south-tottenham", "woodside", "st-anns", NULL };

static int
is_east(const char *ward)
{
	for (size_t i = 0; east_wards[i] != NULL; i++)
		if (strcmp(ward, east_wards[i]) == 0)
			return 1;
	return 0;
}

static int
has_answer(const struct resp *r, const char *qid, const char *code)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->a[i].question, qid) == 0 && strcmp(r->a[i].value, code) == 0)
			return 1;
	return 0;
}

static int
cond_ok(const struct survey *s, const struct resp *r, const struct cond *c)
{
	int any = 0;

	if (c == NULL)
		return 1;
	for (size_t k = 0; k < c->ncodes && !any; k++)
		any = has_answer(r, s->qs[c->q].id, c->codes[k]);
	return c->negate ? !any : any;
}

static void
add(struct resp *r, const char *qid, const char *value, int pos, int text)
{
	if (r->n == sizeof(r->a) / sizeof(r->a[0]))
		return;
	r->a[r->n].question = qid;
	r->a[r->n].value = value;
	r->a[r->n].len = strlen(value);
	r->a[r->n].pos = pos;
	r->a[r->n].text = text;
	r->n++;
}

/* Fixed, uneven option weights so that tables are not flat. */
static double
opt_weight(const struct question *q, size_t i)
{
	uint32_t h = fnv1a32(FNV32_BASIS, q->id, strlen(q->id));

	h = (h ^ (uint32_t)i) * FNV32_PRIME;
	if (q->opts[i].missing)
		return 0.15;
	return 1.0 + (double)(h % 7);
}

/* A point drawn around the respondent's level: the level plus noise of up
 * to +-0.3, cut to [0, 1], picks one of the scale's points (those not
 * "missing") in equal slices, so both ends of every scale are given.  One
 * answer in twenty is the first "missing" option, when the scale has one. */
static void
answer_scale(struct gen_rng *g, const struct question *q, struct resp *r)
{
	size_t npts = 0, miss, k, i;
	double x;

	for (miss = q->nopts, i = q->nopts; i-- > 0;) {
		npts += !q->opts[i].missing;
		miss = q->opts[i].missing ? i : miss;
	}
	if (npts == 0 || (miss < q->nopts && gen_chance(g, 0.05))) {
		if (miss < q->nopts)
			add(r, q->id, q->opts[miss].code, 0, 0);
		return;
	}
	/* "worry" scales run the other way from "safe" ones. */
	x = strncmp(q->id, "worry", 5) == 0 ? 1.0 - r->mood : r->mood;
	x += ((double)gen_below(g, 1001) / 1000.0 - 0.5) * 0.6;
	k = x <= 0.0 ? 0 : (size_t)(x * (double)npts);
	k = k < npts ? k : npts - 1;
	for (i = 0; i < q->nopts; i++)	/* the k-th point that is not "missing" */
		if (!q->opts[i].missing && k-- == 0)
			break;
	add(r, q->id, q->opts[i].code, 0, 0);
}

static void
answer_multi(struct gen_rng *g, const struct question *q, struct resp *r)
{
	size_t chosen = 0, last = 0;
	int max = q->max_choices > 0 ? q->max_choices : (int)q->nopts;

	for (size_t i = 0; i < q->nopts; i++)
		if (q->opts[i].exclusive && gen_chance(g, 0.04)) {
			add(r, q->id, q->opts[i].code, 1, 0);
			return;
		}
	for (size_t i = 0; i < q->nopts && (int)chosen < max; i++) {
		if (q->opts[i].exclusive)
			continue;
		last = i;
		if (gen_chance(g, opt_weight(q, i) / 14.0))
			add(r, q->id, q->opts[i].code, (int)++chosen, 0);
	}
	if (chosen == 0)
		add(r, q->id, q->opts[last].code, 1, 0);
}

static void
answer_ranking(struct gen_rng *g, const struct question *q, struct resp *r)
{
	double w[64];
	size_t n = q->nopts < 64 ? q->nopts : 64;
	int rank = q->rank > 0 ? q->rank : (int)n;

	for (size_t i = 0; i < n; i++)
		w[i] = opt_weight(q, i);
	for (int pos = 1; pos <= rank; pos++) {
		size_t k = gen_weighted(g, w, n);
		add(r, q->id, q->opts[k].code, pos, 0);
		w[k] = 0;
	}
}

static void
answer_choice(struct gen_rng *g, const struct question *q, struct resp *r)
{
	double w[128];
	size_t n = q->nopts < 128 ? q->nopts : 128;

	for (size_t i = 0; i < n; i++)
		w[i] = opt_weight(q, i);
	add(r, q->id, q->opts[gen_weighted(g, w, n)].code, 0, 0);
}

static void
answer_text(struct gen_rng *g, struct arena *a, const struct question *q, struct resp *r)
{
	struct buf b = BUF_INIT;
	char *copy;

	gen_text(g, q->outcome, &b);
	if (!buf_failed(&b) && b.len > 0 && (copy = arena_strndup(a, b.p, b.len)) != NULL)
		add(r, q->id, copy, 0, 1);
	buf_free(&b);
}

/* How likely a shown question is answered. */
static double
answer_rate(const struct survey *s, const struct question *q)
{
	if (q->required)
		return 1.0;
	if (q->type == Q_TEXT || q->type == Q_LONGTEXT)
		return q->outcome ? 0.12 : 0.3;
	if (strncmp(s->pages[q->page].id, "about-you", 9) == 0)
		return 0.85;
	return 0.95;
}

static void
answer_question(struct gen_rng *g, struct arena *a, const struct survey *s, size_t qi,
    struct resp *r)
{
	const struct question *q = &s->qs[qi];
	char *num;

	if (q->type == Q_INFO || !cond_ok(s, r, s->pages[q->page].show_if) ||
	    !cond_ok(s, r, q->show_if) || !gen_chance(g, answer_rate(s, q)))
		return;
	switch (q->type) {
	case Q_SCALE: answer_scale(g, q, r); break;
	case Q_MULTI: answer_multi(g, q, r); break;
	case Q_RANKING: answer_ranking(g, q, r); break;
	case Q_SINGLE: case Q_LIST: answer_choice(g, q, r); break;
	case Q_TEXT: case Q_LONGTEXT: answer_text(g, a, q, r); break;
	case Q_NUMBER:
		num = arena_printf(a, "%ld", q->min + (long)gen_below(g, (size_t)(q->max - q->min + 1)));
		if (num != NULL)
			add(r, q->id, num, 0, 0);
		break;
	default: break;
	}
	if (strcmp(q->id, "ward") == 0 && r->n > 0)
		r->mood = is_east(r->a[r->n - 1].value) ? r->mood * 0.75 : r->mood * 0.8 + 0.2;
}

static const char *
day_of(struct gen_rng *g, struct arena *a, int wave, int waves)
{
	/* Each wave runs eight weeks from 2 March, a year after the one before. */
	struct tm tm = { .tm_year = 126 - (waves - wave), .tm_mon = 2, .tm_mday = 2, .tm_hour = 12 };
	time_t t = timegm(&tm) + (time_t)gen_below(g, 56) * 86400;
	struct tm out;

	gmtime_r(&t, &out);
	return arena_printf(a, "%04d-%02d-%02d", out.tm_year + 1900, out.tm_mon + 1, out.tm_mday);
}

static const char *
pick_channel(struct gen_rng *g, const struct survey *s)
{
	static const double w[CH__MAX] = { 60, 8, 10, 10, 5, 4, 3 };
	static const double young[CH__MAX] = { 30, 5, 2, 8, 35, 17, 3 };

	return channel_names[gen_weighted(g, s->audience == AUD_YOUNG ? young : w, CH__MAX)];
}

static struct submission *
make_one(struct gen_rng *g, struct arena *a, const struct survey *s, const struct genopt *o)
{
	struct submission *sub = arena_calloc(a, 1, sizeof(*sub));
	struct resp *r = arena_calloc(a, 1, sizeof(*r));
	int wave = 1 + (int)gen_below(g, (size_t)o->waves);

	if (sub == NULL || r == NULL)
		return NULL;
	r->mood = (double)gen_below(g, 1000) / 1000.0 * 0.85 + 0.03 * wave;
	for (size_t i = 0; i < sizeof(sub->nonce); i += 8) {
		uint64_t x = gen_next(g);
		memcpy(sub->nonce + i, &x, 8);
	}
	sub->survey = s->id;
	sub->version = wave;
	sub->def_hash = s->hash;
	sub->channel = pick_channel(g, s);
	sub->lang = s->nlangs > 1 && gen_chance(g, 0.1) ?
	    s->langs[1 + gen_below(g, s->nlangs - 1)].code : s->langs[0].code;
	sub->day = day_of(g, a, wave, o->waves);
	for (size_t q = 0; q < s->nqs; q++)
		answer_question(g, a, s, q, r);
	sub->answers = r->a;
	sub->nanswers = r->n;
	return sub->day != NULL ? sub : NULL;
}

static int
store_batch(struct store *st, struct submission **subs, size_t n)
{
	enum store_err res[BATCH], er;

	if ((er = store_responses_add(st, subs, n, res)) != STORE_OK) {
		fprintf(stderr, "voices-analyse: storing: %s\n", store_strerror(er));
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (res[i] != STORE_OK) {
			fprintf(stderr, "voices-analyse: a response was refused: %s\n",
			    store_strerror(res[i]));
			return -1;
		}
	return 0;
}

static int
fill(struct store *st, const struct survey *s, const struct genopt *o)
{
	struct submission *subs[BATCH];
	struct arena *a = arena_new(1 << 20);
	struct gen_rng g;
	long done = 0;
	int rc = -1;

	if (a == NULL)
		return -1;
	gen_seed(&g, o->seed);
	while (done < o->n) {
		size_t n = 0;
		arena_reset(a);
		for (; n < BATCH && done + (long)n < o->n; n++)
			if ((subs[n] = make_one(&g, a, s, o)) == NULL)
				goto out;
		if (store_batch(st, subs, n) != 0)
			goto out;
		done += (long)n;
		if (done % 50000 == 0 || done == o->n)
			fprintf(stderr, "generate: %ld of %ld\n", done, o->n);
	}
	rc = 0;
out:
	arena_free(a);
	return rc;
}

static int
register_waves(struct store *st, const struct survey *s, int waves)
{
	for (int w = 1; w <= waves; w++) {
		struct survey copy = *s;
		copy.version = w;
		if (store_survey_register(st, &copy) != STORE_OK)
			return -1;
	}
	return 0;
}

static int
parse_generate(int argc, char **argv, struct genopt *o)
{
	memset(o, 0, sizeof(*o));
	o->surveys = "surveys";
	o->survey = "residents-2026";
	o->seed = 1;
	o->waves = 1;
	for (int i = 0; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];
		if (strcmp(k, "--db") == 0) o->db = v;
		else if (strcmp(k, "--pub") == 0) o->pub = v;
		else if (strcmp(k, "--surveys") == 0) o->surveys = v;
		else if (strcmp(k, "--survey") == 0) o->survey = v;
		else if (strcmp(k, "--n") == 0) o->n = atol(v);
		else if (strcmp(k, "--seed") == 0) o->seed = strtoull(v, NULL, 10);
		else if (strcmp(k, "--waves") == 0) o->waves = atoi(v);
		else return -1;
	}
	if (argc % 2 != 0 || o->db == NULL || o->pub == NULL || o->n <= 0 || o->waves < 1 ||
	    o->waves > 10)
		return -1;
	return 0;
}

int
cmd_generate(int argc, char **argv)
{
	struct survey_set *set = NULL;
	struct store *st = NULL;
	const struct survey *s;
	unsigned char pk[SEAL_KEY_BYTES];
	struct genopt o;
	char err[512];
	enum store_err er;
	int rc = 1;

	if (parse_generate(argc, argv, &o) != 0) {
		fprintf(stderr, "usage: voices-analyse generate --db DB --n N --pub KEYFILE [--seed S]"
		    " [--surveys DIR] [--survey ID] [--waves W]\n");
		return 2;
	}
	if (sodium_init() < 0 || seal_key_read(o.pub, pk) != 0) {
		fprintf(stderr, "voices-analyse: %s: cannot read the public key\n", o.pub);
		return 1;
	}
	if (survey_set_load(o.surveys, &set, err, sizeof(err)) != 0) {
		fprintf(stderr, "voices-analyse: %s\n", err);
		return 1;
	}
	if ((s = survey_find(set, o.survey)) == NULL) {
		fprintf(stderr, "voices-analyse: no survey '%s' in %s\n", o.survey, o.surveys);
		goto out;
	}
	if ((er = store_open(o.db, STORE_CREATE, &st)) != STORE_OK) {
		fprintf(stderr, "voices-analyse: %s: %s\n", o.db, store_strerror(er));
		goto out;
	}
	store_set_recipient(st, pk);
	if (register_waves(st, s, o.waves) != 0 || fill(st, s, &o) != 0)
		goto out;
	rc = 0;
out:
	store_close(st);
	survey_set_free(set);
	return rc;
}
