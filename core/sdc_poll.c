/* sdc_poll: a poll question's counts as sdc tables.  Every table has the
 * question's answers (people who answered) as the total of its lines, and
 * an implicit cell for whoever a line leaves out, so the lines add up
 * exactly as the reader knows they do. */
#include <stdlib.h>
#include <string.h>
#include "sdc_poll.h"

static long
sum(const long *v, size_t n)
{
	long s = 0;

	for (size_t i = 0; i < n; i++)
		s += v[i];
	return s;
}

/* Reads the run's verdict into hidden[i] for cells m[0..n) and *answers_hidden. */
static void
read_out(const struct sdc *t, enum sdc_err er, const long *m, size_t n, long ans,
    unsigned char *hidden, int *answers_hidden)
{
	for (size_t i = 0; i < n; i++)
		hidden[i] = (unsigned char)(er != SDC_OK || sdc_hidden(t, m ? m[i] : -1));
	*answers_hidden = er != SDC_OK || sdc_hidden(t, ans);
}

enum sdc_err
sdc_poll_bars(const long *count, size_t n, long answers, int multi, int k,
    unsigned char *hidden, int *answers_hidden)
{
	long *m, ans = -1;
	struct sdc *t = sdc_new_cells(k, count, n, n + 1, &m);
	enum sdc_err er = SDC_NOMEM;

	if (t == NULL)
		goto out;
	ans = sdc_cell(t, answers, 0);
	if (multi) {
		/* No sum, but everyone ticked one, so "0, [c], 0" says that
		 * everyone ticked a hidden one; and who did not tick each. */
		if (sdc_line(t, m, n, -1) != 0 ||
		    sdc_lines_apart(t, m, count, n, answers, ans) != 0)
			goto out;
	} else {
		m[n] = sdc_cell(t, answers - sum(count, n), SDC_IMPLICIT);
		if (sdc_line(t, m, n + 1, ans) != 0)
			goto out;
	}
	er = sdc_run(t);
out:
	read_out(t, er, m, n, ans, hidden, answers_hidden);
	sdc_free(t);
	free(m);
	return er;
}

enum sdc_err
sdc_poll_ranking(const long *pos, size_t nopts, size_t rank, long answers, int k,
    unsigned char *points_hidden, int *answers_hidden)
{
	size_t cells = nopts * rank, w = (nopts > rank ? nopts : rank) + 1;
	long *m, *line = malloc(w * sizeof(*line)), ans = -1;
	struct sdc *t = sdc_new_cells(k, pos, cells, cells + 1, &m);
	enum sdc_err er = SDC_NOMEM;

	if (t == NULL || line == NULL)
		goto out;
	ans = sdc_cell(t, answers, 0);
	for (size_t i = 0; i < nopts; i++) {	/* an option: its positions, or not ranked */
		memcpy(line, m + i * rank, rank * sizeof(*line));
		line[rank] = sdc_cell(t, answers - sum(pos + i * rank, rank), SDC_IMPLICIT);
		if (sdc_line(t, line, rank + 1, ans) != 0)
			goto out;
	}
	for (size_t p = 0; p < rank; p++) {	/* a position: its options, or left empty */
		long filled = 0;
		for (size_t i = 0; i < nopts; i++) {
			line[i] = m[i * rank + p];
			filled += pos[i * rank + p];
		}
		line[nopts] = sdc_cell(t, answers - filled, SDC_IMPLICIT);
		if (sdc_line(t, line, nopts + 1, ans) != 0)
			goto out;
	}
	er = sdc_run(t);
out:
	read_out(t, er, NULL, 0, ans, NULL, answers_hidden);
	for (size_t i = 0; i < nopts; i++) {
		points_hidden[i] = er != SDC_OK;
		for (size_t p = 0; p < rank && !points_hidden[i]; p++)
			points_hidden[i] = (unsigned char)sdc_hidden(t, m[i * rank + p]);
	}
	sdc_free(t);
	free(m);
	free(line);
	return er;
}

enum sdc_err
sdc_poll_words(const long *count, size_t n, long answers, int k, unsigned char *hidden,
    int *answers_hidden)
{
	/* One line of the words and the rest, as a single-choice question's bars. */
	return sdc_poll_bars(count, n, answers, 0, k, hidden, answers_hidden);
}
