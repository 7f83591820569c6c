/* qr: QR codes as inline SVG (libqrencode), for the poll join page and the
 * survey links and posters. */
#ifndef QR_H
#define QR_H
#include "arena.h"

/* The QR code of text (8-bit mode, error correction M, a 4-module quiet
 * zone) as a standalone SVG document whose aria-label is label; one unit per
 * module, so it scales without blur.  In the arena; NULL when out of memory
 * or the text is too long for a QR code. */
const char *qr_svg(struct arena *a, const char *text, const char *label);
#endif
