/* Tests for the template engine: every tag kind, lookups, partials, load
 * errors with their line numbers, escaping and the render depth limit. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "tmpl.h"
#include "unit.h"

static struct arena	*A;
static struct tmpl_set	*S;
static struct tdict	*D;
static struct buf	 B;
static char		 err[512];

static void
setup(void)
{
	A = arena_new(4096);
	S = tmpl_set_new();
	D = tdict_new(A);
	ck_assert(A != NULL && S != NULL && D != NULL);
	B = (struct buf)BUF_INIT;
	err[0] = '\0';
}

static void
teardown(void)
{
	buf_free(&B);
	tmpl_set_free(S);
	arena_free(A);
}

static void
add(const char *name, const char *src)
{
	if (tmpl_set_add(S, name, src, strlen(src), err, sizeof(err)) != 0)
		ck_abort_msg("unexpected error: %s", err);
}

/* Renders `name` with D and returns the output. */
static const char *
render(const char *name)
{
	buf_reset(&B);
	ck_assert_int_eq(tmpl_render(S, name, D, &B), 0);
	return B.p != NULL ? B.p : "";
}

/* Compiles src as template "t" and renders it with D. */
static const char *
run(const char *src)
{
	add("t", src);
	return render("t");
}

/* Compiling src as template "t" fails with exactly `want`. */
static void
fails(const char *src, const char *want)
{
	ck_assert_int_eq(tmpl_set_add(S, "t", src, strlen(src), err, sizeof(err)), -1);
	ck_assert_str_eq(err, want);
	ck_assert(!tmpl_exists(S, "t"));
}

START_TEST(text_and_whitespace)
{
	ck_assert_str_eq(run("  a\n\n\t b  \n"), "  a\n\n\t b  \n");
	add("empty", "");
	ck_assert_str_eq(render("empty"), "");
	add("braces", "a { b } c }} d {");
	ck_assert_str_eq(render("braces"), "a { b } c }} d {");
}
END_TEST

START_TEST(values_escaped)
{
	char	want[64];

	tdict_str(D, "s", "<script>alert('x')&\"</script>");
	tdict_int(D, "i", -1234567);
	tdict_int(D, "z", 0);
	tdict_int(D, "min", LONG_MIN);
	tdict_int(D, "max", LONG_MAX);
	tdict_bool(D, "yes", 1);
	tdict_bool(D, "no", 0);
	ck_assert_str_eq(run("[{{s}}|{{i}}|{{z}}|{{yes}}|{{no}}|{{missing}}]"),
	    "[&lt;script&gt;alert(&#39;x&#39;)&amp;&quot;&lt;/script&gt;"
	    "|-1234567|0|true|false|]");
	snprintf(want, sizeof(want), "%ld %ld", LONG_MIN, LONG_MAX);
	add("minmax", "{{min}} {{max}}");
	ck_assert_str_eq(render("minmax"), want);
}
END_TEST

START_TEST(url_filter)
{
	tdict_str(D, "q", "a b&c/\"<\xC3\xA9");
	tdict_int(D, "n", 42);
	ck_assert_str_eq(run("<a href=\"/s?q={{q|url}}&n={{n|url}}\">"),
	    "<a href=\"/s?q=a%20b%26c%2F%22%3C%C3%A9&n=42\">");
}
END_TEST

START_TEST(unescaped_html)
{
	tdict_str(D, "svg", "<svg><rect/></svg>");
	tdict_child(D, "qr");
	tdict_str(tdict_child(D, "qr"), "svg", "<b>");
	ck_assert_str_eq(run("{{unescaped_html svg}} {{svg}} {{unescaped_html qr.svg}}"),
	    "<svg><rect/></svg> &lt;svg&gt;&lt;rect/&gt;&lt;/svg&gt; <b>");
}
END_TEST

START_TEST(comments)
{
	tdict_str(D, "a", "A");
	fails("{{!one\ntwo\n}}\n{{/x}}", "t:4: close {{/x}} without an open section");
	ck_assert_str_eq(run("x{{! a comment, with {{ and spaces }}y{{a}}"), "xyA");
}
END_TEST

START_TEST(list_section)
{
	struct tdict	*it;
	const char	*names[] = { "one", "<two>", "three" };
	size_t		 i;

	for (i = 0; i < 3; i++) {
		it = tdict_add(D, "items");
		tdict_str(it, "name", names[i]);
	}
	ck_assert_str_eq(run("<ul>{{#items}}<li>{{@number}}/{{@index}} {{name}}</li>"
	    "{{/items}}</ul>"),
	    "<ul><li>1/0 one</li><li>2/1 &lt;two&gt;</li><li>3/2 three</li></ul>");
}
END_TEST

START_TEST(nested_lists)
{
	struct tdict	*row, *cell;
	int		 r, c;

	for (r = 0; r < 2; r++) {
		row = tdict_add(D, "rows");
		tdict_int(row, "r", r);
		for (c = 0; c < 3; c++) {
			cell = tdict_add(row, "cells");
			tdict_int(cell, "c", c);
		}
	}
	tdict_list(D, "none");
	ck_assert_str_eq(run("{{#rows}}[{{#cells}}{{r}}{{c}}:{{@index}} {{/cells}}"
	    "{{@index}}]{{#none}}never{{/none}}{{/rows}}{{@index}}"),
	    "[00:0 01:1 02:2 0][10:0 11:1 12:2 1]");
}
END_TEST

START_TEST(dict_section_and_dotted)
{
	struct tdict	*user = tdict_child(D, "user");

	tdict_str(user, "name", "Ann");
	tdict_str(tdict_child(user, "org"), "name", "Parish");
	tdict_str(D, "site", "Voices");
	ck_assert_ptr_eq(tdict_child(D, "user"), user);
	ck_assert_str_eq(run("{{#user}}{{name}} of {{org.name}} on {{site}}{{/user}}|"
	    "{{user.org.name}}|{{user.nothing.name}}|{{site.name}}"),
	    "Ann of Parish on Voices|Parish||");
}
END_TEST

START_TEST(lookup_outward)
{
	struct tdict	*it;

	tdict_str(D, "name", "root");
	tdict_str(D, "title", "T");
	it = tdict_add(D, "items");
	tdict_str(it, "name", "inner");
	it = tdict_add(D, "items");
	tdict_int(it, "other", 1);
	/* Inner names shadow outer ones; missing ones are found outside.  A
	 * dotted name resolves its first part outwards, then only descends. */
	tdict_str(tdict_child(D, "a"), "b", "outer a.b");
	tdict_child(tdict_add(D, "list2"), "a");
	ck_assert_str_eq(run("{{#items}}{{name}}-{{title}};{{/items}}"
	    "{{#list2}}[{{a.b}}]{{/list2}}"),
	    "inner-T;root-T;[]");
}
END_TEST

/* Values either side of truth: t and s ("x") true; f, e ("") and zero
 * false. */
static void
truth_values(void)
{
	tdict_bool(D, "t", 1);
	tdict_bool(D, "f", 0);
	tdict_str(D, "s", "x");
	tdict_str(D, "e", "");
	tdict_int(D, "zero", 0);
}

START_TEST(truthy_sections)
{
	truth_values();
	tdict_int(D, "one", 7);
	tdict_str(D, "v", "V");
	ck_assert_str_eq(run("{{#t}}t{{v}}{{/t}}{{#f}}f{{/f}}{{#s}}s{{s}}{{/s}}"
	    "{{#e}}e{{/e}}{{#one}}1{{one}}{{/one}}{{#zero}}0{{/zero}}{{#missing}}m{{/missing}}"),
	    "tVsx17");
}
END_TEST

START_TEST(inverted_sections)
{
	truth_values();
	tdict_list(D, "empty");
	tdict_add(D, "full");
	tdict_child(D, "d");
	ck_assert_str_eq(run("{{^missing}}M{{/missing}}{{^f}}F{{/f}}{{^e}}E{{/e}}"
	    "{{^empty}}L{{/empty}}{{^zero}}Z{{/zero}}{{^t}}no{{/t}}{{^s}}no{{/s}}"
	    "{{^full}}no{{/full}}{{^d}}no{{/d}}"),
	    "MFELZ");
}
END_TEST

START_TEST(partials)
{
	struct tdict	*it;

	tdict_str(D, "title", "<T>");
	it = tdict_add(D, "items");
	tdict_str(it, "name", "a");
	it = tdict_add(D, "items");
	tdict_str(it, "name", "b");
	/* The page comes before the partials it names. */
	add("page", "{{>head}}{{#items}}{{>item}}{{/items}}{{>foot}}");
	ck_assert_int_eq(tmpl_render(S, "page", D, &B), -1);
	add("head", "<h1>{{title}}</h1>\n");
	add("item", "<li>{{name}} in {{>title}}</li>");
	add("title", "{{title}}");
	add("foot", "<footer>{{#items}}{{@number}}{{/items}}</footer>");
	ck_assert_int_eq(tmpl_set_check(S, err, sizeof(err)), 0);
	ck_assert(tmpl_exists(S, "foot"));
	ck_assert(!tmpl_exists(S, "nope"));
	ck_assert_str_eq(render("page"), "<h1>&lt;T&gt;</h1>\n"
	    "<li>a in &lt;T&gt;</li><li>b in &lt;T&gt;</li><footer>12</footer>");
}
END_TEST

START_TEST(unknown_partial)
{
	add("a", "x\n{{>b}}\n{{>nope}}");
	add("b", "B");
	ck_assert_int_eq(tmpl_set_check(S, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "a:3: unknown partial {{>nope}}");
	ck_assert_int_eq(tmpl_render(S, "a", D, &B), -1);
}
END_TEST

START_TEST(recursive_partials)
{
	ck_assert_int_eq(tmpl_set_add(S, "self", "x\n{{>self}}", 11, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "self:2: recursive partial {{>self}}");
	ck_assert(!tmpl_exists(S, "self"));
	add("a", "{{>b}}");
	add("b", "{{>c}}");
	ck_assert_int_eq(tmpl_set_add(S, "c", "\n\n{{#x}}{{>a}}{{/x}}", 20, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "c:3: recursive partial {{>a}}");
	ck_assert(!tmpl_exists(S, "c"));
	add("c", "C");
	ck_assert_str_eq(render("a"), "C");
}
END_TEST

static const struct {
	const char	*src;
	const char	*err;
} bad[] = {
	{ "a\n{{#list}}\nx", "t:2: unclosed section {{#list}}" },
	{ "{{^a}}\n{{#b}}{{/b}}", "t:1: unclosed section {{^a}}" },
	{ "{{#a}}\n{{/b}}", "t:2: mismatched close {{/b}}, expected {{/a}}" },
	{ "{{#a}}{{#b}}\n\n{{/a}}{{/b}}", "t:3: mismatched close {{/a}}, expected {{/b}}" },
	{ "\n\n{{/a}}", "t:3: close {{/a}} without an open section" },
	{ "x\n{{&name}}", "t:2: unknown tag syntax {{&name}}" },
	{ "{{{name}}}", "t:1: unknown tag syntax {{{name}}" },
	{ "{{=<%}}", "t:1: unknown tag syntax {{=<%}}" },
	{ "{{a|upper}}", "t:1: unknown filter 'upper'" },
	{ "\n{{a|}}", "t:2: unknown filter ''" },
	{ "{{a|url|url}}", "t:1: unknown filter 'url|url'" },
	{ "{{}}", "t:1: empty name {{}}" },
	{ "{{#}}{{/}}", "t:1: empty name" },
	{ "{{>}}", "t:1: empty name" },
	{ "{{|url}}", "t:1: empty name" },
	{ "\n\n\n{{ name }}", "t:4: tag with spaces {{ name }}" },
	{ "{{#a b}}", "t:1: tag with spaces {{#a b}}" },
	{ "{{name\n}}", "t:1: tag with spaces {{name\n}}" },
	{ "{{unescaped_html  x}}", "t:1: tag with spaces {{unescaped_html  x}}" },
	{ "{{unescaped_html}}", "t:1: unescaped_html needs a name" },
	{ "{{unescaped_html x|url}}", "t:1: bad character '|' in name 'x|url'" },
	{ "ok\n{{name", "t:2: unclosed tag {{" },
	{ "{{a\n{{b}}", "t:1: unclosed tag {{" },
	{ "{{a/b}}", "t:1: bad character '/' in name 'a/b'" },
	{ "{{#@index}}{{/@index}}", "t:1: bad character '@' in name '@index'" },
	{ "{{a..b}}", "t:1: empty part in name 'a..b'" },
	{ "{{.a}}", "t:1: unknown tag syntax {{.a}}" },
	{ "{{a.}}", "t:1: empty part in name 'a.'" },
	{ "{{a.b.c.d.e.f.g.h.i}}", "t:1: name 'a.b.c.d.e.f.g.h.i' has too many parts" },
	{ "{{>a/b}}", "t:1: bad character '/' in partial 'a/b'" },
	{ "{{caf\xC3\xA9}}", "t:1: bad byte 0xC3 in name" },
};

START_TEST(load_errors)
{
	fails(bad[_i].src, bad[_i].err);
}
END_TEST

START_TEST(nesting_and_duplicates)
{
	char	src[2048] = "";
	int	i;

	for (i = 0; i < 65; i++)
		strcat(src, "{{#a}}");
	fails(src, "t:1: sections nested deeper than 64");
	add("t", "first");
	ck_assert_int_eq(tmpl_set_add(S, "t", "x", 1, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "t:1: duplicate template 't'");
	ck_assert_str_eq(render("t"), "first");
}
END_TEST

/* The context stack holds 32 frames, the root dict among them. */
static void
deep(int levels, int ok)
{
	char		 name[16], src[4096] = "";
	struct tdict	*d = D;
	int		 i;

	for (i = 0; i < levels; i++) {
		d = tdict_child(d, "d");
		strcat(src, "{{#d}}");
	}
	tdict_str(d, "leaf", "L");
	strcat(src, "{{leaf}}");
	for (i = 0; i < levels; i++)
		strcat(src, "{{/d}}");
	snprintf(name, sizeof(name), "deep%d", levels);
	add(name, src);
	buf_reset(&B);
	ck_assert_int_eq(tmpl_render(S, name, D, &B), ok ? 0 : -1);
	if (ok)
		ck_assert_str_eq(B.p, "L");
}

START_TEST(depth_limit)
{
	char	src[4096] = "";
	int	i;

	deep(31, 1);
	deep(32, 0);
	/* Sections that push nothing do not count. */
	tdict_bool(D, "t", 1);
	for (i = 0; i < 60; i++)
		strcat(src, "{{#t}}");
	strcat(src, "x");
	for (i = 0; i < 60; i++)
		strcat(src, "{{/t}}");
	ck_assert_str_eq(run(src), "x");
}
END_TEST

START_TEST(tdict_rules)
{
	struct tdict	*it;

	tdict_str(D, "a", "first");
	tdict_str(D, "a", "second");
	tdict_str(D, "n", NULL);
	it = tdict_add(D, "l");
	tdict_str(it, "x", "1");
	tdict_list(D, "l");		/* keeps the list */
	tdict_int(D, "b", 1);
	tdict_list(D, "b");		/* keeps the int */
	ck_assert_str_eq(run("{{a}}[{{n}}]{{#l}}{{x}}{{/l}}{{b}}"), "second[]11");
	ck_assert(!tdict_failed(D));
	ck_assert(!tdict_failed(it));
	ck_assert(tdict_failed(NULL));
	/* Setters on a NULL dict, as left by a failed tdict_add, do nothing. */
	tdict_str(NULL, "a", "b");
	tdict_int(NULL, "a", 1);
	tdict_bool(NULL, "a", 1);
	tdict_list(NULL, "a");
	ck_assert_ptr_null(tdict_child(NULL, "a"));
	ck_assert_ptr_null(tdict_add(NULL, "a"));
	tdict_str(it, NULL, "x");
	ck_assert(tdict_failed(D));
}
END_TEST

START_TEST(many_entries)
{
	static char	names[100][16];
	char		src[2048] = "";
	int		i;

	for (i = 0; i < 100; i++) {
		snprintf(names[i], sizeof(names[i]), "k%d", i);
		tdict_int(D, names[i], i);
	}
	for (i = 99; i >= 0; i -= 11) {
		strcat(src, "{{");
		strcat(src, names[i]);
		strcat(src, "}},");
	}
	ck_assert_str_eq(run(src), "99,88,77,66,55,44,33,22,11,0,");
}
END_TEST

/* A frozen dict linked into two trees: found by bisection whatever order it
 * was filled in, shared rather than copied, and never written through. */
START_TEST(frozen_and_linked)
{
	static char	names[100][16];
	struct tdict	*sh = tdict_new(A), *other = tdict_new(A), *dup = tdict_new(A);
	char		src[2048] = "";
	int		i;

	for (i = 99; i >= 0; i--) {	/* out of order: freezing sorts */
		snprintf(names[i], sizeof(names[i]), "k%d", i);
		tdict_int(sh, names[i], i);
	}
	tdict_freeze(sh);
	ck_assert(!tdict_failed(sh));
	for (i = 0; i < 100; i += 9) {
		strcat(src, "{{t.");
		strcat(src, names[i]);
		strcat(src, "}},");
	}
	strcat(src, "[{{t.k100}}{{t.k}}{{t.k1x}}]{{#t}}{{k42}}{{/t}}");
	tdict_link(D, "t", sh);
	tdict_link(other, "t", sh);
	ck_assert_str_eq(run(src), "0,9,18,27,36,45,54,63,72,81,90,99,[]42");
	/* Frozen means read-only: setters change nothing and mark it failed. */
	tdict_int(sh, "k1", 7);
	tdict_str(sh, "new", "x");
	ck_assert(tdict_failed(sh));
	ck_assert_str_eq(render("t"), "0,9,18,27,36,45,54,63,72,81,90,99,[]42");
	/* The tree that links it cannot get it for writing. */
	ck_assert(!tdict_failed(other));
	ck_assert_ptr_null(tdict_child(other, "t"));
	ck_assert(tdict_failed(other));
	/* Only a frozen, healthy dict can be linked; repeated names fail freezing. */
	tdict_link(D, "u", sh);		/* sh failed above */
	ck_assert(tdict_failed(D));
	tdict_str_unique(dup, "a", "1");
	tdict_str_unique(dup, "a", "2");
	tdict_freeze(dup);
	ck_assert(tdict_failed(dup));
	other = tdict_new(A);
	tdict_link(other, "t", NULL);
	ck_assert(tdict_failed(other));
	other = tdict_new(A);
	tdict_link(other, "t", tdict_new(A));	/* not frozen */
	ck_assert(tdict_failed(other));
}
END_TEST

START_TEST(render_misc)
{
	add("t", "a{{x}}b");
	ck_assert_int_eq(tmpl_render(S, "nope", D, &B), -1);
	buf_reset(&B);
	ck_assert_int_eq(tmpl_render(S, "t", NULL, &B), 0);
	ck_assert_str_eq(B.p, "ab");
}
END_TEST

static char	dir[64];

START_TEST(load_dir)
{
	struct tmpl_set	*set;

	unit_tmpdir(dir, sizeof dir);
	unit_write(dir, "a_page.html", "{{>z_foot}}|{{title}}\n");
	unit_write(dir, "z_foot.html", "foot");
	unit_write(dir, "notes.txt", "{{ not a template");
	unit_write(dir, ".hidden.html", "{{ not a template");
	ck_assert_int_eq(tmpl_set_load(dir, &set, err, sizeof(err)), 0);
	tdict_str(D, "title", "&");
	ck_assert(tmpl_exists(set, "a_page"));
	ck_assert(!tmpl_exists(set, "notes"));
	ck_assert_int_eq(tmpl_render(set, "a_page", D, &B), 0);
	ck_assert_str_eq(B.p, "foot|&amp;\n");
	tmpl_set_free(set);
	unit_rmdir(dir);
}
END_TEST

START_TEST(load_dir_errors)
{
	struct tmpl_set	*set = (struct tmpl_set *)1;
	char		 want[256];

	unit_tmpdir(dir, sizeof dir);
	unit_write(dir, "ok.html", "fine");
	unit_write(dir, "p.html", "x\n{{>missing}}");
	ck_assert_int_eq(tmpl_set_load(dir, &set, err, sizeof(err)), -1);
	ck_assert_ptr_null(set);
	snprintf(want, sizeof(want), "%s/p.html:2: unknown partial {{>missing}}", dir);
	ck_assert_str_eq(err, want);
	unit_write(dir, "missing.html", "\n\n{{#open}}");
	ck_assert_int_eq(tmpl_set_load(dir, &set, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s/missing.html:3: unclosed section {{#open}}", dir);
	ck_assert_str_eq(err, want);
	unit_rmdir(dir);
	ck_assert_int_eq(tmpl_set_load(dir, &set, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, dir));
}
END_TEST

static Suite *
tmpl_suite(void)
{
	Suite	*s = suite_create("tmpl");
	TCase	*tc = tcase_create("tmpl");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, text_and_whitespace);
	tcase_add_test(tc, values_escaped);
	tcase_add_test(tc, url_filter);
	tcase_add_test(tc, unescaped_html);
	tcase_add_test(tc, comments);
	tcase_add_test(tc, list_section);
	tcase_add_test(tc, nested_lists);
	tcase_add_test(tc, dict_section_and_dotted);
	tcase_add_test(tc, lookup_outward);
	tcase_add_test(tc, truthy_sections);
	tcase_add_test(tc, inverted_sections);
	tcase_add_test(tc, partials);
	tcase_add_test(tc, unknown_partial);
	tcase_add_test(tc, recursive_partials);
	tcase_add_loop_test(tc, load_errors, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, nesting_and_duplicates);
	tcase_add_test(tc, depth_limit);
	tcase_add_test(tc, tdict_rules);
	tcase_add_test(tc, many_entries);
	tcase_add_test(tc, frozen_and_linked);
	tcase_add_test(tc, render_misc);
	tcase_add_test(tc, load_dir);
	tcase_add_test(tc, load_dir_errors);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(tmpl_suite(), CK_FORK_GETENV);
}
