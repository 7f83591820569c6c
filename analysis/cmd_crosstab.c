/* cmd_crosstab: `crosstab --db DB --key KEY --by channel|ward|ageband|QUESTION
 * [--out DIR]`: every single-choice, list and scale question broken down by
 * the groups of --by, as long-format CSV (stdout, or DIR/crosstab-BY.csv):
 * the question's text, the answer's and the group's labels, the count, its
 * percentage of the group with a 95% Wilson interval and the group's base,
 * then the question id, answer and group codes for joining.
 * Each question is a two-way table with row and column totals, so secondary
 * suppression runs along rows and columns (sdc_twoway); a table the
 * attacker check can still break is not written at all, and a group whose
 * answers are all hidden (fewer than the threshold) shows nothing but [c]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "esc.h"
#include "export.h"
#include "run.h"
#include "sdc.h"
#include "stat.h"

static void
cell(struct buf *b, const char *s, int last)
{
	esc_csv(b, s, strlen(s));
	buf_adds(b, last ? "\r\n" : ",");
}

/* grid: (nopts + 1) x (ngroups + 1) with totals in the last row and column. */
static long *
make_grid(const struct tally *t, const struct question *q, const struct tally_q *tq)
{
	size_t R = q->nopts, C = t->ngroups;
	long *g = calloc((R + 1) * (C + 1), sizeof(*g));

	if (g == NULL)
		return NULL;
	for (size_t i = 0; i < R; i++)
		for (size_t j = 0; j < C; j++) {
			long v = tq->opt[i * C + j];
			g[i * (C + 1) + j] = v;
			g[i * (C + 1) + C] += v;
			g[R * (C + 1) + j] += v;
			g[R * (C + 1) + C] += v;
		}
	return g;
}

/* Group j's label: a channel's or an answer's words; the last group is
 * everyone whose group is not known, C all of them. */
static const char *
group_label(const struct tally *t, size_t j)
{
	if (j == t->ngroups)
		return "All";
	if (j + 1 == t->ngroups)
		return "Not answered or not known";
	if (t->by == TALLY_BY_CHANNEL)
		return report_channel_titles[j];
	return i18n_get(&t->s->qs[t->by_q].opts[j].text, 0);
}

/* The count's percentage of its group and the 95% Wilson interval, or
 * [c] (and empty bounds) when hidden. */
static void
pct_cells(struct buf *b, long n, long base, int hidden)
{
	char p[32], lo[32], hi[32];
	double l = 0, h = 0;

	if (!hidden)
		stat_wilson(n, base, STAT_Z95, &l, &h);
	cell(b, export_pct(base ? 100.0 * (double)n / (double)base : 0, hidden, p), 0);
	cell(b, hidden ? "" : export_pct(100.0 * l, 0, lo), 0);
	cell(b, hidden ? "" : export_pct(100.0 * h, 0, hi), 0);
}

/* The question's text, led by its page's title when another question asks
 * the same (as the report titles its tables), into out. */
static const char *
question_text(const struct survey *s, const struct question *q, char *out, size_t len)
{
	const char *text = i18n_get(&q->text, 0), *page = i18n_get(&s->pages[q->page].title, 0);
	int twin = 0;

	for (size_t i = 0; i < s->nqs && !twin; i++)
		twin = &s->qs[i] != q && strcmp(i18n_get(&s->qs[i].text, 0), text) == 0;
	if (!twin || page == NULL || *page == '\0')
		return text;
	snprintf(out, len, "%s \xe2\x80\x93 %s", page, text);
	return out;
}

static void
write_cells(struct buf *b, const struct tally *t, const struct question *q, const long *g,
    const unsigned char *supp)
{
	size_t R = q->nopts, C = t->ngroups;
	char n[32], base[32], title[1024];
	const char *qt = question_text(t->s, q, title, sizeof(title));

	for (size_t j = 0; j <= C; j++) {
		long colt = g[R * (C + 1) + j];
		int colsupp = supp[R * (C + 1) + j];
		for (size_t i = 0; i <= R; i++) {
			size_t at = i * (C + 1) + j;
			cell(b, qt, 0);
			cell(b, i < R ? i18n_get(&q->opts[i].text, 0) : "Total", 0);
			cell(b, group_label(t, j), 0);
			cell(b, export_count(g[at], supp[at], n), 0);
			pct_cells(b, g[at], colt, supp[at] || colsupp || colt < REPORT_PCT_MIN_BASE);
			cell(b, export_count(colt, colsupp, base), 0);
			cell(b, q->id, 0);
			cell(b, i < R ? q->opts[i].code : "total", 0);
			cell(b, j < C ? tally_group_label(t, j) : "all", 1);
		}
	}
}

static int
crosstab_all(struct buf *b, const struct tally *t, int k)
{
	for (size_t qi = 0; qi < t->s->nqs; qi++) {
		const struct question *q = &t->s->qs[qi];
		long *g;
		unsigned char *supp;
		if ((q->type != Q_SINGLE && q->type != Q_LIST && q->type != Q_SCALE) ||
		    (long)qi == t->by_q)
			continue;
		g = make_grid(t, q, &t->q[qi]);
		supp = malloc((q->nopts + 1) * (t->ngroups + 1));
		if (g == NULL || supp == NULL) {
			free(g);
			free(supp);
			return -1;
		}
		if (sdc_twoway(g, q->nopts, t->ngroups, k, supp) == SDC_OK)
			write_cells(b, t, q, g, supp);
		else
			fprintf(stderr, "voices-analyse: %s: left out, its suppression is not safe\n", q->id);
		free(g);
		free(supp);
	}
	return 0;
}

static int
resolve_by(struct run *ru, enum tally_by *by, long *by_q)
{
	const char *qid = ru->by;

	if (strcmp(ru->by, "channel") == 0) {
		*by = TALLY_BY_CHANNEL;
		return 0;
	}
	if (strcmp(ru->by, "ageband") == 0)
		qid = "age";
	*by = TALLY_BY_QUESTION;
	if ((*by_q = survey_question_index(ru->s, qid)) < 0 ||
	    ru->s->qs[*by_q].nopts == 0 || ru->s->qs[*by_q].type == Q_MULTI ||
	    ru->s->qs[*by_q].type == Q_RANKING) {
		fprintf(stderr, "voices-analyse: --by %s: not channel, ward, ageband or a "
		    "single-choice question of %s\n", ru->by, ru->s->id);
		return -1;
	}
	return 0;
}

int
cmd_crosstab(int argc, char **argv)
{
	struct run ru;
	struct tally *t = NULL;
	struct buf b = BUF_INIT;
	enum tally_by by = TALLY_BY_NONE;
	long by_q = -1;
	char err[512], name[128];
	int rc = 1;

	if (run_parse(&ru, argc, argv) != 0 || ru.by == NULL) {
		fprintf(stderr, "usage: voices-analyse crosstab --db DB --key KEY "
		    "--by channel|ward|ageband|QUESTION [--out DIR] [--survey ID] [--suppress K]\n");
		return 2;
	}
	/* The survey must be known to resolve --by; run_tally loads it again. */
	if (run_tally(&ru, TALLY_BY_NONE, -1, &t) != 0 || resolve_by(&ru, &by, &by_q) != 0)
		goto out;
	tally_free(t);
	run_free(&ru);
	if (run_tally(&ru, by, by_q, &t) != 0)
		goto out;
	buf_adds(&b, "\"question\",\"answer\",\"group\",\"count\",\"percent_of_group\","
	    "\"ci95_low\",\"ci95_high\",\"group_base\",\"question_id\",\"answer_code\","
	    "\"group_code\"\r\n");
	if (crosstab_all(&b, t, sdc_threshold(ru.suppress, ru.s->suppress_below)) != 0)
		goto out;
	snprintf(name, sizeof(name), "crosstab-%s.csv", ru.by);
	if (ru.out != NULL ? export_write(ru.out, name, &b, err, sizeof(err)) != 0 :
	    fwrite(b.p, 1, b.len, stdout) != b.len) {
		fprintf(stderr, "voices-analyse: %s\n", ru.out ? err : "cannot write");
		goto out;
	}
	rc = 0;
out:
	buf_free(&b);
	tally_free(t);
	run_free(&ru);
	return rc;
}
