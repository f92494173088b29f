/* pool: the worker threads of 'maal check' and the work of one file: load it, evaluate its
 * goals (with --history and --outlook), and collect what is to be said about it. */
#include "pool.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "outlook.h"
#include "report.h"

static void print_diags_to(struct maal_buf *b, const struct maal_diags *d, enum maal_lang lang)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return;
    maal_diags_print(d, f, lang);
    fclose(f);
    maal_buf_add(b, text, len);
    free(text);
}

/* The partnership's data is built for the goal that runs now: not the rule's time. */
static void restamp_goal(void *ud)
{
    const struct file_job *j = ud;
    maal_backstop_begin(j->bs, j->slot, j->file, j->goal);
}

/* A goal the backstop gave up: a child evaluating it ran past its deadline and was killed. */
static int stopped_result(struct opts *o, const struct maal_goal *g, struct maal_result *r,
                          double secs)
{
    char n[48], m[256];
    maal_fmt_number(n, sizeof(n), secs, -1, o->lang);
    snprintf(m, sizeof(m), TR(o->lang, "reglen blev stoppet udefra efter %s s (tidsgrænsen + 1 s)",
                              "the rule was stopped from outside after %s s (time limit + 1 s)"),
             n);
    memset(r, 0, sizeof(*r));
    r->goal = g;
    r->verdict = MAAL_ERROR;
    r->message = maal_strdup(m);
    return r->message ? MAAL_OK : MAAL_ERR_NOMEM;
}

static void out_of_memory(const struct opts *o, struct file_job *j)
{
    maal_buf_printf(&j->diag, "maal: %s: %s\n", TR(o->lang, "fejl", "error"),
                    maal_strerror(ENOMEM, o->lang));
    j->invalid = true;
}

/* Loads the file into j->p; false (j->invalid) when it is not valid data. */
static bool load_file(struct opts *o, struct file_job *j)
{
    struct maal_diags d;
    maal_diags_init(&d);
    struct maal_load_opts lo = load_opts(o);
    int rc = maal_partnership_load_opts(j->path, &lo, &j->p, &d);
    print_diags_to(&j->diag, &d, o->lang);
    maal_github_diags(&j->gh, &d, o->lang);
    maal_diags_release(&d);
    if (rc != MAAL_OK) {
        j->invalid = true;
        return false;
    }
    struct maal_partnership *p = j->p;
    if (p->ngoals == 0) {
        maal_buf_printf(&j->diag, "%s: %s: %s\n", j->path, TR(o->lang, "fejl", "error"),
                        TR(o->lang, "filen har ingen mål, forventede mindst ét under 'goals'",
                           "the file has no goals, expected at least one under 'goals'"));
        j->invalid = true;
        return false;
    }
    if (o->year && p->from && p->to && (o->year < p->from || o->year > p->to))
        maal_buf_printf(&j->diag,
                        TR(o->lang, "%s: bemærk: --year %d ligger uden for partnerskabets "
                                    "periode %d-%d\n",
                           "%s: note: --year %d is outside the partnership's period %d-%d\n"),
                        j->path, o->year, p->from, p->to);
    return true;
}

/* Goal g of the file into the next result (j->pr.n), with its history and outlook, and what
 * is to be said about it. */
static void eval_goal(struct opts *o, const struct maal_eval_opts *eo, struct file_job *j,
                      size_t g)
{
    struct maal_partnership *p = j->p;
    struct maal_result *r = &j->pr.r[j->pr.n];
    int rc_goal;
    if (maal_backstop_skipped(j->bs, j->file, (int)g)) {
        rc_goal = stopped_result(o, &p->goals[g], r, j->bs->stopped_after);
    } else {
        j->goal = (int)g;
        maal_backstop_begin(j->bs, j->slot, j->file, j->goal);
        rc_goal = maal_eval_goal(eo, p, &p->goals[g], r);
        maal_backstop_end(j->bs, j->slot);
    }
    if (rc_goal != MAAL_OK) {
        out_of_memory(o, j);
        return;
    }
    if ((o->history && maal_eval_history(eo, p, j->pr.year, r) != MAAL_OK) ||
        (o->outlook && maal_outlook_compute(p, j->pr.year, o->lang, r) != MAAL_OK)) {
        maal_result_release(r);
        out_of_memory(o, j);
        return;
    }
    if (r->invalid_params) {
        maal_buf_printf(&j->diag, "%s:%d:%d: %s: %s\n", r->goal->file, r->err_line, r->err_col,
                        TR(o->lang, "fejl", "error"), r->message);
        struct maal_diags pd;
        maal_diags_init(&pd);
        maal_diags_add(&pd, MAAL_SEV_ERROR, r->goal->file, r->err_line, r->err_col, "%s",
                       r->message);
        maal_github_diags(&j->gh, &pd, o->lang);
        maal_diags_release(&pd);
        j->invalid = true;
    }
    if (r->waiver_expired) {
        const struct maal_waiver *w = maal_waiver_find(p, r->goal->id);
        maal_buf_printf(&j->diag, TR(o->lang, "%s:%d:%d: advarsel: dispensationen for målet "
                                     "'%s' udløb %s og gælder ikke længere\n",
                                     "%s:%d:%d: warning: the waiver for goal '%s' expired "
                                     "on %s and no longer applies\n"),
                        p->file, w->line, w->col, r->goal->id, w->expires);
    }
    j->pr.counts[r->verdict]++;
    j->pr.n++;
}

/* A rule of the partnership's own that hides a standard one: say so, once per rule. */
static void warn_shadowed(const struct opts *o, struct maal_ruleset *rs, struct file_job *j)
{
    for (size_t g = 0; g < j->pr.n; g++) {
        const struct maal_goal *goal = j->pr.r[g].goal;
        bool seen = false;
        for (size_t k = 0; k < g && !seen; k++)
            seen = !strcmp(j->pr.r[k].goal->rule, goal->rule);
        struct maal_error e;
        const struct maal_rule_src *src =
            seen ? NULL : maal_ruleset_find(rs, j->p->file, goal->rule, &e);
        char buf[4096];
        const char *hidden = src ? maal_ruleset_shadowed(rs, src, buf, sizeof(buf)) : NULL;
        if (hidden)
            maal_buf_printf(&j->diag,
                            TR(o->lang, "%s: advarsel: reglen '%s' fra %s skygger for "
                                        "standardreglen %s\n",
                               "%s: warning: the rule '%s' from %s hides the standard rule %s\n"),
                            src->path, goal->rule, src->origin, hidden);
    }
}

/* One file: loaded, each selected goal evaluated; the results and messages stay in j. */
static void run_file(struct opts *o, struct pool_worker *w, struct file_job *j)
{
    if (!load_file(o, j))
        return;
    struct maal_partnership *p = j->p;
    struct maal_ruleset *rs = &w->rs;
    struct maal_eval_opts eo = {.lang = o->lang, .year = o->year, .limits = &o->limits, .rules = rs,
                                .today = o->today, .plugins = &o->plugins, .worker = w->ev,
                                .data_built = restamp_goal, .data_built_ud = j};
    j->pr.p = p;
    j->pr.year = o->year ? o->year : p->latest_year;
    j->pr.r = calloc(p->ngoals, sizeof(*j->pr.r));
    if (!j->pr.r) {
        out_of_memory(o, j);
        return;
    }
    for (size_t g = 0; g < p->ngoals; g++)
        if (goal_selected(o, p->goals[g].id))
            eval_goal(o, &eo, j, g);
    warn_shadowed(o, rs, j);
    maal_eval_next(w->ev); /* the partnership's data leaves the worker's sandbox state */
}

static void release_job(struct file_job *j)
{
    for (size_t g = 0; g < j->pr.n; g++)
        maal_result_release(&j->pr.r[g]);
    free(j->pr.r);
    j->pr.r = NULL;
    maal_partnership_free(j->p);
    j->p = NULL;
    maal_buf_release(&j->diag);
    maal_buf_release(&j->gh);
    free(j->pathbuf);
    j->pathbuf = NULL;
}

/* Run job i in its slot of the ring (the slot of job i - window was reported and released). */
static void do_job(struct pool *pl, struct pool_worker *w, size_t i, int slot)
{
    struct file_job *j = &pl->jobs[i % pl->window];
    j->bs = pl->bs;
    j->file = (int)i;
    j->slot = slot;
    char buf[4096];
    const char *path = data_path(pl->files[i], buf, sizeof(buf));
    if (path == buf)
        j->pathbuf = strdup(buf);
    j->path = j->pathbuf ? j->pathbuf : pl->files[i];
    if (w->ok)
        run_file(pl->o, w, j);
    else {
        maal_buf_printf(&j->diag, "maal: %s: %s\n", TR(pl->o->lang, "fejl", "error"),
                        maal_strerror(ENOMEM, pl->o->lang));
        j->invalid = true;
    }
    pthread_mutex_lock(&pl->mu);
    j->done = true;
    pthread_cond_broadcast(&pl->cv);
    pthread_mutex_unlock(&pl->mu);
}

static void worker_init(struct opts *o, struct pool_worker *w)
{
    *w = (struct pool_worker){0};
    if (init_ruleset(o, &w->rs) != MAAL_OK)
        return;
    if (!(w->ev = maal_eval_worker_new())) {
        maal_ruleset_release(&w->rs);
        return;
    }
    w->ok = true;
}

static void worker_release(struct pool_worker *w)
{
    if (w->ok) {
        maal_eval_worker_free(w->ev);
        maal_ruleset_release(&w->rs);
    }
    *w = (struct pool_worker){0};
}

static void *worker(void *arg)
{
    struct pool *pl = arg;
    struct pool_worker w; /* each thread its own */
    worker_init(pl->o, &w);
    int slot = maal_backstop_slot(pl->bs);
    for (;;) {
        pthread_mutex_lock(&pl->mu);
        while (pl->next < pl->n && pl->next >= pl->reported + pl->window)
            pthread_cond_wait(&pl->cv, &pl->mu);
        size_t i = pl->next < pl->n ? pl->next++ : SIZE_MAX; /* pool_stop() may lower n */
        pthread_mutex_unlock(&pl->mu);
        if (i == SIZE_MAX)
            break;
        do_job(pl, &w, i, slot);
    }
    worker_release(&w);
    return NULL;
}

int pool_start(struct pool *pl, struct opts *o, int n, char **files, struct maal_backstop *bs)
{
    *pl = (struct pool){.o = o, .n = (size_t)n, .files = files, .bs = bs, .inline_slot = -1};
    pl->window = (size_t)(o->jobs > 0 ? o->jobs : 1) * 4;
    pl->jobs = maal_calloc(pl->window, sizeof(*pl->jobs)); /* a fault point of test_check */
    if (!pl->jobs)
        return MAAL_ERR_NOMEM;
    pthread_mutex_init(&pl->mu, NULL);
    pthread_cond_init(&pl->cv, NULL);
    pl->sync = true;
    int nthreads = o->jobs > 1 ? (o->jobs > n ? n : o->jobs) : 1;
    for (int t = 0; t < nthreads && t < POOL_MAX_THREADS; t++)
        if (pthread_create(&pl->th[pl->started], NULL, worker, pl) == 0)
            pl->started++;
    if (pl->started == 0) {
        worker_init(o, &pl->inline_w);
        pl->inline_slot = maal_backstop_slot(bs);
    }
    return MAAL_OK;
}

struct file_job *pool_wait(struct pool *pl, size_t i)
{
    struct file_job *j = &pl->jobs[i % pl->window];
    if (pl->started == 0)
        do_job(pl, &pl->inline_w, i, pl->inline_slot);
    pthread_mutex_lock(&pl->mu);
    while (!j->done)
        pthread_cond_wait(&pl->cv, &pl->mu);
    pthread_mutex_unlock(&pl->mu);
    return j;
}

void pool_done(struct pool *pl, size_t i)
{
    struct file_job *j = &pl->jobs[i % pl->window];
    release_job(j);
    memset(j, 0, sizeof(*j)); /* the slot is free for job i + window */
    pthread_mutex_lock(&pl->mu);
    pl->reported = i + 1;
    pthread_cond_broadcast(&pl->cv);
    pthread_mutex_unlock(&pl->mu);
}

void pool_stop(struct pool *pl)
{
    if (pl->sync) {
        pthread_mutex_lock(&pl->mu);
        pl->n = pl->next; /* nothing more is handed out; a worker waiting for room ends */
        pthread_cond_broadcast(&pl->cv);
        pthread_mutex_unlock(&pl->mu);
        for (int t = 0; t < pl->started; t++)
            pthread_join(pl->th[t], NULL);
        pthread_mutex_destroy(&pl->mu);
        pthread_cond_destroy(&pl->cv);
    }
    for (size_t k = 0; pl->jobs && k < pl->window; k++)
        release_job(&pl->jobs[k]); /* done but not reported */
    worker_release(&pl->inline_w);
    maal_free(pl->jobs);
    *pl = (struct pool){0};
}
