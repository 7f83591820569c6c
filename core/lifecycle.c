/* lifecycle: the one decision of when a survey takes responses (see
 * lifecycle.h), the clock it uses and the local dates of survey files.
 * Invariant: nothing else compares a survey's dates with the time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "lifecycle.h"

const char *const lc_state_names[LC__MAX] = {
	[LC_DRAFT] = "draft",
	[LC_NOT_OPEN] = "scheduled",
	[LC_OPEN] = "open",
	[LC_GRACE] = "closing",
	[LC_CLOSED] = "closed",
};

const char *const lc_action_names[LC_ACT__MAX] = {
	[LC_ACT_NONE] = "",
	[LC_ACT_CLOSE] = "close",
	[LC_ACT_REOPEN] = "reopen",
};

void
lc_decide(const struct lc_sched *sched, const struct lc_override *ov, int64_t now,
    struct lc_view *out)
{
	struct lc_sched none = { 0, 0, 0, 0, 0, LC_GRACE_DEFAULT };
	const struct lc_sched *s = sched ? sched : &none;
	int64_t grace = s->grace;

	memset(out, 0, sizeof(*out));
	out->opens = s->opens;
	out->closes = s->closes;
	if (ov != NULL && ov->action == LC_ACT_REOPEN) {
		if (out->opens > ov->at)
			out->opens = ov->at;
		if (out->closes != 0 && out->closes <= ov->at)
			out->closes = 0;
	} else if (ov != NULL && ov->action == LC_ACT_CLOSE &&
	    (out->closes == 0 || ov->at < out->closes)) {
		out->closes = ov->at;
		out->early = 1;
		grace = ov->grace;
		if (out->opens > ov->at)
			out->opens = 0;	/* closed before it opened: closed, not "opens on" */
		if (out->opens > ov->at)
			out->opens = 0;	/* closed before it opened: closed, not "opens on" */
	}
	out->until = out->closes != 0 ? out->closes + grace : 0;
	if (s->draft)
		out->state = LC_DRAFT;
	else if (out->opens != 0 && now < out->opens)
		out->state = LC_NOT_OPEN;
	else if (out->closes != 0 && now >= out->until)
		out->state = LC_CLOSED;
	else if (out->closes != 0 && now >= out->closes)
		out->state = LC_GRACE;
	else
		out->state = LC_OPEN;
}

int
lc_takes_forms(enum lc_state st)
{
	return st == LC_OPEN || st == LC_GRACE;
}

#ifdef VOICES_TEST_CLOCK
/* Seconds the test clock file adds; 0 without one. */
static int64_t
test_offset(void)
{
	const char *path = getenv("VOICES_TEST_CLOCK");
	char line[32] = "";
	FILE *f;

	if (path == NULL || (f = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(line, sizeof(line), f) == NULL)
		line[0] = '\0';
	fclose(f);
	return strtoll(line, NULL, 10);
}
#else
static int64_t
test_offset(void)
{
	return 0;
}
#endif

int64_t
lc_now(void)
{
	return (int64_t)time(NULL) + test_offset();
}

void
lc_tz_init(void)
{
	const char *tz = getenv("TZ");

	if (tz != NULL && strcmp(tz, LC_TZ) == 0)
		return;
	setenv("TZ", LC_TZ, 1);
	tzset();
}

/* Local y-m-d h:m as Unix seconds; -1 when that time does not exist (the hour
 * skipped when the clocks go forward) or the date is not a real one. */
static int
local_time(int y, int mo, int d, int h, int mi, int64_t *out)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
		.tm_hour = h, .tm_min = mi, .tm_isdst = -1 };
	time_t t = mktime(&tm);

	if (t == (time_t)-1 || tm.tm_year != y - 1900 || tm.tm_mon != mo - 1 ||
	    tm.tm_mday != d || tm.tm_hour != h || tm.tm_min != mi)
		return -1;
	*out = (int64_t)t;
	return 0;
}

int
lc_parse(const char *s, int end, int64_t *out, int *has_time)
{
	int y, mo, d, h = 0, mi = 0, n = 0;

	lc_tz_init();
	*has_time = 0;
	if (s == NULL || strlen(s) < 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 ||
	    n != 10 || y < 2000 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	if (s[10] != '\0') {
		int m = 0;
		if ((s[10] != ' ' && s[10] != 'T') || strlen(s) != 16 ||
		    sscanf(s + 11, "%2d:%2d%n", &h, &mi, &m) != 2 || m != 5 ||
		    h < 0 || h > 23 || mi < 0 || mi > 59)
			return -1;
		*has_time = 1;
	}
	if (local_time(y, mo, d, h, mi, out) != 0)
		return -1;
	if (end && !*has_time) {	/* a whole day: closed from the next day's start */
		struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d + 1,
			.tm_isdst = -1 };
		time_t t = mktime(&tm);
		if (t == (time_t)-1)
			return -1;
		*out = (int64_t)t;
	}
	return 0;
}

void
lc_format(int64_t t, int with_time, int end, char *out, size_t n)
{
	time_t tt = (time_t)(end && !with_time ? t - 1 : t);
	struct tm tm;

	lc_tz_init();
	if (n == 0)
		return;
	out[0] = '\0';
	if (localtime_r(&tt, &tm) == NULL)
		return;
	if (with_time)
		strftime(out, n, "%-d %B %Y, %H:%M", &tm);
	else
		strftime(out, n, "%-d %B %Y", &tm);
}
