/* test_sandbox: the sandbox's time limit (core/sandbox.c) is the CPU time of the thread that
 * runs the rule, with a wall-clock ceiling of MAAL_WALL_CEILING: wall time that passes while
 * the thread does not run (a busy machine) does not stop a rule, CPU time does, and the
 * ceiling still stops a thread that waits. The waiting is done in C with nanosleep, which is
 * what a thread that gets no CPU on a loaded machine looks like to the rule. */
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

#include "sandbox.h"

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
    (void)state;
    struct sb *s = sb_new(0.4);
    maal_sb_start(s->L, &s->run, &s->lim, MAAL_SB_RULE);
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
    (void)state;
    struct sb *s = sb_new(0.1);
    maal_sb_start(s->L, &s->run, &s->lim, MAAL_SB_RULE);
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
    (void)state;
    struct sb *s = sb_new(0.2);
    double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
    maal_sb_start(s->L, &s->run, &s->lim, MAAL_SB_RULE);
    char msg[256];
    assert_int_not_equal(sb_run(s, "while true do end", msg, sizeof(msg)), LUA_OK);
    double wall = clock_s(CLOCK_MONOTONIC) - w0, cpu = clock_s(CLOCK_THREAD_CPUTIME_ID) - c0;
    assert_non_null(strstr(msg, "tidsgrænsen er overskredet"));
    if (cpu < 0.2 && wall < MAAL_WALL_CEILING(0.2))
        fail_msg("stopped early: %.3f s CPU, %.3f s wall", cpu, wall);
    if (cpu > 1.0)
        fail_msg("stopped late: %.3f s CPU for a limit of 0.2 s", cpu);
    sb_free(s);
}

/* Between pause and resume (maal building the data's tables) neither clock counts. */
static void test_sandbox_pause_stops_both_clocks(void **state)
{
    (void)state;
    struct sb *s = sb_new(0.2);
    maal_sb_start(s->L, &s->run, &s->lim, MAAL_SB_RULE);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sandbox_wall_time_without_cpu_is_not_the_limit),
        cmocka_unit_test(test_sandbox_wall_ceiling_still_stops),
        cmocka_unit_test(test_sandbox_cpu_time_stops_a_loop),
        cmocka_unit_test(test_sandbox_pause_stops_both_clocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
