/* ruletest: a rule's test file (rules/NAME_test.yaml) run case by case: each case's data
 * becomes a partnership with one goal, evaluated as 'maal check' would, and its result is
 * held against what the case expects. 'maal test' prints the outcomes (cli/tools.c); the
 * public side is maal_rule_test_* in include/maal.h. */
#ifndef MAAL_RULETEST_H
#define MAAL_RULETEST_H

#include "util.h"

struct maal_plugins;

struct maal_ruletest_opts {
    enum maal_lang lang; /* of what is said about the cases (a case's 'lang' runs it in its own) */
    const struct maal_limits *limits;
    const char *const *rule_dirs; /* searched after the test file's folder */
    size_t nrule_dirs;
    const struct maal_plugins *plugins; /* their rules and native functions; may be NULL */
};

/* Run the test file at 'path'. MAAL_OK and *out (the caller's, maal_rule_test_free) when its
 * cases ran, whatever their outcomes; else an error with the reason in 'd' (the file cannot be
 * read, is not YAML, is not a mapping with 'cases', or its rule is not found) and *out NULL. */
int maal_ruletest_run(const struct maal_ruletest_opts *o, const char *path,
                      struct maal_rule_test **out, struct maal_diags *d);

#endif
