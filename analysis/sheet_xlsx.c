/* sheet_xlsx: coding-sheet.xlsx, one worksheet "Coding" with the same
 * columns and rows as the CSV.  Every cell is a string, so a spreadsheet
 * keeps response ids (19 digits) exact and never runs a cell as a formula;
 * saved back as CSV, the sheet can be imported as it is. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include "buf.h"
#include "esc.h"
#include "sheet_int.h"

#define XL_CELL_MAX	32000	/* bytes: below Excel's 32,767 characters per cell */

/* s made fit for a cell: control characters other than tab and line ends
 * become spaces, invalid UTF-8 bytes '?', and it is cut on a character
 * boundary at XL_CELL_MAX.  Points into b. */
static const char *
xl_text(struct buf *b, const char *s)
{
	size_t n = strlen(s);
	int valid = utf8_valid(s, n);

	buf_reset(b);
	if (n > XL_CELL_MAX) {
		n = XL_CELL_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			c = ' ';
		else if (c >= 0x80 && !valid)
			c = '?';
		buf_addc(b, (char)c);
	}
	buf_addc(b, '\0');
	return b->failed ? "" : b->p;
}

static void
put_row(lxw_worksheet *ws, const struct sheet *sh, size_t i, lxw_row_t r, lxw_format *f,
    struct buf *tmp)
{
	const char *cell[SC__MAX];
	char num[2][32];

	sheet_cells(sh, i, cell, num);
	for (size_t c = 0; c < SC__MAX; c++)
		worksheet_write_string(ws, r, (lxw_col_t)c, xl_text(tmp, cell[c]), f);
}

static void
layout(lxw_worksheet *ws, lxw_format *wrap, size_t nrows)
{
	static const double width[SC__MAX] = {
		/* SC_RESPONSE */	21,
		/* SC_QUESTION */	16,
		/* SC_TEXT */		60,
		/* SC_AREAS */		18,
		/* SC_THEMES */		24,
		/* SC_RULE */		40,
		/* SC_FIX_AREAS */	18,
		/* SC_FIX_THEMES */	24,
		/* SC_NOTE */		30,
		/* SC_HASH */		34,
		/* SC_CODEBOOK */	10,
	};

	for (size_t c = 0; c < SC__MAX; c++)
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width[c],
		    c == SC_TEXT ? wrap : NULL);
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_autofilter(ws, 0, 0, (lxw_row_t)nrows, SC__MAX - 1);
}

int
sheet_write_xlsx(const struct sheet *sh, const char *dir, char *err, size_t errlen)
{
	char path[4096], tmp[4200];
	struct buf b = BUF_INIT;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *wrap;

	snprintf(path, sizeof(path), "%s/coding-sheet.xlsx", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((wb = workbook_new(tmp)) == NULL || (ws = workbook_add_worksheet(wb, "Coding")) == NULL) {
		workbook_close(wb);
		snprintf(err, errlen, "%s: cannot create", tmp);
		return -1;
	}
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	wrap = workbook_add_format(wb);
	format_set_text_wrap(wrap);
	layout(ws, wrap, sh->n);
	put_row(ws, sh, sh->n, 0, bold, &b);
	for (size_t i = 0; i < sh->n; i++)
		put_row(ws, sh, i, (lxw_row_t)(i + 1), NULL, &b);
	buf_free(&b);
	if (workbook_close(wb) != LXW_NO_ERROR || rename(tmp, path) != 0) {
		snprintf(err, errlen, "%s: cannot write", path);
		unlink(tmp);
		return -1;
	}
	return 0;
}
