/* dictionary: the data dictionary (core/datadict.h) written beside the
 * report's other files, so every code in tables.csv, report.json and the
 * open data can be looked up without the survey file. */
#ifndef DICTIONARY_H
#define DICTIONARY_H
#include <stddef.h>
#include "survey.h"

/* Writes dir/dictionary.csv for s (a byte order mark first when bom is 1),
 * through a temporary file and a rename.  0, or -1 with a message in err. */
int dictionary_write(const struct survey *s, const char *dir, int bom, char *err, size_t errlen)
    __attribute__((warn_unused_result));
#endif
