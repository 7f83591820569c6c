/* cmd_train: `train`, which learns the coding model from human-coded
 * answers, and the learning modes of `evaluate`: cross-validation on a
 * coded sample (--cv) and the gain of each round of corrections (--learn). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "codebook.h"
#include "evaluate.h"

/* rows [0..n) of s except those with i % k == fold (fold < 0: all) as
 * examples, in ex (caller's, s->n long).  Returns how many. */
static size_t
examples(const struct eval_set *s, size_t n, long k, long fold, struct codebook_example *ex)
{
	size_t m = 0;

	for (size_t i = 0; i < n; i++)
		if (fold < 0 || (long)(i % (size_t)k) != fold)
			ex[m].text = s->v[i].text, ex[m++].areas = s->v[i].truth;
	return m;
}

/* A version naming the codebook, the training settings and the examples:
 * the same inputs give the same name, other inputs almost surely another. */
static void
version_of(const struct codebook *cb, const struct codebook_example *ex, size_t n, char *out,
    size_t outlen)
{
	crypto_generichash_state st;
	unsigned char h[4];
	char hex[9];

	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)codebook_hash(cb), 32);
	crypto_generichash_update(&st, (const unsigned char *)codebook_trainer(),
	    strlen(codebook_trainer()));
	for (size_t i = 0; i < n; i++) {
		crypto_generichash_update(&st, (const unsigned char *)ex[i].text, strlen(ex[i].text) + 1);
		crypto_generichash_update(&st, (const unsigned char *)&ex[i].areas, sizeof(ex[i].areas));
	}
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	snprintf(out, outlen, "%d-%s (%zu coded answers)", codebook_version(cb), hex, n);
}

static int
train_on(struct codebook *cb, const struct eval_set *s, size_t n, long k, long fold)
{
	struct codebook_example *ex = calloc(s->n + 1, sizeof(*ex));
	char version[96], err[256];
	size_t m;
	int rc = -1;

	if (ex == NULL)
		return -1;
	m = examples(s, n, k, fold, ex);
	version_of(cb, ex, m, version, sizeof(version));
	if (codebook_train(cb, ex, m, version, err, sizeof(err)) == 0)
		rc = 0;
	else
		fprintf(stderr, "voices-analyse: %s\n", err);
	free(ex);
	return rc;
}

static struct codebook *
open_rules(const char *path)
{
	struct codebook *cb = NULL;
	char err[512];

	if (codebook_load_rules(path, &cb, err, sizeof(err)) != 0)
		fprintf(stderr, "voices-analyse: %s\n", err);
	return cb;
}

int
eval_read_all(struct codebook *cb, char **files, int n, struct eval_set *s)
{
	char err[512];

	for (int i = 0; i < n; i++)
		if (eval_read(cb, files[i], s, err, sizeof(err)) != 0) {
			fprintf(stderr, "voices-analyse: %s\n", err);
			return -1;
		}
	return 0;
}

int
cmd_train(int argc, char **argv)
{
	const char *path = CMD_DEFAULT_CODEBOOK, *out = NULL;
	struct codebook *cb = NULL;
	struct eval_set s = { 0 };
	char err[512];
	int i, rc = 1;

	for (i = 0; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--codebook") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			out = argv[++i];
		else
			break;
	}
	if (i >= argc || argv[i][0] == '-') {
		fprintf(stderr, "usage: voices-analyse train [--codebook FILE] [--out MODEL] CODED.csv...\n");
		return 2;
	}
	if ((cb = open_rules(path)) == NULL || eval_read_all(cb, argv + i, argc - i, &s) != 0)
		goto out;
	if (out == NULL && (out = codebook_model_path(cb)) == NULL) {
		fprintf(stderr, "voices-analyse: %s names no model: give --out\n", path);
		goto out;
	}
	if (train_on(cb, &s, s.n, 1, -1) != 0)
		goto out;
	if (codebook_save_model(cb, out, err, sizeof(err)) != 0) {
		fprintf(stderr, "voices-analyse: %s\n", err);
		goto out;
	}
	fprintf(stderr, "%s: %s\n", out, codebook_version_str(cb));
	rc = 0;
out:
	return eval_end(cb, &s, rc);
}

/* Each row whose coding differs from the human's, as evaluate --errors. */
static void
print_errors(const struct codebook *cb, const struct eval_set *s)
{
	char a[256], b[256];

	for (size_t i = 0; i < s->n; i++) {
		const struct eval_row *r = &s->v[i];
		if (r->truth != r->pred)
			printf("%s: human %s, coded %s: %s\n", *r->id ? r->id : "?",
			    codebook_areas_str(cb, r->truth, a, sizeof(a)),
			    codebook_areas_str(cb, r->pred, b, sizeof(b)), r->text);
	}
	putchar('\n');
}

/* k-fold cross-validation: every row is coded by a model that did not see
 * it (fold i % k: fixed by the rows' order, so the same files always give
 * the same folds), then the usual table; and the rules alone beside it.
 * With errors, the rows the cross-validated coding got wrong first. */
int
eval_cv(const char *path, long k, int errors, char **files, int nfiles)
{
	struct codebook *cb = open_rules(path);
	struct eval_set s = { 0 }, one;
	struct eval e;
	int rc = 1;

	if (cb == NULL || eval_read_all(cb, files, nfiles, &s) != 0 ||
	    eval_code(cb, &s, NULL) != 0)
		goto out;
	eval_init(&e, codebook_nareas(cb));
	eval_tally(&s, -1, &e);
	printf("rules alone: macro-F1 %.3f\n\n%ld-fold cross-validation of rules + model:\n",
	    eval_macro_f1(&e), k);
	for (long f = 0; f < k; f++) {
		if (train_on(cb, &s, s.n, k, f) != 0)
			goto out;
		for (size_t i = (size_t)f; i < s.n; i += (size_t)k) {
			one = s;
			one.v = &s.v[i], one.n = 1;
			if (eval_code(cb, &one, NULL) != 0)
				goto out;
		}
	}
	if (errors)
		print_errors(cb, &s);
	eval_print(cb, &s, stdout);
	rc = 0;
out:
	return eval_end(cb, &s, rc);
}

/* Round 0 is the rules alone; round r adds learn[r - 1] to what the model
 * learns from, and each round is measured on the test files. */
int
eval_rounds(const char *path, char **learn, int nlearn, char **files, int nfiles)
{
	struct codebook *cb = open_rules(path);
	struct eval_set tr = { 0 }, test = { 0 };
	double last = 0;
	int rc = 1;

	if (cb == NULL || eval_read_all(cb, files, nfiles, &test) != 0)
		goto out;
	printf("%-5s %-32s %8s %9s %9s %7s\n", "round", "learnt from", "answers", "macro-F1",
	    "min prec", "gain");
	for (int r = 0; r <= nlearn; r++) {
		struct eval e;
		double minp = 1, f1;
		if (r > 0 && (eval_read_all(cb, learn + r - 1, 1, &tr) != 0 ||
		    train_on(cb, &tr, tr.n, 1, -1) != 0))
			goto out;
		if (eval_code(cb, &test, NULL) != 0)
			goto out;
		eval_init(&e, codebook_nareas(cb));
		eval_tally(&test, -1, &e);
		for (size_t a = 0; a < e.nareas; a++)
			if (eval_precision(&e.c[a]) < minp)
				minp = eval_precision(&e.c[a]);
		f1 = eval_macro_f1(&e);
		printf("%-5d %-32.32s %8zu %9.3f %9.3f %+7.3f\n", r, r ? learn[r - 1] : "(rules alone)",
		    tr.n, f1, minp, r ? f1 - last : 0.0);
		last = f1;
	}
	rc = 0;
out:
	eval_set_free(&tr);
	eval_set_free(&test);
	codebook_free(cb);
	return rc;
}
