/* Tests for cgi/qr.c: the SVG draws exactly libqrencode's modules for the
 * text (so it decodes to the text whenever libqrencode's code does), with a
 * quiet zone, and the label is escaped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <qrencode.h>

#include "arena.h"
#include "qr.h"
#include "unit.h"

static struct arena *A;

static void
setup(void)
{
	A = arena_new(4096);
	ck_assert_ptr_nonnull(A);
}

static void
teardown(void)
{
	arena_free(A);
	A = NULL;
}

/* Parses the path's unit squares into a width x width grid (1 = dark). */
static int
grid_of(const char *svg, int width, unsigned char *grid)
{
	const char *p = strstr(svg, " d=\"");
	int x, y, n, count = 0;

	ck_assert_ptr_nonnull(p);
	for (p += 4; sscanf(p, "M%d %dh1v1h-1z%n", &x, &y, &n) == 2; p += n) {
		ck_assert_int_ge(x, 4);
		ck_assert_int_ge(y, 4);
		ck_assert_int_lt(x - 4, width);
		ck_assert_int_lt(y - 4, width);
		grid[(y - 4) * width + (x - 4)] = 1;
		count++;
	}
	ck_assert_str_eq(p, "\"/></svg>");
	return count;
}

static void
same_as_libqrencode(const char *text)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	const char *svg = qr_svg(A, text, "QR");
	char box[64];
	unsigned char *grid;
	int dark = 0;

	ck_assert_ptr_nonnull(qr);
	ck_assert_ptr_nonnull(svg);
	snprintf(box, sizeof(box), "viewBox=\"0 0 %d %d\"", qr->width + 8, qr->width + 8);
	ck_assert_ptr_nonnull(strstr(svg, box));
	grid = calloc((size_t)(qr->width * qr->width), 1);
	ck_assert_ptr_nonnull(grid);
	ck_assert_int_gt(grid_of(svg, qr->width, grid), 0);
	for (int i = 0; i < qr->width * qr->width; i++) {
		ck_assert_int_eq(grid[i], qr->data[i] & 1);
		dark += grid[i];
	}
	ck_assert_int_gt(dark, qr->width);
	free(grid);
	QRcode_free(qr);
}

START_TEST(test_modules_match)
{
	same_as_libqrencode("https://surveys.example.org/s/residents-2026?c=stall");
	same_as_libqrencode("http://127.0.0.1:8080/s/young-people-2026?c=youth-service");
	same_as_libqrencode("x");
}
END_TEST

START_TEST(test_svg_shape)
{
	const char *svg = qr_svg(A, "https://surveys.example.org/s/residents-2026", "a \"<b>&'");

	ck_assert_ptr_nonnull(svg);
	ck_assert(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" ", 40) == 0);
	ck_assert_ptr_nonnull(strstr(svg, "aria-label=\"a &quot;&lt;b&gt;&amp;&#39;\""));
	ck_assert_ptr_nonnull(strstr(svg, "role=\"img\""));
	ck_assert_ptr_null(strstr(svg, "<b>"));
}
END_TEST

START_TEST(test_too_long)
{
	char *big = malloc(8000);

	ck_assert_ptr_nonnull(big);
	memset(big, 'a', 7999);
	big[7999] = '\0';
	ck_assert_ptr_null(qr_svg(A, big, "QR"));
	free(big);
}
END_TEST

static Suite *
qr_suite(void)
{
	Suite *s = suite_create("qr");
	TCase *tc = tcase_create("svg");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_modules_match);
	tcase_add_test(tc, test_svg_shape);
	tcase_add_test(tc, test_too_long);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(qr_suite(), CK_FORK_GETENV);
}
