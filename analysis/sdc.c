/* sdc: suppression over "lines".  A line is a list of grid indexes whose
 * first n-1 members sum to the last (its total).  One-way tables are one
 * line; two-way tables have a line per row and per column. */
#include <stdlib.h>
#include "sdc.h"

int
sdc_threshold(int configured, int survey)
{
	return configured > survey ? configured : survey;
}

int
sdc_small(long n, int k)
{
	return n >= 1 && n < k;
}

int
sdc_asked_hidden(long asked, long answered, int k)
{
	return sdc_small(asked, k) || sdc_small(asked - answered, k);
}

/* Hides a second member of a line that has exactly one hidden.  Returns 1
 * when it hid something. */
static int
protect_line(const long *v, unsigned char *supp, const size_t *idx, size_t m)
{
	size_t hidden = 0, best = m;

	for (size_t i = 0; i < m; i++)
		hidden += supp[idx[i]] != 0;
	if (hidden != 1)
		return 0;
	for (size_t i = 0; i + 1 < m; i++) {
		size_t j = idx[i];
		if (supp[j] || v[j] <= 0)
			continue;
		if (best == m || v[j] < v[idx[best]])
			best = i;
	}
	if (best == m)
		for (size_t i = 0; i < m && best == m; i++)
			if (!supp[idx[i]])
				best = i;
	if (best == m)
		return 0;
	supp[idx[best]] = 1;
	return 1;
}

void
sdc_oneway(const long *v, size_t n, long total, int additive, int k,
    unsigned char *supp, int *total_supp)
{
	long *vv;
	unsigned char *ss;
	size_t *idx;

	for (size_t i = 0; i < n; i++)
		supp[i] = (unsigned char)sdc_small(v[i], k);
	*total_supp = sdc_small(total, k);
	if (!additive)
		return;
	vv = malloc((n + 1) * sizeof(*vv));
	ss = malloc(n + 1);
	idx = malloc((n + 1) * sizeof(*idx));
	if (vv == NULL || ss == NULL || idx == NULL) {
		/* Cannot reason: hide everything rather than risk a disclosure. */
		for (size_t i = 0; i < n; i++)
			supp[i] = 1;
		*total_supp = 1;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		vv[i] = v[i], ss[i] = supp[i], idx[i] = i;
	vv[n] = total, ss[n] = (unsigned char)*total_supp, idx[n] = n;
	while (protect_line(vv, ss, idx, n + 1))
		;
	for (size_t i = 0; i < n; i++)
		supp[i] = ss[i];
	*total_supp = ss[n];
out:
	free(vv);
	free(ss);
	free(idx);
}

/* Fills idx with line `line` of the grid: rows 0..r, then columns 0..c. */
static size_t
grid_line(size_t r, size_t c, size_t line, size_t *idx)
{
	size_t m = 0;

	if (line <= r) {
		for (size_t j = 0; j <= c; j++)
			idx[m++] = line * (c + 1) + j;
	} else {
		size_t col = line - r - 1;
		for (size_t i = 0; i <= r; i++)
			idx[m++] = i * (c + 1) + col;
	}
	return m;
}

void
sdc_twoway(const long *grid, size_t r, size_t c, int k, unsigned char *supp)
{
	size_t cells = (r + 1) * (c + 1), *idx = malloc(((r > c ? r : c) + 1) * sizeof(*idx));
	int changed = 1;

	for (size_t i = 0; i < cells; i++)
		supp[i] = (unsigned char)(idx == NULL || sdc_small(grid[i], k));
	while (idx != NULL && changed) {
		changed = 0;
		for (size_t line = 0; line < r + 1 + c + 1; line++) {
			size_t m = grid_line(r, c, line, idx);
			changed |= protect_line(grid, supp, idx, m);
		}
	}
	free(idx);
}

int
sdc_recoverable(size_t r, size_t c, const unsigned char *supp)
{
	size_t cells = (r + 1) * (c + 1), *idx = malloc(((r > c ? r : c) + 1) * sizeof(*idx));
	unsigned char *known = malloc(cells);
	int progress = 1, found = 0;

	if (idx == NULL || known == NULL) {
		free(idx);
		free(known);
		return 1;
	}
	for (size_t i = 0; i < cells; i++)
		known[i] = !supp[i];
	while (progress && !found) {
		progress = 0;
		for (size_t line = 0; line < r + 1 + c + 1; line++) {
			size_t m = grid_line(r, c, line, idx), unknown = 0, at = 0;
			for (size_t i = 0; i < m; i++)
				if (!known[idx[i]])
					unknown++, at = idx[i];
			if (unknown == 1) {
				known[at] = 1;
				progress = found = 1;
			}
		}
	}
	free(idx);
	free(known);
	return found;
}
