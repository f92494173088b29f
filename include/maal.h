/* maal.h: the public interface of libmaal, which checks whether Danish safety partnerships
 * (tryghedspartnerskaber) meet their goals. This header and maal_plugin.h are the whole
 * interface; everything else in the source tree is internal and may change.
 *
 * The steps of a check, each with its own handle:
 *
 *   maal_engine       options (language, year, limits, rule folders, plugins) and a sandboxed
 *                     Lua state reused from goal to goal. Use one engine from one thread at
 *                     a time; to check in parallel, prepare it and give each thread a worker.
 *   maal_partnership  one partnership's data, loaded from a file or a buffer.
 *   maal_check        the results of evaluating one partnership's goals.
 *   maal_result       one goal's verdict, numbers, message and sources (borrowed from its
 *                     check).
 *   maal_diags        located errors and warnings (file:line:col, message) about the input.
 *   maal_worker       one thread's evaluation on a prepared engine (its own rule cache and
 *                     Lua state), with an optional hook around each goal.
 *   maal_report_stream  a report in any format written as the checks come (begin, add, take,
 *                     end), so that memory does not grow with the number of partnerships.
 *   maal_previous     a previous run's JSON result: what changed since (--compare, diff).
 *   maal_output       a file written as it goes and replaced only when complete; several are
 *                     replaced together or not at all.
 *   maal_rules        the rules an engine sees for a data file: origin, shadowing, what each
 *                     says of itself (maal rules).
 *   maal_rule_test    a rule's test file run case by case, each case's outcome (maal test).
 *
 * Ownership, stated once: a function that makes an object (_new, or a '**out' argument)
 * gives it to the caller, to be released with the matching _free, which accepts NULL. Strings
 * and results returned by accessors are borrowed from the object they come from and live
 * exactly as long as it. A check borrows its partnership: free the check first. Text the
 * caller passes in is copied. On failure, outputs are left NULL and need no cleanup.
 *
 * Errors: fallible functions return MAAL_OK (0) or an enum maal_status code; problems with
 * the input are added to a maal_diags the caller passes (NULL: not wanted). The library never
 * prints and never exits.
 *
 * Example (examples/embed/embed.c is the full program):
 *
 *   maal_engine *e = maal_engine_new();
 *   maal_diags *d = maal_diags_new();
 *   maal_partnership *p;
 *   maal_check *c;
 *   if (maal_load_file(e, "partnership.yaml", &p, d) == MAAL_OK &&
 *       maal_check_run(e, p, &c, d) == MAAL_OK) {
 *       for (size_t i = 0; i < maal_check_count(c); i++) {
 *           const maal_result *r = maal_check_result(c, i);
 *           printf("%s %s\n", maal_result_goal(r), maal_verdict_name(maal_result_verdict(r)));
 *       }
 *       maal_check_free(c);
 *   }
 *   maal_partnership_free(p);
 *   maal_diags_free(d);
 *   maal_engine_free(e);
 */
#ifndef MAAL_PUBLIC_H
#define MAAL_PUBLIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MAAL_VERSION_MAJOR 0
#define MAAL_VERSION_MINOR 1
#define MAAL_VERSION_PATCH 0
#define MAAL_VERSION "0.1.0"

/* The years maal reads and evaluates: a year outside them is an error in data, params and
 * options alike (dates in the data may run to 9999). */
#define MAAL_YEAR_MIN 1900
#define MAAL_YEAR_MAX 2100
/* MAAL_VERSION_MAJOR * 10000 + MINOR * 100 + PATCH, for #if */
#define MAAL_VERSION_NUM                                                                       \
    (MAAL_VERSION_MAJOR * 10000 + MAAL_VERSION_MINOR * 100 + MAAL_VERSION_PATCH)
#define MAAL_FORMAT_VERSION 1      /* of the data files */
#define MAAL_JSON_FORMAT_VERSION 1 /* of the "json" report */

#if defined(MAAL_BUILDING) && defined(__GNUC__)
#define MAAL_API __attribute__((visibility("default")))
#else
#define MAAL_API
#endif

/* Return codes of fallible functions. */
enum maal_status {
    MAAL_OK = 0,
    MAAL_ERR_IO = 1,
    MAAL_ERR_INVALID = 2, /* input did not validate: see the diagnostics */
    MAAL_ERR_NOMEM = 3,
    MAAL_ERR_LIMIT = 4,
    MAAL_ERR_USAGE = 5, /* a bad argument: an unknown format, a year out of range, ... */
    MAAL_ERR_RULE = 6,  /* a rule cannot be loaded or run (a syntax error): exit status 3 */
};

enum maal_lang { MAAL_LANG_DA = 0, MAAL_LANG_EN = 1 };

enum maal_verdict {
    MAAL_PASS,
    MAAL_FAIL,
    MAAL_INFO,   /* monitored: numbers, no target */
    MAAL_NODATA, /* a value is missing, not due yet, or not comparable */
    MAAL_ERROR,  /* the rule failed; the message says why */
    MAAL_WAIVED, /* a waiver in the data applies: evaluated, but not counted as failing */
    MAAL_NVERDICTS
};

enum maal_severity { MAAL_SEV_ERROR, MAAL_SEV_WARNING };

typedef struct maal_engine maal_engine;
typedef struct maal_partnership maal_partnership;
typedef struct maal_check maal_check;
typedef struct maal_result maal_result;
typedef struct maal_diags maal_diags;
typedef struct maal_worker maal_worker;
typedef struct maal_report_stream maal_report_stream;
typedef struct maal_previous maal_previous;
typedef struct maal_out maal_output;

/* "0.1.0": the version of the library linked, which may differ from MAAL_VERSION. */
MAAL_API const char *maal_version(void);
/* "pass", "fail", "info", "nodata", "error", "waived"; NULL for a value out of range. */
MAAL_API const char *maal_verdict_name(enum maal_verdict v);
/* The verdict as the reports word it: "opfyldt", "ikke opfyldt", ... ("met", "not met"). */
MAAL_API const char *maal_verdict_word(enum maal_verdict v, enum maal_lang lang);

/* ---- text ------------------------------------------------------------------------------ */

/* An errno's text in 'lang' (strerror's is English whatever the language); static. */
MAAL_API const char *maal_strerror(int errnum, enum maal_lang lang);
/* A number as people write it in 'lang' (1.970.000 and 24,8 in Danish); 'decimals' < 0: as
 * few as needed (up to 2). Writes into 'out' (size >= 48) and returns it. */
MAAL_API char *maal_fmt_number(char *out, size_t size, double v, int decimals,
                               enum maal_lang lang);
/* The one of 'cands' (NULL-terminated) closest to 's' within a small distance, or NULL. */
MAAL_API const char *maal_did_you_mean(const char *s, const char *const *cands);
/* A copy of 's' safe for a terminal or a log (control characters and the like replaced; line
 * feeds kept when 'lines'), the caller's (maal_text_free); NULL when out of memory. */
MAAL_API char *maal_clean_dup(const char *s, bool lines);
/* 's' escaped as the report 'format' escapes text from data: "text" (one line, cleaned as
 * maal_clean_dup(s, false)), "markdown" (a table cell's: nothing starts a heading, a list, a link
 * or a code span), "github" (a workflow command's message) or "github-property" (a property such
 * as file= or title=: ':' and ',' too). The caller's (maal_text_free); NULL when out of memory
 * or for another format. */
MAAL_API char *maal_escape(const char *s, const char *format);
/* A number with its unit as the reports write it: "26 %", "18,7 pr. 1000 indb.",
 * "1.970.000 kr." ("1,970,000 DKK" in English); a unit maal does not know (or NULL) adds
 * nothing. Writes into 'out' (size >= 80) and returns it. */
MAAL_API char *maal_fmt_quantity(char *out, size_t size, double v, const char *unit,
                                 enum maal_lang lang);

/* A whole string as a decimal integer: false (and *out untouched) if it is not one. */
MAAL_API bool maal_parse_int(const char *s, long *out);
/* Today (UTC) as YYYY-MM-DD in buf (size >= 11): SOURCE_DATE_EPOCH when it is set
 * (reproducible runs), else the clock. False, buf untouched, when that day is outside the
 * years 1900-9999. */
MAAL_API bool maal_today(char *buf, size_t size);

/* ---- diagnostics ---------------------------------------------------------------------- */

/* NULL when out of memory. */
MAAL_API maal_diags *maal_diags_new(void);
MAAL_API void maal_diags_free(maal_diags *d);
/* The number of diagnostics kept, and of errors among all of them. A collection keeps the
 * first 1000; past them each is only counted (maal_diags_errors counts it, maal_diags_write
 * says how many more there are), so a file with a million problems costs no more. */
MAAL_API size_t maal_diags_size(const maal_diags *d);
MAAL_API size_t maal_diags_errors(const maal_diags *d);
/* Diagnostic i (< maal_diags_size): any output pointer may be NULL. 'file' may be "" (a
 * problem with no file), line and col are 1-based (0: unknown). Returns MAAL_ERR_USAGE for
 * an i out of range. */
MAAL_API int maal_diags_get(const maal_diags *d, size_t i, enum maal_severity *sev,
                            const char **file, int *line, int *col, const char **message);
/* Add one ('file' may be NULL; line and col 0: unknown). Out of memory is remembered and
 * said when the diagnostics are written. */
MAAL_API void maal_diags_add(maal_diags *d, enum maal_severity sev, const char *file, int line,
                             int col, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 6, 7)))
#endif
    ;
/* Write them to 'f' in 'format': "text", as a compiler does ("file:line:col: fejl: ...",
 * cleaned for a terminal), or "github", as GitHub annotations (::error file=...). Returns
 * MAAL_OK, MAAL_ERR_USAGE for another format, or MAAL_ERR_NOMEM. */
MAAL_API int maal_diags_write(const maal_diags *d, const char *format, FILE *f,
                              enum maal_lang lang);

/* ---- the engine ----------------------------------------------------------------------- */

/* An engine with the defaults of the command line: Danish, the latest year in each file,
 * 1 s and 64 MiB per goal, data files up to 64 MiB, the standard rules. NULL when out of
 * memory. */
MAAL_API maal_engine *maal_engine_new(void);
MAAL_API void maal_engine_free(maal_engine *e);
/* Options; each returns MAAL_OK, or MAAL_ERR_USAGE for a bad value (the engine keeps the
 * old one), or MAAL_ERR_NOMEM. Set them before the first load or check: rule folders and
 * plugins are read then. */
MAAL_API int maal_engine_set_lang(maal_engine *e, enum maal_lang lang);
/* Evaluate on the latest data year <= year (MAAL_YEAR_MIN-MAAL_YEAR_MAX); 0: the latest year in each file. */
MAAL_API int maal_engine_set_year(maal_engine *e, int year);
/* Today's date, YYYY-MM-DD, for waivers' expiry; NULL: the clock (or SOURCE_DATE_EPOCH). */
MAAL_API int maal_engine_set_today(maal_engine *e, const char *date);
/* Is 'date' a day maal_engine_set_today takes: YYYY-MM-DD, year 1900-9999, month 1-12,
 * day 1-31? (The command line checks --today with it.) */
MAAL_API bool maal_date_valid(const char *date);
/* A time limit is the CPU time of the thread that runs the code, so that a busy machine
 * neither stops a rule early nor lets it use more; this much wall-clock time stops it too
 * (code that waits without using CPU time). The backstop of 'maal check' waits 1 s past it. */
#define MAAL_WALL_CEILING(secs) (3 * (secs))
/* The signal libmaal claims (Linux): the timer that watches a running rule's time limits
 * sends it to the thread that runs the rule. libmaal installs its handler (SA_RESTART) when it
 * first runs a rule, and only when the signal has none (SIG_DFL): a host that set a handler
 * for it, SIG_IGN included, keeps it, and every rule is then watched by a count hook instead
 * (slower, as safe). The same holds in a thread that blocks the signal (both checked at the
 * first goal of each worker call). A host should leave it alone; the timer is armed only
 * during a worker's call, and when a signal comes, a system call of that thread that
 * SA_RESTART does not restart (in a native function, a goal hook) fails with EINTR.
 * docs/library.md. Needs <signal.h>. */
#define MAAL_TIMER_SIGNAL (SIGRTMAX - 5)
/* Seconds of CPU time (of the thread that runs it; at most MAAL_WALL_CEILING of that on the wall clock)
 * and bytes a goal's rule may use; bytes of one data file. 0 keeps the current. */
MAAL_API int maal_engine_set_limits(maal_engine *e, double rule_timeout, size_t rule_memory,
                                    size_t max_input);
/* The limits in force (maal_engine_set_limits); any pointer may be NULL. */
MAAL_API void maal_engine_get_limits(const maal_engine *e, double *rule_timeout,
                                     size_t *rule_memory, size_t *max_input);
/* Search 'dir' for rules after the data file's own rules/ and before the standard rules
 * (repeatable, searched in order). */
MAAL_API int maal_engine_add_rule_dir(maal_engine *e, const char *dir);
/* A folder of plugin folders, searched (its plugins are untrusted: no native code). */
MAAL_API int maal_engine_add_plugin_root(maal_engine *e, const char *dir);
/* One plugin folder, trusted: its native module may be loaded. */
MAAL_API int maal_engine_add_plugin(maal_engine *e, const char *dir);
/* Evaluate only this goal (repeatable; default: every goal). */
MAAL_API int maal_engine_select_goal(maal_engine *e, const char *goal_id);
/* Also judge each goal for every year from the period's start (or the file's first figure)
 * up to the evaluated year, each exactly as maal_engine_set_year(Y) would (the command line's
 * --history): see maal_result_history. */
MAAL_API int maal_engine_set_history(maal_engine *e, bool on);
/* For goals whose target year lies after the evaluated year, project the values so far to
 * that year (the command line's --outlook; shown by the reports). */
MAAL_API int maal_engine_set_outlook(maal_engine *e, bool on);
/* Read the plugins and the rule folders now (else the first load or check does): a plugin
 * named with maal_engine_add_plugin that cannot be used, or a searched one that would shadow
 * a standard rule, is an error in 'd' (MAAL_ERR_INVALID). After it, loading, reporting and
 * maal_worker_new only read the engine: they may run in several threads at once, as long as
 * no option is set meanwhile. */
MAAL_API int maal_engine_prepare(maal_engine *e, maal_diags *d);

/* ---- data ------------------------------------------------------------------------------ */

/* Read, parse and validate a partnership file (a folder stands for its partnership.yaml).
 * MAAL_ERR_INVALID: the problems are in 'd'. */
MAAL_API int maal_load_file(maal_engine *e, const char *path, maal_partnership **out,
                            maal_diags *d);
/* The same from 'len' bytes of YAML at 'text'; 'name' names it in messages, and its folder is
 * where the partnership's own rules/ are looked for. */
MAAL_API int maal_load_buffer(maal_engine *e, const char *name, const char *text, size_t len,
                              maal_partnership **out, maal_diags *d);
MAAL_API void maal_partnership_free(maal_partnership *p);
MAAL_API const char *maal_partnership_id(const maal_partnership *p);
MAAL_API const char *maal_partnership_name(const maal_partnership *p);
MAAL_API const char *maal_partnership_file(const maal_partnership *p);
/* The year a check evaluates by default: the latest year with a figure in the file. */
MAAL_API int maal_partnership_latest_year(const maal_partnership *p);
/* The agreement's period: false (and *from, *to untouched) when the file states none. */
MAAL_API bool maal_partnership_period(const maal_partnership *p, int *from, int *to);
/* The goals in the file, in order; the id of goal i (NULL out of range). */
MAAL_API size_t maal_partnership_goal_count(const maal_partnership *p);
MAAL_API const char *maal_partnership_goal_id(const maal_partnership *p, size_t i);

/* ---- checking -------------------------------------------------------------------------- */

/* Evaluate the goals of 'p' (those selected). A rule that fails gives its goal the verdict
 * MAAL_ERROR and the other goals are still evaluated; params that do not fit their rule are
 * also added to 'd' as errors (and the call returns MAAL_ERR_INVALID, with *out set), and
 * warnings as maal_worker_check says. A partnership without goals is MAAL_ERR_INVALID. */
MAAL_API int maal_check_run(maal_engine *e, const maal_partnership *p, maal_check **out,
                            maal_diags *d);
MAAL_API void maal_check_free(maal_check *c);
MAAL_API const maal_partnership *maal_check_partnership(const maal_check *c);
/* The year evaluated: the engine's year, or the file's latest. */
MAAL_API int maal_check_year(const maal_check *c);
MAAL_API size_t maal_check_count(const maal_check *c);
/* The number of results with verdict v. */
MAAL_API size_t maal_check_count_verdict(const maal_check *c, enum maal_verdict v);
/* Result i (< maal_check_count), in the order of the file's goals; NULL out of range. */
MAAL_API const maal_result *maal_check_result(const maal_check *c, size_t i);

/* The plugins found by maal_engine_prepare (also when it failed on them), in the order they
 * were found; strings borrowed from the engine. */
struct maal_plugin_info {
    const char *dir, *name;
    bool explicit_dir; /* named with maal_engine_add_plugin: trusted */
    bool bundled;      /* one of maal's own */
    bool refused;      /* found by searching, it would shadow something standard: unused */
    const char *problem; /* why it cannot be used, or NULL */
    /* what its plugin.yaml says: each NULL when not given */
    const char *version, *description, *author, *license;
    long api; /* maal_api: the plugin interface it was written for (MAAL_PLUGIN_API) */
};
MAAL_API size_t maal_engine_plugin_count(const maal_engine *e);
/* MAAL_ERR_USAGE for an i out of range. */
MAAL_API int maal_engine_plugin(const maal_engine *e, size_t i, struct maal_plugin_info *info);
/* What a plugin provides: the files of its rules/ and reporters/ (.lua) and goalsets/ (.yaml),
 * named without the extension and sorted, test files (NAME_test.*) left out; or the functions
 * of its native module, in the order the module gives them (none unless it was loaded: only a
 * plugin named with maal_engine_add_plugin has one). */
enum maal_plugin_part {
    MAAL_PLUGIN_RULES,
    MAAL_PLUGIN_REPORTERS,
    MAAL_PLUGIN_GOALSETS,
    MAAL_PLUGIN_NATIVE,
};
/* Plugin i's names of 'part': *names is a NULL-terminated array of *n strings ('n' may be
 * NULL), the caller's as one block (maal_text_free frees the array and its strings); a part
 * the plugin lacks gives an empty array. MAAL_ERR_USAGE for an i or part out of range,
 * MAAL_ERR_NOMEM (*names NULL). */
MAAL_API int maal_engine_plugin_names(const maal_engine *e, size_t i, enum maal_plugin_part part,
                                      char ***names, size_t *n);
/* Why searched plugins were refused, one line each, or NULL when none was. */
MAAL_API const char *maal_engine_plugins_refused(const maal_engine *e);

/* ---- the rules an engine sees (maal rules) ---------------------------------------------- */

/* The rules a partnership file would find, in the order they are searched: the file's own
 * rules/ folder ("local"), the engine's rule folders ("--rules", maal_engine_add_rule_dir),
 * MAAL_PATH, the plugins' rules ("plugin:NAME", a rule named "NAME/RULE") and the standard
 * rules ("standard"); each folder's rules sorted by name, test files (NAME_test.lua) left
 * out. A name that comes again later is shadowed: the earlier one is the one a goal gets. */
typedef struct maal_rules maal_rules;
/* The rules for 'data_file' (NULL: none, so no "local" folder), read from the folders now.
 * *out is the caller's (maal_rules_free) and borrows 'e' (free *out first). Reads the
 * engine's plugins as maal_engine_prepare does, with its errors in 'd'. */
MAAL_API int maal_rules_new(maal_engine *e, const char *data_file, maal_rules **out,
                            maal_diags *d);
MAAL_API void maal_rules_free(maal_rules *r);
/* The folders searched after the data file's own rules/, in order: folder i's path and its
 * origin ("--rules", "MAAL_PATH", "plugin:NAME", "standard"), borrowed from 'r'; either
 * pointer may be NULL. MAAL_ERR_USAGE for an i out of range. */
MAAL_API size_t maal_rules_dir_count(const maal_rules *r);
MAAL_API int maal_rules_dir(const maal_rules *r, size_t i, const char **path,
                            const char **origin);

/* One rule found; the strings are borrowed from its maal_rules. */
struct maal_rule_entry {
    const char *name;   /* as a goal names it: "at_most_baseline", "stats/trend" */
    const char *path;   /* its .lua file */
    const char *origin; /* "local", "--rules", "MAAL_PATH", "plugin:NAME" or "standard" */
    bool shadowed;      /* a rule of that name was found earlier: this one is not used */
};
MAAL_API size_t maal_rules_count(const maal_rules *r);
/* MAAL_ERR_USAGE for an i out of range. */
MAAL_API int maal_rules_get(const maal_rules *r, size_t i, struct maal_rule_entry *out);

/* What a rule says of itself, found by running its file (not its evaluate) in the sandbox
 * under the engine's limits; in the engine's language, cleaned for a terminal. The strings
 * are borrowed from the maal_rules. */
struct maal_rule_about {
    const char *title;   /* its title, or NULL */
    const char *doc;     /* the comment lines at the top of its file ('\n' after each), or NULL */
    const char *params;  /* "series (string, påkrævet), scope (string = area)", or NULL */
    const char *problem; /* why it cannot be used (a syntax error, no evaluate, ...), or NULL */
};
/* Rule i described (run the first time it is asked, then kept). MAAL_OK also for a rule that
 * cannot be used (out->problem says why); MAAL_ERR_USAGE for an i out of range. */
MAAL_API int maal_rules_describe(maal_rules *r, size_t i, struct maal_rule_about *out);

/* ---- rule tests (maal test) ------------------------------------------------------------ */

/* A rule's test file (docs/writing-rules.md): 'rule:' (default: the file's name without
 * _test.yaml), shared 'data:', and 'cases:', each a partnership's data, the rule's params, a
 * year and what the result must be (expect, message, actual, target, baseline, change, op,
 * unit, result_year; lang runs the case in that language). The rule is looked for beside the
 * test file first, then where the engine looks; the cases share one Lua state, as the goals of
 * a check do, and a waiver in their data never expires. */
typedef struct maal_rule_test maal_rule_test;
enum maal_case_outcome {
    MAAL_CASE_PASSED,   /* the result is what the case expects */
    MAAL_CASE_FAILED,   /* it is not: 'why' says how */
    MAAL_CASE_INVALID,  /* the case is wrong (a key unknown or missing, a bad value): not run */
    MAAL_CASE_BAD_DATA, /* its data is not a valid partnership ('diags'): not run */
};
/* One case's outcome; the strings are borrowed from the maal_rule_test. */
struct maal_test_case {
    enum maal_case_outcome outcome;
    const char *name; /* the case's name, or NULL */
    /* INVALID: where in the test file (col 0: the case's line); FAILED with at_param: the
     * param that does not fit the rule; else 0 */
    int line, col;
    bool at_param;          /* FAILED: the case's params do not fit the rule */
    const char *why;        /* FAILED, INVALID: what differs or is wrong; else NULL */
    const char *message;    /* PASSED, FAILED: the result's message; else NULL */
    const maal_diags *diags; /* BAD_DATA: the problems with its data; else NULL */
};
/* Run the test file at 'path' with the engine's options (language, limits, rule folders,
 * plugins). MAAL_OK and *out (the caller's, maal_rule_test_free) when the cases ran, whatever
 * their outcomes; else (the file cannot be read, is not a mapping with a list 'cases', or its
 * rule is not found) the reason in 'd' and *out NULL. */
MAAL_API int maal_rule_test_run(maal_engine *e, const char *path, maal_rule_test **out,
                                maal_diags *d);
MAAL_API void maal_rule_test_free(maal_rule_test *t);
/* The rule tested, as the test file names it. */
MAAL_API const char *maal_rule_test_rule(const maal_rule_test *t);
MAAL_API size_t maal_rule_test_count(const maal_rule_test *t);
/* Case i, in the file's order. MAAL_ERR_USAGE for an i out of range. */
MAAL_API int maal_rule_test_case(const maal_rule_test *t, size_t i, struct maal_test_case *out);

/* ---- workers: checking in several threads -------------------------------------------- */

/* A worker evaluates for one thread at a time: it has its own rule cache and sandboxed Lua
 * state (kept from goal to goal and partnership to partnership) and reads its engine's options
 * and plugins, which must outlive it and not change while it exists. Make one per thread,
 * after maal_engine_prepare; each partnership's checks then run in parallel. The caller owns
 * *out (maal_worker_free, which accepts NULL). */
MAAL_API int maal_worker_new(maal_engine *e, maal_worker **out, maal_diags *d);
MAAL_API void maal_worker_free(maal_worker *w);
/* maal_check_run with this worker's state. Besides the invalid params, what is worth a
 * warning goes to 'd' in order: each goal's waiver that has expired, then each rule the
 * partnership uses that hides a standard rule (its own, or one of --rules or MAAL_PATH). A
 * rule file's warning is given once per worker, with the first partnership of the worker
 * that uses it, not again for later ones (maal_check_run: once per engine); a host that
 * reports each partnership apart and wants it with every one makes a worker per partnership. */
MAAL_API int maal_worker_check(maal_worker *w, const maal_partnership *p, maal_check **out,
                               maal_diags *d);

/* Check the goals of 'p' without evaluating them (the command line's validate): each goal's
 * rule must be found and its params must fit the rule's schema. Problems go to 'd' at the
 * goal's rule or param. MAAL_OK; MAAL_ERR_INVALID when the data is at fault; MAAL_ERR_RULE
 * when only rules are (one does not load), their number in *rule_errors (may be NULL). */
MAAL_API int maal_worker_validate(maal_worker *w, const maal_partnership *p, maal_diags *d,
                                  size_t *rule_errors);

/* Called around each goal a worker evaluates (e.g. a watchdog that stops a goal from outside
 * when a C function runs past its deadline); 'goal' is the goal's index in the partnership's
 * goals. Each function may be NULL; they run in the worker's thread. */
struct maal_goal_hook {
    /* Before the goal: NULL to run it, or a message: the goal is not run and gets the verdict
     * MAAL_ERROR with that message (copied). */
    const char *(*begin)(void *ud, size_t goal);
    /* The partnership's data was built for the goal: the rule's own time starts now. */
    void (*restart)(void *ud, size_t goal);
    /* After the goal ran (not after one given up by begin). */
    void (*end)(void *ud, size_t goal);
    void *ud;
};
/* Copies *h (NULL: no hook). */
MAAL_API void maal_worker_set_goal_hook(maal_worker *w, const struct maal_goal_hook *h);

/* ---- one goal's result ----------------------------------------------------------------- */

MAAL_API const char *maal_result_goal(const maal_result *r);  /* the goal's id */
MAAL_API const char *maal_result_title(const maal_result *r); /* as the agreement words it */
MAAL_API const char *maal_result_group(const maal_result *r); /* the report section */
MAAL_API const char *maal_result_rule(const maal_result *r);
MAAL_API enum maal_verdict maal_result_verdict(const maal_result *r);
/* For MAAL_WAIVED: the verdict the waiver replaced; else the verdict itself. */
MAAL_API enum maal_verdict maal_result_underlying_verdict(const maal_result *r);
/* The data year the verdict rests on; 0 if none. */
MAAL_API int maal_result_year(const maal_result *r);
/* Numbers: true and *v set when the result has it. */
MAAL_API bool maal_result_actual(const maal_result *r, double *v);
MAAL_API bool maal_result_target(const maal_result *r, double *v);
MAAL_API bool maal_result_baseline(const maal_result *r, double *v);
MAAL_API bool maal_result_change(const maal_result *r, double *v); /* actual - baseline */
MAAL_API int maal_result_baseline_year(const maal_result *r);      /* 0 if none */
/* "count", "per_1000", "percent", "kr", "number", or NULL. */
MAAL_API const char *maal_result_unit(const maal_result *r);
/* "<=", ">=", "<", ">", "==", or NULL. */
MAAL_API const char *maal_result_op(const maal_result *r);
/* Always set, in the engine's language. */
MAAL_API const char *maal_result_message(const maal_result *r);
MAAL_API const char *maal_result_significance(const maal_result *r); /* or NULL */
/* Where the numbers came from: source i is a line and column of the file that holds it and
 * what was read there ("indbrud area 2021"); for a value from a CSV table, the table's file,
 * the CSV row and the field (1-based). */
MAAL_API size_t maal_result_source_count(const maal_result *r);
/* Source i (< maal_result_source_count); any output pointer may be NULL; the strings are
 * borrowed from the result. MAAL_ERR_USAGE for an i out of range. */
MAAL_API int maal_result_source(const maal_result *r, size_t i, const char **file, int *line,
                                int *col, const char **what);
/* With maal_engine_set_history: how many years were judged (0 without), and entry i, oldest
 * first (the last is the result itself): the year judged and its verdict. MAAL_ERR_USAGE for an
 * i out of range. */
MAAL_API size_t maal_result_history_count(const maal_result *r);
MAAL_API int maal_result_history(const maal_result *r, size_t i, int *year,
                                 enum maal_verdict *verdict);

/* ---- comparing with a previous result --------------------------------------------------- */

/* A previous run's --format json result (untrusted input: checked as it is read), to compare
 * checks with: *out is the caller's (maal_previous_free). MAAL_ERR_INVALID or MAAL_ERR_IO
 * with the reason in 'd'. */
MAAL_API int maal_previous_load(const char *path, enum maal_lang lang, maal_previous **out,
                                maal_diags *d);
MAAL_API void maal_previous_free(maal_previous *prev);
/* Mark each result of 'c' with what changed since 'prev' (the reports show it) and count it
 * in the changes that 'prev' keeps. A partnership compared twice matches nothing the second
 * time. */
MAAL_API void maal_check_compare(maal_check *c, maal_previous *prev);
/* maal_check_compare in two halves, for checks made on several threads. The lookup marks
 * each result of 'c' with what changed since 'prev' and only reads 'prev': it may run on
 * several threads at once, and while maal_previous_note notes other checks on another
 * thread (the lookup reads nothing a note changes; nothing else may change or free 'prev'
 * meanwhile), so a report part made after it (maal_report_format_part) shows the
 * comparison. The note counts the results in the changes 'prev' keeps, on one thread, in
 * the order of the report; a previous result already matched by an earlier note matches
 * nothing: the result is then new (a partnership noted twice), as maal_check_compare would
 * say; a part made before that note still shows the lookup's comparison (maal check reports
 * such a file's parts not at all). */
MAAL_API void maal_check_compare_lookup(maal_check *c, const maal_previous *prev);
MAAL_API void maal_previous_note(maal_previous *prev, maal_check *c);
/* A file that could not be checked (it did not load): the previous results of the partnership
 * in the file of that name (the result's "file") were not run, and do not count as removed.
 * Call before maal_previous_finish. NULL 'prev' or 'file': nothing. */
MAAL_API void maal_previous_not_run(maal_previous *prev, const char *file);
/* After the last check: the previous results no check matched count as removed, except those
 * of goals that the selection of 'e' (maal_engine_select_goal; NULL: none) left out, and those
 * of files that could not be checked (maal_previous_not_run). */
MAAL_API int maal_previous_finish(maal_previous *prev, const maal_engine *e);
/* Goals that passed before and fail now. */
MAAL_API size_t maal_previous_regressions(const maal_previous *prev);
/* What the comparisons so far add up to. */
struct maal_change_counts {
    size_t unchanged, added, verdict, values, removed, regressions;
};
MAAL_API void maal_previous_counts(const maal_previous *prev, struct maal_change_counts *c);
/* One paragraph on the changes ("Ændringer siden sidste kørsel: ..."), or "" without a
 * comparison: the caller's (maal_text_free); NULL when out of memory. */
MAAL_API char *maal_previous_summary(const maal_previous *prev, enum maal_lang lang);

/* One line of a diff between two results (maal diff). */
struct maal_change {
    char kind;                      /* '+' a new goal, '~' changed, '-' removed */
    const char *partnership, *goal; /* '+' and '~' */
    const char *removed;            /* '-': "partnership/goal" */
    int from, to;                   /* the verdicts (enum maal_verdict), -1: none */
    bool values;                    /* '~': the numbers changed, the verdict did not */
    bool has_actual;                /* both runs have the value */
    double prev_actual, actual;
};
/* What changed from 'old' to 'cur', in the order of 'cur' and then the removed goals:
 * *out (*n entries) is the caller's (maal_text_free); its strings are borrowed from 'old' and
 * 'cur'. Compares into 'old' (maal_previous_counts, _summary and _regressions of 'old' then
 * tell the totals); do it once per 'old'. */
MAAL_API int maal_previous_diff(maal_previous *old, const maal_previous *cur,
                                struct maal_change **out, size_t *n);
/* What a loaded result says of one goal, for the lines of a diff: 'goal' NULL takes
 * 'partnership' as "partnership/goal" (maal_change.removed). MAAL_ERR_USAGE when it has no such
 * goal. Any output pointer may be NULL; the strings are borrowed from 'prev' and are what the
 * file says: untrusted input, to be cleaned or escaped for where they are printed
 * (maal_clean_dup, maal_escape).
 * _number: the result's "actual", "target" or "baseline" (*has whether it has it, *v then
 * set); MAAL_ERR_USAGE for another name too.
 * _unit: the unit of those numbers ("count", "percent", "per_1000", "kr", ...; *unit NULL
 * when none, or not an id of at most 32 bytes).
 * _source: where its number came from, the result's first data source (the one after the
 * goal's own in 'sources'; the goal's when it has no other): *file NULL when the result has
 * none that is well-formed; a CSV cell's line is its row, its col the field. */
MAAL_API int maal_previous_number(const maal_previous *prev, const char *partnership,
                                  const char *goal, const char *name, bool *has, double *v);
MAAL_API int maal_previous_unit(const maal_previous *prev, const char *partnership,
                                const char *goal, const char **unit);
MAAL_API int maal_previous_source(const maal_previous *prev, const char *partnership,
                                  const char *goal, const char **file, int *line, int *col,
                                  const char **what);

/* ---- reports --------------------------------------------------------------------------- */

/* github with a comparison: what changed is annotated as error/warning and older failures as
 * notices (CHANGED, the default), older failures left out (ONLY_CHANGED), or every failure
 * annotated as without a comparison (ALL). */
enum maal_annotate { MAAL_ANNOTATE_CHANGED, MAAL_ANNOTATE_ONLY_CHANGED, MAAL_ANNOTATE_ALL };

struct maal_report_opts {
    bool color;   /* text: ANSI colours */
    bool verbose; /* tracebacks and what rules printed */
    enum maal_annotate annotate;
};

/* Whether 'format' names a report: a built-in one or a plugin's "PLUGIN/NAME" (e NULL: a
 * built-in one). */
MAAL_API bool maal_report_known(maal_engine *e, const char *format);
/* The format a file's name asks for: by its extension (report.html: "html"; .htm, .md,
 * .markdown, .json, .xml: junit, .tap, .xlsx), or a plugin's reporter named like the extension
 * ("PLUGIN/csv" for .csv, written into buf), else "text". Static or buf. */
MAAL_API const char *maal_report_format_of_path(maal_engine *e, const char *path, char *buf,
                                                size_t size);

/* A report written as the checks come: begin, add each check (in the order to report them),
 * take what is ready after each, end, take the rest. *out is the caller's
 * (maal_report_free). MAAL_ERR_USAGE for an unknown format. 'o' may be NULL. */
MAAL_API int maal_report_begin(maal_engine *e, const char *format,
                               const struct maal_report_opts *o, maal_report_stream **out,
                               maal_diags *d);
MAAL_API void maal_report_add(maal_report_stream *s, const maal_check *c);
/* One check's part of the report, formatted apart from the stream so that the checks of
 * several threads are formatted on those threads: maal_report_format_part only reads 's' (its
 * format and options) and 'c', and may be called from several threads at once, also while
 * another thread adds parts to 's'. maal_report_add_part then adds the parts in the order to
 * report them, on the stream's thread, as maal_report_add would have added the checks, and
 * frees the part (a part not added: maal_report_part_free). The part is NULL when out of
 * memory; added, it makes the report fail as out of memory. The workbook (xlsx) and a
 * plugin's Lua reporter format when the part is added: their part keeps 'c', which must then
 * stay valid until the part is added or freed. */
typedef struct maal_report_part maal_report_part;
MAAL_API maal_report_part *maal_report_format_part(const maal_report_stream *s,
                                                   const maal_check *c);
MAAL_API void maal_report_add_part(maal_report_stream *s, maal_report_part *part);
MAAL_API void maal_report_part_free(maal_report_part *part);
/* Problems with the input, in reports that show them (github: annotations); others ignore
 * them. */
MAAL_API void maal_report_add_problems(maal_report_stream *s, const maal_diags *d);
/* The text made since the last take (*len bytes; it may hold NUL bytes: xlsx): borrowed,
 * valid until the next call on 's'. NULL when out of memory (maal_report_end says so). */
MAAL_API const char *maal_report_take(maal_report_stream *s, size_t *len);
/* The end of the report, with what changed since 'prev' (may be NULL); the rest is then to
 * take. MAAL_ERR_INVALID with the reporter's failure in 'd' (its file the plugin reporter's
 * Lua file, or "" for a built-in one), or MAAL_ERR_NOMEM. */
MAAL_API int maal_report_end(maal_report_stream *s, const maal_previous *prev, maal_diags *d);
/* Accepts NULL and a report not ended (its text is dropped). */
MAAL_API void maal_report_free(maal_report_stream *s);


/* Write the report of 'n' checks in 'format' ("text", "json", "junit", "tap", "markdown",
 * "html", "github", "xlsx", or a plugin's reporter as "PLUGIN/NAME") to a new buffer: *text (NUL-
 * terminated, *len bytes without the NUL) is the caller's, freed with maal_text_free. "xlsx"
 * is a binary workbook (zip) that holds NUL bytes: use *len.
 * MAAL_ERR_USAGE for an unknown format; a reporter's failure is added to 'd'. */
MAAL_API int maal_report_render(maal_engine *e, const maal_check *const *checks, size_t n,
                                const char *format, char **text, size_t *len, maal_diags *d);
/* Frees text (and the arrays) the library gives the caller; accepts NULL. */
MAAL_API void maal_text_free(void *text);

/* ---- output files ---------------------------------------------------------------------- */

/* A file a report is written to and made visible only when complete: a regular file is
 * spooled, then replaced at commit (with the old file's mode, or 0666 & ~umask), so a failed
 * run never destroys a previous report and an interrupted one leaves nothing behind. "-" and
 * "/dev/stdout" are standard output; special files (/dev/null, a pipe) are written in place;
 * a symbolic link is refused (the path is written as given, never a link's target). *out is
 * the caller's until it is committed or aborted. Errors go to 'd' at the path, in 'lang'. */
MAAL_API int maal_output_open(const char *path, enum maal_lang lang, maal_output **out,
                              maal_diags *d);
MAAL_API void maal_output_write(maal_output *o, const char *data, size_t len);
/* Whether the commit replaces a regular file (false: standard output or a special file,
 * written as it goes). */
MAAL_API bool maal_output_replaces(const maal_output *o);
/* Commit n outputs together: every regular file's text is written beside it (fsync'ed) before
 * any is replaced, and if a replacement fails, the files already replaced get their old text
 * back; no temporary file is left. MAAL_ERR_IO with the error in 'd' and the failing output's
 * index in *failed ('failed' may be NULL). Every output is freed either way. */
MAAL_API int maal_output_commit_all(maal_output *const *v, size_t n, enum maal_lang lang,
                                    maal_diags *d, size_t *failed);
/* Drop the output: nothing is replaced (standard output is flushed). Accepts NULL. */
MAAL_API void maal_output_abort(maal_output *o);

#ifdef __cplusplus
}
#endif

#endif
