/* tmpl_int: the compiled form of templates and the layout of template data,
 * shared by tmpl.c (compiler), tmpl_set.c (sets and loading), tmpl_render.c
 * and tdict.c.  Nothing outside those four files includes this; the public
 * interface is tmpl.h.
 * Invariants: every op's strings live in the set's arena with their lengths
 * precomputed; a section opener's ref is the index of its END and the END's
 * ref is its opener; a partial's ref is the index of its template in the set,
 * or NOREF while no template of that name is known; no chain of partials
 * leads back to where it started. */
#ifndef TMPL_INT_H
#define TMPL_INT_H
#include <stddef.h>
#include <stdint.h>
#include "arena.h"
#include "tmpl.h"

#define TMPL_DEPTH	32		/* context frames, the root dict included */
#define TMPL_NEST	64		/* section nesting in one template */
#define TMPL_SEGS	8		/* segments of a dotted name */
#define TMPL_MAXFILE	(1 << 20)	/* a larger template is surely a mistake */
#define NOREF		UINT32_MAX

enum opk {
	OP_TEXT,	/* s[0..len) copied as is */
	OP_VAR,		/* HTML-escaped value */
	OP_URL,		/* URL-encoded value */
	OP_RAW,		/* unescaped_html */
	OP_INDEX,	/* @index: 0-based position in the innermost list */
	OP_NUMBER,	/* @number: 1-based */
	OP_SECTION,
	OP_INVERTED,
	OP_END,
	OP_PARTIAL
};

struct tseg {
	const char	*s;
	size_t		 len;
};

struct op {
	enum opk		 kind;
	uint32_t		 line;
	uint32_t		 ref;
	uint32_t		 nseg;
	const char		*s;	/* text, or the name as written (NUL-terminated) */
	size_t			 len;
	const struct tseg	*seg;	/* the dotted name split, for lookups */
};

struct tmpl {
	const char	*name;
	const char	*file;	/* for error messages */
	struct op	*ops;	/* malloc'd */
	uint32_t	 nops;
	size_t		 cap;
};

struct tmpl_set {
	struct arena	*a;	/* names, text and segments of every template */
	struct tmpl	*t;	/* malloc'd */
	uint32_t	 n;
	size_t		 cap;
};

enum tkind { TV_STR, TV_INT, TV_BOOL, TV_DICT, TV_LIST };

struct tlist {
	struct tdict	*head, *tail;	/* items chained through tdict.next */
};

struct tentry {
	const char	*name;	/* not owned */
	size_t		 nlen;	/* strlen(name), so lookups compare lengths first */
	enum tkind	 kind;
	union {
		const char	*s;	/* not owned, never NULL */
		long		 i;
		int		 b;
		struct tdict	*d;
		struct tlist	 l;
	} v;
};

struct tdict {
	struct arena	*a;
	int		*failed;	/* the root's flag, shared by the whole tree */
	int		 own_failed;
	struct tentry	*e;
	uint32_t	 n;
	size_t		 cap;
	int		 frozen;	/* tdict_freeze: read-only, entries in name order */
	struct tdict	*next;		/* next item when this dict is in a list */
};

/* The entry called s[0..len) in d, or NULL. */
const struct tentry *tdict_find(const struct tdict *d, const char *s, size_t len);

/* Compiles src[0..n) (which must live as long as the set, e.g. in its arena)
 * into t, whose name and file are set.  On error frees nothing, writes
 * "file:line: problem" to err and returns -1. */
int tmpl_compile(struct tmpl_set *set, struct tmpl *t, const char *src, size_t n,
    char *err, size_t errlen);
/* 1 and *at set when the set has a template called name. */
int tmpl_find(const struct tmpl_set *set, const char *name, uint32_t *at);
#endif
