/* eval: metrics, bootstrap intervals and the printed table.  Reading and
 * coding samples is in evaluate_read.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "evaluate.h"

void
eval_init(struct eval *e, size_t nareas)
{
	memset(e, 0, sizeof(*e));
	e->nareas = nareas;
}

void
eval_add(struct eval *e, uint32_t truth, uint32_t predicted)
{
	uint32_t all = e->nareas >= 32 ? 0xffffffffu : (1u << e->nareas) - 1;

	for (size_t i = 0; i < e->nareas; i++) {
		int t = (truth >> i) & 1, p = (predicted >> i) & 1;
		struct eval_counts *c = &e->c[i];
		if (t && p)
			c->tp++;
		else if (p)
			c->fp++;
		else if (t)
			c->fn++;
		else
			c->tn++;
	}
	e->n++;
	if ((truth & all) == (predicted & all))
		e->exact++;
}

static double
ratio(long a, long b)
{
	return b > 0 ? (double)a / (double)b : 0.0;
}

double
eval_precision(const struct eval_counts *c)
{
	return ratio(c->tp, c->tp + c->fp);
}

double
eval_recall(const struct eval_counts *c)
{
	return ratio(c->tp, c->tp + c->fn);
}

double
eval_f1(const struct eval_counts *c)
{
	return ratio(2 * c->tp, 2 * c->tp + c->fp + c->fn);
}

double
eval_kappa(const struct eval_counts *c)
{
	double n = (double)(c->tp + c->fp + c->fn + c->tn), po, pe;

	if (n == 0)
		return 0.0;
	po = (double)(c->tp + c->tn) / n;
	pe = ((double)(c->tp + c->fp) * (double)(c->tp + c->fn) +
	    (double)(c->fn + c->tn) * (double)(c->fp + c->tn)) / (n * n);
	if (pe >= 1.0)
		return po >= 1.0 ? 1.0 : 0.0;
	return (po - pe) / (1.0 - pe);
}

size_t
eval_supported(const struct eval *e)
{
	size_t n = 0;

	for (size_t i = 0; i < e->nareas; i++)
		n += e->c[i].tp + e->c[i].fn > 0;
	return n;
}

double
eval_macro_f1(const struct eval *e)
{
	double s = 0;
	size_t n = eval_supported(e);

	for (size_t i = 0; i < e->nareas; i++)
		if (e->c[i].tp + e->c[i].fn > 0)
			s += eval_f1(&e->c[i]);
	return n ? s / (double)n : 0.0;
}

void
eval_tally(const struct eval_set *s, int reg, struct eval *e)
{
	for (size_t i = 0; i < s->n; i++)
		if (reg < 0 || s->v[i].reg == reg)
			eval_add(e, s->v[i].truth, s->v[i].pred);
}

/* Per statistic, the bootstrap distribution: [area * 3 + {P, R, F1}], and
 * macro-F1 last. */
#define NSTAT(na)	((na) * 3 + 1)

static uint64_t
next_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Undefined statistics (a resample with nothing predicted) sort last. */
static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	if (x != x || y != y)
		return (x != x) - (y != y);
	return (x > y) - (x < y);
}

static double
defined(long num, long den)
{
	return den > 0 ? (double)num / (double)den : NAN;
}

/* lo/hi[stat]: the 2.5th and 97.5th percentiles over the EVAL_BOOT
 * resamples of the rows idx[0..n) in which the statistic is defined.  0, or
 * -1 on OOM. */
static int
bootstrap(const struct eval_set *s, const size_t *idx, size_t n, size_t na, double *lo,
    double *hi)
{
	double *d = malloc(sizeof(double) * EVAL_BOOT * NSTAT(na));
	uint64_t x = 0x9E3779B97F4A7C15ull;

	if (d == NULL)
		return -1;
	for (size_t b = 0; b < EVAL_BOOT; b++) {
		struct eval e;
		eval_init(&e, na);
		for (size_t k = 0; k < n; k++) {
			const struct eval_row *r = &s->v[idx[next_rand(&x) % n]];
			eval_add(&e, r->truth, r->pred);
		}
		for (size_t a = 0; a < na; a++) {
			const struct eval_counts *c = &e.c[a];
			d[(a * 3 + 0) * EVAL_BOOT + b] = defined(c->tp, c->tp + c->fp);
			d[(a * 3 + 1) * EVAL_BOOT + b] = defined(c->tp, c->tp + c->fn);
			d[(a * 3 + 2) * EVAL_BOOT + b] = defined(2 * c->tp, 2 * c->tp + c->fp + c->fn);
		}
		d[na * 3 * EVAL_BOOT + b] = eval_supported(&e) ? eval_macro_f1(&e) : NAN;
	}
	for (size_t st = 0; st < NSTAT(na); st++) {
		double *v = d + st * EVAL_BOOT;
		size_t m = 0;
		qsort(v, EVAL_BOOT, sizeof(double), dcmp);
		while (m < EVAL_BOOT && v[m] == v[m])
			m++;
		lo[st] = m ? v[m * 25 / 1000] : NAN;
		hi[st] = m ? v[m * 975 / 1000 - (m >= 40)] : NAN;
	}
	free(d);
	return 0;
}

static void
print_group(const struct codebook *cb, const struct eval_set *s, int reg, FILE *fp)
{
	size_t na = codebook_nareas(cb), n = 0, *idx = malloc(sizeof(size_t) * (s->n + 1));
	double lo[NSTAT(CODEBOOK_MAX_AREAS)], hi[NSTAT(CODEBOOK_MAX_AREAS)];
	struct eval e;
	int ci;

	eval_init(&e, na);
	eval_tally(s, reg, &e);
	for (size_t i = 0; idx != NULL && i < s->n; i++)
		if (reg < 0 || s->v[i].reg == reg)
			idx[n++] = i;
	ci = idx != NULL && n > 0 && bootstrap(s, idx, n, na, lo, hi) == 0;
	fprintf(fp, "%s (%ld answers)\n", reg < 0 ? "all" : s->regs[reg], e.n);
	fprintf(fp, "%-14s %-20s %-20s %-20s %7s %6s\n", "area", "precision [95% CI]",
	    "recall [95% CI]", "F1 [95% CI]", "support", "kappa");
	for (size_t a = 0; a < na; a++) {
		const struct eval_counts *c = &e.c[a];
		double v[3] = { eval_precision(c), eval_recall(c), eval_f1(c) };
		int def[3] = { c->tp + c->fp > 0, c->tp + c->fn > 0, c->tp + c->fn > 0 };
		fprintf(fp, "%-14s", codebook_area(cb, a));
		for (size_t k = 0; k < 3; k++) {
			if (!def[k])
				fprintf(fp, " %-20s", "n/a");
			else if (ci)
				fprintf(fp, " %.3f [%.2f,%.2f]   ", v[k], lo[a * 3 + k], hi[a * 3 + k]);
			else
				fprintf(fp, " %-20.3f", v[k]);
		}
		fprintf(fp, " %6ld %6.3f\n", c->tp + c->fn, eval_kappa(c));
	}
	fprintf(fp, "macro-F1       %.3f", eval_macro_f1(&e));
	if (ci)
		fprintf(fp, " [%.2f,%.2f]", lo[na * 3], hi[na * 3]);
	if (eval_supported(&e) < na)
		fprintf(fp, " (over the %zu areas with answers; n/a: none in this group)",
		    eval_supported(&e));
	fprintf(fp, "\nexact match    %.3f\n\n", e.n ? (double)e.exact / (double)e.n : 0.0);
	free(idx);
}

void
eval_print(const struct codebook *cb, const struct eval_set *s, FILE *fp)
{
	print_group(cb, s, -1, fp);
	for (size_t r = 0; r < s->nregs; r++)
		print_group(cb, s, (int)r, fp);
	fprintf(fp, "intervals: 95%% percentile bootstrap, %d resamples of the answers, fixed seed\n",
	    EVAL_BOOT);
}
