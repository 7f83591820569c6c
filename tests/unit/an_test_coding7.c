/* Codebook 7: the shipped rules (no model) on how young people and
 * residents say violence against women and girls, theft, scams, hate and
 * being targeted again without the sector's words, and on the everyday
 * sentences that share those words and must stay uncoded.  None of these
 * answers is in the corpus. */
#include <stdlib.h>

#include "an_unit.h"
#include "codebook.h"

static struct codebook *cb;

static void
setup(void)
{
	char err[512];

	ck_assert_msg(codebook_load_rules("analysis/codebook.yaml", &cb, err, sizeof(err)) == 0,
	    "%s", err);
}

static void
teardown(void)
{
	codebook_free(cb);
}

START_TEST(girls_everyday_words)
{
	static const struct an_case cases[] = {
		{ "boys rating girls in the gc", "vawg", NULL },
		{ "my pics got sent round the whole year", "vawg", NULL },
		{ "some guy keeps dming me asking for pics", "vawg", NULL },
		{ "my boyfriend gets jealous and goes through my phone", "vawg", NULL },
		{ "my bf always wants to know where i am and who im with", "vawg", NULL },
		{ "My neighbour beats his wife and everyone can hear", "vawg", NULL },
		{ "i hear my parents fighting and my dad hurting my mum", "vawg", NULL },
		{ "boys think its ok to slap girls bums", "vawg", NULL },
		{ "old men beep there horns at us when we walk to school", "vawg", NULL },
		{ "girls in my school get called sluts if they have a boyfriend", "vawg", NULL },
		/* The same words about something else. */
		{ "my friends and I share snaps all the time", "other", NULL },
		{ "I rated the service 5 out of 10", "other", NULL },
		{ "my mum always checks my homework", "other", NULL },
		{ "my girlfriend and I go to the cinema", "other", NULL },
		{ "they slag off the council on facebook", "other", NULL },
		{ "a man on the bus pressed himself up against my sister", "vawg", NULL },
		{ "some lad kept saying smile babe to my mate", "vawg", NULL },
		{ "my dad was hit by a car on the high road", "other", NULL },
	};

	AN_EXPECT_ALL(cb, cases);
}
END_TEST

START_TEST(theft_scams_hate_said_plainly)
{
	static const struct an_case cases[] = {
		{ "ppl get their phones took on the way home", "victims", NULL },
		{ "man got his bike jacked", "victims", NULL },
		{ "my friend got hacked and they asked everyone for money", "victims", NULL },
		{ "someone spat at me and told me to go back to my country", "victims", NULL },
		{ "called a paki on the high road", "victims", NULL },
		{ "people call me gay as an insult every day", "victims", NULL },
		{ "they keep targeting my little brother", "victims", NULL },
		{ "reported my car being broken into and nobody followed up", "trust,victims", NULL },
		/* A parent, a teacher or the police taking a phone is not theft. */
		{ "the teacher took my phone in class", "other", NULL },
		{ "I took my bike to the park", "other", NULL },
		{ "the feds took my bike from outside my house and kept it a month", "trust", NULL },
		{ "the buses are late again", "other", NULL },
		/* Taken with force is robbery (violence); held over a child for money, exploitation. */
		{ "my bike got taken from outside the library", "victims", NULL },
		{ "got punched and my bike got taken", "violence", NULL },
		{ "he said he would share my pics unless i paid him", "vawg,exploitation", NULL },
		{ "we didnt even bother reporting it, whats the point", "trust", NULL },
		{ "i go to the same school as my brother", "other", "schools" },
	};

	AN_EXPECT_ALL(cb, cases);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("coding7");
	TCase *tc = tcase_create("everyday");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, girls_everyday_words);
	tcase_add_test(tc, theft_scams_hate_said_plainly);
	suite_add_tcase(s, tc);
	return unit_run(s, CK_FORK_GETENV);
}
