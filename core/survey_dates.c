/* survey_dates: a survey file's schedule (state, opens, closes, grace) as a
 * struct lc_sched.  Dates are the borough's local time (lifecycle.h). */
#include <string.h>
#include "survey_int.h"

#define GRACE_MAX_MINUTES	(7 * 24 * 60)

static int
date(struct ps *ps, yaml_node_t *n, const char *what, int end, int64_t *out, int *has_time)
{
	const char *s;

	if (n == NULL)
		return 0;
	if (ld_str(ps->ld, n, what, &s) == -1)
		return -1;
	if (lc_parse(s, end, out, has_time) != 0)
		return ld_fail(ps->ld, n, "'%s' should be a date like 2026-05-01, or a date and "
		    "time like 2026-05-01 09:00 (London time), not '%s'", what, s);
	return 0;
}

int
ps_schedule(struct ps *ps, yaml_node_t *state, yaml_node_t *opens, yaml_node_t *closes,
    yaml_node_t *grace)
{
	struct lc_sched *sc = &ps->s->sched;
	const char *st;
	int minutes = LC_GRACE_DEFAULT / 60;

	memset(sc, 0, sizeof(*sc));
	if (state != NULL) {
		if (ld_str(ps->ld, state, "state", &st) == -1)
			return -1;
		if (strcmp(st, "draft") != 0 && strcmp(st, "ready") != 0)
			return ld_fail(ps->ld, state, "'state' should be draft (only staff can "
			    "see it) or ready, not '%s'", st);
		sc->draft = st[0] == 'd';
	}
	if (date(ps, opens, "opens", 0, &sc->opens, &sc->opens_time) == -1 ||
	    date(ps, closes, "closes", 1, &sc->closes, &sc->closes_time) == -1 ||
	    (grace != NULL && ld_int(ps->ld, grace, "grace", 0, GRACE_MAX_MINUTES,
	    &minutes) == -1))
		return -1;
	sc->grace = (int64_t)minutes * 60;
	if (sc->opens != 0 && sc->closes != 0 && sc->closes <= sc->opens)
		return ld_fail(ps->ld, closes, "'closes' should be after 'opens'");
	return 0;
}
