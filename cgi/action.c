/* action: looking up a page's button in its table of actions. */
#include <string.h>
#include "action.h"

const struct action *
action_find(const struct ctx *c, const struct action *t, size_t n)
{
	const char *name = kv_get(&c->req->form, ACTION_FIELD);

	for (size_t i = 0; name != NULL && i < n; i++)
		if (strcmp(name, t[i].name) == 0)
			return &t[i];
	return NULL;
}

void
action_run(struct ctx *c, const struct action *t, size_t n)
{
	const struct action *a = action_find(c, t, n);

	if (a != NULL)
		a->fn(c, a->arg);
	else
		page_error(c, 400, "staff_unknown_action");
}
