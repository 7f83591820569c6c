/* outcome: the outcome areas of the Community Safety Strategy. */
#include <stdio.h>
#include <string.h>

#include "outcome.h"

const char *const outcome_areas[] = {
	"violence", "vawg", "exploitation", "trust", "victims", "reoffending",
};
const size_t outcome_nareas = sizeof(outcome_areas) / sizeof(outcome_areas[0]);

int
outcome_known(const char *id)
{
	for (size_t i = 0; i < outcome_nareas; i++)
		if (strcmp(id, outcome_areas[i]) == 0)
			return 1;
	return 0;
}

void
outcome_list(char *buf, size_t len)
{
	size_t	 n = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < outcome_nareas && n < len; i++) {
		const char *sep = i == 0 ? "" : i + 1 == outcome_nareas ? " or " : ", ";
		int w = snprintf(buf + n, len - n, "%s%s", sep, outcome_areas[i]);
		if (w < 0)
			return;
		n += (size_t)w;
	}
}
