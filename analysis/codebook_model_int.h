/* codebook_model_int: the model's layout, shared by codebook_model.c
 * (features, coding, file) and codebook_train.c (learning). */
#ifndef CODEBOOK_MODEL_INT_H
#define CODEBOOK_MODEL_INT_H
#include "codebook_model.h"

enum { CBM_WORD = 1, CBM_PAIR = 2, CBM_THEME = 3 };

/* A feature key: kind in the top bits, then one or two ids. */
#define CBM_KEY(kind, a, b)	(((uint64_t)(kind) << 60) | ((uint64_t)(a) << 30) | (uint64_t)(b))

struct cb_model {
	char		 version[96];
	size_t		 na;		/* outcome areas */
	double		 bias[CODEBOOK_MAX_AREAS];
	size_t		 nf;
	uint64_t	*key;		/* [nf] */
	double		*w;		/* [nf * na] */
	char		**name;		/* [nf]: "w polic", "b domest abus", "t knife-crime" */
	uint64_t	*hkey;		/* open addressing: key -> feature + 1 */
	uint32_t	*hval;
	size_t		 hcap;
	uint32_t	*act;		/* scratch: an answer's features */
	size_t		 nact, capact;
	uint32_t	*seen;		/* scratch: [feature] == gen when in act */
	size_t		 capseen;
	uint32_t	 gen;
};

/* Feature index of key, or -1. */
long cbm_find(const struct cb_model *m, uint64_t key);
/* Adds key (names it name) and returns its index; -1 on OOM. */
long cbm_add(struct cb_model *m, uint64_t key, const char *name);
/* The distinct keys of the answer just coded (cb->toks, cb->fired) into
 * keys[0..*n), growing *keys; with add, unknown ones are added to m.
 * -1 on OOM. */
int cbm_keys(struct codebook *cb, struct cb_model *m, int add);
/* Adds a feature for every theme that counts towards an outcome area, so a
 * theme no training answer fired keeps its prior instead of being unknown
 * to the model.  -1 on OOM. */
int cbm_theme_keys(struct codebook *cb, struct cb_model *m);
/* Rounds w as the model file writes it. */
double cbm_round(double w);
#endif
