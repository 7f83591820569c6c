/* codebook_int: the codebook's insides, shared by its loader (codebook.c)
 * and its matcher (codebook_match.c) and nothing else. */
#ifndef CODEBOOK_INT_H
#define CODEBOOK_INT_H
#include "codebook.h"
#include "tok.h"

#define CB_NEG		1	/* stem flag: a negator */
#define CB_BREAK	2	/* stem flag: ends a clause ("but") */
#define CB_TIGHT	4	/* stem flag: no gap next to it in a phrase ("on", "the") */
#define CB_PLACE	8	/* stem flag: names a kind of place ("road", "park") */
#define CB_NEAR		16	/* stem flag: "near", "by": a place word after it is a location */
#define CB_ARTICLE	32	/* stem flag: "the", "a", between CB_NEAR and a place word */

#define CB_AFTER_MAX	4	/* words in a negation that follows ("isnt a problem") */

#define CB_CS_UPPER	1	/* phrase word written in capitals: "IOM" matches only "IOM" */
#define CB_CS_CAP	2	/* written capitalised: "Prevent" matches "Prevent" mid-sentence */

enum { CB_PHRASE, CB_EXCLUDE, CB_WITH, CB_WITHOUT };

/* context[theme]: one of its `with` phrases occurs; one of its `without`
 * phrases occurs (the answer is about running the partnership, not the harm) */
enum { CB_CTX_WITH = 1, CB_CTX_WITHOUT = 2 };

/* One phrase: token i matches a word whose stem id is stems[i], or, when
 * prefix[i] is not NULL, a folded word starting with prefix[i] ("shank*"). */
struct cb_rule {
	int		*stems;
	char		**prefix;
	size_t		*plen;		/* strlen(prefix[i]) */
	unsigned char	*cs;		/* CB_CS_* case the word must have, or 0 */
	size_t		 n;
	const char	*text;		/* as written in the codebook */
	size_t		 theme;
	int		 kind;		/* CB_PHRASE, CB_EXCLUDE, CB_WITH or CB_WITHOUT */
	int		 next;		/* next rule with the same first stem, or -1 */
	int		 line;
	const char	*file;		/* the included file it is written in, or NULL */
};

struct cb_match {
	size_t		 rule;
	size_t		 at;		/* first token */
	size_t		 end;		/* one past the last token */
};

struct codebook {
	int		 version;
	struct codebook_frame *frames;
	size_t		 nframes;
	size_t		 outcomes;	/* index of the frame "outcomes" */
	struct codebook_theme *themes;
	size_t		 nthemes;
	struct cb_rule	*rules;
	size_t		 nrules;
	int		*head;		/* [stem id] -> first rule starting with it, or -1 */
	size_t		 nhead;
	int		 wild[256];	/* [first byte]: first rule starting with such a prefix, or -1 */
	unsigned char	*stemflag;	/* [stem id] -> CB_NEG | CB_BREAK */
	int		(*pseudo)[2];	/* negator stem, next stem: "not only" negates nothing */
	size_t		 npseudo;
	int		(*after)[CB_AFTER_MAX + 1];	/* count, stems: "isnt a problem" */
	size_t		 nafter;
	int		 window;
	int		 gap;
	char		 hash[33];	/* of the codebook file: a model names it */
	char		 vstr[160];	/* codebook_version_str */
	struct cb_model	*model;		/* or NULL */
	const char	*model_path;	/* the file the codebook names, or NULL */		/* words allowed between two words of a phrase */
	struct tokenizer *tk;
	/* scratch for codebook_code */
	struct tokens	 toks;
	struct cb_match	*m;
	size_t		 nm, capm;
	unsigned char	*fired;
	unsigned char	*context;	/* [theme]: CB_CTX_WITH, CB_CTX_WITHOUT bits */
	size_t		*list;
	/* everything the loader allocated, freed together */
	void		**allocs;
	size_t		 nallocs, capallocs;
};

#include <yaml.h>
#include <sodium.h>
#include "yaml_node.h"

/* Loader state: what an error message needs. */
struct cb_ld {
	struct codebook	*cb;
	yaml_document_t	*doc;		/* the file being read */
	const char	*path;
	char		*err;
	size_t		 errlen;
	int		 rules_only;	/* do not load the model the codebook names */
	const char	*file;		/* an included file's name as written, or NULL */
	yaml_document_t	*main;		/* codebook.yaml itself, which holds lists: */
	const char	*main_path;
	crypto_generichash_state *hs;	/* of every file read, which a model names */
};

int cb_fail(struct cb_ld *l, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void *cb_alloc(struct codebook *cb, size_t n);
char *cb_strdup(struct codebook *cb, const char *s);
int cb_check_keys(struct cb_ld *l, yaml_node_t *n, const char *const *keys);
const char *cb_get_str(struct cb_ld *l, yaml_node_t *map, const char *key, int required);
int cb_valid_id(const char *s);

/* Parses the YAML file at path into *doc and adds its bytes to hs.  0, or
 * -1 with err set ("path:line: problem"). */
int cb_parse_file(const char *path, yaml_document_t *doc, crypto_generichash_state *hs,
    char *err, size_t errlen);
/* Loads the themes of the root map's themes: and of every file its
 * include: names, in order (codebook_include.c). */
int cb_load_all_themes(struct cb_ld *l, yaml_node_t *root);
/* Loads a list of themes after those already loaded (codebook.c); the
 * theme array has room for them. */
int cb_load_themes(struct cb_ld *l, yaml_node_t *seq);
/* The list a theme's with: or without: names ("without: running"), from
 * codebook.yaml's lists:, or NULL (error set) when there is none. */
yaml_node_t *cb_named_list(struct cb_ld *l, yaml_node_t *name);

/* The codebook's word lists (negation, gaps, places) as stem ids, kept
 * until every phrase is compiled: flags are indexed by stem id. */
enum { CBW_NEG, CBW_PSEUDO, CBW_BREAK, CBW_TIGHT, CBW_PLACE, CBW_NEAR, CBW_ARTICLE, CBW__MAX };
struct cb_words {
	int	*ids[CBW__MAX];		/* pairs: first stem, second stem or 0 */
	size_t	 n[CBW__MAX];
};

/* Reads negation:, gaps: and places: from the root map (codebook_words.c). */
int cb_load_words(struct cb_ld *l, yaml_node_t *root, struct cb_words *ws);
/* Sets the stem flags once every stem is known. */
int cb_finish_words(struct cb_ld *l, const struct cb_words *ws);

/* A stem's CB_* flags; stems made known after the index (a model's words)
 * have none. */
static inline unsigned char
cb_flag(const struct codebook *cb, int stem)
{
	return stem >= 0 && (size_t)stem < cb->nhead ? cb->stemflag[stem] : 0;
}

/* Builds the first-stem index once every rule is in place.  -1 on OOM. */
int cb_index(struct codebook *cb);
#endif
