/* cli: what the parts of the command line share: the parsed options and a few helpers that
 * main.c defines (the commands check and validate both use them). */
#ifndef MAAL_CLI_H
#define MAAL_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "plugin.h"
#include "rules.h"

struct opts {
    enum maal_lang lang;
    int year;
    const char *format;
    const char **outputs;
    size_t noutputs;
    int jobs;
    char today[16];
    const char *compare;
    bool fail_on_regression;
    const char **plugin_dirs, **plugin_roots;
    size_t nplugin_dirs, nplugin_roots;
    struct maal_plugins plugins;
    const char *dir, *kind;
    const char **goals;
    size_t ngoals;
    const char **rule_dirs;
    size_t nrule_dirs;
    bool fail_on[MAAL_NVERDICTS];
    int color; /* -1 auto, 0 never, 1 always */
    bool verbose;
    bool history; /* --history: each goal judged for every year up to the evaluated one */
    bool outlook; /* --outlook: goals with a later target year projected to it */
    struct maal_limits limits;
    int annotate;      /* --annotate: MAAL_ANNOTATE_* */
    bool fail_on_set;  /* --fail-on was given */
};

/* "maal: <message>" and "prøv 'maal --help'" on stderr; returns MAAL_EXIT_INVALID. */
int usage_error(enum maal_lang lang, const char *fmt, const char *arg);
/* The rule set a worker evaluates with: the rule folders and the plugins' rules. */
int init_ruleset(struct opts *o, struct maal_ruleset *rs);
struct maal_load_opts load_opts(struct opts *o);
/* A folder stands for its partnership.yaml: buf holds that path when it is returned. */
const char *data_path(const char *arg, char *buf, size_t size);
/* Whether --goal selects the goal 'id' (every goal without --goal). */
bool goal_selected(const struct opts *o, const char *id);
/* False (and an error on stderr) when another file of the run has the partnership id 'id'. */
bool seen_partnership(const struct opts *o, struct maal_buf *seen, const char *id,
                      const char *file);

/* maal check FILE...: cli/check.c. */
int cmd_check(struct opts *o, int n, char **files);

#endif
