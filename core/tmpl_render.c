/* tmpl_render: runs a compiled template over a tdict tree.
 * The renderer is a loop over ops, not a recursion over sections: a section
 * that pushes a context (a dict, or each item of a list) records its opener's
 * index in a frame, and the matching END either moves the frame to the next
 * item and jumps back or pops it.  Sections that push nothing (a true bool, a
 * non-empty string, a non-zero int) leave no frame, so their END finds a frame
 * belonging to someone else and just falls through.  Only partials recurse,
 * and the set guarantees they do not loop.  Nothing is allocated here but
 * output: the context stack is a fixed array, and going deeper than it is a
 * render error rather than a surprise. */
#include <stdint.h>
#include <string.h>

#include "esc.h"
#include "tmpl_int.h"

struct frame {
	const struct tdict	*d;
	uint32_t		 op;	/* opener of the section that pushed it */
	int			 list;	/* d is an item; d->next is the next one */
	long			 index;	/* d's position in its list */
};

struct render {
	const struct tmpl_set	*set;
	struct buf		*out;
	struct frame		 f[TMPL_DEPTH];
	size_t			 depth;
};

/* The first segment is searched from the innermost frame outwards; the rest
 * descend through child dicts from wherever it was found. */
static const struct tentry *
lookup(const struct render *r, const struct op *o)
{
	const struct tentry	*e = NULL;
	size_t			 i;
	uint32_t		 k;

	for (i = r->depth; i > 0; i--)
		if ((e = tdict_find(r->f[i - 1].d, o->seg[0].s, o->seg[0].len)) != NULL)
			break;
	for (k = 1; e != NULL && k < o->nseg; k++)
		e = e->kind == TV_DICT ?
		    tdict_find(e->v.d, o->seg[k].s, o->seg[k].len) : NULL;
	return e;
}

static int
truthy(const struct tentry *e)
{
	if (e == NULL)
		return 0;
	switch (e->kind) {
	case TV_STR:
		return e->v.s[0] != '\0';
	case TV_INT:
		return e->v.i != 0;
	case TV_BOOL:
		return e->v.b;
	case TV_DICT:
		return 1;
	case TV_LIST:
		return e->v.l.head != NULL;
	}
	return 0;
}

/* Writes v in decimal ending at end; returns where it starts. */
static char *
fmt_long(char *end, long v)
{
	/* -(v + 1) + 1 is |v| even for LONG_MIN, with no overflow on the way. */
	unsigned long	u = v < 0 ? (unsigned long)-(v + 1) + 1 : (unsigned long)v;

	do {
		*--end = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--end = '-';
	return end;
}

/* URL encoding leaves only unreserved characters and %XX, none of which HTML
 * treats specially, so {{name|url}} needs no second, HTML pass. */
static void
put(struct buf *out, enum opk kind, const char *s, size_t n)
{
	if (kind == OP_URL)
		esc_url(out, s, n);
	else if (kind == OP_RAW)
		buf_add(out, s, n);
	else
		esc_html(out, s, n);
}

/* Strings, ints and bools ("true"/"false") print; dicts, lists and missing
 * names print nothing. */
static void
put_value(struct buf *out, enum opk kind, const struct tentry *e)
{
	char	 num[24], *s;

	if (e == NULL)
		return;
	switch (e->kind) {
	case TV_STR:
		put(out, kind, e->v.s, strlen(e->v.s));
		break;
	case TV_INT:
		s = fmt_long(num + sizeof(num), e->v.i);
		buf_add(out, s, (size_t)(num + sizeof(num) - s));
		break;
	case TV_BOOL:
		put(out, kind, e->v.b ? "true" : "false", e->v.b ? 4 : 5);
		break;
	default:
		break;
	}
}

/* @index and @number of the innermost list item; nothing outside a list. */
static void
put_index(const struct render *r, long add)
{
	char	 num[24], *s;
	size_t	 i;

	for (i = r->depth; i > 0; i--)
		if (r->f[i - 1].list) {
			s = fmt_long(num + sizeof(num), r->f[i - 1].index + add);
			buf_add(r->out, s, (size_t)(num + sizeof(num) - s));
			return;
		}
}

/* Section opener at `at`: sets *pc to the first op inside, or past the END
 * when the section is skipped.  -1 when the context stack is full. */
static int
enter(struct render *r, const struct op *o, uint32_t at, uint32_t *pc)
{
	const struct tentry	*e = lookup(r, o);
	struct frame		*f;

	if (truthy(e) == (o->kind == OP_INVERTED)) {
		*pc = o->ref + 1;
		return 0;
	}
	*pc = at + 1;
	if (o->kind == OP_INVERTED || (e->kind != TV_DICT && e->kind != TV_LIST))
		return 0;
	if (r->depth == TMPL_DEPTH)
		return -1;
	f = &r->f[r->depth++];
	f->op = at;
	f->list = e->kind == TV_LIST;
	f->d = f->list ? e->v.l.head : e->v.d;
	f->index = 0;
	return 0;
}

/* END at `at`: only frames above base belong to this template's run. */
static void
leave(struct render *r, size_t base, const struct op *o, uint32_t at,
    uint32_t *pc)
{
	struct frame	*f;

	*pc = at + 1;
	if (r->depth <= base || r->f[r->depth - 1].op != o->ref)
		return;
	f = &r->f[r->depth - 1];
	if (f->list && f->d->next != NULL) {
		f->d = f->d->next;
		f->index++;
		*pc = o->ref + 1;
	} else
		r->depth--;
}

static int
run(struct render *r, const struct tmpl *t)
{
	const size_t	 base = r->depth;
	const struct op	*o;
	uint32_t	 pc = 0;

	while (pc < t->nops) {
		o = &t->ops[pc];
		switch (o->kind) {
		case OP_TEXT:
			buf_add(r->out, o->s, o->len);
			break;
		case OP_VAR:
		case OP_URL:
		case OP_RAW:
			put_value(r->out, o->kind, lookup(r, o));
			break;
		case OP_INDEX:
		case OP_NUMBER:
			put_index(r, o->kind == OP_NUMBER);
			break;
		case OP_SECTION:
		case OP_INVERTED:
			if (enter(r, o, pc, &pc) == -1)
				return -1;
			continue;
		case OP_END:
			leave(r, base, o, pc, &pc);
			continue;
		case OP_PARTIAL:
			if (o->ref == NOREF || run(r, &r->set->t[o->ref]) == -1)
				return -1;
			break;
		}
		pc++;
	}
	return 0;
}

int
tmpl_render(const struct tmpl_set *set, const char *name,
    const struct tdict *data, struct buf *out)
{
	struct render	r;
	uint32_t	at;

	if (!tmpl_find(set, name, &at))
		return -1;
	r.set = set;
	r.out = out;
	r.depth = 0;
	if (data != NULL) {
		r.f[0] = (struct frame){ data, NOREF, 0, 0 };
		r.depth = 1;
	}
	if (run(&r, &set->t[at]) == -1)
		return -1;
	return buf_failed(out) ? -1 : 0;
}
