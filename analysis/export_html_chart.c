/* export_html_chart: the page's bar charts, drawn to read on screen and on
 * paper in black and white: light bars with a black outline, each row's
 * 95% interval as a black line with end ticks, its number written beside
 * it and a caption naming the base, so no colour carries meaning. */
#include <stdio.h>
#include <string.h>
#include "export_html_int.h"

#define BAR_W		300	/* px for 100% */
#define VALUE_W		130	/* px right of a full bar for its label */
#define LABEL_W		290	/* fits LABEL_MAX characters of 12px Arial */
#define LABEL_MAX	40	/* bytes of a label drawn beside a bar */
#define CHART_MAX_ROWS	40	/* longer tables (responses by day) get no chart */
#define ROW_H		22

static size_t
rows_shown(const struct rtable *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->nrows; i++)
		n += html_row_shown(t, &t->rows[i]);
	return n;
}

/* s cut to at most LABEL_MAX bytes on a character boundary, with an
 * ellipsis when cut, into out (LABEL_MAX + 4 bytes). */
static const char *
short_label(const char *s, char *out)
{
	size_t n = strlen(s);

	if (n <= LABEL_MAX)
		return s;
	n = LABEL_MAX - 1;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;	/* s[n] starts a character: cut before it */
	memcpy(out, s, n);
	memcpy(out + n, "\xe2\x80\xa6", 4);	/* U+2026 and the terminator */
	return out;
}

/* What a chart draws for a row: its percentage with the 95% interval, or
 * for a ranking the share who ranked the option first, labelled with its
 * mean rank (the share who ranked it at all is 100 for every option of a
 * full ranking, so it would draw nothing). */
struct bar {
	int	 supp, has_ci;
	double	 pct, lo, hi;
	char	 label[64];
};

static void
bar_of(const struct rtable *t, const struct rrow *w, struct bar *v)
{
	char p[32];

	memset(v, 0, sizeof(*v));
	v->supp = t->kind == RK_RANKING ? w->first_pct_supp : w->pct_supp;
	if (v->supp) {
		snprintf(v->label, sizeof(v->label), "%s", EXPORT_SUPPRESSED);
		return;
	}
	v->pct = t->kind == RK_RANKING ? w->first_pct : w->pct;
	v->has_ci = t->kind != RK_RANKING;
	v->lo = w->lo, v->hi = w->hi;
	if (t->kind == RK_RANKING && !w->mean_supp)
		snprintf(v->label, sizeof(v->label), "%s%% first, mean rank %.2f",
		    export_pct(v->pct, 0, p), w->mean_rank);
	else
		snprintf(v->label, sizeof(v->label), "%s%%%s", export_pct(v->pct, 0, p),
		    t->kind == RK_RANKING ? " first" : "");
}

/* One bar: outlined so it prints in black and white, its interval as a
 * black line with end ticks, and its value written beside it. */
static void
bar_row(struct buf *b, const struct bar *v, size_t y)
{
	double x = LABEL_W + v->pct * BAR_W / 100.0, end = x;

	if (v->supp) {
		buf_printf(b, "<text x=\"%d\" y=\"%zu\">%s</text>", LABEL_W + 4, y + 15, v->label);
		return;
	}
	buf_printf(b, "<rect class=\"bar\" x=\"%d\" y=\"%zu\" width=\"%.1f\" height=\"%d\"/>",
	    LABEL_W, y + 3, v->pct * BAR_W / 100.0, ROW_H - 8);
	if (v->has_ci) {
		double lo = LABEL_W + v->lo * BAR_W / 100.0, hi = LABEL_W + v->hi * BAR_W / 100.0;
		buf_printf(b, "<path class=\"ci\" d=\"M%.1f %zuH%.1fM%.1f %zuv8M%.1f %zuv8\"/>",
		    lo, y + 11, hi, lo, y + 7, hi, y + 7);
		end = hi > end ? hi : end;
	}
	buf_printf(b, "<text x=\"%.1f\" y=\"%zu\">", end + 4, y + 15);
	html_text(b, v->label);
	buf_adds(b, "</text>");
}

static const char *
chart_desc(const struct rtable *t)
{
	switch (t->kind) {
	case RK_TREND:
		return "Bar chart of the percentage at the top of the scale in each wave of the "
		    "survey, with 95% intervals";
	case RK_NUMBER:
		return "Bar chart of the percentage of answers in each band, with 95% intervals";
	case RK_RANKING:
		return "Bar chart of the percentage who ranked each option first, labelled with "
		    "its mean rank";
	default:
		return "Bar chart of the percentage giving each answer, with 95% intervals";
	}
}

/* What the bars are a share of, under the chart. */
static void
chart_caption(struct buf *b, const struct rtable *t)
{
	char n[32];

	buf_adds(b, "<figcaption>");
	if (t->kind == RK_TREND)
		buf_adds(b, "Each wave&rsquo;s percentage of the people in that wave who answered "
		    "(its base is in the table)");
	else {
		buf_printf(b, "%s of %s ", t->kind == RK_RANKING ? "Percentage ranking it first, "
		    "and mean rank (1 is most important)," : "Percentage", html_count(t->answered,
		    t->base_supp, n));
		html_text(b, t->base_label ? t->base_label : "answers");
	}
	buf_printf(b, "%s. %s marks a hidden number.</figcaption>", t->kind == RK_RANKING ? "" :
	    "; the black lines are 95% intervals", EXPORT_SUPPRESSED);
}

void
html_chart(struct buf *b, const struct rtable *t, size_t idx)
{
	size_t h = rows_shown(t) * ROW_H + 8, shown = 0;
	struct bar v;

	if (rows_shown(t) > CHART_MAX_ROWS)
		return;
	buf_printf(b, "<figure><svg viewBox=\"0 0 %d %zu\" width=\"%d\" height=\"%zu\" role=\"img\""
	    " aria-labelledby=\"c%zu-t c%zu-d\"><title id=\"c%zu-t\">", LABEL_W + BAR_W + VALUE_W,
	    h, LABEL_W + BAR_W + VALUE_W, h, idx, idx, idx);
	html_text(b, t->title);
	buf_printf(b, "</title><desc id=\"c%zu-d\">%s; the table below gives the numbers.</desc>",
	    idx, chart_desc(t));
	buf_printf(b, "<path class=\"axis\" d=\"M%d 0V%zu\"/>", LABEL_W, h);
	for (size_t i = 0; i < t->nrows; i++) {
		const struct rrow *w = &t->rows[i];
		char lab[LABEL_MAX + 4];
		size_t y = shown * ROW_H + 4;
		if (!html_row_shown(t, w))
			continue;
		shown++;
		buf_printf(b, "<text x=\"%d\" y=\"%zu\" text-anchor=\"end\">", LABEL_W - 6, y + 15);
		html_text(b, short_label(w->label ? w->label : "", lab));
		buf_adds(b, "</text>");
		bar_of(t, w, &v);
		bar_row(b, &v, y);
	}
	buf_adds(b, "</svg>");
	chart_caption(b, t);
	buf_adds(b, "</figure>\n");
}
