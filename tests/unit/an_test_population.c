/* Tests for the borough comparison: the population file loader refuses what
 * it should, and the comparison base never gives a hidden count away. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "population.h"
#include "report.h"
#include "unit.h"

static char path[128];

/* Writes text as the population file at path. */
static void
write_file(const char *text)
{
	snprintf(path, sizeof(path), "%s", unit_write(unit_scratch(), "population.csv", text));
}

static int
load(const char *text, char *err, size_t errlen)
{
	struct population *p = NULL;
	int rc;

	write_file(text);
	rc = population_load(path, &p, err, errlen);
	unlink(path);
	population_free(p);
	return rc;
}

START_TEST(example_loads)
{
	struct population *p = NULL;
	char err[256];

	ck_assert_msg(population_load("analysis/population-example.csv", &p, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_ptr_nonnull(population_find(p, "ward", "tottenham-hale"));
	ck_assert_ptr_nonnull(population_find(p, "age", "75-plus"));
	ck_assert_ptr_nonnull(population_find(p, "sex", "female"));
	ck_assert_ptr_null(population_find(p, "sex", "pnts"));
	ck_assert_uint_eq(p->n, 21 + 8 + 2);
	population_free(p);
}
END_TEST

START_TEST(bad_files)
{
	static const char *const bad[] = {
		"question,code,share\nward,a,1\n",
		"ward,a,1,src\n",
		"question,code,share,source\nward,a,101,src\n",
		"question,code,share,source\nward,a,-1,src\n",
		"question,code,share,source\nward,a,abc,src\n",
		"question,code,share,source\nward,a,1,\n",
		"question,code,share,source\nward,a,1,src\nward,a,2,src\n",
		"question,code,share,source\nward,a,60,src\nward,b,60,src\n",
		"question,code,share,source\nward,\"a,1,src\n",
		"# only a comment\n",
	};
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(load(bad[i], err, sizeof(err)) != 0, "accepted bad file %zu", i);
	ck_assert_int_eq(load("\xEF\xBB\xBF# c\r\nquestion,code,share,source\r\n"
	    "ward,\"a\",50.5,\"Census, table \"\"TS001\"\"\"\r\n\r\n", err, sizeof(err)), 0);
}
END_TEST

/* A table of rows {a, b, c with shares; pnts without}; counts as given. */
static void
one_table(struct report *r, struct rtable *t, struct rrow *w, const long *n, const int *supp)
{
	static const char *const codes[] = { "a", "b", "c", "pnts" };

	memset(r, 0, sizeof(*r));
	memset(t, 0, sizeof(*t));
	r->a = arena_new(1024);
	r->k = 10;
	r->t = t;
	r->nt = 1;
	*t = (struct rtable){ .id = "q", .title = "Q", .section = "profile", .kind = RK_CHOICE,
	    .rows = w, .nrows = 4, .answered = n[0] + n[1] + n[2] + n[3] };
	for (int i = 0; i < 4; i++) {
		w[i] = (struct rrow){ .code = codes[i], .label = codes[i], .n = n[i], .base = t->answered };
		w[i].n_supp = w[i].pct_supp = supp[i];
		w[i].pct = 100.0 * (double)n[i] / (double)t->answered;
	}
}

static struct population *
shares(void)
{
	struct population *p = NULL;
	char err[256];

	write_file("question,code,share,source\nq,a,30,s\nq,b,30,s\nq,c,40,s\n");
	ck_assert_int_eq(population_load(path, &p, err, sizeof(err)), 0);
	unlink(path);
	return p;
}

/* pnts hidden alone on its line with c: publishing a+b+c would give both
 * away, so the comparison falls back to the whole base. */
START_TEST(pnts_hidden)
{
	struct report r;
	struct rtable t;
	struct rrow w[4];
	struct population *p = shares();

	one_table(&r, &t, w, (const long[]){ 100, 200, 5, 5 }, (const int[]){ 0, 0, 1, 1 });
	ck_assert_int_eq(report_add_population(&r, p), 0);
	ck_assert_int_eq(t.cmp_whole, 1);
	ck_assert_int_eq(t.cmp_base, t.answered);
	ck_assert_int_eq(w[2].cmp_supp, 1);
	ck_assert_int_eq(report_safe(&r), 1);
	ck_assert_int_eq(p->rows[0].used, 1);
	population_free(p);
	arena_free(r.a);
}
END_TEST

/* c alone hidden among the rows with shares (the table's own check would
 * not allow it, but the comparison must not rely on that): the smallest
 * visible of them is hidden too, so that line keeps two unknowns. */
START_TEST(second_hidden)
{
	struct report r;
	struct rtable t;
	struct rrow w[4];
	struct population *p = shares();

	one_table(&r, &t, w, (const long[]){ 100, 200, 5, 50 }, (const int[]){ 0, 0, 1, 0 });
	w[3].n_supp = w[3].pct_supp = 0;
	w[1].n_supp = w[1].pct_supp = 0;
	ck_assert_int_eq(report_add_population(&r, p), 0);
	ck_assert_int_eq(t.cmp_whole, 0);
	ck_assert_int_eq(t.cmp_base, 305);
	ck_assert_int_eq(w[0].n_supp, 1);	/* the smallest visible of the line */
	ck_assert_int_eq(w[0].cmp_supp, 1);
	ck_assert_int_eq(w[1].cmp_supp, 0);
	ck_assert(w[1].cmp_pct > 65.5 && w[1].cmp_pct < 65.6);
	ck_assert_int_eq(report_population_safe(&r, &t), 1);
	population_free(p);
	arena_free(r.a);
}
END_TEST

int
main(void)
{
	return unit_run_tests("population", "population", 0, CK_FORK, example_loads, bad_files,
	    pnts_hidden, second_hidden, NULL);
}
