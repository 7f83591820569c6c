/* action: the buttons of a staff page.  Every page's form names what its
 * button does in one field, ACTION_FIELD (the survey pages' buttons too,
 * cgi/flow.c); the handler looks the name up in a table of the actions that
 * page offers, and a name not in it is refused (400) rather than taken for
 * some default. */
#ifndef ACTION_H
#define ACTION_H
#include <stddef.h>
#include "app.h"

#define ACTION_FIELD	"_nav"	/* the form field naming the button */

struct action {
	const char	*name;		/* as the button sends it */
	void		(*fn)(struct ctx *c, int arg);
	int		 arg;		/* which of a family of actions (lock, unlock, ...) */
};

/* The entry of t[0..n) that the form's ACTION_FIELD names, or NULL. */
const struct action *action_find(const struct ctx *c, const struct action *t, size_t n);
/* Runs the entry of t[0..n) that the form's ACTION_FIELD names; a 400 page
 * ("staff_unknown_action") when the form names none of them. */
void action_run(struct ctx *c, const struct action *t, size_t n);
#endif
