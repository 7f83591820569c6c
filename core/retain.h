/* retain: how long a survey's responses are kept, as day arithmetic on the
 * only date a response carries (its day, "YYYY-MM-DD", local time).  A
 * survey file says `keep_until: DATE` (every response goes once DATE has
 * passed) or `keep_days: N` (a response goes once N days have passed since
 * its day); with neither, the configuration's keep_days applies.  Pure
 * functions: no clock, no I/O, so every boundary is testable. */
#ifndef RETAIN_H
#define RETAIN_H

#define RETAIN_DAYS_DEFAULT	730	/* two years: the council must confirm it */
#define RETAIN_DAYS_MAX		36500
#define RETAIN_NEVER		(-1L)	/* a cutoff that deletes nothing */

/* What a survey file says; both 0: it says nothing (the default applies). */
struct retain {
	long	 until;		/* keep_until as a day number (retain_day), 0: not set */
	int	 days;		/* keep_days, 0: not set */
};

/* Days since 1970-01-01 of the date "YYYY-MM-DD" (a real calendar date,
 * years 1970-9999) into *day; -1 for anything else. */
int retain_day(const char *s, long *day);
/* The date of day number d as "YYYY-MM-DD" (d from 0 to 2932896). */
void retain_date(long d, char out[11]);

/* The first day kept on day `today`: responses whose day number is below
 * the result are past their time.  keep_until U: nothing is past its time
 * up to and including U; from the day after, every response is (the result
 * is then today + 1, so a response of today goes too).  keep_days N (or the
 * default, when r says nothing): a response of day D is kept through day
 * D + N and goes from D + N + 1.  RETAIN_NEVER is never returned for a
 * valid r: it is for callers that must not delete. */
long retain_cutoff(const struct retain *r, int default_days, long today);
/* The last day a response of day `day` is kept, under r or the default. */
long retain_last_day(const struct retain *r, int default_days, long day);
#endif
