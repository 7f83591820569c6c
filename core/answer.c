/* answer: answer sets, visibility under conditions, and checking answers
 * against a question's type and limits.  Visibility is settled in page order:
 * a condition always names a question on an earlier page, so one pass decides
 * every page and question, and a question that is not shown counts as
 * unanswered for the conditions after it. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "survey.h"
#include "util.h"

const char *const answer_err_keys[AE__MAX] = {
	"",			/* AE_OK */
	"error_required",	/* AE_REQUIRED */
	"error_unknown_option",	/* AE_UNKNOWN_OPTION */
	"error_too_many",	/* AE_TOO_MANY */
	"error_exclusive",	/* AE_EXCLUSIVE */
	"error_rank_duplicate",	/* AE_RANK_DUPLICATE */
	"error_rank_incomplete",/* AE_RANK_INCOMPLETE */
	"error_not_number",	/* AE_NOT_NUMBER */
	"error_out_of_range",	/* AE_OUT_OF_RANGE */
	"error_too_long",	/* AE_TOO_LONG */
	"error_bad_text",	/* AE_BAD_TEXT */
	"error_grid_min_rows",	/* AE_GRID_MIN_ROWS */
};

int
answer_set_add(struct answer_set *as, size_t q, const char *value, int pos)
{
	if (grow(&as->v, &as->cap, as->n, sizeof(*as->v), 16) != 0)
		return -1;
	as->v[as->n].q = q;
	as->v[as->n].value = value;
	as->v[as->n].pos = pos;
	as->n++;
	return 0;
}

void
answer_set_free(struct answer_set *as)
{
	if (as == NULL)
		return;
	free(as->v);
	as->v = NULL;
	as->n = as->cap = 0;
}

void
answer_set_clear(struct answer_set *as, size_t q)
{
	size_t	 i, j;

	for (i = j = 0; i < as->n; i++)
		if (as->v[i].q != q)
			as->v[j++] = as->v[i];
	as->n = j;
}

int
answer_set_has(const struct answer_set *as, size_t q, const char *value)
{
	size_t	 i;

	for (i = 0; i < as->n; i++)
		if (as->v[i].q == q && as->v[i].value != NULL && strcmp(as->v[i].value, value) == 0)
			return 1;
	return 0;
}

size_t
answer_set_count(const struct answer_set *as, size_t q)
{
	size_t	 i, n = 0;

	for (i = 0; i < as->n; i++)
		n += as->v[i].q == q;
	return n;
}

/* ---- Visibility ---- */

/* Whether c holds for something on page `page`; the question it names, on an
 * earlier page, is already settled (a malformed one counts as unanswered). */
static int
cond_holds(const struct survey *s, size_t page, const struct cond *c,
    const struct answer_set *as, const struct survey_vis *v)
{
	size_t	 i, j;
	int	 any = 0, shown;

	if (c == NULL)
		return 1;
	shown = c->q < s->nqs && s->qs[c->q].page < page && v->q[c->q];
	for (i = 0; shown && i < as->n && !any; i++) {
		if (as->v[i].q != c->q || as->v[i].value == NULL)
			continue;
		for (j = 0; j < c->ncodes && !any; j++)
			any = strcmp(as->v[i].value, c->codes[j]) == 0;
	}
	return c->negate ? !any : any;
}

/* Surveys from the loader fit the fixed arrays; a hand-built bigger one gets
 * heap arrays.  On failure nothing is left to free or read. */
int
survey_vis_settle(struct survey_vis *v, const struct survey *s, const struct answer_set *as)
{
	const struct page	*pg;
	size_t			 p, i;

	v->heap = s->npages > SURVEY_MAX_PAGES || s->nqs > SURVEY_MAX_QUESTIONS;
	v->page = v->heap ? calloc(s->npages, 1) : v->pbuf;
	v->q = v->heap ? calloc(s->nqs, 1) : v->qbuf;
	if (v->page == NULL || v->q == NULL) {
		survey_vis_free(v);
		return -1;
	}
	for (p = 0; p < s->npages; p++) {
		pg = &s->pages[p];
		v->page[p] = (unsigned char)cond_holds(s, p, pg->show_if, as, v);
		for (i = pg->first; i < pg->first + pg->count && i < s->nqs; i++)
			v->q[i] = v->page[p] && cond_holds(s, p, s->qs[i].show_if, as, v);
	}
	return 0;
}

void
survey_vis_free(struct survey_vis *v)
{
	if (v->heap) {
		free(v->page);
		free(v->q);
	}
	v->page = v->q = NULL;
	v->heap = 0;
}

/* The single-question forms below settle the whole survey each time: fine
 * for one question, but a caller going over many should settle once. */
int
survey_page_visible(const struct survey *s, size_t page, const struct answer_set *as)
{
	struct survey_vis	 v;
	int			 r;

	if (page >= s->npages)
		return 0;
	r = survey_vis_settle(&v, s, as) == 0 && v.page[page];
	survey_vis_free(&v);
	return r;
}

int
survey_question_visible(const struct survey *s, size_t q, const struct answer_set *as)
{
	struct survey_vis	 v;
	int			 r;

	if (q >= s->nqs)
		return 0;
	r = survey_vis_settle(&v, s, as) == 0 && v.q[q];
	survey_vis_free(&v);
	return r;
}

void
survey_drop_hidden(const struct survey *s, struct answer_set *as)
{
	struct survey_vis	 v;
	size_t			 i, j;
	int			 ok;

	ok = survey_vis_settle(&v, s, as) == 0;
	for (i = j = 0; i < as->n; i++)
		if (ok && as->v[i].q < s->nqs && v.q[as->v[i].q])
			as->v[j++] = as->v[i];
	as->n = j;
	survey_vis_free(&v);
}

/* ---- Checking ---- */

/* The non-empty answers to one question; more than any question takes is
 * AE_TOO_MANY before anything else is looked at. */
struct given {
	const struct answer	*v[SURVEY_MAX_OPTIONS + 1];
	size_t			 n;
};

static int
blank(const char *s)
{
	if (s != NULL)
		while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
	return s == NULL || *s == '\0';
}

static int
collect(const struct answer_set *as, size_t q, struct given *g)
{
	size_t	 i;

	g->n = 0;
	for (i = 0; i < as->n; i++) {
		if (as->v[i].q != q || blank(as->v[i].value))
			continue;
		if (g->n == sizeof(g->v) / sizeof(g->v[0]))
			return -1;
		g->v[g->n++] = &as->v[i];
	}
	return 0;
}

/* Decodes one code point; its length in bytes, or 0 when not valid UTF-8
 * (overlong forms, surrogates and values above U+10FFFF are invalid). */
static size_t
utf8_next(const unsigned char *p, uint32_t *cp)
{
	size_t		 len, i;
	uint32_t	 c = p[0], min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, c &= 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, c &= 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Text: valid UTF-8, no control characters (longtext: newlines and tabs,
 * with browsers' "\r\n" counted as one), at most max_length code points. */
static enum answer_err
check_text(const struct question *q, const char *value)
{
	const unsigned char	*p = (const unsigned char *)value;
	size_t			 len, n = 0;
	uint32_t		 c;
	int			 lines = q->type == Q_LONGTEXT;

	for (; *p != '\0'; p += len, n++) {
		if ((len = utf8_next(p, &c)) == 0)
			return AE_BAD_TEXT;
		if (lines && c == '\r' && p[1] == '\n')
			len = 2;
		else if (lines && (c == '\n' || c == '\t'))
			continue;
		else if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
			return AE_BAD_TEXT;
	}
	return n > (size_t)q->max_length ? AE_TOO_LONG : AE_OK;
}

/* Digit blocks people type numbers in: the lead bytes of the UTF-8 for the
 * block's zero, whose last byte runs up by one to nine. */
static const struct {
	unsigned char	 lead[3];
	size_t		 len;
} digit_blocks[] = {
	{ { 0xd9, 0xa0 }, 2 },		/* U+0660 Arabic-Indic */
	{ { 0xdb, 0xb0 }, 2 },		/* U+06F0 Extended Arabic-Indic (Persian, Kurdish, Urdu) */
	{ { 0xe0, 0xa5, 0xa6 }, 3 },	/* U+0966 Devanagari */
	{ { 0xe0, 0xa7, 0xa6 }, 3 },	/* U+09E6 Bengali */
	{ { 0xef, 0xbc, 0x90 }, 3 },	/* U+FF10 full-width */
};

/* The ASCII digit that the bytes at p spell, with its length in *len; -1 if none. */
static int
digit_at(const unsigned char *p, size_t *len)
{
	size_t	 i, j, n;

	for (i = 0; i < sizeof(digit_blocks) / sizeof(digit_blocks[0]); i++) {
		n = digit_blocks[i].len;
		for (j = 0; j + 1 < n && p[j] == digit_blocks[i].lead[j]; j++)
			;	/* stops at a NUL: no lead byte is 0 */
		if (j + 1 == n && p[n - 1] >= digit_blocks[i].lead[n - 1] &&
		    p[n - 1] <= digit_blocks[i].lead[n - 1] + 9) {
			*len = n;
			return '0' + (p[n - 1] - digit_blocks[i].lead[n - 1]);
		}
	}
	return -1;
}

void
answer_number_ascii(char *dst, const char *src)
{
	const unsigned char	*p = (const unsigned char *)src;
	size_t			 len;
	int			 d;

	while (*p != '\0') {
		if (*p >= 0x80 && (d = digit_at(p, &len)) != -1) {
			*dst++ = (char)d;
			p += len;
		} else if (p[0] == 0xe2 && p[1] == 0x88 && p[2] == 0x92) {
			*dst++ = '-';		/* U+2212 minus sign */
			p += 3;
		} else
			*dst++ = (char)*p++;
	}
	*dst = '\0';
}

/* A whole number: optional '-', then digits; surrounding spaces are allowed. */
static enum answer_err
check_number(const struct question *q, const char *s)
{
	unsigned long	 x = 0, lim = (unsigned long)LONG_MAX + 1;
	long		 v;
	int		 neg, over = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if ((neg = *s == '-'))
		s++;
	if (*s < '0' || *s > '9')
		return AE_NOT_NUMBER;
	for (; *s >= '0' && *s <= '9'; s++) {
		over |= x > (lim - (unsigned long)(*s - '0')) / 10;
		if (!over)
			x = x * 10 + (unsigned long)(*s - '0');
	}
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	if (*s != '\0')
		return AE_NOT_NUMBER;
	if (over || (!neg && x == lim))
		return AE_OUT_OF_RANGE;
	v = !neg ? (long)x : x == lim ? LONG_MIN : -(long)x;
	return v < q->min || v > q->max ? AE_OUT_OF_RANGE : AE_OK;
}

/* single, scale, list: one known code. */
static enum answer_err
check_one(const struct question *q, const struct given *g)
{
	if (g->n > 1)
		return AE_TOO_MANY;
	return question_option_index(q, g->v[0]->value) == -1 ? AE_UNKNOWN_OPTION : AE_OK;
}

/* multi: known codes, an exclusive one alone, no repeats, at most max_choices. */
static enum answer_err
check_multi(const struct question *q, const struct given *g)
{
	unsigned char	 seen[SURVEY_MAX_OPTIONS] = { 0 };
	long		 o;
	size_t		 i, distinct = 0;
	int		 excl = 0;

	for (i = 0; i < g->n; i++) {
		if ((o = question_option_index(q, g->v[i]->value)) == -1 || o >= SURVEY_MAX_OPTIONS)
			return AE_UNKNOWN_OPTION;
		excl |= q->opts[o].exclusive;
		distinct += !seen[o];
		seen[o] = 1;
	}
	if (excl && distinct > 1)
		return AE_EXCLUSIVE;
	if (distinct < g->n || (q->max_choices > 0 && g->n > (size_t)q->max_choices))
		return AE_TOO_MANY;
	return AE_OK;
}

/* ranking: known codes, positions 1..rank, no option or position twice, and
 * positions 1..k filled without a gap (k = rank when required). */
static enum answer_err
check_ranking(const struct question *q, const struct given *g)
{
	unsigned char	 code[SURVEY_MAX_OPTIONS] = { 0 }, pos[SURVEY_MAX_OPTIONS + 1] = { 0 };
	long		 o;
	size_t		 i;
	int		 top = 0, p;

	for (i = 0; i < g->n; i++) {
		if ((o = question_option_index(q, g->v[i]->value)) == -1 || o >= SURVEY_MAX_OPTIONS)
			return AE_UNKNOWN_OPTION;
		if ((p = g->v[i]->pos) < 1 || p > q->rank || p > SURVEY_MAX_OPTIONS)
			return AE_OUT_OF_RANGE;
		if (code[o] || pos[p])
			return AE_RANK_DUPLICATE;
		code[o] = pos[p] = 1;
		top = p > top ? p : top;
	}
	if ((size_t)top != g->n || (q->required && top != q->rank))
		return AE_RANK_INCOMPLETE;
	return AE_OK;
}

static enum answer_err
check_free(const struct question *q, const struct given *g)
{
	if (g->n > 1)
		return AE_TOO_MANY;
	if (q->type == Q_NUMBER)
		return check_number(q, g->v[0]->value);
	return check_text(q, g->v[0]->value);
}

/* grid: at least min_rows of its rows answered (each row is checked as the
 * scale question it is; an answer a row refuses still counts here, so the
 * respondent sees the row's own message rather than two). */
static enum answer_err
check_grid(const struct survey *s, size_t q, const struct answer_set *as)
{
	const struct question	*qu = &s->qs[q];
	struct given		 g;
	size_t			 r, answered = 0;

	for (r = 1; r <= qu->rows && q + r < s->nqs; r++)
		answered += collect(as, q + r, &g) == -1 || g.n > 0;
	return answered < (size_t)qu->min_rows ? AE_GRID_MIN_ROWS : AE_OK;
}

enum answer_err
survey_check_answer(const struct survey *s, size_t q, const struct answer_set *as)
{
	return survey_question_visible(s, q, as) ? survey_check_shown(s, q, as) : AE_OK;
}

enum answer_err
survey_check_shown(const struct survey *s, size_t q, const struct answer_set *as)
{
	const struct question	*qu;
	struct given		 g;

	if (q >= s->nqs)
		return AE_OK;
	qu = &s->qs[q];
	if (qu->type == Q_GRID)
		return check_grid(s, q, as);
	if (collect(as, q, &g) == -1)
		return AE_TOO_MANY;
	if (g.n == 0)
		return qu->required ? AE_REQUIRED : AE_OK;
	switch (qu->type) {
	case Q_SINGLE:
	case Q_SCALE:
	case Q_LIST:
		return check_one(qu, &g);
	case Q_MULTI:
		return check_multi(qu, &g);
	case Q_RANKING:
		return check_ranking(qu, &g);
	case Q_NUMBER:
	case Q_TEXT:
	case Q_LONGTEXT:
	case Q_WORDCLOUD:
	case Q_STATEMENTS:
		return check_free(qu, &g);
	case Q_INFO:
	case Q_GRID:
	case Q__MAX:
		break;
	}
	return AE_TOO_MANY;
}
