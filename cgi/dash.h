/* dash: one survey's findings as staff see them, on its dashboard and in
 * its downloads.  They are the analysis tool's own tally and report
 * (analysis/tally.c, analysis/report.c), counted here from the database,
 * so every number is the one `voices-analyse report` publishes for the
 * closed questions, suppressed by the one disclosure rule (core/sdc.c), and
 * checked by report_safe before anyone sees it.  The raw counts are kept in
 * the database (store_count_get) until one of the survey's responses
 * changes, and the report is made from them at each request.
 * Closed answers are stored unsealed (core/store.h), so no key is needed:
 * the store is walked without an opener, free text is never opened, and
 * no theme or quote can appear. */
#ifndef DASH_H
#define DASH_H
#include "app.h"
#include "report.h"

enum dash_err {
	DASH_OK,
	DASH_NOMEM,
	DASH_STORE,	/* the database could not be opened or read */
	DASH_UNSAFE,	/* a table failed the disclosure check: nothing may be shown */
	DASH__MAX
};
const char *dash_strerror(enum dash_err e);

/* The suppressed report of survey s over every stored response, at the
 * configured threshold (raised by the survey's suppress_below), into *out,
 * from the kept counts when they are the responses' (else counted afresh,
 * and kept when no response changed meanwhile);
 * the caller frees it with report_free.  It points into s, which must
 * outlive it. */
enum dash_err dash_report(struct ctx *c, const struct survey *s, struct report **out)
    __attribute__((warn_unused_result));


struct tdict;
/* Adds table t of a dash_report to list `list` of d in the form
 * templates/dash_table.html shows (every count as the report hides it);
 * the item added, for the caller to add to. */
struct tdict *dash_add_table(struct ctx *c, struct tdict *d, const char *list,
    const struct rtable *t);
#endif
