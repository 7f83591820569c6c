/* datadict: a survey's data dictionary, the key to every findings file and
 * to the stored codes: one CSV row per answer code of every question (one
 * row for a question without codes), with its text and type, whether the
 * code is a "missing" answer (outside a scale), and who was asked the
 * question (everyone, or the people whose earlier answer opened its page or
 * the question: the survey's show_if, in words).  The response's own fields
 * (channel, language, day, version) come first.  Texts are in the survey's
 * default language.  Nothing here comes from a response: the dictionary
 * describes the survey file alone, so it is the same on the server (the
 * staff downloads) and in the analysis tool (report's exports). */
#ifndef DATADICT_H
#define DATADICT_H
#include "buf.h"
#include "survey.h"

#define DATADICT_FILE	"dictionary.csv"

/* Appends the dictionary of s to out as CSV (RFC 4180, CRLF, every cell
 * escaped with esc_csv), after a UTF-8 byte order mark when bom is 1.  The
 * columns: field, page, type, question, code, label, missing, asked_of,
 * required, min, max, max_choices, rank.  Out of memory shows as
 * buf_failed(out). */
void datadict_csv(const struct survey *s, struct buf *out, int bom);
#endif
