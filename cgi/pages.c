/* pages: the pages that are not part of a survey journey. */
#include "handlers.h"
#include "life.h"
#include "store.h"
#include "view.h"

/* For monitoring: "ok", or the state of the database's disk (store_space):
 * nearly full (200, a warning: the app works) or full (503: new responses
 * get the try-again page until there is room), with the room left. */
void
h_health(struct ctx *c)
{
	uint64_t free_bytes;
	enum store_space sp = store_space(c->app->cfg->database, &free_bytes);
	double mib = (double)free_bytes / (1024 * 1024);

	c->resp->content_type = "text/plain; charset=utf-8";
	if (sp == STORE_SPACE_FULL) {
		c->resp->status = 503;
		buf_printf(&c->resp->body, "disk full: %.1f MiB free; new responses refused\n", mib);
	} else if (sp == STORE_SPACE_LOW)
		buf_printf(&c->resp->body, "ok\ndisk nearly full: %.1f MiB free\n", mib);
	else
		buf_adds(&c->resp->body, "ok\n");
}

void
h_home(struct ctx *c)
{
	struct tdict *d;

	view_set_lang(c, kv_get(&c->req->query, "l"));
	d = view_page(c, view_text(c, "home_title", 0, 0, 0));
	tdict_list(d, "surveys");
	for (size_t i = 0; i < c->app->surveys->n; i++) {
		const struct survey *s = c->app->surveys->v[i];
		struct tdict *sd;
		struct lc_view v;
		if (s->kind != SK_SURVEY || life_view(c->app, s, 0, &v) != 0 || v.state != LC_OPEN)
			continue;	/* the home page lists the surveys one can start */
		sd = tdict_add(d, "surveys");
		tdict_str(sd, "id", s->id);
		tdict_str(sd, "title", i18n_get(&s->title, 0));
	}
	view_render(c, 200, "home", d);
}
