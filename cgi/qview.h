/* qview: one question as templates/question.html shows it, for the survey
 * pages (flow_view.c, entry.c) and a poll phone (poll_part_view.c) alike:
 * its text, options, hint, notes, the answer already given and the error
 * beside it, each in the reader's language (and marked with the default
 * language's code where a translation is missing). */
#ifndef QVIEW_H
#define QVIEW_H
#include "app.h"
#include "survey.h"
#include "tmpl.h"

struct qview {
	struct ctx		*c;
	const struct survey	*s;
	int			 lang;	/* index into s->langs */
	const struct answer_set	*as;	/* the answers to show; NULL for none */
	int			 poll;	/* on a poll phone: its hints and notes, no "optional" */
};

/* The number error e of question q speaks of ("choose no more than n",
 * "use n characters or fewer", "answer at least n of these"). */
long qview_error_n(const struct question *q, enum answer_err e);
/* The range an answer out of range is told of: a number's min and max, a
 * ranking's positions 1 to its rank. */
void qview_error_range(const struct question *q, long *min, long *max);
/* The message for error e of question q, in the reader's language. */
const char *qview_error(struct ctx *c, const struct question *q, enum answer_err e);
/* Adds question q of v->s to page's "questions", under its own heading when
 * heading is 1, with err (a message, or NULL) beside it; returns the entry.
 * A grid's rows are the caller's (flow_put_grid). */
struct tdict *qview_put(const struct qview *v, struct tdict *page, size_t q, int heading,
    const char *err);
/* Adds to as the answers a poll phone gave to question q, stored as one
 * value (option codes joined by ",", in rank order for a ranking; free text
 * whole; NULL for none), the codes copied into a; -1 on OOM. */
int qview_answers(struct arena *a, const struct survey *s, size_t q, const char *value,
    struct answer_set *as);
#endif
