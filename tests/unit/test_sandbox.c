/* test_sandbox: the sandbox's time limit (core/sandbox.c) is the CPU time of the thread that
 * runs the rule, with a wall-clock ceiling of MAAL_WALL_CEILING: wall time that passes while
 * the thread does not run (a busy machine) does not stop a rule, CPU time does, and the
 * ceiling still stops a thread that waits. The waiting is done in C with nanosleep, which is
 * what a thread that gets no CPU on a loaded machine looks like to the rule.
 * Each test runs twice: with the thread's timers (a rule runs with no hook until a timer's
 * signal sets it) and with the count hook that serves where timers cannot (forced with
 * maal_sb_count_hook_only); the tests that follow them are about choosing between the two. */
#include <lauxlib.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include "sandbox.h"

enum mode { TIMERS, COUNT };
static enum mode timers = TIMERS, count = COUNT;

/* the mode a test runs in (its prestate), set before its first start */
static enum mode use_mode(void **state)
{
    enum mode m = *(enum mode *)*state;
    maal_sb_count_hook_only(m == COUNT);
    return m;
}

/* The run is watched as the mode says: by timers with no hook set, or by the count hook. */
static void assert_watched(lua_State *L, const struct run *run, enum mode m)
{
    if (m == TIMERS) {
        assert_true(run->timers);
        assert_null(lua_gethook(L)); /* nothing runs per instruction */
    } else {
        assert_false(run->timers);
        assert_non_null(lua_gethook(L));
        assert_int_equal(lua_gethookmask(L), LUA_MASKCOUNT);
        assert_int_equal(lua_gethookcount(L), 1000);
    }
}

static double clock_s(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void wait_s(double secs)
{
    struct timespec t = {(time_t)secs, (long)((secs - floor(secs)) * 1e9)};
    while (nanosleep(&t, &t) != 0)
        ;
}

/* CPU time of this thread, spent in C (outside the hook's view) */
static void burn_s(double secs)
{
    double end = clock_s(CLOCK_THREAD_CPUTIME_ID) + secs;
    while (clock_s(CLOCK_THREAD_CPUTIME_ID) < end)
        ;
}

struct sb {
    struct run run;
    struct maal_limits lim;
    lua_State *L;
};

static struct sb *sb_new(double timeout)
{
    struct sb *s = calloc(1, sizeof(*s));
    assert_non_null(s);
    maal_limits_default(&s->lim);
    s->lim.rule_timeout = timeout;
    s->run.limit = 64u << 20;
    s->run.lang = MAAL_LANG_DA;
    s->L = maal_sb_new_state(&s->run);
    assert_non_null(s->L);
    return s;
}

static void sb_free(struct sb *s)
{
    maal_sb_close(s->L);
    free(s);
}

/* Runs 'code' under the hook; LUA_OK or the error status (message in 'msg'). */
static int sb_run(struct sb *s, const char *code, char *msg, size_t size)
{
    assert_int_equal(luaL_loadstring(s->L, code), LUA_OK);
    int rc = lua_pcall(s->L, 0, 0, 0);
    snprintf(msg, size, "%s", rc == LUA_OK ? "" : lua_tostring(s->L, -1));
    lua_settop(s->L, 0);
    return rc;
}

/* about 10^6 VM instructions: the hook looks at the clocks a thousand times */
#define SHORT_LOOP "local x = 0 for i = 1, 300000 do x = x + i end"

/* Before, the limit was wall time: a rule whose thread did not run for longer than its limit
 * was stopped at its first instructions, though it had used no CPU time. */
static void test_sandbox_wall_time_without_cpu_is_not_the_limit(void **state)
{
    enum mode m = use_mode(state);
    struct sb *s = sb_new(0.4);
    maal_sb_start(s->L, &s->run, &s->lim, MAAL_SB_RULE);
    assert_watched(s->L, &s->run, m);
    /* past the limit on the wall clock, 0.5 s below the ceiling (1.2 s): room for a thread
     * that waits for a CPU on a busy machine before it runs the loop */
    wait_s(0.7);
    char msg[256];
    int rc = sb_run(s, SHORT_LOOP, msg, sizeof(msg));
    if (rc != LUA_OK)
        fail_msg("a rule that used no CPU time was stopped: %s", msg);
    assert_false(s->run.timed_out);
    sb_free(s);
}

static void test_sandbox_wall_ceiling_still_stops(void **state)
{
    enum mode m = use_mode(state);
    struct sb *s = sb_new(0.1);
    maal_sb_start(s->L, &s->run, &s->lim, MAAL_SB_RULE);
    assert_watched(s->L, &s->run, m);
    wait_s(MAAL_WALL_CEILING(0.1) + 0.05);
    char msg[256];
    assert_int_not_equal(sb_run(s, SHORT_LOOP, msg, sizeof(msg)), LUA_OK);
    assert_non_null(strstr(msg, "tidsgrænsen er overskredet"));
    assert_true(s->run.timed_out);
    sb_free(s);
}

/* A loop is stopped by its CPU time: not before it has used the limit (unless the ceiling
 * came first, on a very busy machine), and soon after. */
static void test_sandbox_cpu_time_stops_a_loop(void **state)
{
    enum mode m = use_mode(state);
    struct sb *s = sb_new(0.2);
    double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
    maal_sb_start(s->L, &s->run, &s->lim, MAAL_SB_RULE);
    assert_watched(s->L, &s->run, m);
    char msg[256];
    assert_int_not_equal(sb_run(s, "while true do end", msg, sizeof(msg)), LUA_OK);
    double wall = clock_s(CLOCK_MONOTONIC) - w0, cpu = clock_s(CLOCK_THREAD_CPUTIME_ID) - c0;
    assert_non_null(strstr(msg, "tidsgrænsen er overskredet"));
    if (cpu < 0.2 && wall < MAAL_WALL_CEILING(0.2))
        fail_msg("stopped early: %.3f s CPU, %.3f s wall", cpu, wall);
    /* with the timers, the one monotonic timer fires when the limit can first have been used
     * up and is armed again for the CPU time still left (at least 1 ms ahead): the overrun is
     * about 1 ms of CPU, not a scheduler tick or more; the count hook looks every 1000
     * instructions */
    if (cpu > 0.2 + 0.02)
        fail_msg("stopped late: %.3f s CPU for a limit of 0.2 s", cpu);
    sb_free(s);
}

/* Between pause and resume (maal building the data's tables) neither clock counts. */
static void test_sandbox_pause_stops_both_clocks(void **state)
{
    enum mode m = use_mode(state);
    struct sb *s = sb_new(0.2);
    maal_sb_start(s->L, &s->run, &s->lim, MAAL_SB_RULE);
    assert_watched(s->L, &s->run, m);
    maal_sb_pause(s->L);
    burn_s(0.25);                         /* past the CPU limit */
    wait_s(MAAL_WALL_CEILING(0.2) + 0.05); /* and the ceiling */
    maal_sb_resume(s->L);
    char msg[256];
    int rc = sb_run(s, SHORT_LOOP, msg, sizeof(msg));
    if (rc != LUA_OK)
        fail_msg("time spent while paused counted: %s", msg);
    /* after the resume, CPU time counts again */
    burn_s(0.25);
    assert_int_not_equal(sb_run(s, SHORT_LOOP, msg, sizeof(msg)), LUA_OK);
    assert_non_null(strstr(msg, "tidsgrænsen er overskredet"));
    sb_free(s);
}

static double ts_s(const struct timespec *t)
{
    return (double)t->tv_sec + (double)t->tv_nsec / 1e9;
}

/* The CPU clock is read at most once a millisecond (a system call; the goal starts between use
 * bounds from the last reading): a goal's CPU deadline is never earlier than its limit from
 * the CPU time at its start, and at most 1 ms later; a pause moves it by at least the CPU time
 * the pause took and at most 2 ms more. Starts a few µs of CPU apart, as the goals of a file. */
static void test_sandbox_cpu_deadline_within_its_bound(void **state)
{
    enum mode m = use_mode(state);
    struct sb *s = sb_new(0.5);
    for (int i = 0; i < 3000; i++) {
        double before = clock_s(CLOCK_THREAD_CPUTIME_ID);
        maal_sb_start(s->L, &s->run, &s->lim, MAAL_SB_RULE);
        double after = clock_s(CLOCK_THREAD_CPUTIME_ID);
        assert_watched(s->L, &s->run, m);
        double dl = ts_s(&s->run.cpu_deadline) - 0.5;
        if (dl < before - 1e-6 || dl > after + 1e-3 + 1e-6)
            fail_msg("start %d: CPU deadline %.6f s from the start, expected 0 to 1 ms", i,
                     dl - before);
        if (i % 10 == 0) {
            double d0 = ts_s(&s->run.cpu_deadline), p0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
            maal_sb_pause(s->L);
            double burn = i % 20 ? 0.0002 : 0.002; /* all of it between the two readings */
            burn_s(burn);
            maal_sb_resume(s->L);
            double moved = ts_s(&s->run.cpu_deadline) - d0,
                   took = clock_s(CLOCK_THREAD_CPUTIME_ID) - p0;
            if (moved < burn - 1e-6 || moved > took + 2e-3 + 1e-6)
                fail_msg("pause %d: the CPU deadline moved %.6f s for %.6f s of CPU", i, moved,
                         took);
        }
        burn_s(0.00002);
        maal_sb_stop(s->L);
    }
    maal_sb_idle();
    sb_free(s);
}

/* A rule that catches the time-limit error with pcall and loops on is stopped all the same:
 * the hook stays set and raises again at every instruction. */
static void test_sandbox_pcall_cannot_swallow_the_limit(void **state)
{
    enum mode m = use_mode(state);
    struct sb *s = sb_new(0.1);
    double c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
    maal_sb_start(s->L, &s->run, &s->lim, MAAL_SB_RULE);
    assert_watched(s->L, &s->run, m);
    char msg[256];
    assert_int_not_equal(sb_run(s, "local n = 0 while true do "
                                   "pcall(function() while true do end end) n = n + 1 end",
                                msg, sizeof(msg)),
                         LUA_OK);
    double cpu = clock_s(CLOCK_THREAD_CPUTIME_ID) - c0;
    assert_non_null(strstr(msg, "tidsgrænsen er overskredet"));
    assert_true(s->run.timed_out);
    /* raising at every instruction: the hook stays set with a count of 1 */
    assert_non_null(lua_gethook(s->L));
    assert_int_equal(lua_gethookcount(s->L), 1);
    if (cpu > 1.0)
        fail_msg("stopped late: %.3f s CPU for a limit of 0.1 s", cpu);
    /* and a further call in the same run is refused at once */
    assert_int_not_equal(sb_run(s, "local x = 1", msg, sizeof(msg)), LUA_OK);
    sb_free(s);
}

/* One state for many runs (a worker's session): each run gets its own deadline, a later run
 * is not stopped by an earlier one's timer, and once the thread is idle (maal_sb_idle, the end
 * of a worker's call) nothing is armed: no signal interrupts the thread (nanosleep would fail
 * with EINTR: SA_RESTART does not restart it). */
static void test_sandbox_runs_of_one_state_have_their_own_deadline(void **state)
{
    enum mode m = use_mode(state);
    struct sb *s = sb_new(0.1);
    char msg[256];
    for (int i = 0; i < 3; i++) {
        maal_sb_start(s->L, &s->run, &s->lim, MAAL_SB_RULE);
        assert_watched(s->L, &s->run, m);
        burn_s(0.06); /* 0.18 s in all, more than one limit */
        int rc = sb_run(s, SHORT_LOOP, msg, sizeof(msg));
        if (rc != LUA_OK)
            fail_msg("run %d was stopped by an earlier one's deadline: %s", i, msg);
        maal_sb_stop(s->L);
        /* between runs: the count hook with the ended run's deadline (nothing without one) */
        assert_false(s->run.timers);
        assert_non_null(lua_gethook(s->L));
    }
    maal_sb_idle();
    struct timespec t = {0, (long)((MAAL_WALL_CEILING(0.1) + 0.1) * 1e9)};
    burn_s(0.15);
    errno = 0;
    assert_int_equal(nanosleep(&t, NULL), 0);
    sb_free(s);
}

/* Between the goals of one worker call the timers stay armed, and a goal whose deadlines are
 * later than theirs keeps them as they are (no system call). One that fired between two
 * goals found no state: the next goal must arm them again, or its loop would never stop (the
 * test's alarm would end it). */
static void test_sandbox_timer_fired_between_goals_is_armed_again(void **state)
{
    enum mode m = use_mode(state);
    struct sb *s = sb_new(0.1);
    char msg[256];
    maal_sb_start(s->L, &s->run, &s->lim, MAAL_SB_RULE);
    assert_watched(s->L, &s->run, m);
    assert_int_equal(sb_run(s, SHORT_LOOP, msg, sizeof(msg)), LUA_OK);
    maal_sb_stop(s->L);
    /* both of the first goal's deadlines pass here, with no run on */
    burn_s(0.15);
    wait_s(MAAL_WALL_CEILING(0.1));
    maal_sb_start(s->L, &s->run, &s->lim, MAAL_SB_RULE);
    assert_watched(s->L, &s->run, m);
    double c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
    assert_int_not_equal(sb_run(s, "while true do end", msg, sizeof(msg)), LUA_OK);
    assert_non_null(strstr(msg, "tidsgrænsen er overskredet"));
    double cpu = clock_s(CLOCK_THREAD_CPUTIME_ID) - c0;
    if (cpu > 1.0)
        fail_msg("stopped late: %.3f s CPU for a limit of 0.1 s", cpu);
    sb_free(s);
}

/* A run started inside another on the same thread (the inner one ends first) is watched by
 * the count hook; the outer keeps its timers and is still stopped. */
static void test_sandbox_nested_run_keeps_the_outer_timers(void **state)
{
    (void)state;
    maal_sb_count_hook_only(false);
    struct sb *outer = sb_new(0.2), *inner = sb_new(0.2);
    maal_sb_start(outer->L, &outer->run, &outer->lim, MAAL_SB_RULE);
    assert_watched(outer->L, &outer->run, TIMERS);
    maal_sb_start(inner->L, &inner->run, &inner->lim, MAAL_SB_RULE);
    assert_watched(inner->L, &inner->run, COUNT);
    char msg[256];
    assert_int_not_equal(sb_run(inner, "while true do end", msg, sizeof(msg)), LUA_OK);
    assert_non_null(strstr(msg, "tidsgrænsen er overskredet"));
    sb_free(inner);
    assert_true(outer->run.timers);
    assert_int_not_equal(sb_run(outer, "while true do end", msg, sizeof(msg)), LUA_OK);
    assert_non_null(strstr(msg, "tidsgrænsen er overskredet"));
    sb_free(outer);
}

static volatile sig_atomic_t host_calls;
static void host_handler(int sig)
{
    (void)sig;
    host_calls++;
}

/* A host that takes maal's signal after maal installed its handler keeps it: the next run (of
 * the next worker call) is watched by the count hook, stopped all the same, and the host's handler is not replaced
 * (nor called: maal's timers are off). */
static void test_sandbox_host_handler_taken_later_is_left_alone(void **state)
{
    (void)state;
    maal_sb_count_hook_only(false);
    struct sb *s = sb_new(0.1);
    maal_sb_start(s->L, &s->run, &s->lim, MAAL_SB_RULE); /* maal's handler is installed */
    assert_watched(s->L, &s->run, TIMERS);
    maal_sb_stop(s->L);
    maal_sb_idle(); /* the end of a worker's call: the host runs */
    struct sigaction host, maal, now;
    memset(&host, 0, sizeof(host));
    host.sa_handler = host_handler;
    sigemptyset(&host.sa_mask);
    assert_int_equal(sigaction(MAAL_TIMER_SIGNAL, &host, &maal), 0);
    host_calls = 0;
    maal_sb_start(s->L, &s->run, &s->lim, MAAL_SB_RULE);
    assert_watched(s->L, &s->run, COUNT);
    char msg[256];
    assert_int_not_equal(sb_run(s, "while true do end", msg, sizeof(msg)), LUA_OK);
    assert_non_null(strstr(msg, "tidsgrænsen er overskredet"));
    maal_sb_stop(s->L);
    assert_int_equal(sigaction(MAAL_TIMER_SIGNAL, &maal, &now), 0);
    assert_ptr_equal(now.sa_handler, host_handler);
    assert_int_equal(host_calls, 0);
    sb_free(s);
}

/* A thread that blocks the signal would never get it: its runs use the count hook. */
static void test_sandbox_blocked_signal_uses_the_count_hook(void **state)
{
    (void)state;
    maal_sb_count_hook_only(false);
    maal_sb_idle(); /* the host's code, between worker calls, blocks it */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, MAAL_TIMER_SIGNAL);
    assert_int_equal(pthread_sigmask(SIG_BLOCK, &set, &old), 0);
    struct sb *s = sb_new(0.1);
    maal_sb_start(s->L, &s->run, &s->lim, MAAL_SB_RULE);
    assert_watched(s->L, &s->run, COUNT);
    char msg[256];
    assert_int_not_equal(sb_run(s, "while true do end", msg, sizeof(msg)), LUA_OK);
    assert_non_null(strstr(msg, "tidsgrænsen er overskredet"));
    sb_free(s);
    assert_int_equal(pthread_sigmask(SIG_SETMASK, &old, NULL), 0);
    /* pending: none (the timers were never armed for this thread's run) */
    sigset_t pending;
    sigpending(&pending);
    assert_false(sigismember(&pending, MAAL_TIMER_SIGNAL));
}

/* Each thread has its own timers: two threads' loops are stopped, each by its own CPU time. */
static void *thread_loop(void *arg)
{
    (void)arg;
    struct sb *s = sb_new(0.2);
    maal_sb_start(s->L, &s->run, &s->lim, MAAL_SB_RULE);
    bool watched = s->run.timers && !lua_gethook(s->L);
    char msg[256];
    int rc = sb_run(s, "while true do end", msg, sizeof(msg));
    bool ok = watched && rc != LUA_OK && strstr(msg, "tidsgrænsen er overskredet");
    sb_free(s);
    return ok ? arg : NULL;
}

static void test_sandbox_threads_have_their_own_timers(void **state)
{
    (void)state;
    maal_sb_count_hook_only(false);
    pthread_t t[2];
    int tag[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, thread_loop, &tag[i]), 0);
    for (int i = 0; i < 2; i++) {
        void *r;
        assert_int_equal(pthread_join(t[i], &r), 0);
        assert_ptr_equal(r, &tag[i]);
    }
}

/* A state's small blocks come from its pool: tables and strings that grow through every
 * size class and past it (into malloc's blocks and back) keep their contents, the count of
 * bytes in use comes back once the garbage is collected, and a state
 * made again with the same 'run' starts from an empty pool. */
static void test_sandbox_pool_blocks_keep_their_contents(void **state)
{
    (void)state;
    struct sb *s = sb_new(10);
    lua_gc(s->L, LUA_GCCOLLECT);
    size_t before = s->run.used;
    char msg[256];
    const char *code =
        "local t = {}\n"
        "for i = 1, 300 do t[i] = i * 3 end\n"                   /* the array part grows */
        "for i = 1, 300 do assert(t[i] == i * 3, 'array ' .. i) end\n"
        "for i = 300, 1, -1 do t[i] = nil end\n"
        "local h = {}\n"
        "for i = 1, 100 do h['k' .. i] = string.rep('v', i) end\n" /* the hash part grows */
        "for i = 1, 100 do assert(h['k' .. i] == string.rep('v', i), 'hash ' .. i) end\n"
        "local parts = {}\n"
        "for n = 1, 600 do\n"                                    /* strings of every size */
        "  local x = string.rep(string.char(65 + n % 26), n)\n"
        "  assert(#x == n and x:sub(n, n) == string.char(65 + n % 26), 'string ' .. n)\n"
        "  parts[#parts + 1] = x\n"
        "end\n"
        "local joined = table.concat(parts)\n"
        "assert(#joined == 600 * 601 // 2, 'joined')\n";
    assert_int_equal(sb_run(s, code, msg, sizeof(msg)), LUA_OK);
    lua_gc(s->L, LUA_GCCOLLECT);
    /* what stays: the string table grown a size or two (≈ 2.4 KB), not the 190 KB made */
    if (s->run.used > before + 8192)
        fail_msg("%zu bytes in use after the garbage was collected, %zu before", s->run.used,
                 before);
    maal_sb_close(s->L);
    for (size_t c = 0; c < MAAL_POOL_MAX / 16; c++)
        assert_null(s->run.pool.free[c]);
    assert_null(s->run.pool.chunks);
    s->L = maal_sb_new_state(&s->run);
    assert_non_null(s->L);
    assert_int_equal(sb_run(s, code, msg, sizeof(msg)), LUA_OK);
    sb_free(s);
}

int main(void)
{
    alarm(120); /* a loop that nothing stops fails the test instead of hanging it */
#define BOTH(t) cmocka_unit_test_prestate(t, &timers), cmocka_unit_test_prestate(t, &count)
    const struct CMUnitTest tests[] = {
        BOTH(test_sandbox_wall_time_without_cpu_is_not_the_limit),
        BOTH(test_sandbox_wall_ceiling_still_stops),
        BOTH(test_sandbox_cpu_time_stops_a_loop),
        BOTH(test_sandbox_pause_stops_both_clocks),
        BOTH(test_sandbox_pcall_cannot_swallow_the_limit),
        BOTH(test_sandbox_cpu_deadline_within_its_bound),
        BOTH(test_sandbox_runs_of_one_state_have_their_own_deadline),
        BOTH(test_sandbox_timer_fired_between_goals_is_armed_again),
        cmocka_unit_test(test_sandbox_nested_run_keeps_the_outer_timers),
        cmocka_unit_test(test_sandbox_blocked_signal_uses_the_count_hook),
        cmocka_unit_test(test_sandbox_threads_have_their_own_timers),
        cmocka_unit_test(test_sandbox_host_handler_taken_later_is_left_alone),
        cmocka_unit_test(test_sandbox_pool_blocks_keep_their_contents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
