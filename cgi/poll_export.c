/* poll_export: a session's results for the facilitator and the analysts,
 * as JSON and CSV.  These leave the room, so they go through the core's
 * disclosure control at the threshold in force (the configured one, raised
 * by the poll set's suppress_below): a hidden number is null in JSON and
 * empty in CSV, free text (open answers, statement texts) is left out, and
 * a question whose table cannot be made safe has no numbers at all.  A
 * small number never leaves, nor can it be worked out from what does.
 * Every export is audited first; one whose audit row cannot be written is
 * refused. */
#include <string.h>
#include "audit.h"
#include "esc.h"
#include "handlers.h"
#include "poll_staff.h"
#include "view.h"

static json_t *
export_json(struct ctx *c, const struct psess *ps)
{
	json_t *qs = json_array(), *j;

	for (int q = 0; q < ps->p.state.nq && qs; q++) {
		json_t *r = poll_results_json(c, ps, q, ps->suppress);
		if (r == NULL) {
			json_decref(qs);
			return NULL;
		}
		json_array_append_new(qs, r);
	}
	j = json_pack("{s:s,s:s,s:s,s:s,s:i,s:o}", "code", ps->p.code, "poll_set",
	    ps->p.poll_set[0] ? ps->p.poll_set : "quick", "day", ps->p.day, "channel", "workshop",
	    "suppress_below", ps->suppress, "questions", qs);
	return j;
}

void
h_poll_export_json(struct ctx *c)
{
	const struct psess *ps = c->poll;

	if (audit_log(c, "poll_export", "session=%lld format=json", (long long)ps->p.id) != 0) {
		page_error(c, 503, "try_again");
		return;
	}
	poll_send_json(c, export_json(c, ps));
	resp_header(c->resp, arena_printf(c->a, "Content-Disposition: attachment; "
	    "filename=\"poll-%s-%s.json\"", ps->p.day, ps->p.code));
}

static void
cell(struct buf *b, const char *s, int last)
{
	esc_csv(b, s ? s : "", s ? strlen(s) : 0);
	buf_adds(b, last ? "\r\n" : ",");
}

static const char *
num(struct ctx *c, json_t *v)
{
	return json_is_integer(v) ? arena_printf(c->a, "%lld", (long long)json_integer_value(v))
	    : "";
}

/* One CSV row per option, word or statement (by number) of question r. */
static void
csv_question(struct ctx *c, struct buf *b, json_t *r)
{
	static const char *const lists[] = { "bars", "points", "words", "statements" };
	const char *qid = json_string_value(json_object_get(r, "id"));
	const char *type = json_string_value(json_object_get(r, "type"));

	for (size_t k = 0; k < sizeof(lists) / sizeof(lists[0]); k++) {
		json_t *l = json_object_get(r, lists[k]), *it;
		size_t i;
		json_array_foreach(l, i, it) {
			json_t *label = json_object_get(it, k == 0 || k == 1 ? "label" : "text");
			cell(b, qid, 0);
			cell(b, type, 0);
			cell(b, num(c, json_object_get(r, "answers")), 0);
			cell(b, k == 3 ? num(c, json_object_get(it, "id")) :
			    json_string_value(json_object_get(it, "code")), 0);
			cell(b, json_string_value(label), 0);
			cell(b, num(c, json_object_get(it, k == 3 ? "agree" : "count")), 0);
			cell(b, k == 3 ? num(c, json_object_get(it, "disagree")) : "", 0);
			cell(b, k == 3 ? num(c, json_object_get(it, "pass")) : "", 1);
		}
	}
}

void
h_poll_export_csv(struct ctx *c)
{
	const struct psess *ps = c->poll;
	json_t *j, *q;
	size_t i;

	if (audit_log(c, "poll_export", "session=%lld format=csv", (long long)ps->p.id) != 0 ||
	    (j = export_json(c, ps)) == NULL) {
		page_error(c, 503, "try_again");
		return;
	}
	buf_reset(&c->resp->body);
	buf_adds(&c->resp->body, "question,type,answers,code,label,count_or_agree,disagree,pass\r\n");
	json_array_foreach(json_object_get(j, "questions"), i, q)
		csv_question(c, &c->resp->body, q);
	json_decref(j);
	c->resp->content_type = "text/csv; charset=utf-8";
	resp_header(c->resp, arena_printf(c->a, "Content-Disposition: attachment; "
	    "filename=\"poll-%s-%s.csv\"", ps->p.day, ps->p.code));
}
