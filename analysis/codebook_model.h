/* codebook_model: the learned part of the coding, inside the codebook.
 * A logistic regression per outcome area over three kinds of binary
 * feature: the stems of an answer's words ("w polic"), pairs of adjacent
 * stems in one clause ("b domest abus"), and the codebook's themes that
 * fired on it ("t knife-crime").  So the rules stay the backbone and the
 * model learns, from answers people coded, when a rule's area is wrong and
 * which other words mark an area.  Training is deterministic (a fixed
 * order of examples, no random start), and weights are rounded to what
 * the model file holds, so a model trained in memory and the same model
 * read back from its file code alike.  Only codebook*.c include this. */
#ifndef CODEBOOK_MODEL_H
#define CODEBOOK_MODEL_H
#include "codebook_int.h"

struct cb_model;

/* Reads a model file written by cb_model_save for this codebook; a model
 * trained against a different codebook file (hash) is refused. */
int cb_model_load(struct codebook *cb, const char *path, char *err, size_t errlen)
    __attribute__((warn_unused_result));
void cb_model_free(struct cb_model *m);
/* After the rules ran (cb->toks, cb->fired): the model's areas into h, its
 * probabilities and certainty, and with explain the features that weighed
 * most for each area it gave.  -1 on OOM. */
int cb_model_apply(struct codebook *cb, struct codebook_hits *h, FILE *explain)
    __attribute__((warn_unused_result));
#endif
