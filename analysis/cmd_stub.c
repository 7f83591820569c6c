/* cmd_stub: placeholder entry points until the database commands land. */
#include <stdio.h>
#include "cmd.h"
int cmd_crosstab(int argc, char **argv) { (void)argc; (void)argv; fprintf(stderr, "not built\n"); return 1; }
