/* flow_grid: a grid question in the survey form.  A grid's rows are scale
 * questions of their own (survey.h); on the page each row is a fieldset of
 * radios, its legend the row's text, and its field is named "grid.row".  A
 * name "grid.x" where x is not one of that grid's rows is refused (the form
 * is a 400), never taken as the answer to some other question. */
#include <stdio.h>
#include <string.h>
#include "flow.h"
#include "view.h"

const char *
flow_field_name(struct arena *a, const struct survey *s, const struct answer *an)
{
	const struct question *q = &s->qs[an->q];

	if (q->type == Q_RANKING)
		return arena_printf(a, "%s.%s", q->id, an->value);
	if (q->row > 0)
		return arena_printf(a, "%s.%s", s->qs[an->q - (size_t)q->row].id, q->id);
	return q->id;
}

int
flow_take_grid(const struct survey *s, struct answer_set *as, size_t g, const char *row,
    const char *value)
{
	long r;

	if (row == NULL)
		return 0;	/* the grid's own name: nothing to take */
	r = survey_question_index(s, row);
	if (r <= (long)g || r > (long)(g + s->qs[g].rows))
		return 1;	/* not a row of this grid */
	if (value[strspn(value, " \t\n")] == '\0')
		return 0;	/* blank counts as unanswered */
	return answer_set_add(as, (size_t)r, value, 0);
}

/* s with "{name}" replaced by v (the first one), in the arena. */
static const char *
fill(struct arena *a, const char *s, const char *name, const char *v)
{
	const char *at = s ? strstr(s, name) : NULL;

	if (at == NULL)
		return s;
	return arena_printf(a, "%.*s%s%s", (int)(at - s), s, v, at + strlen(name));
}

/* The message for row q: "Answer 'Knife crime' ...", naming the row. */
static const char *
row_error(struct flow *f, const struct question *q, enum answer_err e)
{
	struct ctx *c = f->c;
	const char *row = i18n_get(&q->text, f->lang), *msg;

	if (e == AE_REQUIRED)
		return fill(c->a, view_text(c, "error_grid_required", 0, 0, 0), "{row}", row);
	msg = fill(c->a, view_text(c, "error_grid_row", 0, 0, 0), "{row}", row);
	return fill(c->a, msg, "{error}", view_text(c, answer_err_keys[e], 1, q->min, q->max));
}

static void
put_row_options(struct flow *f, struct tdict *rd, size_t q)
{
	const struct question *qs = &f->s->qs[q];
	struct arena *a = f->c->a;
	struct answer an = { q, NULL, 0 };
	const char *name = flow_field_name(a, f->s, &an);

	for (size_t i = 0; i < qs->nopts; i++) {
		struct tdict *od = tdict_add(rd, "options");
		tdict_str(od, "code", qs->opts[i].code);
		tdict_str(od, "text", i18n_get(&qs->opts[i].text, f->lang));
		tdict_str(od, "name", name);
		tdict_str(od, "input_id", arena_printf(a, "q-%s-%zu", qs->id, i));
		tdict_bool(od, "checked", answer_set_has(&f->as, q, qs->opts[i].code));
	}
}

void
flow_put_grid(struct flow *f, struct tdict *page, struct tdict *qd, size_t g)
{
	struct arena *a = f->c->a;

	tdict_list(qd, "rows");
	for (size_t q = g + 1; q <= g + f->s->qs[g].rows && q < f->s->nqs; q++) {
		const struct question *qs = &f->s->qs[q];
		const char *hint = i18n_get(&qs->hint, f->lang);
		enum answer_err e = f->errs ? f->errs[q] : AE_OK;
		struct tdict *rd = tdict_add(qd, "rows");

		tdict_str(rd, "row_id", qs->id);
		tdict_str(rd, "row_text", i18n_get(&qs->text, f->lang));
		tdict_str(rd, "row_hint", hint);
		tdict_str(rd, "row_error", e != AE_OK ? row_error(f, qs, e) : "");
		tdict_str(rd, "row_describedby", *hint || e != AE_OK ? arena_printf(a, "%s%s%s%s",
		    *hint ? "h-" : "", *hint ? qs->id : "", e != AE_OK ? " e-" : "",
		    e != AE_OK ? qs->id : "") : "");
		put_row_options(f, rd, q);
		if (e != AE_OK) {	/* the summary's link lands on the row's first radio */
			struct tdict *ed = tdict_add(page, "errors");
			tdict_str(ed, "text", row_error(f, qs, e));
			tdict_str(ed, "href", arena_printf(a, "#q-%s-0", qs->id));
		}
	}
}

const char *
flow_grid_answer(struct flow *f, size_t g)
{
	struct arena *a = f->c->a;
	const char *out = NULL;

	for (size_t q = g + 1; q <= g + f->s->qs[g].rows && q < f->s->nqs; q++) {
		const struct question *qs = &f->s->qs[q];
		const char *v = NULL;
		long o;

		for (size_t i = 0; i < f->as.n && v == NULL; i++)
			if (f->as.v[i].q == q)
				v = (o = question_option_index(qs, f->as.v[i].value)) >= 0
				    ? i18n_get(&qs->opts[o].text, f->lang) : f->as.v[i].value;
		out = arena_printf(a, "%s%s%s: %s", out ? out : "", out ? "\n\n" : "",
		    i18n_get(&qs->text, f->lang), v ? v : view_text(f->c, "not_answered", 0, 0, 0));
	}
	return out;
}
