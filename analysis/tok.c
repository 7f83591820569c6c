/* tok: folding, word splitting and cached stemming.  The cache maps a folded
 * word to its stem id (0 for a stem the codebook does not use); it stops
 * growing at CACHE_MAX words so a corpus full of typos cannot exhaust memory
 * (later new words are stemmed every time instead). */
#include <stdlib.h>
#include <string.h>
#include <libstemmer.h>
#include <utf8proc.h>
#include "strtab.h"
#include "tok.h"
#include "util.h"

#define CACHE_MAX	(1u << 20)

struct tokenizer {
	struct sb_stemmer *stemmer;
	struct strtab	*cache;		/* folded word -> stem id */
	struct strtab	*stems;		/* known stem -> id */
};

struct tokenizer *
tok_new(void)
{
	struct tokenizer *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->stemmer = sb_stemmer_new("english", NULL);
	t->cache = strtab_new();
	t->stems = strtab_new();
	if (t->stemmer == NULL || t->cache == NULL || t->stems == NULL) {
		tok_free(t);
		return NULL;
	}
	return t;
}

void
tok_free(struct tokenizer *t)
{
	if (t == NULL)
		return;
	if (t->stemmer != NULL)
		sb_stemmer_delete(t->stemmer);
	strtab_free(t->cache);
	strtab_free(t->stems);
	free(t);
}

size_t
tok_nstems(const struct tokenizer *t)
{
	return strtab_count(t->stems);
}

size_t
tok_cache_size(const struct tokenizer *t)
{
	return strtab_count(t->cache);
}

/* The stem id of a folded word: cache, else stemmer. -1 on OOM. */
static int
stem_id(struct tokenizer *t, const char *w, size_t n)
{
	const sb_symbol *s;
	int id = 0;

	if (strtab_get(t->cache, w, n, &id))
		return id;
	s = sb_stemmer_stem(t->stemmer, (const sb_symbol *)w, (int)n);
	if (s == NULL)
		return -1;
	if (!strtab_get(t->stems, (const char *)s, (size_t)sb_stemmer_length(t->stemmer), &id))
		id = 0;
	if (strtab_count(t->cache) < CACHE_MAX && strtab_put(t->cache, w, n, id) != 0)
		return -1;
	return id;
}

static int
is_word_cp(utf8proc_int32_t c)
{
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
		return 1;
	default:
		return 0;
	}
}

static int
is_apostrophe(utf8proc_int32_t c)
{
	return c == '\'' || c == 0x2019 || c == 0x02BC;
}

static int
is_clause_break(utf8proc_int32_t c)
{
	return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' ||
	    c == '\n' || c == 0x2026;
}

static int
push_tok(struct tokens *out, size_t off, size_t n, uint32_t clause, unsigned shape)
{
	if (grow(&out->v, &out->cap, out->n, sizeof(*out->v), 64) != 0)
		return -1;
	/* w is fixed up once words stops moving. */
	out->v[out->n].w = (const char *)(uintptr_t)off;
	out->v[out->n].n = (uint32_t)n;
	out->v[out->n].stem = 0;
	out->v[out->n].clause = clause;
	out->v[out->n].shape = (uint8_t)shape;
	out->n++;
	return 0;
}

static int
is_sentence_end(utf8proc_int32_t c)
{
	return c == '.' || c == '!' || c == '?' || c == '\n' || c == 0x2026;
}

/* The shape of a word from its letters' case and its place in the text. */
static unsigned
word_shape(size_t upper, size_t lower, int first_upper, int first_digit, int start)
{
	unsigned sh = 0;

	if (first_upper)
		sh |= TOK_CAP;
	if (upper >= 2 && lower == 0)
		sh |= TOK_UPPER;
	if (first_digit)
		sh |= TOK_NUMBER;
	if (start)
		sh |= TOK_START;
	return sh;
}

struct splitter {
	size_t		 w, start, upper, lower;
	uint32_t	 clause;
	int		 inword, first_upper, first_digit, sent_start;
};

static int
end_word(struct splitter *sp, struct tokens *out)
{
	out->words[sp->w++] = '\0';
	if (push_tok(out, sp->start, sp->w - 1 - sp->start, sp->clause,
	    word_shape(sp->upper, sp->lower, sp->first_upper, sp->first_digit, sp->sent_start)) != 0)
		return -1;
	sp->inword = 0;
	sp->sent_start = 0;
	return 0;
}

/* Adds code point c to the current word, lower-cased. */
static void
add_cp(struct splitter *sp, struct tokens *out, utf8proc_int32_t c)
{
	utf8proc_int32_t lc = c < 0x80 ? (c >= 'A' && c <= 'Z' ? c + 32 : c) : utf8proc_tolower(c);

	if (!sp->inword) {
		sp->start = sp->w, sp->inword = 1, sp->upper = sp->lower = 0;
		sp->first_upper = lc != c;
		sp->first_digit = c >= '0' && c <= '9';
	}
	if (lc != c)
		sp->upper++;
	else if (c < 0x80 ? (c >= 'a' && c <= 'z') : utf8proc_islower(c))
		sp->lower++;
	if (lc < 0x80)
		out->words[sp->w++] = (char)lc;
	else
		sp->w += (size_t)utf8proc_encode_char(lc, (utf8proc_uint8_t *)out->words + sp->w);
}

/* Splits UTF-8 into out->words ("word\0word\0...", lower case) and out->v. */
static int
split_text(const utf8proc_uint8_t *s, size_t n, struct tokens *out)
{
	struct splitter sp = { .sent_start = 1 };
	size_t i = 0;

	while (i < n) {
		utf8proc_int32_t c = s[i];
		utf8proc_ssize_t k = c < 0x80 ? 1 :
		    utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &c);
		if (k <= 0) {
			k = 1;
			c = ' ';
		}
		if (is_word_cp(c)) {
			add_cp(&sp, out, c);
		} else if (sp.inword && is_apostrophe(c) && i + (size_t)k < n &&
		    ((s[i + (size_t)k] | 0x20) >= 'a' && (s[i + (size_t)k] | 0x20) <= 'z')) {
			/* dropped: "don't" reads as "dont" */
		} else {
			if (sp.inword && end_word(&sp, out) != 0)
				return -1;
			if (is_clause_break(c))
				sp.clause++;
			if (is_sentence_end(c))
				sp.sent_start = 1;
		}
		i += (size_t)k;
	}
	if (sp.inword && end_word(&sp, out) != 0)
		return -1;
	return 0;
}

int
tok_split(struct tokenizer *t, const char *text, size_t n, struct tokens *out)
{
	utf8proc_uint8_t *folded = NULL;
	const utf8proc_uint8_t *src = (const utf8proc_uint8_t *)text;
	utf8proc_ssize_t fn;
	int rc = -1;

	out->n = 0;
	/* Case is kept here and lowered word by word, so a word's shape
	 * ("IOM", "Prevent", "Park Road") is known to the codebook.  ASCII
	 * needs no normalising: the common case skips it. */
	for (fn = 0; (size_t)fn < n && (unsigned char)text[fn] < 0x80; fn++)
		;
	if ((size_t)fn < n && (fn = utf8proc_map(src, (utf8proc_ssize_t)n, &folded,
	    UTF8PROC_COMPOSE | UTF8PROC_STABLE | UTF8PROC_STRIPMARK)) >= 0)
		src = folded;
	if (fn < 0) {
		/* Invalid UTF-8: ASCII only; other bytes become separators. */
		if ((folded = malloc(n + 1)) == NULL)
			return -1;
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)text[i];
			folded[i] = c >= 0x80 ? ' ' : c;
		}
		fn = (utf8proc_ssize_t)n;
		src = folded;
	}
	/* Lowering can lengthen a code point's UTF-8 by half (2 -> 3 bytes). */
	if (2 * (size_t)fn + 4 > out->wcap) {
		char *nw = realloc(out->words, 2 * (size_t)fn + 4);
		if (nw == NULL)
			goto out;
		out->words = nw;
		out->wcap = 2 * (size_t)fn + 4;
	}
	if (split_text(src, (size_t)fn, out) != 0)
		goto out;
	for (size_t i = 0; i < out->n; i++) {
		struct tok *tk = &out->v[i];
		tk->w = out->words + (uintptr_t)tk->w;
		if ((tk->stem = stem_id(t, tk->w, tk->n)) < 0)
			goto out;
	}
	rc = 0;
out:
	free(folded);
	return rc;
}

int
tok_intern(struct tokenizer *t, const char *word, size_t n)
{
	struct tokens tk = { 0 };
	const sb_symbol *s;
	int id = 0;

	if (tok_split(t, word, n, &tk) != 0)
		return -1;
	if (tk.n != 1)
		goto out;
	s = sb_stemmer_stem(t->stemmer, (const sb_symbol *)tk.v[0].w, (int)tk.v[0].n);
	if (s == NULL) {
		id = -1;
		goto out;
	}
	size_t sn = (size_t)sb_stemmer_length(t->stemmer);
	if (!strtab_get(t->stems, (const char *)s, sn, &id)) {
		id = (int)strtab_count(t->stems) + 1;
		if (strtab_put(t->stems, (const char *)s, sn, id) != 0) {
			id = -1;
			goto out;
		}
		/* Words cached before this stem was known say 0: forget them. */
		strtab_free(t->cache);
		if ((t->cache = strtab_new()) == NULL)
			id = -1;
	}
out:
	tok_tokens_free(&tk);
	return id;
}

int
tok_stem(struct tokenizer *t, const char *w, size_t n, char *out, size_t outlen)
{
	const sb_symbol *s = sb_stemmer_stem(t->stemmer, (const sb_symbol *)w, (int)n);
	size_t sn;

	if (s == NULL)
		return -1;
	sn = (size_t)sb_stemmer_length(t->stemmer);
	if (sn >= outlen)
		sn = outlen - 1;
	memcpy(out, s, sn);
	out[sn] = '\0';
	return 0;
}

int
tok_intern_stem(struct tokenizer *t, const char *stem, size_t n)
{
	int id;

	if (strtab_get(t->stems, stem, n, &id))
		return id;
	id = (int)strtab_count(t->stems) + 1;
	if (strtab_put(t->stems, stem, n, id) != 0)
		return -1;
	strtab_free(t->cache);
	return (t->cache = strtab_new()) == NULL ? -1 : id;
}

void
tok_tokens_free(struct tokens *tk)
{
	free(tk->v);
	free(tk->words);
	memset(tk, 0, sizeof(*tk));
}
