/* tmpl_set: a named collection of compiled templates, and loading one from a
 * directory.  Partials are re-resolved after every add, so templates may come
 * in any order; an add that would close a chain of partials into a loop is
 * rejected, so the set stays acyclic and a render always ends. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tmpl_int.h"
#include "util.h"

int
tmpl_find(const struct tmpl_set *set, const char *name, uint32_t *at)
{
	uint32_t	i;

	for (i = 0; i < set->n; i++)
		if (strcmp(set->t[i].name, name) == 0) {
			*at = i;
			return 1;
		}
	return 0;
}

/* Points every partial at its template, or NOREF if there is none (yet). */
static void
resolve(struct tmpl_set *set)
{
	struct op	*o;
	uint32_t	 i, k;

	for (i = 0; i < set->n; i++)
		for (k = 0; k < set->t[i].nops; k++) {
			o = &set->t[i].ops[k];
			if (o->kind == OP_PARTIAL && !tmpl_find(set, o->s, &o->ref))
				o->ref = NOREF;
		}
}

/* 1 when template `from` reaches `target` through partials. */
static int
reaches(const struct tmpl_set *set, uint32_t from, uint32_t target,
    unsigned char *seen)
{
	const struct tmpl	*t = &set->t[from];
	uint32_t		 k;

	if (from == target)
		return 1;
	if (seen[from])
		return 0;
	seen[from] = 1;
	for (k = 0; k < t->nops; k++)
		if (t->ops[k].kind == OP_PARTIAL && t->ops[k].ref != NOREF &&
		    reaches(set, t->ops[k].ref, target, seen))
			return 1;
	return 0;
}

/* The set was acyclic before template `at` came, so any cycle now runs
 * through one of its partials: that one is reported. */
static int
check_cycles(const struct tmpl_set *set, uint32_t at, char *err, size_t errlen)
{
	const struct tmpl	*t = &set->t[at];
	const struct op		*o;
	unsigned char		*seen;
	uint32_t		 k;
	int			 rc = 0;

	if ((seen = malloc(set->n)) == NULL) {
		snprintf(err, errlen, "%s:1: out of memory", t->file);
		return -1;
	}
	for (k = 0; k < t->nops && rc == 0; k++) {
		o = &t->ops[k];
		if (o->kind != OP_PARTIAL || o->ref == NOREF)
			continue;
		memset(seen, 0, set->n);
		if (reaches(set, o->ref, at, seen)) {
			snprintf(err, errlen, "%s:%u: recursive partial {{>%s}}",
			    t->file, o->line, o->s);
			rc = -1;
		}
	}
	free(seen);
	return rc;
}

static int
add(struct tmpl_set *set, const char *name, const char *file, const char *src,
    size_t n, char *err, size_t errlen)
{
	struct tmpl	*t;
	char		*copy;
	uint32_t	 at;

	if (tmpl_find(set, name, &at)) {
		snprintf(err, errlen, "%s:1: duplicate template '%s'", file, name);
		return -1;
	}
	if (grow(&set->t, &set->cap, set->n, sizeof(*set->t), 8) != 0)
		goto oom;
	t = &set->t[set->n];
	*t = (struct tmpl){ NULL, NULL, NULL, 0, 0 };
	if ((t->name = arena_strdup(set->a, name)) == NULL ||
	    (t->file = arena_strdup(set->a, file)) == NULL ||
	    (copy = arena_strndup(set->a, src, n)) == NULL)
		goto oom;
	set->n++;
	if (tmpl_compile(set, t, copy, n, err, errlen) == 0) {
		resolve(set);
		if (check_cycles(set, set->n - 1, err, errlen) == 0)
			return 0;
	}
	free(t->ops);
	set->n--;
	resolve(set);
	return -1;
oom:
	snprintf(err, errlen, "%s:1: out of memory", file);
	return -1;
}

int
tmpl_set_add(struct tmpl_set *set, const char *name, const char *src, size_t n,
    char *err, size_t errlen)
{
	return add(set, name, name, src, n, err, errlen);
}

int
tmpl_set_check(const struct tmpl_set *set, char *err, size_t errlen)
{
	const struct op	*o;
	uint32_t	 i, k;

	for (i = 0; i < set->n; i++)
		for (k = 0; k < set->t[i].nops; k++) {
			o = &set->t[i].ops[k];
			if (o->kind == OP_PARTIAL && o->ref == NOREF) {
				snprintf(err, errlen, "%s:%u: unknown partial {{>%s}}",
				    set->t[i].file, o->line, o->s);
				return -1;
			}
		}
	return 0;
}

struct tmpl_set *
tmpl_set_new(void)
{
	struct tmpl_set	*set;

	if ((set = calloc(1, sizeof(*set))) == NULL)
		return NULL;
	if ((set->a = arena_new(16384)) == NULL) {
		free(set);
		return NULL;
	}
	return set;
}

void
tmpl_set_free(struct tmpl_set *set)
{
	uint32_t	i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		free(set->t[i].ops);
	free(set->t);
	arena_free(set->a);
	free(set);
}

int
tmpl_exists(const struct tmpl_set *set, const char *name)
{
	uint32_t	at;

	return tmpl_find(set, name, &at);
}

static int
is_html(const struct dirent *de)
{
	size_t	n = strlen(de->d_name);

	return de->d_name[0] != '.' && n > 5 &&
	    strcmp(de->d_name + n - 5, ".html") == 0;
}

/* Reads and compiles dir/fname; the template's name is fname minus ".html". */
static int
load_one(struct tmpl_set *set, const char *dir, const char *fname, char *err,
    size_t errlen)
{
	char		 path[4096], name[256];
	struct stat	 st;
	FILE		*f = NULL;
	char		*src = NULL;
	int		 rc = -1;

	snprintf(name, sizeof(name), "%.*s", (int)(strlen(fname) - 5), fname);
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, fname) >= sizeof(path)) {
		snprintf(err, errlen, "%s/%s: path too long", dir, fname);
		return -1;
	}
	if ((f = fopen(path, "r")) == NULL || fstat(fileno(f), &st) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = 0;
		goto out;
	}
	if (st.st_size > TMPL_MAXFILE) {
		snprintf(err, errlen, "%s: larger than %d bytes", path, TMPL_MAXFILE);
		goto out;
	}
	if ((src = malloc((size_t)st.st_size + 1)) == NULL ||
	    fread(src, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		snprintf(err, errlen, "%s: cannot read", path);
		goto out;
	}
	rc = add(set, name, path, src, (size_t)st.st_size, err, errlen);
out:
	if (f != NULL)
		fclose(f);
	free(src);
	return rc;
}

/* Files are compiled in name order, so the error reported is reproducible. */
int
tmpl_set_load(const char *dir, struct tmpl_set **out, char *err, size_t errlen)
{
	struct dirent	**list = NULL;
	struct tmpl_set	 *set;
	int		  n, i, rc = -1;

	*out = NULL;
	if ((set = tmpl_set_new()) == NULL) {
		snprintf(err, errlen, "%s: out of memory", dir);
		return -1;
	}
	if ((n = scandir(dir, &list, is_html, alphasort)) == -1) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		goto out;
	}
	for (i = 0; i < n; i++)
		if (load_one(set, dir, list[i]->d_name, err, errlen) == -1)
			goto out;
	if (tmpl_set_check(set, err, errlen) == -1)
		goto out;
	*out = set;
	set = NULL;
	rc = 0;
out:
	for (i = 0; list != NULL && i < n; i++)
		free(list[i]);
	free(list);
	tmpl_set_free(set);
	return rc;
}
