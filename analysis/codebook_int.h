/* codebook_int: the codebook's insides, shared by its loader (codebook.c)
 * and its matcher (codebook_match.c) and nothing else. */
#ifndef CODEBOOK_INT_H
#define CODEBOOK_INT_H
#include "codebook.h"
#include "tok.h"

#define CB_NEG		1	/* stem flag: a negator */
#define CB_BREAK	2	/* stem flag: ends a clause ("but") */

enum { CB_PHRASE, CB_EXCLUDE, CB_WITH };

/* One phrase: token i matches a word whose stem id is stems[i], or, when
 * prefix[i] is not NULL, a folded word starting with prefix[i] ("shank*"). */
struct cb_rule {
	int		*stems;
	char		**prefix;
	size_t		*plen;		/* strlen(prefix[i]) */
	size_t		 n;
	const char	*text;		/* as written in the codebook */
	size_t		 theme;
	int		 kind;		/* CB_PHRASE, CB_EXCLUDE or CB_WITH */
	int		 next;		/* next rule with the same first stem, or -1 */
	int		 line;
};

struct cb_match {
	size_t		 rule;
	size_t		 at;		/* first token */
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
	int		 window;
	struct tokenizer *tk;
	/* scratch for codebook_code */
	struct tokens	 toks;
	struct cb_match	*m;
	size_t		 nm, capm;
	unsigned char	*fired;
	unsigned char	*context;	/* [theme]: one of its `with` phrases occurs */
	size_t		*list;
	/* everything the loader allocated, freed together */
	void		**allocs;
	size_t		 nallocs, capallocs;
};

#include <yaml.h>

/* Loader state: what an error message needs. */
struct cb_ld {
	struct codebook	*cb;
	yaml_document_t	*doc;
	const char	*path;
	char		*err;
	size_t		 errlen;
};

int cb_fail(struct cb_ld *l, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void *cb_alloc(struct codebook *cb, size_t n);
char *cb_strdup(struct codebook *cb, const char *s);
const char *cb_scalar(struct cb_ld *l, yaml_node_t *n);
yaml_node_t *cb_node(struct cb_ld *l, int idx);
int cb_check_keys(struct cb_ld *l, yaml_node_t *n, const char *const *keys);
yaml_node_t *cb_get(struct cb_ld *l, yaml_node_t *map, const char *key);
const char *cb_get_str(struct cb_ld *l, yaml_node_t *map, const char *key, int required);
size_t cb_seq_len(yaml_node_t *n);
yaml_node_t *cb_seq_at(struct cb_ld *l, yaml_node_t *n, size_t i);
int cb_valid_id(const char *s);

/* Builds the first-stem index once every rule is in place.  -1 on OOM. */
int cb_index(struct codebook *cb);
#endif
