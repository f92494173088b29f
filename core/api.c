/* api: the public interface of include/maal.h, over the library's parts (model, rules,
 * plugins, eval, report): the engine, rules and rule tests, workers, data, checks and results;
 * previous results, reports and output files are in api_report.c. Nothing here prints or
 * exits; the command line (cli/) does. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "history.h"
#include "outlook.h"
#include "plugin.h"
#include "report.h"
#include "rules.h"
#include "ruletest.h"

#include "api.h"

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

int maal_diags_write(const maal_diags *d, const char *format, FILE *f, enum maal_lang lang)
{
    if (!d || !format || !f)
        return MAAL_ERR_USAGE;
    if (!strcmp(format, "text")) {
        maal_diags_print(d, f, lang);
        return MAAL_OK;
    }
    if (strcmp(format, "github") != 0)
        return MAAL_ERR_USAGE;
    struct maal_buf b = MAAL_BUF_INIT;
    maal_github_diags(&b, d, lang);
    int rc = b.oom ? MAAL_ERR_NOMEM : MAAL_OK;
    if (b.len)
        fwrite(b.s, 1, b.len, f);
    maal_buf_release(&b);
    return rc;
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
    maal_worker_free(e->worker);
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

bool maal_date_valid(const char *s)
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
    if (!maal_date_valid(date))
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

int maal_engine_set_outlook(maal_engine *e, bool on)
{
    if (!e)
        return MAAL_ERR_USAGE;
    e->outlook = on;
    return MAAL_OK;
}

static int worker_make(maal_engine *e, maal_worker **out);

/* Plugins and the rule search path, read once, at the first use: a plugin named explicitly
 * that cannot be used is an error, as on the command line. */
int maal_api_ready(maal_engine *e, maal_diags *d)
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
    rc = worker_make(e, &e->worker);
    e->ready_ok = rc == MAAL_OK;
    return rc;
}

void maal_engine_get_limits(const maal_engine *e, double *rule_timeout, size_t *rule_memory,
                            size_t *max_input)
{
    if (!e)
        return;
    if (rule_timeout)
        *rule_timeout = e->limits.rule_timeout;
    if (rule_memory)
        *rule_memory = e->limits.rule_memory;
    if (max_input)
        *max_input = e->limits.max_input;
}

size_t maal_engine_plugin_count(const maal_engine *e) { return e && e->ready ? e->plugins.n : 0; }

int maal_engine_plugin(const maal_engine *e, size_t i, struct maal_plugin_info *info)
{
    if (!e || !info || i >= maal_engine_plugin_count(e))
        return MAAL_ERR_USAGE;
    const struct maal_plugin *p = &e->plugins.v[i];
    *info = (struct maal_plugin_info){.dir = p->dir, .name = p->name,
                                      .explicit_dir = p->explicit_dir, .bundled = p->bundled,
                                      .refused = p->refused,
                                      .problem = maal_plugin_problem(p, e->lang),
                                      .version = p->version, .description = p->description,
                                      .author = p->author, .license = p->license,
                                      .api = p->api};
    return MAAL_OK;
}

int maal_engine_plugin_names(const maal_engine *e, size_t i, enum maal_plugin_part part,
                             char ***names, size_t *n)
{
    if (names)
        *names = NULL;
    if (n)
        *n = 0;
    if (!e || !names || i >= maal_engine_plugin_count(e))
        return MAAL_ERR_USAGE;
    return maal_plugin_names(&e->plugins.v[i], part, names, n);
}

const char *maal_engine_plugins_refused(const maal_engine *e)
{
    return e && e->ready ? e->plugins.refused : NULL;
}

int maal_engine_prepare(maal_engine *e, maal_diags *d)
{
    return e ? maal_api_ready(e, d) : MAAL_ERR_USAGE;
}

/* ---- the rules an engine sees ---- */

struct rule_row {
    char *name, *path, *origin;
    bool shadowed;
    bool described; /* info holds what maal_rules_describe found */
    struct maal_rule_info info;
};

struct maal_rules {
    maal_engine *e;
    struct maal_ruleset rs; /* the engine's search path (rules.h) */
    struct rule_row *v;
    size_t n;
    bool oom;
};

static void add_row(void *ud, const char *name, const char *path, const char *origin,
                    bool shadowed)
{
    maal_rules *r = ud;
    struct rule_row *v = r->oom ? NULL : maal_realloc(r->v, (r->n + 1) * sizeof(*v));
    if (!v) {
        r->oom = true;
        return;
    }
    r->v = v;
    struct rule_row *row = &v[r->n];
    *row = (struct rule_row){.name = maal_strdup(name), .path = maal_strdup(path),
                             .origin = maal_strdup(origin), .shadowed = shadowed};
    r->n++;
    r->oom = !row->name || !row->path || !row->origin;
}

int maal_rules_new(maal_engine *e, const char *data_file, maal_rules **out, maal_diags *d)
{
    if (out)
        *out = NULL;
    if (!e || !out)
        return MAAL_ERR_USAGE;
    int rc = maal_api_ready(e, d);
    if (rc != MAAL_OK)
        return rc;
    maal_rules *r = maal_calloc(1, sizeof(*r));
    if (!r)
        return MAAL_ERR_NOMEM;
    r->e = e;
    rc = maal_ruleset_init(&r->rs, (const char *const *)e->rule_dirs.v, e->rule_dirs.n, e->lang);
    if (rc != MAAL_OK) {
        maal_free(r);
        return rc;
    }
    rc = maal_ruleset_add_plugins(&r->rs, &e->plugins);
    if (rc == MAAL_OK) {
        maal_ruleset_each(&r->rs, data_file, add_row, r);
        rc = r->oom ? MAAL_ERR_NOMEM : MAAL_OK;
    }
    if (rc != MAAL_OK) {
        maal_rules_free(r);
        return rc;
    }
    *out = r;
    return MAAL_OK;
}

void maal_rules_free(maal_rules *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        maal_free(r->v[i].name);
        maal_free(r->v[i].path);
        maal_free(r->v[i].origin);
        if (r->v[i].described)
            maal_rule_info_release(&r->v[i].info);
    }
    maal_free(r->v);
    maal_ruleset_release(&r->rs);
    maal_free(r);
}

size_t maal_rules_dir_count(const maal_rules *r) { return r ? r->rs.ndirs : 0; }

int maal_rules_dir(const maal_rules *r, size_t i, const char **path, const char **origin)
{
    if (!r || i >= r->rs.ndirs)
        return MAAL_ERR_USAGE;
    if (path)
        *path = r->rs.dirs[i].path;
    if (origin)
        *origin = r->rs.dirs[i].origin;
    return MAAL_OK;
}

size_t maal_rules_count(const maal_rules *r) { return r ? r->n : 0; }

int maal_rules_get(const maal_rules *r, size_t i, struct maal_rule_entry *out)
{
    if (!r || !out || i >= r->n)
        return MAAL_ERR_USAGE;
    const struct rule_row *row = &r->v[i];
    *out = (struct maal_rule_entry){.name = row->name, .path = row->path,
                                    .origin = row->origin, .shadowed = row->shadowed};
    return MAAL_OK;
}

int maal_rules_describe(maal_rules *r, size_t i, struct maal_rule_about *out)
{
    if (!r || !out || i >= r->n)
        return MAAL_ERR_USAGE;
    struct rule_row *row = &r->v[i];
    if (!row->described) {
        /* a rule that cannot be used is described too: its problem is part of the answer */
        maal_rule_describe(row->path, &r->e->limits, r->e->lang, &row->info);
        row->described = true;
    }
    *out = (struct maal_rule_about){.title = row->info.title, .doc = row->info.doc,
                                    .params = row->info.params,
                                    .problem = maal_rule_info_problem(&row->info, r->e->lang)};
    return MAAL_OK;
}

/* ---- rule tests ---- */

int maal_rule_test_run(maal_engine *e, const char *path, maal_rule_test **out, maal_diags *d)
{
    if (out)
        *out = NULL;
    if (!e || !path || !out)
        return MAAL_ERR_USAGE;
    maal_diags local;
    maal_diags_init(&local);
    maal_diags *dd = d ? d : &local;
    int rc = maal_api_ready(e, dd);
    if (rc == MAAL_OK) {
        struct maal_ruletest_opts o = {.lang = e->lang, .limits = &e->limits,
                                       .rule_dirs = (const char *const *)e->rule_dirs.v,
                                       .nrule_dirs = e->rule_dirs.n, .plugins = &e->plugins};
        rc = maal_ruletest_run(&o, path, out, dd);
    }
    maal_diags_release(&local);
    return rc;
}

/* ---- workers ---- */

static int worker_make(maal_engine *e, maal_worker **out)
{
    maal_worker *w = maal_calloc(1, sizeof(*w));
    if (!w)
        return MAAL_ERR_NOMEM;
    w->e = e;
    int rc = maal_ruleset_init(&w->rules, (const char *const *)e->rule_dirs.v, e->rule_dirs.n,
                               e->lang);
    if (rc == MAAL_OK && (rc = maal_ruleset_add_plugins(&w->rules, &e->plugins)) != MAAL_OK)
        maal_ruleset_release(&w->rules);
    if (rc == MAAL_OK && !(w->ev = maal_eval_worker_new())) {
        maal_ruleset_release(&w->rules);
        rc = MAAL_ERR_NOMEM;
    }
    if (rc != MAAL_OK) {
        maal_free(w);
        w = NULL;
    }
    *out = w;
    return rc;
}

int maal_worker_new(maal_engine *e, maal_worker **out, maal_diags *d)
{
    if (out)
        *out = NULL;
    if (!e || !out)
        return MAAL_ERR_USAGE;
    int rc = maal_api_ready(e, d);
    return rc == MAAL_OK ? worker_make(e, out) : rc;
}

void maal_worker_free(maal_worker *w)
{
    if (!w)
        return;
    maal_eval_worker_free(w->ev);
    maal_ruleset_release(&w->rules);
    maal_free(w);
}

void maal_worker_set_goal_hook(maal_worker *w, const struct maal_goal_hook *h)
{
    if (w)
        w->hook = h ? *h : (struct maal_goal_hook){0};
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
    int rc = maal_api_ready(e, dd);
    if (rc == MAAL_OK) {
        /* a file is opened once, and the fstat its reading needs says whether it is a folder
         * (no stat before the open); a partnership.yaml is looked at before it is opened
         * (maal_partnership_load_opts: a link out of its folder is refused unopened) */
        const char *base = strrchr(path, '/');
        bool named = !strcmp(base ? base + 1 : path, "partnership.yaml");
        struct stat st;
        struct maal_error oe; /* a folder or a failed open: said below, by the folder's reading */
        /* a pipe only when the path names one ('maal check <(...)': /dev/fd/63); a FIFO, or
         * a link to a pipe in a data folder, is refused and never waited on */
        int fd = named ? -1
                       : maal_open_read(path, 0, maal_path_names_stream(path), &st, &oe, e->lang);
        if (fd >= 0) {
            struct maal_load_opts lo = load_opts(e);
            rc = maal_partnership_load_fd(fd, &st, path, &lo, out, dd);
            maal_diags_release(&local);
            return rc;
        }
        /* a folder stands for its partnership.yaml */
        char *buf = NULL;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            size_t n = strlen(path) + sizeof("/partnership.yaml");
            if ((buf = maal_malloc(n)))
                snprintf(buf, n, "%s%spartnership.yaml", path,
                         path[0] && path[strlen(path) - 1] == '/' ? "" : "/");
            if (buf && access(buf, F_OK) != 0) { /* reading the folder says what is wrong */
                maal_free(buf);
                buf = NULL;
            }
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
    int rc = maal_api_ready(e, dd);
    if (rc == MAAL_OK && len > e->limits.max_input) {
        char nb[48];
        maal_fmt_number(nb, sizeof(nb), (double)e->limits.max_input, 0, e->lang);
        maal_diags_add(dd, MAAL_SEV_ERROR, name, 0, 0,
                       TR(e->lang, "teksten er større end grænsen på %s byte",
                          "the text is larger than the limit of %s bytes"),
                       nb);
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
size_t maal_partnership_goal_count(const maal_partnership *p) { return p ? p->ngoals : 0; }

const char *maal_partnership_goal_id(const maal_partnership *p, size_t i)
{
    return p && i < p->ngoals ? p->goals[i].id : NULL;
}

bool maal_partnership_period(const maal_partnership *p, int *from, int *to)
{
    if (!p || !p->from || !p->to)
        return false;
    if (from)
        *from = p->from;
    if (to)
        *to = p->to;
    return true;
}

/* ---- checking ---- */

bool maal_api_selected(const maal_engine *e, const char *id)
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

/* A goal the caller's hook gave up (the command line's backstop stopped it from outside). */
static int given_up(const struct maal_goal *g, const char *why, struct maal_result *r)
{
    memset(r, 0, sizeof(*r));
    r->goal = g;
    r->verdict = MAAL_ERROR;
    r->message = maal_strdup(why);
    return r->message ? MAAL_OK : MAAL_ERR_NOMEM;
}

/* eval's data_built: the goal's time starts again for the hook too */
struct goal_at {
    const struct maal_goal_hook *hook;
    size_t goal;
};

static void data_built(void *ud)
{
    const struct goal_at *at = ud;
    if (at->hook->restart)
        at->hook->restart(at->hook->ud, at->goal);
}

/* Goal g of p into r, with its history and outlook; what is to be said about it into dd. */
static int check_goal(maal_worker *w, const struct maal_eval_opts *eo, const maal_partnership *p,
                      size_t g, int year, struct maal_result *r, maal_diags *dd)
{
    maal_engine *e = w->e;
    const struct maal_goal_hook *h = &w->hook;
    struct goal_at at = {h, g};
    struct maal_eval_opts o = *eo; /* for the history's years too */
    if (h->restart) {
        o.data_built = data_built;
        o.data_built_ud = &at;
    }
    const char *why = h->begin ? h->begin(h->ud, g) : NULL;
    int rc;
    if (why) {
        rc = given_up(&p->goals[g], why, r);
    } else {
        rc = maal_eval_goal(&o, p, &p->goals[g], r);
        if (h->end)
            h->end(h->ud, g);
    }
    if (rc != MAAL_OK)
        return rc;
    if ((e->history && maal_eval_history(&o, p, year, r) != MAAL_OK) ||
        (e->outlook && maal_outlook_compute(p, year, e->lang, r) != MAAL_OK)) {
        maal_result_release(r);
        return MAAL_ERR_NOMEM;
    }
    if (r->invalid_params)
        maal_diags_add(dd, MAAL_SEV_ERROR, r->goal->file, r->err_line, r->err_col, "%s",
                       r->message);
    if (r->waiver_expired) {
        const struct maal_waiver *wv = maal_waiver_find(p, r->goal->id);
        maal_diags_add(dd, MAAL_SEV_WARNING, p->file, wv->line, wv->col,
                       TR(e->lang, "dispensationen for målet '%s' udløb %s og gælder ikke "
                                   "længere",
                          "the waiver for goal '%s' expired on %s and no longer applies"),
                       r->goal->id, wv->expires);
    }
    return MAAL_OK;
}

/* A rule of the partnership's own (or of --rules, MAAL_PATH) that hides a standard one: said
 * once per worker and rule file, with the worker's first data file that uses it (1000 files
 * said it 1000 times). The worker's rule cache knows what each rule hides and answers once
 * per rule: no system call and no lock per file. Which of a run's files says it does not
 * depend on how the workers share the files: each takes files in order, so the first file
 * of the run that uses the rule is its worker's first too (the command line says each
 * warning once, in file order). */
static void warn_shadowed(maal_worker *w, const maal_check *c, maal_diags *dd)
{
    for (size_t g = 0; g < c->pr.n; g++) {
        const struct maal_goal *goal = c->pr.r[g].goal;
        bool seen = false;
        for (size_t k = 0; k < g && !seen; k++)
            seen = !strcmp(c->pr.r[k].goal->rule, goal->rule);
        struct maal_error err;
        const struct maal_rule_src *src =
            seen ? NULL : maal_ruleset_find(&w->rules, c->pr.p->file, goal->rule, &err);
        const char *hidden = src ? maal_ruleset_shadowed_once(&w->rules, src) : NULL;
        if (hidden)
            maal_diags_add(dd, MAAL_SEV_WARNING, src->path, 0, 0,
                           TR(w->e->lang, "reglen '%s' fra %s skygger for standardreglen %s",
                              "the rule '%s' from %s hides the standard rule %s"),
                           goal->rule, src->origin, hidden);
    }
}

int maal_worker_check(maal_worker *w, const maal_partnership *p, maal_check **out,
                      maal_diags *d)
{
    if (out)
        *out = NULL;
    if (!w || !p || !out)
        return MAAL_ERR_USAGE;
    maal_engine *e = w->e;
    maal_diags local;
    maal_diags_init(&local);
    maal_diags *dd = d ? d : &local;
    int rc = MAAL_OK;
    maal_check *c = NULL;
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
                                .rules = &w->rules, .today = e->today, .plugins = &e->plugins,
                                .worker = w->ev};
    for (size_t g = 0; g < p->ngoals; g++) {
        if (!maal_api_selected(e, p->goals[g].id))
            continue;
        struct maal_result *r = &c->pr.r[c->pr.n];
        if (check_goal(w, &eo, p, g, c->pr.year, r, dd) != MAAL_OK) {
            rc = MAAL_ERR_NOMEM;
            break;
        }
        if (r->invalid_params)
            rc = MAAL_ERR_INVALID;
        c->pr.counts[r->verdict]++;
        c->pr.n++;
    }
    if (rc != MAAL_ERR_NOMEM)
        warn_shadowed(w, c, dd);
    maal_eval_next(w->ev); /* the partnership's data leaves the reused state */
    if (rc == MAAL_ERR_NOMEM) {
        maal_check_free(c);
        c = NULL;
    }
done:
    maal_diags_release(&local);
    *out = c;
    return rc;
}

int maal_worker_validate(maal_worker *w, const maal_partnership *p, maal_diags *d,
                         size_t *rule_errors)
{
    if (rule_errors)
        *rule_errors = 0;
    if (!w || !p)
        return MAAL_ERR_USAGE;
    maal_engine *e = w->e;
    maal_diags local;
    maal_diags_init(&local);
    maal_diags *dd = d ? d : &local;
    /* one reused state for every goal, as in a check: a state per goal made validating a
     * large file slow */
    struct maal_eval_opts eo = {.lang = e->lang, .year = e->year, .limits = &e->limits,
                                .rules = &w->rules, .plugins = &e->plugins, .worker = w->ev};
    size_t nrule = 0;
    bool data = false;
    for (size_t g = 0; g < p->ngoals; g++) {
        const struct maal_goal *goal = &p->goals[g];
        struct maal_error err;
        if (!goal->rule)
            continue;
        if (!maal_ruleset_find(&w->rules, p->file, goal->rule, &err)) {
            maal_diags_add(dd, MAAL_SEV_ERROR, p->file, goal->rule_line, goal->rule_col, "%s",
                           err.msg);
            data = true;
        } else {
            int rc = maal_eval_check_params(&eo, p, goal, dd);
            nrule += rc == MAAL_ERR_RULE;
            data = data || rc == MAAL_ERR_INVALID;
        }
    }
    maal_eval_next(w->ev); /* the partnership leaves the reused state (a later one could be
                            * allocated at its address) */
    maal_diags_release(&local);
    if (rule_errors)
        *rule_errors = nrule;
    return data ? MAAL_ERR_INVALID : nrule ? MAAL_ERR_RULE : MAAL_OK;
}

int maal_check_run(maal_engine *e, const maal_partnership *p, maal_check **out, maal_diags *d)
{
    if (out)
        *out = NULL;
    if (!e || !p || !out)
        return MAAL_ERR_USAGE;
    int rc = maal_api_ready(e, d);
    return rc == MAAL_OK ? maal_worker_check(e->worker, p, out, d) : rc;
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
