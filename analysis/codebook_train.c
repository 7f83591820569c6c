/* codebook_train: learning a model from coded answers, and the model file.
 * Stochastic gradient descent on the L2-regularised log loss, one binary
 * model per outcome area, examples visited in an order fixed by a seeded
 * shuffle: the same codebook and examples always give the same weights. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "codebook_model_int.h"

#define EPOCHS		30
#define RATE		0.1
#define LAMBDA		0.3	/* pull of a theme's weight back to its prior */
#define LAMBDA_W	0.3	/* pull of a word's or pair's weight back to 0 */
#define MIN_COUNT	2	/* a word or pair seen once is not learnt from */
#define PRIOR		4.0
#define START_BIAS	-2.5

#define STR_(x)	#x
#define STR(x)	STR_(x)

const char *
codebook_trainer(void)
{
	return "sgd epochs " STR(EPOCHS) " rate " STR(RATE) " lambda " STR(LAMBDA) "/" STR(LAMBDA_W)
	    " min " STR(MIN_COUNT) " prior " STR(PRIOR) " bias " STR(START_BIAS);
}

/* Every training example's features, flattened. */
struct feats {
	uint32_t	*f;
	size_t		*off;		/* example i: f[off[i] .. off[i + 1]) */
	size_t		 n, cap;
};

static int
collect(struct codebook *cb, struct cb_model *m, const struct codebook_example *ex, size_t n,
    struct feats *fs)
{
	struct codebook_hits h;

	if ((fs->off = calloc(n + 1, sizeof(*fs->off))) == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (codebook_code(cb, ex[i].text, strlen(ex[i].text), &h, NULL) != 0 ||
		    cbm_keys(cb, m, 1) != 0)
			return -1;
		if (fs->n + m->nact > fs->cap) {
			size_t nc = (fs->cap + m->nact) * 2;
			uint32_t *nf = realloc(fs->f, nc * sizeof(*nf));
			if (nf == NULL)
				return -1;
			fs->f = nf, fs->cap = nc;
		}
		memcpy(fs->f + fs->n, m->act, m->nact * sizeof(*m->act));
		fs->n += m->nact;
		fs->off[i + 1] = fs->n;
	}
	return 0;
}

/* Makes every word of the examples a known stem, so features can name it. */
static int
intern_words(struct codebook *cb, const struct codebook_example *ex, size_t n)
{
	struct tokens tk = { 0 };
	char st[64];
	int rc = -1;

	for (size_t i = 0; i < n; i++) {
		if (tok_split(cb->tk, ex[i].text, strlen(ex[i].text), &tk) != 0)
			goto out;
		for (size_t k = 0; k < tk.n; k++)
			if (tk.v[k].stem == 0 && (tok_stem(cb->tk, tk.v[k].w, tk.v[k].n, st, sizeof(st)) != 0 ||
			    tok_intern_stem(cb->tk, st, strlen(st)) < 0))
				goto out;
	}
	rc = 0;
out:
	tok_tokens_free(&tk);
	return rc;
}

static uint64_t
next_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* The weight learning starts from and is pulled back to: a theme counts
 * towards its own areas (the rules' verdict), everything else starts at 0.
 * So with few coded answers the model codes as the rules do, and it departs
 * from them only as far as the answers show they are wrong. */
static double
prior(const struct codebook *cb, const struct cb_model *m, size_t f, size_t a)
{
	if ((m->key[f] >> 60) != CBM_THEME)
		return 0.0;
	return (codebook_theme(cb, (size_t)((m->key[f] >> 30) & 0x3fffffff))->areas >> a) & 1 ?
	    PRIOR : 0.0;
}

static void
step(const struct codebook *cb, struct cb_model *m, const struct feats *fs,
    const unsigned char *keep, size_t i, uint32_t y, double lr)
{
	const uint32_t *f = fs->f + fs->off[i];
	size_t nf = fs->off[i + 1] - fs->off[i];

	for (size_t a = 0; a < m->na; a++) {
		double z = m->bias[a], g;
		for (size_t k = 0; k < nf; k++)
			z += m->w[f[k] * m->na + a];
		g = 1.0 / (1.0 + exp(-z)) - (double)((y >> a) & 1);
		m->bias[a] -= lr * g;
		for (size_t k = 0; k < nf; k++) {
			double *w = &m->w[f[k] * m->na + a];
			if (keep[f[k]])
				*w -= lr * (g + ((m->key[f[k]] >> 60) == CBM_THEME ? LAMBDA : LAMBDA_W) *
				    (*w - prior(cb, m, f[k], a)));
		}
	}
}

static void
sgd(const struct codebook *cb, struct cb_model *m, const struct feats *fs,
    const unsigned char *keep, const struct codebook_example *ex, size_t n, size_t *perm)
{
	uint64_t x = 0x2545F4914F6CDD1Dull;
	size_t t = 0;

	for (size_t i = 0; i < n; i++)
		perm[i] = i;
	for (size_t a = 0; a < m->na; a++) {
		m->bias[a] = START_BIAS;
		for (size_t f = 0; f < m->nf; f++)
			m->w[f * m->na + a] = prior(cb, m, f, a);
	}
	for (int e = 0; e < EPOCHS; e++) {
		for (size_t i = n; i > 1; i--) {
			size_t j = (size_t)(next_rand(&x) % i), s = perm[i - 1];
			perm[i - 1] = perm[j], perm[j] = s;
		}
		for (size_t i = 0; i < n; i++, t++)
			step(cb, m, fs, keep, perm[i], ex[perm[i]].areas,
			    RATE / (1.0 + RATE * LAMBDA * (double)t));
	}
	for (size_t a = 0; a < m->na; a++)
		m->bias[a] = cbm_round(m->bias[a]);
	for (size_t k = 0; k < m->nf * m->na; k++)
		m->w[k] = keep[k / m->na] ? cbm_round(m->w[k]) : 0.0;
}

int
codebook_train(struct codebook *cb, const struct codebook_example *ex, size_t n,
    const char *version, char *err, size_t errlen)
{
	struct cb_model *m = calloc(1, sizeof(*m));
	struct feats fs = { 0 };
	unsigned char *keep = NULL;
	size_t *perm = NULL, *count = NULL;
	int rc = -1;

	codebook_drop_model(cb);
	if (m == NULL || intern_words(cb, ex, n) != 0)
		goto out;
	m->na = codebook_nareas(cb);
	snprintf(m->version, sizeof(m->version), "%s", version);
	if (cbm_theme_keys(cb, m) != 0 || collect(cb, m, ex, n, &fs) != 0 || (keep = calloc(m->nf + 1, 1)) == NULL ||
	    (count = calloc(m->nf + 1, sizeof(*count))) == NULL ||
	    (perm = calloc(n + 1, sizeof(*perm))) == NULL)
		goto out;
	for (size_t k = 0; k < fs.n; k++)
		count[fs.f[k]]++;
	for (size_t f = 0; f < m->nf; f++)
		keep[f] = count[f] >= MIN_COUNT || (m->key[f] >> 60) == CBM_THEME;
	sgd(cb, m, &fs, keep, ex, n, perm);
	cb->model = m;
	snprintf(cb->vstr, sizeof(cb->vstr), "codebook %d, model %s", cb->version, m->version);
	m = NULL;
	rc = 0;
out:
	if (rc != 0)
		snprintf(err, errlen, "out of memory");
	cb_model_free(m);
	free(fs.f), free(fs.off), free(keep), free(count), free(perm);
	return rc;
}

int
codebook_save_model(const struct codebook *cb, const char *path, char *err, size_t errlen)
{
	const struct cb_model *m = cb->model;
	FILE *fp;

	if (m == NULL || (fp = fopen(path, "w")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, m == NULL ? "no model" : "cannot write");
		return -1;
	}
	fprintf(fp, "# voices-analyse coding model: written by `voices-analyse train`, read by the\n"
	    "# codebook that names it.  One feature a line, its weight for each area.\n");
	fprintf(fp, "version %s\ncodebook %s\nareas %zu\nbias", m->version, cb->hash, m->na);
	for (size_t a = 0; a < m->na; a++)
		fprintf(fp, " %.6g", m->bias[a]);
	fputc('\n', fp);
	for (size_t f = 0; f < m->nf; f++) {
		size_t a;
		for (a = 0; a < m->na && m->w[f * m->na + a] == 0; a++)
			;
		if (a == m->na)
			continue;
		fprintf(fp, "%s\t", m->name[f]);
		for (a = 0; a < m->na; a++)
			fprintf(fp, "%s%.6g", a ? " " : "", m->w[f * m->na + a]);
		fputc('\n', fp);
	}
	if (fclose(fp) != 0) {
		snprintf(err, errlen, "%s: cannot write", path);
		return -1;
	}
	return 0;
}

/* The key of a feature line's name ("w polic", "b domest abus", "t gangs"). */
static int
line_key(struct codebook *cb, char *name, uint64_t *key)
{
	char *a = name + 2, *b = strchr(a, ' ');
	long t;
	int x, y = 0;

	if (name[0] == '\0' || name[1] != ' ')
		return -1;
	switch (name[0]) {
	case 't':
		if ((t = codebook_theme_index(cb, a)) < 0)
			return -1;
		*key = CBM_KEY(CBM_THEME, t, 0);
		return 0;
	case 'w':
	case 'b':
		if ((name[0] == 'b') != (b != NULL))
			return -1;
		if ((x = tok_intern_stem(cb->tk, a, b ? (size_t)(b - a) : strlen(a))) <= 0 ||
		    (b != NULL && (y = tok_intern_stem(cb->tk, b + 1, strlen(b + 1))) <= 0))
			return -1;
		*key = CBM_KEY(name[0] == 'w' ? CBM_WORD : CBM_PAIR, x, y);
		return 0;
	default:
		return -1;
	}
}

static int
read_weights(char *s, double *w, size_t n)
{
	for (size_t a = 0; a < n; a++) {
		char *end;
		w[a] = strtod(s, &end);
		if (end == s || !isfinite(w[a]))
			return -1;
		s = end;
	}
	return *s == '\0' || *s == '\n' ? 0 : -1;
}

static const char *
model_line(struct codebook *cb, struct cb_model *m, char *line)
{
	char *tab = strchr(line, '\t');
	uint64_t key;
	long f;

	line[strcspn(line, "\r\n")] = '\0';
	if (line[0] == '#' || line[0] == '\0')
		return NULL;
	if (strncmp(line, "version ", 8) == 0) {
		snprintf(m->version, sizeof(m->version), "%s", line + 8);
		return NULL;
	}
	if (strncmp(line, "codebook ", 9) == 0)
		return strcmp(line + 9, cb->hash) == 0 ? NULL :
		    "trained with another codebook.yaml: run `voices-analyse train`";
	if (strncmp(line, "areas ", 6) == 0)
		return (size_t)atol(line + 6) == m->na ? NULL : "not the codebook's outcome areas";
	if (strncmp(line, "bias ", 5) == 0)
		return read_weights(line + 5, m->bias, m->na) == 0 ? NULL : "bad bias line";
	if (tab == NULL)
		return "expected a feature, a tab and its weights";
	*tab = '\0';
	if (line_key(cb, line, &key) != 0)
		return "unknown feature (a theme the codebook lacks?)";
	if ((f = cbm_add(m, key, line)) < 0)
		return "out of memory";
	return read_weights(tab + 1, m->w + (size_t)f * m->na, m->na) == 0 ? NULL : "bad weights";
}

int
cb_model_load(struct codebook *cb, const char *path, char *err, size_t errlen)
{
	struct cb_model *m = calloc(1, sizeof(*m));
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	const char *why = NULL;
	size_t cap = 0;
	long ln = 0;
	int rc = -1;

	if (m == NULL || fp == NULL) {
		snprintf(err, errlen, "%s: cannot open", path);
		goto out;
	}
	m->na = codebook_nareas(cb);
	while (why == NULL && getline(&line, &cap, fp) >= 0 && ++ln)
		why = model_line(cb, m, line);
	if (why != NULL) {
		snprintf(err, errlen, "%s:%ld: %s", path, ln, why);
		goto out;
	}
	codebook_drop_model(cb);
	cb->model = m;
	snprintf(cb->vstr, sizeof(cb->vstr), "codebook %d, model %s", cb->version, m->version);
	m = NULL;
	rc = 0;
out:
	free(line);
	if (fp != NULL)
		fclose(fp);
	cb_model_free(m);
	return rc;
}
