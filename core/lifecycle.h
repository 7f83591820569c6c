/* lifecycle: when a survey takes responses.  lc_decide() is the one place
 * that decides it, from the schedule in the survey file (state: draft,
 * opens, closes, grace) and the close or reopen an admin stored in the
 * database; every path asks it: the survey pages, the submit, drafts and
 * resume, and the writer just before it commits.
 *
 * Times are Unix seconds.  Dates in survey files are the borough's local
 * time, Europe/London (GMT in winter, BST in summer), converted with the
 * system's time zone database: lc_tz_init() makes it the process's zone. */
#ifndef LIFECYCLE_H
#define LIFECYCLE_H
#include <stddef.h>
#include <stdint.h>

#define LC_TZ			"Europe/London"
#define LC_GRACE_DEFAULT	(60 * 60)	/* seconds; survey files say minutes */

enum lc_state {
	LC_DRAFT,	/* state: draft: only signed-in staff see it (a preview) */
	LC_NOT_OPEN,	/* before it opens: the page says when */
	LC_OPEN,
	LC_GRACE,	/* closed, but forms already started are still taken */
	LC_CLOSED,	/* closed and the grace period is over: nothing is taken */
	LC__MAX
};
extern const char *const lc_state_names[LC__MAX];	/* "draft", "scheduled", ... */

/* What the survey file says. */
struct lc_sched {
	int		 draft;		/* state: draft */
	int64_t		 opens;		/* first second open; 0 = no date */
	int64_t		 closes;	/* first second closed; 0 = no date */
	int		 opens_time;	/* the file gave a time of day (not a whole day) */
	int		 closes_time;
	int64_t		 grace;		/* seconds forms already started are taken */
};

/* What an admin stored (the survey_state table); LC_ACT_NONE when nothing. */
enum lc_action { LC_ACT_NONE, LC_ACT_CLOSE, LC_ACT_REOPEN, LC_ACT__MAX };
extern const char *const lc_action_names[LC_ACT__MAX];	/* "", "close", "reopen" */
struct lc_override {
	enum lc_action	 action;
	int64_t		 at;		/* when it was done */
	int64_t		 grace;		/* close: the grace the survey had then */
};

/* The effective state at `now`. */
struct lc_view {
	enum lc_state	 state;
	int64_t		 opens;		/* 0 = no date */
	int64_t		 closes;	/* 0 = no date (or reopened past it) */
	int64_t		 until;		/* closes + grace: the last form taken before this */
	int		 early;		/* closes is an admin's early close */
};

/* sched NULL: no file dates (the writer, which has no survey files, checks
 * an admin's close only); ov NULL: nothing stored.
 *  - A draft file is LC_DRAFT whatever is stored (publishing is the file's).
 *  - A close at T closes at T if that is before the file's date, with the
 *    grace recorded with it (and before the opening date: it never opens).
 *  - A reopen at T opens at T if the file opens later, and forgets a file
 *    close date that had passed by T (a later one still applies). */
void lc_decide(const struct lc_sched *sched, const struct lc_override *ov, int64_t now,
    struct lc_view *out);
/* 1 when a form already started may still be sent (open or in its grace). */
int lc_takes_forms(enum lc_state st);

/* Now, in Unix seconds.  In a build with -DVOICES_TEST_CLOCK only (the
 * sanitizer build the tests run; never the release build), the environment
 * variable VOICES_TEST_CLOCK may name a file holding a number of seconds
 * added to the real time, read at every call, so tests move the clock of
 * every process at once. */
int64_t lc_now(void);

/* Sets the process's time zone to LC_TZ (once; later calls do nothing), so
 * that mktime and localtime_r speak the borough's time.  Call before threads. */
void lc_tz_init(void);
/* Parses "YYYY-MM-DD" (start of that day; end: the day after's start) or
 * "YYYY-MM-DD HH:MM" (or with T) in local time.  -1 when malformed or the
 * time does not exist. *has_time says which form it was. */
int lc_parse(const char *s, int end, int64_t *out, int *has_time);
/* "1 May 2026" or "1 May 2026, 17:00" in local time; end: t is the start of
 * the day after a whole-day date, so the day before is named. */
void lc_format(int64_t t, int with_time, int end, char *out, size_t n);
#endif
