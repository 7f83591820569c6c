/* pages: the pages that are not part of a survey journey. */
#include "handlers.h"
#include "view.h"

void
h_health(struct ctx *c)
{
	c->resp->content_type = "text/plain; charset=utf-8";
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
		if (s->kind != SK_SURVEY)
			continue;
		sd = tdict_add(d, "surveys");
		tdict_str(sd, "id", s->id);
		tdict_str(sd, "title", i18n_get(&s->title, 0));
	}
	view_render(c, 200, "home", d);
}
