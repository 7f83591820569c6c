/* export_json_int: what export_json.c and export_json_sum.c share. */
#ifndef EXPORT_JSON_INT_H
#define EXPORT_JSON_INT_H
#include <jansson.h>
#include "export.h"

/* json_object_set_new that remembers a failure instead of leaking. */
void jx_put(json_t *o, const char *k, json_t *v, int *fail);
/* A count, or null when hidden. */
json_t *jx_count(long n, int supp);
/* A percentage rounded to one decimal, or null when hidden. */
json_t *jx_pct(double p, int supp);
/* The summary object (report_summary.c); NULL on OOM. */
json_t *jx_summary(const struct report *r, int *fail);
#endif
