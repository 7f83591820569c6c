/* report: turns raw tallies into the published tables, with disclosure
 * control applied once, here.  Exporters read only a report, never a tally,
 * so no exporter can publish an unsuppressed number by mistake.  A report
 * owns its memory; its strings point into the survey, the codebook or its
 * own arena, so the survey set and codebook must outlive it. */
#ifndef REPORT_H
#define REPORT_H
#include <stddef.h>
#include "arena.h"
#include "tally.h"

#define REPORT_INDICATIVE	50	/* bases below this are marked indicative */
#define REPORT_PCT_MIN_BASE	10	/* no percentages on bases below this */
#define REPORT_QUOTE_MIN_N	10	/* quotes only from themes this common */

enum rkind {
	RK_PROFILE,	/* counts of responses by channel, language, day */
	RK_CHOICE,	/* single choice or list: one row per option */
	RK_MULTI,	/* multi choice: rows do not add up to the base */
	RK_SCALE,	/* scale: distribution plus top-two-box */
	RK_RANKING,	/* ranking: % ranked first, mean rank, % ranked at all */
	RK_THEMES,	/* free-text themes: rows do not add up */
	RK_TREND,	/* an indicator's top-two-box by wave (survey version) */
	RK_NUMBER,	/* number question: one row per band, plus the median */
	RK__MAX
};
extern const char *const report_kind_names[RK__MAX];
/* "Online", "Workshop poll", ...; the last is "Unknown". */
extern const char *const report_channel_titles[CH__MAX + 1];

struct rrow {
	const char	*code;
	const char	*label;
	long		 n;		/* meaningful only when !n_supp */
	int		 n_supp;
	long		 base;		/* the row's base: the table's, or a wave's */
	int		 base_supp;
	double		 pct, lo, hi;	/* percent of base with 95% Wilson interval */
	int		 pct_supp;
	double		 mean_rank;	/* ranking only */
	int		 mean_supp;	/* ranking: mean rank hidden (or nobody ranked it) */
	long		 first;		/* ranking only: ranked first */
	int		 first_supp;
	double		 first_pct;
	int		 first_pct_supp;
	const char	**quotes;	/* themes only */
	size_t		 nquotes;
	/* Profile rows with a borough share (report_add_population): */
	int		 has_ref;
	double		 ref_pct;	/* the borough's share: public, never hidden */
	const char	*ref_source;
	double		 cmp_pct;	/* % of the table's comparison base */
	int		 cmp_supp;	/* cmp_pct (and the difference) hidden */
};

struct rtable {
	const char	*id;		/* question id, "channel", "themes-violence", ... */
	const char	*title;
	const char	*section;	/* "profile", "questions", "themes", "trends" */
	enum rkind	 kind;
	struct rrow	*rows;
	size_t		 nrows;
	long		 asked;		/* responses shown the question (questions only) */
	int		 asked_supp;	/* asked hidden: it would give away a small
					 * number of people who skipped (sdc_asked_hidden) */
	long		 answered;	/* the base */
	int		 base_supp;
	int		 indicative;	/* base below REPORT_INDICATIVE */
	int		 has_top2;	/* scales: top two non-missing points (the top
					 * one of a scale of three or fewer points) */
	const char	*top2_label;	/* "Fairly safe or Very safe" */
	long		 top2;
	int		 top2_supp;
	double		 top2_pct, top2_lo, top2_hi;
	int		 has_median;	/* number questions */
	long		 median;	/* the median, rounded to a whole number ... */
	int		 median_exact;	/* ... when known; else only its band is */
	const char	*median_band;	/* label of the band holding it */
	int		 median_supp;	/* hidden: fewer than k answers, or the
					 * middle answer in a hidden band */
	const char	*note;
	const char	*base_label;	/* who the base counts: "people who answered" */
	int		 has_ref;	/* some row has a borough share */
	long		 cmp_base;	/* the people whose answer has a borough share,
					 * or with cmp_whole the base (answered) */
	int		 cmp_base_supp;
	int		 cmp_whole;	/* compared over the whole base: the narrower
					 * one would give a hidden count away */
	const char	*total_of;	/* trends: the scale question whose top two
					 * publishes the waves' total (its table's id) */
	int		 total_supp;	/* trends: that total hidden by the waves' grid */
};

/* The one-page summary (report_summary.c).  It points into the report's
 * own tables, so it repeats only numbers they publish, hidden as there. */
struct rheadline {
	const char	*area;		/* outcome area id, as in the codebook */
	const char	*title;
	const struct rtable *matters;	/* a scale on the area's page, or NULL */
	const struct rtable *focus;	/* a multi-choice question there, or NULL */
	const struct rrow *focus_top;	/* its most chosen visible answer, or NULL */
	const struct rtable *texts;	/* "themes-areas", or NULL */
	const struct rrow *wrote;	/* the area's row there, or NULL */
	const struct rtable *themes;	/* the area's own themes table, or NULL */
	const struct rrow *theme_top;	/* its most raised visible theme, or NULL */
};

/* The latest wave against the one before (Newcombe's hybrid score
 * interval for the difference of two proportions). */
struct rchange {
	const struct rtable *t;		/* a trend */
	const struct rrow *prev, *last;	/* its last two waves */
	int		 shown;		/* both percentages are published */
	double		 d, lo, hi;	/* last - prev, in points, with 95% interval */
	int		 clear;		/* the interval leaves 0 out */
};

struct rsummary {
	const struct rtable *channels;
	const struct rtable **profile;	/* the "about you" questions and ward */
	size_t		 nprofile;
	struct rheadline *areas;
	size_t		 nareas;
	struct rchange	*changes;
	size_t		 nchanges;
};

struct report {
	const struct survey *s;
	int		 k;		/* suppression threshold in force */
	int		 codebook_version;	/* the codebook's `version:`; 0: none */
	struct rsummary	 sum;
	long		 responses;	/* all responses (suppressed if small) */
	int		 responses_supp;
	long		 texts;		/* responses with any free text */
	long		 flagged;	/* flagged by the safeguarding check: a count
					 * alone, never by ward, age or any other answer */
	int		 flagged_supp;
	int		 has_corrections;	/* hand corrections were applied */
	long		 corrected;	/* free-text answers coded by hand: a count of
					 * the analysts' work, not of people, so never hidden */
	int		 has_population;	/* report_add_population ran */
	struct rtable	*t;
	size_t		 nt, capt;
	struct arena	*a;
};

/* n in words up to twelve ("six"), past that in digits written into buf. */
const char *report_number_word(size_t n, char *buf, size_t len);

/* Builds the published tables.  threshold is the configured suppression
 * threshold (the survey's own applies when larger).  NULL on OOM. */
struct report *report_build(const struct tally *t, int threshold, size_t nquotes);
void report_free(struct report *r);
struct population;
/* Sets the borough's shares beside the profile tables.  A row's comparison
 * percentage is taken over the people whose answer has a borough share (so
 * "Prefer not to say" and answers the borough figures do not cover are left
 * out of both sides).  That base is a new published total, so it is
 * protected like one: the rows with a share and the rows without are each
 * a line of the table, and a line with one hidden member gets a second
 * (or, failing that, the comparison is over the table's whole base).  Marks
 * the population rows it used.
 * 0, or -1 on OOM. */
int report_add_population(struct report *r, struct population *p)
    __attribute__((warn_unused_result));
/* 1 when the comparison columns of t give no hidden count away. */
int report_population_safe(const struct report *r, const struct rtable *t);
/* 1 when no published table lets a suppressed cell be recomputed (the
 * export refuses to write anything otherwise). */
int report_safe(const struct report *r);
/* Up to max of t's rows with a visible, non-zero count, most common first
 * (ties in table order), into out; how many. */
size_t report_top_rows(const struct rtable *t, const struct rrow **out, size_t max);
#endif
