/* opendata: collecting responses into rows and writing the file (see
 * opendata.h); the anonymisation itself is in opendata_kanon.c.  Rows are
 * held in memory, four bytes a cell, since every row must be seen before
 * any can be written. */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "esc.h"
#include "opendata_int.h"
#include "sdc.h"
#include "util.h"

enum { COL_VERSION, COL_MONTH, COL_CHANNEL, COL_LANGUAGE, COL__FIXED };
static const char *const fixed_names[COL__FIXED] = {
	/* COL_VERSION */	"version",
	/* COL_MONTH */		"month",
	/* COL_CHANNEL */	"channel",
	/* COL_LANGUAGE */	"language",
};

static int
closed(enum qtype t)
{
	return t == Q_SINGLE || t == Q_MULTI || t == Q_SCALE || t == Q_RANKING ||
	    t == Q_LIST || t == Q_NUMBER;
}

static int
free_text(enum qtype t)
{
	return t == Q_TEXT || t == Q_LONGTEXT || t == Q_WORDCLOUD;
}

/* The id of s[0..n), added to the table when new; -1 on OOM. */
static long
intern(struct opendata *d, const char *s, size_t n)
{
	int id;
	char *copy;

	if (strtab_get(d->ids, s, n, &id))
		return id;
	if (grow(&d->strs, &d->capstrs, d->nstrs, sizeof(*d->strs), 256) != 0)
		return -1;
	if (d->nstrs > INT32_MAX || (copy = arena_strndup(d->a, s, n)) == NULL ||
	    strtab_put(d->ids, s, n, (int)d->nstrs) != 0)
		return -1;
	d->strs[d->nstrs] = copy;
	return (long)d->nstrs++;
}

static int
add_col(struct opendata *d, const char *name, long q, int text)
{
	struct od_col *c = &d->cols[d->ncols];

	c->name = name;
	c->q = q;
	c->text = text;
	if (q >= 0 && strtab_put(d->qcol, name, strlen(name), (int)d->ncols) != 0)
		return -1;
	d->ncols++;
	return 0;
}

static int
make_cols(struct opendata *d, int with_text)
{
	if ((d->cols = calloc(COL__FIXED + d->s->nqs, sizeof(*d->cols))) == NULL)
		return -1;
	for (size_t i = 0; i < COL__FIXED; i++)
		if (add_col(d, fixed_names[i], -1, 0) != 0)
			return -1;
	for (size_t i = 0; i < d->s->nqs; i++) {
		const struct question *q = &d->s->qs[i];
		int text = free_text(q->type);
		if ((closed(q->type) || (text && with_text)) &&
		    add_col(d, q->id, (long)i, text) != 0)
			return -1;
	}
	return 0;
}

static long
col_named(const struct opendata *d, const char *name, size_t n)
{
	for (size_t i = 0; i < d->ncols; i++)
		if (strlen(d->cols[i].name) == n && memcmp(d->cols[i].name, name, n) == 0)
			return (long)i;
	return -1;
}

/* Which quasi-identifier column c is, or -1 (also for c < 0). */
static long
qi_index(const struct opendata *d, long c)
{
	for (size_t j = 0; c >= 0 && j < d->nqi; j++)
		if (d->qi[j] == (size_t)c)
			return (long)j;
	return -1;
}

/* Parses the quasi-identifier list.  Unknown names are an error when the
 * list was given, and left out of the default one. */
static int
make_qi(struct opendata *d, const char *list, char *err, size_t errlen)
{
	const char *p = list != NULL ? list : OPENDATA_DEFAULT_QI;
	struct buf names = BUF_INIT;

	if ((d->qi = calloc(d->ncols, sizeof(*d->qi))) == NULL ||
	    (d->qi_withheld = calloc(d->ncols, sizeof(*d->qi_withheld))) == NULL)
		return -1;
	while (*p != '\0') {
		size_t n = strcspn(p, ",");
		long c = col_named(d, p, n);
		if (c < 0 && list != NULL) {
			snprintf(err, errlen, "--qi: no closed question or column '%.*s' in %s",
			    (int)n, p, d->s->id);
			buf_free(&names);
			return -1;
		}
		if (c >= 0 && qi_index(d, c) < 0 && !d->cols[c].text) {	/* not named twice */
			d->qi[d->nqi++] = (size_t)c;
			buf_printf(&names, "%s%.*s", names.len ? "," : "", (int)n, p);
		}
		p += n + (p[n] == ',');
	}
	d->qi_names = arena_strdup(d->a, names.p ? names.p : "");
	buf_free(&names);
	return d->qi_names == NULL ? -1 : 0;
}

/* Marks the quasi-identifiers to keep.  A name that is none of them is an
 * error, not skipped: keeping it would silently protect nothing. */
static int
make_keep(struct opendata *d, const char *list, char *err, size_t errlen)
{
	const char *p = list != NULL ? list : "";

	if ((d->qi_keep = calloc(d->ncols, sizeof(*d->qi_keep))) == NULL)
		return -1;
	while (*p != '\0') {
		size_t n = strcspn(p, ",");
		long c = col_named(d, p, n), j = qi_index(d, c);
		if (c < 0) {
			snprintf(err, errlen, "--keep: no closed question or column '%.*s' in %s",
			    (int)n, p, d->s->id);
			return -1;
		}
		if (j < 0) {
			snprintf(err, errlen, "--keep: '%.*s' is not one of the quasi-identifiers "
			    "(%s)", (int)n, p, d->qi_names);
			return -1;
		}
		d->qi_keep[j] = 1;
		p += n + (p[n] == ',');
	}
	return 0;
}

struct opendata *
opendata_new(const struct survey *s, const struct opendata_opts *o, char *err, size_t errlen)
{
	struct opendata *d = calloc(1, sizeof(*d));
	int kmin = sdc_threshold(OPENDATA_K_MIN, s->suppress_below);

	snprintf(err, errlen, "out of memory");
	if (d == NULL)
		return NULL;
	d->s = s;
	d->k = o->k;
	d->max_drop = o->max_drop;
	if ((d->a = arena_new(1 << 16)) == NULL || (d->ids = strtab_new()) == NULL ||
	    (d->qcol = strtab_new()) == NULL || intern(d, "", 0) != OD_EMPTY ||
	    intern(d, OPENDATA_WITHHELD, strlen(OPENDATA_WITHHELD)) != OD_WITHHELD ||
	    make_cols(d, o->with_text) != 0 || make_qi(d, o->qi, err, errlen) != 0 ||
	    make_keep(d, o->keep, err, errlen) != 0)
		goto fail;
	if (o->k < kmin || o->max_drop < 0.0 || o->max_drop > 100.0) {
		snprintf(err, errlen, "k must be at least %d and the share dropped from 0 to 100",
		    kmin);
		goto fail;
	}
	return d;
fail:
	opendata_free(d);
	return NULL;
}

void
opendata_free(struct opendata *d)
{
	if (d == NULL)
		return;
	buf_free(&d->val);
	strtab_free(d->ids);
	strtab_free(d->qcol);
	arena_free(d->a);
	free(d->strs);
	free(d->cols);
	free(d->cells);
	free(d->dropped);
	free(d->qi);
	free(d->qi_withheld);
	free(d->qi_keep);
	free(d);
}

/* The cell of question q from its answers a[0..n) (pos ascending), into
 * d->val: one code; a multi's codes in option order; a ranking's in rank
 * order; a text as stored; a number without the spaces round it (" 4 " was
 * stored so before the app trimmed it). */
static void
build_value(struct opendata *d, const struct question *q, const struct store_answer *a, size_t n)
{
	buf_reset(&d->val);
	if (q->type != Q_MULTI) {
		for (size_t i = 0; i < n; i++) {
			const char *v = a[i].value;
			size_t len = a[i].len;
			if (q->type == Q_NUMBER)
				trim_blank(&v, &len);
			buf_adds(&d->val, i ? ";" : "");
			buf_add(&d->val, v, len);
		}
		return;
	}
	for (size_t o = 0; o < q->nopts; o++)
		for (size_t i = 0; i < n; i++)
			if (strcmp(a[i].value, q->opts[o].code) == 0) {
				buf_adds(&d->val, d->val.len ? ";" : "");
				buf_adds(&d->val, q->opts[o].code);
				break;
			}
}

/* Sets the cells of one question's answers a[0..n).  Free text never fills
 * a closed column, nor a closed answer a text column.  0 or -1 on OOM. */
static int
put_answers(struct opendata *d, uint32_t *row, const struct store_answer *a, size_t n)
{
	int c;
	long id;
	const struct od_col *col;

	if (!strtab_get(d->qcol, a->question, strlen(a->question), &c))
		return 0;
	col = &d->cols[c];
	if (col->text != (a->text != 0))
		return 0;
	build_value(d, &d->s->qs[col->q], a, col->text ? 1 : n);
	if (buf_failed(&d->val) || (id = intern(d, d->val.p ? d->val.p : "", d->val.len)) < 0)
		return -1;
	row[c] = (uint32_t)id;
	return 0;
}

static int
put_fixed(struct opendata *d, uint32_t *row, const struct store_response *r)
{
	char ver[16];
	const char *v[COL__FIXED] = { ver, r->day, r->channel, r->lang };
	size_t len[COL__FIXED];
	long id;

	snprintf(ver, sizeof(ver), "%d", r->version);
	for (size_t i = 0; i < COL__FIXED; i++)
		len[i] = v[i] != NULL ? strlen(v[i]) : 0;
	len[COL_MONTH] = len[COL_MONTH] >= 7 ? 7 : 0;	/* "YYYY-MM": the day is dropped */
	for (size_t i = 0; i < COL__FIXED; i++) {
		if ((id = intern(d, v[i] ? v[i] : "", len[i])) < 0)
			return -1;
		row[i] = (uint32_t)id;
	}
	return 0;
}

int
opendata_add(struct opendata *d, const struct store_response *r)
{
	uint32_t *row;

	if (strcmp(r->survey, d->s->id) != 0)
		return 0;
	if (d->nrows == d->caprows) {
		size_t nc = d->caprows ? d->caprows * 2 : 1024;
		uint32_t *nr = realloc(d->cells, nc * d->ncols * sizeof(*nr));
		if (nr == NULL)
			return -1;
		d->cells = nr;
		d->caprows = nc;
	}
	row = &d->cells[d->nrows * d->ncols];
	memset(row, 0, d->ncols * sizeof(*row));
	if (put_fixed(d, row, r) != 0)
		return -1;
	for (size_t i = 0, j; i < r->nanswers; i = j) {
		for (j = i + 1; j < r->nanswers &&
		    strcmp(r->answers[j].question, r->answers[i].question) == 0; j++)
			;
		if (put_answers(d, row, &r->answers[i], j - i) != 0)
			return -1;
	}
	d->nrows++;
	return 0;
}

static void
cell(struct buf *b, const char *s, int last)
{
	esc_csv(b, s, strlen(s));
	buf_adds(b, last ? "\r\n" : ",");
}

static int
write_row(struct opendata *d, FILE *fp, struct buf *b, size_t seq, size_t row)
{
	char n[32];

	buf_reset(b);
	snprintf(n, sizeof(n), "%zu", seq);
	cell(b, n, d->ncols == 0);
	for (size_t c = 0; c < d->ncols; c++)
		cell(b, d->strs[d->cells[row * d->ncols + c]], c + 1 == d->ncols);
	return buf_failed(b) || fwrite(b->p, 1, b->len, fp) != b->len ? -1 : 0;
}

int
opendata_write(struct opendata *d, FILE *fp)
{
	struct buf b = BUF_INIT;
	size_t *order = malloc((d->nrows ? d->nrows : 1) * sizeof(*order)), n = 0;
	int rc = -1;

	if (order == NULL)
		return -1;
	for (size_t i = 0; i < d->nrows; i++)
		if (d->dropped == NULL || !d->dropped[i])
			order[n++] = i;
	for (size_t i = n; i > 1; i--) {	/* Fisher-Yates, from the system's CSPRNG */
		size_t j = randombytes_uniform((uint32_t)i), t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	cell(&b, "row", d->ncols == 0);
	for (size_t c = 0; c < d->ncols; c++)
		cell(&b, d->cols[c].name, c + 1 == d->ncols);
	if (buf_failed(&b) || fwrite(b.p, 1, b.len, fp) != b.len)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (write_row(d, fp, &b, i + 1, order[i]) != 0)
			goto out;
	rc = 0;
out:
	buf_free(&b);
	free(order);
	return rc;
}

const char *
opendata_qi_names(const struct opendata *d)
{
	return d->qi_names;
}

size_t
opendata_nqi(const struct opendata *d)
{
	return d->nqi;
}

const char *
opendata_qi(const struct opendata *d, size_t i, long *withheld_cells)
{
	*withheld_cells = d->qi_withheld[i];
	return d->cols[d->qi[i]].name;
}

int
opendata_qi_kept(const struct opendata *d, size_t i)
{
	return d->qi_keep[i];
}
