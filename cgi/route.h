/* route: the one routing table.  Each row declares its method, path pattern
 * and preconditions; route_dispatch() checks the preconditions in one place
 * (survey exists and is a survey, staff role, poll session exists and the
 * member may see it, CSRF token valid on every POST) before the handler
 * runs, so handlers never re-check them. */
#ifndef ROUTE_H
#define ROUTE_H
#include "app.h"

/* Routes the request in c to its handler and fills c->resp. */
void route_dispatch(struct ctx *c);
#endif
