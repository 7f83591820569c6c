/* scrub_net: the scrub matchers for links and e-mail addresses (see
 * scrub_int.h).  A match starts at a word start, so each is tried once per
 * word and the scan stays linear. */
#include "scrub_int.h"

/* Top-level labels that end a link or address even without a path after
 * them.  Labels that are also short English words ("me", "it", "be") are
 * left out: "t.me/x" still counts, "him.Me and" does not. */
static const char *const tlds[] = {
	"com", "org", "net", "uk", "gov", "edu", "info", "biz", "io", "ly",
	"tv", "ie", "eu", "de", "fr", "es", "nl", "pl", "ro", "ru", "cn",
	"ca", "au", "nz", "za", "ng", "gh", "pk", "tr", "gr", "pt", "ch",
	"se", "dk", "fi", "app", "dev", "xyz", "online", "site", "shop",
	"london", "ee", "gl", "gd", "gg", "cc", "ai", "fm", "ws"
};

/* Labels that are also longer words: a link only in lower case after a
 * lower-case label ("jo.blog", not "today.Life"). */
static const char *const word_tlds[] = {
	"co", "blog", "club", "life", "live", "news", "world", "today", "page",
	"link", "store", "tech", "space", "art", "fun", "website", "wales",
	"scot", "cymru", "top", "vip", "media", "social", "studio", "design"
};

/* Mail providers an address is written without its ending ("jo@gmail",
 * "jo at gmail"), and those that are also words, only after an "@". */
static const char *const providers[] = {
	"gmail", "googlemail", "hotmail", "yahoo", "ymail", "icloud", "msn",
	"aol", "btinternet", "btopenworld", "talktalk", "virginmedia",
	"ntlworld", "blueyonder", "protonmail", "gmx", "yandex", "tiscali"
};
static const char *const provider_words[] = { "outlook", "sky", "live" };

/* v[i..i+len) is one of the n words in list, in any case. */
static int
in_list(const struct view *v, size_t i, size_t len, const char *const *list, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (strlen(list[k]) == len && v_word(v, i, list[k]))
			return 1;
	return 0;
}

#define IN_LIST(v, i, len, list) in_list(v, i, len, list, sizeof list / sizeof list[0])

static int
word_start(const struct view *v, size_t i)
{
	return i == 0 || !(v_alnum(v->c[i - 1]) || v_in(v->c[i - 1], "./@-_'+%"));
}

/* The rest of a link from j: up to white space, a quote, an angle bracket or
 * a symbol, without trailing punctuation or an unbalanced closing bracket. */
static size_t
url_rest(const struct view *v, size_t j)
{
	size_t	 start = j, open = 0, close = 0;
	unsigned c;

	for (; (c = v_at(v, j)) > ' ' && c != V_OTHER && !v_in(c, "<>\"") ; j++) {
		open += c == '(';
		close += c == ')';
	}
	while (j > start) {
		c = v->c[j - 1];
		if (c == ')' && close > open)
			close--;
		else if (!v_in(c, ".,;:!?'"))
			break;
		j--;
	}
	return j;
}

/* One domain label at j: letters, digits, '-' and '_', starting with a letter
 * or digit.  Returns its end (j when there is none). */
static size_t
label_end(const struct view *v, size_t j)
{
	if (!v_alnum(v_at(v, j)))
		return j;
	while (v_alnum(v_at(v, j)) || v_in(v_at(v, j), "-_"))
		j++;
	while (v_in(v->c[j - 1], "-_"))
		j--;
	return j;
}

/* The dot between two labels at j: ".", or (when words is set) " . ",
 * "dot", "(dot)", "[dot]" with white space around the bare word; 0 for none. */
static size_t
dot_sep(const struct view *v, size_t j, int words)
{
	size_t	 k = j, sp;

	if (v_at(v, k) == '.')
		return v_alnum(v_at(v, k + 1)) ? 1 : 0;
	if (!words)
		return 0;
	for (sp = 0; sp < 2 && v_space(v_at(v, k)); sp++)
		k++;
	if (sp > 0 && v_at(v, k) == '.')
		k += 1;
	else if (v_word(v, k, "(dot)") || v_word(v, k, "[dot]") || v_word(v, k, "{dot}"))
		k += 5;
	else if (sp > 0 && v_word(v, k, "dot") && v_space(v_at(v, k + 3)))
		k += 3;
	else
		return 0;
	for (sp = 0; sp < 2 && v_space(v_at(v, k)); sp++)
		k++;
	return v_alnum(v_at(v, k)) ? k - j : 0;
}

struct domain {
	size_t	 end;	/* past the last label */
	size_t	 labels;
	size_t	 tld;	/* start of the last label */
	size_t	 tldlen;
	int	 worded;	/* a dot was written as a word or with spaces */
};

/* Labels from j joined by dots ("dot" words too when words is set). */
static void
domain_scan(const struct view *v, size_t j, int words, struct domain *d)
{
	size_t	 e, sep;

	memset(d, 0, sizeof *d);
	d->end = j;
	while ((e = label_end(v, j)) > j) {
		d->labels++;
		d->tld = j;
		d->tldlen = e - j;
		d->end = e;
		if ((sep = dot_sep(v, e, words)) == 0)
			break;
		d->worded |= sep > 1;
		j = e + sep;
	}
}

static int
all_alpha(const struct view *v, size_t i, size_t len)
{
	for (size_t k = 0; k < len; k++)
		if (!v_alpha(v->c[i + k]))
			return 0;
	return len >= 2;
}

/* How an address joins its local part and its domain: "@", "@" with spaces,
 * "(at)" or "[at]", "at" between spaces. */
enum at_form { AT_BARE, AT_SPACED, AT_BRACKET, AT_WORD };

/* The separator between an address's local part and its domain at j: "@"
 * with up to two spaces either side, "(at)", "[at]", or "at" between spaces. */
static size_t
at_sep(const struct view *v, size_t j, enum at_form *form)
{
	size_t	 k = j, sp1 = 0, sp2 = 0, w;

	while (sp1 < 2 && v_space(v_at(v, k + sp1)))
		sp1++;
	k += sp1;
	if (v_at(v, k) == '@') {
		w = 1 + (v_at(v, k + 1) == '@');	/* "@@", a slip */
		*form = AT_BARE;
	} else if (v_word(v, k, "(at)") || v_word(v, k, "[at]") || v_word(v, k, "{at}") ||
	    v_word(v, k, "<at>")) {
		w = 4;
		*form = AT_BRACKET;
	} else if (sp1 > 0 && v_word(v, k, "at")) {
		w = 2;
		*form = AT_WORD;
	} else {
		return 0;
	}
	k += w;
	while (sp2 < 2 && v_space(v_at(v, k + sp2)))
		sp2++;
	if (*form == AT_WORD && sp2 == 0)
		return 0;
	if (*form == AT_BARE && sp1 + sp2 > 0)
		*form = AT_SPACED;
	return k + sp2 - j;
}

/* The end of a local part from i: letters, digits, ". _ % + -", an
 * apostrophe between letters ("o'brien"), and up to three "dot" words ("jo
 * dot bloggs"; bounded so that a run of them is not rescanned from each). */
static size_t
local_end(const struct view *v, size_t i)
{
	size_t	 j = i, words = 0, sep;
	unsigned c;

	for (;; j++) {
		c = v_at(v, j);
		if (v_alnum(c) || v_in(c, "._%+-"))
			continue;
		if (c == '\'' && j > i && v_letter(v->c[j - 1]) && v_letter(v_at(v, j + 1)))
			continue;
		if (words < 3 && v_in(c, " \t([{") && (sep = dot_sep(v, j, 1)) > 0) {
			words++;
			j += sep - 1;
			continue;
		}
		return j;
	}
}

/* After a bare "at", an ending that could start the next sentence ("pick-up
 * at school.Then", "at school.it was") is not an address's. */
static int
sentence_ok(const struct view *v, const struct domain *d)
{
	static const char *const words[] = {
		"it", "is", "in", "on", "at", "to", "so", "no", "we", "he", "me", "my",
		"be", "do", "go", "up", "us", "am", "an", "as", "or", "of", "if", "by"
	};
	const unsigned char *t = v->c + d->tld;
	int	 upper = 0;

	for (size_t k = 1; k < d->tldlen; k++)
		upper += t[k] <= 'Z';
	if (t[0] <= 'Z' && upper == 0)
		return 0;
	return !IN_LIST(v, d->tld, d->tldlen, words);
}

/* An address written loosely ("jo @ x.com", "jo at x dot com") needs one more
 * sign that it is one, so that "at school.It was" stays: a known ending, a
 * dot or "at" written as a word or in brackets, or a local part v[i..j) with
 * a dot, '_', '+' or '-' in it (after a bare "at", starting with a letter). */
static int
loose_ok(const struct view *v, size_t i, size_t j, enum at_form form, const struct domain *d)
{
	if (IN_LIST(v, d->tld, d->tldlen, tlds) || IN_LIST(v, d->tld, d->tldlen, word_tlds))
		return 1;
	if (d->worded || form == AT_BRACKET)
		return 1;
	if (form == AT_WORD && (!sentence_ok(v, d) || !v_letter(v->c[i])))
		return 0;	/* nor "at 10.30pm at home.then" */
	for (; i < j; i++)
		if (v_in(v->c[i], "._+-"))
			return 1;
	return 0;
}

size_t
scrub_email(const struct view *v, size_t i)
{
	struct domain	 d;
	size_t		 j, sep;
	enum at_form	 form = AT_BARE;

	if (!word_start(v, i) || !v_alnum(v_at(v, i)))
		return 0;
	j = local_end(v, i);
	while (j > i && v_in(v->c[j - 1], "._%+-"))
		j--;
	if ((sep = at_sep(v, j, &form)) == 0)
		return 0;
	domain_scan(v, j + sep, 1, &d);
	if (d.labels == 0)
		return 0;
	if (form == AT_WORD && v_at(v, d.end) == '/')
		return 0;	/* "look at bit.ly/x" is a link */
	if (d.labels == 1)
		return IN_LIST(v, d.tld, d.tldlen, providers) || (form < AT_BRACKET &&
		    IN_LIST(v, d.tld, d.tldlen, provider_words)) ? d.end - i : 0;
	if (!all_alpha(v, d.tld, d.tldlen) || d.tldlen > 24)
		return 0;
	return form == AT_BARE || loose_ok(v, i, j, form, &d) ? d.end - i : 0;
}

/* v[i..end) has no capital letter. */
static int
lower(const struct view *v, size_t i, size_t end)
{
	for (; i < end; i++)
		if (v->c[i] >= 'A' && v->c[i] <= 'Z')
			return 0;
	return 1;
}

size_t
scrub_domain(const struct view *v, size_t i)
{
	struct domain	 d;
	size_t		 j;

	if (!word_start(v, i) || !v_alnum(v_at(v, i)))
		return 0;
	domain_scan(v, i, 0, &d);
	if (d.labels < 2 || !all_alpha(v, d.tld, d.tldlen) || d.tldlen > 24)
		return 0;
	j = d.end;
	if (v_at(v, j) == '/' && (v_alnum(v_at(v, j + 1)) || v_in(v_at(v, j + 1), "?#~@")) &&
	    (lower(v, d.tld, d.end) || IN_LIST(v, d.tld, d.tldlen, tlds)))
		return url_rest(v, j) - i;	/* not "M.Sc/PhD" */
	if (v_at(v, j) == '@')
		return 0;
	if (!IN_LIST(v, d.tld, d.tldlen, tlds) && !(lower(v, i, d.end) &&
	    IN_LIST(v, d.tld, d.tldlen, word_tlds)))
		return 0;
	if (d.labels == 2 && d.tld - i < 3)
		return 0;
	if (v_in(v_at(v, j), "/?#:"))
		return url_rest(v, j) - i;
	return j - i;
}

/* "www dot example dot com": a link with its dots written as words. */
static size_t
www_words(const struct view *v, size_t i)
{
	struct domain	 d;
	size_t		 sep;

	if (!v_word(v, i, "www") || (sep = dot_sep(v, i + 3, 1)) < 2)
		return 0;
	domain_scan(v, i + 3 + sep, 1, &d);
	if (d.labels < 2 || !all_alpha(v, d.tld, d.tldlen))
		return 0;
	return (v_at(v, d.end) == '/' ? url_rest(v, d.end) : d.end) - i;
}

size_t
scrub_url(const struct view *v, size_t i)
{
	static const char *const schemes[] = {
		"https://", "http://", "https//", "http//", "https:/", "http:/", "www."
	};
	size_t	 k, j;

	if (!word_start(v, i) || !v_alpha(v_at(v, i)))
		return 0;
	for (k = 0; k < sizeof schemes / sizeof schemes[0]; k++)
		if (v_word(v, i, schemes[k]))
			break;
	if (k == sizeof schemes / sizeof schemes[0])
		return www_words(v, i);
	j = i + strlen(schemes[k]);
	if (v_at(v, j) == '/')
		j++;
	if (!v_alnum(v_at(v, j)))
		return 0;
	return url_rest(v, j) - i;
}
