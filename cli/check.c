/* check: 'maal check FILE...': the outputs are opened, the files evaluated by the worker pool
 * and reported in order, compared with a previous result, and the exit code decided. One
 * cleanup path: whatever fails, the -o spools, the previous result and the pool are released
 * and no output file is replaced. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backstop.h"
#include "cli.h"
#include "compare.h"
#include "output.h"
#include "pool.h"

#define MAX_GOAL_ARGS 64 /* --goal names looked for at most (ids beyond are not suggested) */

/* What the files reported so far add up to. */
struct tally {
    bool invalid;
    size_t matched; /* goals evaluated */
    size_t totals[MAAL_NVERDICTS];
    bool goal_hit[MAX_GOAL_ARGS]; /* each --goal: found in some file; else the nearest id */
    char goal_dym[MAX_GOAL_ARGS][64];
    struct maal_buf seen; /* the partnership ids so far (seen_partnership) */
};

/* --compare: each result of a file is matched with the previous result. */
static void compare_file(struct maal_prev *prev, struct maal_changes *changes,
                         const struct file_job *j)
{
    for (size_t g = 0; g < j->pr.n; g++) {
        struct maal_result *r = &j->pr.r[g];
        struct maal_cmp_info ci = maal_prev_compare(
            prev, j->p->id, r->goal->id, (int)r->verdict, r->has_actual, r->actual,
            r->has_target, r->target, r->has_baseline, r->baseline, changes);
        r->cmp = (int)ci.cmp;
        r->prev_verdict = ci.prev_verdict;
        r->has_prev_actual = ci.has_prev_actual;
        r->prev_actual = ci.prev_actual;
    }
}

/* Each --goal: whether this file has it, else the nearest id it has. */
static void look_for_goals(const struct opts *o, struct tally *t, const struct maal_partnership *p)
{
    for (size_t q = 0; q < o->ngoals && q < MAX_GOAL_ARGS; q++) {
        const char *ids[65];
        size_t ni = 0;
        for (size_t g = 0; g < p->ngoals; g++) {
            t->goal_hit[q] = t->goal_hit[q] || !strcmp(p->goals[g].id, o->goals[q]);
            if (ni < 64)
                ids[ni++] = p->goals[g].id;
        }
        ids[ni] = NULL;
        const char *dym = maal_did_you_mean(o->goals[q], ids);
        if (dym && !t->goal_dym[q][0])
            snprintf(t->goal_dym[q], sizeof(t->goal_dym[q]), "%s", dym);
    }
}

/* A finished file: its messages to stderr, its results to the outputs. */
static void report_file(const struct opts *o, struct tally *t, struct outputs *os,
                        struct maal_prev *prev, struct maal_changes *changes, struct file_job *j)
{
    char *clean = maal_clean_dup(maal_buf_str(&j->diag), true); /* paths from the file system */
    fputs(clean ? clean : maal_buf_str(&j->diag), stderr);
    maal_free(clean);
    t->invalid = t->invalid || j->invalid;
    /* a second file with the same id: --compare would match either */
    bool dup = j->p && !seen_partnership(o, &t->seen, j->p->id, j->path);
    t->invalid = t->invalid || dup;
    outputs_github(os, &j->gh);
    if (j->p && j->pr.n && o->compare && !dup)
        compare_file(prev, changes, j);
    if (j->p)
        look_for_goals(o, t, j->p);
    if (j->p && j->pr.n && !dup) {
        t->matched += j->pr.n;
        for (int v = 0; v < MAAL_NVERDICTS; v++)
            t->totals[v] += j->pr.counts[v];
        outputs_partnership(os, &j->pr);
    }
}

/* Every --goal must name a goal: a misspelt one is not silently left out. */
static void check_goals_found(const struct opts *o, struct tally *t)
{
    if (o->ngoals && t->matched == 0 && !t->invalid) {
        fprintf(stderr, "maal: %s: %s\n", TR(o->lang, "fejl", "error"),
                TR(o->lang, "--goal matcher intet mål i filerne",
                   "--goal matches no goal in the files"));
        t->invalid = true;
    }
    for (size_t q = 0; q < o->ngoals && q < MAX_GOAL_ARGS; q++) {
        if (t->goal_hit[q] || (!t->matched && !t->goal_dym[q][0])) /* nothing matched: said above */
            continue;
        fprintf(stderr, "maal: %s: %s '%s'", TR(o->lang, "fejl", "error"),
                TR(o->lang, "intet mål hedder", "no goal is called"), o->goals[q]);
        if (t->goal_dym[q][0])
            fprintf(stderr, TR(o->lang, " (mente du '%s'?)", " (did you mean '%s'?)"),
                    t->goal_dym[q]);
        fputc('\n', stderr);
        t->invalid = true;
    }
}

/* --compare FILE: the previous result. -1 to go on, else an exit code (the error printed). */
static int load_previous(const struct opts *o, struct maal_prev *prev)
{
    struct maal_error e;
    if (maal_prev_load(o->compare, prev, &e, o->lang) == MAAL_OK)
        return -1;
    maal_error_print(&e, stderr, o->lang);
    return MAAL_EXIT_INVALID;
}

/* The exit code: invalid input, then a rule's error, then --fail-on. */
static int exit_code(const struct opts *o, const struct tally *t, size_t regressions)
{
    if (t->invalid)
        return MAAL_EXIT_INVALID;
    if (t->totals[MAAL_ERROR])
        return MAAL_EXIT_RULE;
    if (o->fail_on_regression && regressions)
        return MAAL_EXIT_FAIL;
    for (int v = 0; v < MAAL_NVERDICTS; v++)
        if (o->fail_on[v] && t->totals[v])
            return MAAL_EXIT_FAIL;
    return MAAL_EXIT_OK;
}

int cmd_check(struct opts *o, int n, char **files)
{
    if (n == 0)
        return usage_error(o->lang, "%s", TR(o->lang, "check mangler en fil", "check needs a file"));
    /* the check runs in a child; this process stops a goal that overruns its wall-clock
     * ceiling by more than a second from outside and runs the check again with that goal given up */
    struct maal_backstop *bs;
    int rc;
    if (!maal_backstop_start(o->limits.rule_timeout, o->lang, &bs, &rc))
        return rc;
    struct outputs outs = {0};
    struct maal_prev prev = {0};
    struct maal_changes changes = {0};
    struct pool pl = {0};
    struct tally t = {.seen = MAAL_BUF_INIT};
    bool to_tty = bs ? bs->stdout_tty : isatty(STDOUT_FILENO); /* the child's is a pipe */

    if ((rc = outputs_prepare(&outs, o, n, files, bs)) >= 0 ||
        (rc = outputs_open(&outs, o, to_tty)) >= 0)
        goto out;
    if (o->fail_on_regression && !o->compare) {
        rc = usage_error(o->lang, "%s", TR(o->lang, "--fail-on regression kræver --compare FIL",
                                           "--fail-on regression needs --compare FILE"));
        goto out;
    }
    if (o->compare && (rc = load_previous(o, &prev)) >= 0)
        goto out;
    if (pool_start(&pl, o, n, files, bs) != MAAL_OK) {
        fprintf(stderr, "maal: %s: %s\n", TR(o->lang, "fejl", "error"),
                maal_strerror(ENOMEM, o->lang));
        rc = MAAL_EXIT_INVALID;
        goto out;
    }
    for (size_t i = 0; i < (size_t)n; i++) {
        report_file(o, &t, &outs, &prev, &changes, pool_wait(&pl, i));
        pool_done(&pl, i);
    }
    pool_stop(&pl);

    check_goals_found(o, &t);
    if (o->compare) {
        /* goals left out with --goal were not run: they are not 'removed' */
        for (size_t i = 0; i < prev.n; i++)
            if (!goal_selected(o, prev.v[i].goal))
                prev.v[i].seen = true;
        maal_prev_finish(&prev, &changes);
    }
    maal_backstop_finished(bs); /* every goal has run: writing the -o files is never stopped */
    if (outputs_finish(&outs, o, o->compare ? &changes : NULL, t.invalid))
        t.invalid = true;
    rc = exit_code(o, &t, changes.regressions);
out:
    pool_stop(&pl);
    outputs_release(&outs);
    maal_buf_release(&t.seen);
    maal_prev_release(&prev);
    maal_changes_release(&changes);
    return rc;
}
