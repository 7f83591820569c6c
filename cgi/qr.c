/* qr: QR codes as SVG.  One <path> of unit squares, drawn with crispEdges,
 * so the code is as sharp on a projector as on a printed poster. */
#include <string.h>
#include <qrencode.h>
#include "buf.h"
#include "esc.h"
#include "qr.h"

/* One dark module as a path segment; the quiet zone is 4 modules. */
static void
qr_path(struct buf *b, const QRcode *qr)
{
	for (int y = 0; y < qr->width; y++)
		for (int x = 0; x < qr->width; x++)
			if (qr->data[y * qr->width + x] & 1)
				buf_printf(b, "M%d %dh1v1h-1z", x + 4, y + 4);
}

const char *
qr_svg(struct arena *a, const char *text, const char *label)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	struct buf b = BUF_INIT;
	char *out = NULL;
	int w;

	if (qr == NULL)
		return NULL;
	w = qr->width + 8;
	buf_printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 %d %d\""
	    " role=\"img\" aria-label=\"", w, w);
	esc_html(&b, label, strlen(label));
	buf_printf(&b, "\" shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\""
	    " fill=\"#fff\"/><path fill=\"#000\" d=\"", w, w);
	qr_path(&b, qr);
	buf_adds(&b, "\"/></svg>");
	if (!buf_failed(&b))
		out = arena_strndup(a, b.p, b.len);
	buf_free(&b);
	QRcode_free(qr);
	return out;
}
