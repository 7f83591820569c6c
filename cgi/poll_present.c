/* poll_present: the presenter view for the projector, the live JSON the
 * console and presenter poll (present.js), and the template data both
 * share.  The projector shows results only when the facilitator says so,
 * and open text only once approved; counts in the room are not suppressed
 * (everyone there saw the votes being cast), anything exported is. */
#include <string.h>
#include <time.h>
#include "handlers.h"
#include "poll_staff.h"
#include "staff.h"
#include "view.h"

#define PRESENT_REFRESH	3	/* seconds, for a projector without JavaScript */

static void put_value(struct ctx *c, struct tdict *d, const char *name, json_t *v);

static void
put_array(struct ctx *c, struct tdict *d, const char *name, json_t *a)
{
	size_t i;
	json_t *v;

	tdict_list(d, name);
	json_array_foreach(a, i, v) {
		struct tdict *item = tdict_add(d, name);
		if (json_is_object(v))
			poll_json_tdict(c, item, v);
		else
			put_value(c, item, "text", v);
	}
}

static void
put_value(struct ctx *c, struct tdict *d, const char *name, json_t *v)
{
	if (json_is_string(v))
		tdict_str(d, name, arena_strdup(c->a, json_string_value(v)));
	else if (json_is_integer(v))
		tdict_int(d, name, (long)json_integer_value(v));
	else if (json_is_boolean(v))
		tdict_bool(d, name, json_is_true(v));
	else if (json_is_object(v))
		poll_json_tdict(c, tdict_child(d, name), v);
	else if (json_is_array(v))
		put_array(c, d, name, v);
}

void
poll_json_tdict(struct ctx *c, struct tdict *d, json_t *o)
{
	const char *k;
	json_t *v;

	json_object_foreach(o, k, v)
		put_value(c, d, arena_strdup(c->a, k), v);
}

void
poll_staff_head(struct ctx *c, const struct psess *ps, struct tdict *d)
{
	const char *url = poll_join_url(c, ps->p.code);

	tdict_int(d, "sid", (long)ps->p.id);
	tdict_str(d, "code", ps->p.code);
	tdict_str(d, "join_url", url);
	tdict_str(d, "qr", poll_qr_svg(c, url));
	tdict_str(d, "poll_title", i18n_get(&ps->s->title, view_lang(c)));
	tdict_bool(d, "open", ps->p.state.open);
	tdict_bool(d, "saved", ps->p.saved);
	tdict_str(d, "day", ps->p.day);
}

static long
connected(struct ctx *c, const struct psess *ps)
{
	struct store *st = poll_store(c->app);
	int64_t n = 0;

	if (st == NULL || store_poll_connected(st, ps->p.id, (int64_t)time(NULL), &n) != STORE_OK)
		return 0;
	return (long)n;
}

void
poll_staff_live(struct ctx *c, const struct psess *ps, struct tdict *d, int console)
{
	const struct poll_state *s = &ps->p.state;
	json_t *r;

	tdict_int(d, "sid", (long)ps->p.id);
	tdict_bool(d, "runs", console);
	tdict_int(d, "connected", connected(c, ps));
	tdict_bool(d, "open", s->open);
	tdict_bool(d, "lobby", s->open && s->current < 0);
	tdict_bool(d, "console", console);
	tdict_int(d, "nq", s->nq);
	if (s->current < 0)
		return;
	tdict_int(d, "n", s->current + 1);
	tdict_str(d, "step", view_text(c, "step", s->current + 1, 0, s->nq));
	tdict_bool(d, "locked", s->locked[s->current]);
	tdict_bool(d, "show", s->show || console);
	tdict_bool(d, "shown", s->show);
	tdict_bool(d, "can_prev", s->open && s->current > 0);
	tdict_bool(d, "can_next", s->open && s->current + 1 < s->nq);
	if ((r = poll_results_json(c, ps, s->current, 0)) == NULL)
		return;
	poll_json_tdict(c, tdict_child(d, "r"), r);
	tdict_bool(tdict_child(d, "r"), arena_printf(c->a, "is_%s",
	    qtype_names[ps->s->qs[s->current].type]), 1);
	json_decref(r);
}

void
h_poll_present(struct ctx *c)
{
	const struct psess *ps = c->poll;
	struct tdict *d;

	/* the projector may show another of the poll set's languages; the
	 * console stays in the default one */
	view_set_lang(c, kv_get(&c->req->query, "l"));
	c->lang_link = arena_printf(c->a, "/staff/polls/%lld/present", (long long)ps->p.id);
	d = staff_view_page(c, i18n_get(&ps->s->title, view_lang(c)));
	poll_staff_head(c, ps, d);
	poll_staff_live(c, ps, d, 0);
	tdict_int(d, "refresh", PRESENT_REFRESH);
	view_render(c, 200, kv_get(&c->req->query, "frag") ? "poll_stage" : "poll_present", d);
}

json_t *
poll_live_json(struct ctx *c, const struct psess *ps)
{
	const struct poll_state *s = &ps->p.state;
	json_t *j = json_pack("{s:I,s:s,s:b,s:b,s:i,s:i,s:b,s:b,s:i}", "rev", (json_int_t)ps->p.rev,
	    "code", ps->p.code, "open", s->open, "saved", ps->p.saved, "current", s->current,
	    "nq", s->nq, "locked", s->current >= 0 && s->locked[s->current], "show", s->show,
	    "connected", (int)connected(c, ps));

	if (j != NULL && s->current >= 0)
		json_object_set_new(j, "question", poll_results_json(c, ps, s->current, 0));
	return j;
}

void
h_poll_live(struct ctx *c)
{
	poll_send_json(c, poll_live_json(c, c->poll));
}
