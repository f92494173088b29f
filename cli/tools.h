/* tools: the commands around rules: rules, plugins, test, new rule, init (cli/tools.c, the one
 * part of the command line on the library's internal headers). */
#ifndef MAAL_TOOLS_H
#define MAAL_TOOLS_H

#include "cli.h"

/* maal rules [ID] [FILE]: every rule with origin, title and parameters; one rule in full. */
int tool_rules(const struct opts *o, const char *id, const char *data_file);
/* maal plugins: what was found, versions, what each provides, problems. */
int tool_plugins(const struct opts *o);
/* maal test [PATH...]: run rule test files (NAME_test.yaml). Exit 0, 1 (a case failed) or 2. */
int tool_test(const struct opts *o, int n, char **paths);
/* maal new rule NAME [--dir DIR] and maal init DIR. */
int tool_new_rule(const struct opts *o, const char *name, const char *dir);
int tool_init(const struct opts *o, const char *dir);

#endif
