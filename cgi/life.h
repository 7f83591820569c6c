/* life: a survey's lifecycle in the app.  The router asks life_gate() before
 * any survey page runs, and every answer it gives comes from lc_decide()
 * (core/lifecycle.h) with the admin's close or reopen read from the
 * database at that moment.  The staff console lists the surveys and lets an
 * admin close or reopen one (life_staff.c). */
#ifndef LIFE_H
#define LIFE_H
#include "app.h"
#include "lifecycle.h"

/* What a survey route is for, which decides what each state lets through. */
enum life_use {
	LIFE_START,	/* the start page: open, or in the grace with a draft */
	LIFE_FORM,	/* a page of a form under way (GET): open or grace */
	LIFE_POST,	/* a form sent: open or grace, else "not stored" */
	LIFE_ANYTIME,	/* confirmation, privacy: any state but a draft */
	LIFE__MAX
};

/* The effective state of s now; -1 when the database could not be read.
 * fresh: read the admin's close or reopen from the database (staff pages);
 * else a copy up to a second old may serve (respondents' pages). */
int life_view(struct app *app, const struct survey *s, int fresh, struct lc_view *v)
    __attribute__((warn_unused_result));
/* 0: the page may run (c->preview set for signed-in staff on a draft).
 * -1: the response is made: a 404 exactly like a missing survey's for a
 * draft seen by anyone else, the not-yet-open or closed page, or for a form
 * sent after the grace the page saying its answers were not stored. */
int life_gate(struct ctx *c, enum life_use use);
/* The page of a form the writer refused because the survey had closed. */
void life_refused(struct ctx *c);
/* The page a preview's submit shows instead of storing anything. */
void life_preview_sent(struct ctx *c);

/* Staff: the survey list (into a staff page's dict, as "surveys"), with
 * -1 when the database could not be read. */
int life_list(struct ctx *c, struct tdict *d) __attribute__((warn_unused_result));
#endif
