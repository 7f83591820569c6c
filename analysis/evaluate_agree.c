/* eval: agreement between two human coders (evaluate --agree), so the
 * corpus's inter-coder figures can be recomputed from its files.  Coder 2's
 * file has columns id and labels; coder 1's are corpus files (id, register,
 * text, labels).  Answers are matched by id.  Cohen's kappa is given per
 * area and for "other" (no area), and pooled over every (answer, label)
 * decision, overall and per register. */
#include <stdlib.h>
#include <string.h>
#include "csvr.h"
#include "evaluate.h"

static int
read_second(struct codebook *cb, const char *path, struct eval_set *one, char *err,
    size_t errlen)
{
	struct csvr c;
	struct csvr_rec r;
	long id = -1, lab = -1;
	char bad[64];
	int k, rc = -1;

	if (csvr_open(&c, path, err, errlen) != 0)
		return -1;
	while ((k = csvr_next(&c, &r)) > 0) {
		if (id < 0) {
			id = csvr_col(&r, "id"), lab = csvr_col(&r, "labels");
			if (id < 0 || lab < 0) {
				snprintf(err, errlen, "%s: expected a header with id and labels", path);
				goto out;
			}
			continue;
		}
		for (size_t i = 0; i < one->n; i++) {
			uint32_t a;
			if ((size_t)id >= r.n || (size_t)lab >= r.n || strcmp(one->v[i].id, r.f[id]) != 0)
				continue;
			if (codebook_areas_parse(cb, r.f[lab], &a, bad, sizeof(bad)) != 0) {
				snprintf(err, errlen, "%s:%ld: unknown area '%s'", path, r.line, bad);
				goto out;
			}
			one->v[i].pred = a | 0x80000000u;
		}
	}
	rc = k < 0 ? (snprintf(err, errlen, "%s: malformed CSV", path), -1) : 0;
out:
	csvr_close(&c);
	return rc;
}

/* Per label (the areas, then "other") and pooled, for rows of register reg. */
static void
agree_group(const struct codebook *cb, const struct eval_set *s, int reg, FILE *fp)
{
	size_t na = codebook_nareas(cb);
	struct eval e, pool;
	long n = 0;

	eval_init(&e, na + 1);
	eval_init(&pool, 1);
	for (size_t i = 0; i < s->n; i++) {
		const struct eval_row *r = &s->v[i];
		uint32_t t, p;
		if (!(r->pred & 0x80000000u) || (reg >= 0 && r->reg != reg))
			continue;
		t = r->truth ? r->truth : 1u << na;
		p = (r->pred & 0x7fffffffu) ? (r->pred & 0x7fffffffu) : 1u << na;
		eval_add(&e, t, p);
		for (size_t a = 0; a <= na; a++)
			eval_add(&pool, (t >> a) & 1, (p >> a) & 1);
		n++;
	}
	fprintf(fp, "%-10s %4ld answers  pooled kappa %.2f  ", reg < 0 ? "all" : s->regs[reg], n,
	    eval_kappa(&pool.c[0]));
	for (size_t a = 0; a <= na && reg < 0; a++)
		fprintf(fp, " %s %.2f", a < na ? codebook_area(cb, a) : "other", eval_kappa(&e.c[a]));
	fputc('\n', fp);
}

int
eval_agree(struct codebook *cb, const char *second, struct eval_set *s, FILE *fp,
    char *err, size_t errlen)
{
	if (read_second(cb, second, s, err, errlen) != 0)
		return -1;
	fprintf(fp, "Cohen's kappa, coder 1 (the corpus files) against %s:\n", second);
	agree_group(cb, s, -1, fp);
	for (size_t r = 0; r < s->nregs; r++)
		agree_group(cb, s, (int)r, fp);
	return 0;
}
