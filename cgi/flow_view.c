/* flow_view: the pages of the survey journey: start, question pages and the
 * check-your-answers page.  Each carries the whole draft in hidden fields. */
#include <stdio.h>
#include <string.h>
#include "flow.h"
#include "qview.h"
#include "results.h"
#include "view.h"

/* Hidden fields for every answer not shown as an input on page `except`,
 * answers to hidden questions included (the draft keeps them); none when
 * the answers are in a draft on the server. */
static void
put_hidden(struct flow *f, struct tdict *d, long except)
{
	struct arena *a = f->c->a;

	tdict_list(d, "hidden");
	for (size_t i = 0; i < f->as.n && !f->draft; i++) {
		const struct answer *an = &f->as.v[i];
		const struct question *q = &f->s->qs[an->q];
		struct tdict *h;

		if ((long)q->page == except && f->vis.q[an->q])
			continue;
		h = tdict_add(d, "hidden");
		tdict_str(h, "name", flow_field_name(a, f->s, an));
		if (q->type == Q_RANKING)
			tdict_int(h, "value", an->pos);
		else
			tdict_str(h, "value", an->value);
	}
}

static void
put_form_state(struct flow *f, struct tdict *d, const char *page_id)
{
	tdict_str(d, "nonce", f->nonce);
	tdict_str(d, "channel", f->channel);
	tdict_str(d, "page_id", page_id);
	tdict_bool(d, "ret", f->ret);
	tdict_str(d, "seen", f->seen);
	tdict_bool(d, "draft", f->draft);
	tdict_str(d, "form_token", flow_form_token(f->c, f->nonce));
	tdict_str(d, "code", f->draft ? NULL : f->code);
}

/* The name a form gives page p. */
static const char *
page_name(const struct flow *f, long p)
{
	if (p < 0)
		return "start";
	return p >= (long)f->s->npages ? "check" : f->s->pages[p].id;
}

void
flow_view_state(struct flow *f, struct tdict *d, long p)
{
	put_form_state(f, d, page_name(f, p));
	put_hidden(f, d, -2);
}

static int
rank_of(const struct flow *f, size_t q, const char *code)
{
	for (size_t i = 0; i < f->as.n; i++)
		if (f->as.v[i].q == q && strcmp(f->as.v[i].value, code) == 0)
			return f->as.v[i].pos;
	return 0;
}

static struct tdict *
put_question(struct flow *f, struct tdict *page, size_t q, int heading)
{
	const struct question *qs = &f->s->qs[q];
	const struct qview v = { f->c, f->s, f->lang, &f->as, 0 };
	enum answer_err e = f->errs ? f->errs[q] : AE_OK;
	const char *msg = e != AE_OK ? qview_error(f->c, qs, e) : NULL;
	struct tdict *qd = qview_put(&v, page, q, heading, msg);

	if (qs->type == Q_GRID)
		flow_put_grid(f, page, qd, q);
	if (msg != NULL) {
		struct tdict *ed = tdict_add(page, "errors");
		tdict_str(ed, "text", msg);
		if (!heading)	/* several questions: the summary says which */
			tdict_str(ed, "question", i18n_get(&qs->text, f->lang));
		tdict_str(ed, "href", f->c->a == NULL ? "" : qs->type == Q_GRID ?
		    arena_printf(f->c->a, "#q-%s-0", f->s->qs[q + 1].id) :
		    arena_printf(f->c->a, qs->nopts > 0 && qs->type != Q_LIST ?
		    "#q-%s-0" : "#i-%s", qs->id));	/* lands in the field itself */
	}
	return qd;
}

struct tdict *
flow_view_question(struct flow *f, struct tdict *d, size_t q)
{
	return put_question(f, d, q, 0);
}

/* Step k of n: k counts the pages shown so far (conditions only look at
 * earlier pages, so nothing on this page changes it).  n is every page of the
 * survey, the same on every page, so it never jumps as answers open or close
 * a page: "of up to n" when some page has a condition. */
static void
put_progress(struct flow *f, struct tdict *d, long p)
{
	long k = 0, n = (long)f->s->npages;
	int branches = 0;

	for (long i = 0; i < n; i++) {
		k += i <= p && f->vis.page[i];
		branches |= f->s->pages[i].show_if != NULL;
	}
	tdict_str(d, "step", view_text(f->c, branches ? "step_up_to" : "step", k, 0, n));
	tdict_int(d, "step_k", k);
	tdict_int(d, "step_n", n);
}

/* The back link at the top of page p: a link to the page before with a
 * draft; without one, a button of a form of its own that carries the
 * draft (the answers on screen stay behind, as a link's would). */
static void
put_back(struct flow *f, struct tdict *d, long p)
{
	view_safe(f->c, d, p);
	if (f->draft)
		tdict_str(d, "back_url", flow_url(f, flow_next_visible(f, p, -1), 0));
	else
		tdict_bool(d, "back_form", 1);
}

static void
render_start(struct flow *f, int status)
{
	struct ctx *c = f->c;
	struct tdict *d = view_page(c, i18n_get(&f->s->title, f->lang));
	const char *intro = i18n_get(&f->s->intro, f->lang), *rest = strstr(intro, "\n\n");

	tdict_bool(d, "title_only", 1);	/* the survey's name once, not "name – name" */
	view_safe(c, d, PAGE_START);
	/* The first paragraph above "Start now", the rest below it, so that the
	 * button shows without scrolling on a small phone. */
	view_paras(d, "intro", c->a, rest ? arena_strndup(c->a, intro, (size_t)(rest - intro))
	    : intro);
	view_paras(d, "intro_rest", c->a, rest);
	view_paras(d, "privacy", c->a, i18n_get(&f->s->privacy, f->lang));
	tdict_bool(d, "one_per_device", f->s->one_per_device);
	tdict_str(d, "draft_notice", view_text(c, "draft_notice", c->app->cfg->draft_days, 0, 0));
	tdict_bool(d, "gone", kv_get(&c->req->query, "gone") != NULL);
	tdict_bool(d, "forgot", kv_get(&c->req->query, "forgot") != NULL);
	tdict_str(d, "gone_text", view_text(c, "draft_gone", c->app->cfg->draft_days, 0, 0));
	if (f->have_keys && f->as.n > 0)
		tdict_str(d, "continue_url", flow_url(f, f->at >= 0 ? f->at
		    : flow_next_visible(f, PAGE_START, 1), 0));
	f->draft = f->have_keys;
	put_form_state(f, d, "start");
	put_hidden(f, d, -2);
	results_link(c, d, f->s);
	view_render(c, status, "start", d);
}

static void
render_questions(struct flow *f, long p, int status)
{
	const struct page *pg = &f->s->pages[p];
	const char *title = i18n_get(&pg->title, f->lang);
	int single = !*title && pg->count == 1 + f->s->qs[pg->first].rows &&
	    f->s->qs[pg->first].type != Q_INFO;
	struct tdict *d;

	if (single)
		title = i18n_get(&f->s->qs[pg->first].text, f->lang);
	if ((d = view_page(f->c, status == 422 ? arena_printf(f->c->a, "%s: %s",
	    view_text(f->c, "error_title", 0, 0, 0), title) : title)) == NULL) {
		view_render(f->c, 503, "error", NULL);
		return;
	}
	if (!single && *title)
		tdict_str(d, "heading", title);
	view_paras(d, "page_intro", f->c->a, i18n_get(&pg->intro, f->lang));
	tdict_list(d, "errors");
	for (size_t q = pg->first; q < pg->first + pg->count; q++)
		if (f->vis.q[q] && f->s->qs[q].row == 0)	/* rows: with their grid */
			put_question(f, d, q, single);
	tdict_bool(d, "has_errors", status == 422);
	put_progress(f, d, p);
	put_back(f, d, p);
	if (!f->ret)
		f->seen = NULL;
	put_form_state(f, d, pg->id);
	put_hidden(f, d, p);
	view_render(f->c, status, "page", d);
}

void
flow_render_page(struct flow *f, long p, int status)
{
	if (p < 0)
		render_start(f, status);
	else if (p >= (long)f->s->npages)
		flow_render_check(f, status);
	else
		render_questions(f, p, status);
}

/* The answer as the respondent would read it back. */
static const char *
answer_text(struct flow *f, size_t q)
{
	const struct question *qs = &f->s->qs[q];
	struct arena *a = f->c->a;
	const char *out = NULL;

	for (int r = 1; qs->type == Q_RANKING && r <= qs->rank; r++)
		for (size_t i = 0; i < qs->nopts; i++)
			if (rank_of(f, q, qs->opts[i].code) == r)
				out = arena_printf(a, "%s%s%d. %s", out ? out : "", out ? "\n\n" : "",
				    r, i18n_get(&qs->opts[i].text, f->lang));
	if (qs->type == Q_RANKING)
		return out;
	for (size_t i = 0; i < f->as.n; i++) {
		const struct answer *an = &f->as.v[i];
		long o;
		if (an->q != q)
			continue;
		o = question_option_index(qs, an->value);
		out = arena_printf(a, "%s%s%s", out ? out : "", out ? "\n\n" : "",
		    o >= 0 ? i18n_get(&qs->opts[o].text, f->lang) : an->value);
	}
	return out;
}

/* One page's answers on the check page, under the page's title when it has one. */
static void
put_check_section(struct flow *f, struct tdict *d, size_t p)
{
	const struct page *pg = &f->s->pages[p];
	struct tdict *sec = NULL;

	for (size_t q = pg->first; q < pg->first + pg->count; q++) {
		const struct question *qs = &f->s->qs[q];
		struct tdict *row;
		if (qs->type == Q_INFO || qs->row > 0 || !f->vis.q[q])
			continue;
		if (sec == NULL) {
			sec = tdict_add(d, "sections");
			tdict_str(sec, "title", i18n_get(&pg->title, f->lang));
		}
		row = tdict_add(sec, "rows");
		tdict_str(row, "question", i18n_get(&qs->text, f->lang));
		view_paras(row, "answer", f->c->a, qs->type == Q_GRID ? flow_grid_answer(f, q)
		    : answer_text(f, q));
		tdict_str(row, "page", pg->id);
	}
}

void
flow_render_check(struct flow *f, int status)
{
	struct ctx *c = f->c;
	char *seen = arena_alloc(c->a, f->s->npages + 1);
	struct tdict *d;

	if (seen == NULL) {
		page_error(c, 503, "try_again");
		return;
	}
	for (size_t p = 0; p < f->s->npages; p++)
		seen[p] = f->vis.page[p] ? '1' : '0';
	seen[f->s->npages] = '\0';
	d = view_page(c, view_text(c, "check_title", 0, 0, 0));
	for (size_t p = 0; p < f->s->npages; p++)
		if (f->vis.page[p])
			put_check_section(f, d, p);
	tdict_bool(d, "try_again", status == 503);
	put_back(f, d, (long)f->s->npages);
	f->ret = 0;
	f->seen = seen;
	put_form_state(f, d, "check");
	put_hidden(f, d, -2);
	view_render(c, status, "check", d);
}
