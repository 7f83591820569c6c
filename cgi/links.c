/* links: a survey's link for each channel (docs/facilitator.md, "Links for each channel"),
 * its QR code and a printable A4 poster.  For admins and facilitators: a
 * facilitator going to a stall prints one in a minute.  Nothing here is
 * stored or logged; the channel is the only thing a link adds, and the
 * survey refuses a channel it does not know (bad_channel). */
#include <string.h>
#include "handlers.h"
#include "links.h"
#include "qr.h"
#include "staff.h"
#include "view.h"

static const char *const channel_keys[CH__MAX] = {
	[CH_ONLINE] = "channel_online",
	[CH_WORKSHOP] = "channel_workshop",
	[CH_PAPER] = "channel_paper",
	[CH_STALL] = "channel_stall",
	[CH_SCHOOL] = "channel_school",
	[CH_YOUTH] = "channel_youth",
	[CH_FOCUS] = "channel_focus",
};

const char *
links_channel_key(enum channel ch)
{
	return (unsigned)ch < CH__MAX ? channel_keys[ch] : "";
}

const char *
links_url(struct ctx *c, const struct survey *s, enum channel ch)
{
	const char *base = c->app->cfg->base_url ? c->app->cfg->base_url : "";
	size_t n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	if (ch == CH_ONLINE)
		return arena_printf(c->a, "%.*s/s/%s", (int)n, base, s->id);
	return arena_printf(c->a, "%.*s/s/%s?c=%s", (int)n, base, s->id, channel_names[ch]);
}

const char *
links_short(const char *url)
{
	if (url != NULL && strncmp(url, "https://", 8) == 0)
		return url + 8;
	if (url != NULL && strncmp(url, "http://", 7) == 0)
		return url + 7;
	return url;
}

/* 1 when base_url names this machine (the default): such links work on
 * no one's phone, and the pages say so. */
static int
links_local(struct ctx *c)
{
	const char *u = links_short(c->app->cfg->base_url ? c->app->cfg->base_url : "");

	return u[0] == '\0' || u[0] == '/' || strncmp(u, "127.", 4) == 0 ||
	    strncmp(u, "localhost", 9) == 0 || strncmp(u, "[::1]", 5) == 0;
}

/* The channel ?c= names (online when absent); CH__MAX after a 400 page. */
static enum channel
query_channel(struct ctx *c)
{
	const char *name = kv_get(&c->req->query, "c");
	enum channel ch = name ? channel_from_name(name) : CH_ONLINE;

	if (ch == CH__MAX)
		page_error(c, 400, "bad_channel");
	return ch;
}

void
h_links(struct ctx *c)
{
	const struct survey *s = c->survey;
	struct tdict *d;

	c->survey = NULL;	/* a staff page: not the survey's help box and footer */
	if ((d = staff_view_page(c, view_text(c, "links_title", 0, 0, 0))) == NULL) {
		page_error(c, 503, "try_again");
		return;
	}
	tdict_str(d, "title_survey", i18n_get(&s->title, 0));
	tdict_str(d, "sid", s->id);
	tdict_bool(d, "local", links_local(c));
	tdict_list(d, "channels");
	for (int ch = 0; ch < CH__MAX; ch++) {
		struct tdict *cd = tdict_add(d, "channels");
		tdict_str(cd, "name", channel_names[ch]);
		tdict_str(cd, "label", view_text(c, channel_keys[ch], 0, 0, 0));
		tdict_str(cd, "url", links_url(c, s, (enum channel)ch));
	}
	view_render(c, 200, "links", d);
}

/* The signposting box goes on posters for young people only: the one page
 * must leave room for the code to scan from a step away. */
static void
put_help(struct tdict *d, const struct survey *s)
{
	if (s->audience != AUD_YOUNG || s->nhelp == 0)
		return;
	tdict_str(d, "poster_help_title", i18n_get(&s->help_title, 0));
	for (size_t i = 0; i < s->nhelp; i++) {
		struct tdict *h = tdict_add(d, "poster_help");
		tdict_str(h, "name", i18n_get(&s->help[i].name, 0));
		tdict_str(h, "detail", i18n_get(&s->help[i].detail, 0));
		tdict_str(h, "tel", s->help[i].tel);
		tdict_str(h, "url", s->help[i].url ? links_short(s->help[i].url) : NULL);
	}
}

void
h_links_poster(struct ctx *c)
{
	const struct survey *s = c->survey;
	enum channel ch = query_channel(c);
	const char *url;
	struct tdict *d;

	if (ch == CH__MAX)
		return;
	url = links_url(c, s, ch);
	if ((d = view_page(c, i18n_get(&s->title, 0))) == NULL || url == NULL) {
		page_error(c, 503, "try_again");
		return;
	}
	tdict_str(d, "sid", s->id);
	tdict_bool(d, "local", links_local(c));
	tdict_str(d, "channel", channel_names[ch]);
	tdict_str(d, "channel_label", view_text(c, channel_keys[ch], 0, 0, 0));
	tdict_str(d, "url", url);
	tdict_str(d, "short_url", links_short(url));
	tdict_str(d, "qr", qr_svg(c->a, url, view_text(c, "links_qr_label", 0, 0, 0)));
	put_help(d, s);
	view_render(c, 200, "poster", d);
}

void
h_links_qr(struct ctx *c)
{
	enum channel ch = query_channel(c);
	const char *url, *svg;

	if (ch == CH__MAX)
		return;
	url = links_url(c, c->survey, ch);
	if (url == NULL || (svg = qr_svg(c->a, url, view_text(c, "links_qr_label", 0, 0, 0))) == NULL) {
		page_error(c, 503, "try_again");
		return;
	}
	c->resp->content_type = "image/svg+xml";
	resp_header(c->resp, arena_printf(c->a, "Content-Disposition: inline; filename=\"%s-%s.svg\"",
	    c->survey->id, channel_names[ch]));
	buf_reset(&c->resp->body);
	buf_adds(&c->resp->body, svg);
}
