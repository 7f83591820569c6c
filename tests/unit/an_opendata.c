/* What the open-data tests share (an_opendata.h): reading the file the
 * export writes, the checks on it, and hand-made and random tables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an_opendata.h"

/* Reads one RFC 4180 cell at *p (quoted, quotes doubled); sets *end to the
 * character after it (',' '\r' or '\0'). */
static char *
read_cell(const char **p)
{
	const char *s = *p;
	char *out = malloc(strlen(s) + 1), *w = out;

	OD_CHECK(out != NULL);
	OD_CHECK(*s == '"');
	for (s++; *s != '\0' && (*s != '"' || s[1] == '"'); s++)
		*w++ = *s == '"' ? *s++ : *s;
	OD_CHECK(*s == '"');
	*w = '\0';
	*p = s + 1;
	return out;
}

void
parse_csv(const char *text, struct csv *c)
{
	const char *p = text;

	memset(c, 0, sizeof(*c));
	while (*p != '\0') {
		size_t n = 0;
		OD_CHECK(c->nrows < MAXR);
		for (;;) {
			OD_CHECK(n < MAXC);
			c->cell[c->nrows][n++] = read_cell(&p);
			if (*p == ',') {
				p++;
				continue;
			}
			OD_CHECK(p[0] == '\r' && p[1] == '\n');
			p += 2;
			break;
		}
		if (c->nrows == 0)
			c->ncols = n;
		OD_CHECK(n == c->ncols);
		c->nrows++;
	}
}

void
free_csv(struct csv *c)
{
	for (size_t r = 0; r < c->nrows; r++)
		for (size_t i = 0; i < c->ncols; i++)
			free(c->cell[r][i]);
}

long
col(const struct csv *c, const char *name)
{
	for (size_t i = 0; i < c->ncols; i++)
		if (strcmp(c->cell[0][i], name) == 0)
			return (long)i;
	return -1;
}

/* The columns of the file named in list (comma-separated, or NULL for
 * none) into cols; how many. */
static size_t
named_cols(const struct csv *c, const char *list, long *cols)
{
	char copy[512], *save = NULL;
	size_t n = 0;

	snprintf(copy, sizeof(copy), "%s", list != NULL ? list : "");
	for (char *t = strtok_r(copy, ",", &save); t != NULL; t = strtok_r(NULL, ",", &save)) {
		ck_assert_uint_lt(n, MAXC);
		ck_assert_msg((cols[n++] = col(c, t)) >= 0, "no column %s", t);
	}
	return n;
}

static int
withheld(const struct csv *c, size_t r, long j)
{
	return strcmp(c->cell[r][j], OPENDATA_WITHHELD) == 0;
}

/* Every combination of the columns in qi (comma-separated) occurs >= k times. */
void
assert_k_anonymous(const struct csv *c, const char *qi, size_t k)
{
	long cols[MAXC];
	size_t nq = named_cols(c, qi, cols);

	for (size_t r = 1; r < c->nrows; r++) {
		size_t same = 0;
		for (size_t o = 1; o < c->nrows; o++) {
			size_t j = 0;
			while (j < nq && strcmp(c->cell[r][cols[j]], c->cell[o][cols[j]]) == 0)
				j++;
			same += j == nq;
		}
		if (same < k)
			ck_abort_msg("row %zu: its combination occurs %zu times", r, same);
	}
}

/* How many cells of the columns in qi (comma-separated) say withheld. */
long
count_withheld(const struct csv *c, const char *qi)
{
	long cols[MAXC], n = 0;
	size_t nq = named_cols(c, qi, cols);

	for (size_t j = 0; j < nq; j++)
		for (size_t r = 1; r < c->nrows; r++)
			n += withheld(c, r, cols[j]);
	return n;
}

/* No row of the file shows a column of keep withheld while another column
 * of qi still shows a value: the kept ones go last. */
void
assert_kept_last(const struct csv *c, const char *qi, const char *keep)
{
	long cols[MAXC], kcols[MAXC];
	size_t nq = named_cols(c, qi, cols), nk = named_cols(c, keep, kcols);

	for (size_t r = 1; r < c->nrows; r++) {
		int kept_gone = 0, other_left = 0;
		for (size_t j = 0; j < nq; j++) {
			int kept = 0;
			for (size_t i = 0; i < nk; i++)
				kept |= kcols[i] == cols[j];
			kept_gone |= kept && withheld(c, r, cols[j]);
			other_left |= !kept && !withheld(c, r, cols[j]);
		}
		ck_assert_msg(!kept_gone || !other_left, "row %zu: a kept value withheld first", r);
	}
}

const struct survey *
fixture_survey(struct survey_set **set)
{
	char err[256];

	ck_assert_msg(survey_set_load(AN_FIX "/surveys", set, err, sizeof(err)) == 0, "%s", err);
	return survey_find(*set, "residents-2026");
}

/* One response answering the questions q[0..n) with v[0..n) (NULL: not
 * answered), on the given channel and day. */
void
add_response(struct opendata *d, const char *const *q, const char *const *v, size_t n,
    const char *channel, const char *day)
{
	struct store_answer a[8];
	struct store_response r = { 1, "residents-2026", 1, channel, "en", day, a, 0, 0 };

	ck_assert_uint_le(n, 8);
	for (size_t i = 0; i < n; i++)
		if (v[i] != NULL)
			a[r.nanswers++] = (struct store_answer){ q[i], v[i], strlen(v[i]), 0, 0 };
	ck_assert_int_eq(opendata_add(d, &r), 0);
}

/* Whether rows r and o have the same quasi-identifier cells. */
static int
same_qi(const struct opendata *d, const uint32_t *cells, size_t r, size_t o)
{
	for (size_t j = 0; j < d->nqi; j++)
		if (cells[r * d->ncols + d->qi[j]] != cells[o * d->ncols + d->qi[j]])
			return 0;
	return 1;
}

/* How many rows of the file show cell text t in column j. */
long
rows_with(const struct csv *c, long j, const char *t)
{
	long n = 0;

	for (size_t r = 1; r < c->nrows; r++)
		n += strcmp(c->cell[r][j], t) == 0;
	return n;
}

/* Whether hiding h of the total responses with a value is allowed beside
 * the report's tables: none, at least k, or every one. */
int
hidden_ok(long h, long total, long k)
{
	return h == 0 || h >= k || h == total;
}

/* The rule beside the report's tables, from the rows read (before: their
 * cells) and the file: for every value of every quasi-identifier, the
 * responses read with it less the rows of the file showing it are none, at
 * least k, or all; and so are the rows missing from the file. */
static void
assert_differencing_safe(const struct opendata *d, const uint32_t *before,
    const struct csv *c)
{
	long *total = calloc(d->nstrs, sizeof(*total)), rows = (long)c->nrows - 1;

	ck_assert_ptr_nonnull(total);
	for (size_t j = 0; j < d->nqi; j++) {
		long fc = col(c, d->cols[d->qi[j]].name);
		memset(total, 0, d->nstrs * sizeof(*total));
		for (size_t r = 0; r < d->nrows; r++)
			total[before[r * d->ncols + d->qi[j]]]++;
		for (size_t id = OD_WITHHELD + 1; id < d->nstrs; id++) {
			long h = total[id] - rows_with(c, fc, d->strs[id]);
			if (!hidden_ok(h, total[id], d->k))
				ck_abort_msg("%s=%s: %ld of %ld hidden", d->cols[d->qi[j]].name,
				    d->strs[id], h, total[id]);
		}
	}
	ck_assert_msg(hidden_ok((long)d->nrows - rows, (long)d->nrows, d->k),
	    "%ld of %zu rows dropped", (long)d->nrows - rows, d->nrows);
	free(total);
}

/* Anonymises d and checks what opendata.h promises on the result: every
 * combination of qi in the file occurs at least k times; the file is safe
 * beside the report's tables (assert_differencing_safe); no more rows are
 * dropped than max_drop allows, unless there are fewer than k and all are;
 * stats match the file.  A row whose combination occurred k times already
 * is written unchanged when the file needed no repair beside the tables:
 * the rounds never touch such a row, but a repair may withhold its values.
 * Returns how many rows were checked unchanged that way. */
size_t
anonymise_and_check(struct opendata *d, const char *qi, struct opendata_stats *st,
    struct csv *c)
{
	size_t n = d->nrows, k = (size_t)d->k, len = 0, safe = 0;
	size_t budget = (size_t)((double)n * d->max_drop / 100.0);
	uint32_t *before = malloc(n * d->ncols * sizeof(*before));
	size_t *same = calloc(n, sizeof(*same));
	char *text = NULL;
	FILE *fp;

	ck_assert(before != NULL && same != NULL);
	memcpy(before, d->cells, n * d->ncols * sizeof(*before));
	for (size_t r = 0; r < n; r++)
		for (size_t o = 0; o < n; o++)
			same[r] += same_qi(d, before, r, o);
	ck_assert_int_eq(opendata_anonymise(d, st), 0);
	for (size_t r = 0; r < n && st->values_fixed == 0; r++) {
		if (same[r] >= k && (d->dropped[r] || memcmp(&before[r * d->ncols],
		    &d->cells[r * d->ncols], d->ncols * sizeof(*before)) != 0))
			ck_abort_msg("row %zu was in a group of %zu and changed", r, same[r]);
		safe += same[r] >= k;
	}
	ck_assert((size_t)st->dropped <= budget || ((size_t)st->dropped == n && n < k));
	ck_assert_ptr_nonnull(fp = open_memstream(&text, &len));
	ck_assert_int_eq(opendata_write(d, fp), 0);
	ck_assert_int_eq(fclose(fp), 0);
	parse_csv(text, c);
	ck_assert_int_eq((long)c->nrows - 1, st->rows);
	assert_k_anonymous(c, qi, k);
	assert_differencing_safe(d, before, c);
	ck_assert_int_eq(st->exposed, 0);
	ck_assert_int_eq(count_withheld(c, qi), st->withheld_cells);
	free(text);
	free(same);
	free(before);
	return safe;
}

/* A table of the rows set[0..n), with k 10 and max_drop percent of the
 * rows allowed to drop. */
struct opendata *
ward_sex_table(const struct survey *s, const struct ward_sex *set, size_t n,
    const char *keep, double max_drop)
{
	static const char *const q[] = { "ward", "sex" };
	struct opendata_opts o = { 10, max_drop, 0, "ward,sex", keep };
	struct opendata *d;
	char err[256];

	ck_assert_ptr_nonnull(d = opendata_new(s, &o, err, sizeof(err)));
	for (size_t i = 0; i < n; i++)
		for (int j = 0; j < set[i].n; j++) {
			const char *v[] = { set[i].ward, set[i].sex };
			add_response(d, q, v, 2, "online", "2026-03-14");
		}
	return d;
}
