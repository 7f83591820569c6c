/* results: a survey's public results page, "You said, we did" (/r/ID), and
 * its admin page (/staff/surveys/ID/results).  The page shows the closed
 * questions' findings (the dashboard's own tables, dash.h), the free-text
 * themes per outcome area that analysts upload from their machine as the
 * analysis tool's report.json, and the "We did" entries staff write.
 *
 * An upload is hostile until checked: only the themes tables of the
 * outcome areas are taken, every count in them is checked again against
 * the one disclosure rule (core/sdc.c) and the upload is refused, naming the
 * table, when any table would need more hiding than it has; quotes are
 * scrubbed again (core/scrub.h), length-limited, and allowed only under a
 * theme with a visible count of at least REPORT_QUOTE_MIN_N.  Nothing is
 * fixed silently: what is stored is what was checked. */
#ifndef RESULTS_H
#define RESULTS_H
#include "app.h"

#define RESULTS_QUOTE_MAX	400	/* bytes of one quote */
#define RESULTS_QUOTES_MAX	5	/* quotes under one theme */
#define RESULTS_ROWS_MAX	200	/* rows of one table */
#define RESULTS_TEXT_MAX	200	/* bytes of a code, label or title */

enum results_err {
	RESULTS_OK,
	RESULTS_NOMEM,
	RESULTS_JSON,		/* not JSON, or not a report.json */
	RESULTS_SURVEY,		/* the report is another survey's */
	RESULTS_NO_THEMES,	/* no themes-areas table (a report made without the key) */
	RESULTS_SHAPE,		/* a table is malformed (named) */
	RESULTS_SMALL,		/* a table shows a count that must be hidden (named) */
	RESULTS_UNSAFE,		/* a hidden count of a table can be worked out (named) */
	RESULTS_QUOTE,		/* a quote is too long, or under a rare or hidden theme (named) */
	RESULTS__MAX
};
/* The ui.yaml key of the staff message for e. */
const char *results_err_key(enum results_err e);

/* Checks report.json text[0..n) for survey s at threshold k.  RESULTS_OK:
 * *accepted is the JSON to store (in a), {"tables":[...]} with themes-areas
 * first, each {id,title,base,rows:[{code,label,count,quotes}]}, a hidden
 * count null.  Otherwise *table names the table at fault (or is NULL). */
enum results_err results_accept(const char *text, size_t n, const struct survey *s, int k,
    struct arena *a, const char **accepted, const char **table)
    __attribute__((warn_unused_result));

/* 1 when survey s has closed (its closing date or an admin's early close
 * has passed, grace included or not: life.h), so its results may be
 * published and shown. */
int results_survey_closed(struct ctx *c, const struct survey *s);

struct tdict;
/* Adds survey s's "We did" entries to d as list "did" (newest first); -1
 * when the store cannot be read. */
int results_add_did(struct ctx *c, struct tdict *d, const struct survey *s);

/* Adds "results_href", the address of survey s's results page in the
 * page's language, to d when that page is published (for the survey's own
 * pages to link to it); nothing otherwise, or when the store cannot say. */
void results_link(struct ctx *c, struct tdict *d, const struct survey *s);

/* The threshold in force for survey s (the configured one, raised by s). */
int results_k(const struct ctx *c, const struct survey *s);
#endif
