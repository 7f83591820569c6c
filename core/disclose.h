/* disclose: the safeguarding check of free text.  It answers one question:
 * does this answer look like a young person (or a resident, on a page the
 * survey marks) telling us they are being hurt, threatened, made to carry or
 * hold things, groomed, or hurting themselves?  It keeps nothing: the caller
 * stores only the yes/no.
 *
 * A phrase is a few words ("make me hold"), each with alternatives
 * ("make|force|got me hold|carry|keep"), matched on folded and stemmed words
 * (utf8proc, the English Snowball stemmer) with up to `gap` other words
 * between its words, so "they make me carry a blade" and "makin me move
 * packages" match without exact strings.  A word ending in '*' matches any
 * word it starts; a word of 5 letters or more also matches a typed word one
 * letter off ("threatend").  A phrase with a denial just before it ("nobody
 * makes me", "never been", "if someone") or between its words does not fire,
 * unless the denial is a word of the phrase ("i dont want to be alive").  A missed
 * disclosure costs more than a false alarm, so denials are read narrowly:
 * only the three words before the phrase and the words inside it, in its clause.
 *
 * A set is built once (at load) and then only read: disclose_match is
 * thread-safe (each call makes its own stemmer). */
#ifndef DISCLOSE_H
#define DISCLOSE_H
#include <stddef.h>

#define DISCLOSE_GAP_DEFAULT	3	/* words allowed between a phrase's words */
#define DISCLOSE_GAP_MAX	8
#define DISCLOSE_WORDS_MAX	8	/* words in one phrase */

struct disclose;

/* An empty set with the given gap; NULL on OOM or without the stemmer. */
struct disclose *disclose_new(int gap);
void disclose_free(struct disclose *d);
/* Adds a phrase (see above) under category cat (copied).  0; -1 when the
 * phrase has no word or more than DISCLOSE_WORDS_MAX, or on OOM (err says
 * which, for the survey author). */
int disclose_add(struct disclose *d, const char *cat, const char *phrase, char *err,
    size_t errlen) __attribute__((warn_unused_result));
/* Adds every phrase of src to d (a survey's own set starts as a copy of the
 * shipped one); d borrows src's strings, so src must outlive d.  0, or -1
 * on OOM. */
int disclose_add_all(struct disclose *d, const struct disclose *src)
    __attribute__((warn_unused_result));
/* 1 when text[0..n) matches a phrase of d (NULL d: never), else 0; -1 on
 * OOM.  With cat non-NULL, *cat is the category of the first match (d owns
 * it): for tests and measurements, never stored. */
int disclose_match(const struct disclose *d, const char *text, size_t n, const char **cat)
    __attribute__((warn_unused_result));
size_t disclose_count(const struct disclose *d);
int disclose_gap(const struct disclose *d);
#endif
