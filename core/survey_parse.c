/* survey_parse: one survey file (docs/survey-author.md) as a struct survey.
 * Every rule of the format is checked here, so the rest of the program can
 * trust the model: ids are valid and unique, every choice question has
 * options, every condition names an earlier question and codes it has, and
 * every listed language has every text the default language has.  Messages
 * are written for the policy officer who edits the file.  Each question is
 * read in survey_question.c. */
#include <stdio.h>
#include <string.h>
#include "sdc.h"
#include "survey_int.h"

enum tkey { TK_ID, TK_VERSION, TK_KIND, TK_AUDIENCE, TK_LANGUAGES, TK_SUPPRESS,
	TK_ONE_PER_DEVICE, TK_TITLE, TK_INTRO, TK_PRIVACY, TK_DONE, TK_HELP_TITLE,
	TK_HELP, TK_LISTS, TK_PAGES, TK_WAVE, TK_STATE, TK_OPENS, TK_CLOSES, TK_GRACE,
	TK_SAFEGUARDING, TK_KEEP_UNTIL, TK_KEEP_DAYS, TK__MAX };
static const char *const tkeys[TK__MAX] = {
	"id", "version", "kind", "audience", "languages", "suppress_below",
	"one_per_device", "title", "intro", "privacy", "done", "help_title",
	"help", "lists", "pages", "wave", "state", "opens", "closes", "grace",
	"safeguarding", "keep_until", "keep_days",
};

enum lkey { LK_CODE, LK_NAME, LK_DIR, LK__MAX };
static const char *const lkeys[LK__MAX] = { "code", "name", "dir" };

enum hkey { HK_NAME, HK_DETAIL, HK_TEL, HK_URL, HK__MAX };
static const char *const hkeys[HK__MAX] = { "name", "detail", "tel", "url" };


enum pkey { PK_ID, PK_TITLE, PK_INTRO, PK_SHOW_IF, PK_QUESTIONS, PK_SAFEGUARDING, PK__MAX };
static const char *const pkeys[PK__MAX] = { "id", "title", "intro", "show_if", "questions",
	"safeguarding" };

enum ckey { CK_QUESTION, CK_ANY_OF, CK_NONE_OF, CK_NEGATE, CK__MAX };
static const char *const ckeys[CK__MAX] = { "question", "any_of", "none_of", "negate" };


size_t
ps_count(const yaml_node_t *n)
{
	if (n == NULL)
		return 0;
	if (n->type == YAML_SEQUENCE_NODE)
		return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (n->type == YAML_MAPPING_NODE)
		return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	return 0;
}

void *
ps_alloc(struct ps *ps, size_t n, size_t size)
{
	void	*p = arena_calloc(ps->ld->mem, n + 1, size);

	if (p == NULL)
		ld_fail(ps->ld, NULL, "out of memory");
	return p;
}

static int
no_version(struct ps *ps, yaml_node_t *n, const char *what, size_t lang)
{
	return ld_fail(ps->ld, n, "'%s' has no %s (%s) version; every language the survey "
	    "lists needs one", what, ps->s->langs[lang].name, ps->s->langs[lang].code);
}

/* A text field: plain text in the default language, or a mapping by language
 * code.  Absent (NULL) leaves t empty; present, it needs every listed language. */
int
ps_text(struct ps *ps, yaml_node_t *n, const char *what, struct i18n *t)
{
	const struct survey	*s = ps->s;
	yaml_node_pair_t	*p;
	yaml_node_t		*k;
	size_t			 i;
	int			 l;

	if (n == NULL)
		return 0;
	if (n->type != YAML_MAPPING_NODE) {
		if (ld_str(ps->ld, n, what, &t->s[0]) == -1)
			return -1;
		return s->nlangs > 1 ? no_version(ps, n, what, 1) : 0;
	}
	if (ld_map(ps->ld, n, what) == -1)
		return -1;
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		k = ld_node(ps->ld, p->key);
		if (k->type != YAML_SCALAR_NODE)
			return ld_fail(ps->ld, k, "'%s' should be text, or texts by language code",
			    what);
		if ((l = survey_lang_index(s, (const char *)k->data.scalar.value)) == -1)
			return ld_fail(ps->ld, k, "'%s' has a text in '%s', a language the survey "
			    "does not list under 'languages'", what, k->data.scalar.value);
		if (t->s[l] != NULL)
			return ld_fail(ps->ld, k, "'%s' has two %s texts", what, s->langs[l].code);
		if (ld_str(ps->ld, ld_node(ps->ld, p->value), what, &t->s[l]) == -1)
			return -1;
	}
	for (i = 0; i < s->nlangs; i++)
		if (t->s[i] == NULL)
			return no_version(ps, n, what, i);
	return 0;
}

/* One entry of 'languages': {code, name, dir}. */
static int
language(struct ps *ps, yaml_node_t *n, struct lang *lg)
{
	yaml_node_t	*v[LK__MAX];
	const char	*dir = "ltr";
	size_t		 i;

	if (ld_fields(ps->ld, n, "a language", lkeys, LK__MAX, v) == -1)
		return -1;
	if (v[LK_CODE] == NULL)
		return ld_fail(ps->ld, n, "a language has no 'code'");
	if (ld_str(ps->ld, v[LK_CODE], "code", &lg->code) == -1)
		return -1;
	if (!ld_is_lang_code(lg->code))
		return ld_fail(ps->ld, v[LK_CODE], "'%s' is not a language code (like en, tr "
		    "or pt-BR)", lg->code);
	if (!ui_has_lang(ps->ui, lg->code))
		return ld_fail(ps->ld, v[LK_CODE], "language '%s' is not in ui.yaml; its "
		    "buttons and messages must be translated there first", lg->code);
	for (i = 0; i < ps->s->nlangs; i++)
		if (strcmp(ps->s->langs[i].code, lg->code) == 0)
			return ld_fail(ps->ld, v[LK_CODE], "language '%s' is listed twice",
			    lg->code);
	lg->name = lg->code;
	if (v[LK_NAME] != NULL && ld_str(ps->ld, v[LK_NAME], "name", &lg->name) == -1)
		return -1;
	if (v[LK_DIR] != NULL && ld_str(ps->ld, v[LK_DIR], "dir", &dir) == -1)
		return -1;
	if (strcmp(dir, "ltr") != 0 && strcmp(dir, "rtl") != 0)
		return ld_fail(ps->ld, v[LK_DIR], "'dir' should be ltr or rtl");
	lg->rtl = dir[0] == 'r';
	return 0;
}

/* Without 'languages' a survey offers the default language of ui.yaml. */
static int
languages(struct ps *ps, yaml_node_t *n)
{
	yaml_node_item_t	*it;
	size_t			 i, cnt;

	if (n == NULL) {
		ps->s->langs[0].code = ps->s->langs[0].name = ui_default_lang(ps->ui);
		ps->s->nlangs = 1;
		return 0;
	}
	if (ld_seq(ps->ld, n, "languages", &it, &cnt) == -1)
		return -1;
	if (cnt > SURVEY_MAX_LANGS)
		return ld_fail(ps->ld, n, "a survey can offer at most %d languages, not %zu",
		    SURVEY_MAX_LANGS, cnt);
	for (i = 0; i < cnt; i++, ps->s->nlangs++)
		if (language(ps, ld_node(ps->ld, it[i]), &ps->s->langs[i]) == -1)
			return -1;
	return 0;
}

static int
plain_chars(const char *s, const char *allowed)
{
	for (; *s != '\0'; s++)
		if (strchr(allowed, *s) == NULL)
			return 0;
	return 1;
}

/* The number as a tel: link wants it: without the spaces. */
static const char *
tel_uri(struct ps *ps, const char *tel)
{
	char	*t, *w;

	if ((t = w = ps_alloc(ps, strlen(tel), 1)) == NULL)
		return NULL;
	for (; *tel != '\0'; tel++)
		if (*tel != ' ')
			*w++ = *tel;
	return t;
}

int
ps_help_item(struct ps *ps, yaml_node_t *n, struct help_item *h)
{
	yaml_node_t	*v[HK__MAX];

	if (ld_fields(ps->ld, n, "a help item", hkeys, HK__MAX, v) == -1)
		return -1;
	if (ld_empty(v[HK_NAME]))
		return ld_fail(ps->ld, n, "a help item has no 'name'");
	if (ps_text(ps, v[HK_NAME], "name", &h->name) == -1 ||
	    ps_text(ps, v[HK_DETAIL], "detail", &h->detail) == -1)
		return -1;
	if (v[HK_TEL] != NULL && (ld_str(ps->ld, v[HK_TEL], "tel", &h->tel) == -1 ||
	    !plain_chars(h->tel, "0123456789 +-()")))
		return ld_fail(ps->ld, v[HK_TEL], "'tel' should be a phone number, like 0800 1111");
	if (h->tel != NULL && (h->tel_uri = tel_uri(ps, h->tel)) == NULL)
		return -1;
	if (v[HK_URL] != NULL && (ld_str(ps->ld, v[HK_URL], "url", &h->url) == -1 ||
	    (strncmp(h->url, "https://", 8) != 0 && strncmp(h->url, "http://", 7) != 0) ||
	    strpbrk(h->url, " \"'<>\\`") != NULL))
		return ld_fail(ps->ld, v[HK_URL], "'url' should be a web address starting "
		    "with https://");
	return 0;
}

static int
help(struct ps *ps, yaml_node_t *n)
{
	yaml_node_item_t	*it;
	size_t			 i;

	if (n == NULL)
		return 0;
	if (ld_seq(ps->ld, n, "help", &it, &ps->s->nhelp) == -1 ||
	    (ps->s->help = ps_alloc(ps, ps->s->nhelp, sizeof(*ps->s->help))) == NULL)
		return -1;
	for (i = 0; i < ps->s->nhelp; i++)
		if (ps_help_item(ps, ld_node(ps->ld, it[i]), &ps->s->help[i]) == -1)
			return -1;
	return 0;
}

/* The rows of the grids in a page's list of questions: each is a question. */
static size_t
count_rows(struct ps *ps, yaml_node_t *qs)
{
	yaml_node_item_t	*it;
	yaml_node_pair_t	*p;
	yaml_node_t		*q, *k;
	size_t			 n = 0;

	if (qs == NULL || qs->type != YAML_SEQUENCE_NODE)
		return 0;
	for (it = qs->data.sequence.items.start; it < qs->data.sequence.items.top; it++) {
		if ((q = ld_node(ps->ld, *it)) == NULL || q->type != YAML_MAPPING_NODE)
			continue;
		for (p = q->data.mapping.pairs.start; p < q->data.mapping.pairs.top; p++) {
			k = ld_node(ps->ld, p->key);
			if (k != NULL && k->type == YAML_SCALAR_NODE &&
			    strcmp((const char *)k->data.scalar.value, "rows") == 0)
				n += ps_count(ld_node(ps->ld, p->value));
		}
	}
	return n;
}

/* Each page's questions, counted before they are parsed so qs is one array. */
static int
count_questions(struct ps *ps, yaml_node_t *pages, yaml_node_item_t *it, size_t npages)
{
	yaml_node_pair_t	*p;
	yaml_node_t		*pg, *k;
	size_t			 i, n = 0;

	for (i = 0; i < npages; i++) {
		pg = ld_node(ps->ld, it[i]);
		if (pg->type != YAML_MAPPING_NODE)
			continue;
		for (p = pg->data.mapping.pairs.start; p < pg->data.mapping.pairs.top; p++) {
			k = ld_node(ps->ld, p->key);
			if (k->type == YAML_SCALAR_NODE &&
			    strcmp((const char *)k->data.scalar.value, "questions") == 0)
				n += ps_count(ld_node(ps->ld, p->value)) +
				    count_rows(ps, ld_node(ps->ld, p->value));
		}
	}
	if (n > SURVEY_MAX_QUESTIONS)
		return ld_fail(ps->ld, pages, "a survey can have at most %d questions",
		    SURVEY_MAX_QUESTIONS);
	if ((ps->s->qs = ps_alloc(ps, n, sizeof(*ps->s->qs))) == NULL ||
	    (ps->qcond = ps_alloc(ps, n, sizeof(*ps->qcond))) == NULL)
		return -1;
	return 0;
}

static int
page(struct ps *ps, yaml_node_t *map, size_t pi)
{
	struct survey		*s = ps->s;
	struct page		*pg = &s->pages[pi];
	yaml_node_t		*v[PK__MAX];
	yaml_node_item_t	*it;
	size_t			 i;

	pg->line = yn_line(map);
	if (ld_fields(ps->ld, map, "a page", pkeys, PK__MAX, v) == -1)
		return -1;
	if (v[PK_ID] == NULL)
		return ld_fail(ps->ld, map, "a page has no 'id'");
	if (ld_id(ps->ld, v[PK_ID], "page id", &pg->id) == -1)
		return -1;
	for (i = 0; i < pi; i++)
		if (strcmp(s->pages[i].id, pg->id) == 0)
			return ld_fail(ps->ld, v[PK_ID], "page id '%s' is used twice (first on "
			    "line %d)", pg->id, s->pages[i].line);
	if (ps_text(ps, v[PK_TITLE], "title", &pg->title) == -1 ||
	    ps_text(ps, v[PK_INTRO], "intro", &pg->intro) == -1 ||
	    (v[PK_SAFEGUARDING] && ld_bool(ps->ld, v[PK_SAFEGUARDING], "safeguarding",
	    &pg->safeguarding) == -1))
		return -1;
	if (v[PK_QUESTIONS] == NULL)
		return ld_fail(ps->ld, map, "page '%s' has no 'questions'", pg->id);
	if (ld_seq(ps->ld, v[PK_QUESTIONS], "questions", &it, &pg->count) == -1)
		return -1;
	pg->first = s->nqs;
	for (i = 0; i < pg->count; i++) {
		s->qs[s->nqs].page = pi;
		if (ps_question(ps, ld_node(ps->ld, it[i]), s->nqs) == -1)
			return -1;
		s->nqs += 1 + s->qs[s->nqs].rows;
	}
	pg->count = s->nqs - pg->first;
	ps->pcond[pi] = v[PK_SHOW_IF];
	return 0;
}

static int
pages(struct ps *ps, yaml_node_t *n, yaml_node_t *root)
{
	yaml_node_item_t	*it;
	size_t			 i;

	if (n == NULL)
		return ld_fail(ps->ld, root, "the survey has no 'pages'");
	if (ld_seq(ps->ld, n, "pages", &it, &ps->s->npages) == -1)
		return -1;
	if (ps->s->npages > SURVEY_MAX_PAGES)
		return ld_fail(ps->ld, n, "a survey can have at most %d pages", SURVEY_MAX_PAGES);
	if ((ps->s->pages = ps_alloc(ps, ps->s->npages, sizeof(*ps->s->pages))) == NULL ||
	    (ps->pcond = ps_alloc(ps, ps->s->npages, sizeof(*ps->pcond))) == NULL ||
	    count_questions(ps, n, it, ps->s->npages) == -1)
		return -1;
	for (i = 0; i < ps->s->npages; i++)
		if (page(ps, ld_node(ps->ld, it[i]), i) == -1)
			return -1;
	return 0;
}

/* The codes of any_of / none_of: one code or a list; each one target has. */
static int
cond_codes(struct ps *ps, yaml_node_t *n, const struct question *t, struct cond *c)
{
	yaml_node_item_t	*it = NULL;
	yaml_node_t		*k;
	size_t			 i, cnt = 1;

	if (n->type != YAML_SCALAR_NODE && ld_seq(ps->ld, n, "any_of", &it, &cnt) == -1)
		return -1;
	if ((c->codes = ps_alloc(ps, cnt, sizeof(*c->codes))) == NULL)
		return -1;
	for (i = 0; i < cnt; i++) {
		k = it != NULL ? ld_node(ps->ld, it[i]) : n;
		if (ld_code(ps->ld, k, "answer code", &c->codes[i]) == -1)
			return -1;
		if (question_option_index(t, c->codes[i]) == -1)
			return ld_fail(ps->ld, k, "condition names answer '%s', which question "
			    "'%s' does not have", c->codes[i], t->id);
	}
	c->ncodes = cnt;
	return 0;
}

/* show_if of a page or a question on page `page`. */
static int
cond(struct ps *ps, yaml_node_t *n, size_t page, const struct cond **out)
{
	yaml_node_t	*v[CK__MAX];
	const char	*qid;
	struct cond	*c;
	long		 q;

	if (n == NULL)
		return 0;
	if (ld_fields(ps->ld, n, "show_if", ckeys, CK__MAX, v) == -1 ||
	    (c = ps_alloc(ps, 1, sizeof(*c))) == NULL)
		return -1;
	if (v[CK_QUESTION] == NULL)
		return ld_fail(ps->ld, n, "'show_if' needs 'question'");
	if (ld_id(ps->ld, v[CK_QUESTION], "question", &qid) == -1)
		return -1;
	if ((q = survey_question_index(ps->s, qid)) == -1)
		return ld_fail(ps->ld, v[CK_QUESTION], "condition names question '%s', which "
		    "does not exist", qid);
	if (ps->s->qs[q].page >= page)
		return ld_fail(ps->ld, v[CK_QUESTION], "condition names question '%s', which is "
		    "on the same page or a later one; it can only name a question on an "
		    "earlier page", qid);
	if (ps->s->qs[q].nopts == 0)
		return ld_fail(ps->ld, v[CK_QUESTION], "condition names question '%s', which has "
		    "no options to match", qid);
	if ((v[CK_ANY_OF] == NULL) == (v[CK_NONE_OF] == NULL))
		return ld_fail(ps->ld, n, "'show_if' needs either 'any_of' or 'none_of' with "
		    "the answers to look for");
	if (cond_codes(ps, v[CK_ANY_OF] ? v[CK_ANY_OF] : v[CK_NONE_OF], &ps->s->qs[q], c) == -1)
		return -1;
	if (v[CK_NEGATE] && ld_bool(ps->ld, v[CK_NEGATE], "negate", &c->negate) == -1)
		return -1;
	c->negate ^= v[CK_NONE_OF] != NULL;
	c->q = (size_t)q;
	*out = c;
	return 0;
}

/* Conditions are resolved once every question is known, so a condition that
 * names a later question gets the right message. */
static int
conds(struct ps *ps)
{
	struct survey	*s = ps->s;
	size_t		 i;

	for (i = 0; i < s->npages; i++)
		if (cond(ps, ps->pcond[i], i, &s->pages[i].show_if) == -1)
			return -1;
	for (i = 0; i < s->nqs; i++) {
		if (cond(ps, ps->qcond[i], s->qs[i].page, &s->qs[i].show_if) == -1)
			return -1;
		if (s->qs[i].row > 0)	/* a grid's rows are shown with it */
			s->qs[i].show_if = s->qs[i - (size_t)s->qs[i].row].show_if;
	}
	return 0;
}

static int
word(struct ps *ps, yaml_node_t *n, const char *what, const char *a, const char *b, int *out)
{
	const char	*w;

	if (n == NULL)
		return 0;
	if (ld_str(ps->ld, n, what, &w) == -1)
		return -1;
	if (strcmp(w, a) != 0 && strcmp(w, b) != 0)
		return ld_fail(ps->ld, n, "'%s' should be %s or %s, not '%s'", what, a, b, w);
	*out = strcmp(w, b) == 0;
	return 0;
}

/* keep_until (a date) or keep_days (a number): how long responses are kept
 * (retain.h); one of them at most, so the file never says two things. */
static int
keep(struct ps *ps, yaml_node_t *until, yaml_node_t *days)
{
	const char	*w;

	if (until != NULL && days != NULL)
		return ld_fail(ps->ld, days, "give 'keep_until' or 'keep_days', not both");
	if (days != NULL)
		return ld_int(ps->ld, days, "keep_days", 1, RETAIN_DAYS_MAX, &ps->s->keep.days);
	if (until == NULL)
		return 0;
	if (ld_str(ps->ld, until, "keep_until", &w) == -1)
		return -1;
	if (retain_day(w, &ps->s->keep.until) == -1 || ps->s->keep.until == 0)
		return ld_fail(ps->ld, until, "'keep_until' should be a date such as "
		    "2028-03-31, not '%s'", w);
	return 0;
}

/* version, wave, kind, audience, suppress_below, one_per_device, keep_*. */
static int
settings(struct ps *ps, yaml_node_t **v)
{
	struct survey	*s = ps->s;
	int		 kind = 0, aud = 0;

	s->version = 1;
	s->suppress_below = SDC_K_DEFAULT;
	if (word(ps, v[TK_KIND], "kind", "survey", "poll", &kind) == -1 ||
	    word(ps, v[TK_AUDIENCE], "audience", "resident", "young", &aud) == -1)
		return -1;
	s->kind = kind ? SK_POLL : SK_SURVEY;
	s->audience = aud ? AUD_YOUNG : AUD_RESIDENT;
	if ((v[TK_VERSION] && ld_int(ps->ld, v[TK_VERSION], "version", 1, 1000000,
	    &s->version) == -1) ||
	    (v[TK_WAVE] && ld_str(ps->ld, v[TK_WAVE], "wave", &s->wave) == -1) ||
	    (v[TK_SUPPRESS] && ld_int(ps->ld, v[TK_SUPPRESS], "suppress_below", 1, 1000,
	    &s->suppress_below) == -1) ||
	    (v[TK_ONE_PER_DEVICE] && ld_bool(ps->ld, v[TK_ONE_PER_DEVICE], "one_per_device",
	    &s->one_per_device) == -1) ||
	    keep(ps, v[TK_KEEP_UNTIL], v[TK_KEEP_DAYS]) == -1)
		return -1;
	if (s->audience == AUD_YOUNG && s->suppress_below < SDC_K_DEFAULT)
		return ld_fail(ps->ld, v[TK_SUPPRESS], "a survey for young people needs "
		    "suppress_below of %d or more", SDC_K_DEFAULT);
	return 0;
}

static int
texts(struct ps *ps, yaml_node_t *root, yaml_node_t **v)
{
	struct survey	*s = ps->s;

	if (ld_empty(v[TK_TITLE]))
		return ld_fail(ps->ld, root, "the survey has no 'title'");
	if (ps_text(ps, v[TK_TITLE], "title", &s->title) == -1 ||
	    ps_text(ps, v[TK_INTRO], "intro", &s->intro) == -1 ||
	    ps_text(ps, v[TK_PRIVACY], "privacy", &s->privacy) == -1 ||
	    ps_text(ps, v[TK_DONE], "done", &s->done) == -1 ||
	    ps_text(ps, v[TK_HELP_TITLE], "help_title", &s->help_title) == -1 ||
	    help(ps, v[TK_HELP]) == -1 || ps_safeguarding(ps, v[TK_SAFEGUARDING]) == -1)
		return -1;
	if (s->audience == AUD_YOUNG && s->nhelp == 0)
		return ld_fail(ps->ld, v[TK_AUDIENCE], "a survey for young people (audience: "
		    "young) needs 'help' items, shown on every page");
	return 0;
}

int
survey_parse(struct ld *ld, const struct ui_strings *ui, struct survey **out, int *id_line)
{
	yaml_node_t	*root = yaml_document_get_root_node(&ld->doc), *v[TK__MAX];
	struct ps	 ps = { ld, ui, NULL, NULL, 0, NULL, NULL };

	if ((ps.s = ps_alloc(&ps, 1, sizeof(*ps.s))) == NULL ||
	    ld_fields(ld, root, "the survey", tkeys, TK__MAX, v) == -1)
		return -1;
	if (v[TK_ID] == NULL)
		return ld_fail(ld, root, "the survey has no 'id'");
	if (ld_id(ld, v[TK_ID], "survey id", &ps.s->id) == -1)
		return -1;
	*id_line = yn_line(v[TK_ID]);
	if (languages(&ps, v[TK_LANGUAGES]) == -1 || settings(&ps, v) == -1 ||
	    ps_schedule(&ps, v[TK_STATE], v[TK_OPENS], v[TK_CLOSES], v[TK_GRACE]) == -1 ||
	    texts(&ps, root, v) == -1 || ps_lists(&ps, v[TK_LISTS]) == -1 ||
	    pages(&ps, v[TK_PAGES], root) == -1 || conds(&ps) == -1)
		return -1;
	*out = ps.s;
	return 0;
}
