/* tools: the commands around rules: rules, plugins, test, new rule, init. */
#ifndef MAAL_TOOLS_H
#define MAAL_TOOLS_H

#include "eval.h"
#include "plugin.h"
#include "rules.h"

struct maal_tool_opts {
    enum maal_lang lang;
    const struct maal_limits *limits;
    const char *const *rule_dirs;
    size_t nrule_dirs;
    const struct maal_plugins *plugins;
    bool verbose;
};

/* maal rules [ID] [FILE]: every rule with origin, title and parameters; one rule in full. */
int maal_tool_rules(const struct maal_tool_opts *o, const char *id, const char *data_file);
/* maal plugins: what was found, versions, what each provides, problems. */
int maal_tool_plugins(const struct maal_tool_opts *o);
/* maal test [PATH...]: run rule test files (NAME_test.yaml). Exit 0, 1 (a case failed) or 2. */
int maal_tool_test(const struct maal_tool_opts *o, int n, char **paths);
/* maal new rule NAME [--dir DIR] and maal init DIR. */
int maal_tool_new_rule(const struct maal_tool_opts *o, const char *name, const char *dir);
int maal_tool_init(const struct maal_tool_opts *o, const char *dir);

#endif
