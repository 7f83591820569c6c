/* export: writes a report into a directory.  Every exporter reads only the
 * report (already suppressed); a suppressed count or percentage is written
 * as "[c]" (the UK official statistics symbol for confidential), a missing
 * value as empty.  Files are written to a temporary name and renamed, so a
 * reader never sees half a file.  Each returns 0, or -1 with a message in
 * err. */
#ifndef EXPORT_H
#define EXPORT_H
#include <stddef.h>
#include "buf.h"
#include "report.h"

#define EXPORT_SUPPRESSED	"[c]"

struct export_opts {
	int		 bom;		/* CSV: start with a UTF-8 byte order mark (for Excel) */
	const char	*generated;	/* a date to print, or NULL for none (golden files) */
};

int export_csv(const struct report *r, const char *dir, const struct export_opts *o,
    char *err, size_t errlen) __attribute__((warn_unused_result));
int export_json(const struct report *r, const char *dir, const struct export_opts *o,
    char *err, size_t errlen) __attribute__((warn_unused_result));
int export_xlsx(const struct report *r, const char *dir, const struct export_opts *o,
    char *err, size_t errlen) __attribute__((warn_unused_result));
int export_html(const struct report *r, const char *dir, const struct export_opts *o,
    char *err, size_t errlen) __attribute__((warn_unused_result));

/* Shared by the exporters. */
/* Writes b to dir/name through a temporary file and a rename. */
int export_write(const char *dir, const char *name, const struct buf *b, char *err, size_t errlen);
/* "12" or "[c]"; "12.3" or "[c]" (into a static-free caller buffer of 32). */
const char *export_count(long n, int supp, char out[32]);
const char *export_pct(double p, int supp, char out[32]);
/* A profile row's comparison with the borough (report_add_population):
 * the row's % of the comparison base and its difference from the borough's
 * share in points ("+2.5", from the two rounded percentages), "[c]" when
 * hidden, "" when the row has no borough share. */
const char *export_cmp_pct(const struct rrow *w, char out[32]);
const char *export_diff(const struct rrow *w, char out[32]);
/* A number table's median: "7", its band ("1000 or more") when only that
 * is known, "[c]" when hidden, "" when nobody answered.  out: 64 bytes. */
const char *export_median(const struct rtable *t, char out[64]);
/* 1 when the report has a number table (its exports then explain medians). */
int export_has_numbers(const struct report *r);
#endif
