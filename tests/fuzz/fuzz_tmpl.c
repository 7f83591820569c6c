/* Fuzz target for core/tmpl.c: the input is compiled as a template source
 * (beside a fixed partial "p") and, when it compiles, rendered with a small
 * data tree holding every kind of value.  Compile and render errors are
 * fine; a crash or an unterminated error message is not. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "tmpl.h"

static const char partial[] = "[{{name}}{{#items}}<{{name|url}}>{{/items}}]";

static struct tdict *
data_tree(struct arena *a)
{
	struct tdict	*d, *item, *child;

	if ((d = tdict_new(a)) == NULL)
		return NULL;
	tdict_str(d, "name", "<b>\"O'Neil\" & co</b>");
	tdict_str(d, "empty", "");
	tdict_int(d, "n", -42);
	tdict_bool(d, "yes", 1);
	tdict_bool(d, "no", 0);
	tdict_str(d, "html", "<svg></svg>");
	tdict_list(d, "none");
	item = tdict_add(d, "items");
	tdict_str(item, "name", "a b/c?d=e&f");
	item = tdict_add(d, "items");
	tdict_str(item, "name", "caf\xc3\xa9");
	tdict_int(item, "n", 7);
	child = tdict_child(d, "child");
	tdict_str(child, "x", "x-value");
	tdict_str(tdict_child(child, "deep"), "y", "y-value");
	return tdict_failed(d) ? NULL : d;
}

static void
check_err(const char *err, size_t len)
{
	if (memchr(err, '\0', len) == NULL)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena	*a;
	struct tmpl_set		*set;
	struct tdict		*d;
	struct buf		 out = BUF_INIT;
	char			 err[256];

	if (a == NULL && (a = arena_new(4096)) == NULL)
		abort();
	arena_reset(a);
	if ((set = tmpl_set_new()) == NULL)
		return 0;
	memset(err, 'x', sizeof(err));
	if (tmpl_set_add(set, "p", partial, strlen(partial), err, sizeof(err)) != 0)
		abort();
	if (tmpl_set_add(set, "t", (const char *)data, size, err, sizeof(err)) != 0) {
		check_err(err, sizeof(err));
		goto out;
	}
	if (!tmpl_exists(set, "t") || (d = data_tree(a)) == NULL)
		abort();
	/* -1 is allowed: a partial named by the input may not exist. */
	if (tmpl_render(set, "t", d, &out) == 0 && out.len > 0 &&
	    out.p[out.len] != '\0')
		abort();
out:
	buf_free(&out);
	tmpl_set_free(set);
	return 0;
}
