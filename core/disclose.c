/* disclose: folding, stemming and gap-tolerant phrase matching for the
 * safeguarding check (contract in disclose.h).  Phrases are built once and
 * then read by many threads: nothing here is written after disclose_add. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libstemmer.h>
#include <utf8proc.h>
#include "arena.h"
#include "disclose.h"
#include "keymap.h"
#include "util.h"

#define NEG_WINDOW	3	/* words before a phrase a denial may stand in */
#define FUZZY_MIN	5	/* phrase words this long also match one letter off */

struct alt {
	const char	*word;		/* folded */
	const char	*stem;
	size_t		 len;		/* of word */
	uint32_t	 wh, sh;	/* hashes of word and stem */
	uint64_t	 bytes;		/* which bytes it has (letters()) */
	int		 prefix;	/* written "word*" */
};

struct slot {
	struct alt	*v;
	size_t		 n;
};

struct phrase {
	struct slot	 w[DISCLOSE_WORDS_MAX];
	size_t		 n;
	const char	*cat;
};

/* The phrases, and which of them a word may start (index_alt): keys
 * are hashes of the words and stems of their first words, of those
 * words with one byte left out (the long ones: a word one letter off
 * shares such a key), and of the starts written "word*". */
struct disclose {
	struct arena	*a;		/* every string and slot */
	struct phrase	*v;
	size_t		 n, cap;
	int		 gap;
	struct keymap	 first;
	size_t		*plen;		/* the lengths of the starts */
	size_t		 nplen, capplen;
	size_t		 longest;	/* of the first words that may be one letter off */
};

/* The words of a text: folded, stemmed, with the clause each is in. */
struct word {
	const char	*w;
	const char	*stem;
	size_t		 len;		/* of w */
	uint32_t	 wh, sh;	/* hashes of w and stem: most comparisons end there */
	uint64_t	 bytes;		/* which bytes it has (letters()) */
	unsigned	 clause;
};

struct words {
	struct word	*v;
	size_t		 n;
	struct arena	*a;
};

static const char *const denials[] = {
	"not", "never", "nobody", "noone", "no", "nothing", "dont", "doesnt", "didnt",
	"havent", "hasnt", "aint", "isnt", "wasnt", "neva", "nobodys", "if",
};

struct disclose *
disclose_new(int gap)
{
	struct disclose *d = calloc(1, sizeof(*d));

	if (d == NULL || (d->a = arena_new(16 * 1024)) == NULL) {
		free(d);
		return NULL;
	}
	d->gap = gap < 0 ? 0 : gap > DISCLOSE_GAP_MAX ? DISCLOSE_GAP_MAX : gap;
	return d;
}

void
disclose_free(struct disclose *d)
{
	if (d == NULL)
		return;
	arena_free(d->a);
	free(d->v);
	keymap_free(&d->first);
	free(d->plen);
	free(d);
}

size_t
disclose_count(const struct disclose *d)
{
	return d ? d->n : 0;
}

int
disclose_gap(const struct disclose *d)
{
	return d ? d->gap : DISCLOSE_GAP_DEFAULT;
}

static int
is_word_cp(utf8proc_int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);

	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME) ||
	    (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

static int
ends_clause(utf8proc_int32_t cp)
{
	return cp != 0 && strchr(".,;:!?\n", (int)cp) != NULL && cp < 128;
}

/* FNV-1a of s[0..n) without its byte `skip` (skip >= n: all of it). */
static uint32_t
hash_without(const char *s, size_t n, size_t skip)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		if (i != skip)
			h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* FNV-1a of s[0..n). */
static uint32_t
hash(const char *s, size_t n)
{
	return hash_without(s, n, n);
}

/* A bit for each byte value s[0..n) has, modulo 64.  One edit (insert,
 * delete, substitute, swap) changes at most two bits: a word further off
 * than that is not one letter off (one_off() need not be asked). */
static uint64_t
letters(const char *s, size_t n)
{
	uint64_t m = 0;

	for (size_t i = 0; i < n; i++)
		m |= (uint64_t)1 << ((unsigned char)s[i] & 63);
	return m;
}

/* 1 when m has at most two bits set. */
static int
two_bits_at_most(uint64_t m)
{
	m &= m - 1;
	m &= m - 1;
	return m == 0;
}

/* Adds the word s[0..n) to w, stemmed with st.  -1 on OOM. */
static int
add_word(struct words *w, size_t *cap, struct sb_stemmer *st, const char *s, size_t n,
    unsigned clause)
{
	const sb_symbol *stem;
	struct word *v;
	size_t sn;

	if (grow(&w->v, cap, w->n, sizeof(*w->v), 64) != 0)
		return -1;
	if ((stem = sb_stemmer_stem(st, (const sb_symbol *)s, (int)n)) == NULL)
		return -1;
	v = &w->v[w->n];
	sn = (size_t)sb_stemmer_length(st);
	v->w = arena_strndup(w->a, s, n);
	v->stem = arena_strndup(w->a, (const char *)stem, sn);
	v->len = n;
	v->wh = hash(s, n);
	v->sh = hash((const char *)stem, sn);
	v->bytes = letters(s, n);
	v->clause = clause;
	if (v->w == NULL || v->stem == NULL)
		return -1;
	w->n++;
	return 0;
}

/* Splits folded UTF-8 text into words; apostrophes inside a word vanish
 * ("don't" -> "dont").  -1 on OOM. */
static int
split(struct words *w, struct sb_stemmer *st, const unsigned char *s, size_t n)
{
	char *cur = arena_alloc(w->a, n + 1);
	size_t len = 0, cap = 0;
	unsigned clause = 0;
	utf8proc_int32_t cp;

	if (cur == NULL)
		return -1;
	for (size_t i = 0; i <= n;) {
		utf8proc_ssize_t k = i < n ? utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp) : 1;
		if (i == n || k < 1)
			cp = ' ';
		if (k < 1)
			k = 1;
		if (i < n && is_word_cp(cp)) {
			memcpy(cur + len, s + i, (size_t)k);
			len += (size_t)k;
		} else if (!(len > 0 && (cp == '\'' || cp == 0x2019))) {
			if (len > 0 && add_word(w, &cap, st, cur, len, clause) != 0)
				return -1;
			len = 0;
			clause += ends_clause(cp);
		}
		i += (size_t)k;
	}
	return 0;
}

/* 1 when s[0..n) is all ASCII. */
static int
ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

/* Folds (case, accents, compatibility forms) and splits text into w; words
 * live in w->a.  ASCII folds to its lower case, which is all utf8proc
 * would do to it; invalid UTF-8 is folded byte by byte in ASCII only. */
static int
fold_words(struct words *w, struct sb_stemmer *st, const char *text, size_t n)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t m = ascii(text, n) ? -1 : utf8proc_map((const utf8proc_uint8_t *)text,
	    (utf8proc_ssize_t)n, &out,
	    UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK);
	int rc;

	if (m < 0) {
		free(out);
		if ((out = malloc(n + 1)) == NULL)
			return -1;
		for (size_t i = 0; i < n; i++)
			out[i] = (unsigned char)text[i] < 128 ? (unsigned char)
			    (text[i] >= 'A' && text[i] <= 'Z' ? text[i] + 32 : text[i]) : ' ';
		m = (utf8proc_ssize_t)n;
	}
	rc = split(w, st, out, (size_t)m);
	free(out);
	return rc;
}

/* 1 when a (la bytes) and b (lb) are at most one edit apart (insert,
 * delete, substitute, or swap of neighbours). */
static int
one_off(const char *a, size_t la, const char *b, size_t lb)
{
	size_t i = 0;

	if (la > lb + 1 || lb > la + 1)
		return 0;
	while (i < la && i < lb && a[i] == b[i])
		i++;
	if (la == lb) {
		if (i == la || strcmp(a + i + 1, b + i + 1) == 0)
			return 1;
		return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] &&
		    strcmp(a + i + 2, b + i + 2) == 0;
	}
	return la > lb ? strcmp(a + i + 1, b + i) == 0 : strcmp(a + i, b + i + 1) == 0;
}

/* 1 when w is one of the slot's words: its stem or itself, its start for
 * "word*", or one letter off a long word.  Hashes settle most pairs. */
static int
slot_has(const struct slot *sl, const struct word *w)
{
	for (size_t i = 0; i < sl->n; i++) {
		const struct alt *a = &sl->v[i];
		if (a->prefix ? w->len >= a->len && memcmp(w->w, a->word, a->len) == 0
		    : (w->sh == a->sh && strcmp(w->stem, a->stem) == 0) ||
		    (w->wh == a->wh && strcmp(w->w, a->word) == 0) ||
		    (a->len >= FUZZY_MIN && w->len + 1 >= a->len && w->len <= a->len + 1 &&
		    two_bits_at_most(w->bytes ^ a->bytes) && one_off(w->w, w->len, a->word, a->len)))
			return 1;
	}
	return 0;
}

/* 1 when phrase p's words j.. follow word `prev` within the gap, in its
 * clause; at[j..] get their places. */
static int
follows(const struct disclose *d, const struct phrase *p, size_t j, const struct words *w,
    size_t prev, size_t *at)
{
	if (j == p->n)
		return 1;
	for (size_t i = prev + 1; i < w->n && i <= prev + 1 + (size_t)d->gap; i++) {
		if (w->v[i].clause != w->v[prev].clause)
			break;
		at[j] = i;
		if (slot_has(&p->w[j], &w->v[i]) && follows(d, p, j + 1, w, i, at))
			return 1;
	}
	return 0;
}

static int
is_denial(const char *s)
{
	for (size_t i = 0; i < sizeof(denials) / sizeof(denials[0]); i++)
		if (strcmp(s, denials[i]) == 0)
			return 1;
	return 0;
}

/* 1 when a denial stands in the NEG_WINDOW words before the match at[0..n)
 * (same clause), or between its words without being one of them. */
static int
denied(const struct words *w, const size_t *at, size_t n)
{
	size_t j = 0;

	for (size_t k = 1; k <= NEG_WINDOW && k <= at[0]; k++) {
		if (w->v[at[0] - k].clause != w->v[at[0]].clause)
			break;
		if (is_denial(w->v[at[0] - k].w))
			return 1;
	}
	for (size_t i = at[0]; i <= at[n - 1]; i++) {
		if (i == at[j]) {
			j++;
			continue;
		}
		if (is_denial(w->v[i].w))
			return 1;
	}
	return 0;
}

/* The earliest phrase found so far in a text, and the word being tried. */
struct search {
	const struct disclose	*d;
	const struct words	*w;
	size_t			 i;
	size_t			 best;		/* d->n: none */
	unsigned char		*tried;		/* [d->n]: phrase p tried at word i */
};

/* Phrase p, a candidate at word s->i: kept when it matches there and comes
 * before the best so far. */
static void
try_phrase(void *ctx, uint32_t p)
{
	struct search *s = ctx;
	const struct phrase *ph = &s->d->v[p];
	size_t at[DISCLOSE_WORDS_MAX];

	if (p >= s->best || s->tried[p])
		return;
	s->tried[p] = 1;
	at[0] = s->i;
	if (slot_has(&ph->w[0], &s->w->v[s->i]) && follows(s->d, ph, 1, s->w, s->i, at) &&
	    !denied(s->w, at, ph->n))
		s->best = p;
}

/* Tries at word i every phrase whose first word may be it (the keys of
 * struct disclose); slot_has decides. */
static void
try_word(struct search *s, size_t i)
{
	const struct disclose *d = s->d;
	const struct word *w = &s->w->v[i];

	s->i = i;
	memset(s->tried, 0, d->n);
	keymap_each(&d->first, w->wh, try_phrase, s);
	keymap_each(&d->first, w->sh, try_phrase, s);
	for (size_t k = 0; k < d->nplen; k++)
		if (d->plen[k] <= w->len)
			keymap_each(&d->first, hash(w->w, d->plen[k]), try_phrase, s);
	if (w->len + 1 >= FUZZY_MIN && w->len <= d->longest + 1)
		for (size_t k = 0; k < w->len; k++)
			keymap_each(&d->first, hash_without(w->w, w->len, k), try_phrase, s);
}

int
disclose_match(const struct disclose *d, const char *text, size_t n, const char **cat)
{
	struct sb_stemmer *st = NULL;
	struct words w = { NULL, 0, NULL };
	struct search s = { d, &w, 0, 0, NULL };
	int rc = -1;

	if (d == NULL || d->n == 0)
		return 0;
	s.best = d->n;
	if ((st = sb_stemmer_new("english", NULL)) == NULL || (s.tried = malloc(d->n)) == NULL ||
	    (w.a = arena_new(4096)) == NULL || fold_words(&w, st, text, n) != 0)
		goto out;
	for (size_t i = 0; i < w.n; i++)
		try_word(&s, i);
	rc = s.best < d->n;
	if (rc && cat != NULL)
		*cat = d->v[s.best].cat;
out:
	if (st != NULL)
		sb_stemmer_delete(st);
	arena_free(w.a);
	free(w.v);
	free(s.tried);
	return rc;
}

/* One word of a phrase, "a|b|c*", into sl. */
static int
build_slot(struct disclose *d, struct sb_stemmer *st, struct slot *sl, const char *spec)
{
	size_t nalt = 1;

	for (const char *s = spec; *s; s++)
		nalt += *s == '|';
	if ((sl->v = arena_calloc(d->a, nalt, sizeof(*sl->v))) == NULL)
		return -1;
	for (const char *s = spec; *s;) {
		size_t len = strcspn(s, "|");
		struct words w = { NULL, 0, d->a };
		int prefix = len > 0 && s[len - 1] == '*';
		if (fold_words(&w, st, s, len - (size_t)prefix) != 0) {
			free(w.v);
			return -1;
		}
		if (w.n == 1) {
			struct alt *a = &sl->v[sl->n++];
			a->word = w.v[0].w;
			a->stem = w.v[0].stem;
			a->len = w.v[0].len;
			a->wh = w.v[0].wh;
			a->sh = w.v[0].sh;
			a->bytes = w.v[0].bytes;
			a->prefix = prefix;
		}
		free(w.v);
		s += len + (s[len] == '|');
	}
	return sl->n > 0 ? 0 : 1;
}

/* Room for one more phrase; -1 on OOM. */
static int
grow_phrases(struct disclose *d)
{
	return d->n >= KEYMAP_EMPTY - 1 ? -1 : grow(&d->v, &d->cap, d->n, sizeof(*d->v), 64);
}

/* Notes that a start of length n is keyed; -1 on OOM. */
static int
note_start(struct disclose *d, size_t n)
{
	for (size_t k = 0; k < d->nplen; k++)
		if (d->plen[k] == n)
			return 0;
	if (grow(&d->plen, &d->capplen, d->nplen, sizeof(*d->plen), 8) != 0)
		return -1;
	d->plen[d->nplen++] = n;
	return 0;
}

/* The keys of one word a phrase may start with (struct disclose). */
static int
index_alt(struct disclose *d, const struct alt *a, uint32_t p)
{
	if (a->prefix)
		return note_start(d, a->len) != 0 ? -1 : keymap_add(&d->first, a->wh, p);
	if (keymap_add(&d->first, a->wh, p) != 0 || keymap_add(&d->first, a->sh, p) != 0)
		return -1;
	if (a->len < FUZZY_MIN)
		return 0;
	if (a->len > d->longest)
		d->longest = a->len;
	for (size_t k = 0; k < a->len; k++)
		if (keymap_add(&d->first, hash_without(a->word, a->len, k), p) != 0)
			return -1;
	return 0;
}

/* Appends phrase p to d, with the keys of its first word; -1 on OOM. */
static int
append_phrase(struct disclose *d, const struct phrase *p)
{
	const struct slot *sl = &p->w[0];

	if (grow_phrases(d) != 0)
		return -1;
	for (size_t i = 0; i < sl->n; i++)
		if (index_alt(d, &sl->v[i], (uint32_t)d->n) != 0)
			return -1;
	d->v[d->n++] = *p;
	return 0;
}

int
disclose_add(struct disclose *d, const char *cat, const char *phrase, char *err, size_t errlen)
{
	struct sb_stemmer *st = sb_stemmer_new("english", NULL);
	struct phrase p;
	char *copy = arena_strdup(d->a, phrase), *save = NULL, *tok;
	int rc = -1, r;

	memset(&p, 0, sizeof(p));
	if (st == NULL || copy == NULL || (p.cat = arena_strdup(d->a, cat)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (tok = strtok_r(copy, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		if (p.n == DISCLOSE_WORDS_MAX) {
			snprintf(err, errlen, "phrase '%s' has more than %d words", phrase,
			    DISCLOSE_WORDS_MAX);
			goto out;
		}
		if ((r = build_slot(d, st, &p.w[p.n], tok)) != 0) {
			snprintf(err, errlen, r < 0 ? "out of memory" : "in phrase '%s', '%s' is "
			    "not a word (or words joined by |)", phrase, tok);
			goto out;
		}
		p.n++;
	}
	if (p.n == 0) {
		snprintf(err, errlen, "a phrase is empty");
		goto out;
	}
	if (append_phrase(d, &p) != 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	rc = 0;
out:
	if (st != NULL)
		sb_stemmer_delete(st);
	return rc;
}

int
disclose_add_all(struct disclose *d, const struct disclose *src)
{
	/* strings stay in src's arena: src outlives d */
	for (size_t i = 0; src != NULL && i < src->n; i++)
		if (append_phrase(d, &src->v[i]) != 0)
			return -1;
	return 0;
}
