/* view: builds the data every page template shares (language, direction, UI
 * strings, help box, CSRF token) and renders into the response.  Handlers
 * add their own fields to the dict view_page() returns. */
#ifndef VIEW_H
#define VIEW_H
#include "app.h"

/* Builds app->ui_t once, before the first request, so that pages link the
 * UI strings ("t") instead of copying them.  -1 (and app->ui_t NULL, which
 * still works, only slower) when out of memory.  view_ui_free undoes it and
 * must not run while a page built since view_ui_init is still in use. */
int view_ui_init(struct app *app);
void view_ui_free(struct app *app);
/* The root dict for a page titled `title` (already in the page's language).
 * Uses c->survey (may be NULL) and c->lang.  NULL on OOM. */
struct tdict *view_page(struct ctx *c, const char *title);
/* Renders template name with d into the response body with status.  On
 * failure (OOM) the response becomes a bare 503. */
void view_render(struct ctx *c, int status, const char *name, struct tdict *d);
/* The UI string key in the page's language with "{n}", "{min}" and "{max}"
 * (also spelled "{total}") replaced by the numbers given; "" for a missing key. */
const char *view_text(struct ctx *c, const char *key, long n, long min, long max);
/* Adds text split at blank lines as a list `name` of {text} items. */
void view_paras(struct tdict *d, const char *name, struct arena *a, const char *text);
/* Picks c->lang: `want` if the survey (or UI) offers it, else the default.
 * Returns its index in the survey's languages (0 without a survey). */
int view_set_lang(struct ctx *c, const char *want);
/* The index of c->lang in c->survey's languages: 0 without a survey or when
 * the survey does not offer it. */
int view_lang(const struct ctx *c);
/* The language chooser over langs[0..n) into d ("multilang", "langs"; see
 * langs.html), c->lang marked current; nothing for fewer than two.
 * view_page adds the survey's own; a page without a survey may add others. */
/* 1 when respondents may choose l: reviewed, or a draft with draft_languages. */
int view_lang_offered(const struct ctx *c, const struct lang *l);
void view_langs(struct ctx *c, struct tdict *d, const struct lang *langs, size_t n);
/* The safeguarding parts of a survey page: the quick exit (on page p as
 * survey_safeguarded says) and the respondent's script, which only adds to
 * what works without it (focus, the quick exit's history entry). */
void view_safe(struct ctx *c, struct tdict *d, long p);
#endif
