/* api internals: the handles of include/maal.h as api.c (the engine, workers, checks, data)
 * and api_report.c (previous results, reports, output files) both see them. Internal: not
 * installed. */
#ifndef MAAL_API_INTERNAL_H
#define MAAL_API_INTERNAL_H

#include "plugin.h"
#include "report.h"
#include "rules.h"

/* A growable list of copied strings. */
struct strs {
    char **v;
    size_t n;
};

struct maal_engine {
    enum maal_lang lang;
    int year;
    bool history; /* maal_engine_set_history */
    bool outlook; /* maal_engine_set_outlook */
    char today[16];
    struct maal_limits limits;
    struct strs rule_dirs, plugin_roots, plugin_dirs, goals;
    /* read at the first load or check, from the options then */
    bool ready, ready_ok;
    struct maal_plugins plugins;
    maal_worker *worker; /* maal_check_run's */
};

/* One thread's evaluation: its own rule cache and sandboxed state, the engine's options. */
struct maal_worker {
    maal_engine *e;
    struct maal_ruleset rules;
    struct maal_eval_worker *ev; /* the sandboxed state kept from goal to goal */
    struct maal_goal_hook hook;
};

struct maal_check {
    struct maal_presults pr; /* pr.r: the results, owned */
};

/* The engine's plugins and rule folders read (once, at the first use): MAAL_OK, or an error
 * with the plugins' problems in 'd' (may be NULL). */
int maal_api_ready(maal_engine *e, maal_diags *d);
/* Is goal 'id' among the goals the engine was told to check (all when none was named)? */
bool maal_api_selected(const maal_engine *e, const char *id);

#endif
