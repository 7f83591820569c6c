/* poll_statements: results of a statements question.  Participants write
 * statements (held until the facilitator approves them) and vote agree,
 * disagree or pass on the approved ones.  The room sees the most agreed,
 * the most divided (close to an even split of agree and disagree, see
 * score_divisive) and, when the session asked an age band or area
 * question, where the groups differ most. */
#include <string.h>
#include "poll.h"
#include "util.h"
#include "view.h"

#define TOP		3
#define GROUP_MIN	3	/* in the room: a group smaller than this is not compared */
#define MAX_GROUPS	16
#define DIVIDED_VOTES	6	/* agree + disagree, fewer is no sign of division */
#define DIVIDED_SHARE	3	/* the smaller side is at least a third of them */

static const char *const state_names[SPS__MAX] = {
	[SPS_WAITING] = "waiting", [SPS_APPROVED] = "approved", [SPS_REJECTED] = "rejected",
};

struct stmt {
	int64_t		 id;
	const char	*text;
	enum store_poll_sstate state;
	long		 agree, disagree, pass;
	long		 g_agree[MAX_GROUPS], g_n[MAX_GROUPS];
	double		 score;
};

struct stmts {
	struct arena	*a;
	struct stmt	*v;
	size_t		 n, cap;
};

static int
take(void *ctx, const struct store_poll_statement *s)
{
	struct stmts *l = ctx;

	if (arena_grow(l->a, &l->v, &l->cap, l->n, sizeof(*l->v), 32) != 0)
		return 1;
	l->v[l->n] = (struct stmt){ .id = s->id, .state = s->state,
	    .text = arena_strdup(l->a, s->text) };
	if (l->v[l->n].text == NULL)
		return 1;
	l->n++;
	return 0;
}

static struct stmt *
find(struct stmts *l, int64_t id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].id == id)
			return &l->v[i];
	return NULL;
}

static void
tally(struct stmts *l, const struct poll_votes *vs, const struct question *g)
{
	for (size_t i = 0; i < vs->n; i++) {
		struct stmt *s = vs->v[i].item > 0 ? find(l, vs->v[i].item) : NULL;
		long gi = g && vs->v[i].group ? question_option_index(g, vs->v[i].group) : -1;
		int agree = strcmp(vs->v[i].value, "agree") == 0;
		if (s == NULL)
			continue;
		s->agree += agree;
		s->disagree += strcmp(vs->v[i].value, "disagree") == 0;
		s->pass += strcmp(vs->v[i].value, "pass") == 0;
		if (gi >= 0 && gi < MAX_GROUPS) {
			s->g_agree[gi] += agree;
			s->g_n[gi]++;
		}
	}
}

static json_t *
count_json(long n, int suppress)
{
	return suppress > 0 && n > 0 && n < suppress ? json_null() : json_integer(n);
}

static json_t *
stmt_json(const struct stmt *s, int suppress)
{
	json_t *j = json_pack("{s:I,s:s,s:s,s:o,s:o,s:o}", "id", (json_int_t)s->id, "text",
	    s->text, "state", state_names[s->state], "agree", count_json(s->agree, suppress),
	    "disagree", count_json(s->disagree, suppress), "pass", count_json(s->pass, suppress));

	if (j != NULL && suppress == 0)	/* the console's moderation list */
		json_object_set_new(j, "waiting", json_boolean(s->state == SPS_WAITING));
	return j;
}

/* The TOP approved statements by score (higher first), those with score > 0. */
static json_t *
top(struct stmts *l, int suppress)
{
	json_t *a = json_array();
	int *used = arena_calloc(l->a, l->n + 1, sizeof(*used));

	for (int k = 0; used && k < TOP; k++) {
		size_t best = l->n;
		for (size_t i = 0; i < l->n; i++)
			if (!used[i] && l->v[i].state == SPS_APPROVED && l->v[i].score > 0 &&
			    (best == l->n || l->v[i].score > l->v[best].score))
				best = i;
		if (best == l->n)
			break;
		used[best] = 1;
		json_array_append_new(a, stmt_json(&l->v[best], suppress));
	}
	return a;
}

static void
score_agreed(struct stmts *l)
{
	for (size_t i = 0; i < l->n; i++) {
		long t = l->v[i].agree + l->v[i].disagree + l->v[i].pass;
		l->v[i].score = t ? (double)l->v[i].agree / (double)t + t * 1e-6 : 0;
	}
}

/* Divided: agree and disagree close to an even split, among enough votes.
 * The share is min(agree, disagree) / (agree + disagree), 0.5 for an even
 * split; passes do not count.  A statement is divided only with at least
 * DIVIDED_VOTES agree or disagree votes and a share of at least
 * 1/DIVIDED_SHARE (10 agree and 1 disagree is agreement, not division);
 * the highest share comes first, then the one more people voted on. */
static void
score_divisive(struct stmts *l)
{
	for (size_t i = 0; i < l->n; i++) {
		long a = l->v[i].agree, d = l->v[i].disagree, t = a + d, lo = a < d ? a : d;
		l->v[i].score = t >= DIVIDED_VOTES && lo * DIVIDED_SHARE >= t ?
		    (double)lo / (double)t + (double)t * 1e-9 : 0;
	}
}

/* Spread of agreement (max - min %) across groups big enough to compare. */
static void
score_groups(struct stmts *l, size_t ngroups, int min)
{
	for (size_t i = 0; i < l->n; i++) {
		double lo = 2, hi = -1;
		int k = 0;
		for (size_t g = 0; g < ngroups; g++) {
			double p;
			if (l->v[i].g_n[g] < min)
				continue;
			p = (double)l->v[i].g_agree[g] / (double)l->v[i].g_n[g];
			lo = p < lo ? p : lo;
			hi = p > hi ? p : hi;
			k++;
		}
		l->v[i].score = k >= 2 ? hi - lo + 1e-9 : 0;
	}
}

static json_t *
groups_json(struct stmts *l, const struct question *g, int suppress, int lang)
{
	size_t ng = g->nopts < MAX_GROUPS ? g->nopts : MAX_GROUPS;
	int min = suppress > 0 ? suppress : GROUP_MIN;
	json_t *rows = top(l, suppress), *row;
	size_t i;

	json_array_foreach(rows, i, row) {
		struct stmt *s = find(l, json_integer_value(json_object_get(row, "id")));
		json_t *gs = json_array();
		for (size_t k = 0; s && k < ng; k++)
			if (s->g_n[k] >= min)
				json_array_append_new(gs, json_pack("{s:s,s:I,s:I}", "label",
				    i18n_get(&g->opts[k].text, lang), "n", (json_int_t)s->g_n[k],
				    "agree_pct", (json_int_t)(s->g_agree[k] * 100 / s->g_n[k])));
		json_object_set_new(row, "groups", gs);
	}
	return json_pack("{s:s,s:o}", "question", i18n_get(&g->text, lang), "rows", rows);
}

void
poll_statements_json(struct ctx *c, const struct psess *ps, int q, json_t *o,
    const struct poll_votes *vs, int suppress)
{
	struct stmts l = { .a = c->a };
	int gq = poll_group_question(ps->s);
	const struct question *g = gq >= 0 ? &ps->s->qs[gq] : NULL;
	struct store *st = poll_store(c->app);
	json_t *all;

	if (st == NULL || store_poll_each_statement(st, ps->p.id, q, take, &l) != STORE_OK ||
	    (all = json_array()) == NULL)
		return;
	tally(&l, vs, g);
	for (size_t i = 0; i < l.n; i++)
		if (suppress == 0 || l.v[i].state == SPS_APPROVED)
			json_array_append_new(all, stmt_json(&l.v[i], suppress));
	json_object_set_new(o, "statements", all);
	score_agreed(&l);
	json_object_set_new(o, "most_agreed", top(&l, suppress));
	score_divisive(&l);
	json_object_set_new(o, "most_divisive", top(&l, suppress));
	if (g != NULL) {
		score_groups(&l, g->nopts < MAX_GROUPS ? g->nopts : MAX_GROUPS,
		    suppress > 0 ? suppress : GROUP_MIN);
		json_object_set_new(o, "groups", groups_json(&l, g, suppress,
		    view_lang(c)));
	}
}
