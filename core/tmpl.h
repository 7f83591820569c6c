/* tmpl: our small template engine.  Templates are compiled once at start-up
 * and rendered many times from read-only compiled form, so a render touches no
 * disk and allocates nothing but output.
 *
 * Syntax (a subset of mustache, escaping by default):
 *   {{name}}            value, HTML-escaped (safe in text and quoted attributes)
 *   {{name|url}}        value as a URL component, then HTML-escaped
 *   {{a.b}}             dotted lookup into child dicts
 *   {{#name}}..{{/name}} section: repeated for each item of a list, entered once
 *                       for a child dict, a true bool or a non-empty string
 *   {{^name}}..{{/name}} inverted section: rendered when name is missing, false,
 *                       empty string or empty list
 *   {{>partial}}        another template of the set, rendered with the same data
 *   {{!comment}}        nothing
 *   {{unescaped_html name}}  the one raw insertion; for HTML the server built
 *                       itself (e.g. inline SVG from libqrencode).  Rare on purpose.
 *   {{@index}} {{@number}}  position (from 0 / from 1) in the innermost list
 * Strings print as they are, ints in decimal, bools as "true" or "false";
 * dicts, lists and missing names print nothing.  An int is true when non-zero.
 * A dotted name resolves its first part outwards, then only descends.
 * Names are looked up in the innermost section's dict first, then outwards.
 * Whitespace inside tags is not allowed.  Errors are reported as
 * "file:line: problem". */
#ifndef TMPL_H
#define TMPL_H
#include <stddef.h>
#include "arena.h"
#include "buf.h"

struct tmpl_set;
struct tdict;

/* Loads and compiles every *.html file in dir; a template's name is its file
 * name without ".html".  Partials are resolved at load, so a missing partial
 * is a load error.  On error returns -1 and writes "file:line: problem" to err. */
int tmpl_set_load(const char *dir, struct tmpl_set **out, char *err, size_t errlen)
    __attribute__((warn_unused_result));
/* Compiles one template from memory (for tests and fuzzing).  Templates may be
 * added in any order: a partial naming a template not added yet is resolved
 * when that template comes (until then rendering it fails).  An add that would
 * make partials recursive is rejected. */
int tmpl_set_add(struct tmpl_set *set, const char *name, const char *src, size_t n,
    char *err, size_t errlen) __attribute__((warn_unused_result));
/* After the last tmpl_set_add: -1 and "file:line: unknown partial {{>x}}" in
 * err if some partial names no template of the set.  tmpl_set_load calls it. */
int tmpl_set_check(const struct tmpl_set *set, char *err, size_t errlen)
    __attribute__((warn_unused_result));
struct tmpl_set *tmpl_set_new(void);
void tmpl_set_free(struct tmpl_set *set);
int tmpl_exists(const struct tmpl_set *set, const char *name);

/* Renders template `name` with `data` into out.  -1 if there is no such
 * template or output failed (out of memory). */
int tmpl_render(const struct tmpl_set *set, const char *name,
    const struct tdict *data, struct buf *out) __attribute__((warn_unused_result));

/* Template data: a tree of dicts allocated in a request arena.  Names and
 * string values are NOT copied: they must outlive the render (arena strings,
 * survey model strings or literals).  Setting a name twice keeps the last.
 * All setters fail silently on OOM and mark the dict; tdict_failed() tells. */
struct tdict *tdict_new(struct arena *a);
void tdict_str(struct tdict *d, const char *name, const char *value);
/* tdict_str for a name the caller knows is not in d yet (no search; a
 * repeated name would leave the first one visible). */
void tdict_str_unique(struct tdict *d, const char *name, const char *value);
void tdict_int(struct tdict *d, const char *name, long value);
void tdict_bool(struct tdict *d, const char *name, int value);
/* Child dict under name (created if missing). */
struct tdict *tdict_child(struct tdict *d, const char *name);
/* Appends a new item dict to the list under name (creating the list) and returns it. */
struct tdict *tdict_add(struct tdict *d, const char *name);
/* Makes `name` an empty list if nothing is there yet (so {{^name}} renders). */
void tdict_list(struct tdict *d, const char *name);
int tdict_failed(const struct tdict *d);

/* Shared read-only dicts, for data that is the same on every page (a
 * language's UI strings): built once in an arena that outlives every request,
 * frozen, then linked into each request's tree instead of being copied.
 * tdict_freeze puts d's entries in name order so lookups can bisect, and
 * makes d read-only from then on: every setter called on it marks it failed
 * and changes nothing.  Its names must be unique (else it is marked failed).
 * Freezing names already in strcmp order costs one pass. */
void tdict_freeze(struct tdict *d);
/* Makes `name` in d a child dict that is the frozen dict `shared`, which is
 * not copied: shared, its names and its values must outlive every render of
 * d.  tdict_child(d, name) then fails (NULL, d marked failed) rather than
 * hand out the shared dict for writing.  A NULL, unfrozen or failed shared
 * dict marks d failed. */
void tdict_link(struct tdict *d, const char *name, const struct tdict *shared);
#endif
