/* cmd: the subcommands of voices-analyse.  Each takes the arguments after
 * its name and returns the process exit status (0 ok, 1 failure, 2 usage). */
#ifndef CMD_H
#define CMD_H

struct codebook;
struct eval_set;

#define CMD_DEFAULT_CODEBOOK	"analysis/codebook.yaml"

int cmd_code(int argc, char **argv);
int cmd_evaluate(int argc, char **argv);
int cmd_train(int argc, char **argv);
/* evaluate --cv K and --learn (cmd_train.c) */
int eval_cv(const char *codebook, long k, int errors, char **files, int nfiles);
int eval_rounds(const char *codebook, char **learn, int nlearn, char **files, int nfiles);
/* Reads the n human-coded files into s (eval_read); -1 after telling stderr
 * why the first that fails does (cmd_train.c). */
int eval_read_all(struct codebook *cb, char **files, int n, struct eval_set *s);
int cmd_report(int argc, char **argv);
int cmd_crosstab(int argc, char **argv);
int cmd_generate(int argc, char **argv);
int cmd_sheet(int argc, char **argv);
int cmd_corrections(int argc, char **argv);
int cmd_opendata(int argc, char **argv);
#endif
