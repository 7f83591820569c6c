/* tally: streaming counts over every response of one survey.  Memory holds
 * counters per question and option (times the groups of a breakdown), per
 * band and per whole number (up to NUMBAND_EXACT) of a number question, the
 * profile, theme counts and a few short quotes per theme; it does not grow
 * with the number of responses.  Nothing here is suppressed: tally counts
 * are raw and must go through report (which applies sdc) before anyone sees
 * them. */
#ifndef TALLY_H
#define TALLY_H
#include <stddef.h>
#include <stdint.h>
#include "codebook.h"
#include "corrections.h"
#include "numband.h"
#include "store.h"
#include "survey.h"

#define TALLY_MAX_VERSIONS	16
#define TALLY_MAX_LANGS		32
#define TALLY_MAX_DAYS		1024
/* Quote candidates kept per quote asked for: a text coded to several themes
 * is shown under one only, so the others need spares. */
#define TALLY_QUOTE_POOL	4

/* What a breakdown splits responses by; the last group is always
 * "not answered / unknown". */
enum tally_by { TALLY_BY_NONE, TALLY_BY_CHANNEL, TALLY_BY_QUESTION, TALLY_BY__MAX };

struct tally_q {
	long		*asked;		/* [group]: the question was shown */
	long		*answered;	/* [group]: at least one answer */
	long		*opt;		/* [option * ngroups + group]: responses choosing it */
	long		*first;		/* ranking: [option] ranked first */
	double		*ranksum;	/* ranking: [option] sum of ranks given */
	long		*ver_opt;	/* indicator: [version * nopts + option] */
	long		*ver_answered;	/* indicator: [version] */
	struct numband	*nb;		/* number questions: their bands (else NULL) */
	long		*num_band;	/* number: [band] answers in it */
	long		*num_exact;	/* number: [value - min] for values below
					 * min + nb->nexact */
	long		*num_over;	/* number: [band] answers at or above that */
	long		 numn;		/* number: answers counted (whole numbers in
					 * [min, max]; others are left out) */
	long		 texts;		/* free-text answers */
	long		 uncoded;	/* ... that no rule matched and nobody corrected */
};

struct tally_quote {
	uint64_t	 key;		/* selection order: smallest keys are kept */
	char		*text;
};

struct tally_pool {
	struct tally_quote *q;		/* up to the tally's nquotes, sorted by key */
	size_t		 n;
};

struct tally_theme {
	long		 n;		/* responses with free text coded to it */
	long		 n_other;	/* ... of which in no outcome area at all */
	struct tally_pool quotes;	/* from every answer coded to it */
	struct tally_pool other;	/* from answers coded to it and no outcome area */
};

struct tally {
	const struct survey *s;
	struct codebook	*cb;		/* NULL: no themes */
	enum tally_by	 by;
	long		 by_q;		/* TALLY_BY_QUESTION: the question */
	size_t		 ngroups;
	long		*group_n;	/* [group] responses */
	long		 n;		/* responses */
	long		 flagged;	/* of them, flagged by the safeguarding check */
	long		 channel[CH__MAX + 1];	/* last: unknown */
	char		 langs[TALLY_MAX_LANGS][8];
	long		 lang_n[TALLY_MAX_LANGS + 1];	/* last: other */
	size_t		 nlangs;
	char		(*days)[11];	/* sorted "YYYY-MM-DD" */
	long		*day_n;
	size_t		 ndays;
	long		 day_other;
	int		 versions[TALLY_MAX_VERSIONS];
	long		 version_n[TALLY_MAX_VERSIONS];
	size_t		 nversions;
	char		 ver_first[TALLY_MAX_VERSIONS][11];	/* "YYYY-MM-DD": the earliest
					 * and latest day of a version's responses */
	char		 ver_last[TALLY_MAX_VERSIONS][11];
	struct tally_q	*q;		/* [survey question] */
	/* themes */
	long		 texts;		/* responses with any free text */
	long		 area_n[CODEBOOK_MAX_AREAS + 1];	/* last: other */
	struct tally_theme *themes;	/* [codebook theme] */
	long		*frame_n;	/* [codebook frame] responses with free text
					 * coded to at least one theme of the frame */
	size_t		 nquotes;	/* most candidates kept per pool (TALLY_QUOTE_POOL
					 * times the quotes asked for) */
	const struct corrections *corr;	/* NULL: none; replaces the rules' coding */
	long		 corrected;	/* answers coded by a hand correction */
	long		 stale;		/* answers whose correction was for another text */
	void		*priv;		/* per-response scratch */
};

/* NULL on OOM.  by_q is the question index for TALLY_BY_QUESTION (single,
 * list or scale), ignored otherwise.  cb may be NULL.  nquotes is how many
 * quotes per theme the report will show. */
struct tally *tally_new(const struct survey *s, struct codebook *cb, enum tally_by by,
    long by_q, size_t nquotes);
void tally_free(struct tally *t);
/* Counts one response (of t's survey; others are ignored).  0, or -1 on OOM. */
int tally_add(struct tally *t, const struct store_response *r)
    __attribute__((warn_unused_result));
/* Group labels for the breakdown: channel name or option code, "unknown" last. */
const char *tally_group_label(const struct tally *t, size_t g);
/* Index of version v in t->versions, or -1. */
long tally_version_index(const struct tally *t, int v);
/* t's counters as bytes (tally_pack.c), into *out (the caller frees it) of
 * *len bytes: for a tally without codebook or corrections (the closed
 * questions' counts), else -1; -1 on OOM too. */
int tally_pack(const struct tally *t, unsigned char **out, size_t *len)
    __attribute__((warn_unused_result));
/* Fills t, fresh from tally_new (no codebook, nothing counted), with the
 * counters buf holds: 0, or -1 when buf is not a tally_pack of a tally of
 * this survey file, breakdown and build, or is damaged.  On -1 t is part
 * filled: free it.  Unpacked, t gives the report the packed one gave. */
int tally_unpack(struct tally *t, const unsigned char *buf, size_t len)
    __attribute__((warn_unused_result));
/* A tally of s filled from kept bytes (tally_pack of a tally without
 * breakdown or codebook), or NULL when they are not of this survey file
 * and build, or on OOM (tally_keep.c). */
struct tally *tally_from_kept(const struct survey *s, const unsigned char *blob, size_t len);
/* Fills c with the store counter (store.h, store_set_counter) that adds
 * each new response of a survey of *set to the survey's kept counts with
 * tally_add, as counting afresh does.  It declines (the counts are then
 * dropped as before) a survey not in *set or whose counts were packed from
 * another file, and a tally whose list of languages, versions or days is
 * full, where the order of adding could matter.  *set may change between
 * batches; set must outlive c's use. */
void tally_keeper(struct store_counter *c, const struct survey_set *const *set);
#endif
