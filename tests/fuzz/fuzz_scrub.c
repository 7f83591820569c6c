/* Fuzz target for core/scrub.c: scrub_text on any valid UTF-8 (its contract
 * excludes anything else, so other inputs are skipped).  The copy must stay
 * valid UTF-8, must equal the input when nothing was removed, and must hold
 * the placeholder of each kind it says it removed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "esc.h"
#include "scrub.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
	unsigned	 kind;
	const char	*text;
} placeholders[] = {
	{ SCRUB_EMAIL, "[email removed]" },
	{ SCRUB_PHONE, "[phone removed]" },
	{ SCRUB_POSTCODE, " [postcode removed]" },
	{ SCRUB_URL, "[link removed]" },
	{ SCRUB_NUMBER, "[number removed]" },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data;
	struct buf	 out = BUF_INIT;
	unsigned	 kinds;

	if (!utf8_valid(s, size))
		return 0;
	kinds = scrub_text(s, size, &out);
	if (buf_failed(&out))
		goto out;
	if (out.len > 0 && !utf8_valid(out.p, out.len))
		abort();
	if (kinds == 0 && (out.len != size ||
	    (size > 0 && memcmp(out.p, s, size) != 0)))
		abort();
	if (kinds & ~(unsigned)(SCRUB_EMAIL | SCRUB_PHONE | SCRUB_POSTCODE |
	    SCRUB_URL | SCRUB_NUMBER))
		abort();
	for (size_t k = 0; k < sizeof placeholders / sizeof placeholders[0]; k++)
		if ((kinds & placeholders[k].kind) && memmem(out.p, out.len,
		    placeholders[k].text, strlen(placeholders[k].text)) == NULL)
			abort();
out:
	buf_free(&out);
	return 0;
}
