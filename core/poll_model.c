/* poll_model: join codes and the session state machine (see poll_model.h). */
#include <string.h>
#include <sodium.h>
#include "poll_model.h"

const char *const poll_action_names[PA__MAX] = {
	[PA_NEXT] = "next", [PA_PREV] = "prev", [PA_LOCK] = "lock", [PA_UNLOCK] = "unlock",
	[PA_SHOW] = "show", [PA_HIDE] = "hide", [PA_END] = "end",
};

enum poll_action
poll_action_from_name(const char *name)
{
	for (int i = 0; name != NULL && i < PA__MAX; i++)
		if (strcmp(name, poll_action_names[i]) == 0)
			return (enum poll_action)i;
	return PA__MAX;
}

void
poll_code_new(char out[POLL_CODE_LEN + 1])
{
	static const char alphabet[] = POLL_CODE_ALPHABET;

	for (int i = 0; i < POLL_CODE_LEN; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[POLL_CODE_LEN] = '\0';
}

int
poll_code_normalise(const char *in, char out[POLL_CODE_LEN + 1])
{
	size_t n = 0;

	for (const char *p = in; p != NULL && *p; p++) {
		char ch = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
		if (ch == ' ' || ch == '-')
			continue;
		if (n == POLL_CODE_LEN || strchr(POLL_CODE_ALPHABET, ch) == NULL)
			return -1;
		out[n++] = ch;
	}
	out[n] = '\0';
	return n == POLL_CODE_LEN ? 0 : -1;
}

int
poll_apply(struct poll_state *s, enum poll_action a)
{
	int started = s->current >= 0 && s->current < s->nq;

	if (!s->open)
		return -1;
	switch (a) {
	case PA_NEXT:
		if (s->current + 1 >= s->nq)
			return -1;
		s->current++;
		s->show = 0;
		return 0;
	case PA_PREV:
		if (s->current <= 0)
			return -1;
		s->current--;
		s->show = 0;
		return 0;
	case PA_LOCK:
	case PA_UNLOCK:
		if (!started)
			return -1;
		s->locked[s->current] = a == PA_LOCK;
		return 0;
	case PA_SHOW:
	case PA_HIDE:
		if (!started)
			return -1;
		s->show = a == PA_SHOW;
		return 0;
	case PA_END:
		s->open = 0;
		s->show = 0;
		return 0;
	default:
		return -1;
	}
}

int
poll_accepts(const struct poll_state *s, int q)
{
	return s->open && q == s->current && q >= 0 && q < s->nq && !s->locked[q];
}
