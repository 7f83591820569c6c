/* Fuzz target for core/survey.c: the input is written to a file and loaded
 * with the built-in English UI strings.  Any input may be refused, with a
 * terminated message; none may crash.  A set that loads is walked end to end
 * so a string left dangling by the loader is read under ASan. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "survey.h"

static char dir[] = "/tmp/fuzz-survey-XXXXXX";
static char path[sizeof(dir) + 16];

static void
cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

static int
write_input(const uint8_t *data, size_t size)
{
	int	 fd, ok;

	if (path[0] == '\0') {
		if (mkdtemp(dir) == NULL)
			return -1;
		snprintf(path, sizeof(path), "%s/survey.yaml", dir);
		atexit(cleanup);
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1)
		return -1;
	ok = size == 0 || write(fd, data, size) == (ssize_t)size;
	return close(fd) == 0 && ok ? 0 : -1;
}

static size_t sink;

static void
touch_i18n(const struct survey *s, const struct i18n *t)
{
	size_t	 l;

	for (l = 0; l < s->nlangs; l++)
		sink += strlen(i18n_get(t, (int)l));
}

static void
walk_question(const struct survey *s, size_t qi)
{
	const struct question	*q = &s->qs[qi];
	size_t			 i;

	if (q->type >= Q__MAX || q->page >= s->npages ||
	    survey_question_index(s, q->id) != (long)qi)
		abort();
	touch_i18n(s, &q->text);
	touch_i18n(s, &q->hint);
	for (i = 0; i < q->nopts; i++) {
		if (question_option_index(q, q->opts[i].code) < 0)
			abort();
		touch_i18n(s, &q->opts[i].text);
	}
	if (q->show_if != NULL && q->show_if->q >= qi)
		abort();
	if (q->show_if != NULL)
		for (i = 0; i < q->show_if->ncodes; i++)
			sink += strlen(q->show_if->codes[i]);
}

static void
walk_survey(const struct survey_set *set, const struct survey *s)
{
	size_t	 i;

	if (survey_find(set, s->id) != s || s->nlangs == 0 ||
	    s->nlangs > SURVEY_MAX_LANGS)
		abort();
	for (i = 0; i < s->nlangs; i++)
		if (survey_lang_index(s, s->langs[i].code) != (int)i)
			abort();
	touch_i18n(s, &s->title);
	touch_i18n(s, &s->intro);
	touch_i18n(s, &s->privacy);
	touch_i18n(s, &s->done);
	for (i = 0; i < s->nhelp; i++)
		touch_i18n(s, &s->help[i].name);
	for (i = 0; i < s->npages; i++)
		if (survey_page_index(s, s->pages[i].id) != (long)i ||
		    s->pages[i].first + s->pages[i].count > s->nqs)
			abort();
	for (i = 0; i < s->nqs; i++)
		walk_question(s, i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct survey_set	*set = NULL;
	const char		*paths[1];
	char			 err[512];
	size_t			 i;

	if (write_input(data, size) == -1)
		abort();
	paths[0] = path;
	memset(err, 'x', sizeof(err));
	if (survey_set_load_files(paths, 1, NULL, &set, err, sizeof(err)) != 0) {
		if (memchr(err, '\0', sizeof(err)) == NULL)
			abort();
		return 0;
	}
	for (i = 0; i < set->n; i++)
		walk_survey(set, set->v[i]);
	survey_set_free(set);
	return 0;
}
