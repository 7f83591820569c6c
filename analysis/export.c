/* export: what the exporters share: atomic file writing and number text. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "export.h"

int
export_write(const char *dir, const char *name, const struct buf *b, char *err, size_t errlen)
{
	char path[4096], tmp[4200];
	FILE *fp;
	int ok;

	if (buf_failed(b)) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((fp = fopen(tmp, "wb")) == NULL) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	ok = fwrite(b->p ? b->p : "", 1, b->len, fp) == b->len;
	ok = (fflush(fp) == 0) && ok && fsync(fileno(fp)) == 0;
	if (fclose(fp) != 0 || !ok || rename(tmp, path) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

const char *
export_count(long n, int supp, char out[32])
{
	if (supp)
		return EXPORT_SUPPRESSED;
	snprintf(out, 32, "%ld", n);
	return out;
}

const char *
export_pct(double p, int supp, char out[32])
{
	if (supp)
		return EXPORT_SUPPRESSED;
	/* Rounded half away from zero, as the JSON export does. */
	snprintf(out, 32, "%.1f", round(p * 10.0) / 10.0);
	return out;
}

const char *
export_cmp_pct(const struct rrow *w, char out[32])
{
	return w->has_ref ? export_pct(w->cmp_pct, w->cmp_supp, out) : "";
}

const char *
export_diff(const struct rrow *w, char out[32])
{
	double d;

	if (!w->has_ref || w->cmp_supp)
		return w->has_ref ? EXPORT_SUPPRESSED : "";
	d = round(w->cmp_pct * 10.0) - round(w->ref_pct * 10.0);
	snprintf(out, 32, d == 0.0 ? "0.0" : "%+.1f", d / 10.0);
	return out;
}

const char *
export_median(const struct rtable *t, char out[64])
{
	if (!t->has_median)
		return "";
	if (t->median_supp)
		return EXPORT_SUPPRESSED;
	if (!t->median_exact)
		return t->median_band;
	snprintf(out, 64, "%ld", t->median);
	return out;
}

int
export_has_numbers(const struct report *r)
{
	for (size_t i = 0; i < r->nt; i++)
		if (r->t[i].kind == RK_NUMBER)
			return 1;
	return 0;
}
