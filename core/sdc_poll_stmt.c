/* sdc_poll_stmt: a statements question.  Each statement is a table of its
 * own: agree, disagree and pass, plus who did not vote on it, add up to the
 * question's answers, which is published (so the statements, which share
 * nothing else, cannot be played against each other) unless it is small,
 * and then nothing of the question is.  The group breakdown joins the same
 * table: per group shown, agree and not agree add up to the group's n; per
 * column, the groups and the rest (groups too small to show, voters with no
 * group answer; implicit) add up to the statement's own counts. */
#include <stdlib.h>
#include <string.h>
#include "sdc_poll.h"

enum { C_A, C_D, C_P, C_NV, C_NA, C_V, C_ANS, C_RA, C_RNA, C_RN, C__MAX };

struct stab {
	long	 c[C__MAX];
	long	 a[SDC_POLL_GROUPS], na[SDC_POLL_GROUPS], n[SDC_POLL_GROUPS];
	size_t	 ng;
	long	 ga[SDC_POLL_GROUPS + 1], gna[SDC_POLL_GROUPS + 1], gn[SDC_POLL_GROUPS + 1];
};

static int
line(struct sdc *t, long total, size_t n, long m0, long m1, long m2, long m3)
{
	long m[4] = { m0, m1, m2, m3 };

	return sdc_line(t, m, n, total);
}

/* The statement's own cells and lines. */
static int
own(struct sdc *t, struct stab *b, const struct sdc_poll_stmt *s, long answers)
{
	long voted = s->agree + s->disagree + s->pass;

	b->c[C_A] = sdc_cell(t, s->agree, 0);
	b->c[C_D] = sdc_cell(t, s->disagree, 0);
	b->c[C_P] = sdc_cell(t, s->pass, 0);
	b->c[C_NV] = sdc_cell(t, answers - voted, SDC_IMPLICIT);
	b->c[C_NA] = sdc_cell(t, s->disagree + s->pass, SDC_IMPLICIT | SDC_SUM);
	b->c[C_V] = sdc_cell(t, voted, SDC_IMPLICIT | SDC_SUM);
	b->c[C_ANS] = sdc_cell(t, answers, SDC_KNOWN);
	return line(t, b->c[C_ANS], 4, b->c[C_A], b->c[C_D], b->c[C_P], b->c[C_NV]) |
	    line(t, b->c[C_NA], 2, b->c[C_D], b->c[C_P], 0, 0) |
	    line(t, b->c[C_V], 2, b->c[C_A], b->c[C_NA], 0, 0) |
	    line(t, b->c[C_ANS], 2, b->c[C_V], b->c[C_NV], 0, 0);
}

/* The groups of at least k voters, and the rest. */
static int
groups(struct sdc *t, struct stab *b, const struct sdc_poll_stmt *s, size_t ngroups, int k)
{
	long ra = s->agree, rna = s->disagree + s->pass, rn = ra + rna;
	int er = 0;

	b->ng = 0;
	for (size_t g = 0; g < ngroups; g++) {
		b->a[g] = b->na[g] = b->n[g] = -1;
		if (s->g_n[g] < k)
			continue;
		b->ga[b->ng] = b->a[g] = sdc_cell(t, s->g_agree[g], 0);
		b->gna[b->ng] = b->na[g] = sdc_cell(t, s->g_n[g] - s->g_agree[g], 0);
		b->gn[b->ng++] = b->n[g] = sdc_cell(t, s->g_n[g], 0);
		er |= line(t, b->n[g], 2, b->a[g], b->na[g], 0, 0);
		ra -= s->g_agree[g];
		rna -= s->g_n[g] - s->g_agree[g];
		rn -= s->g_n[g];
	}
	if (b->ng == 0)
		return er;
	b->ga[b->ng] = b->c[C_RA] = sdc_cell(t, ra, SDC_IMPLICIT | SDC_SUM);
	b->gna[b->ng] = b->c[C_RNA] = sdc_cell(t, rna, SDC_IMPLICIT | SDC_SUM);
	b->gn[b->ng] = b->c[C_RN] = sdc_cell(t, rn, SDC_IMPLICIT);
	return er | line(t, b->c[C_RN], 2, b->c[C_RA], b->c[C_RNA], 0, 0) |
	    sdc_line(t, b->ga, b->ng + 1, b->c[C_A]) |
	    sdc_line(t, b->gna, b->ng + 1, b->c[C_NA]) |
	    sdc_line(t, b->gn, b->ng + 1, b->c[C_V]);
}

static enum sdc_err
one(struct sdc_poll_stmt *s, size_t ngroups, long answers, int k)
{
	struct sdc *t = sdc_new(k);
	struct stab b;
	enum sdc_err er = SDC_NOMEM;

	if (t != NULL && own(t, &b, s, answers) == 0 && groups(t, &b, s, ngroups, k) == 0)
		er = sdc_run(t);
	if (er != SDC_OK)
		sdc_free(t), t = NULL;
	s->agree_hidden = (unsigned char)sdc_hidden(t, t ? b.c[C_A] : -1);
	s->disagree_hidden = (unsigned char)sdc_hidden(t, t ? b.c[C_D] : -1);
	s->pass_hidden = (unsigned char)sdc_hidden(t, t ? b.c[C_P] : -1);
	for (size_t g = 0; g < SDC_POLL_GROUPS; g++) {
		int shown = t != NULL && g < ngroups && b.n[g] >= 0 && !sdc_hidden(t, b.n[g]);
		s->g_shown[g] = (unsigned char)shown;
		s->g_pct_shown[g] = (unsigned char)(shown && !sdc_hidden(t, b.a[g]));
	}
	sdc_free(t);
	return er == SDC_NOMEM ? SDC_NOMEM : SDC_OK;
}

enum sdc_err
sdc_poll_statements(struct sdc_poll_stmt *s, size_t n, size_t ngroups, long answers, int k,
    int *answers_hidden)
{
	enum sdc_err er = SDC_OK;

	if (ngroups > SDC_POLL_GROUPS)
		ngroups = SDC_POLL_GROUPS;
	*answers_hidden = sdc_small(answers, k);
	for (size_t i = 0; i < n; i++) {
		if (*answers_hidden) {
			s[i].agree_hidden = s[i].disagree_hidden = s[i].pass_hidden = 1;
			memset(s[i].g_shown, 0, sizeof(s[i].g_shown));
			memset(s[i].g_pct_shown, 0, sizeof(s[i].g_pct_shown));
		} else if (one(&s[i], ngroups, answers, k) == SDC_NOMEM)
			er = SDC_NOMEM;
	}
	return er;
}
