/* test_faults: allocation failure injected at every point of a full load + evaluation of the
 * Tingbjerg-Husum 2021-2024 example: each run ends OK or with a clean error code, never a
 * crash, a leak (LeakSanitizer at exit) or a wrong verdict (only 'error' may replace one). */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "eval.h"
#include "rules.h"

#ifndef MAAL_RULES_DIR
#error "the Makefile defines MAAL_RULES_DIR (the repository's rules/)"
#endif

#define MAX_GOALS 64
#define TIME_BUDGET 50.0 /* seconds for the whole sweep */
#define ONE_BY_ONE 2000  /* the first allocations are each failed in turn */
#define MAX_PROBLEMS 12  /* crash points and wrong outcomes reported in detail */

static char path[PATH_MAX];

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct outcome {
    int init_rc, load_rc;
    size_t ngoals;
    int eval_rc[MAX_GOALS];
    enum maal_verdict verdict[MAX_GOALS];
    bool message[MAX_GOALS];
};

/* One full run: rule set, load, evaluate every goal, release everything. */
static void run_once(struct outcome *out)
{
    memset(out, 0, sizeof(*out));
    struct maal_limits lim;
    maal_limits_default(&lim);
    struct maal_ruleset rs;
    out->init_rc = maal_ruleset_init(&rs, NULL, 0, MAAL_LANG_DA);
    if (out->init_rc != MAAL_OK)
        return;
    struct maal_diags d;
    maal_diags_init(&d);
    struct maal_partnership *p = NULL;
    out->load_rc = maal_partnership_load(path, &lim, MAAL_LANG_DA, &p, &d);
    if (out->load_rc == MAAL_OK) {
        struct maal_eval_opts o = {.lang = MAAL_LANG_DA, .year = 2022, .limits = &lim,
                                   .rules = &rs};
        out->ngoals = p->ngoals < MAX_GOALS ? p->ngoals : MAX_GOALS;
        for (size_t g = 0; g < out->ngoals; g++) {
            struct maal_result r;
            out->eval_rc[g] = maal_eval_goal(&o, p, &p->goals[g], &r);
            out->verdict[g] = r.verdict;
            out->message[g] = r.message != NULL;
            maal_result_release(&r);
        }
    }
    maal_partnership_free(p);
    maal_diags_release(&d);
    maal_ruleset_release(&rs);
}

/* Shared with the child that does the sweep, so a crash still tells where it was. */
#define MAX_CRASHES 20000

struct shared {
    double t_start;    /* when the sweep began */
    long total;        /* allocations of one full run */
    double full_secs;  /* time of one full run */
    struct outcome ref;
    long current;      /* the N being run */
    long step;         /* the step in force: past ONE_BY_ONE, crashes are stepped over too */
    long runs;
    long next;         /* where a restarted child resumes */
    int nproblems;
    char problems[MAX_PROBLEMS][200];
    int more_problems;
    bool done;
    long ncrashes;
    long crash_at[MAX_CRASHES];
    int crash_sig[MAX_CRASHES];
};

static struct shared *S;

static void problem(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void problem(const char *fmt, ...)
{
    if (S->nproblems >= MAX_PROBLEMS) {
        S->more_problems++;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(S->problems[S->nproblems++], sizeof(S->problems[0]), fmt, ap);
    va_end(ap);
}

static void check(long n, const struct outcome *o)
{
    if (o->init_rc != MAAL_OK && o->init_rc != MAAL_ERR_NOMEM) {
        problem("N=%ld: maal_ruleset_init returned %d", n, o->init_rc);
        return;
    }
    if (o->init_rc != MAAL_OK)
        return;
    if (o->load_rc != MAAL_OK && o->load_rc != MAAL_ERR_NOMEM) {
        problem("N=%ld: loading returned %d, expected OK or NOMEM", n, o->load_rc);
        return;
    }
    if (o->load_rc != MAAL_OK)
        return;
    if (o->ngoals != S->ref.ngoals) {
        problem("N=%ld: %zu goals loaded, expected %zu", n, o->ngoals, S->ref.ngoals);
        return;
    }
    for (size_t g = 0; g < o->ngoals; g++) {
        if (o->eval_rc[g] != MAAL_OK && o->eval_rc[g] != MAAL_ERR_NOMEM)
            problem("N=%ld goal %zu: maal_eval_goal returned %d", n, g, o->eval_rc[g]);
        else if (o->eval_rc[g] == MAAL_OK && !o->message[g])
            problem("N=%ld goal %zu: OK without a message", n, g);
        else if (o->eval_rc[g] == MAAL_OK && o->verdict[g] != S->ref.verdict[g] &&
                 o->verdict[g] != MAAL_ERROR)
            problem("N=%ld goal %zu: verdict %s, expected %s or error", n, g,
                    maal_verdict_names[o->verdict[g]], maal_verdict_names[S->ref.verdict[g]]);
    }
}

/* The sweep, from S->next on; the child exits normally so LeakSanitizer checks it. */
static void sweep(void)
{
    long step = S->step > 0 ? S->step : 1;
    for (long n = S->next; n <= S->total + 1; n += step) {
        S->current = n;
        struct outcome o;
        maal_mem_fail_after(n);
        run_once(&o);
        maal_mem_fail_after(0);
        check(n, &o);
        S->runs++;
        if (n >= ONE_BY_ONE && S->total > 20000) {
            /* spread what time is left over the rest (restarts after crashes included) */
            double left = TIME_BUDGET - (now() - S->t_start);
            long runs_left = left > 0 ? (long)(left / S->full_secs) : 1;
            if (runs_left < 1)
                runs_left = 1;
            step = n < S->total ? (S->total - n) / runs_left + 1 : 1;
            S->step = step;
        }
        S->next = n + step;
    }
    S->done = true;
}

/* "406-417 (signal 6), 1012 (signal 11)" */
static void print_crashes(void)
{
    char line[160];
    size_t o = 0;
    for (long i = 0; i < S->ncrashes; i++) {
        long j = i;
        while (j + 1 < S->ncrashes && S->crash_at[j + 1] == S->crash_at[j] + 1 &&
               S->crash_sig[j + 1] == S->crash_sig[i])
            j++;
        char item[64];
        if (j > i)
            snprintf(item, sizeof(item), "%ld-%ld (%d)", S->crash_at[i], S->crash_at[j],
                     S->crash_sig[i]);
        else
            snprintf(item, sizeof(item), "%ld (%d)", S->crash_at[i], S->crash_sig[i]);
        if (o + strlen(item) + 2 > 100) {
            print_message("    %s\n", line);
            o = 0;
        }
        o += (size_t)snprintf(line + o, sizeof(line) - o, "%s%s", o ? ", " : "", item);
        i = j;
    }
    if (o)
        print_message("    %s\n", line);
}

static void test_faults_every_allocation_fails_cleanly(void **state)
{
    (void)state;
    snprintf(path, sizeof(path), "%s/../examples/tingbjerg-husum-2021-2024/partnership.yaml",
             MAAL_RULES_DIR);
    unsetenv("MAAL_PATH");
    S = mmap(NULL, sizeof(*S), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    assert_true(S != MAP_FAILED);
    memset(S, 0, sizeof(*S));

    /* count the allocations of one full run, and its verdicts */
    maal_mem_fail_after(0);
    double t0 = now();
    run_once(&S->ref);
    S->full_secs = now() - t0;
    S->total = maal_mem_count();
    assert_int_equal(S->ref.init_rc, MAAL_OK);
    assert_int_equal(S->ref.load_rc, MAAL_OK);
    assert_true(S->ref.ngoals >= 16);
    for (size_t g = 0; g < S->ref.ngoals; g++)
        assert_int_equal(S->ref.eval_rc[g], MAAL_OK);
    print_message("one run: %ld allocations, %.3f s\n", S->total, S->full_secs);

    S->next = 1;
    S->t_start = now();
    int leaks = 0;
    while (!S->done && S->ncrashes < MAX_CRASHES && now() - S->t_start < 3 * TIME_BUDGET) {
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            alarm(600);
            sweep();
            exit(0); /* not _exit: LeakSanitizer runs at exit */
        }
        int st;
        assert_int_equal(waitpid(pid, &st, 0), pid);
        if (WIFSIGNALED(st) || (WIFEXITED(st) && WEXITSTATUS(st) != 0 && !S->done)) {
            /* a crash (a signal, or a sanitizer report that exits non-zero) at S->current;
             * signals as themselves, sanitizer exits as 1000 + status */
            S->crash_at[S->ncrashes] = S->current;
            S->crash_sig[S->ncrashes++] =
                WIFSIGNALED(st) ? WTERMSIG(st) : 1000 + WEXITSTATUS(st);
            S->next = S->current + (S->current < ONE_BY_ONE || S->step < 1 ? 1 : S->step);
        } else if (WIFEXITED(st) && WEXITSTATUS(st) != 0) {
            leaks++; /* the sweep finished; the exit check (leaks) failed */
        }
    }
    print_message("%ld runs in %.1f s; %ld crash points; %s\n", S->runs, now() - S->t_start,
                  S->ncrashes, leaks ? "LeakSanitizer found leaks (see above)" : "no leaks");
    if (S->ncrashes) {
        print_message("  crashed at N (signal):\n");
        print_crashes();
    }
    for (int i = 0; i < S->nproblems; i++)
        print_message("  %s\n", S->problems[i]);
    if (S->more_problems)
        print_message("  ... and %d more\n", S->more_problems);
    long nproblems = S->nproblems + S->more_problems + S->ncrashes;
    bool done = S->done;
    munmap(S, sizeof(*S));
    if (nproblems || leaks || !done)
        fail_msg("%ld problems under allocation failure%s%s", nproblems, leaks ? ", leaks" : "",
                 done ? "" : ", sweep not finished");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_faults_every_allocation_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
