/* tok: turns an answer into stemmed word tokens for the codebook.
 *
 * Text is composed and stripped of accents (libutf8proc), then split into
 * words: maximal runs of letters, marks and digits, each lower-cased; the
 * word's original shape (capitalised, all capitals, starts a sentence, is a
 * number) is kept beside it for acronyms and place names.  This is the
 * word rule of UAX #29 without its script-specific cases, which is what
 * English and the borough's Latin-script languages need.  Apostrophes inside
 * a word are dropped ("don't" -> "dont", "women's" -> "womens") so that the
 * typed and the typographic apostrophe, and none at all, read the same.
 * Hyphens split ("fly-tipping" -> "fly", "tipping").
 *
 * Each word is stemmed with the English Snowball stemmer.  Only stems the
 * codebook knows get an id (> 0); every other word gets 0.  Stems are cached
 * per word in a hash table, since answers repeat the same few thousand words.
 * A tokenizer is not thread-safe (the stemmer and the cache are mutable). */
#ifndef TOK_H
#define TOK_H
#include <stddef.h>
#include <stdint.h>

#define TOK_CAP		1	/* first letter was upper case: "Prevent", "IOM" */
#define TOK_UPPER	2	/* two or more letters, all upper case: "IOM", "DV" */
#define TOK_START	4	/* first word of the text or of a sentence */
#define TOK_NUMBER	8	/* starts with a digit: "12" */
#define TOK_PLACE	16	/* part of a place name (set by the codebook) */

struct tok {
	const char	*w;	/* the folded word, NUL-terminated, in tokens.words */
	uint32_t	 n;
	int		 stem;	/* id of a known stem, or 0 */
	uint32_t	 clause;	/* bumped by . , ; : ! ? and line breaks */
	uint8_t		 shape;		/* TOK_* */
};

struct tokens {
	struct tok	*v;
	size_t		 n, cap;
	char		*words;		/* owned; reused between calls */
	size_t		 wcap;
};

struct tokenizer;

/* NULL on OOM or when the English stemmer is missing. */
struct tokenizer *tok_new(void);
void tok_free(struct tokenizer *t);
/* Folds and stems one word and makes its stem known; returns the stem id
 * (> 0), or 0 when word is not a single word, or -1 on OOM.  Call it for
 * every codebook word before the first tok_split: the cache remembers words
 * whose stem was unknown at the time. */
int tok_intern(struct tokenizer *t, const char *word, size_t n);
/* Tokenises text[0..n) into out (whose previous contents are replaced).
 * Invalid UTF-8 is read as Latin-1 noise: its bytes separate words.
 * 0, or -1 on OOM. */
int tok_split(struct tokenizer *t, const char *text, size_t n, struct tokens *out)
    __attribute__((warn_unused_result));
void tok_tokens_free(struct tokens *tk);
/* The stem of one lower-case word w[0..n), NUL-terminated into out (cut
 * at outlen).  0, or -1 on OOM. */
int tok_stem(struct tokenizer *t, const char *w, size_t n, char *out, size_t outlen)
    __attribute__((warn_unused_result));
/* Makes a stem (not a word: it is not stemmed again) known; its id, or -1
 * on OOM.  Words already cached are forgotten, as in tok_intern. */
int tok_intern_stem(struct tokenizer *t, const char *stem, size_t n)
    __attribute__((warn_unused_result));
/* Number of known stems: ids run from 1 to this. */
size_t tok_nstems(const struct tokenizer *t);
/* Number of distinct words in the stem cache. */
size_t tok_cache_size(const struct tokenizer *t);
#endif
