/* scrub: removes personal identifiers from free text before it is stored.
 * Respondents are told this happens.  What is removed: e-mail addresses (also
 * "jo at example dot com", "jo(at)example.com", "jo＠example.com"), phone
 * numbers (UK and international forms, spaced or split by '-', '.', '/' or
 * brackets, from "+", "00" or "0", or a mobile without its 0), full UK
 * postcodes (the outward code, e.g. "N17", is kept: it says the area, not the
 * home; "N17  6AA", "N17-6AA", "N 17 6AA" count), links (with a scheme, "www."
 * or a bare domain: "bit.ly/x", "facebook.com/x", "example.co.uk"), and long
 * digit runs (account, NHS or reference numbers).  Full-width characters,
 * non-breaking and other spaces, accents and digits of other scripts are
 * read as their plain forms.  Each is replaced by a bracketed placeholder:
 * "[email removed]", "[phone removed]", "[link removed]", "[number removed]";
 * a postcode becomes its outward code in capitals and " [postcode removed]"
 * ("n17 8ab" -> "N17 [postcode removed]").  Kept on purpose: years, dates,
 * times, ages and lists of them ("aged 14 15 16 17"), counts, round ranges,
 * numbers of up to 7 digits, short ones starting with 0, and the helplines
 * the surveys show ("999", "101", "0800 1111", "0808 2000 247"). */
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
 * set of kinds removed (0 when nothing was).  Bytes outside what is removed
 * are copied unchanged.  Time and memory are linear in n; when memory runs
 * out, out is marked failed (buf_failed()). */
unsigned scrub_text(const char *s, size_t n, struct buf *out);
#endif
