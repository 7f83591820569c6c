/* store_life.h: a survey's lifecycle as admins change it (store_life.c).  Part of the
 * store: store.h includes it; a file may include it alone. */
#include "store.h"	/* first: it includes this file after its own part */
#ifndef STORE_LIFE_H
#define STORE_LIFE_H
#include "store_staff.h"

/* ---- Survey lifecycle: an admin's close or reopen (store_life.c) ----
 * One row per survey, the latest change; lc_decide() combines it with the
 * survey file.  Staff-side facts only, never respondent data. */
#define STORE_REASON_MAX	500	/* bytes */
struct store_survey_state {
	struct lc_override	 ov;		/* LC_ACT_NONE: nothing stored */
	char			 staff[STORE_STAFF_NAME_MAX + 1];
	char			 reason[STORE_REASON_MAX + 1];
};
/* The stored change of `survey` into *out (ov.action LC_ACT_NONE if none). */
enum store_err store_survey_state_get(struct store *st, const char *survey,
    struct store_survey_state *out) __attribute__((warn_unused_result));
/* Stores a close or reopen (ov.at, ov.grace) by au->staff with its reason,
 * and the audit row au (whose detail should name the survey), in one
 * transaction.  STORE_INVALID for LC_ACT_NONE or an over-long reason. */
enum store_err store_survey_state_set(struct store *st, const char *survey,
    const struct lc_override *ov, const char *reason, const struct store_audit *au)
    __attribute__((warn_unused_result));
/* Calls fn for each survey version that has responses stored, ascending. */
enum store_err store_survey_versions(struct store *st, const char *survey,
    void (*fn)(void *ctx, int version), void *ctx) __attribute__((warn_unused_result));
#endif
