/* scrub: removes personal identifiers from free text before it is stored.
 * Respondents are told this happens.  What is removed: e-mail addresses, phone
 * numbers (UK and international forms), full UK postcodes (the outward code,
 * e.g. "N17", is kept: it says the area, not the home), URLs, and long digit
 * runs (account, NHS or reference numbers).  Each is replaced by a bracketed
 * placeholder: "[email removed]", "[phone removed]", "[link removed]",
 * "[number removed]"; a postcode becomes its outward code in capitals and
 * " [postcode removed]" ("n17 8ab" -> "N17 [postcode removed]").  Kept on
 * purpose: years, dates, times, ages, counts, and numbers of up to 7 digits or
 * short ones starting with 0 such as helplines ("999", "101", "0800 1111"). */
#ifndef SCRUB_H
#define SCRUB_H
#include <stddef.h>
#include "buf.h"

enum scrub_kind {
	SCRUB_EMAIL	= 1 << 0,
	SCRUB_PHONE	= 1 << 1,
	SCRUB_POSTCODE	= 1 << 2,
	SCRUB_URL	= 1 << 3,
	SCRUB_NUMBER	= 1 << 4
};

/* Appends the scrubbed copy of s[0..n) (valid UTF-8) to out and returns the
 * set of kinds removed (0 when nothing was). */
unsigned scrub_text(const char *s, size_t n, struct buf *out);
#endif
