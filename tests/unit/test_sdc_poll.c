/* The reader of a poll export, played against many small random polls: from
 * what sdc_poll lets out and what anyone knows of how the numbers hang
 * together, they try every subtraction (linear elimination over all the
 * equations at once, so line after line and across lines), bounds from
 * counts never being negative, points against the counts behind them and
 * group breakdowns against the overall counts.  No count of 1 to k-1, and
 * no hidden number, may come out; no zero may stand beside a lone hidden
 * count; no small group may be counted by subtraction.  The reader is
 * written here from the questions' meaning, not from sdc's tables. */
#include <stdlib.h>
#include <string.h>

#include "sdc_poll.h"
#include "unit.h"

#define SEEDS	2000
#define MAXS	96	/* slots: the numbers of one question, published or not */
#define MAXE	64
#define PRIME	2147483647LL

struct reader {
	int		 k;
	size_t		 n, ne;
	long		 val[MAXS];
	int		 known[MAXS];		/* published, or an unpublished 0 */
	int		 secret[MAXS];		/* must not come out */
	long long	 co[MAXE][MAXS];	/* equations: sum co * x = 0 */
	int		 unit[MAXE];		/* members +1, total -1: a line */
	long		 total[MAXE];		/* a line's total slot */
};

/* A published number: hidden (secret) or known. */
static size_t
pub(struct reader *r, long v, int hidden)
{
	r->val[r->n] = v;
	r->known[r->n] = !hidden;
	r->secret[r->n] = hidden;
	return r->n++;
}

/* A number never published: a count of people all the same, so secret
 * when small; a reader may assume a 0 (nobody left out). */
static size_t
unpub(struct reader *r, long v)
{
	r->val[r->n] = v;
	r->known[r->n] = v == 0;
	r->secret[r->n] = v >= 1 && v < r->k;
	return r->n++;
}

/* A count never published and never guessed (how many put an option
 * second, how many of a group too small to show agreed): secret when small. */
static size_t
count(struct reader *r, long v)
{
	r->val[r->n] = v;
	r->known[r->n] = 0;
	r->secret[r->n] = v >= 1 && v < r->k;
	return r->n++;
}

/* members m[0..n) add up to total t. */
static void
line(struct reader *r, const size_t *m, size_t n, size_t t)
{
	memset(r->co[r->ne], 0, sizeof(r->co[r->ne]));
	for (size_t i = 0; i < n; i++)
		r->co[r->ne][m[i]] += 1;
	r->co[r->ne][t] -= 1;
	r->unit[r->ne] = 1;
	r->total[r->ne++] = (long)t;
}

static long long
inv(long long a)
{
	long long x = 1, e = PRIME - 2;

	for (a = (a % PRIME + PRIME) % PRIME; e; e >>= 1, a = a * a % PRIME)
		if (e & 1)
			x = x * a % PRIME;
	return x;
}

/* Unknown slots the equations pin down: solved[i] set. */
static void
solve(const struct reader *r, int *solved)
{
	static long long m[MAXE][MAXS];
	size_t row = 0;

	for (size_t e = 0; e < r->ne; e++)
		for (size_t i = 0; i < r->n; i++)
			m[e][i] = r->known[i] ? 0 : (r->co[e][i] % PRIME + PRIME) % PRIME;
	for (size_t c = 0; c < r->n && row < r->ne; c++) {
		size_t p = row;
		while (p < r->ne && m[p][c] == 0)
			p++;
		if (p == r->ne)
			continue;
		for (size_t j = 0; j < r->n; j++) {
			long long x = m[p][j];
			m[p][j] = m[row][j];
			m[row][j] = x;
		}
		long long f = inv(m[row][c]);
		for (size_t j = 0; j < r->n; j++)
			m[row][j] = m[row][j] * f % PRIME;
		for (size_t e = 0; e < r->ne; e++)
			if (e != row && m[e][c])
				for (size_t j = 0, g = m[e][c]; j < r->n; j++)
					m[e][j] = ((m[e][j] - (long long)g * m[row][j]) % PRIME + PRIME) % PRIME;
		row++;
	}
	memset(solved, 0, sizeof(int) * r->n);
	for (size_t e = 0; e < row; e++) {
		size_t nz = 0, at = 0;
		for (size_t j = 0; j < r->n; j++)
			if (m[e][j])
				nz++, at = j;
		if (nz == 1)
			solved[at] = 1;
	}
}

/* Bounds from non-negative counts: lo == hi pins a slot. */
static void
bound(const struct reader *r, int *pinned)
{
	long long lo[MAXS], hi[MAXS];
	int moved = 1;

	for (size_t i = 0; i < r->n; i++)
		lo[i] = r->known[i] ? r->val[i] : 0, hi[i] = r->known[i] ? r->val[i] : 1LL << 40;
	for (int pass = 0; moved && pass < 50; pass++) {
		moved = 0;
		for (size_t e = 0; e < r->ne; e++) {
			long long smin = 0, smax = 0;
			for (size_t w = 0; w < r->n; w++) {
				long long b = r->co[e][w];
				smin += b > 0 ? b * lo[w] : b * hi[w];
				smax += b > 0 ? b * hi[w] : b * lo[w];
			}
			for (size_t u = 0; u < r->n; u++) {
				long long a = r->co[e][u], omin, omax, l, h;
				if (a == 0 || r->known[u])
					continue;
				omin = smin - (a > 0 ? a * lo[u] : a * hi[u]);
				omax = smax - (a > 0 ? a * hi[u] : a * lo[u]);
				/* a * x = -(others), others in [omin, omax] */
				if (a > 0)
					l = (-omax + a - 1) / a, h = -omin / a;
				else
					l = (omin + (-a) - 1) / (-a), h = omax / (-a);
				if (omax >= 1LL << 39 || omin <= -(1LL << 39))
					continue;	/* an unbounded other: nothing learnt */
				if (l > lo[u])
					lo[u] = l, moved = 1;
				if (h < hi[u])
					hi[u] = h, moved = 1;
			}
		}
	}
	for (size_t i = 0; i < r->n; i++)
		pinned[i] = !r->known[i] && lo[i] >= hi[i];
}

/* Everything the reader tries, for one question. */
static void
attack(struct reader *r, const char *what, unsigned seed)
{
	int solved[MAXS], pinned[MAXS];

	ck_assert(r->n <= MAXS && r->ne <= MAXE);
	for (size_t i = 0; i < r->n; i++)
		ck_assert_msg(!r->known[i] || r->val[i] == 0 || r->val[i] >= r->k || !r->secret[i],
		    "%s seed %u: slot %zu published %ld", what, seed, i, r->val[i]);
	solve(r, solved);
	bound(r, pinned);
	for (size_t i = 0; i < r->n; i++) {
		ck_assert_msg(!(r->secret[i] && solved[i]), "%s seed %u: slot %zu (%ld) solved",
		    what, seed, i, r->val[i]);
		ck_assert_msg(!(r->secret[i] && pinned[i]), "%s seed %u: slot %zu (%ld) bounded",
		    what, seed, i, r->val[i]);
	}
	for (size_t e = 0; e < r->ne; e++) {	/* a small group by subtraction */
		long sum = 0;
		size_t t = (size_t)r->total[e];
		if (!r->unit[e] || !(r->known[t] || solved[t]))
			continue;
		for (size_t i = 0; i < r->n; i++)
			if (i != t && r->co[e][i] && !r->known[i] && !solved[i])
				sum += r->val[i];
		ck_assert_msg(!(sum >= 1 && sum < r->k), "%s seed %u: line %zu hides %ld in all",
		    what, seed, e, sum);
	}
}

/* "0, [c], 0": the zeros beside the only hidden counts say who they are. */
static void
no_lone_zeros(const long *v, const unsigned char *hid, size_t n, const char *what, unsigned seed)
{
	int any_hidden = 0, visible_nonzero = 0, visible_zero = 0;

	for (size_t i = 0; i < n; i++) {
		any_hidden |= hid[i] && v[i] > 0;
		visible_nonzero |= !hid[i] && v[i] > 0;
		visible_zero |= !hid[i] && v[i] == 0;
	}
	ck_assert_msg(!(any_hidden && !visible_nonzero && visible_zero),
	    "%s seed %u: zeros beside the only hidden counts", what, seed);
}

/* A count skewed to be small often: the cases that matter. */
static size_t
pick(size_t n)
{
	size_t i = (size_t)rand() % n;

	return rand() % 3 ? i / 2 : i;
}

static void
single(unsigned seed)
{
	struct reader r = { .k = 3 + rand() % 10 };
	size_t n = 2 + (size_t)rand() % 4, m[8], a;
	long c[8] = { 0 }, voters = rand() % 31;
	unsigned char hid[8];
	int ah;

	for (long v = 0; v < voters; v++)
		c[pick(n)]++;
	ck_assert_int_eq(sdc_poll_bars(c, n, voters, 0, r.k, hid, &ah), SDC_OK);
	for (size_t i = 0; i < n; i++)
		m[i] = pub(&r, c[i], hid[i]);
	a = pub(&r, voters, ah);
	line(&r, m, n, a);
	attack(&r, "single", seed);
	no_lone_zeros(c, hid, n, "single", seed);
}

static void
multi(unsigned seed)
{
	struct reader r = { .k = 3 + rand() % 10 };
	size_t n = 2 + (size_t)rand() % 4, m[2], a, cell[8];
	long c[8] = { 0 }, voters = rand() % 31;
	unsigned char hid[8];
	int ah;

	for (long v = 0; v < voters; v++)
		for (size_t i = 0, first = pick(n); i < n; i++)
			c[i] += i == first || rand() % 4 == 0;
	ck_assert_int_eq(sdc_poll_bars(c, n, voters, 1, r.k, hid, &ah), SDC_OK);
	for (size_t i = 0; i < n; i++)
		cell[i] = pub(&r, c[i], hid[i]);
	a = pub(&r, voters, ah);
	for (size_t i = 0; i < n; i++) {	/* ticked it, or not */
		m[0] = cell[i];
		m[1] = unpub(&r, voters - c[i]);
		line(&r, m, 2, a);
	}
	attack(&r, "multi", seed);
	no_lone_zeros(c, hid, n, "multi", seed);
}

static void
ranking(unsigned seed)
{
	struct reader r = { .k = 3 + rand() % 10 };
	size_t no = 3 + (size_t)rand() % 3, rank = 2 + (size_t)rand() % 2, a, m[8], cell[8][3];
	long pos[8 * 3] = { 0 }, voters = rand() % 31;
	unsigned char hid[8];
	int ah;

	for (long v = 0; v < voters; v++) {
		int used[8] = { 0 };
		size_t fill = rand() % 4 ? rank : 1 + (size_t)rand() % rank;
		for (size_t p = 0; p < fill; p++) {
			size_t i = pick(no);
			while (used[i])
				i = (i + 1) % no;
			used[i] = 1;
			pos[i * rank + p]++;
		}
	}
	ck_assert_int_eq(sdc_poll_ranking(pos, no, rank, voters, r.k, hid, &ah), SDC_OK);
	a = pub(&r, voters, ah);
	for (size_t i = 0; i < no; i++) {
		long pts = 0, ranked = 0;
		for (size_t p = 0; p < rank; p++) {
			cell[i][p] = count(&r, pos[i * rank + p]);
			pts += pos[i * rank + p] * (long)(rank - p);
			ranked += pos[i * rank + p];
		}
		size_t pt = pub(&r, pts, hid[i]);	/* points against the counts behind them */
		memset(r.co[r.ne], 0, sizeof(r.co[r.ne]));
		for (size_t p = 0; p < rank; p++)
			r.co[r.ne][cell[i][p]] = (long long)(rank - p);
		r.co[r.ne][pt] = -1;
		r.unit[r.ne++] = 0;
		memcpy(m, cell[i], rank * sizeof(*m));
		m[rank] = unpub(&r, voters - ranked);
		line(&r, m, rank + 1, a);
	}
	for (size_t p = 0; p < rank; p++) {
		long filled = 0;
		for (size_t i = 0; i < no; i++)
			m[i] = cell[i][p], filled += pos[i * rank + p];
		m[no] = unpub(&r, voters - filled);
		line(&r, m, no + 1, a);
	}
	attack(&r, "ranking", seed);
}

#define NST	3
#define NG	4

static void
statements(unsigned seed)
{
	struct reader r = { .k = 3 + rand() % 10 };
	struct sdc_poll_stmt s[NST];
	size_t ns = 1 + (size_t)rand() % NST, ng = (size_t)rand() % (NG + 1), a, m[NG + 2];
	long voters = rand() % 31;
	int ah;

	memset(s, 0, sizeof(s));
	for (long v = 0; v < voters; v++) {
		long g = rand() % 5 == 0 || ng == 0 ? -1 : (long)pick(ng);
		for (size_t i = 0; i < ns; i++) {
			int how = rand() % 7;	/* agree, disagree, pass, or none */
			how = how < 3 ? 0 : how < 5 ? 1 : how < 6 ? 2 : 3;
			if (how == 3)
				continue;
			s[i].agree += how == 0, s[i].disagree += how == 1, s[i].pass += how == 2;
			if (g >= 0)
				s[i].g_agree[g] += how == 0, s[i].g_n[g]++;
		}
	}
	ck_assert_int_eq(sdc_poll_statements(s, ns, ng, voters, r.k, &ah), SDC_OK);
	a = pub(&r, voters, ah);
	for (size_t i = 0; i < ns; i++) {
		long ra = s[i].agree, rna = s[i].disagree + s[i].pass;
		size_t A = pub(&r, s[i].agree, s[i].agree_hidden);
		size_t D = pub(&r, s[i].disagree, s[i].disagree_hidden);
		size_t P = pub(&r, s[i].pass, s[i].pass_hidden);
		size_t NA = count(&r, s[i].disagree + s[i].pass), V = count(&r, ra + rna);
		size_t ga[NG + 1], gna[NG + 1], gn[NG + 1];
		long v3[3] = { s[i].agree, s[i].disagree, s[i].pass };
		unsigned char h3[3] = { s[i].agree_hidden, s[i].disagree_hidden, s[i].pass_hidden };
		m[0] = A, m[1] = D, m[2] = P, m[3] = unpub(&r, voters - ra - rna);
		line(&r, m, 4, a);
		m[0] = V, m[1] = m[3];
		line(&r, m, 2, a);		/* voted on it, or not */
		m[0] = D, m[1] = P;
		line(&r, m, 2, NA);
		m[0] = A, m[1] = NA;
		line(&r, m, 2, V);
		for (size_t g = 0; g < ng; g++) {
			int shown = s[i].g_shown[g], pct = s[i].g_pct_shown[g];
			gn[g] = shown ? pub(&r, s[i].g_n[g], 0) : count(&r, s[i].g_n[g]);
			ga[g] = shown ? pub(&r, s[i].g_agree[g], !pct) : count(&r, s[i].g_agree[g]);
			gna[g] = shown ? pub(&r, s[i].g_n[g] - s[i].g_agree[g], !pct) :
			    count(&r, s[i].g_n[g] - s[i].g_agree[g]);
			m[0] = ga[g], m[1] = gna[g];
			line(&r, m, 2, gn[g]);
			ra -= s[i].g_agree[g], rna -= s[i].g_n[g] - s[i].g_agree[g];
		}
		ga[ng] = count(&r, ra), gna[ng] = count(&r, rna), gn[ng] = unpub(&r, ra + rna);
		m[0] = ga[ng], m[1] = gna[ng];
		line(&r, m, 2, gn[ng]);
		line(&r, ga, ng + 1, A);	/* the groups against the overall counts */
		line(&r, gna, ng + 1, NA);
		line(&r, gn, ng + 1, V);
		no_lone_zeros(v3, h3, 3, "statement", seed);
	}
	attack(&r, "statements", seed);
}

static void
words(unsigned seed)
{
	struct reader r = { .k = 3 + rand() % 10 };
	size_t n = 1 + (size_t)rand() % 8, m[9], a;
	long c[8] = { 0 }, voters = rand() % 31, none = 0;
	unsigned char hid[8];
	int ah;

	for (long v = 0; v < voters; v++)
		if (rand() % 6 == 0)
			none++;
		else
			c[pick(n)]++;
	ck_assert_int_eq(sdc_poll_words(c, n, voters, r.k, hid, &ah), SDC_OK);
	for (size_t i = 0; i < n; i++)
		m[i] = pub(&r, c[i], hid[i]);
	m[n] = unpub(&r, none);
	a = pub(&r, voters, ah);
	line(&r, m, n + 1, a);
	attack(&r, "words", seed);
}

START_TEST(reader_random_polls)
{
	for (unsigned seed = 1; seed <= SEEDS; seed++) {
		srand(seed);
		single(seed);
		multi(seed);
		ranking(seed);
		statements(seed);
		words(seed);
	}
}
END_TEST

/* The reader finds what an unprotected export gives away (so the checks
 * above can fail): 11 answers, 10 and a hidden 1 and 0. */
START_TEST(reader_finds_subtraction)
{
	struct reader r = { .k = 10 };
	size_t m[3], a;

	m[0] = pub(&r, 10, 0), m[1] = pub(&r, 1, 1), m[2] = pub(&r, 0, 0);
	a = pub(&r, 11, 0);
	line(&r, m, 3, a);
	int solved[MAXS];
	solve(&r, solved);
	ck_assert(solved[m[1]]);
}
END_TEST

/* 4 people all put an option first: 12 points would say so. */
START_TEST(points_follow_people)
{
	long pos[3 * 3] = { 4, 0, 0, 0, 4, 0, 0, 0, 4 };
	long pos2[2 * 2] = { 20, 0, 0, 20 };
	unsigned char hid[3];
	int ah;

	ck_assert_int_eq(sdc_poll_ranking(pos, 3, 3, 4, 10, hid, &ah), SDC_OK);
	ck_assert(hid[0] && hid[1] && hid[2] && ah);
	ck_assert_int_eq(sdc_poll_ranking(pos2, 2, 2, 20, 10, hid, &ah), SDC_OK);
	ck_assert(!hid[0] && !hid[1] && !ah);
}
END_TEST

/* "East n=10, agree 10 %" is one person; a group of 3 is not shown. */
START_TEST(group_percent_follows_count)
{
	struct sdc_poll_stmt s = { .agree = 12, .disagree = 20, .pass = 0 };
	int ah;

	s.g_n[0] = 10, s.g_agree[0] = 1;	/* East */
	s.g_n[1] = 19, s.g_agree[1] = 10;	/* West */
	s.g_n[2] = 3, s.g_agree[2] = 1;		/* North */
	ck_assert_int_eq(sdc_poll_statements(&s, 1, 3, 32, 10, &ah), SDC_OK);
	ck_assert(!s.g_pct_shown[0]);
	ck_assert(!s.g_shown[2] && !s.g_pct_shown[2]);
	ck_assert(!ah);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("sdc_poll");
	TCase *tc = tcase_create("reader");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, reader_random_polls);
	tcase_add_test(tc, reader_finds_subtraction);
	tcase_add_test(tc, points_follow_people);
	tcase_add_test(tc, group_percent_follows_count);
	suite_add_tcase(su, tc);
	return unit_run(su, CK_FORK);
}
