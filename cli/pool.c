/* pool: the worker threads of 'maal check' and the work of one file: load it, check its goals
 * with the thread's worker (maal_worker_check), and collect what is to be said about it. */
#include "pool.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Before each goal: one the backstop gave up (a child evaluating it ran past its deadline and
 * was killed) is not run again; any other starts its clock. */
static const char *goal_begin(void *ud, size_t goal)
{
    struct file_job *j = ud;
    if (maal_backstop_skipped(j->bs, j->file, (int)goal)) {
        char n[48];
        maal_fmt_number(n, sizeof(n), j->bs->stopped_after, -1, j->lang);
        snprintf(j->stopped, sizeof(j->stopped),
                 TR(j->lang, "reglen blev stoppet udefra efter %s s (tidsgrænsen + 1 s)",
                    "the rule was stopped from outside after %s s (time limit + 1 s)"),
                 n);
        return j->stopped;
    }
    maal_backstop_begin(j->bs, j->slot, j->file, (int)goal);
    return NULL;
}

/* The partnership's data is built for the goal that runs now: not the rule's time. */
static void goal_restart(void *ud, size_t goal)
{
    const struct file_job *j = ud;
    maal_backstop_begin(j->bs, j->slot, j->file, (int)goal);
}

static void goal_end(void *ud, size_t goal)
{
    (void)goal;
    const struct file_job *j = ud;
    maal_backstop_end(j->bs, j->slot);
}

static void say_out_of_memory(enum maal_lang lang, struct file_job *j)
{
    if (j->diag)
        fprintf(j->diag, "maal: %s: %s\n", TR(lang, "fejl", "error"),
                maal_strerror(ENOMEM, lang));
    j->invalid = true;
}

/* The problems of 'd' to annotate in a github report: all of a load's, the errors of a check
 * (its warnings, an expired waiver or a rule hiding a standard one, are not annotated). */
static void annotate(struct file_job *j, const maal_diags *d, bool errors_only,
                     enum maal_lang lang)
{
    size_t n = maal_diags_size(d), total = maal_diags_errors(d), stored = 0, copied = 0;
    for (size_t i = 0; i < n; i++) {
        enum maal_severity sev;
        maal_diags_get(d, i, &sev, NULL, NULL, NULL, NULL);
        stored += sev == MAAL_SEV_ERROR;
    }
    /* errors past what a collection keeps were only counted: the last place goes to a note
     * saying how many, so that the note itself is kept */
    size_t keep = total > stored && n ? n - 1 : n;
    for (size_t i = 0; i < keep; i++) {
        enum maal_severity sev;
        const char *file, *msg;
        int line, col;
        maal_diags_get(d, i, &sev, &file, &line, &col, &msg);
        copied += sev == MAAL_SEV_ERROR;
        if (sev == MAAL_SEV_ERROR || !errors_only)
            maal_diags_add(j->gh, sev, *file ? file : NULL, line, col, "%s", msg);
    }
    if (total > copied) {
        char num[32];
        maal_fmt_number(num, sizeof(num), (double)(total - copied), 0, lang);
        maal_diags_add(j->gh, MAAL_SEV_ERROR, j->path, 0, 0,
                       TR(lang, "%s fejl mere vises ikke", "%s more errors are not shown"), num);
    }
}

/* One file: loaded, each selected goal checked; the results and messages stay in j. */
static void run_file(struct opts *o, maal_engine *e, maal_worker *w, struct file_job *j)
{
    maal_diags *d = maal_diags_new();
    if (!d || !(j->gh = maal_diags_new())) {
        maal_diags_free(d);
        say_out_of_memory(o->lang, j);
        return;
    }
    int rc = maal_load_file(e, j->path, &j->p, d);
    maal_diags_write(d, "text", j->diag, o->lang);
    annotate(j, d, false, o->lang);
    maal_diags_free(d);
    if (rc != MAAL_OK) {
        j->invalid = true;
        return;
    }
    int from, to;
    if (o->year && maal_partnership_goal_count(j->p) &&
        maal_partnership_period(j->p, &from, &to) && (o->year < from || o->year > to))
        fprintf(j->diag,
                TR(o->lang, "%s: bemærk: --year %d ligger uden for partnerskabets periode %d-%d\n",
                   "%s: note: --year %d is outside the partnership's period %d-%d\n"),
                j->path, o->year, from, to);
    if (!(d = maal_diags_new())) {
        say_out_of_memory(o->lang, j);
        return;
    }
    struct maal_goal_hook hook = {goal_begin, goal_restart, goal_end, j};
    maal_worker_set_goal_hook(w, &hook);
    rc = maal_worker_check(w, j->p, &j->c, d);
    maal_worker_set_goal_hook(w, NULL);
    maal_diags_write(d, "text", j->diag, o->lang);
    annotate(j, d, true, o->lang);
    maal_diags_free(d);
    if (rc == MAAL_ERR_NOMEM)
        say_out_of_memory(o->lang, j);
    else if (rc != MAAL_OK)
        j->invalid = true;
}

/* The file's part of each report, compared first (the main thread notes the comparison). */
static void format_parts(const struct pool_reports *rs, struct file_job *j)
{
    if (!rs || !maal_check_count(j->c))
        return;
    if (rs->prev)
        maal_check_compare_lookup(j->c, rs->prev);
    for (size_t k = 0; k < rs->n; k++)
        j->parts[k] = maal_report_format_part(rs->streams[k], j->c);
}

/* Each --goal: whether this file has it, else the nearest id it has. */
static void look_for_goals(const struct opts *o, struct file_job *j)
{
    size_t ng = o->ngoals < POOL_MAX_GOALS ? o->ngoals : POOL_MAX_GOALS;
    if (!ng || !j->p)
        return;
    if (!(j->goals = calloc(ng, sizeof(*j->goals)))) {
        say_out_of_memory(o->lang, j); /* not "no goal is called ..." */
        return;
    }
    size_t n = maal_partnership_goal_count(j->p);
    for (size_t q = 0; q < ng; q++) {
        const char *ids[65];
        size_t ni = 0;
        for (size_t g = 0; g < n; g++) {
            const char *id = maal_partnership_goal_id(j->p, g);
            j->goals[q].hit = j->goals[q].hit || !strcmp(id, o->goals[q]);
            if (ni < 64)
                ids[ni++] = id;
        }
        ids[ni] = NULL;
        const char *dym = maal_did_you_mean(o->goals[q], ids);
        if (dym)
            snprintf(j->goals[q].dym, sizeof(j->goals[q].dym), "%s", dym);
    }
}

static void release_job(struct file_job *j)
{
    free(j->goals);
    for (size_t k = 0; k < POOL_MAX_REPORTS; k++)
        maal_report_part_free(j->parts[k]); /* made but not added */
    maal_check_free(j->c);
    maal_partnership_free(j->p);
    maal_diags_free(j->gh);
    if (j->diag)
        fclose(j->diag);
    free(j->diag_text);
    maal_text_free(j->said);
    free(j->pathbuf);
    memset(j, 0, sizeof(*j));
}

/* Run job i in its slot of the ring (the slot of job i - window was reported: what it left
 * is released here, by the worker, not by the main thread). */
static void do_job(struct pool *pl, struct pool_worker *pw, size_t i)
{
    struct file_job *j = &pl->jobs[i % pl->window];
    release_job(j);
    j->bs = pl->bs;
    j->file = (int)i;
    j->slot = pw->slot;
    j->lang = pl->o->lang;
    j->diag = open_memstream(&j->diag_text, &j->diag_len);
    char buf[4096];
    const char *path = data_path(pl->files[i], buf, sizeof(buf));
    if (path == buf)
        j->pathbuf = strdup(buf);
    j->path = j->pathbuf ? j->pathbuf : pl->files[i];
    if (pw->w && j->diag)
        run_file(pl->o, pl->e, pw->w, j);
    else
        say_out_of_memory(pl->o->lang, j);
    look_for_goals(pl->o, j);
    if (j->diag && fflush(j->diag) != 0)
        j->invalid = true;
    format_parts(pl->reports, j);
    j->said = maal_clean_dup(j->diag_text ? j->diag_text : "", true); /* paths from the file system */
    pthread_mutex_lock(&pl->mu);
    j->done = true;
    pthread_cond_broadcast(&pl->cv);
    pthread_mutex_unlock(&pl->mu);
}

static void worker_init(struct pool *pl, struct pool_worker *pw)
{
    pw->w = NULL;
    maal_worker_new(pl->e, &pw->w, NULL); /* the engine is prepared: only memory can fail */
    pw->slot = maal_backstop_slot(pl->bs);
}

static void *worker(void *arg)
{
    struct pool *pl = arg;
    struct pool_worker pw; /* each thread its own */
    worker_init(pl, &pw);
    for (;;) {
        pthread_mutex_lock(&pl->mu);
        while (pl->next < pl->n && pl->next >= pl->reported + pl->window)
            pthread_cond_wait(&pl->cv, &pl->mu);
        size_t i = pl->next < pl->n ? pl->next++ : SIZE_MAX; /* pool_stop() may lower n */
        pthread_mutex_unlock(&pl->mu);
        if (i == SIZE_MAX)
            break;
        do_job(pl, &pw, i);
    }
    maal_worker_free(pw.w);
    return NULL;
}

int pool_start(struct pool *pl, struct opts *o, maal_engine *e, int n, char **files,
               struct maal_backstop *bs, const struct pool_reports *reports)
{
    *pl = (struct pool){.o = o, .e = e, .n = (size_t)n, .files = files, .bs = bs,
                        .reports = reports};
    pl->window = (size_t)(o->jobs > 0 ? o->jobs : 1) * 4;
    pl->jobs = calloc(pl->window, sizeof(*pl->jobs));
    if (!pl->jobs)
        return MAAL_ERR_NOMEM;
    pthread_mutex_init(&pl->mu, NULL);
    pthread_cond_init(&pl->cv, NULL);
    pl->sync = true;
    /* one file, or --jobs 1: each file checked by the main thread itself when pool_wait asks
     * for it. A single worker thread would overlap nothing but the copy of the parts (the
     * worker formats them) and cost its creation and a hand-over of every file: 2 300
     * context switches on the bench's 2000 files against 195, and 5-10 % of the CPU time */
    int nthreads = n == 1 || o->jobs <= 1 ? 0 : o->jobs > n ? n : o->jobs;
    for (int t = 0; t < nthreads && t < POOL_MAX_THREADS; t++)
        if (pthread_create(&pl->th[pl->started], NULL, worker, pl) == 0)
            pl->started++;
    if (pl->started == 0) {
        worker_init(pl, &pl->inline_w);
        pl->inline_made = true;
    }
    return MAAL_OK;
}

struct file_job *pool_wait(struct pool *pl, size_t i)
{
    struct file_job *j = &pl->jobs[i % pl->window];
    if (pl->started == 0)
        do_job(pl, &pl->inline_w, i);
    pthread_mutex_lock(&pl->mu);
    while (!j->done)
        pthread_cond_wait(&pl->cv, &pl->mu);
    pthread_mutex_unlock(&pl->mu);
    return j;
}

void pool_done(struct pool *pl, size_t i)
{
    pthread_mutex_lock(&pl->mu);
    /* the slot is free for job i + window, whose worker releases what job i left */
    pl->jobs[i % pl->window].done = false;
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
    if (pl->inline_made)
        maal_worker_free(pl->inline_w.w);
    free(pl->jobs);
    *pl = (struct pool){0};
}
