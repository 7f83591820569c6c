/* corrections: the analysts' hand corrections to the coding of free text.
 *
 * A correction says which outcome areas and themes one answer belongs to,
 * replacing whatever the codebook's rules found.  It is keyed by response
 * id, question id and a hash of the answer's text, so it stops applying when
 * the text differs from the text that was corrected.  It records the
 * codebook version it was made against, and an optional note.
 *
 * The corrections live in a CSV file kept by the analysts, never in the
 * response database (which the tool opens read-only):
 *   response,question,text_hash,codebook,areas,themes,note
 * one row per answer, sorted by response, question and hash; areas is a
 * comma list of outcome area ids or "other" (none), themes a comma list of
 * theme ids or "none".  A file that does not follow this is refused with
 * "file:line: problem", as is a theme or area id the codebook does not know.
 *
 * A struct corrections is only read after it is loaded or built, so one may
 * be shared by threads that do not change it. */
#ifndef CORRECTIONS_H
#define CORRECTIONS_H
#include <stddef.h>
#include <stdint.h>
#include "codebook.h"

#define CORR_HASH_BYTES	16
#define CORR_HASH_HEX	(CORR_HASH_BYTES * 2 + 1)
#define CORR_MAX_THEMES	256	/* themes one correction may list */

struct corr {
	int64_t		 response;
	char		*question;
	char		 hash[CORR_HASH_HEX];	/* lowercase hex */
	int		 codebook;	/* the codebook version it corrected */
	uint32_t	 areas;		/* bit i: outcome area i */
	size_t		*themes;	/* theme indexes, ascending */
	size_t		 nthemes;
	char		*note;		/* "" when none */
};

struct corrections {
	struct corr	*v;		/* sorted by corr_cmp: response, question, hash */
	size_t		 n, cap;
};

enum corr_match { CORR_NONE, CORR_STALE, CORR_APPLIES };

/* The coding sheet's columns, in the order `sheet` writes them; import finds
 * them by these header names, so a person may reorder or add columns. */
enum sheet_col {
	SC_RESPONSE, SC_QUESTION, SC_TEXT, SC_AREAS, SC_THEMES, SC_RULE,
	SC_FIX_AREAS, SC_FIX_THEMES, SC_NOTE, SC_HASH, SC_CODEBOOK, SC__MAX
};
extern const char *const corrections_sheet_cols[SC__MAX];

/* An empty set; NULL on OOM.  Freed with corrections_free (NULL is fine). */
struct corrections *corrections_new(void);
void corrections_free(struct corrections *c);

/* Loads a corrections file checked against cb.  0, or -1 with
 * "file:line: problem" in err; *out is set only on success. */
int corrections_load(const char *path, const struct codebook *cb, struct corrections **out,
    char *err, size_t errlen) __attribute__((warn_unused_result));
/* Writes c to path through a temporary file and a rename.  0, or -1 with
 * the problem in err. */
int corrections_save(const struct corrections *c, const struct codebook *cb, const char *path,
    char *err, size_t errlen) __attribute__((warn_unused_result));

/* Adds a copy of e, replacing a correction with the same key, and keeps c
 * sorted.  0, or -1 on OOM. */
int corrections_put(struct corrections *c, const struct corr *e)
    __attribute__((warn_unused_result));
/* The correction for this answer: CORR_APPLIES with *out set when one has
 * the same response, question and text hash; CORR_STALE when one has the same
 * response and question but was made for another text (it is ignored). */
enum corr_match corrections_find(const struct corrections *c, int64_t response,
    const char *question, const char *text, size_t n, const struct corr **out);
/* The key hash of an answer's text (BLAKE2b, 16 bytes) as lowercase hex. */
void corrections_hash(const char *text, size_t n, char out[CORR_HASH_HEX]);

/* Parses "violence,trust" / "other" into *areas and "a,b" / "none" into
 * themes (ascending, at most cap; duplicates folded).  -1 with the bad id,
 * or the problem, in bad. */
int corrections_parse_areas(const struct codebook *cb, const char *s, uint32_t *areas,
    char *bad, size_t badlen);
/* Parses the key cells of a row: response id, text hash, codebook version
 * (a spreadsheet's leading quote is allowed on the numbers).  -1 with the
 * problem in why. */
int corrections_parse_key(const char *response, const char *hash, const char *version,
    struct corr *e, char *why, size_t whylen);
int corrections_parse_themes(const struct codebook *cb, const char *s, size_t *themes,
    size_t cap, size_t *n, char *bad, size_t badlen);

/* Reads a coding sheet that people filled in (the CSV `sheet` writes, or
 * the XLSX saved as CSV) and puts each row with a corrected area or theme
 * into c.  A row's empty corrected column keeps what the sheet assigned:
 * empty corrected areas become the areas of the corrected themes.  Sets
 * *added to the number of rows taken.  0, or -1 with "file:line: problem"
 * in err (nothing is taken then). */
int corrections_import(struct corrections *c, const char *sheet, const struct codebook *cb,
    size_t *added, char *err, size_t errlen) __attribute__((warn_unused_result));
#endif
