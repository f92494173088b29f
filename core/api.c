/* api: the public interface of include/maal.h, over the library's parts (model, rules,
 * plugins, eval, report). Nothing here prints or exits; the command line (main.c) does. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "history.h"
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
    char today[16];
    struct maal_limits limits;
    struct strs rule_dirs, plugin_roots, plugin_dirs, goals;
    /* read at the first load or check, from the options then */
    bool ready, ready_ok;
    struct maal_plugins plugins;
    struct maal_ruleset rules;
    struct maal_eval_worker *worker; /* the sandboxed state kept from goal to goal */
};

struct maal_check {
    struct maal_presults pr; /* pr.r: the results, owned */
};

static int strs_add(struct strs *s, const char *x)
{
    if (!x)
        return MAAL_ERR_USAGE;
    char **v = maal_realloc(s->v, (s->n + 1) * sizeof(*v));
    if (!v)
        return MAAL_ERR_NOMEM;
    s->v = v;
    if (!(s->v[s->n] = maal_strdup(x)))
        return MAAL_ERR_NOMEM;
    s->n++;
    return MAAL_OK;
}

static void strs_release(struct strs *s)
{
    for (size_t i = 0; i < s->n; i++)
        maal_free(s->v[i]);
    maal_free(s->v);
    s->v = NULL;
    s->n = 0;
}

const char *maal_version(void) { return MAAL_VERSION; }

const char *maal_verdict_name(enum maal_verdict v)
{
    return (int)v >= 0 && v < MAAL_NVERDICTS ? maal_verdict_names[v] : NULL;
}

/* ---- diagnostics ---- */

maal_diags *maal_diags_new(void)
{
    maal_diags *d = maal_malloc(sizeof(*d));
    if (d)
        maal_diags_init(d);
    return d;
}

void maal_diags_free(maal_diags *d)
{
    if (!d)
        return;
    maal_diags_release(d);
    maal_free(d);
}

size_t maal_diags_size(const maal_diags *d) { return d ? d->n : 0; }

size_t maal_diags_errors(const maal_diags *d) { return d ? maal_diags_count(d, MAAL_SEV_ERROR) : 0; }

int maal_diags_get(const maal_diags *d, size_t i, enum maal_severity *sev, const char **file,
                   int *line, int *col, const char **message)
{
    if (!d || i >= d->n)
        return MAAL_ERR_USAGE;
    const struct maal_diag *x = &d->v[i];
    if (sev)
        *sev = x->sev;
    if (file)
        *file = x->file ? x->file : "";
    if (line)
        *line = x->line;
    if (col)
        *col = x->col;
    if (message)
        *message = x->msg ? x->msg : "";
    return MAAL_OK;
}

/* ---- the engine ---- */

/* Today for waivers, as on the command line; a clock beyond 9999 gives the epoch's day. */
static void clock_today(char *buf, size_t size)
{
    if (!maal_today(buf, size))
        snprintf(buf, size, "1970-01-01");
}

maal_engine *maal_engine_new(void)
{
    maal_engine *e = maal_calloc(1, sizeof(*e));
    if (!e)
        return NULL;
    maal_limits_default(&e->limits);
    clock_today(e->today, sizeof(e->today));
    return e;
}

void maal_engine_free(maal_engine *e)
{
    if (!e)
        return;
    maal_eval_worker_free(e->worker);
    if (e->ready_ok)
        maal_ruleset_release(&e->rules);
    if (e->ready)
        maal_plugins_release(&e->plugins);
    strs_release(&e->rule_dirs);
    strs_release(&e->plugin_roots);
    strs_release(&e->plugin_dirs);
    strs_release(&e->goals);
    maal_free(e);
}

int maal_engine_set_lang(maal_engine *e, enum maal_lang lang)
{
    if (!e || (lang != MAAL_LANG_DA && lang != MAAL_LANG_EN))
        return MAAL_ERR_USAGE;
    e->lang = lang;
    return MAAL_OK;
}

int maal_engine_set_year(maal_engine *e, int year)
{
    if (!e || (year != 0 && (year < MAAL_YEAR_MIN || year > MAAL_YEAR_MAX)))
        return MAAL_ERR_USAGE;
    e->year = year;
    return MAAL_OK;
}

static bool valid_day(const char *s)
{
    int y, m, d;
    char tail;
    return s && strlen(s) == 10 && s[4] == '-' && s[7] == '-' &&
           sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && y >= 1900 && y <= 9999 &&
           m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

int maal_engine_set_today(maal_engine *e, const char *date)
{
    if (!e)
        return MAAL_ERR_USAGE;
    if (!date) {
        clock_today(e->today, sizeof(e->today));
        return MAAL_OK;
    }
    if (!valid_day(date))
        return MAAL_ERR_USAGE;
    snprintf(e->today, sizeof(e->today), "%s", date);
    return MAAL_OK;
}

int maal_engine_set_limits(maal_engine *e, double rule_timeout, size_t rule_memory,
                           size_t max_input)
{
    if (!e || rule_timeout < 0 || rule_timeout > 1e6)
        return MAAL_ERR_USAGE;
    if (rule_timeout > 0)
        e->limits.rule_timeout = rule_timeout;
    if (rule_memory)
        e->limits.rule_memory = rule_memory;
    if (max_input)
        e->limits.max_input = max_input;
    return MAAL_OK;
}

int maal_engine_add_rule_dir(maal_engine *e, const char *dir)
{
    return e && !e->ready ? strs_add(&e->rule_dirs, dir) : MAAL_ERR_USAGE;
}

int maal_engine_add_plugin_root(maal_engine *e, const char *dir)
{
    return e && !e->ready ? strs_add(&e->plugin_roots, dir) : MAAL_ERR_USAGE;
}

int maal_engine_add_plugin(maal_engine *e, const char *dir)
{
    return e && !e->ready ? strs_add(&e->plugin_dirs, dir) : MAAL_ERR_USAGE;
}

int maal_engine_select_goal(maal_engine *e, const char *goal_id)
{
    return e ? strs_add(&e->goals, goal_id) : MAAL_ERR_USAGE;
}

int maal_engine_set_history(maal_engine *e, bool on)
{
    if (!e)
        return MAAL_ERR_USAGE;
    e->history = on;
    return MAAL_OK;
}

/* Plugins and the rule search path, read once, at the first use: a plugin named explicitly
 * that cannot be used is an error, as on the command line. */
static int engine_ready(maal_engine *e, maal_diags *d)
{
    if (e->ready)
        return e->ready_ok ? MAAL_OK : MAAL_ERR_INVALID;
    e->ready = true;
    int rc = maal_plugins_init(&e->plugins, (const char *const *)e->plugin_dirs.v,
                               e->plugin_dirs.n, (const char *const *)e->plugin_roots.v,
                               e->plugin_roots.n, &e->limits, e->lang);
    if (rc != MAAL_OK)
        return rc;
    bool bad = false;
    for (size_t i = 0; i < e->plugins.n; i++)
        if (e->plugins.v[i].explicit_dir && maal_plugin_has_problem(&e->plugins.v[i])) {
            if (d)
                maal_diags_add(d, MAAL_SEV_ERROR, e->plugins.v[i].dir, 0, 0, "plugin: %s",
                               maal_plugin_problem(&e->plugins.v[i], e->lang));
            bad = true;
        }
    for (size_t i = 0; i < e->plugins.n; i++)
        if (e->plugins.v[i].refused) {
            if (d)
                maal_diags_add(d, MAAL_SEV_ERROR, e->plugins.v[i].dir, 0, 0, "plugin: %s",
                               maal_plugin_problem(&e->plugins.v[i], e->lang));
            bad = true;
        }
    if (bad)
        return MAAL_ERR_INVALID;
    rc = maal_ruleset_init(&e->rules, (const char *const *)e->rule_dirs.v, e->rule_dirs.n,
                           e->lang);
    if (rc == MAAL_OK && (rc = maal_ruleset_add_plugins(&e->rules, &e->plugins)) != MAAL_OK)
        maal_ruleset_release(&e->rules);
    if (rc == MAAL_OK && !(e->worker = maal_eval_worker_new())) {
        maal_ruleset_release(&e->rules);
        rc = MAAL_ERR_NOMEM;
    }
    e->ready_ok = rc == MAAL_OK;
    return rc;
}

/* ---- data ---- */

static struct maal_load_opts load_opts(maal_engine *e)
{
    struct maal_load_opts lo = {.limits = &e->limits, .lang = e->lang,
                                .goalset = maal_plugins_goalset, .goalset_ud = &e->plugins};
    return lo;
}

int maal_load_file(maal_engine *e, const char *path, maal_partnership **out, maal_diags *d)
{
    if (out)
        *out = NULL;
    if (!e || !path || !out)
        return MAAL_ERR_USAGE;
    maal_diags local;
    maal_diags_init(&local);
    maal_diags *dd = d ? d : &local;
    int rc = engine_ready(e, dd);
    if (rc == MAAL_OK) {
        /* a folder stands for its partnership.yaml */
        char *buf = NULL;
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            size_t n = strlen(path) + sizeof("/partnership.yaml");
            if ((buf = maal_malloc(n)))
                snprintf(buf, n, "%s%spartnership.yaml", path,
                         path[0] && path[strlen(path) - 1] == '/' ? "" : "/");
        }
        struct maal_load_opts lo = load_opts(e);
        rc = maal_partnership_load_opts(buf ? buf : path, &lo, out, dd);
        maal_free(buf);
    }
    maal_diags_release(&local);
    return rc;
}

int maal_load_buffer(maal_engine *e, const char *name, const char *text, size_t len,
                     maal_partnership **out, maal_diags *d)
{
    if (out)
        *out = NULL;
    if (!e || !name || (!text && len) || !out)
        return MAAL_ERR_USAGE;
    maal_diags local;
    maal_diags_init(&local);
    maal_diags *dd = d ? d : &local;
    int rc = engine_ready(e, dd);
    if (rc == MAAL_OK && len > e->limits.max_input) {
        maal_diags_add(dd, MAAL_SEV_ERROR, name, 0, 0,
                       TR(e->lang, "teksten er større end grænsen på %zu byte",
                          "the text is larger than the limit of %zu bytes"),
                       e->limits.max_input);
        rc = MAAL_ERR_LIMIT;
    }
    if (rc == MAAL_OK) {
        struct maal_load_opts lo = load_opts(e);
        rc = maal_partnership_parse_opts(name, text ? text : "", len, &lo, out, dd);
    }
    maal_diags_release(&local);
    return rc;
}

const char *maal_partnership_id(const maal_partnership *p) { return p ? p->id : NULL; }
const char *maal_partnership_name(const maal_partnership *p) { return p ? p->name : NULL; }
const char *maal_partnership_file(const maal_partnership *p) { return p ? p->file : NULL; }
int maal_partnership_latest_year(const maal_partnership *p) { return p ? p->latest_year : 0; }

/* ---- checking ---- */

static bool selected(const maal_engine *e, const char *id)
{
    if (!e->goals.n)
        return true;
    for (size_t i = 0; i < e->goals.n; i++)
        if (id && !strcmp(e->goals.v[i], id))
            return true;
    return false;
}

void maal_check_free(maal_check *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->pr.n; i++)
        maal_result_release(&c->pr.r[i]);
    maal_free(c->pr.r);
    maal_free(c);
}

int maal_check_run(maal_engine *e, const maal_partnership *p, maal_check **out, maal_diags *d)
{
    if (out)
        *out = NULL;
    if (!e || !p || !out)
        return MAAL_ERR_USAGE;
    maal_diags local;
    maal_diags_init(&local);
    maal_diags *dd = d ? d : &local;
    int rc = engine_ready(e, dd);
    maal_check *c = NULL;
    if (rc != MAAL_OK)
        goto done;
    if (p->ngoals == 0) {
        maal_diags_add(dd, MAAL_SEV_ERROR, p->file, 0, 0, "%s",
                       TR(e->lang, "filen har ingen mål, forventede mindst ét under 'goals'",
                          "the file has no goals, expected at least one under 'goals'"));
        rc = MAAL_ERR_INVALID;
        goto done;
    }
    c = maal_calloc(1, sizeof(*c));
    if (!c || !(c->pr.r = maal_calloc(p->ngoals, sizeof(*c->pr.r)))) {
        rc = MAAL_ERR_NOMEM;
        goto done;
    }
    c->pr.p = p;
    c->pr.year = e->year ? e->year : p->latest_year;
    struct maal_eval_opts eo = {.lang = e->lang, .year = e->year, .limits = &e->limits,
                                .rules = &e->rules, .today = e->today, .plugins = &e->plugins,
                                .worker = e->worker};
    for (size_t g = 0; g < p->ngoals; g++) {
        if (!selected(e, p->goals[g].id))
            continue;
        struct maal_result *r = &c->pr.r[c->pr.n];
        if (maal_eval_goal(&eo, p, &p->goals[g], r) != MAAL_OK) {
            rc = MAAL_ERR_NOMEM;
            break;
        }
        if (e->history && maal_eval_history(&eo, p, c->pr.year, r) != MAAL_OK) {
            maal_result_release(r);
            rc = MAAL_ERR_NOMEM;
            break;
        }
        if (r->invalid_params) {
            maal_diags_add(dd, MAAL_SEV_ERROR, r->goal->file, r->err_line, r->err_col, "%s",
                           r->message);
            rc = MAAL_ERR_INVALID;
        }
        c->pr.counts[r->verdict]++;
        c->pr.n++;
    }
    maal_eval_next(e->worker); /* the partnership's data leaves the reused state */
    if (rc == MAAL_ERR_NOMEM) {
        maal_check_free(c);
        c = NULL;
    }
done:
    maal_diags_release(&local);
    *out = c;
    return rc;
}

const maal_partnership *maal_check_partnership(const maal_check *c) { return c ? c->pr.p : NULL; }
int maal_check_year(const maal_check *c) { return c ? c->pr.year : 0; }
size_t maal_check_count(const maal_check *c) { return c ? c->pr.n : 0; }

size_t maal_check_count_verdict(const maal_check *c, enum maal_verdict v)
{
    return c && (int)v >= 0 && v < MAAL_NVERDICTS ? c->pr.counts[v] : 0;
}

const maal_result *maal_check_result(const maal_check *c, size_t i)
{
    return c && i < c->pr.n ? &c->pr.r[i] : NULL;
}

/* ---- results ---- */

const char *maal_result_goal(const maal_result *r) { return r ? r->goal->id : NULL; }
const char *maal_result_title(const maal_result *r) { return r ? r->goal->title : NULL; }
const char *maal_result_group(const maal_result *r) { return r ? r->goal->group : NULL; }
const char *maal_result_rule(const maal_result *r) { return r ? r->goal->rule : NULL; }
enum maal_verdict maal_result_verdict(const maal_result *r) { return r ? r->verdict : MAAL_ERROR; }

enum maal_verdict maal_result_underlying_verdict(const maal_result *r)
{
    if (!r)
        return MAAL_ERROR;
    return r->verdict == MAAL_WAIVED ? r->waived_verdict : r->verdict;
}

int maal_result_year(const maal_result *r) { return r ? r->year : 0; }

static bool number(bool has, double x, double *v)
{
    if (has && v)
        *v = x;
    return has;
}

bool maal_result_actual(const maal_result *r, double *v) { return r && number(r->has_actual, r->actual, v); }
bool maal_result_target(const maal_result *r, double *v) { return r && number(r->has_target, r->target, v); }
bool maal_result_baseline(const maal_result *r, double *v) { return r && number(r->has_baseline, r->baseline, v); }
bool maal_result_change(const maal_result *r, double *v) { return r && number(r->has_change, r->change, v); }
int maal_result_baseline_year(const maal_result *r) { return r ? r->baseline_year : 0; }
const char *maal_result_unit(const maal_result *r) { return r ? r->unit : NULL; }
const char *maal_result_op(const maal_result *r) { return r ? r->op : NULL; }
const char *maal_result_message(const maal_result *r) { return r ? r->message : NULL; }
const char *maal_result_significance(const maal_result *r) { return r ? r->significance : NULL; }
size_t maal_result_source_count(const maal_result *r) { return r ? r->nsources : 0; }
size_t maal_result_history_count(const maal_result *r) { return r ? r->nhistory : 0; }

int maal_result_history(const maal_result *r, size_t i, int *year, enum maal_verdict *verdict)
{
    if (!r || i >= r->nhistory)
        return MAAL_ERR_USAGE;
    if (year)
        *year = r->history[i].year;
    if (verdict)
        *verdict = r->history[i].verdict;
    return MAAL_OK;
}

int maal_result_source(const maal_result *r, size_t i, const char **file, int *line, int *col,
                       const char **what)
{
    if (!r || i >= r->nsources)
        return MAAL_ERR_USAGE;
    if (file)
        *file = r->sources[i].file ? r->sources[i].file : r->goal->file;
    if (line)
        *line = r->sources[i].line;
    if (col)
        *col = r->sources[i].col;
    if (what)
        *what = r->sources[i].what;
    return MAAL_OK;
}

/* ---- reports ---- */

int maal_report_render(maal_engine *e, const maal_check *const *checks, size_t n,
                       const char *format, char **text, size_t *len, maal_diags *d)
{
    if (text)
        *text = NULL;
    if (len)
        *len = 0;
    if (!e || (!checks && n) || !format || !text)
        return MAAL_ERR_USAGE;
    maal_diags local;
    maal_diags_init(&local);
    maal_diags *dd = d ? d : &local;
    int rc = engine_ready(e, dd);
    char lua_path[4096] = "";
    const struct maal_reporter *rep = maal_reporter_find(format);
    if (rc == MAAL_OK && !rep && strchr(format, '/') &&
        maal_plugins_reporter(&e->plugins, format, lua_path, sizeof(lua_path)))
        rep = &maal_reporter_lua;
    if (rc == MAAL_OK && !rep)
        rc = MAAL_ERR_USAGE;
    if (rc != MAAL_OK) {
        maal_diags_release(&local);
        return rc;
    }
    struct maal_report rp = {.lang = e->lang, .lua_path = lua_path, .limits = &e->limits};
    rep->begin(&rp);
    for (size_t i = 0; i < n; i++) {
        if (!checks[i])
            continue;
        rp.npartnerships++;
        for (int v = 0; v < MAAL_NVERDICTS; v++)
            rp.totals[v] += checks[i]->pr.counts[v];
        rep->partnership(&rp, &checks[i]->pr);
    }
    rep->end(&rp);
    if (maal_report_error(&rp)) {
        for (size_t i = 0; i < rp.diags.n; i++) {
            const struct maal_diag *x = &rp.diags.v[i];
            maal_diags_add(dd, x->sev, x->file, x->line, x->col, "%s", x->msg);
        }
        rc = MAAL_ERR_INVALID;
    } else if (rp.out.oom) {
        rc = MAAL_ERR_NOMEM;
    } else if (!(*text = maal_strndup(rp.out.s ? rp.out.s : "", rp.out.len))) {
        rc = MAAL_ERR_NOMEM;
    } else if (len) {
        *len = rp.out.len;
    }
    maal_buf_release(&rp.out);
    maal_diags_release(&rp.diags);
    maal_diags_release(&local);
    return rc;
}

void maal_text_free(char *text) { maal_free(text); }
