/* test_faults: allocation failure injected at a fixed set of points of a full load and
 * evaluation of two examples (Tingbjerg-Husum 2021-2024, then Amager 2017) in one reused
 * sandbox state, the way 'maal check' runs them (a worker, .worker): each run ends OK or with a
 * clean error code, never a crash, a leak (LeakSanitizer at exit) or a wrong verdict (only
 * 'error' may replace one).
 *
 * The points are the same on every machine, however fast: every FAULTS_EVERY-th allocation
 * (default 8; 1 = every allocation, what 'make check-slow' runs), and the first allocation
 * made at each call site (see SITE_FRAMES) that a full run reaches, found in a first run
 * without failures. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <execinfo.h>
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
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "eval.h"
#include "rules.h"

#ifndef MAAL_RULES_DIR
#error "the Makefile defines MAAL_RULES_DIR (the repository's rules/)"
#endif

#define MAX_GOALS 128
#define NFILES 2
#define EVERY 8           /* the default step between points */
#define MAX_POINTS 400000 /* room for every allocation of a run (FAULTS_EVERY=1) */
#define MAX_PROBLEMS 12   /* crash points and wrong outcomes reported in detail */
/* a call site: the return addresses of the frames up from the allocator (maal_malloc, _calloc
 * or _realloc): its caller and the five above that (a wrapper such as maal_strdup, the arena or
 * Lua's allocator is not one site); the frames below it (this hook, the counter) are the same
 * for every allocation */
#define SITE_FRAMES 10
#define SITE_SLOTS (1 << 16)

static const char *const FILES[NFILES] = {"tingbjerg-husum-2021-2024", "amager-2017"};
static char paths[NFILES][PATH_MAX];

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct outcome {
    int init_rc, load_rc[NFILES];
    size_t ngoals[NFILES];
    int eval_rc[NFILES][MAX_GOALS];
    enum maal_verdict verdict[NFILES][MAX_GOALS];
    bool message[NFILES][MAX_GOALS];
};

/* One full run as 'maal check a.yaml b.yaml' does it in a worker: one rule set, one reused
 * state; each file loaded, every goal evaluated, its data dropped from the state; then
 * everything released. */
static void run_once(struct outcome *out)
{
    memset(out, 0, sizeof(*out));
    struct maal_limits lim;
    maal_limits_default(&lim);
    lim.rule_timeout = 60; /* a busy machine must not turn a slow goal into an error */
    struct maal_ruleset rs;
    out->init_rc = maal_ruleset_init(&rs, NULL, 0, MAAL_LANG_DA);
    if (out->init_rc != MAAL_OK)
        return;
    /* NULL when out of memory: then each goal gets a state of its own, with the same verdict */
    struct maal_eval_worker *w = maal_eval_worker_new();
    struct maal_eval_opts o = {.lang = MAAL_LANG_DA, .year = 2022, .limits = &lim,
                               .rules = &rs, .worker = w};
    for (int f = 0; f < NFILES; f++) {
        struct maal_diags d;
        maal_diags_init(&d);
        struct maal_partnership *p = NULL;
        out->load_rc[f] = maal_partnership_load(paths[f], &lim, MAAL_LANG_DA, &p, &d);
        if (out->load_rc[f] == MAAL_OK) {
            out->ngoals[f] = p->ngoals < MAX_GOALS ? p->ngoals : MAX_GOALS;
            for (size_t g = 0; g < out->ngoals[f]; g++) {
                struct maal_result r;
                out->eval_rc[f][g] = maal_eval_goal(&o, p, &p->goals[g], &r);
                out->verdict[f][g] = r.verdict;
                out->message[f][g] = r.message != NULL;
                maal_result_release(&r);
            }
            maal_eval_next(w);
        }
        maal_partnership_free(p);
        maal_diags_release(&d);
    }
    maal_eval_worker_free(w);
    maal_ruleset_release(&rs);
}

/* ---- the points: every EVERY-th allocation and the first at each call site ---- */

static uint64_t site_seen[SITE_SLOTS]; /* hashes of the call sites met (0: empty) */
static long nsites;
static long *first_at_site; /* allocation numbers, in order */
static long nfirst;

/* the allocator's hook in the counting run: is this allocation's call site new? */
static void record_site(long n)
{
    void *frames[SITE_FRAMES];
    int k = backtrace(frames, SITE_FRAMES);
    uint64_t h = 1469598103934665603ULL; /* FNV-1a over the return addresses */
    for (int i = 0; i < k; i++) {
        h ^= (uint64_t)(uintptr_t)frames[i];
        h *= 1099511628211ULL;
    }
    h |= 1;
    for (size_t i = (size_t)h & (SITE_SLOTS - 1);; i = (i + 1) & (SITE_SLOTS - 1)) {
        if (site_seen[i] == h)
            return;
        if (!site_seen[i]) {
            if (nsites >= SITE_SLOTS / 2)
                return; /* full: the step still covers the rest */
            site_seen[i] = h;
            nsites++;
            if (nfirst < MAX_POINTS)
                first_at_site[nfirst++] = n;
            return;
        }
    }
}

/* Shared with the child that does the sweep, so a crash still tells where it was. */
struct shared {
    long total;       /* allocations of one full run */
    struct outcome ref;
    long npoints;
    long point[MAX_POINTS + 1]; /* ascending; the last is total + 1: no failure at all */
    long next;                  /* the index a restarted child resumes at */
    long current;               /* the index being run */
    long runs;
    int nproblems;
    char problems[MAX_PROBLEMS][200];
    int more_problems;
    bool done;
    long ncrashes;
    long crash_at[MAX_POINTS + 1]; /* allocation numbers */
    int crash_sig[MAX_POINTS + 1];
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
    for (int f = 0; f < NFILES; f++) {
        if (o->load_rc[f] != MAAL_OK && o->load_rc[f] != MAAL_ERR_NOMEM) {
            problem("N=%ld %s: loading returned %d, expected OK or NOMEM", n, FILES[f],
                    o->load_rc[f]);
            continue;
        }
        if (o->load_rc[f] != MAAL_OK)
            continue;
        if (o->ngoals[f] != S->ref.ngoals[f]) {
            problem("N=%ld %s: %zu goals loaded, expected %zu", n, FILES[f], o->ngoals[f],
                    S->ref.ngoals[f]);
            continue;
        }
        for (size_t g = 0; g < o->ngoals[f]; g++) {
            int rc = o->eval_rc[f][g];
            enum maal_verdict v = o->verdict[f][g], want = S->ref.verdict[f][g];
            if (rc != MAAL_OK && rc != MAAL_ERR_NOMEM)
                problem("N=%ld %s goal %zu: maal_eval_goal returned %d", n, FILES[f], g, rc);
            else if (rc == MAAL_OK && !o->message[f][g])
                problem("N=%ld %s goal %zu: OK without a message", n, FILES[f], g);
            else if (rc == MAAL_OK && v != want && v != MAAL_ERROR)
                problem("N=%ld %s goal %zu: verdict %s, expected %s or error", n, FILES[f], g,
                        maal_verdict_names[v], maal_verdict_names[want]);
        }
    }
}

/* The sweep, from point S->next on; the child exits normally so LeakSanitizer checks it. */
static void sweep(void)
{
    for (long i = S->next; i < S->npoints; i++) {
        S->current = i;
        S->next = i + 1;
        struct outcome o;
        maal_mem_fail_after(S->point[i]);
        run_once(&o);
        maal_mem_fail_after(0);
        check(S->point[i], &o);
        S->runs++;
    }
    S->done = true;
}

/* "406-417 (signal 6), 1012 (signal 11)": consecutive points with the same signal joined */
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

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

static void test_faults_allocation_failures_fail_cleanly(void **state)
{
    (void)state;
    for (int f = 0; f < NFILES; f++)
        snprintf(paths[f], sizeof(paths[f]), "%s/../examples/%s/partnership.yaml",
                 MAAL_RULES_DIR, FILES[f]);
    unsetenv("MAAL_PATH");
    long every = EVERY;
    const char *e = getenv("FAULTS_EVERY");
    if (e && *e) {
        every = strtol(e, NULL, 10);
        assert_true(every >= 1);
    }
    S = mmap(NULL, sizeof(*S), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    assert_true(S != MAP_FAILED);
    memset(S, 0, sizeof(*S));
    first_at_site = malloc(MAX_POINTS * sizeof(*first_at_site));
    assert_non_null(first_at_site);

    /* one run without failures: its allocations, their call sites, its verdicts */
    maal_mem_fail_after(0);
    maal_mem_hook(record_site);
    double t0 = cpu_now();
    run_once(&S->ref);
    double full_secs = cpu_now() - t0;
    maal_mem_hook(NULL);
    S->total = maal_mem_count();
    assert_int_equal(S->ref.init_rc, MAAL_OK);
    for (int f = 0; f < NFILES; f++) {
        assert_int_equal(S->ref.load_rc[f], MAAL_OK);
        assert_true(S->ref.ngoals[f] >= 16);
        for (size_t g = 0; g < S->ref.ngoals[f]; g++) {
            assert_int_equal(S->ref.eval_rc[f][g], MAAL_OK);
            assert_int_not_equal(S->ref.verdict[f][g], MAAL_ERROR); /* the examples have none */
        }
    }
    assert_true(S->total < MAX_POINTS);

    /* the points, ascending and each once */
    long n = 0;
    for (long a = 1; a <= S->total; a += every)
        S->point[n++] = a;
    for (long i = 0; i < nfirst; i++)
        S->point[n++] = first_at_site[i];
    qsort(S->point, (size_t)n, sizeof(S->point[0]), cmp_long);
    long u = 0;
    for (long i = 0; i < n; i++)
        if (u == 0 || S->point[i] != S->point[u - 1])
            S->point[u++] = S->point[i];
    S->point[u++] = S->total + 1; /* nothing fails: the verdicts of the reference */
    S->npoints = u;
    free(first_at_site);
    print_message("one run: %ld allocations at %ld call sites, %.2f s CPU; %ld points "
                  "(allocation 1, 1 + %ld, 1 + 2 * %ld, ... and the first at each call site)\n",
                  S->total, nsites, full_secs, S->npoints, every, every);

    t0 = cpu_now();
    int leaks = 0;
    while (!S->done && S->next < S->npoints) {
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            alarm(1800);
            sweep();
            exit(0); /* not _exit: LeakSanitizer runs at exit */
        }
        int st;
        assert_int_equal(waitpid(pid, &st, 0), pid);
        if (WIFSIGNALED(st) || (WIFEXITED(st) && WEXITSTATUS(st) != 0 && !S->done)) {
            /* a crash (a signal, or a sanitizer report that exits non-zero) at the current
             * point; signals as themselves, sanitizer exits as 1000 + status; go on after it */
            S->crash_at[S->ncrashes] = S->point[S->current];
            S->crash_sig[S->ncrashes++] = WIFSIGNALED(st) ? WTERMSIG(st) : 1000 + WEXITSTATUS(st);
            S->next = S->current + 1;
        } else if (WIFEXITED(st) && WEXITSTATUS(st) != 0) {
            leaks++; /* the sweep finished; the exit check (leaks) failed */
        }
    }
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    print_message("%ld runs, %.1f s CPU; %ld crash points; %s\n", S->runs,
                  (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
                      (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
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
    long runs = S->runs, npoints = S->npoints, ncrashes = S->ncrashes;
    munmap(S, sizeof(*S));
    if (nproblems || leaks || !done)
        fail_msg("%ld problems under allocation failure%s%s", nproblems, leaks ? ", leaks" : "",
                 done ? "" : ", sweep not finished");
    assert_int_equal(runs + ncrashes, npoints); /* every point was run */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_faults_allocation_failures_fail_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
