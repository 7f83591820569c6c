/* flow: one POST of the survey form, parsed into typed answers, and the
 * pages it renders.  Lives for one request, in its arena. */
#ifndef FLOW_H
#define FLOW_H
#include "app.h"
#include "store.h"

struct flow {
	struct ctx		*c;
	const struct survey	*s;
	int			 lang;		/* index into s->langs */
	struct answer_set	 as;		/* every answer the form carries */
	struct survey_vis	 vis;		/* settled for as (flow_settle) */
	const char		*nonce;		/* 32 hex */
	const char		*channel;
	long			 page;		/* on screen: -1 start, npages = check */
	int			 ret;		/* come back to the check page after this one */
	const char		*seen;		/* with ret: '1' per page open on the check
						 * page, '0' per closed one; else NULL */
	const char		*nav;		/* the button pressed */
	enum answer_err		*errs;		/* per question, for the page re-rendered */
};

/* Settles f->vis for f->as, once per request and again whenever f->as
 * changes; -1 when out of memory.  f->vis is then freed with survey_vis_free. */
int flow_settle(struct flow *f) __attribute__((warn_unused_result));
/* Renders page p (-1 = start page, npages = check page) with the whole draft
 * in hidden fields and p's questions as inputs. */
void flow_render_page(struct flow *f, long p, int status);
/* The check-your-answers page (also the "try again" page, with status 503). */
void flow_render_check(struct flow *f, int status);
/* Builds the submission for the writer from the answers (scrubbing free
 * text), with this browser's device hash when the survey takes one response
 * per device (device.h). */
int flow_submission(struct flow *f, struct submission *sub) __attribute__((warn_unused_result));
#endif
