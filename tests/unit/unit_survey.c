/* What the survey model's tests share (unit_survey.h). */
#include <string.h>

#include "unit_survey.h"

struct survey_set	*set;
char			 err[512];
struct form_fixture	 form;

void
load_fixtures(void)
{
	ck_assert_msg(survey_set_load(FIXTURES, &set, err, sizeof(err)) == 0, "%s", err);
}

void
free_fixtures(void)
{
	survey_set_free(set);
	set = NULL;
}

const char *
write_tmp(const char *name, const char *text)
{
	return unit_write(unit_scratch(), name, text);
}

int
load_text(const char *yaml, const char *ui, const char **path)
{
	const char	*p = write_tmp("case.yaml", yaml);

	if (ui != NULL && ui[0] == '#')
		ui = write_tmp("ui.yaml", ui);
	if (path != NULL)
		*path = p;
	return survey_set_load_files(&p, 1, ui, &set, err, sizeof(err));
}

void
form_open(const char *yaml)
{
	ck_assert_ptr_nonnull(form.a = arena_new(4096));
	ck_assert_msg(load_text(yaml, NULL, NULL) == 0, "%s", err);
	form.s = fixture("t");
}

void
form_close(void)
{
	answer_set_free(&form.as);
	memset(&form.as, 0, sizeof(form.as));
	free_fixtures();
	arena_free(form.a);
	form.a = NULL;
}

const struct survey *
fixture(const char *id)
{
	const struct survey	*s = survey_find(set, id);

	ck_assert_ptr_nonnull(s);
	return s;
}

size_t
qi(const struct survey *s, const char *id)
{
	long	 i = survey_question_index(s, id);

	ck_assert_int_ge(i, 0);
	return (size_t)i;
}
