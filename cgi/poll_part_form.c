/* poll_part_form: a participant's POST parsed into one vote.  Form fields:
 * _q (the question on the phone's screen: a vote for a question the room
 * has left is refused by the store), the question's own inputs named as in
 * a survey (ranking: "qid.code" = position), or for a statement vote _s
 * (the statement id) and v = agree | disagree | pass. */
#include <stdlib.h>
#include <string.h>
#include "poll_part.h"
#include "qview.h"
#include "view.h"

static int
statement_vote(struct ctx *c, struct store_poll_vote *v)
{
	const char *s = kv_get(&c->req->form, "_s"), *val = kv_get(&c->req->form, "v");
	char *end;
	long long id = s ? strtoll(s, &end, 10) : 0;

	if (s == NULL || *end != '\0' || id <= 0 || val == NULL ||
	    (strcmp(val, "agree") && strcmp(val, "disagree") && strcmp(val, "pass")))
		return -1;
	v->item = id;
	v->value = val;
	return 0;
}

/* Adds the form's inputs for question q to as; -1 on OOM. */
static int
gather(struct ctx *c, const struct question *qu, size_t q, struct answer_set *as)
{
	size_t idlen = strlen(qu->id);

	for (size_t i = 0; i < c->req->form.n; i++) {
		const struct kv *kv = &c->req->form.v[i];
		const char *blank = kv->value + strspn(kv->value, " \t\n");
		if (qu->type == Q_RANKING) {
			char *end;
			long pos;
			if (strncmp(kv->name, qu->id, idlen) != 0 || kv->name[idlen] != '.' ||
			    kv->value[0] == '\0')
				continue;
			pos = strtol(kv->value, &end, 10);
			if (answer_set_add(as, q, kv->name + idlen + 1, *end || pos < 1 ||
			    pos > 99 ? 0 : (int)pos) != 0)
				return -1;
		} else if (strcmp(kv->name, qu->id) == 0 && *blank != '\0' &&
		    answer_set_add(as, q, kv->value, 0) != 0)
			return -1;
	}
	return 0;
}

/* The stored value: option codes joined by "," (ranking: in rank order). */
static const char *
encode(struct ctx *c, const struct question *qu, const struct answer_set *as)
{
	const char *out = "";

	if (qu->type == Q_RANKING) {
		for (int r = 1; r <= qu->rank; r++)
			for (size_t i = 0; i < as->n; i++)
				if (as->v[i].pos == r)
					out = arena_printf(c->a, "%s%s%s", out, *out ? "," : "",
					    as->v[i].value);
		return out;
	}
	for (size_t i = 0; i < as->n && out != NULL; i++)
		out = arena_printf(c->a, "%s%s%s", out, *out ? "," : "", as->v[i].value);
	return out;
}

int
poll_part_parse(struct ctx *c, const struct psess *ps, int q, struct store_poll_vote *v,
    const char **err)
{
	const struct question *qu = &ps->s->qs[q];
	struct answer_set as = { 0 };
	enum answer_err e;
	int rc = -1;

	*err = NULL;
	if (qu->type == Q_STATEMENTS)
		return statement_vote(c, v);
	if (gather(c, qu, (size_t)q, &as) != 0)
		goto out;
	e = as.n == 0 ? AE_REQUIRED : survey_check_answer(ps->s, (size_t)q, &as);
	if (e != AE_OK) {
		*err = qview_error(c, qu, e);
		goto out;
	}
	v->text = qu->type == Q_TEXT || qu->type == Q_LONGTEXT || qu->type == Q_WORDCLOUD;
	v->value = v->text ? poll_part_clean_text(c, as.v[0].value, qu->max_length)
	    : encode(c, qu, &as);
	if (v->value == NULL || *v->value == '\0')
		*err = v->value ? view_text(c, "error_required", 0, 0, 0)
		    : view_text(c, "error_bad_text", 0, 0, 0);
	else
		rc = 0;
out:
	answer_set_free(&as);
	return rc;
}
