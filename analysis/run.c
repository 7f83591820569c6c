/* run: the read side of the tool.  The store is opened with STORE_RDONLY,
 * so the analysis can never change what residents submitted; the secret key
 * is wiped from memory as soon as the opener holds it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>
#include "cmd.h"
#include "config.h"
#include "pipe.h"
#include "run.h"
#include "sdc.h"
#include "seal.h"
#include "store.h"

struct pass {
	struct tally	*t;
	struct pipe	*pipe;
	long		 n;
	int		 failed, quiet;
	time_t		 start;
};

int
run_parse(struct run *r, int argc, char **argv)
{
	memset(r, 0, sizeof(*r));
	r->survey_id = "residents-2026";
	r->codebook = CMD_DEFAULT_CODEBOOK;
	r->surveys = "surveys";
	r->formats = "csv,json,xlsx,html";
	r->quotes = 5;
	r->suppress = SDC_K_DEFAULT;
	for (int i = 0; i < argc; i++) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(k, "--bom") == 0) { r->bom = 1; continue; }
		if (strcmp(k, "--quiet") == 0) { r->quiet = 1; continue; }
		if (v == NULL)
			return -1;
		i++;
		if (strcmp(k, "--db") == 0) r->db = v;
		else if (strcmp(k, "--key") == 0) r->key = v;
		else if (strcmp(k, "--survey") == 0) r->survey_id = v;
		else if (strcmp(k, "--out") == 0) r->out = v;
		else if (strcmp(k, "--codebook") == 0) r->codebook = v;
		else if (strcmp(k, "--surveys") == 0) r->surveys = v;
		else if (strcmp(k, "--config") == 0) r->config = v;
		else if (strcmp(k, "--by") == 0) r->by = v;
		else if (strcmp(k, "--formats") == 0) r->formats = v;
		else if (strcmp(k, "--date") == 0) r->generated = v;
		else if (strcmp(k, "--corrections") == 0) r->corrections = v;
		else if (strcmp(k, "--population") == 0) r->population = v;
		else if (strcmp(k, "--quotes") == 0) r->quotes = atol(v);
		else if (strcmp(k, "--suppress") == 0) r->suppress = atoi(v);
		else return -1;
	}
	if (r->db == NULL || r->key == NULL || r->quotes < 0 || r->quotes > 50 ||
	    r->suppress < 1)
		return -1;
	return 0;
}

static int
load_inputs(struct run *r)
{
	char err[512];

	if (r->config != NULL) {
		struct config cfg;
		if (config_load(r->config, &cfg, err, sizeof(err)) != 0) {
			fprintf(stderr, "voices-analyse: %s\n", err);
			return -1;
		}
		r->suppress = cfg.suppress_below;
		config_free(&cfg);
	}
	if (survey_set_load(r->surveys, &r->set, err, sizeof(err)) != 0) {
		fprintf(stderr, "voices-analyse: %s\n", err);
		return -1;
	}
	if ((r->s = survey_find(r->set, r->survey_id)) == NULL) {
		fprintf(stderr, "voices-analyse: no survey '%s' in %s\n", r->survey_id, r->surveys);
		return -1;
	}
	if (codebook_load(r->codebook, &r->cb, err, sizeof(err)) != 0 ||
	    (r->corrections != NULL &&
	    corrections_load(r->corrections, r->cb, &r->corr, err, sizeof(err)) != 0)) {
		fprintf(stderr, "voices-analyse: %s\n", err);
		return -1;
	}
	return 0;
}

/* Runs in the tallying thread. */
static int
tally_one(void *ctx, const struct store_response *resp)
{
	return tally_add(ctx, resp);
}

/* Runs in the reading thread: copies the response over to the tally. */
static int
on_response(void *ctx, const struct store_response *resp)
{
	struct pass *p = ctx;

	if (pipe_push(p->pipe, resp) != 0) {
		p->failed = 1;
		return 1;
	}
	if (++p->n % 100000 == 0 && !p->quiet)
		fprintf(stderr, "tally: %ld responses, %lds\n", p->n, (long)(time(NULL) - p->start));
	return 0;
}

static int
open_store(const struct run *r, struct store **st, struct opener **op)
{
	unsigned char sk[SEAL_KEY_BYTES];
	enum store_err er;

	if (sodium_init() < 0 || seal_key_read(r->key, sk) != 0) {
		fprintf(stderr, "voices-analyse: %s: cannot read the secret key\n", r->key);
		return -1;
	}
	*op = opener_new(sk);
	sodium_memzero(sk, sizeof(sk));
	if (*op == NULL) {
		fprintf(stderr, "voices-analyse: out of memory\n");
		return -1;
	}
	if ((er = store_open(r->db, STORE_RDONLY, st)) != STORE_OK) {
		fprintf(stderr, "voices-analyse: %s: %s\n", r->db, store_strerror(er));
		return -1;
	}
	return 0;
}

/* The free-text answers no rule matched, by question, and the hand
 * corrections applied or no longer matching their text. */
static void
print_coding(const struct tally *t)
{
	long uncoded = 0;

	if (t->cb == NULL)
		return;
	for (size_t i = 0; i < t->s->nqs; i++)
		uncoded += t->q[i].uncoded;
	fprintf(stderr, "coding: %s\n", codebook_version_str(t->cb));
	fprintf(stderr, "coding: %ld answers matched no theme\n", uncoded);
	for (size_t i = 0; i < t->s->nqs; i++)
		if (t->q[i].uncoded > 0)
			fprintf(stderr, "  %s: %ld of %ld\n", t->s->qs[i].id, t->q[i].uncoded,
			    t->q[i].texts);
	if (t->corr != NULL)
		fprintf(stderr, "coding: %ld answers corrected by hand; %ld corrections no longer "
		    "match their answer's text and were ignored\n", t->corrected, t->stale);
}

int
run_tally(struct run *r, enum tally_by by, long by_q, struct tally **out)
{
	struct store *st = NULL;
	struct opener *op = NULL;
	struct pass p = { NULL, NULL, 0, 0, r->quiet, time(NULL) };
	enum store_err er;
	int rc = -1;

	if (load_inputs(r) != 0 || open_store(r, &st, &op) != 0)
		goto out;
	if ((p.t = tally_new(r->s, r->cb, by, by_q, (size_t)r->quotes)) == NULL) {
		fprintf(stderr, "voices-analyse: out of memory\n");
		goto out;
	}
	p.t->corr = r->corr;
	if ((p.pipe = pipe_new(tally_one, p.t)) == NULL) {
		fprintf(stderr, "voices-analyse: cannot start the tally thread\n");
		goto out;
	}
	er = store_each_response(st, r->s->id, op, on_response, &p);
	if (pipe_finish(p.pipe) != 0)
		p.failed = 1;
	if (er != STORE_OK || p.failed) {
		fprintf(stderr, "voices-analyse: reading %s: %s\n", r->db,
		    p.failed ? "out of memory" : store_strerror(er));
		goto out;
	}
	if (!r->quiet)
		fprintf(stderr, "tally: %ld responses in %lds\n", p.n, (long)(time(NULL) - p.start));
	if (!r->quiet)
		print_coding(p.t);
	*out = p.t;
	p.t = NULL;
	rc = 0;
out:
	tally_free(p.t);
	opener_free(op);
	store_close(st);
	return rc;
}

int
run_load(struct run *r)
{
	return load_inputs(r);
}

int
run_each(struct run *r, int (*fn)(void *, const struct store_response *), void *ctx)
{
	struct store *st = NULL;
	struct opener *op = NULL;
	enum store_err er;
	int rc = -1;

	if (open_store(r, &st, &op) != 0)
		goto out;
	if ((er = store_each_response(st, r->s->id, op, fn, ctx)) != STORE_OK) {
		fprintf(stderr, "voices-analyse: reading %s: %s\n", r->db, store_strerror(er));
		goto out;
	}
	rc = 0;
out:
	opener_free(op);
	store_close(st);
	return rc;
}

void
run_free(struct run *r)
{
	corrections_free(r->corr);
	r->corr = NULL;
	codebook_free(r->cb);
	survey_set_free(r->set);
	r->cb = NULL;
	r->set = NULL;
}
