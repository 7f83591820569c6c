/* dictionary: writes the survey's data dictionary beside the report. */
#include "datadict.h"
#include "dictionary.h"
#include "export.h"

int
dictionary_write(const struct survey *s, const char *dir, int bom, char *err, size_t errlen)
{
	struct buf b = BUF_INIT;
	int rc;

	datadict_csv(s, &b, bom);
	rc = export_write(dir, DATADICT_FILE, &b, err, errlen);
	buf_free(&b);
	return rc;
}
