/* survey: the one survey model, shared by the web app and the analysis tool.
 * Only survey.c knows the file format (YAML, see docs/survey-author.md).
 * A loaded survey_set is immutable: it is built once at start-up (and on
 * SIGHUP, as a new set) and then read by every request without locks.  Every
 * string in it lives as long as the set. */
#ifndef SURVEY_H
#define SURVEY_H
#include "retain.h"
#include <stddef.h>
#include <stdint.h>
#include "lifecycle.h"

#define SURVEY_MAX_LANGS	16
#define UI_MAX_LANGS		32	/* languages of UI strings, over all surveys */
#define SURVEY_ID_MAX		40	/* ids: [a-z0-9_-], 1..40 bytes, start with a letter */
#define SURVEY_MAX_PAGES	500	/* the loader refuses bigger surveys */
#define SURVEY_MAX_QUESTIONS	1000
#define SURVEY_MAX_OPTIONS	1000	/* per question or list */
#define SURVEY_MAX_BANDS	50	/* per number question */
#define SURVEY_MAX_GRID_ROWS	30	/* per grid question */

enum qtype {
	Q_INFO,		/* text only, no answer */
	Q_SINGLE,	/* radio buttons */
	Q_MULTI,	/* checkboxes, optional max_choices */
	Q_SCALE,	/* ordered options, low to high; "missing" options sit outside */
	Q_RANKING,	/* order options: a position select per option, no JS needed */
	Q_TEXT,		/* short free text */
	Q_LONGTEXT,	/* long free text */
	Q_NUMBER,	/* whole number in [min, max] */
	Q_LIST,		/* choose one from a long list: a <select> */
	Q_WORDCLOUD,	/* polls only: one to three words */
	Q_STATEMENTS,	/* polls only: participants write statements and vote on them */
	Q_GRID,		/* surveys only: several rows on one scale; each row is a
			 * Q_SCALE question of its own, right after the grid */
	Q__MAX
};
extern const char *const qtype_names[Q__MAX];	/* "info", "single", ... as in the file */

enum survey_kind { SK_SURVEY, SK_POLL, SK__MAX };
enum audience { AUD_RESIDENT, AUD_YOUNG, AUD__MAX };	/* young: signposting on every page */

/* Where a response came from; recorded with it.  Names as in links (?c=). */
enum channel { CH_ONLINE, CH_WORKSHOP, CH_PAPER, CH_STALL, CH_SCHOOL, CH_YOUTH,
	CH_FOCUS, CH__MAX };
extern const char *const channel_names[CH__MAX];
/* CH__MAX when name is not a channel. */
enum channel channel_from_name(const char *name);

/* One text in every language a survey offers; s[i] belongs to langs[i].  After
 * a successful load every offered language is present for every text that is
 * present in the default language (langs[0]). */
struct i18n {
	const char *s[SURVEY_MAX_LANGS];
};
/* The text in language index lang, or the default language's, or "". */
const char *i18n_get(const struct i18n *t, int lang);
/* 1 when i18n_get(t, lang) gives the default language's text in place of a
 * missing translation (a translation file need not give every text). */
int i18n_fallback(const struct i18n *t, int lang);

struct lang {
	const char	*code;	/* "en", "tr", "ar" */
	const char	*name;	/* in its own language: "Türkçe" */
	int		 rtl;	/* right to left */
	int		 draft;	/* a draft translation nobody fluent has checked yet */
	size_t		 untranslated;	/* texts shown in the default language instead */
};

struct option {
	const char	*code;	/* stored value */
	struct i18n	 text;
	int		 missing;	/* "Prefer not to say", "Don't know": outside the scale */
	int		 exclusive;	/* multi: cannot be combined with other options */
};

/* show_if: true when the answer to question `q` includes any of `codes`
 * (or, with negate, none of them).  A question not shown counts as unanswered. */
struct cond {
	size_t		 q;	/* index into survey.qs; always an earlier page */
	const char	**codes;
	size_t		 ncodes;
	int		 negate;
};

struct question {
	const char	*id;
	enum qtype	 type;
	int		 required;
	struct i18n	 text;
	struct i18n	 hint;		/* optional */
	struct option	*opts;		/* single, multi, scale, ranking, list */
	size_t		 nopts;
	int		 max_choices;	/* multi: 0 = no limit */
	int		 rank;		/* ranking: positions to fill, 1..nopts */
	long		 min, max;	/* number: inclusive range */
	const long	*bands;		/* number: the analysis bands' lower bounds,
					 * strictly ascending within [min, max];
					 * NULL: not given (the analysis picks) */
	size_t		 nbands;
	int		 max_length;	/* text, longtext, wordcloud: code points */
	const struct cond *show_if;	/* NULL = always */
	const char	*indicator;	/* repeated indicator id (trends), or NULL */
	const char	*outcome;	/* outcome area a free-text question asks about, or NULL */
	size_t		 rows;		/* grid: its rows are qs[i + 1 .. i + rows]; it
					 * has no options itself (nopts 0), its rows do */
	int		 min_rows;	/* grid: rows to answer at least (0: none) */
	int		 row;		/* a grid's row: 1-based, the grid is qs[i - row];
					 * 0 for every other question */
	size_t		 page;		/* index into survey.pages */
	int		 line;		/* where it is defined, for messages */
};

struct page {
	const char	*id;
	struct i18n	 title;		/* optional: a one-question page uses the question */
	struct i18n	 intro;		/* optional */
	size_t		 first, count;	/* its questions: survey.qs[first .. first+count) */
	const struct cond *show_if;
	int		 line;
	int		 safeguarding;	/* marked: quick exit and the disclosure check */
};

struct help_item {
	struct i18n	 name;		/* "Childline" */
	struct i18n	 detail;	/* "Free, confidential, any time" */
	const char	*tel;		/* "0800 1111", or NULL */
	const char	*tel_uri;	/* "08001111": tel without spaces, or NULL */
	const char	*url;		/* "https://www.childline.org.uk", or NULL */
};

struct survey {
	const char	*id;
	int		 version;
	const char	*wave;		/* "Spring 2026": the name of this version's
					 * round of the survey (reports), or NULL */
	enum survey_kind kind;
	enum audience	 audience;
	const char	*file;		/* path it was loaded from */
	char		 hash[33];	/* hex BLAKE2b-128 of the file's bytes */
	struct lang	 langs[SURVEY_MAX_LANGS];
	size_t		 nlangs;	/* langs[0] is the default */
	struct i18n	 title;
	struct i18n	 intro;		/* start page; paragraphs split by blank lines */
	struct i18n	 privacy;	/* what anonymity means, in plain words */
	struct i18n	 done;		/* confirmation page */
	struct i18n	 help_title;	/* signposting box heading */
	struct help_item *help;		/* shown on every page when nhelp > 0 */
	size_t		 nhelp;
	struct page	*pages;
	size_t		 npages;
	struct question	*qs;		/* all questions, in page order */
	size_t		 nqs;
	int		 suppress_below;	/* published counts below this are hidden */
	int		 one_per_device;
	struct lc_sched	 sched;		/* state, opens, closes, grace: lc_decide() */

	/* Safeguarding (docs/survey-author.md, "Safeguarding"): on every page of a survey for
	 * young people, and on the pages marked `safeguarding: true`. */
	const char	*quick_exit;	/* where "Leave this page quickly" goes */
	struct help_item safe_line;	/* the council's safeguarding line; empty name: none */
	const char	**phrases;	/* the survey's own disclosure phrases */
	size_t		 nphrases;
	struct disclose	*disclose;	/* shipped phrases plus its own; built at load */
	struct retain	 keep;		/* keep_until / keep_days (retain.h) */
};

#define SURVEY_QUICK_EXIT_DEFAULT	"https://www.bbc.co.uk/weather"

/* 1 when page p (a page index; -1 the start page, npages the check and
 * confirmation pages: then any marked page counts) shows the quick exit and
 * has its free text checked. */
int survey_safeguarded(const struct survey *s, long p);

/* UI strings (buttons, error messages, headings) for every language, loaded
 * from ui.yaml beside the surveys and from lang/CODE/ui.yaml.  Every language
 * has every key the default language has: a language gives every respondent
 * key itself, and a staff key it leaves out has the default language's text. */
struct ui_strings;
/* The string for key in language code lang, falling back to the default
 * language; NULL when the key does not exist at all. */
const char *ui_get(const struct ui_strings *ui, const char *lang, const char *key);
/* 1 when ui.yaml has a block for language code (ui_get falls back instead). */
int ui_has_lang(const struct ui_strings *ui, const char *code);
/* The code of ui.yaml's first (default) language. */
const char *ui_default_lang(const struct ui_strings *ui);
/* How many languages ui.yaml has (0 for a NULL ui), the code of the i-th
 * (i < ui_nlangs; 0 is the default) and the index of a code, -1 if absent. */
size_t ui_nlangs(const struct ui_strings *ui);
const char *ui_lang_code(const struct ui_strings *ui, size_t i);
long ui_lang_index(const struct ui_strings *ui, const char *code);
/* The i-th language's name (its code when not given), the file its strings
 * came from, 1 when it is right to left, 1 when its review is "draft". */
const char *ui_lang_name(const struct ui_strings *ui, size_t i);
const char *ui_lang_file(const struct ui_strings *ui, size_t i);
int ui_lang_rtl(const struct ui_strings *ui, size_t i);
int ui_lang_draft(const struct ui_strings *ui, size_t i);
/* 1 when only staff see key (a language may leave it out). */
int ui_key_staff(const char *key);
/* Calls fn(ctx, key, value) for every key in language lang (with fallback),
 * in strcmp order of the keys. */
void ui_each(const struct ui_strings *ui, const char *lang,
    void (*fn)(void *ctx, const char *key, const char *value), void *ctx);

struct survey_set {
	struct survey	**v;		/* surveys and poll sets, sorted by id */
	size_t		 n;
	struct ui_strings *ui;
	struct disclose	*disclose;	/* disclosure.yaml: the shipped phrases, or NULL */
	void		*mem;		/* owns everything above */
};

/* Loads ui.yaml, disclosure.yaml (when present: the shipped safeguarding
 * phrases) and every other *.yaml in dir, then each language folder
 * dir/lang/CODE: its ui.yaml (that language's UI strings) and, for each
 * survey it translates, SURVEY-ID.yaml, which adds the language to that
 * survey (texts it does not give fall back to the default language).  Any problem
 * (syntax, unknown key or type, duplicate id, a condition naming a missing or
 * later question, a missing translation, an id used twice across files) fails
 * the whole load with "file:line: problem" in err. */
int survey_set_load(const char *dir, struct survey_set **out, char *err, size_t errlen)
    __attribute__((warn_unused_result));
/* One file plus a ui.yaml (for tests and fuzzing; ui_path may be NULL for a
 * built-in English fallback).  Same error contract. */
int survey_set_load_files(const char *const *paths, size_t npaths, const char *ui_path,
    struct survey_set **out, char *err, size_t errlen) __attribute__((warn_unused_result));
void survey_set_free(struct survey_set *set);

const struct survey *survey_find(const struct survey_set *set, const char *id);
/* Index of the question or page with this id, or -1. */
long survey_question_index(const struct survey *s, const char *qid);
long survey_page_index(const struct survey *s, const char *pid);
/* Index of the option with this code, or -1. */
long question_option_index(const struct question *q, const char *code);
/* Index into s->langs of the language code, or -1 when the survey does not offer it. */
int survey_lang_index(const struct survey *s, const char *code);

/* ---- Answers ---- */

/* One value given to one question.  multi: one answer per chosen option;
 * ranking: one per ranked option with pos = its rank (1 = first); others pos 0. */
struct answer {
	size_t		 q;	/* index into survey.qs */
	const char	*value;	/* option code, number or text; valid UTF-8 */
	int		 pos;
};

struct answer_set {
	struct answer	*v;
	size_t		 n, cap;
};

enum answer_err {
	AE_OK,
	AE_REQUIRED,		/* nothing given for a required question */
	AE_UNKNOWN_OPTION,	/* a code the question does not have */
	AE_TOO_MANY,		/* more than max_choices, or two values for a single choice */
	AE_EXCLUSIVE,		/* an exclusive option combined with others */
	AE_RANK_DUPLICATE,	/* two options given the same rank */
	AE_RANK_INCOMPLETE,	/* required ranking with positions left empty, or a gap */
	AE_NOT_NUMBER,
	AE_OUT_OF_RANGE,
	AE_TOO_LONG,
	AE_BAD_TEXT,		/* invalid UTF-8 or control characters */
	AE_GRID_MIN_ROWS,	/* a grid with fewer rows answered than min_rows */
	AE__MAX
};
/* The ui.yaml key for each error ("error_required", ...). */
extern const char *const answer_err_keys[AE__MAX];

/* Copies a number as typed into dst (strlen(src) + 1 bytes) with its digits
 * in ASCII: Arabic-Indic (٣), Extended Arabic-Indic (۳), Devanagari, Bengali
 * (৩) and full-width digits, and the minus sign U+2212, become 0-9 and '-';
 * everything else is copied as it is, for the number check to judge. */
void answer_number_ascii(char *dst, const char *src);

/* Appends; returns -1 on OOM.  value is not copied. */
int answer_set_add(struct answer_set *as, size_t q, const char *value, int pos)
    __attribute__((warn_unused_result));
void answer_set_free(struct answer_set *as);
/* Removes every answer to question q. */
void answer_set_clear(struct answer_set *as, size_t q);
/* 1 when question q has at least one answer with this value. */
int answer_set_has(const struct answer_set *as, size_t q, const char *value);
/* Number of answers to question q. */
size_t answer_set_count(const struct answer_set *as, size_t q);

/* Visibility under the answers given so far (a page is visible when its
 * condition holds; a question when its page and its own condition hold),
 * settled once for every page and question: page[p] and q[i] are 1 when
 * shown.  Settle again after the answers change. */
struct survey_vis {
	unsigned char	 pbuf[SURVEY_MAX_PAGES], qbuf[SURVEY_MAX_QUESTIONS];
	unsigned char	*page, *q;
	int		 heap;	/* page and q were allocated: a survey beyond the limits */
};
/* -1 when out of memory (only for hand-built surveys beyond the limits). */
int survey_vis_settle(struct survey_vis *v, const struct survey *s, const struct answer_set *as)
    __attribute__((warn_unused_result));
/* Safe on a zeroed, failed or already freed v. */
void survey_vis_free(struct survey_vis *v);
/* One page or question, settling the whole survey for it. */
int survey_page_visible(const struct survey *s, size_t page, const struct answer_set *as);
int survey_question_visible(const struct survey *s, size_t q, const struct answer_set *as);
/* Checks the answers to question q against its type and limits.  Answers
 * that are empty or whitespace only are ignored.  A question that is not
 * visible is always AE_OK (survey_drop_hidden removes its answers). */
enum answer_err survey_check_answer(const struct survey *s, size_t q, const struct answer_set *as);
/* The same for a question the caller knows is visible (from a settled
 * survey_vis): visibility is not looked at again. */
enum answer_err survey_check_shown(const struct survey *s, size_t q, const struct answer_set *as);
/* Removes answers to questions that are not visible (run before storing). */
void survey_drop_hidden(const struct survey *s, struct answer_set *as);
#endif
