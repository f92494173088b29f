/* check: 'maal check FILE...': the outputs are opened, the files checked by the worker pool
 * and reported in order, compared with a previous result, and the exit code decided. One
 * cleanup path: whatever fails, the -o spools, the previous result, the pool and the engine
 * are released and no output file is replaced. Only the public interface (maal.h). */
#define _GNU_SOURCE /* memmem */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backstop.h"
#include "cli.h"
#include "output.h"
#include "pool.h"

#define MAX_GOAL_ARGS 64 /* --goal names looked for at most (ids beyond are not suggested) */
_Static_assert(MAX_OUTPUTS <= POOL_MAX_REPORTS, "a part for each output");
_Static_assert(MAX_GOAL_ARGS <= POOL_MAX_GOALS, "each --goal looked for by the job");

/* What the files reported so far add up to. */
struct tally {
    bool invalid;
    size_t matched; /* goals evaluated */
    size_t totals[MAAL_NVERDICTS];
    bool goal_hit[MAX_GOAL_ARGS]; /* each --goal: found in some file; else the nearest id */
    char goal_dym[MAX_GOAL_ARGS][64];
    struct seen seen; /* the partnership ids so far (seen_partnership) */
    char **warned;    /* warnings said that are not about one data file (say_file) */
    size_t nwarned;
};

/* A warning about something files share (a rule of --rules that hides a standard one) is
 * said once, with the first file in order that has it: each worker says it with its own
 * first such file, so which files carry it depends on how the files were shared out, and
 * what is printed must not. */
/* Whether a line of a file's messages is a warning: its severity is the first ': fejl: ' or
 * ': advarsel: ' (': error: ', ': warning: ') after its place; what follows is the message,
 * which may quote the data (a CSV cell 'x: advarsel: y' in an error about it). */
static bool is_warning(const char *line, size_t len)
{
    static const char *const sev[] = {": advarsel: ", ": warning: ", ": fejl: ", ": error: "};
    const char *first = NULL;
    bool warning = false;
    for (size_t i = 0; i < sizeof(sev) / sizeof(sev[0]); i++) {
        const char *m = memmem(line, len, sev[i], strlen(sev[i]));
        if (m && (!first || m < first)) {
            first = m;
            warning = i < 2;
        }
    }
    return warning;
}

static bool said_before(struct tally *t, const char *line, size_t len, const char *path)
{
    size_t plen = strlen(path);
    if ((len > plen && !strncmp(line, path, plen) && line[plen] == ':') || !is_warning(line, len))
        return false;
    for (size_t i = 0; i < t->nwarned; i++)
        if (strlen(t->warned[i]) == len && !memcmp(t->warned[i], line, len))
            return true;
    char **v = realloc(t->warned, (t->nwarned + 1) * sizeof(*v));
    char *copy = v ? strndup(line, len) : NULL;
    if (v)
        t->warned = v;
    if (copy)
        t->warned[t->nwarned++] = copy;
    return false; /* out of memory: said again */
}

/* A file's messages to standard error, each shared warning once. */
static void say_file(struct tally *t, const char *text, const char *path)
{
    while (*text) {
        const char *nl = strchr(text, '\n');
        size_t len = nl ? (size_t)(nl - text) + 1 : strlen(text);
        if (!said_before(t, text, len, path ? path : ""))
            fwrite(text, 1, len, stderr);
        text += len;
    }
}

/* Each --goal: found in some file so far; else the nearest id of the first file that has one
 * (the job looked; when it could not, out of memory, the file is invalid and said so). */
static void merge_goals(const struct opts *o, struct tally *t, const struct file_job *j)
{
    for (size_t q = 0; j->goals && q < o->ngoals && q < MAX_GOAL_ARGS; q++) {
        t->goal_hit[q] = t->goal_hit[q] || j->goals[q].hit;
        if (j->goals[q].dym[0] && !t->goal_dym[q][0])
            memcpy(t->goal_dym[q], j->goals[q].dym, sizeof(t->goal_dym[q]));
    }
}

/* A finished file: its messages to stderr, its results to the outputs. */
static void report_file(const struct opts *o, struct tally *t, struct outputs *os,
                        maal_previous *prev, struct file_job *j)
{
    say_file(t, j->said ? j->said : j->diag_text ? j->diag_text : "", j->path);
    t->invalid = t->invalid || j->invalid;
    /* a second file with the same id: --compare would match either */
    bool dup = j->p && !seen_partnership(o, &t->seen, maal_partnership_id(j->p), j->path);
    t->invalid = t->invalid || dup;
    outputs_problems(os, j->gh);
    size_t n = maal_check_count(j->c);
    if (n && prev && !dup)
        maal_previous_note(prev, j->c); /* the job looked the results up */
    else if (!n && prev && j->invalid)
        maal_previous_not_run(prev, j->path); /* a broken file's goals were not removed */
    merge_goals(o, t, j);
    if (n && !dup) {
        t->matched += n;
        for (int v = 0; v < MAAL_NVERDICTS; v++)
            t->totals[v] += maal_check_count_verdict(j->c, (enum maal_verdict)v);
        outputs_parts(os, j->parts); /* formatted by the job */
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
static int load_previous(const struct opts *o, maal_previous **prev)
{
    maal_diags *d = maal_diags_new();
    int rc = d ? maal_previous_load(o->compare, o->lang, prev, d) : MAAL_ERR_NOMEM;
    if (d)
        maal_diags_write(d, "text", stderr, o->lang);
    else
        out_of_memory(o->lang);
    maal_diags_free(d);
    return rc == MAAL_OK ? -1 : MAAL_EXIT_INVALID;
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
    maal_engine *e = o->engine;
    struct maal_backstop *bs;
    int rc;
    double timeout = 1;
    maal_engine_get_limits(e, &timeout, NULL, NULL);
    if (!maal_backstop_start(timeout, o->lang, &bs, &rc))
        return rc;
    struct outputs outs = {0};
    maal_previous *prev = NULL;
    struct pool pl = {0};
    struct tally t = {.invalid = false};
    bool to_tty = bs ? bs->stdout_tty : isatty(STDOUT_FILENO); /* the child's is a pipe */
    if ((rc = outputs_prepare(&outs, o, e, n, files, bs)) >= 0 ||
        (rc = outputs_open(&outs, o, e, to_tty)) >= 0)
        goto out;
    if (o->fail_on_regression && !o->compare) {
        rc = usage_error(o->lang, "%s", TR(o->lang, "--fail-on regression kræver --compare FIL",
                                           "--fail-on regression needs --compare FILE"));
        goto out;
    }
    if (o->compare && (rc = load_previous(o, &prev)) >= 0)
        goto out;
    struct pool_reports reps = {.prev = prev, .n = outs.n};
    for (size_t k = 0; k < outs.n && k < POOL_MAX_REPORTS; k++)
        reps.streams[k] = outs.v[k].rs;
    if (pool_start(&pl, o, e, n, files, bs, &reps) != MAAL_OK) {
        out_of_memory(o->lang);
        rc = MAAL_EXIT_INVALID;
        goto out;
    }
    for (size_t i = 0; i < (size_t)n; i++) {
        report_file(o, &t, &outs, prev, pool_wait(&pl, i));
        pool_done(&pl, i);
    }
    pool_stop(&pl);

    check_goals_found(o, &t);
    if (prev)
        maal_previous_finish(prev, e); /* goals left out with --goal were not run */
    maal_backstop_finished(bs); /* every goal has run: writing the -o files is never stopped */
    if (outputs_finish(&outs, o, prev, t.invalid))
        t.invalid = true;
    rc = exit_code(o, &t, maal_previous_regressions(prev));
out:
    pool_stop(&pl);
    outputs_release(&outs);
    seen_release(&t.seen);
    for (size_t i = 0; i < t.nwarned; i++)
        free(t.warned[i]);
    free(t.warned);
    maal_previous_free(prev);
    return rc;
}
