/* dash_download: the analysts' downloads of a survey's findings.
 * GET /staff/surveys/ID/downloads lists them; each file is made on request
 * from the suppressed report (dash.h) by the analysis tool's own exporters,
 * so it holds the closed-question tables `voices-analyse report` writes,
 * and no free text (the server cannot open it).  Every download is audited
 * (who, which survey, which format; never any figure) before it is sent: a
 * download whose audit row cannot be written is refused. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "audit.h"
#include "dash.h"
#include "datadict.h"
#include "export.h"
#include "handlers.h"
#include "staff.h"
#include "store.h"
#include "util.h"
#include "view.h"

enum dl { DL_XLSX, DL_CSV, DL_DICT, DL_HTML, DL__MAX };

typedef int (*export_fn)(const struct report *, const char *, const struct export_opts *,
    char *, size_t);

static const struct {
	const char	*format;	/* in the audit row */
	const char	*suffix;	/* of the download: ID-SUFFIX */
	const char	*type;		/* Content-Type */
	export_fn	 fn;		/* NULL: the data dictionary */
	const char	*file;		/* what fn writes that we send */
} dls[DL__MAX] = {
	[DL_XLSX] = { "xlsx", "findings.xlsx",
	    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	    export_xlsx, "report.xlsx" },
	[DL_CSV] = { "csv", "findings.csv", "text/csv; charset=utf-8", export_csv, "tables.csv" },
	[DL_DICT] = { "dictionary", "dictionary.csv", "text/csv; charset=utf-8", NULL, NULL },
	[DL_HTML] = { "html", "findings.html", "text/html; charset=utf-8", export_html,
	    "report.html" },
};

/* Removes every file the exporter left in dir, then dir. */
static void
rm_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d != NULL && (e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			unlinkat(dirfd(d), e->d_name, 0);
	if (d != NULL)
		closedir(d);
	rmdir(dir);
}

static int
read_file(const char *dir, const char *name, struct buf *out)
{
	char path[4096], chunk[65536];
	FILE *fp;
	size_t n;
	int rc;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((fp = fopen(path, "rb")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(out, chunk, n);
	rc = ferror(fp) || buf_failed(out) ? -1 : 0;
	fclose(fp);
	return rc;
}

/* The report's file of dls[which] into out: written by its exporter into a
 * fresh private directory (mode 0700) under $TMPDIR, read back, removed. */
static int
export_to(const struct report *r, enum dl which, struct buf *out)
{
	const char *tmp = getenv("TMPDIR");
	char dir[4096], day[11], err[512];
	struct export_opts o = { 0, day };
	int rc;

	if (day_local(time(NULL), day) != 0)
		day[0] = '\0';
	snprintf(dir, sizeof dir, "%s/voices-dl-XXXXXX", tmp != NULL && *tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		return -1;
	rc = dls[which].fn(r, dir, &o, err, sizeof err) == 0 ? read_file(dir, dls[which].file, out)
	    : -1;
	rm_dir(dir);
	return rc;
}

/* Builds the file into the response body, audits, and sends it.  A HEAD
 * gets the same status and headers (the body is built so that its length is
 * right, and not sent) and writes no audit row: nothing left the server. */
static void
send_dl(struct ctx *c, enum dl which)
{
	const struct survey *s = c->survey;
	struct report *r = NULL;
	enum dash_err e = DASH_OK;
	int rc = -1;

	buf_reset(&c->resp->body);
	if (which == DL_DICT) {
		datadict_csv(s, &c->resp->body, 0);
		rc = buf_failed(&c->resp->body) ? -1 : 0;
	} else if ((e = dash_report(c, s, &r)) == DASH_OK)
		rc = export_to(r, which, &c->resp->body);
	report_free(r);
	if (rc != 0 || audit_log(c, "download", "survey=%s format=%s", s->id,
	    dls[which].format) != 0) {
		page_error(c, e == DASH_UNSAFE ? 500 : 503, e == DASH_UNSAFE ? "dash_unsafe" :
		    "staff_unavailable");
		return;
	}
	c->resp->status = 200;
	c->resp->content_type = dls[which].type;
	resp_header(c->resp, arena_printf(c->a, "Content-Disposition: attachment; "
	    "filename=\"%s-%s\"", s->id, dls[which].suffix));
}

void h_dl_xlsx(struct ctx *c) { send_dl(c, DL_XLSX); }
void h_dl_csv(struct ctx *c) { send_dl(c, DL_CSV); }
void h_dl_dict(struct ctx *c) { send_dl(c, DL_DICT); }
void h_dl_html(struct ctx *c) { send_dl(c, DL_HTML); }

void
h_dl_page(struct ctx *c)
{
	const struct survey *s = c->survey;
	struct tdict *d;

	d = staff_view_page(c, view_text(c, "dl_title", 0, 0, 0));
	tdict_str(d, "survey_title", i18n_get(&s->title, 0));
	tdict_str(d, "sid", s->id);
	for (int i = 0; i < DL__MAX; i++) {
		struct tdict *f = tdict_add(d, "files");
		tdict_str(f, "href", arena_printf(c->a, "/staff/surveys/%s/%s", s->id,
		    dls[i].suffix));
		tdict_str(f, "label", view_text(c, arena_printf(c->a, "dl_%s", dls[i].format),
		    0, 0, 0));
		tdict_str(f, "hint", view_text(c, arena_printf(c->a, "dl_%s_hint",
		    dls[i].format), 0, 0, 0));
	}
	view_render(c, 200, "downloads", d);
}
