/* export_html_sum: the report page's first section, a summary that fits
 * one printed A4 page: who responded, the headline per outcome area and
 * what changed since the previous wave.  Its numbers are those of the
 * report's published tables (report_summary.c), each with its base. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "export_html_int.h"

#define TOP_GROUPS	2	/* largest groups named per profile question */
#define MINUS		"\xe2\x88\x92"	/* U+2212 */

/* "12.3% of 280", or "[c]" when the percentage is hidden. */
static void
share(struct buf *b, double pct, int pct_supp, long base, int base_supp)
{
	char p[32], n[32];

	if (pct_supp) {
		buf_adds(b, EXPORT_SUPPRESSED);
		return;
	}
	buf_printf(b, "<strong>%s%%</strong> of %s", export_pct(pct, 0, p),
	    html_count(base, base_supp, n));
}

/* "+5.8" or "−3.2", rounded to one decimal. */
static const char *
points(double d, char out[32])
{
	double v = round(d * 10.0) / 10.0;

	snprintf(out, 32, "%s%.1f", v > 0 ? "+" : v < 0 ? MINUS : "", fabs(v));
	return out;
}

static void
groups(struct buf *b, const struct rtable *t)
{
	const struct rrow *top[TOP_GROUPS];
	size_t n = report_top_rows(t, top, TOP_GROUPS);
	char c[32];

	buf_adds(b, "<li><strong>");
	html_text(b, t->title);
	buf_printf(b, "</strong> (base %s ", html_count(t->answered, t->base_supp, c));
	html_text(b, t->base_label);
	buf_adds(b, n > 0 ? "): largest groups " : "): every group is too small to publish");
	for (size_t i = 0; i < n; i++) {
		char p[32];
		buf_adds(b, i > 0 ? ", " : "");
		html_text(b, top[i]->label);
		buf_printf(b, " %s%%", export_pct(top[i]->pct, top[i]->pct_supp, p));
	}
	buf_adds(b, ".</li>\n");
}

static void
who(struct buf *b, const struct report *r)
{
	const struct rtable *ch = r->sum.channels;
	char n[32], p[32];
	int first = 1;

	buf_printf(b, "<h3>Who responded</h3>\n<p><strong>%s</strong> responses",
	    html_count(r->responses, r->responses_supp, n));
	for (size_t i = 0; ch != NULL && i < ch->nrows; i++) {
		const struct rrow *w = &ch->rows[i];
		if (!w->n_supp && w->n == 0)
			continue;
		buf_adds(b, first ? ": " : ", ");
		first = 0;
		html_text(b, w->label);
		buf_printf(b, " %s", html_count(w->n, w->n_supp, n));
		if (!w->pct_supp)
			buf_printf(b, " (%s%%)", export_pct(w->pct, 0, p));
	}
	buf_adds(b, ".</p>\n");
	if (r->sum.nprofile == 0)
		return;
	buf_adds(b, "<ul>\n");
	for (size_t i = 0; i < r->sum.nprofile; i++)
		groups(b, r->sum.profile[i]);
	buf_adds(b, "</ul>\n");
}

/* Which of the closed-question columns some area fills (a survey without
 * a page per area, like the young people's, has neither). */
enum { COL_MATTERS = 1, COL_FOCUS = 2 };

static int
columns(const struct report *r)
{
	int c = 0;

	for (size_t i = 0; i < r->sum.nareas; i++) {
		const struct rheadline *h = &r->sum.areas[i];
		c |= h->matters != NULL && h->matters->has_top2 ? COL_MATTERS : 0;
		c |= h->focus_top != NULL ? COL_FOCUS : 0;
	}
	return c;
}

static void
headline_row(struct buf *b, const struct rheadline *h, int cols)
{
	char n[32];

	buf_adds(b, "<tr><th scope=\"row\">");
	html_text(b, h->title);
	buf_adds(b, "</th>");
	if (cols & COL_MATTERS) {
		buf_adds(b, "<td>");
		if (h->matters != NULL && h->matters->has_top2)
			share(b, h->matters->top2_pct, h->matters->top2_supp ||
			    h->matters->answered < REPORT_PCT_MIN_BASE, h->matters->answered,
			    h->matters->base_supp);
		buf_adds(b, "</td>");
	}
	if (cols & COL_FOCUS) {
		buf_adds(b, "<td>");
		if (h->focus_top != NULL) {
			html_text(b, h->focus_top->label);
			buf_adds(b, ": ");
			share(b, h->focus_top->pct, h->focus_top->pct_supp, h->focus_top->base,
			    h->focus_top->base_supp);
		}
		buf_adds(b, "</td>");
	}
	buf_adds(b, "<td>");
	if (h->wrote != NULL)
		share(b, h->wrote->pct, h->wrote->pct_supp, h->wrote->base, h->wrote->base_supp);
	buf_adds(b, "</td><td>");
	if (h->theme_top != NULL) {
		html_text(b, h->theme_top->label);
		buf_printf(b, ": %s people", html_count(h->theme_top->n, 0, n));
	}
	buf_adds(b, "</td></tr>\n");
}

/* The scale's top-two answers, named once for the whole column when every
 * area's scale has the same ones. */
static const char *
matters_label(const struct report *r)
{
	const char *l = NULL;

	for (size_t i = 0; i < r->sum.nareas; i++) {
		const struct rtable *t = r->sum.areas[i].matters;
		if (t == NULL || t->top2_label == NULL)
			continue;
		if (l != NULL && strcmp(l, t->top2_label) != 0)
			return "the top two answers";
		l = t->top2_label;
	}
	return l != NULL ? l : "the top two answers";
}

static void
headlines(struct buf *b, const struct report *r)
{
	int cols = columns(r);

	buf_adds(b, "<h3>Headline findings by outcome area</h3>\n");
	if (r->sum.nareas == 0) {
		buf_adds(b, "<p>No codebook was used, so the free text is not grouped by outcome "
		    "area.</p>\n");
		return;
	}
	buf_adds(b, "<table><thead><tr><th scope=\"col\">Outcome area</th>");
	if (cols & COL_MATTERS) {
		buf_adds(b, "<th scope=\"col\">Say it matters: ");
		html_text(b, matters_label(r));
		buf_adds(b, "</th>");
	}
	if (cols & COL_FOCUS)
		buf_adds(b, "<th scope=\"col\">Focus chosen most often</th>");
	buf_adds(b, "<th scope=\"col\">Wrote about it, of everyone who wrote</th>"
	    "<th scope=\"col\">Theme raised most often</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < r->sum.nareas; i++)
		headline_row(b, &r->sum.areas[i], cols);
	buf_adds(b, "</tbody></table>\n");
}

/* 1 when every trend compares the same two waves (then the column heads
 * name them and the cells need not). */
static int
same_waves(const struct report *r)
{
	const struct rchange *c = r->sum.changes;

	for (size_t i = 1; i < r->sum.nchanges; i++)
		if (strcmp(c[i].prev->label, c[0].prev->label) != 0 ||
		    strcmp(c[i].last->label, c[0].last->label) != 0)
			return 0;
	return 1;
}

static void
wave_cell(struct buf *b, const struct rrow *w, int named)
{
	buf_adds(b, "<td>");
	if (!named) {
		html_text(b, w->label);
		buf_adds(b, ": ");
	}
	share(b, w->pct, w->pct_supp, w->base, w->base_supp);
	buf_adds(b, "</td>");
}

static void
change_row(struct buf *b, const struct rchange *c, int named)
{
	char d[32], lo[32], hi[32];

	buf_adds(b, "<tr><th scope=\"row\">");
	html_text(b, c->t->title);
	buf_adds(b, "</th>");
	wave_cell(b, c->prev, named);
	wave_cell(b, c->last, named);
	if (!c->shown) {
		buf_adds(b, "<td></td><td>Too few answers to compare</td></tr>\n");
		return;
	}
	buf_printf(b, "<td class=\"n\">%s (%s to %s)</td><td%s>%s</td></tr>\n", points(c->d, d),
	    points(c->lo, lo), points(c->hi, hi), c->clear ? " class=\"clear\"" : "",
	    !c->clear ? "No clear change" : c->d > 0 ? "Up" : "Down");
}

static void
changes(struct buf *b, const struct report *r)
{
	int named;

	buf_adds(b, "<h3>What changed since the previous wave</h3>\n");
	if (r->sum.nchanges == 0) {
		buf_adds(b, "<p>The responses come from one wave of the survey, so there is no "
		    "earlier wave to compare with.</p>\n");
		return;
	}
	named = same_waves(r);
	buf_adds(b, "<table><thead><tr><th scope=\"col\">Indicator</th>"
	    "<th scope=\"col\">Previous wave");
	if (named) {
		buf_adds(b, ": ");
		html_text(b, r->sum.changes[0].prev->label);
	}
	buf_adds(b, "</th><th scope=\"col\">Latest wave");
	if (named) {
		buf_adds(b, ": ");
		html_text(b, r->sum.changes[0].last->label);
	}
	buf_adds(b, "</th><th scope=\"col\">Change in points (95% interval)</th>"
	    "<th scope=\"col\">Reading</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < r->sum.nchanges; i++)
		change_row(b, &r->sum.changes[i], named);
	buf_adds(b, "</tbody></table>\n<p class=\"note\">Each wave&rsquo;s percentage is of its "
	    "own people who answered. A change is the latest minus the previous, with a 95% "
	    "interval by Newcombe&rsquo;s method: &ldquo;No clear change&rdquo; when it includes "
	    "zero.</p>\n");
}

void
html_summary(struct buf *b, const struct report *r)
{
	buf_adds(b, "<section id=\"summary\" class=\"summary\" aria-labelledby=\"summary-h\">\n"
	    "<h2 id=\"summary-h\">Summary</h2>\n");
	who(b, r);
	headlines(b, r);
	changes(b, r);
	buf_printf(b, "<p class=\"note\">%s: a number from 1 to %d, hidden to protect the people "
	    "who answered. Every percentage is followed by its base.</p>\n</section>\n",
	    EXPORT_SUPPRESSED, r->k - 1);
}
