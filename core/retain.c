/* retain: retention dates.  Day numbers are days since 1970-01-01 in the
 * proleptic Gregorian calendar, computed with the usual era arithmetic
 * (400-year eras of 146097 days), so no time zone or struct tm is involved:
 * a response's day is already a local date. */
#include <stdio.h>
#include <string.h>
#include "retain.h"

static long
from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
retain_date(long z, char out[11])
{
	long era, doe, yoe, y, doy, mp, d, m;

	if (z < 0)
		z = 0;
	z += 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(y + (m <= 2)) % 10000u,
	    (unsigned)m % 100u, (unsigned)d % 100u);
}

int
retain_day(const char *s, long *day)
{
	long y, m, d, z;
	char back[11];

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	z = from_civil(y, m, d);
	retain_date(z, back);	/* 31 February comes back as 3 March: refused */
	if (strcmp(back, s) != 0)
		return -1;
	*day = z;
	return 0;
}

static int
days_of(const struct retain *r, int default_days)
{
	return r != NULL && r->days > 0 ? r->days : default_days;
}

long
retain_cutoff(const struct retain *r, int default_days, long today)
{
	if (r != NULL && r->until > 0)
		return today > r->until ? today + 1 : 0;
	return today - days_of(r, default_days);
}

long
retain_last_day(const struct retain *r, int default_days, long day)
{
	if (r != NULL && r->until > 0)
		return r->until;
	return day + days_of(r, default_days);
}
