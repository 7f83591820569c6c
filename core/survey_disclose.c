/* survey_disclose: the safeguarding parts of the survey format: the shipped
 * phrase list (surveys/disclosure.yaml) and a survey's `safeguarding:`
 * block (quick exit address, the council's safeguarding line, its own
 * phrases).  A phrase that cannot be read stops the load, as any other
 * mistake in a survey file does. */
#include <stdio.h>
#include <string.h>
#include "disclose.h"
#include "survey_int.h"

enum dkey { DK_GAP, DK_PHRASES, DK__MAX };
static const char *const dkeys[DK__MAX] = { "gap", "phrases" };

enum gkey { GK_QUICK_EXIT, GK_LINE, GK_PHRASES, GK__MAX };
static const char *const gkeys[GK__MAX] = { "quick_exit", "line", "phrases" };

static int
add_phrase(struct ld *ld, yaml_node_t *n, struct disclose *d, const char *cat)
{
	const char *ph;
	char msg[256];

	if (ld_str(ld, n, "phrase", &ph) == -1)
		return -1;
	if (disclose_add(d, cat, ph, msg, sizeof(msg)) != 0)
		return ld_fail(ld, n, "%s", msg);
	return 0;
}

/* One category of disclosure.yaml: a list of phrases. */
static int
category(struct ld *ld, yaml_node_pair_t *p, struct disclose *d)
{
	yaml_node_t *k = ld_node(ld, p->key);
	yaml_node_item_t *it;
	const char *cat;
	size_t n;

	if (ld_id(ld, k, "category", &cat) == -1 ||
	    ld_seq(ld, ld_node(ld, p->value), cat, &it, &n) == -1)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (add_phrase(ld, ld_node(ld, it[i]), d, cat) == -1)
			return -1;
	return 0;
}

int
disclose_parse(struct ld *ld, struct disclose **out)
{
	yaml_node_t *root = yaml_document_get_root_node(&ld->doc), *v[DK__MAX];
	yaml_node_pair_t *p;
	struct disclose *d = NULL;
	int gap = DISCLOSE_GAP_DEFAULT;

	if (ld_fields(ld, root, "the phrase list", dkeys, DK__MAX, v) == -1 ||
	    (v[DK_GAP] && ld_int(ld, v[DK_GAP], "gap", 0, DISCLOSE_GAP_MAX, &gap) == -1))
		return -1;
	if (v[DK_PHRASES] == NULL || ld_map(ld, v[DK_PHRASES], "phrases") == -1)
		return ld_fail(ld, root, "the phrase list needs 'phrases', by category");
	if ((d = disclose_new(gap)) == NULL)
		return ld_fail(ld, NULL, "out of memory (or no English stemmer)");
	for (p = v[DK_PHRASES]->data.mapping.pairs.start; p < v[DK_PHRASES]->data.mapping.pairs.top;
	    p++)
		if (category(ld, p, d) == -1) {
			disclose_free(d);
			return -1;
		}
	*out = d;
	return 0;
}

int
ps_safeguarding(struct ps *ps, yaml_node_t *n)
{
	struct survey *s = ps->s;
	yaml_node_t *v[GK__MAX];
	yaml_node_item_t *it;

	s->quick_exit = SURVEY_QUICK_EXIT_DEFAULT;
	if (n == NULL)
		return 0;
	if (ld_fields(ps->ld, n, "safeguarding", gkeys, GK__MAX, v) == -1)
		return -1;
	if (v[GK_QUICK_EXIT] && (ld_str(ps->ld, v[GK_QUICK_EXIT], "quick_exit",
	    &s->quick_exit) == -1 || strncmp(s->quick_exit, "https://", 8) != 0 ||
	    strpbrk(s->quick_exit, " \"'<>\\`") != NULL))
		return ld_fail(ps->ld, v[GK_QUICK_EXIT], "'quick_exit' should be a web address "
		    "starting with https://, such as %s", SURVEY_QUICK_EXIT_DEFAULT);
	if (v[GK_LINE] && ps_help_item(ps, v[GK_LINE], &s->safe_line) == -1)
		return -1;
	if (v[GK_PHRASES] == NULL)
		return 0;
	if (ld_seq(ps->ld, v[GK_PHRASES], "phrases", &it, &s->nphrases) == -1 ||
	    (s->phrases = ps_alloc(ps, s->nphrases, sizeof(*s->phrases))) == NULL)
		return -1;
	for (size_t i = 0; i < s->nphrases; i++)
		if (ld_str(ps->ld, ld_node(ps->ld, it[i]), "phrase", &s->phrases[i]) == -1)
			return -1;
	return 0;
}

int
survey_disclose_build(struct survey *s, const struct disclose *shipped, char *err,
    size_t errlen)
{
	char msg[256];

	if ((s->disclose = disclose_new(disclose_gap(shipped))) == NULL ||
	    disclose_add_all(s->disclose, shipped) != 0) {
		snprintf(err, errlen, "%s: out of memory", s->file);
		return -1;
	}
	for (size_t i = 0; i < s->nphrases; i++)
		if (disclose_add(s->disclose, "survey", s->phrases[i], msg, sizeof(msg)) != 0) {
			snprintf(err, errlen, "%s: safeguarding: %s", s->file, msg);
			return -1;
		}
	return 0;
}

int
survey_safeguarded(const struct survey *s, long p)
{
	if (s->audience == AUD_YOUNG)
		return 1;
	if (p >= 0 && p < (long)s->npages)
		return s->pages[p].safeguarding;
	for (size_t i = 0; p >= (long)s->npages && i < s->npages; i++)
		if (s->pages[i].safeguarding)
			return 1;
	return 0;
}
