/* datadict: a survey's data dictionary as CSV (datadict.h).  Built from the
 * survey model only, never from responses. */
#include <stdio.h>
#include <string.h>
#include "datadict.h"
#include "esc.h"

enum col { COL_FIELD, COL_PAGE, COL_TYPE, COL_QUESTION, COL_CODE, COL_LABEL, COL_MISSING,
	COL_ASKED, COL_REQUIRED, COL_MIN, COL_MAX, COL_CHOICES, COL_RANK, COL__MAX };

static const char *const col_names[COL__MAX] = {
	[COL_FIELD] = "field",
	[COL_PAGE] = "page",
	[COL_TYPE] = "type",
	[COL_QUESTION] = "question",
	[COL_CODE] = "code",
	[COL_LABEL] = "label",
	[COL_MISSING] = "missing",
	[COL_ASKED] = "asked_of",
	[COL_REQUIRED] = "required",
	[COL_MIN] = "min",
	[COL_MAX] = "max",
	[COL_CHOICES] = "max_choices",
	[COL_RANK] = "rank",
};

/* One row: cells[COL__MAX], NULL printed as an empty cell. */
static void
row(struct buf *out, const char *const *cells)
{
	for (int i = 0; i < COL__MAX; i++) {
		const char *s = cells[i] ? cells[i] : "";
		esc_csv(out, s, strlen(s));
		buf_adds(out, i + 1 < COL__MAX ? "," : "\r\n");
	}
}

/* The response's own fields, with their codes where they have a fixed set. */
static void
response_fields(const struct survey *s, struct buf *out)
{
	const char *c[COL__MAX] = { 0 };

	c[COL_FIELD] = "channel";
	c[COL_TYPE] = "response";
	c[COL_QUESTION] = "Where the response came from (the link's ?c=)";
	c[COL_ASKED] = "every response";
	for (int i = 0; i < CH__MAX; i++) {
		c[COL_CODE] = c[COL_LABEL] = channel_names[i];
		row(out, c);
	}
	c[COL_FIELD] = "language";
	c[COL_QUESTION] = "The language the survey was answered in";
	for (size_t i = 0; i < s->nlangs; i++) {
		c[COL_CODE] = s->langs[i].code;
		c[COL_LABEL] = s->langs[i].name;
		row(out, c);
	}
	c[COL_CODE] = c[COL_LABEL] = NULL;
	c[COL_FIELD] = "day";
	c[COL_QUESTION] = "The day it was sent (YYYY-MM-DD); never the time";
	row(out, c);
	c[COL_FIELD] = "version";
	c[COL_QUESTION] = "The survey version it was answered under";
	row(out, c);
}

/* " and "-joined conditions of the question's page and of the question. */
static void
cond_text(const struct survey *s, const struct cond *cd, struct buf *b)
{
	if (cd == NULL)
		return;
	if (b->len > 0)
		buf_adds(b, " and ");
	buf_printf(b, "%s is %s ", s->qs[cd->q].id, cd->negate ? "none of" : "any of");
	for (size_t i = 0; i < cd->ncodes; i++)
		buf_printf(b, "%s%s", i ? ", " : "", cd->codes[i]);
}

static void
question(const struct survey *s, const struct question *q, struct buf *out)
{
	const char *c[COL__MAX] = { 0 };
	char min[24], max[24], choices[24], rank[24];
	struct buf asked = BUF_INIT;

	cond_text(s, s->pages[q->page].show_if, &asked);
	cond_text(s, q->show_if, &asked);
	c[COL_FIELD] = q->id;
	c[COL_PAGE] = s->pages[q->page].id;
	c[COL_TYPE] = qtype_names[q->type];
	c[COL_QUESTION] = i18n_get(&q->text, 0);
	c[COL_ASKED] = asked.len > 0 ? asked.p : "everyone";
	c[COL_REQUIRED] = q->required ? "yes" : "no";
	if (q->type == Q_NUMBER) {
		snprintf(min, sizeof min, "%ld", q->min);
		snprintf(max, sizeof max, "%ld", q->max);
		c[COL_MIN] = min, c[COL_MAX] = max;
	}
	if (q->type == Q_MULTI && q->max_choices > 0)
		snprintf(choices, sizeof choices, "%d", q->max_choices), c[COL_CHOICES] = choices;
	if (q->type == Q_RANKING)
		snprintf(rank, sizeof rank, "%d", q->rank), c[COL_RANK] = rank;
	if (buf_failed(&asked))
		out->failed = 1;
	if (q->nopts == 0)
		row(out, c);
	for (size_t i = 0; i < q->nopts; i++) {
		c[COL_CODE] = q->opts[i].code;
		c[COL_LABEL] = i18n_get(&q->opts[i].text, 0);
		c[COL_MISSING] = q->opts[i].missing ? "yes" : "no";
		row(out, c);
	}
	buf_free(&asked);
}

void
datadict_csv(const struct survey *s, struct buf *out, int bom)
{
	if (bom)
		buf_adds(out, "\xef\xbb\xbf");
	row(out, col_names);
	response_fields(s, out);
	for (size_t i = 0; i < s->nqs; i++)
		if (s->qs[i].type != Q_INFO)
			question(s, &s->qs[i], out);
}
