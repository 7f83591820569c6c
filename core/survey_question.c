/* survey_question: one question of a survey file, and the named option lists
 * questions can share ('lists', 'options_from').  Part of the survey loader:
 * survey_parse.c walks the file and calls in here for each question. */
#include <stdio.h>
#include <string.h>
#include "outcome.h"
#include "survey_int.h"

#define T(x)		(1u << (x))
#define CHOICE		(T(Q_SINGLE) | T(Q_MULTI) | T(Q_SCALE) | T(Q_RANKING) | T(Q_LIST))
#define FREETEXT	(T(Q_TEXT) | T(Q_LONGTEXT) | T(Q_WORDCLOUD) | T(Q_STATEMENTS))
#define NUM_LIMIT	2000000000L	/* number questions: min and max within +-this */
#define SCALE_LIMIT	1000L		/* from/to scales: ends within +-this ... */
#define SCALE_POINTS	101		/* ... and at most this many points */
#define LENGTH_LIMIT	100000		/* max_length */

enum okey { OK_CODE, OK_TEXT, OK_MISSING, OK_EXCLUSIVE, OK__MAX };
static const char *const okeys[OK__MAX] = { "code", "text", "missing", "exclusive" };

enum qkey { QK_ID, QK_TYPE, QK_REQUIRED, QK_TEXT, QK_HINT, QK_OPTIONS, QK_OPTIONS_FROM,
	QK_FROM, QK_TO, QK_LOW, QK_HIGH, QK_MAX_CHOICES, QK_RANK, QK_MIN, QK_MAX,
	QK_MAX_LENGTH, QK_SHOW_IF, QK_INDICATOR, QK_OUTCOME, QK_BANDS, QK_ROWS, QK_MIN_ROWS,
	QK__MAX };
static const char *const qkeys[QK__MAX] = {
	"id", "type", "required", "text", "hint", "options", "options_from",
	"from", "to", "low", "high", "max_choices", "rank", "min", "max",
	"max_length", "show_if", "indicator", "outcome", "bands", "rows", "min_rows",
};
/* The question types each key applies to; 0: every type. */
static const unsigned qkey_types[QK__MAX] = {
	[QK_REQUIRED] = ~T(Q_INFO) & (T(Q__MAX) - 1),
	[QK_OPTIONS] = CHOICE | T(Q_GRID),
	[QK_OPTIONS_FROM] = CHOICE | T(Q_GRID),
	[QK_FROM] = T(Q_SCALE) | T(Q_GRID),
	[QK_TO] = T(Q_SCALE) | T(Q_GRID),
	[QK_LOW] = T(Q_SCALE) | T(Q_GRID),
	[QK_HIGH] = T(Q_SCALE) | T(Q_GRID),
	[QK_MAX_CHOICES] = T(Q_MULTI),
	[QK_RANK] = T(Q_RANKING),
	[QK_MIN] = T(Q_NUMBER),
	[QK_MAX] = T(Q_NUMBER),
	[QK_MAX_LENGTH] = T(Q_TEXT) | T(Q_LONGTEXT) | T(Q_WORDCLOUD),
	[QK_OUTCOME] = FREETEXT,
	[QK_BANDS] = T(Q_NUMBER),
	[QK_INDICATOR] = ~T(Q_GRID) & (T(Q__MAX) - 1),	/* a grid's rows have their own */
	[QK_ROWS] = T(Q_GRID),
	[QK_MIN_ROWS] = T(Q_GRID),
};
enum rkey { RK_ID, RK_TEXT, RK_HINT, RK_INDICATOR, RK__MAX };
static const char *const rkeys[RK__MAX] = { "id", "text", "hint", "indicator" };
static const int default_length[Q__MAX] = {
	[Q_TEXT] = 200, [Q_LONGTEXT] = 2000, [Q_WORDCLOUD] = 40, [Q_STATEMENTS] = 200,
};

static int
option(struct ps *ps, yaml_node_t *n, struct option *o)
{
	yaml_node_t	*v[OK__MAX];

	if (ld_fields(ps->ld, n, "an option", okeys, OK__MAX, v) == -1)
		return -1;
	if (v[OK_CODE] == NULL)
		return ld_fail(ps->ld, n, "an option has no 'code'");
	if (ld_empty(v[OK_TEXT]))
		return ld_fail(ps->ld, n, "an option has no 'text'");
	if (ld_code(ps->ld, v[OK_CODE], "option code", &o->code) == -1 ||
	    ps_text(ps, v[OK_TEXT], "text", &o->text) == -1)
		return -1;
	if (v[OK_MISSING] != NULL && ld_bool(ps->ld, v[OK_MISSING], "missing", &o->missing) == -1)
		return -1;
	if (v[OK_EXCLUSIVE] != NULL &&
	    ld_bool(ps->ld, v[OK_EXCLUSIVE], "exclusive", &o->exclusive) == -1)
		return -1;
	return 0;
}

/* A list of options; codes are unique within it. */
static int
options(struct ps *ps, yaml_node_t *n, const char *what, struct option **out, size_t *nout)
{
	yaml_node_item_t	*it;
	yaml_node_t		*o;
	size_t			 i, j, cnt;

	if (ld_seq(ps->ld, n, what, &it, &cnt) == -1)
		return -1;
	if (cnt > SURVEY_MAX_OPTIONS)
		return ld_fail(ps->ld, n, "'%s' has more than %d options", what, SURVEY_MAX_OPTIONS);
	if ((*out = ps_alloc(ps, cnt, sizeof(**out))) == NULL)
		return -1;
	for (i = 0; i < cnt; i++) {
		o = ld_node(ps->ld, it[i]);
		if (option(ps, o, *out + i) == -1)
			return -1;
		for (j = 0; j < i; j++)
			if (strcmp((*out)[j].code, (*out)[i].code) == 0)
				return ld_fail(ps->ld, o, "option code '%s' is used twice in '%s'",
				    (*out)[i].code, what);
	}
	*nout = cnt;
	return 0;
}

int
ps_lists(struct ps *ps, yaml_node_t *n)
{
	yaml_node_pair_t	*p;
	struct list		*l;
	size_t			 i;

	if (n == NULL)
		return 0;
	if (ld_map(ps->ld, n, "lists") == -1 ||
	    (ps->lists = ps_alloc(ps, ps_count(n), sizeof(*ps->lists))) == NULL)
		return -1;
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		l = &ps->lists[ps->nlists];
		if (ld_id(ps->ld, ld_node(ps->ld, p->key), "list name", &l->name) == -1)
			return -1;
		for (i = 0; i < ps->nlists; i++)
			if (strcmp(ps->lists[i].name, l->name) == 0)
				return ld_fail(ps->ld, ld_node(ps->ld, p->key),
				    "list '%s' is given twice", l->name);
		if (options(ps, ld_node(ps->ld, p->value), l->name, &l->opts, &l->n) == -1)
			return -1;
		ps->nlists++;
	}
	return 0;
}

/* Appends " – label" to an end point of a from/to scale, in every language. */
static int
scale_label(struct ps *ps, yaml_node_t *n, const char *what, struct option *o)
{
	struct i18n	 label = { { NULL } };
	size_t		 i;

	if (n == NULL)
		return 0;
	if (ps_text(ps, n, what, &label) == -1)
		return -1;
	for (i = 0; i < ps->s->nlangs; i++)
		if ((o->text.s[i] = arena_printf(ps->ld->mem, "%s \u2013 %s", o->code,
		    label.s[i])) == NULL)
			return ld_fail(ps->ld, n, "out of memory");
	return 0;
}

/* 'from'/'to' scale: options "from".."to", the number as their text. */
static int
scale_range(struct ps *ps, yaml_node_t *map, yaml_node_t **v, struct question *q)
{
	long	 from, to, x;
	size_t	 i, l;

	if (v[QK_FROM] == NULL || v[QK_TO] == NULL)
		return ld_fail(ps->ld, map, "a scale needs both 'from' and 'to'");
	if (ld_long(ps->ld, v[QK_FROM], "from", -SCALE_LIMIT, SCALE_LIMIT, &from) == -1 ||
	    ld_long(ps->ld, v[QK_TO], "to", -SCALE_LIMIT, SCALE_LIMIT, &to) == -1)
		return -1;
	if (to <= from || to - from >= SCALE_POINTS)
		return ld_fail(ps->ld, v[QK_TO], "'to' must be above 'from', with at most %d "
		    "points between them", SCALE_POINTS);
	q->nopts = (size_t)(to - from + 1);
	if ((q->opts = ps_alloc(ps, q->nopts, sizeof(*q->opts))) == NULL)
		return -1;
	for (i = 0, x = from; x <= to; i++, x++) {
		if ((q->opts[i].code = arena_printf(ps->ld->mem, "%ld", x)) == NULL)
			return ld_fail(ps->ld, map, "out of memory");
		for (l = 0; l < ps->s->nlangs; l++)
			q->opts[i].text.s[l] = q->opts[i].code;
	}
	if (scale_label(ps, v[QK_LOW], "low", &q->opts[0]) == -1 ||
	    scale_label(ps, v[QK_HIGH], "high", &q->opts[q->nopts - 1]) == -1)
		return -1;
	return 0;
}

static int
options_from(struct ps *ps, yaml_node_t *n, struct question *q)
{
	const char	*name;
	size_t		 i;

	if (ld_id(ps->ld, n, "options_from", &name) == -1)
		return -1;
	for (i = 0; i < ps->nlists; i++)
		if (strcmp(ps->lists[i].name, name) == 0) {
			q->opts = ps->lists[i].opts;
			q->nopts = ps->lists[i].n;
			return 0;
		}
	return ld_fail(ps->ld, n, "'options_from' names list '%s', which is not under 'lists'",
	    name);
}

/* options, options_from, or from/to (scales). */
static int
q_options(struct ps *ps, yaml_node_t *map, yaml_node_t **v, struct question *q)
{
	int	 range = v[QK_FROM] != NULL || v[QK_TO] != NULL;
	size_t	 i;

	if (v[QK_OPTIONS] != NULL && v[QK_OPTIONS_FROM] != NULL)
		return ld_fail(ps->ld, map, "give either 'options' or 'options_from', not both");
	if (range && (v[QK_OPTIONS] != NULL || v[QK_OPTIONS_FROM] != NULL))
		return ld_fail(ps->ld, map, "give a scale either 'options' or 'from' and 'to', "
		    "not both");
	if (!range && (v[QK_LOW] != NULL || v[QK_HIGH] != NULL))
		return ld_fail(ps->ld, map, "'low' and 'high' label the ends of a scale given "
		    "with 'from' and 'to'");
	if ((range && scale_range(ps, map, v, q) == -1) ||
	    (v[QK_OPTIONS] && options(ps, v[QK_OPTIONS], "options", &q->opts, &q->nopts) == -1) ||
	    (v[QK_OPTIONS_FROM] && options_from(ps, v[QK_OPTIONS_FROM], q) == -1))
		return -1;
	if (((CHOICE | T(Q_GRID)) & T(q->type)) && q->nopts == 0)
		return ld_fail(ps->ld, map, "a '%s' question needs 'options'%s",
		    qtype_names[q->type], q->type == Q_SCALE || q->type == Q_GRID ?
		    " (or 'from' and 'to')" :
		    " (or 'options_from')");
	for (i = 0; i < q->nopts; i++)
		if (q->opts[i].exclusive && q->type != Q_MULTI)
			return ld_fail(ps->ld, map, "option '%s' is 'exclusive', which only "
			    "applies to a multi question", q->opts[i].code);
	return 0;
}

/* max_choices, rank, min/max, max_length, with their defaults. */
static int
q_limits(struct ps *ps, yaml_node_t **v, struct question *q)
{
	int	 n = (int)q->nopts;

	q->rank = n;
	q->max_length = default_length[q->type];
	if (q->type == Q_NUMBER)
		q->max = 1000000;
	if ((v[QK_MAX_CHOICES] && ld_int(ps->ld, v[QK_MAX_CHOICES], "max_choices", 1, n,
	    &q->max_choices) == -1) ||
	    (v[QK_RANK] && ld_int(ps->ld, v[QK_RANK], "rank", 1, n, &q->rank) == -1) ||
	    (v[QK_MIN] && ld_long(ps->ld, v[QK_MIN], "min", -NUM_LIMIT, NUM_LIMIT, &q->min) == -1) ||
	    (v[QK_MAX] && ld_long(ps->ld, v[QK_MAX], "max", -NUM_LIMIT, NUM_LIMIT, &q->max) == -1) ||
	    (v[QK_MAX_LENGTH] && ld_int(ps->ld, v[QK_MAX_LENGTH], "max_length", 1, LENGTH_LIMIT,
	    &q->max_length) == -1))
		return -1;
	if (q->min > q->max)
		return ld_fail(ps->ld, v[QK_MIN] ? v[QK_MIN] : v[QK_MAX], "'min' (%ld) is above "
		    "'max' (%ld)", q->min, q->max);
	return 0;
}

/* bands: [0, 5, 10, 20] for 0-4, 5-9, 10-19, 20 and over: lower bounds,
 * strictly ascending, within [min, max] (checked after min and max). */
static int
q_bands(struct ps *ps, yaml_node_t *n, struct question *q)
{
	yaml_node_item_t	*it;
	long			*b;
	size_t			 i, cnt;

	if (n == NULL)
		return 0;
	if (ld_seq(ps->ld, n, "bands", &it, &cnt) == -1)
		return -1;
	if (cnt > SURVEY_MAX_BANDS)
		return ld_fail(ps->ld, n, "'bands' has more than %d bands", SURVEY_MAX_BANDS);
	if ((b = ps_alloc(ps, cnt, sizeof(*b))) == NULL)
		return -1;
	for (i = 0; i < cnt; i++) {
		yaml_node_t *v = ld_node(ps->ld, it[i]);
		if (ld_long(ps->ld, v, "bands", q->min, q->max, &b[i]) == -1)
			return -1;
		if (i > 0 && b[i] <= b[i - 1])
			return ld_fail(ps->ld, v, "'bands' must go up: %ld follows %ld", b[i],
			    b[i - 1]);
	}
	q->bands = b;
	q->nbands = cnt;
	return 0;
}

static int
q_type(struct ps *ps, yaml_node_t *map, yaml_node_t **v, struct question *q)
{
	const char	*name;
	int		 t, k;

	if (v[QK_TYPE] == NULL)
		return ld_fail(ps->ld, map, "question '%s' has no 'type'", q->id);
	if (ld_str(ps->ld, v[QK_TYPE], "type", &name) == -1)
		return -1;
	for (t = 0; t < Q__MAX && strcmp(name, qtype_names[t]) != 0; t++)
		continue;
	if (t == Q__MAX)
		return ld_fail(ps->ld, v[QK_TYPE], "unknown question type '%s' (use info, single, "
		    "multi, scale, grid, ranking, text, longtext, number, list, wordcloud or "
		    "statements)", name);
	q->type = (enum qtype)t;
	if (t == Q_GRID && ps->s->kind == SK_POLL)
		return ld_fail(ps->ld, v[QK_TYPE], "a 'grid' question only works in a survey, "
		    "not in a poll set");
	if ((t == Q_WORDCLOUD || t == Q_STATEMENTS) && ps->s->kind != SK_POLL)
		return ld_fail(ps->ld, v[QK_TYPE], "a '%s' question only works in a poll set "
		    "(kind: poll)", name);
	for (k = 0; k < QK__MAX; k++)
		if (v[k] != NULL && qkey_types[k] != 0 && !(qkey_types[k] & T(t)))
			return ld_fail(ps->ld, v[k], "'%s' does not apply to a '%s' question",
			    qkeys[k], name);
	return 0;
}

/* id, indicator and outcome. */
static int
q_names(struct ps *ps, yaml_node_t *map, yaml_node_t **v, struct question *q, size_t qi)
{
	size_t	 i;
	char	 use[256];

	if (v[QK_ID] == NULL)
		return ld_fail(ps->ld, map, "a question has no 'id'");
	if (ld_id(ps->ld, v[QK_ID], "question id", &q->id) == -1)
		return -1;
	for (i = 0; i < qi; i++)
		if (strcmp(ps->s->qs[i].id, q->id) == 0)
			return ld_fail(ps->ld, v[QK_ID], "question id '%s' is used twice (first on "
			    "line %d)", q->id, ps->s->qs[i].line);
	if (v[QK_INDICATOR] && ld_id(ps->ld, v[QK_INDICATOR], "indicator", &q->indicator) == -1)
		return -1;
	if (v[QK_OUTCOME] == NULL)
		return 0;
	if (ld_str(ps->ld, v[QK_OUTCOME], "outcome", &q->outcome) == -1)
		return -1;
	if (outcome_known(q->outcome))
		return 0;
	outcome_list(use, sizeof(use));
	return ld_fail(ps->ld, v[QK_OUTCOME], "unknown outcome '%s' (use %s)", q->outcome, use);
}

/* Row r (1-based) of grid qs[gi]: the scale question qs[gi + r], with the
 * grid's options, page, condition and 'required'.  Its id is a question id
 * like any other (stored answers and the analysis use it). */
static int
grid_row(struct ps *ps, yaml_node_t *n, size_t gi, int r)
{
	struct question	*g = &ps->s->qs[gi], *q = &ps->s->qs[gi + (size_t)r];
	yaml_node_t	*v[RK__MAX];
	size_t		 i;

	q->line = yn_line(n);
	if (ld_fields(ps->ld, n, "a row", rkeys, RK__MAX, v) == -1)
		return -1;
	if (v[RK_ID] == NULL)
		return ld_fail(ps->ld, n, "a row of grid '%s' has no 'id'", g->id);
	if (ld_id(ps->ld, v[RK_ID], "row id", &q->id) == -1)
		return -1;
	for (i = 0; i < gi + (size_t)r; i++)
		if (strcmp(ps->s->qs[i].id, q->id) == 0 && i > gi)
			return ld_fail(ps->ld, v[RK_ID], "row id '%s' is used twice in grid '%s'",
			    q->id, g->id);
		else if (strcmp(ps->s->qs[i].id, q->id) == 0)
			return ld_fail(ps->ld, v[RK_ID], "row id '%s' is already the id of a "
			    "question (line %d); a row's id is a question id", q->id,
			    ps->s->qs[i].line);
	if (ld_empty(v[RK_TEXT]))
		return ld_fail(ps->ld, n, "row '%s' has no 'text'", q->id);
	if (ps_text(ps, v[RK_TEXT], "text", &q->text) == -1 ||
	    ps_text(ps, v[RK_HINT], "hint", &q->hint) == -1 ||
	    (v[RK_INDICATOR] && ld_id(ps->ld, v[RK_INDICATOR], "indicator", &q->indicator) == -1))
		return -1;
	q->type = Q_SCALE;
	q->required = g->required;
	q->opts = g->opts;
	q->nopts = g->nopts;
	q->rank = (int)g->nopts;
	q->page = g->page;
	q->row = r;
	return 0;
}

/* rows and min_rows of grid qs[gi], whose options are read: they pass to
 * the rows, and the grid keeps none. */
static int
grid_rows(struct ps *ps, yaml_node_t *map, yaml_node_t **v, size_t gi)
{
	struct question		*g = &ps->s->qs[gi];
	yaml_node_item_t	*it;
	size_t			 i, cnt;

	if (v[QK_ROWS] == NULL)
		return ld_fail(ps->ld, map, "grid '%s' has no 'rows'", g->id);
	if (ld_seq(ps->ld, v[QK_ROWS], "rows", &it, &cnt) == -1)
		return -1;
	if (cnt > SURVEY_MAX_GRID_ROWS)
		return ld_fail(ps->ld, v[QK_ROWS], "grid '%s' has %zu rows; a grid can have at "
		    "most %d (split it into two grids)", g->id, cnt, SURVEY_MAX_GRID_ROWS);
	if (v[QK_MIN_ROWS] != NULL && g->required)
		return ld_fail(ps->ld, v[QK_MIN_ROWS], "give grid '%s' either 'required' (every "
		    "row) or 'min_rows', not both", g->id);
	if (v[QK_MIN_ROWS] != NULL && ld_int(ps->ld, v[QK_MIN_ROWS], "min_rows", 1, (int)cnt,
	    &g->min_rows) == -1)
		return -1;
	for (i = 0; i < cnt; i++)
		if (grid_row(ps, ld_node(ps->ld, it[i]), gi, (int)i + 1) == -1)
			return -1;
	g->rows = cnt;
	g->opts = NULL;
	g->nopts = 0;
	return 0;
}

int
ps_question(struct ps *ps, yaml_node_t *map, size_t qi)
{
	struct question	*q = &ps->s->qs[qi];
	yaml_node_t	*v[QK__MAX];

	q->line = yn_line(map);
	if (ld_fields(ps->ld, map, "a question", qkeys, QK__MAX, v) == -1 ||
	    q_names(ps, map, v, q, qi) == -1 || q_type(ps, map, v, q) == -1)
		return -1;
	if (ld_empty(v[QK_TEXT]))
		return ld_fail(ps->ld, map, "question '%s' has no 'text'", q->id);
	if (ps_text(ps, v[QK_TEXT], "text", &q->text) == -1 ||
	    ps_text(ps, v[QK_HINT], "hint", &q->hint) == -1)
		return -1;
	if (v[QK_REQUIRED] && ld_bool(ps->ld, v[QK_REQUIRED], "required", &q->required) == -1)
		return -1;
	if (q_options(ps, map, v, q) == -1 || q_limits(ps, v, q) == -1 ||
	    q_bands(ps, v[QK_BANDS], q) == -1 ||
	    (q->type == Q_GRID && grid_rows(ps, map, v, qi) == -1))
		return -1;
	ps->qcond[qi] = v[QK_SHOW_IF];
	return 0;
}

