/* codebook: codes free-text answers to themes and outcome areas.
 *
 * A codebook (analysis/codebook.yaml; its format in docs/analyst.md, "Coding
 * free text", how well it codes in docs/coding.md) lists frames (the outcome
 * areas, core/outcome.c, other topics, the knife-crime
 * intervention types, the hate-crime approaches) and themes.  A theme
 * belongs to one code of one frame, may count towards further outcome
 * areas, and fires when one of its phrases occurs in an answer as a
 * sequence of stems (with up to `gaps.max` other words between two of them
 * in one clause; capitalised phrase words must match in case; words of a
 * place name match nothing), unless
 *   - an exclusion phrase of the theme overlaps that occurrence, or
 *   - a negator ("not", "no", "never", "dont", ...) stands at most `window`
 *     words before it in the same clause or inside its gaps, or a phrase of
 *     negation.after follows it, and the theme has not declared negation
 *     meaningful ("police never come" is about trust), or
 *   - the theme lists context phrases (`with`) and none of them occurs
 *     anywhere in the answer ("women" counts for VAWG only near "unsafe"), or
 *   - one of the theme's `without` phrases occurs anywhere in the answer
 *     (governance prose: "board", "MOPAC", "funding" veto the trust themes).
 * When the codebook names a model file (`model:`), the model decides the
 * outcome areas from the fired themes and the answer's words
 * (codebook_model.h); otherwise the areas are those of the fired themes.
 * Coding is deterministic: the same codebook, model and text give the same
 * result.  A codebook is not thread-safe: coding reuses scratch memory
 * inside it. */
#ifndef CODEBOOK_H
#define CODEBOOK_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CODEBOOK_MAX_AREAS	32

struct codebook;

struct codebook_frame {
	const char	*id;		/* "outcomes", "topics", "knife", "hate" */
	const char	*title;
	const char	**codes;	/* code ids, in file order */
	const char	**titles;
	size_t		 ncodes;
};

struct codebook_theme {
	const char	*id;
	const char	*label;
	size_t		 frame;		/* index into the frames */
	size_t		 code;		/* index into that frame's codes */
	uint32_t	 areas;		/* bit i: outcome area i */
	int		 keep_negated;	/* negation does not cancel this theme */
	int		 needs_context;	/* fires only with one of its `with` phrases */
};

/* What one answer was coded to; valid until the next codebook_code call. */
struct codebook_hits {
	uint32_t	 areas;		/* bit i: outcome area i */
	const size_t	*themes;	/* theme indexes, ascending */
	size_t		 nthemes;
	uint32_t	 rule_areas;	/* the areas of the themes alone */
	int		 modelled;	/* a model decided the areas */
	double		 prob[CODEBOOK_MAX_AREAS];	/* the model's, per area */
	/* How sure the coding is, 0..1: with a model the least certain area's
	 * |2p - 1|; without, 1 when a theme fired and 0 when none did. */
	double		 certainty;
};

/* A human-coded answer to learn from. */
struct codebook_example {
	const char	*text;
	uint32_t	 areas;
};

/* Loads and checks a codebook.  On error returns -1 with "file:line: problem"
 * in err; *out is set only on success. */
int codebook_load(const char *path, struct codebook **out, char *err, size_t errlen)
    __attribute__((warn_unused_result));
/* The same without the model the codebook names (to train a new one). */
int codebook_load_rules(const char *path, struct codebook **out, char *err, size_t errlen)
    __attribute__((warn_unused_result));
void codebook_free(struct codebook *cb);
/* "codebook 3", or "codebook 3, model <version>" when a model is loaded or
 * trained: what a report should print beside its figures. */
const char *codebook_version_str(const struct codebook *cb);

/* Trains a model on ex[0..n) with the codebook's rules as features and
 * attaches it to cb (replacing any), labelled version.  Deterministic:
 * the same codebook and examples give the same model.  -1 with err. */
int codebook_train(struct codebook *cb, const struct codebook_example *ex, size_t n,
    const char *version, char *err, size_t errlen) __attribute__((warn_unused_result));
/* The model file the codebook names (relative to the codebook), or NULL. */
const char *codebook_model_path(const struct codebook *cb);
/* Hex BLAKE2b of the codebook file as loaded. */
const char *codebook_hash(const struct codebook *cb);
/* The training settings, which a model's version is derived from too. */
const char *codebook_trainer(void);
/* Drops the model: coding goes back to the rules alone. */
void codebook_drop_model(struct codebook *cb);
/* Writes the attached model to path.  -1 with err. */
int codebook_save_model(const struct codebook *cb, const char *path, char *err, size_t errlen)
    __attribute__((warn_unused_result));

int codebook_version(const struct codebook *cb);
/* The outcome areas are the codes of the frame "outcomes", in file order. */
size_t codebook_nareas(const struct codebook *cb);
const char *codebook_area(const struct codebook *cb, size_t i);
const char *codebook_area_title(const struct codebook *cb, size_t i);
size_t codebook_nframes(const struct codebook *cb);
const struct codebook_frame *codebook_frame(const struct codebook *cb, size_t i);
size_t codebook_nthemes(const struct codebook *cb);
const struct codebook_theme *codebook_theme(const struct codebook *cb, size_t i);
/* Index of the theme or outcome area with this id, or -1. */
long codebook_theme_index(const struct codebook *cb, const char *id);
long codebook_area_index(const struct codebook *cb, const char *id);

/* Codes text[0..n).  When explain is not NULL, writes one line per phrase
 * occurrence saying whether it fired and, if not, what cancelled it.
 * 0, or -1 on OOM. */
int codebook_code(struct codebook *cb, const char *text, size_t n,
    struct codebook_hits *hits, FILE *explain) __attribute__((warn_unused_result));

/* Writes the areas of a bit set as the `code` command prints them:
 * "violence,trust", or "other" for none, into out (NUL-terminated, cut at
 * outlen).  Returns out. */
char *codebook_areas_str(const struct codebook *cb, uint32_t areas, char *out, size_t outlen);
/* Parses such a list back (ids separated by commas, spaces or semicolons;
 * "other" or empty = 0).  -1 with the unknown id copied to bad. */
int codebook_areas_parse(const struct codebook *cb, const char *s, uint32_t *areas,
    char *bad, size_t badlen);
#endif
