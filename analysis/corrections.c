/* corrections: the set, its lookups and its file.  The set is a sorted
 * array: a report looks an answer up once per free-text answer, and the
 * analysts correct hundreds or thousands of answers, not millions. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>
#include "buf.h"
#include "corrections.h"
#include "csvr.h"
#include "esc.h"
#include "util.h"


static const char *const cols[] = { "response", "question", "text_hash", "codebook", "areas",
	"themes", "note" };
#define NCOLS	(sizeof(cols) / sizeof(cols[0]))

struct corrections *
corrections_new(void)
{
	return calloc(1, sizeof(struct corrections));
}

static void
corr_clear(struct corr *e)
{
	free(e->question);
	free(e->themes);
	free(e->note);
}

void
corrections_free(struct corrections *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++)
		corr_clear(&c->v[i]);
	free(c->v);
	free(c);
}

static int
key_cmp(int64_t resp, const char *q, const char *hash, const struct corr *e)
{
	int k;

	if (resp != e->response)
		return resp < e->response ? -1 : 1;
	if ((k = strcmp(q, e->question)) != 0 || hash == NULL)
		return k;
	return strcmp(hash, e->hash);
}

/* The first entry not below the key (hash NULL: the first of the answer). */
static size_t
lower_bound(const struct corrections *c, int64_t resp, const char *q, const char *hash)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (key_cmp(resp, q, hash, &c->v[mid]) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
corr_copy(struct corr *d, const struct corr *s)
{
	*d = *s;
	d->question = strdup(s->question);
	d->note = strdup(s->note ? s->note : "");
	d->themes = malloc((s->nthemes ? s->nthemes : 1) * sizeof(*d->themes));
	if (d->question == NULL || d->note == NULL || d->themes == NULL) {
		corr_clear(d);
		return -1;
	}
	memcpy(d->themes, s->themes, s->nthemes * sizeof(*d->themes));
	return 0;
}

int
corrections_put(struct corrections *c, const struct corr *e)
{
	size_t at = lower_bound(c, e->response, e->question, e->hash);
	struct corr copy;

	if (corr_copy(&copy, e) != 0)
		return -1;
	if (at < c->n && key_cmp(e->response, e->question, e->hash, &c->v[at]) == 0) {
		corr_clear(&c->v[at]);
		c->v[at] = copy;
		return 0;
	}
	if (grow(&c->v, &c->cap, c->n, sizeof(*c->v), 64) != 0) {
		corr_clear(&copy);
		return -1;
	}
	memmove(&c->v[at + 1], &c->v[at], (c->n - at) * sizeof(*c->v));
	c->v[at] = copy;
	c->n++;
	return 0;
}

void
corrections_hash(const char *text, size_t n, char out[CORR_HASH_HEX])
{
	unsigned char h[CORR_HASH_BYTES];

	crypto_generichash(h, sizeof(h), (const unsigned char *)text, n, NULL, 0);
	sodium_bin2hex(out, CORR_HASH_HEX, h, sizeof(h));
}

enum corr_match
corrections_find(const struct corrections *c, int64_t response, const char *question,
    const char *text, size_t n, const struct corr **out)
{
	size_t at;
	char hash[CORR_HASH_HEX];
	enum corr_match m = CORR_NONE;

	if (c == NULL || c->n == 0)
		return CORR_NONE;
	at = lower_bound(c, response, question, NULL);
	if (at == c->n || key_cmp(response, question, NULL, &c->v[at]) != 0)
		return CORR_NONE;
	corrections_hash(text, n, hash);
	for (; at < c->n && key_cmp(response, question, NULL, &c->v[at]) == 0; at++) {
		if (strcmp(hash, c->v[at].hash) == 0) {
			*out = &c->v[at];
			return CORR_APPLIES;
		}
		m = CORR_STALE;
	}
	return m;
}

/* Splits s at commas, semicolons and white space, calling fn on each id
 * (copied, at most 63 bytes).  Stops at the first nonzero return. */
static int
each_id(const char *s, int (*fn)(void *, const char *), void *ctx)
{
	while (*s) {
		size_t n = strcspn(s, ",; \t\r\n");
		char id[64];
		int k;
		if (n > 0) {
			snprintf(id, sizeof(id), "%.*s", (int)(n < 63 ? n : 63), s);
			if ((k = fn(ctx, id)) != 0)
				return k;
		}
		s += n;
		if (*s)
			s++;
	}
	return 0;
}

int
corrections_parse_areas(const struct codebook *cb, const char *s, uint32_t *areas,
    char *bad, size_t badlen)
{
	char id[64];

	if (codebook_areas_parse(cb, s, areas, id, sizeof(id)) != 0) {
		snprintf(bad, badlen, "unknown outcome area '%s'", id);
		return -1;
	}
	return 0;
}

struct theme_list {
	const struct codebook *cb;
	size_t		*v, cap, n;
	char		*bad;
	size_t		 badlen;
};

static int
add_theme(void *ctx, const char *id)
{
	struct theme_list *l = ctx;
	long k;
	size_t at;

	if (strcmp(id, "none") == 0)
		return 0;
	if ((k = codebook_theme_index(l->cb, id)) < 0) {
		snprintf(l->bad, l->badlen, "unknown theme '%s'", id);
		return -1;
	}
	for (at = 0; at < l->n && l->v[at] < (size_t)k; at++)
		;
	if (at < l->n && l->v[at] == (size_t)k)
		return 0;
	if (l->n == l->cap) {
		snprintf(l->bad, l->badlen, "more than %zu themes", l->cap);
		return -1;
	}
	memmove(&l->v[at + 1], &l->v[at], (l->n - at) * sizeof(*l->v));
	l->v[at] = (size_t)k;
	l->n++;
	return 0;
}

int
corrections_parse_themes(const struct codebook *cb, const char *s, size_t *themes,
    size_t cap, size_t *n, char *bad, size_t badlen)
{
	struct theme_list l = { cb, themes, cap, 0, bad, badlen };
	int rc = each_id(s, add_theme, &l);

	*n = l.n;
	return rc;
}

/* A response id as the sheet prints it: 1 to 19 digits, maybe behind the
 * quote a spreadsheet-safe cell starts with. */
static int
parse_response(const char *s, int64_t *out)
{
	char *end;
	long long v;

	s += *s == '\'';
	if (*s < '0' || *s > '9' || strlen(s) > 19)
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0)
		return -1;
	*out = (int64_t)v;
	return 0;
}

static int
parse_hash(const char *s, char out[CORR_HASH_HEX])
{
	if (!hex_token_ok(s, CORR_HASH_HEX - 1))
		return -1;
	memcpy(out, s, CORR_HASH_HEX);
	return 0;
}

static int
parse_version(const char *s, int *out)
{
	char *end;
	long v;

	s += *s == '\'';
	errno = 0;
	v = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || errno != 0 || *end != '\0' || v < 1 || v > 1000000)
		return -1;
	*out = (int)v;
	return 0;
}

int
corrections_parse_key(const char *response, const char *hash, const char *version,
    struct corr *e, char *why, size_t whylen)
{
	if (parse_response(response, &e->response) != 0)
		return snprintf(why, whylen, "bad response id '%s'", response), -1;
	if (parse_hash(hash, e->hash) != 0)
		return snprintf(why, whylen, "bad text hash '%s'", hash), -1;
	if (parse_version(version, &e->codebook) != 0)
		return snprintf(why, whylen, "bad codebook version '%s'", version), -1;
	return 0;
}

/* One row of a corrections file into e (themes into the caller's array).
 * -1 with the problem in why. */
static int
parse_row(const struct codebook *cb, const struct csvr_rec *r, struct corr *e, size_t *themes,
    char *why, size_t whylen)
{
	if (r->n != NCOLS)
		return snprintf(why, whylen, "%zu fields, want %zu", r->n, NCOLS), -1;
	memset(e, 0, sizeof(*e));
	e->question = r->f[1];
	e->note = r->f[6];
	e->themes = themes;
	if (*e->question == '\0')
		return snprintf(why, whylen, "no question id"), -1;
	if (corrections_parse_key(r->f[0], r->f[2], r->f[3], e, why, whylen) != 0)
		return -1;
	if (corrections_parse_areas(cb, r->f[4], &e->areas, why, whylen) != 0)
		return -1;
	return corrections_parse_themes(cb, r->f[5], themes, CORR_MAX_THEMES, &e->nthemes, why,
	    whylen);
}

static int
check_header(const struct csvr_rec *r)
{
	if (r->n != NCOLS)
		return -1;
	for (size_t i = 0; i < NCOLS; i++)
		if (strcmp(r->f[i], cols[i]) != 0)
			return -1;
	return 0;
}

static int
load_rows(struct csvr *in, const char *path, const struct codebook *cb, struct corrections *c,
    char *err, size_t errlen)
{
	struct csvr_rec r;
	struct corr e;
	size_t themes[CORR_MAX_THEMES];
	char why[256];
	int k;

	if ((k = csvr_next(in, &r)) <= 0 || check_header(&r) != 0)
		return snprintf(err, errlen, "%s:1: want the header %s,%s,%s,%s,%s,%s,%s", path,
		    cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6]), -1;
	while ((k = csvr_next(in, &r)) > 0) {
		size_t before = c->n;
		if (parse_row(cb, &r, &e, themes, why, sizeof(why)) != 0)
			return snprintf(err, errlen, "%s:%ld: %s", path, r.line, why), -1;
		if (corrections_put(c, &e) != 0)
			return snprintf(err, errlen, "%s: out of memory", path), -1;
		if (c->n == before)
			return snprintf(err, errlen, "%s:%ld: a second correction of response %"
			    PRId64 " question %s with the same text", path, r.line, e.response,
			    e.question), -1;
	}
	if (k < 0)
		return snprintf(err, errlen, "%s:%ld: a quote is not closed or a row has too many "
		    "fields", path, r.line), -1;
	return 0;
}

int
corrections_load(const char *path, const struct codebook *cb, struct corrections **out,
    char *err, size_t errlen)
{
	struct corrections *c = NULL;
	struct csvr in;
	int rc = -1;

	if (csvr_open(&in, path, err, errlen) != 0)
		return -1;
	if ((c = corrections_new()) == NULL)
		snprintf(err, errlen, "%s: out of memory", path);
	else if (load_rows(&in, path, cb, c, err, errlen) == 0)
		rc = 0;
	csvr_close(&in);
	if (rc == 0)
		*out = c;
	else
		corrections_free(c);
	return rc;
}

static void
cell(struct buf *b, const char *s, int last)
{
	esc_csv(b, s, strlen(s));
	buf_adds(b, last ? "\r\n" : ",");
}

/* "a,b" or "none" for a correction's themes. */
static void
themes_str(const struct codebook *cb, const struct corr *e, struct buf *b)
{
	for (size_t i = 0; i < e->nthemes; i++)
		buf_printf(b, "%s%s", i ? "," : "", codebook_theme(cb, e->themes[i])->id);
	if (e->nthemes == 0)
		buf_adds(b, "none");
}

static void
format_all(const struct corrections *c, const struct codebook *cb, struct buf *b)
{
	struct buf t = BUF_INIT;
	char n[32], v[16], areas[512];

	for (size_t i = 0; i < NCOLS; i++)
		cell(b, cols[i], i + 1 == NCOLS);
	for (size_t i = 0; i < c->n; i++) {
		const struct corr *e = &c->v[i];
		snprintf(n, sizeof(n), "%" PRId64, e->response);
		snprintf(v, sizeof(v), "%d", e->codebook);
		buf_reset(&t);
		themes_str(cb, e, &t);
		cell(b, n, 0);
		cell(b, e->question, 0);
		cell(b, e->hash, 0);
		cell(b, v, 0);
		cell(b, codebook_areas_str(cb, e->areas, areas, sizeof(areas)), 0);
		cell(b, t.p ? t.p : "", 0);
		cell(b, e->note ? e->note : "", 1);
		b->failed |= t.failed;
	}
	buf_free(&t);
}

int
corrections_save(const struct corrections *c, const struct codebook *cb, const char *path,
    char *err, size_t errlen)
{
	struct buf b = BUF_INIT, tmp = BUF_INIT;
	FILE *fp = NULL;
	int ok = 0;

	format_all(c, cb, &b);
	buf_printf(&tmp, "%s.tmp", path);
	if (b.failed || tmp.failed) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	if ((fp = fopen(tmp.p, "wb")) == NULL) {
		snprintf(err, errlen, "%s: %s", tmp.p, strerror(errno));
		goto out;
	}
	ok = fwrite(b.p, 1, b.len, fp) == b.len;
	ok = fflush(fp) == 0 && ok && fsync(fileno(fp)) == 0;
	ok = fclose(fp) == 0 && ok && rename(tmp.p, path) == 0;
	if (!ok) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp.p);
	}
out:
	buf_free(&b);
	buf_free(&tmp);
	return ok ? 0 : -1;
}
