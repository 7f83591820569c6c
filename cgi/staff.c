/* staff: sessions of signed-in staff. */
#include "staff.h"

const char *const staff_role_names[ROLE__MAX] = {
	[ROLE_FACILITATOR] = "facilitator",
	[ROLE_ANALYST] = "analyst",
	[ROLE_ADMIN] = "admin",
};

const struct staff *
staff_current(struct ctx *c)
{
	(void)c;
	return NULL;
}
