/* sdc_table: the analysis tool's one-way and two-way tables as sdc tables.
 * Cell i of the caller's array is cell i of the sdc table. */
#include <stdlib.h>
#include "sdc_int.h"

enum sdc_err
sdc_oneway(const long *v, size_t n, long total, int additive, int k,
    unsigned char *supp, int *total_supp)
{
	long *m, tc;
	struct sdc *t = sdc_new_cells(k, v, n, n + 1, &m);
	enum sdc_err er = SDC_NOMEM;

	if (t == NULL)
		goto out;
	tc = sdc_cell(t, total, 0);
	/* Overlapping counts have no sum, and need not cover the base (themes
	 * of free text), but "0, [c], 0" beside a small base still says that
	 * everyone gave the hidden answer. */
	if ((additive || sdc_small(total, k)) && sdc_line(t, m, n, additive ? tc : -1) != 0)
		goto out;
	if (!additive && sdc_lines_apart(t, m, v, n, total, tc) != 0)
		goto out;
	er = sdc_run(t);
out:
	for (size_t i = 0; i < n; i++)
		supp[i] = (unsigned char)sdc_hidden(er == SDC_OK ? t : NULL, (long)i);
	*total_supp = sdc_hidden(er == SDC_OK ? t : NULL, (long)n);
	sdc_free(t);
	free(m);
	return er;
}

/* Builds the grid's table: cell i is grid[i]; a line per row and column. */
static struct sdc *
grid_table(const long *grid, size_t r, size_t c, int k)
{
	struct sdc *t = sdc_new(k);
	size_t cells = (r + 1) * (c + 1);
	long *m = malloc((r + c + 2) * sizeof(*m));

	for (size_t i = 0; t != NULL && i < cells; i++)
		sdc_cell(t, grid[i], 0);
	for (size_t i = 0; t != NULL && m != NULL && i <= r; i++) {
		for (size_t j = 0; j < c; j++)
			m[j] = (long)(i * (c + 1) + j);
		sdc_line(t, m, c, (long)(i * (c + 1) + c));
	}
	for (size_t j = 0; t != NULL && m != NULL && j <= c; j++) {
		for (size_t i = 0; i < r; i++)
			m[i] = (long)(i * (c + 1) + j);
		sdc_line(t, m, r, (long)(r * (c + 1) + j));
	}
	if (t != NULL && m == NULL)
		t->err = SDC_NOMEM;
	free(m);
	return t;
}

enum sdc_err
sdc_twoway(const long *grid, size_t r, size_t c, int k, unsigned char *supp)
{
	struct sdc *t = grid_table(grid, r, c, k);
	enum sdc_err er = t != NULL ? sdc_run(t) : SDC_NOMEM;

	for (size_t i = 0; i < (r + 1) * (c + 1); i++)
		supp[i] = (unsigned char)sdc_hidden(er == SDC_OK ? t : NULL, (long)i);
	sdc_free(t);
	return er;
}

int
sdc_recoverable(size_t r, size_t c, const unsigned char *supp)
{
	size_t cells = (r + 1) * (c + 1);
	long *g = calloc(cells + 1, sizeof(*g));
	struct sdc *t = g != NULL ? grid_table(g, r, c, 1) : NULL;
	int found = 1;

	if (t != NULL && t->err == SDC_OK) {
		for (size_t i = 0; i < cells; i++)
			t->supp[i] = supp[i] != 0;
		found = sdc_attack_linear(t) >= 0;
	}
	sdc_free(t);
	free(g);
	return found;
}
