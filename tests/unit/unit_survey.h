/* What the survey model's tests share: the fixture surveys, a survey
 * loaded from text, and finding a question.  The tests read the loaded set
 * and the loader's message from set and err. */
#ifndef UNIT_SURVEY_H
#define UNIT_SURVEY_H

#include <stddef.h>

#include "arena.h"
#include "survey.h"
#include "unit.h"

#define FIXTURES	"tests/fixtures/surveys"

/* A survey's text starts HEAD (lines 1-5: one page "p") and adds questions
 * with Q; PAGE2 starts a second page. */
#define HEAD	"id: t\ntitle: T\npages:\n  - id: p\n    questions:\n"	/* lines 1-5 */
#define Q(x)	"      - " x "\n"
#define PAGE2	"  - id: p2\n    questions:\n"
#define OPTS	"options: [{code: y, text: Y}, {code: n, text: N}]"

extern struct survey_set	*set;
extern char			 err[512];

/* The form tests' fixture: survey "t" of set, loaded from text with the
 * built-in words by form_open; an arena for what the app allocates; the
 * answers.  form_close (a checked fixture's teardown) frees all three. */
struct form_fixture {
	struct arena		*a;
	const struct survey	*s;
	struct answer_set	 as;
};
extern struct form_fixture	 form;

void	 form_open(const char *yaml);
void	 form_close(void);

/* Loads the fixture surveys into set (a checked fixture's setup). */
void	 load_fixtures(void);

/* Frees set (a checked fixture's teardown). */
void	 free_fixtures(void);

/* Loads one survey given as text into set; ui is a path, NULL (built-in) or
 * text starting with '#' (written to a file).  The survey's path goes into
 * *path unless path is NULL.  Returns what survey_set_load_files does. */
int	 load_text(const char *yaml, const char *ui, const char **path);

/* Writes text to name in this process's temporary directory; returns the
 * path (static, as unit_write's). */
const char *write_tmp(const char *name, const char *text);

/* The survey id of set, which must be there. */
const struct survey *fixture(const char *id);

/* The index of question id in s, which must be there. */
size_t	 qi(const struct survey *s, const char *id);

#endif
