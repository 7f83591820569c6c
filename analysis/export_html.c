/* export_html: report.html, one self-contained file (inline CSS and SVG, no
 * scripts, no external requests) that prints on A4 in black and white.  It
 * opens with the summary (export_html_sum.c), on a page of its own in
 * print.  Every chart (export_html_chart.c) is an SVG with role="img", a
 * title and a description, followed by the same numbers as a table, so the
 * figures are there for screen readers, for copying into a Cabinet report
 * and on paper.  All text goes through esc_html. */
#include <stdio.h>
#include <string.h>
#include "esc.h"
#include "export_html_int.h"
#include "sdc.h"

static const char css[] =
	"body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Arial,sans-serif;color:#1b1b1b;"
	"max-width:52em;margin:0 auto;padding:1.5em}"
	"h1{font-size:1.7em;margin:.2em 0}h2{font-size:1.35em;margin-top:2em;"
	"border-bottom:3px solid #00594c}h3{font-size:1.1em;margin-top:1.6em}"
	"table{border-collapse:collapse;width:100%;margin:.5em 0 1em;font-size:.9em}"
	"th,td{border:1px solid #b1b4b6;padding:.25em .5em;text-align:left;vertical-align:top}"
	"td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f2f1}"
	".note{color:#505a5f;font-size:.9em}.ind{color:#8a4b00;font-weight:600}"
	"blockquote{margin:.4em 0;padding:.3em .8em;border-left:4px solid #00594c;background:#f3f7f6}"
	"svg{max-width:100%;height:auto}svg text{font:12px Arial,sans-serif;fill:#1b1b1b}"
	"nav a{display:inline-block;min-height:24px;line-height:24px}"
	"figure{margin:.5em 0}figcaption{color:#505a5f;font-size:.85em}"
	".bar{fill:#a8d5cc;stroke:#1b1b1b;stroke-width:1}.ci,.axis{stroke:#1b1b1b;fill:none}"
	".ci{stroke-width:1.5}.summary table,.summary ul{font-size:.9em}"
	".summary ul{columns:2;column-gap:2em;padding-left:1.2em}.summary li{break-inside:avoid}"
	".clear{font-weight:700}"
	"@page{size:A4;margin:12mm 15mm}"
	"@media print{body{max-width:none;padding:0;font-size:9.5pt;line-height:1.3}"
	"nav{display:none}h1{font-size:1.5em;margin:0}#summary h2{margin-top:.4em}"
	"#summary h3{margin:.5em 0 .2em}"
	"#summary p{margin:.3em 0}.summary table,.summary ul{font-size:.85em}"
	".summary th,.summary td{padding:.1em .3em}"
	"h2{break-before:page}#summary h2{break-before:avoid}#summary{break-after:page}"
	"#summary table{margin:.2em 0 .4em}"
	"figure,table,blockquote,tr{break-inside:avoid}h2,h3{break-after:avoid}"
	"a{color:inherit;text-decoration:none}}";

void
html_text(struct buf *b, const char *s)
{
	esc_html(b, s ? s : "", s ? strlen(s) : 0);
}

const char *
html_count(long n, int supp, char out[32])
{
	char digits[32];
	size_t len, o = 0;

	if (supp)
		return EXPORT_SUPPRESSED;
	len = (size_t)snprintf(digits, sizeof(digits), "%ld", n);
	for (size_t i = 0; i < len; i++) {
		size_t left = len - i;
		out[o++] = digits[i];
		if (left > 1 && left % 3 == 1 && digits[i] != '-')
			out[o++] = ',';
	}
	out[o] = '\0';
	return out;
}

int
html_row_shown(const struct rtable *t, const struct rrow *w)
{
	return t->kind != RK_PROFILE || w->n_supp || w->n != 0 ||
	    (strcmp(w->code, "unknown") != 0 && strcmp(w->code, "other") != 0);
}

static void
table_head(struct buf *b, const struct rtable *t)
{
	buf_printf(b, "<table><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">Number</th>"
	    "<th scope=\"col\">%s</th><th scope=\"col\">95%% interval</th>"
	    "<th scope=\"col\">Base</th>",
	    t->kind == RK_TREND ? "Wave" : t->kind == RK_THEMES ? "Theme" :
	    t->kind == RK_NUMBER ? "Band" : "Answer", t->kind == RK_RANKING ? "% who ranked it" :
	    "%");
	if (t->kind == RK_RANKING)
		buf_adds(b, "<th scope=\"col\">% ranked first</th><th scope=\"col\">Mean rank</th>");
	if (t->has_ref)
		buf_adds(b, "<th scope=\"col\">% of comparable answers</th>"
		    "<th scope=\"col\">Borough %</th><th scope=\"col\">Difference (points)</th>");
	buf_adds(b, "</tr></thead><tbody>");
}

/* A profile row beside the borough's share; empty cells when it has none. */
static void
population_cells(struct buf *b, const struct rrow *w)
{
	char cp[32], bp[32], d[32];

	buf_printf(b, "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>",
	    export_cmp_pct(w, cp), w->has_ref ? export_pct(w->ref_pct, 0, bp) : "",
	    export_diff(w, d));
}

/* The sentence under a profile table compared with the borough. */
static void
population_note(struct buf *b, const struct rtable *t)
{
	char n[32];
	const char *src = NULL;

	for (size_t i = 0; i < t->nrows && src == NULL; i++)
		src = t->rows[i].has_ref ? t->rows[i].ref_source : NULL;
	if (t->cmp_whole)
		buf_adds(b, " Compared with the borough as a share of everyone who answered (a "
		    "narrower base would give a hidden number away)");
	else
		buf_printf(b, " Compared with the borough: %s people gave an answer the borough "
		    "figures cover, and their shares are set beside the borough's",
		    html_count(t->cmp_base, t->cmp_base_supp, n));
	buf_adds(b, " (source: ");
	html_text(b, src);
	buf_adds(b, ").");
}

/* The row's base, then the columns only some kinds have: the borough's
 * share; ranked first, mean rank. */
static void
extra_cells(struct buf *b, const struct rtable *t, const struct rrow *w)
{
	char n[32];

	buf_printf(b, "<td class=\"n\">%s</td>", html_count(w->base, w->base_supp, n));
	if (t->has_ref)
		population_cells(b, w);
	if (t->kind != RK_RANKING)
		return;
	buf_printf(b, "<td class=\"n\">%s</td><td class=\"n\">",
	    export_pct(w->first_pct, w->first_pct_supp, n));
	if (!w->mean_supp)
		buf_printf(b, "%.2f", w->mean_rank);
	else if (w->n != 0 || w->n_supp)
		buf_adds(b, EXPORT_SUPPRESSED);
	buf_adds(b, "</td>");
}

static void
data_table(struct buf *b, const struct rtable *t)
{
	char n[32], p[32], lo[32], hi[32];

	table_head(b, t);
	for (size_t i = 0; i < t->nrows; i++) {
		const struct rrow *w = &t->rows[i];
		if (!html_row_shown(t, w))
			continue;
		buf_adds(b, "<tr><th scope=\"row\">");
		html_text(b, w->label);
		buf_printf(b, "</th><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">",
		    html_count(w->n, w->n_supp, n), export_pct(w->pct, w->pct_supp, p));
		if (!w->pct_supp)
			buf_printf(b, "%s&ndash;%s", export_pct(w->lo, 0, lo), export_pct(w->hi, 0, hi));
		buf_adds(b, "</td>");
		extra_cells(b, t, w);
		buf_adds(b, "</tr>");
	}
	buf_adds(b, "</tbody></table>\n");
}

/* ". Median: 7 (of 120 answers)", or the band when only that is known. */
static void
median_text(struct buf *b, const struct rtable *t)
{
	char m[64], n[32];

	buf_adds(b, ". Median: ");
	if (!t->median_supp && !t->median_exact)
		buf_adds(b, "in the band ");
	html_text(b, export_median(t, m));
	if (!t->median_supp)
		buf_printf(b, " (of %s answers)", html_count(t->answered, t->base_supp, n));
}

static void
base_line(struct buf *b, const struct report *r, const struct rtable *t)
{
	char n[32], a[32], p[32];
	int nopct;

	buf_printf(b, "<p class=\"note\">Base: %s ", html_count(t->answered, t->base_supp, n));
	html_text(b, t->base_label ? t->base_label : "answers");
	if (t->asked > 0)
		buf_printf(b, " (of %s asked)", html_count(t->asked, t->asked_supp, a));
	if (t->has_median)
		median_text(b, t);
	if (t->has_top2) {
		buf_adds(b, ". ");
		html_text(b, t->top2_label);
		nopct = t->top2_supp || t->answered < REPORT_PCT_MIN_BASE;
		buf_printf(b, ": %s%s", export_pct(t->top2_pct, nopct, p), nopct ? "" : "%");
	}
	buf_adds(b, ".");
	if (t->indicative)
		buf_printf(b, " <span class=\"ind\">Indicative only: fewer than %d answers.</span>",
		    REPORT_INDICATIVE);
	if (t->note != NULL) {
		buf_adds(b, " ");
		html_text(b, t->note);
	}
	if (t->has_ref)
		population_note(b, t);
	buf_adds(b, "</p>\n");
	(void)r;
}

static void
section(struct buf *b, const struct report *r, const char *sec, const char *title, size_t *idx)
{
	buf_printf(b, "<h2 id=\"%s\">", sec);
	html_text(b, title);
	buf_adds(b, "</h2>\n");
	for (size_t i = 0; i < r->nt; i++) {
		const struct rtable *t = &r->t[i];
		if (strcmp(t->section, sec) != 0 || t->nrows == 0)
			continue;
		buf_adds(b, "<h3>");
		html_text(b, t->title);
		buf_adds(b, "</h3>\n");
		html_chart(b, t, (*idx)++);
		base_line(b, r, t);
		data_table(b, t);
	}
}

static const struct rtable *
find_table(const struct report *r, const char *id)
{
	for (size_t i = 0; i < r->nt; i++)
		if (strcmp(r->t[i].id, id) == 0)
			return &r->t[i];
	return NULL;
}

static void
said_area(struct buf *b, const struct rtable *areas, const struct rrow *ar, const struct rtable *t)
{
	char n[32], base[32], p[32], na[32], other[96];

	snprintf(other, sizeof(other), "wrote about none of the %s areas. The topics they raised:",
	    report_number_word(areas->nrows - 1, na, sizeof(na)));
	buf_adds(b, "<h3>");
	html_text(b, ar->label);
	buf_printf(b, "</h3>\n<p>%s of the %s people who wrote something (%s%%) %s</p>\n",
	    html_count(ar->n, ar->n_supp, n), html_count(areas->answered, areas->base_supp, base),
	    export_pct(ar->pct, ar->pct_supp, p), strcmp(ar->code, "other") != 0 ? "raised this." :
	    other);
	for (size_t i = 0; t != NULL && i < t->nrows; i++) {
		const struct rrow *w = &t->rows[i];
		if (w->n_supp || w->n == 0)
			continue;
		buf_adds(b, "<p><strong>");
		html_text(b, w->label);
		buf_printf(b, "</strong>: %s people.</p>\n", html_count(w->n, 0, n));
		for (size_t k = 0; k < w->nquotes; k++) {
			buf_adds(b, "<blockquote>");
			html_text(b, w->quotes[k]);
			buf_adds(b, "</blockquote>\n");
		}
	}
}

/* "You said": per outcome area, what people wrote, in their words. */
static void
you_said(struct buf *b, const struct report *r)
{
	const struct rtable *areas = find_table(r, "themes-areas");
	char id[128], na[32];

	if (areas == NULL)
		return;
	buf_printf(b, "<h2 id=\"you-said\">You said</h2>\n<p>What people wrote in their own words, "
	    "grouped by the %s outcome areas of the draft strategy, then the other topics "
	    "people raised. Quotes are short extracts, with personal details already removed "
	    "when they were submitted, and only from themes that many people raised; each quote "
	    "appears once, under the first theme it belongs to.</p>\n",
	    report_number_word(areas->nrows - 1, na, sizeof(na)));
	for (size_t i = 0; i < areas->nrows; i++) {
		snprintf(id, sizeof(id), "themes-%s", areas->rows[i].code);
		said_area(b, areas, &areas->rows[i], find_table(r, id));
	}
}

static void
head(struct buf *b, const struct report *r, const struct export_opts *o)
{
	char n[32];

	buf_adds(b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>");
	html_text(b, i18n_get(&r->s->title, 0));
	buf_printf(b, ": findings</title><style>%s</style></head><body>\n<h1>", css);
	html_text(b, i18n_get(&r->s->title, 0));
	buf_printf(b, "</h1>\n<p>Findings from %s responses.", html_count(r->responses,
	    r->responses_supp, n));
	if (r->codebook_version > 0)
		buf_printf(b, " Free text coded with codebook version %d.", r->codebook_version);
	if (o->generated != NULL) {
		buf_adds(b, " Produced ");
		html_text(b, o->generated);
		buf_adds(b, ".");
	}
	buf_adds(b, "</p>\n<nav aria-label=\"Contents\"><ul>"
	    "<li><a href=\"#summary\">Summary</a></li>"
	    "<li><a href=\"#questions\">Answers to each question</a></li>"
	    "<li><a href=\"#themes\">Themes in the free text</a></li>"
	    "<li><a href=\"#you-said\">You said: quotes by outcome area</a></li>"
	    "<li><a href=\"#trends\">Trends in the repeated indicators</a></li>"
	    "<li><a href=\"#profile\">Who responded</a></li>"
	    "<li><a href=\"#notes\">Notes on the figures</a></li></ul></nav>\n");
}

static void
notes(struct buf *b, const struct report *r)
{
	buf_printf(b, "<h2 id=\"notes\">Notes on the figures</h2>\n<ul>"
	    "<li>To protect the people who answered, any count from 1 to %d is replaced by %s, "
	    "and so is any percentage of fewer than %d answers. Where hiding one number would "
	    "still let it be worked out from a total, the next smallest number is hidden too.</li>"
	    "<li>The base of a question is the number of people who answered it; people who "
	    "were not shown a question are not counted. Results on a base below %d are marked "
	    "indicative.</li>"
	    "<li>Beside the base stands the number of people who were shown the question. Where "
	    "from 1 to %d of them did not answer it, that number is given as %s too, so that "
	    "how many skipped the question cannot be worked out.</li>"
	    "<li>Percentages are of the base, and the base includes the people who answered "
	    "&ldquo;Don&rsquo;t know&rdquo; or &ldquo;Prefer not to say&rdquo;. So does the top "
	    "of each scale (&ldquo;Fairly safe or Very safe&rdquo;): it is a share of everyone "
	    "who answered, not only of those who gave a view.</li>"
	    "<li>The 95%% intervals are Wilson score intervals.</li>"
	    "<li>A wave is one round of the survey (one version of its questions). It is named "
	    "by the survey&rsquo;s own wave label, with the months its responses came in, or by "
	    "those months alone.</li>"
	    "<li>A change between two waves is the difference of their percentages, with a 95%% "
	    "interval by Newcombe&rsquo;s hybrid score method. When that interval includes zero "
	    "the change is reported as &ldquo;no clear change&rdquo;.</li>"
	    "<li>Free-text answers are coded to themes by a published codebook; an answer can "
	    "belong to several themes and areas, so those rows do not add up.</li>"
	    "<li>For multi-choice questions people could choose several answers, so the "
	    "percentages add up to more than 100.</li>",
	    r->k - 1, EXPORT_SUPPRESSED, REPORT_PCT_MIN_BASE, REPORT_INDICATIVE, r->k - 1,
	    EXPORT_SUPPRESSED);
	if (export_has_numbers(r))
		buf_printf(b, "<li>Answers to a number question are counted in bands, hidden like "
		    "any other count. The median is the middle answer (with an even number of "
		    "answers, halfway between the middle two, rounded up to a whole number). It is "
		    "given only when at least %d people answered and the band holding it is shown; "
		    "otherwise it is %s.</li>", r->k, EXPORT_SUPPRESSED);
	if (r->codebook_version > 0)
		buf_printf(b, "<li>The free text was coded with version %d of the codebook.</li>",
		    r->codebook_version);
	if (r->flagged > 0) {
		char n[32];
		buf_printf(b, "<li>%s responses had free text the safeguarding check flagged "
		    "(words that can mean someone is not safe). This is one count for the whole "
		    "survey, hidden like any other, and never given by ward, age or any other "
		    "answer.</li>", html_count(r->flagged, r->flagged_supp, n));
	}
	if (r->has_corrections)
		buf_printf(b, "<li>%ld free-text answers were corrected by hand: they count under "
		    "the themes an analyst gave them, not those the codebook's rules found.</li>",
		    r->corrected);
	buf_adds(b, "</ul>\n");
}

int
export_html(const struct report *r, const char *dir, const struct export_opts *o,
    char *err, size_t errlen)
{
	struct buf b = BUF_INIT;
	size_t idx = 0;
	int rc;

	head(&b, r, o);
	html_summary(&b, r);
	section(&b, r, "questions", "Answers to each question", &idx);
	section(&b, r, "themes", "Themes in the free text", &idx);
	you_said(&b, r);
	section(&b, r, "trends", "Trends in the repeated indicators", &idx);
	section(&b, r, "profile", "Who responded", &idx);
	notes(&b, r);
	buf_adds(&b, "</body></html>\n");
	rc = export_write(dir, "report.html", &b, err, errlen);
	buf_free(&b);
	return rc;
}
