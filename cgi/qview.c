/* qview: the one builder of a question's view (qview.h). */
#include <string.h>
#include "qview.h"
#include "view.h"

/* The default language's code when t is shown in it for want of a
 * translation (the page says lang= there, so a screen reader reads it
 * right), else "". */
static const char *
fallback_lang(const struct qview *v, const struct i18n *t)
{
	return i18n_fallback(t, v->lang) ? v->s->langs[0].code : "";
}

/* The answer to q with value code (its rank for a ranking), or NULL. */
static const struct answer *
answer_of(const struct qview *v, size_t q, const char *code)
{
	for (size_t i = 0; v->as != NULL && i < v->as->n; i++)
		if (v->as->v[i].q == q && (code == NULL || strcmp(v->as->v[i].value, code) == 0))
			return &v->as->v[i];
	return NULL;
}

static void
put_options(const struct qview *v, struct tdict *qd, size_t q)
{
	const struct question *qs = &v->s->qs[q];
	struct arena *a = v->c->a;

	for (size_t i = 0; i < qs->nopts; i++) {
		const struct option *o = &qs->opts[i];
		const struct answer *an = answer_of(v, q, o->code);
		struct tdict *od = tdict_add(qd, qs->type == Q_RANKING ? "items" : "options");
		tdict_str(od, "code", o->code);
		tdict_str(od, "text", i18n_get(&o->text, v->lang));
		tdict_str(od, "opt_lang", fallback_lang(v, &o->text));
		tdict_str(od, "input_id", arena_printf(a, "q-%s-%zu", qs->id, i));
		tdict_bool(od, "checked", an != NULL);
		tdict_bool(od, "exclusive", o->exclusive);
		if (qs->type != Q_RANKING)
			continue;
		tdict_str(od, "name", arena_printf(a, "%s.%s", qs->id, o->code));
		for (int n = 1; n <= qs->rank; n++) {
			struct tdict *pd = tdict_add(od, "positions");
			tdict_int(pd, "n", n);
			tdict_bool(pd, "selected", an != NULL && an->pos == n);
		}
	}
}

static const char *
type_flag(enum qtype t)
{
	static const char *const flags[Q__MAX] = {
		[Q_INFO] = "is_info", [Q_SINGLE] = "is_choice", [Q_MULTI] = "is_choice",
		[Q_SCALE] = "is_choice", [Q_RANKING] = "is_ranking", [Q_TEXT] = "is_text",
		[Q_LONGTEXT] = "is_longtext", [Q_NUMBER] = "is_number", [Q_LIST] = "is_list",
		[Q_WORDCLOUD] = "is_text", [Q_STATEMENTS] = "is_info", [Q_GRID] = "is_grid",
	};
	return flags[t];
}

static int
typed(const struct question *q)
{
	return q->type == Q_TEXT || q->type == Q_LONGTEXT || q->type == Q_WORDCLOUD;
}

/* The hint under the question: its own, else one its type implies; NULL. */
static const char *
hint_of(const struct qview *v, const struct question *q)
{
	const char *h = i18n_get(&q->hint, v->lang);

	if (*h)
		return h;
	switch (q->type) {
	case Q_MULTI:
		return q->max_choices ? view_text(v->c, "choose_max", q->max_choices, 0, 0)
		    : view_text(v->c, "choose_any", 0, 0, 0);
	case Q_RANKING:
		return view_text(v->c, v->poll ? "poll_rank_hint" : "rank_hint", q->rank, 0, 0);
	case Q_WORDCLOUD:
		return view_text(v->c, "poll_words_hint", 0, 0, 0);
	default:
		return NULL;
	}
}

/* The hint, the notes of a typed answer and the ids that describe the input. */
static void
put_notes(const struct qview *v, struct tdict *qd, const struct question *q, const char *err)
{
	const char *hint = hint_of(v, q);
	int ch = typed(q);

	tdict_str(qd, "hint_lang", fallback_lang(v, &q->hint));
	if (hint != NULL)
		tdict_str(qd, "hint", hint);
	if (ch) {
		tdict_str(qd, "chars", view_text(v->c, "chars_left", q->max_length, 0, 0));
		tdict_str(qd, "scrub", view_text(v->c, !v->poll ? "scrub_notice" :
		    q->type == Q_WORDCLOUD ? "poll_words_room" : "poll_text_room", 0, 0, 0));
	}
	if (hint == NULL && !ch && err == NULL)
		return;
	tdict_str(qd, "describedby", arena_printf(v->c->a, "%s%s%s%s%s%s",
	    hint ? "h-" : "", hint ? q->id : "", ch ? " c-" : "", ch ? q->id : "",
	    err ? " e-" : "", err ? q->id : ""));
}

long
qview_error_n(const struct question *q, enum answer_err e)
{
	(void)e;	/* each question speaks of one number */
	switch (q->type) {
	case Q_MULTI:
		return q->max_choices;
	case Q_SINGLE:
	case Q_SCALE:
	case Q_LIST:
		return 1;
	case Q_GRID:
		return q->min_rows;
	default:
		return q->max_length;
	}
}

void
qview_error_range(const struct question *q, long *min, long *max)
{
	*min = q->type == Q_RANKING ? 1 : q->min;
	*max = q->type == Q_RANKING ? q->rank : q->max;
}

const char *
qview_error(struct ctx *c, const struct question *q, enum answer_err e)
{
	long min, max;

	qview_error_range(q, &min, &max);
	return view_text(c, answer_err_keys[e], qview_error_n(q, e), min, max);
}

struct tdict *
qview_put(const struct qview *v, struct tdict *page, size_t q, int heading, const char *err)
{
	const struct question *qs = &v->s->qs[q];
	const struct answer *first = answer_of(v, q, NULL);
	struct tdict *qd = tdict_add(page, "questions");

	tdict_str(qd, "id", qs->id);
	tdict_str(qd, "text", i18n_get(&qs->text, v->lang));
	tdict_str(qd, "text_lang", fallback_lang(v, &qs->text));
	tdict_bool(qd, "heading", heading);
	tdict_bool(qd, "optional", !v->poll && !qs->required && qs->type != Q_INFO &&
	    qs->min_rows == 0);
	tdict_bool(qd, type_flag(qs->type), 1);
	tdict_str(qd, "input_type", qs->type == Q_MULTI ? "checkbox" : "radio");
	tdict_bool(qd, "scale", qs->type == Q_SCALE);
	if (qs->type == Q_INFO)
		view_paras(qd, "paras", v->c->a, i18n_get(&qs->text, v->lang));
	put_notes(v, qd, qs, err);
	put_options(v, qd, q);
	tdict_str(qd, "value", first ? first->value : NULL);
	tdict_int(qd, "maxlen", qs->max_length);
	if (qs->type == Q_NUMBER) {
		tdict_int(qd, "min", qs->min);
		tdict_int(qd, "max", qs->max);
	}
	if (err != NULL)
		tdict_str(qd, "error", err);
	return qd;
}

int
qview_answers(struct arena *a, const struct survey *s, size_t q, const char *value,
    struct answer_set *as)
{
	const struct question *qs = &s->qs[q];
	const char *code;
	int pos = 1;

	if (value == NULL)
		return 0;
	if (typed(qs))
		return answer_set_add(as, q, value, 0);
	for (const char *p = value; *p != '\0'; pos++) {
		size_t k = strcspn(p, ",");
		if ((code = arena_strndup(a, p, k)) == NULL ||
		    answer_set_add(as, q, code, qs->type == Q_RANKING ? pos : 0) != 0)
			return -1;
		p += k + (p[k] == ',');
	}
	return 0;
}
