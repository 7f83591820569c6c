/* poll_safe: a question's results as they may leave the room (the
 * exports), through the core's disclosure control (sdc_poll).  A hidden
 * count is null, and so is every number that would give it away: a
 * percentage beside it or beside a hidden base, the base itself when the
 * rule hides it.  Orders come from published numbers only: bars keep the
 * question's option order, ranking points run from most to fewest with the
 * hidden ones after them in option order, and only statements whose
 * counts are all published compete for most agreed and most divided.  No
 * free text leaves: statements are known by their number.  A question
 * whose table cannot be made safe is written with "withheld": true and no
 * numbers. */
#include <stdlib.h>
#include <string.h>
#include "poll.h"
#include "sdc_poll.h"
#include "view.h"

static json_t *
num_or_null(long n, int hidden)
{
	return hidden ? json_null() : json_integer(n);
}

/* Marks o as withheld: no numbers at all. */
static void
withhold(json_t *o)
{
	json_object_set_new(o, "answers", json_null());
	json_object_set_new(o, "withheld", json_true());
}

/* Adds each comma-separated code of value: counts[i] for an option given,
 * pos[i * rank + p] for an option ranked at position p + 1. */
static void
each_code(const struct question *q, const char *value, long *counts, long *pos)
{
	size_t p = 0;

	for (const char *s = value; *s; p++) {
		size_t n = strcspn(s, ",");
		for (size_t i = 0; i < q->nopts; i++)
			if (strlen(q->opts[i].code) == n && strncmp(q->opts[i].code, s, n) == 0) {
				counts[i]++;
				if (pos != NULL && p < (size_t)q->rank)
					pos[i * (size_t)q->rank + p]++;
			}
		s += n + (s[n] == ',');
	}
}

static void
safe_bars(json_t *o, const struct question *q, const long *counts, long answers, int k,
    int lang)
{
	unsigned char *hid = calloc(q->nopts + 1, 1);
	json_t *bars = json_array();
	int ah;

	if (hid == NULL || sdc_poll_bars(counts, q->nopts, answers, q->type == Q_MULTI, k, hid,
	    &ah) != SDC_OK) {
		withhold(o);
		goto out;
	}
	json_object_set_new(o, "answers", num_or_null(answers, ah));
	for (size_t i = 0; i < q->nopts; i++)
		json_array_append_new(bars, json_pack("{s:s,s:s,s:o,s:o}", "code", q->opts[i].code,
		    "label", i18n_get(&q->opts[i].text, lang), "count", num_or_null(counts[i],
		    hid[i]), "pct", num_or_null(answers ? (counts[i] * 100 + answers / 2) / answers
		    : 0, hid[i] || ah)));
	json_object_set_new(o, "bars", bars);
	bars = NULL;
out:
	json_decref(bars);
	free(hid);
}

static long
points(const struct question *q, const long *pos, size_t i)
{
	long pts = 0;

	for (int p = 0; p < q->rank; p++)
		pts += pos[i * (size_t)q->rank + (size_t)p] * (q->rank - p);
	return pts;
}

static void
safe_ranking(json_t *o, const struct question *q, const long *pos, long answers, int k,
    int lang)
{
	unsigned char *hid = calloc(q->nopts + 1, 1);
	size_t *order = calloc(q->nopts + 1, sizeof(*order)), n = 0;
	json_t *list = json_array();
	long max = 0;
	int ah;

	if (hid == NULL || order == NULL || sdc_poll_ranking(pos, q->nopts, (size_t)q->rank,
	    answers, k, hid, &ah) != SDC_OK) {
		withhold(o);
		goto out;
	}
	json_object_set_new(o, "answers", num_or_null(answers, ah));
	for (size_t i = 0; i < q->nopts; i++)	/* published, most points first */
		if (!hid[i]) {
			size_t j = n++;
			for (; j > 0 && points(q, pos, order[j - 1]) < points(q, pos, i); j--)
				order[j] = order[j - 1];
			order[j] = i;
			max = points(q, pos, i) > max ? points(q, pos, i) : max;
		}
	for (size_t i = 0; i < q->nopts; i++)	/* then the hidden, in option order */
		if (hid[i])
			order[n++] = i;
	for (size_t r = 0; r < n; r++) {
		size_t i = order[r];
		long pts = points(q, pos, i);
		json_array_append_new(list, json_pack("{s:s,s:s,s:o,s:o}", "code", q->opts[i].code,
		    "label", i18n_get(&q->opts[i].text, lang), "count", num_or_null(pts, hid[i]),
		    "width", num_or_null(max ? pts * 100 / max : 0, hid[i])));
	}
	json_object_set_new(o, "points", list);
	list = NULL;
out:
	json_decref(list);
	free(hid);
	free(order);
}

void
poll_safe_options(json_t *o, const struct question *q, const struct poll_votes *vs,
    long answers, int k, int lang)
{
	int ranking = q->type == Q_RANKING;
	size_t npos = ranking ? q->nopts * (size_t)q->rank : 0;
	long *counts = calloc(q->nopts + 1, sizeof(*counts));
	long *pos = calloc(npos + 1, sizeof(*pos));

	if (counts == NULL || pos == NULL) {
		withhold(o);
		goto out;
	}
	for (size_t i = 0; i < vs->n; i++)
		if (vs->v[i].item == 0)
			each_code(q, vs->v[i].value, counts, ranking ? pos : NULL);
	if (ranking)
		safe_ranking(o, q, pos, answers, k, lang);
	else
		safe_bars(o, q, counts, answers, k, lang);
out:
	free(counts);
	free(pos);
}
