/* gen_text: free text for synthetic responses, built from an opening, one or
 * two concerns and sometimes a suggestion.  The concerns are the kinds of
 * thing residents write about each outcome area, so the codebook has
 * realistic work to do; the mix is deliberately uneven across areas. */
#include <string.h>
#include "gen.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const openers[] = {
	"", "", "", "Honestly ", "For me ", "I think ", "In my area ", "Round here ",
	"Where I live ", "As a parent ", "Since last year ", "My main worry is that ",
};

static const char *const violence[] = {
	"knife crime is getting worse", "young people are getting stabbed", "there are gangs on the estate",
	"kids carry knives for protection", "my son was robbed for his phone", "there was a stabbing by the station",
	"people get mugged at night", "the fights outside the chicken shop scare me", "boys are beefing with ops from the next estate",
	"serious youth violence is out of control", "someone got shanked near the park", "weapons are hidden in the bushes",
};
static const char *const vawg[] = {
	"women do not feel safe walking home at night", "girls get harassed on the bus", "domestic abuse is hidden",
	"my daughter was followed home", "men catcall women outside the bookies", "drinks get spiked in the bars",
	"stalking is not taken seriously", "coercive control needs more awareness", "women are scared in the park after dark",
};
static const char *const exploitation[] = {
	"county lines are recruiting kids", "young boys go country for weeks", "children are groomed to sell drugs",
	"dealers are cuckooing vulnerable people", "there is modern slavery in the car washes", "kids are groomed online",
	"young people are radicalised online",
};
static const char *const trust[] = {
	"the police never come when we call", "we never see police on the streets", "stop and search targets black boys",
	"nobody listens when we report things", "I do not trust the police", "the council ignores our complaints",
	"we need more bobbies on the beat", "reporting crime feels pointless", "the feds just harass young people",
};
static const char *const victims[] = {
	"there is drug dealing in the stairwells", "anti social behaviour every night", "my flat was burgled twice",
	"bikes get stolen all the time", "noise from the flats keeps us awake", "mopeds race up and down the road",
	"hate crime against muslim women", "the same people get targeted again and again", "cars get broken into",
	"people smoke weed on the stairs",
};
static const char *const reoffending[] = {
	"people leaving prison need jobs", "ex-offenders deserve a second chance", "probation is stretched",
	"the youth offending team needs more support", "rehabilitation works better than punishment",
	"people come out of jail with nothing",
};
static const char *const other[] = {
	"the street lights are broken", "we need more CCTV", "there is nothing for young people to do",
	"fly-tipping is everywhere", "the parks need looking after", "the buses are unreliable at night",
	"rents are too high", "the bins are never emptied", "no problem with drugs here, just litter",
	"potholes on every road",
};
static const char *const suggestions[] = {
	"", "", "", ". More youth clubs would help", ". Please fix it", ". Something has to change",
	". Better lighting would help", ". Listen to residents", ". We need action not words",
	", it has been like this for years", "!!", ". thanks",
};

struct pool {
	const char	*area;
	const char *const *v;
	size_t		 n;
};

static const struct pool pools[] = {
	{ "violence", violence, N(violence) },
	{ "vawg", vawg, N(vawg) },
	{ "exploitation", exploitation, N(exploitation) },
	{ "trust", trust, N(trust) },
	{ "victims", victims, N(victims) },
	{ "reoffending", reoffending, N(reoffending) },
	{ NULL, other, N(other) },
};

static const struct pool *
pool_for(struct gen_rng *g, const char *area)
{
	static const double general[] = { 5, 2, 1, 4, 5, 1, 3 };

	if (area != NULL && !gen_chance(g, 0.15))
		for (size_t i = 0; i + 1 < N(pools); i++)
			if (strcmp(pools[i].area, area) == 0)
				return &pools[i];
	return &pools[gen_weighted(g, general, N(general))];
}

void
gen_text(struct gen_rng *g, const char *area, struct buf *out)
{
	const struct pool *p = pool_for(g, area);

	buf_adds(out, openers[gen_below(g, N(openers))]);
	buf_adds(out, p->v[gen_below(g, p->n)]);
	if (gen_chance(g, 0.3)) {
		const struct pool *q = pool_for(g, NULL);
		buf_adds(out, gen_chance(g, 0.5) ? " and " : ". Also ");
		buf_adds(out, q->v[gen_below(g, q->n)]);
	}
	buf_adds(out, suggestions[gen_below(g, N(suggestions))]);
}
