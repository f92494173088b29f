/* cli: what the parts of the command line share: the parsed options and a few helpers that
 * main.c defines (the commands check and validate both use them). */
#ifndef MAAL_CLI_H
#define MAAL_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include <maal.h>

/* Exit codes; documented in docs/maal.1 and never changed. */
enum maal_exit {
    MAAL_EXIT_OK = 0,      /* no goal failed */
    MAAL_EXIT_FAIL = 1,    /* a goal failed (or matched --fail-on) */
    MAAL_EXIT_INVALID = 2, /* usage error or invalid input */
    MAAL_EXIT_RULE = 3,    /* a rule error: some goal has verdict 'error' */
};

/* Choose the Danish or English text. */
#ifndef TR
#define TR(lang, da, en) ((lang) == MAAL_LANG_EN ? (en) : (da))
#endif

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
    double rule_timeout;          /* --rule-timeout: seconds per goal; 0 the default */
    size_t rule_memory, max_input; /* --rule-memory, --max-input: bytes; 0 the default */
    maal_engine *engine; /* the options above, prepared (cli_prepare) */
    enum maal_annotate annotate;   /* --annotate */
    bool fail_on_set;  /* --fail-on was given */
};

/* The usage error for a format that is not known (--format, -o FORMAT=FILE), naming every
 * built-in format; returns MAAL_EXIT_INVALID. */
int unknown_format(enum maal_lang lang, const char *name);
/* "maal: <message>" and "prøv 'maal --help'" on stderr; returns MAAL_EXIT_INVALID. */
int usage_error(enum maal_lang lang, const char *fmt, const char *arg);
/* "maal: fejl: <strerror(ENOMEM)>" on stderr. */
void out_of_memory(enum maal_lang lang);
/* "maal: fejl: kan ikke skrive 'PATH': <why>" on stderr, the why the first of 'd' (out of
 * memory without one). */
void cannot_write(enum maal_lang lang, const char *path, const maal_diags *d);
/* o->engine: the engine the options ask for (language, year, today, limits, rule folders,
 * plugins, --goal, --history, --outlook), prepared (maal_engine_prepare); a plugin named with
 * --plugin that cannot be used, or a searched one that is refused, is said on stderr. -1 to
 * go on, else an exit code ('maal plugins', 'listing_plugins', goes on to list them). Release
 * it with cli_release, whatever is returned. */
int cli_prepare(struct opts *o, bool listing_plugins);
void cli_release(struct opts *o);
/* A folder stands for its partnership.yaml: buf holds that path when it is returned. */
const char *data_path(const char *arg, char *buf, size_t size);
/* The partnership ids of a run so far, each with its file (seen_partnership): a hash table
 * (open addressing), so that checking a file's id costs the same however many came before. */
struct seen {
    struct seen_slot {
        char *id; /* NULL: free */
        char *file;
    } *v;
    size_t n, cap; /* cap: a power of two, at most half full */
};
void seen_release(struct seen *s);
/* False (and an error on stderr) when another file of the run has the partnership id 'id'. */
bool seen_partnership(const struct opts *o, struct seen *seen, const char *id,
                      const char *file);

/* maal check FILE...: cli/check.c. */
int cmd_check(struct opts *o, int n, char **files);
/* maal validate FILE...: cli/validate.c. */
int cmd_validate(struct opts *o, int n, char **files);
/* maal diff OLD.json NEW.json: cli/diff.c. */
int cmd_diff(struct opts *o, int n, char **files);

#endif
