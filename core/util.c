/* util: small functions every layer needs (util.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

/* The next capacity after cap, or 0 when it would overflow. */
static size_t
next_cap(size_t cap, size_t size, size_t first)
{
	size_t nc = cap ? cap * 2 : first;

	return nc < cap || nc > SIZE_MAX / size ? 0 : nc;
}

int
grow(void *vp, size_t *cap, size_t n, size_t size, size_t first)
{
	size_t nc;
	void *v, *nv;

	if (n < *cap)
		return 0;
	if ((nc = next_cap(*cap, size, first)) == 0)
		return -1;
	memcpy(&v, vp, sizeof v);
	if ((nv = realloc(v, nc * size)) == NULL)
		return -1;
	memcpy(vp, &nv, sizeof nv);
	*cap = nc;
	return 0;
}

int
arena_grow(struct arena *a, void *vp, size_t *cap, size_t n, size_t size, size_t first)
{
	size_t nc;
	void *v, *nv;

	if (n < *cap)
		return 0;
	if ((nc = next_cap(*cap, size, first)) == 0 || (nv = arena_calloc(a, nc, size)) == NULL)
		return -1;
	memcpy(&v, vp, sizeof v);
	if (n > 0)
		memcpy(nv, v, n * size);
	memcpy(vp, &nv, sizeof nv);
	*cap = nc;
	return 0;
}

int
hex_token_ok(const char *s, size_t n)
{
	return s != NULL && strlen(s) == n && strspn(s, "0123456789abcdef") == n;
}

void
trim_blank(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

int
day_valid(const char *s)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return 0;
	if (s[10] != '\0')
		return 0;
	y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

long
mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

int
day_local(time_t t, char out[11])
{
	struct tm tm;

	return localtime_r(&t, &tm) != NULL && strftime(out, 11, "%Y-%m-%d", &tm) == 10 ? 0 : -1;
}

uint32_t
fnv1a32(uint32_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * FNV32_PRIME;
	return h;
}

uint64_t
fnv1a64(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}
