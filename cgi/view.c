/* view: shared page data.  Every string placed in a dict lives in the survey
 * model, the UI strings or the request arena, and the linked "t" dicts live
 * in the worker's app->ui_arena, so all of it outlives the render. */
#include <stdio.h>
#include <string.h>
#include "view.h"

static void
put_ui(void *ctx, const char *key, const char *value)
{
	tdict_str_unique(ctx, key, value);	/* ui_each gives each key once */
}

/* The UI strings of lang as a frozen dict allocated in a.  ui_each gives the
 * keys in strcmp order, so freezing does not sort. */
static const struct tdict *
ui_dict(struct arena *a, const struct ui_strings *ui, const char *lang)
{
	struct tdict *t = tdict_new(a);

	ui_each(ui, lang, put_ui, t);
	tdict_freeze(t);
	return t;
}

int
view_ui_init(struct app *app)
{
	const struct ui_strings *ui = app->surveys->ui;
	size_t n = ui_nlangs(ui);
	const struct tdict **t;

	app->ui_t = NULL;
	app->ui_nt = 0;
	if ((app->ui_arena = arena_new(16 * 1024)) == NULL ||
	    (t = arena_calloc(app->ui_arena, n + 1, sizeof(*t))) == NULL)
		goto fail;
	for (size_t i = 0; i < n; i++)
		if (tdict_failed(t[i] = ui_dict(app->ui_arena, ui, ui_lang_code(ui, i))))
			goto fail;
	app->ui_t = t;
	app->ui_nt = n;
	return 0;
fail:
	view_ui_free(app);
	return -1;
}

void
view_ui_free(struct app *app)
{
	arena_free(app->ui_arena);
	app->ui_arena = NULL;
	app->ui_t = NULL;
	app->ui_nt = 0;
}

/* "t": the UI strings in c->lang, or in the default language when ui.yaml
 * lacks c->lang, as ui_each falls back. */
static void
put_ui_strings(struct ctx *c, struct tdict *d)
{
	const struct ui_strings *ui = c->app->surveys->ui;
	long l = ui_lang_index(ui, c->lang);

	if (l < 0)
		l = 0;
	if (c->app->ui_t != NULL && (size_t)l < c->app->ui_nt)
		tdict_link(d, "t", c->app->ui_t[l]);
	else
		tdict_link(d, "t", ui_dict(c->a, ui, c->lang));
}

static void
put_help(struct ctx *c, struct tdict *d, int lang)
{
	const struct survey *s = c->survey;

	if (s == NULL || s->nhelp == 0)
		return;
	tdict_str(d, "help_title", i18n_get(&s->help_title, lang));
	for (size_t i = 0; i < s->nhelp; i++) {
		struct tdict *h = tdict_add(d, "help");
		tdict_str(h, "name", i18n_get(&s->help[i].name, lang));
		tdict_str(h, "detail", i18n_get(&s->help[i].detail, lang));
		if (s->help[i].tel) {
			tdict_str(h, "tel", s->help[i].tel);
			tdict_str(h, "tel_uri", s->help[i].tel_uri);
		}
		if (s->help[i].url)
			tdict_str(h, "url", s->help[i].url);
	}
}

int
view_lang_offered(const struct ctx *c, const struct lang *l)
{
	return !l->draft || (c->app->cfg != NULL && c->app->cfg->draft_languages);
}

void
view_safe(struct ctx *c, struct tdict *d, long p)
{
	if (c->survey == NULL || d == NULL)
		return;
	tdict_bool(d, "flow_js", 1);
	if (survey_safeguarded(c->survey, p))
		tdict_str(d, "quick_exit", c->survey->quick_exit);
}

void
view_langs(struct ctx *c, struct tdict *d, const struct lang *langs, size_t n)
{
	size_t offered = 0;

	for (size_t i = 0; i < n; i++)
		offered += (size_t)view_lang_offered(c, &langs[i]);
	if (offered < 2)
		return;
	tdict_bool(d, "multilang", 1);
	for (size_t i = 0; i < n; i++) {
		if (!view_lang_offered(c, &langs[i]))
			continue;
		struct tdict *l = tdict_add(d, "langs");
		tdict_str(l, "code", langs[i].code);
		tdict_str(l, "name", langs[i].name);
		tdict_bool(l, "current", c->lang != NULL && strcmp(langs[i].code, c->lang) == 0);
		if (c->lang_link != NULL)
			tdict_str(l, "href", arena_printf(c->a, "%s?l=%s", c->lang_link,
			    langs[i].code));	/* a language code needs no escaping */
	}
}

int
view_lang(const struct ctx *c)
{
	int i = c->survey && c->lang ? survey_lang_index(c->survey, c->lang) : 0;

	return i < 0 ? 0 : i;
}

int
view_set_lang(struct ctx *c, const char *want)
{
	int i = -1;

	if (c->survey == NULL) {
		const struct ui_strings *ui = c->app->surveys->ui;
		long u = ui_lang_index(ui, want);
		int ok = u > 0 && (!ui_lang_draft(ui, (size_t)u) ||
		    (c->app->cfg != NULL && c->app->cfg->draft_languages));

		c->lang = ok ? ui_lang_code(ui, (size_t)u) : ui_default_lang(ui);
		return 0;
	}
	if (want != NULL)
		i = survey_lang_index(c->survey, want);
	if (i < 0 || !view_lang_offered(c, &c->survey->langs[i]))
		i = 0;
	c->lang = c->survey->langs[i].code;
	return i;
}

struct tdict *
view_page(struct ctx *c, const char *title)
{
	struct tdict *d = tdict_new(c->a);
	int lang;

	if (d == NULL)
		return NULL;
	if (c->lang == NULL)
		view_set_lang(c, NULL);
	lang = view_lang(c);
	put_ui_strings(c, d);
	tdict_str(d, "lang", c->lang);
	tdict_str(d, "dir", (c->survey ? c->survey->langs[lang].rtl :
	    ui_lang_index(c->app->surveys->ui, c->lang) > 0 &&
	    ui_lang_rtl(c->app->surveys->ui, (size_t)ui_lang_index(c->app->surveys->ui,
	    c->lang))) ? "rtl" : "ltr");
	tdict_str(d, "title", title);
	tdict_str(d, "csrf", c->csrf_token);
	if (c->survey) {
		tdict_str(d, "survey_id", c->survey->id);
		tdict_str(d, "survey_title", i18n_get(&c->survey->title, lang));
		tdict_bool(d, "young", c->survey->audience == AUD_YOUNG);
		tdict_bool(d, "preview", c->preview);	/* a draft, seen by staff (life.h) */
	}
	put_help(c, d, lang);
	if (c->survey)
		view_langs(c, d, c->survey->langs, c->survey->nlangs);
	return d;
}

void
view_render(struct ctx *c, int status, const char *name, struct tdict *d)
{
	buf_reset(&c->resp->body);
	c->resp->status = status;
	if (d == NULL || tdict_failed(d) ||
	    tmpl_render(c->app->tmpl, name, d, &c->resp->body) != 0 ||
	    buf_failed(&c->resp->body)) {
		buf_reset(&c->resp->body);
		c->resp->status = 503;
		c->resp->content_type = "text/plain; charset=utf-8";
		buf_adds(&c->resp->body, "Service temporarily unavailable. Please try again.\n");
	}
}

/* Replaces {name} with v in the arena copy of s. */
static char *
fill(struct arena *a, const char *s, const char *name, long v)
{
	const char *at = s ? strstr(s, name) : NULL;

	if (at == NULL)
		return (char *)s;
	return arena_printf(a, "%.*s%ld%s", (int)(at - s), s, v, at + strlen(name));
}

const char *
view_text(struct ctx *c, const char *key, long n, long min, long max)
{
	const char *s = ui_get(c->app->surveys->ui, c->lang ? c->lang : "en", key);

	if (s == NULL)
		return "";
	s = fill(c->a, s, "{n}", n);
	s = fill(c->a, s, "{min}", min);
	s = fill(c->a, s, "{max}", max);
	s = fill(c->a, s, "{total}", max);
	return s ? s : "";
}

void
view_paras(struct tdict *d, const char *name, struct arena *a, const char *text)
{
	const char *p = text;

	tdict_list(d, name);
	while (p && *p) {
		const char *end = strstr(p, "\n\n");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == ' '))
			n--;
		if (n > 0)
			tdict_str(tdict_add(d, name), "text", arena_strndup(a, p, n));
		if (end == NULL)
			break;
		p = end + 2;
		while (*p == '\n')
			p++;
	}
}

void
page_error(struct ctx *c, int status, const char *key)
{
	struct tdict *d;

	if (c->lang == NULL)
		view_set_lang(c, NULL);
	d = view_page(c, view_text(c, key, 0, 0, 0));
	tdict_str(d, "message", view_text(c, key, 0, 0, 0));
	view_render(c, status, "error", d);
}
