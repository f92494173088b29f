/* eval: runs each goal's Lua rule in its own sandboxed state and collects verdicts. */
#ifndef MAAL_EVAL_H
#define MAAL_EVAL_H

#include "model.h"

extern const char *const maal_verdict_names[]; /* "pass", "fail", ... */

/* A goal judged as of one year (check --history; core/history.c). */
struct maal_hist {
    int year; /* the year judged, as --year gives it */
    enum maal_verdict verdict;
    bool has_actual, has_target, has_baseline;
    double actual, target, baseline;
};

/* One goal's outcome. Strings are owned by the result (maal_result_release). */
struct maal_result {
    const struct maal_goal *goal; /* borrowed from the partnership */
    enum maal_verdict verdict;
    bool invalid_params; /* the goal's params did not fit the rule: invalid input */
    int err_line, err_col; /* where in the goal's file, for invalid_params */
    int year;            /* the data year used, 0 if none */
    bool has_actual, has_target, has_baseline, has_change, has_ratio;
    double actual, target, baseline, change, numerator, denominator;
    int baseline_year;
    enum maal_verdict waived_verdict; /* the verdict a waiver replaced (when MAAL_WAIVED) */
    char *waiver;                     /* the waiver's reason, who agreed, until when */
    bool waiver_expired;
    /* --compare: what changed since the previous run (enum maal_cmp; 0 = not compared) */
    int cmp, prev_verdict;
    bool has_prev_actual;
    double prev_actual;              /* a waiver exists but has expired: it did not apply */
    struct maal_prev_entry *prev_entry; /* the previous result matched (compare.h), or NULL */
    char *op;      /* "<=", ">=", "<", ">", "==" or NULL */
    char *unit;    /* count, per_1000, percent, kr, number or NULL */
    char *message; /* always set */
    char *significance; /* free text on statistical significance, or NULL */
    char *log;     /* what the rule printed, or NULL */
    char *trace;   /* traceback of a rule error, or NULL */
    char *rule_path;
    char *rule_origin; /* where the rule came from: "standard", "local", "--rules", "MAAL_PATH",
                        * "plugin:NAME" (rules.h), or NULL when no rule was found */
    struct maal_source *sources;
    size_t nsources;
    struct maal_hist *history; /* --history: oldest first, the last the evaluated year; or NULL */
    size_t nhistory;
    struct maal_outlook *outlook; /* --outlook (outlook.h), or NULL */
};

struct maal_ruleset; /* rule search path and cache (rules.h) */
struct maal_plugins; /* plugin.h */

/* What eval keeps for one thread's goals: the compiled prelude and one sandboxed Lua state
 * reused from goal to goal and partnership to partnership (what 'maal check' runs). A worker
 * is used by one thread at a time and with one rule set (the rule set's serials name the
 * rules kept in the state; another rule set starts a new state). */
struct maal_eval_worker;
/* NULL when out of memory. Free it with maal_eval_worker_free (accepts NULL). */
struct maal_eval_worker *maal_eval_worker_new(void);
void maal_eval_worker_free(struct maal_eval_worker *w);

struct maal_eval_opts {
    enum maal_lang lang;
    int year; /* 0: the latest year in each file */
    const char *today; /* YYYY-MM-DD, for waiver expiry */
    const struct maal_limits *limits;
    struct maal_ruleset *rules;
    const struct maal_plugins *plugins; /* native functions; may be NULL */
    /* the worker whose state the goal runs in (call maal_eval_next after each partnership);
     * NULL: a fresh state for this goal alone, nothing kept */
    struct maal_eval_worker *worker;
    /* called when the partnership's data has been built in the state and the goal's deadline
     * moved by that time (a watchdog outside moves its own clock too); may be NULL */
    void (*data_built)(void *ud);
    void *data_built_ud;
};

/* A partnership is done: its data leaves the worker's state (the state, with the prelude,
 * serves the next partnership). Must be called before the partnership is freed. Accepts NULL. */
void maal_eval_next(struct maal_eval_worker *w);
/* Close the worker's state (the next goal starts a new one); the compiled prelude stays.
 * Accepts NULL. */
void maal_eval_end(struct maal_eval_worker *w);

/* Evaluate one goal; never fails: problems become the verdict 'error' with a reason.
 * Returns MAAL_ERR_NOMEM only when even the result could not be made: *out is then empty
 * (released, nothing for the caller to free). */
int maal_eval_goal(const struct maal_eval_opts *o, const struct maal_partnership *p,
                   const struct maal_goal *g, struct maal_result *out);
void maal_result_release(struct maal_result *r);

/* What 'maal rules' shows of a rule: read by running the rule file (not evaluate) in the
 * sandbox. Strings are owned (maal_rule_info_release). */
struct maal_rule_info {
    char *title, *description, *params, *doc;
    bool has_evaluate;
    /* why the rule cannot be used, at most one, located at the rule file (with the line when
     * Lua's message names one in that file); its text, from the file, cleaned for a terminal.
     * Read with maal_rule_info_problem. */
    struct maal_diags problems;
};
/* MAAL_OK, or an error with its reason in info->problems. */
int maal_rule_describe(const char *path, const struct maal_limits *lim, enum maal_lang lang,
                       struct maal_rule_info *info);
/* The problem's text, "out of memory" when it could not be kept, or NULL when there is none. */
const char *maal_rule_info_problem(const struct maal_rule_info *info, enum maal_lang lang);
void maal_rule_info_release(struct maal_rule_info *info);

/* Run a plugin's Lua reporter on 'data' (the --format json document as a jansson value) in
 * the sandbox; what it writes goes to 'out'. Returns MAAL_OK, or an error with the reason
 * added to 'diags' as an error at 'path' (no line: the reporter's own message says where). */
struct json_t;
int maal_eval_reporter(const char *path, const struct maal_limits *lim, enum maal_lang lang,
                       struct json_t *data, struct maal_buf *out, struct maal_diags *diags);

/* Check a goal's params against its rule's schema without evaluating (for validate).
 * Returns MAAL_OK, or MAAL_ERR_INVALID with the reason in 'diags'. */
int maal_eval_check_params(const struct maal_eval_opts *o, const struct maal_partnership *p,
                           const struct maal_goal *g, struct maal_diags *diags);

#endif
