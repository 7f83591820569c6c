/* staff: council staff accounts and their signed-in sessions.  Respondents
 * never have accounts; staff pages are the only ones behind a login.
 * Roles: a facilitator runs workshop polls, an analyst reads and exports
 * results, an admin manages accounts (and may do everything). */
#ifndef STAFF_H
#define STAFF_H
#include <stdint.h>
#include "app.h"

enum staff_role { ROLE_FACILITATOR, ROLE_ANALYST, ROLE_ADMIN, ROLE__MAX };
extern const char *const staff_role_names[ROLE__MAX];	/* "facilitator", ... */

#define ROLE_BIT(r)	(1u << (r))

struct staff {
	int64_t		 id;
	const char	*name;
	enum staff_role	 role;
};

/* The signed-in staff member for this request (from the session cookie,
 * checked against the database, idle and absolute time-outs applied), or
 * NULL.  Allocated in the request arena. */
const struct staff *staff_current(struct ctx *c);
#endif
