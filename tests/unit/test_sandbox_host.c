/* test_sandbox_host: a host (a program that embeds libmaal) that set its own handler for
 * MAAL_TIMER_SIGNAL before libmaal first ran a rule keeps it: libmaal installs nothing, every
 * run is watched by the count hook, and rules are stopped all the same. Its own binary: the
 * handler is chosen once per process, at the first run (test_sandbox has maal's). */
#include <lauxlib.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sandbox.h"

static volatile sig_atomic_t host_calls;

static void host_handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)si;
    (void)uc;
    host_calls++;
}

/* runs 'code' in a fresh state under a limit of 0.1 s; LUA_OK or the error status */
static int run_rule(const char *code, bool *timers, bool *timed_out)
{
    struct run run;
    memset(&run, 0, sizeof(run));
    run.limit = 64u << 20;
    run.lang = MAAL_LANG_DA;
    struct maal_limits lim;
    maal_limits_default(&lim);
    lim.rule_timeout = 0.1;
    lua_State *L = maal_sb_new_state(&run);
    assert_non_null(L);
    maal_sb_start(L, &run, &lim, MAAL_SB_RULE);
    *timers = run.timers;
    assert_int_equal(luaL_loadstring(L, code), LUA_OK);
    int rc = lua_pcall(L, 0, 0, 0);
    if (rc != LUA_OK)
        assert_non_null(strstr(lua_tostring(L, -1), "tidsgrænsen er overskredet"));
    *timed_out = run.timed_out;
    maal_sb_close(L);
    return rc;
}

static void test_host_handler_is_kept_and_rules_still_stop(void **state)
{
    (void)state;
    bool timers, timed_out;
    assert_int_not_equal(run_rule("while true do end", &timers, &timed_out), LUA_OK);
    assert_false(timers);
    assert_true(timed_out);
    assert_int_not_equal(
        run_rule("while true do pcall(function() while true do end end) end", &timers, &timed_out),
        LUA_OK);
    assert_false(timers);
    assert_true(timed_out);
    struct sigaction now;
    assert_int_equal(sigaction(MAAL_TIMER_SIGNAL, NULL, &now), 0);
    assert_ptr_equal(now.sa_sigaction, host_handler);
    assert_int_equal(host_calls, 0);
    /* the host's handler still works: libmaal did not take the signal */
    raise(MAAL_TIMER_SIGNAL);
    assert_int_equal(host_calls, 1);
}

/* once the choice is made, a host that gives the signal back does not change it: the count
 * hook serves for the rest of the process (no handler of maal's appears later) */
static void test_choice_is_once_per_process(void **state)
{
    (void)state;
    struct sigaction dfl, now;
    memset(&dfl, 0, sizeof(dfl));
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    assert_int_equal(sigaction(MAAL_TIMER_SIGNAL, &dfl, NULL), 0);
    bool timers, timed_out;
    assert_int_not_equal(run_rule("while true do end", &timers, &timed_out), LUA_OK);
    assert_false(timers);
    assert_int_equal(sigaction(MAAL_TIMER_SIGNAL, NULL, &now), 0);
    assert_ptr_equal(now.sa_handler, SIG_DFL);
}

int main(void)
{
    alarm(120); /* a loop that nothing stops fails the test instead of hanging it */
    struct sigaction host;
    memset(&host, 0, sizeof(host));
    host.sa_sigaction = host_handler;
    host.sa_flags = SA_SIGINFO;
    sigemptyset(&host.sa_mask);
    if (sigaction(MAAL_TIMER_SIGNAL, &host, NULL) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_host_handler_is_kept_and_rules_still_stop),
        cmocka_unit_test(test_choice_is_once_per_process),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
