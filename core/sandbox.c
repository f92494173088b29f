/* sandbox: the one place that runs Lua code from outside maal (sandbox.h). */
#define _GNU_SOURCE /* gettid, SIGEV_THREAD_ID */
#include "sandbox.h"

#include <lauxlib.h>
#include <lualib.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msgfmt.h"
#include "plugin.h"

extern const char maal_prelude_lua[];
extern const size_t maal_prelude_lua_len;
/* the prelude compiled at build time (mk/luac.c): maal's own bytecode, never from outside */
extern const char maal_prelude_bc[];
extern const size_t maal_prelude_bc_len;

static struct run *run_of(lua_State *L)
{
    return *(struct run **)lua_getextraspace(L);
}

static bool ts_reached(const struct timespec *now, const struct timespec *t)
{
    return now->tv_sec > t->tv_sec || (now->tv_sec == t->tv_sec && now->tv_nsec >= t->tv_nsec);
}

/* t += secs (secs >= 0) */
static void ts_add(struct timespec *t, double secs)
{
    t->tv_sec += (time_t)secs;
    t->tv_nsec += (long)((secs - floor(secs)) * 1e9);
    if (t->tv_nsec >= 1000000000L) {
        t->tv_sec++;
        t->tv_nsec -= 1000000000L;
    }
}

/* t += to - from */
static void ts_shift(struct timespec *t, const struct timespec *from, const struct timespec *to)
{
    t->tv_sec += to->tv_sec - from->tv_sec;
    t->tv_nsec += to->tv_nsec - from->tv_nsec;
    if (t->tv_nsec >= 1000000000L) {
        t->tv_sec++;
        t->tv_nsec -= 1000000000L;
    } else if (t->tv_nsec < 0) {
        t->tv_sec--;
        t->tv_nsec += 1000000000L;
    }
}

/* ---- the thread's CPU clock, read as seldom as it can be ----
 * CLOCK_THREAD_CPUTIME_ID is a system call (1-2 µs here); CLOCK_MONOTONIC is not (vDSO). A
 * thread's CPU time grows no faster than the monotonic clock, so one reading of both (the
 * monotonic clock first) taken at most CPU_REUSE_NS ago bounds the CPU clock now: at least
 * that reading, at most that reading plus the monotonic time since. A goal's start and the
 * pause around building its data use those bounds instead of a reading of their own, always
 * in the rule's favour (its CPU deadline from the upper bound at its start, a pause as the
 * upper bound at its end minus the lower bound at its start): a rule gets at least its limit
 * and at most CPU_REUSE_NS more at its start and 2 × CPU_REUSE_NS more per pause (one per goal
 * at most: 3 ms on a limit of 1 s). 14 CPU clock readings per file of the bench became about
 * one (docs/performance.md, "System calls"). */
#define CPU_REUSE_NS 1000000L

struct cpu_seen {
    struct timespec mono, cpu; /* read in that order */
    bool valid;
};
static _Thread_local struct cpu_seen cpu_seen;
static pthread_once_t cpu_seen_once = PTHREAD_ONCE_INIT;

/* a child after fork: its thread's CPU clock starts again from zero */
static void cpu_seen_forked(void)
{
    cpu_seen.valid = false;
}

static void cpu_seen_init(void)
{
    pthread_atfork(NULL, NULL, cpu_seen_forked);
}

static void cpu_seen_set(const struct timespec *mono, const struct timespec *cpu)
{
    cpu_seen.mono = *mono;
    cpu_seen.cpu = *cpu;
    cpu_seen.valid = true;
}

/* With 'now' the monotonic clock just read: bounds of the thread's CPU clock now (lo and/or
 * hi may be NULL), from the last reading when it is recent enough, else read. */
static void cpu_bounds(const struct timespec *now, struct timespec *lo, struct timespec *hi)
{
    pthread_once(&cpu_seen_once, cpu_seen_init);
    if (cpu_seen.valid) {
        long long ns = (long long)(now->tv_sec - cpu_seen.mono.tv_sec) * 1000000000LL +
                       (now->tv_nsec - cpu_seen.mono.tv_nsec);
        if (ns >= 0 && ns <= CPU_REUSE_NS) {
            if (lo)
                *lo = cpu_seen.cpu;
            if (hi) {
                *hi = cpu_seen.cpu;
                ts_shift(hi, &cpu_seen.mono, now);
            }
            return;
        }
    }
    struct timespec cpu;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
    cpu_seen_set(now, &cpu);
    if (lo)
        *lo = cpu;
    if (hi)
        *hi = cpu;
}

/* The thread's CPU clock read now ('mono' the monotonic clock read just before), and kept for
 * cpu_bounds. */
static void cpu_read(const struct timespec *mono, struct timespec *cpu)
{
    pthread_once(&cpu_seen_once, cpu_seen_init);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, cpu);
    cpu_seen_set(mono, cpu);
}

/* The limit is the thread's CPU time, so a busy machine does not stop a rule early; the wall
 * clock is a ceiling (MAAL_WALL_CEILING) for a thread that runs without using CPU time. A
 * thread uses at most as much CPU time as passes on the wall clock: before cpu_from its CPU
 * clock (a system call, where the monotonic clock is not) is not read. */
static bool past(const struct run *r)
{
    struct timespec now, cpu;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (ts_reached(&now, &r->deadline))
        return true;
    if (!ts_reached(&now, &r->cpu_from))
        return false;
    cpu_read(&now, &cpu);
    return ts_reached(&cpu, &r->cpu_deadline);
}

/* Time maal spends building the partnership's tables in the state (push_data) is
 * not the rule's: the deadlines move by it (the CPU one by at least the CPU time it took:
 * cpu_bounds). */
void maal_sb_pause(lua_State *L)
{
    struct run *r = run_of(L);
    clock_gettime(CLOCK_MONOTONIC, &r->paused);
    cpu_bounds(&r->paused, &r->paused_cpu, NULL);
}

void maal_sb_resume(lua_State *L)
{
    struct run *r = run_of(L);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    ts_shift(&r->deadline, &r->paused, &now);
    ts_shift(&r->cpu_from, &r->paused, &now);
    struct timespec cpu;
    cpu_bounds(&now, NULL, &cpu);
    ts_shift(&r->cpu_deadline, &r->paused_cpu, &cpu);
}

/* Whether a deadline has passed, both clocks read (the hook in timer mode: called rarely). */
static bool past_now(const struct run *r)
{
    struct timespec now, cpu;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (ts_reached(&now, &r->deadline))
        return true;
    cpu_read(&now, &cpu);
    return ts_reached(&cpu, &r->cpu_deadline);
}

static void hook(lua_State *L, lua_Debug *ar);

/* ---- the deadline's timers ----
 * A count hook makes Lua 5.4 call luaG_traceexec before every instruction, whatever the
 * count (6 % of a check). So where it can, the sandbox runs a goal with no hook at all and
 * one POSIX timer of the thread on the monotonic clock, sending MAAL_TIMER_SIGNAL to this
 * thread alone (SIGEV_THREAD_ID). It is armed at the first time either deadline can have
 * passed: the ceiling, or cpu_from (a thread uses no more CPU time than passes on the
 * monotonic clock); when it fires and the CPU time is not used up, the hook arms it again at
 * the first time the rest can be (at least STEP_NS later), so a rule that runs all the time
 * is stopped at its limit plus at most STEP_NS, on a busy machine after a few more firings.
 * (Two timers, one on the thread's CPU clock, cost two more system calls per worker call: to
 * arm it and to disarm it.)
 * The handler only sets the hook (count 1) on the state being run, which Lua allows in a
 * signal handler (ldebug.c, lua_sethook; lua.c stops a script on SIGINT so), and the VM sees
 * it at the next jump or call. From there the hook is the one of the count mode: it raises,
 * and keeps raising at every instruction.
 * The count hook (every 1000 instructions) stays wherever timers cannot serve: the signal
 * has a handler maal did not install or is blocked in the thread, a timer cannot be made or
 * armed, a run inside another run on the same thread, no SIGEV_THREAD_ID (not Linux),
 * MAAL_COUNT_HOOK set, or maal_sb_count_hook_only(true). */
#if defined(__linux__) && defined(SIGEV_THREAD_ID)
#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid /* glibc before 2.35 names no field */
#endif

/* the least the hook arms the timer ahead for CPU time still left: a rule that has the CPU
 * all the time overruns its limit by at most this; at a share s of the CPU the rest shrinks
 * by s each firing */
#define STEP_NS 1000000L

/* A thread's timer and the state it watches (NULL: none). The handler reaches this through
 * the timer's value (si_value), never through thread-local storage, and only this thread
 * gets the signal, so the struct is alive whenever the handler runs. */
struct watch {
    lua_State *volatile L;
    timer_t timer; /* CLOCK_MONOTONIC */
    bool made, failed;
    bool armed;         /* the timer may be armed: maal_sb_idle disarms it */
    struct timespec at; /* when it was armed to expire */
    bool checked; /* the handler and the mask were found usable since the last maal_sb_idle */
};
static _Thread_local struct watch watch;

static pthread_once_t timers_once = PTHREAD_ONCE_INIT;
static bool timers_ok; /* the handler is maal's: set once, by timers_init */
static pthread_key_t watch_key;
static atomic_bool count_only;

static void on_timer(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    if (si->si_code != SI_TIMER) /* a kill() or sigqueue() of the signal: not a deadline */
        return;
    struct watch *w = si->si_value.sival_ptr;
    lua_State *L = w->L;
    if (L)
        lua_sethook(L, hook, LUA_MASKCOUNT, 1);
}

/* at the end of a thread: its timers go with it */
static void watch_end(void *p)
{
    struct watch *w = p;
    w->L = NULL;
    if (w->made)
        timer_delete(w->timer);
    w->made = false;
}

/* in a child after fork: the parent's timers are not the child's */
static void watch_forked(void)
{
    watch.L = NULL;
    watch.made = watch.failed = watch.armed = watch.checked = false;
}

/* Once per process: the handler, only where nobody has one (SIG_DFL); a handler the host set,
 * or SIG_IGN, is left alone and the count hook serves. */
static void timers_init(void)
{
    const char *env = getenv("MAAL_COUNT_HOOK");
    if (env && *env && strcmp(env, "0") != 0)
        return;
    struct sigaction old;
    if (sigaction(MAAL_TIMER_SIGNAL, NULL, &old) != 0 || (old.sa_flags & SA_SIGINFO) ||
        old.sa_handler != SIG_DFL)
        return;
    if (pthread_key_create(&watch_key, watch_end) != 0)
        return;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_timer;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(MAAL_TIMER_SIGNAL, &sa, NULL) != 0)
        return;
    pthread_atfork(NULL, NULL, watch_forked);
    timers_ok = true;
}

/* Whether this thread can be watched by timers now. The handler and the thread's mask are
 * checked at the first run after maal_sb_idle (a worker's call from the host: the host may
 * have taken the signal or blocked it since; within the call only maal runs on the thread). */
static bool timers_usable(void)
{
    if (atomic_load(&count_only))
        return false;
    pthread_once(&timers_once, timers_init);
    if (!timers_ok || watch.failed)
        return false;
    if (watch.checked)
        return true;
    struct sigaction cur;
    sigset_t mask;
    if (sigaction(MAAL_TIMER_SIGNAL, NULL, &cur) != 0 || !(cur.sa_flags & SA_SIGINFO) ||
        cur.sa_sigaction != on_timer)
        return false;
    if (pthread_sigmask(SIG_BLOCK, NULL, &mask) != 0 || sigismember(&mask, MAAL_TIMER_SIGNAL))
        return false;
    if (watch.made)
        return watch.checked = true;
    struct sigevent ev;
    memset(&ev, 0, sizeof(ev));
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = MAAL_TIMER_SIGNAL;
    ev.sigev_value.sival_ptr = &watch;
    ev.sigev_notify_thread_id = gettid();
    if (timer_create(CLOCK_MONOTONIC, &ev, &watch.timer) != 0) {
        watch.failed = true; /* not again for every goal */
        return false;
    }
    watch.made = watch.checked = true;
    pthread_setspecific(watch_key, &watch);
    return true;
}

/* The first time the run's deadlines can have passed, 'now' and 'now_cpu' the clocks as read
 * last (now_cpu NULL: at the run's start, cpu_from): the ceiling, or when the CPU time still
 * left can have been used, at least STEP_NS from now. */
static struct timespec first_due(const struct run *r, const struct timespec *now,
                                 const struct timespec *now_cpu)
{
    struct timespec at = r->cpu_from;
    if (now_cpu) {
        long long left = (long long)(r->cpu_deadline.tv_sec - now_cpu->tv_sec) * 1000000000LL +
                         (r->cpu_deadline.tv_nsec - now_cpu->tv_nsec);
        at = *now;
        ts_add(&at, (double)(left > STEP_NS ? left : STEP_NS) / 1e9);
    }
    return ts_reached(&at, &r->deadline) ? r->deadline : at;
}

/* The timer at 'at' (absolute: a time already passed fires at once). */
static bool arm(const struct timespec *at)
{
    watch.armed = true;
    watch.at = *at;
    struct itimerspec t = {.it_value = *at};
    return timer_settime(watch.timer, TIMER_ABSTIME, &t, NULL) == 0;
}

/* The timer off: a signal already due arrives before this returns (the thread has it
 * unblocked), so none comes after. */
static void disarm(void)
{
    struct itimerspec off;
    memset(&off, 0, sizeof(off));
    timer_settime(watch.timer, 0, &off, NULL);
    watch.armed = false;
}

/* Before the run's deadlines are read: whether the timer can watch L's run. The hook goes
 * off first, then the watch names L: a timer that fires from then on sets the hook again. */
static bool watch_begin(lua_State *L)
{
    if (watch.L && watch.L != L)
        return false; /* a run inside another's: that one keeps the timer */
    if (!timers_usable()) {
        watch.L = NULL;
        if (watch.armed)
            disarm();
        return false;
    }
    lua_sethook(L, NULL, 0, 0);
    watch.L = L;
    return true;
}

/* After watch_begin, with the monotonic clock as read after it ('now'): the timer at the
 * run's first due time. A timer still armed by an earlier goal of this worker call serves as
 * it is when it expires no later than that and has not expired yet (read after watch_begin:
 * one that expired before found no state, and then 'now' is past it): the hook arms it for
 * this run when it fires (watch_again). No system call for most goals. */
static bool watch_arm(const struct run *r, const struct timespec *now)
{
    struct timespec due = first_due(r, now, NULL);
    if (watch.armed && ts_reached(&due, &watch.at) && !ts_reached(now, &watch.at))
        return true;
    if (arm(&due))
        return true;
    disarm();
    watch.L = NULL;
    return false;
}

/* The timer fired before a deadline (armed for an earlier run, a deadline that
 * maal_sb_resume moved, or CPU time left): off again and armed for the deadlines as they are
 * now. The hook goes off before the clocks are read and the timer armed, so a deadline
 * passed meanwhile sets it again: also when its signal came in the middle of this
 * lua_sethook and its setting was lost (an absolute time already passed fires at once). */
static bool watch_again(lua_State *L, const struct run *r)
{
    if (watch.L != L)
        return false;
    lua_sethook(L, NULL, 0, 0);
    struct timespec now, cpu;
    clock_gettime(CLOCK_MONOTONIC, &now);
    cpu_read(&now, &cpu);
    struct timespec due = first_due(r, &now, &cpu);
    return arm(&due);
}

/* The run has ended: a timer that fires from now on finds no state and does nothing. The
 * timer stays armed for the next goal (watch_arm) until maal_sb_idle: a goal is ≈ 50 µs of
 * CPU, a timer_settime ≈ 1 µs, and two per goal ate much of the hook's saving. */
static void watch_stop(lua_State *L)
{
    if (watch.L == L)
        watch.L = NULL;
}

static void watch_idle(void)
{
    if (watch.L)
        return; /* a run is on: its timer stays */
    if (watch.armed)
        disarm();
    watch.checked = false;
}
#else
static atomic_bool count_only;
static bool watch_begin(lua_State *L)
{
    (void)L;
    return false;
}
static bool watch_arm(const struct run *r, const struct timespec *now)
{
    (void)r;
    (void)now;
    return false;
}
static bool watch_again(lua_State *L, const struct run *r)
{
    (void)L;
    (void)r;
    return false;
}
static void watch_stop(lua_State *L)
{
    (void)L;
}
static void watch_idle(void)
{
}
#endif

void maal_sb_count_hook_only(bool on)
{
    atomic_store(&count_only, on);
}

/* Past a deadline: from now on raise at every instruction, so a pcall in the rule cannot
 * carry on. */
static int time_out(lua_State *L, struct run *r)
{
    if (!r->timed_out) {
        r->timed_out = true;
        lua_sethook(L, hook, LUA_MASKCOUNT, 1);
    }
    return luaL_error(L, "%s", TR(r->lang, "tidsgrænsen er overskredet", "time limit exceeded"));
}

static void hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    struct run *r = run_of(L);
    if (r->timed_out || (r->timers ? past_now(r) : past(r)))
        time_out(L, r);
    if (r->timers && !watch_again(L, r)) {
        r->timers = false; /* the count hook from here on */
        lua_sethook(L, hook, LUA_MASKCOUNT, 1000);
    }
}

static int msgh(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (!msg) /* never call __tostring here: it could raise or loop */
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    luaL_traceback(L, L, msg, 1);
    return 1;
}

static int l_fmt(lua_State *L)
{
    lua_Number x = luaL_checknumber(L, 1);
    lua_Integer dec = luaL_optinteger(L, 2, -1);
    const char *lang = luaL_optstring(L, 3, "da");
    char out[64];
    maal_fmt_number(out, sizeof(out), (double)x, dec < -1 ? -1 : dec > 6 ? 6 : (int)dec,
                    strcmp(lang, "en") == 0 ? MAAL_LANG_EN : MAAL_LANG_DA);
    lua_pushstring(L, out);
    return 1;
}

/* Whether a value has a metatable, whatever its __metatable field pretends. */
static int l_has_meta(lua_State *L)
{
    int has = lua_getmetatable(L, 1);
    if (has)
        lua_pop(L, 1);
    lua_pushboolean(L, has);
    return 1;
}

static int l_timed_out(lua_State *L)
{
    lua_pushboolean(L, run_of(L)->timed_out);
    return 1;
}

/* The hook looks at the clock every 1000 instructions (or is set by a timer at the deadline),
 * and a call of a guarded C function is a few instructions: the guards call this first, so a
 * loop of long C calls stops at the first one that starts after the deadline. */
static int l_deadline(lua_State *L)
{
    struct run *r = run_of(L);
    if (r->timed_out || past(r))
        time_out(L, r);
    return 0;
}

/* The C helpers the prelude receives as its argument. */
static void push_c_helpers(lua_State *L)
{
    lua_createtable(L, 0, 8);
    lua_pushcfunction(L, l_deadline);
    lua_setfield(L, -2, "deadline");
    lua_pushcfunction(L, l_fmt);
    lua_setfield(L, -2, "fmt");
    lua_pushcfunction(L, maal_lua_msg);
    lua_setfield(L, -2, "msg");
    lua_pushcfunction(L, maal_lua_say);
    lua_setfield(L, -2, "say");
    lua_pushcfunction(L, l_timed_out);
    lua_setfield(L, -2, "timed_out");
    lua_pushcfunction(L, l_has_meta);
    lua_setfield(L, -2, "has_meta");
    lua_pushinteger(L, MAAL_YEAR_MIN);
    lua_setfield(L, -2, "year_min");
    lua_pushinteger(L, MAAL_YEAR_MAX);
    lua_setfield(L, -2, "year_max");
}

/* Opening the libraries allocates: done under lua_pcall so running out of memory is an error
 * and not Lua's panic (abort). */
static int open_libs(lua_State *L)
{
    static const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base},        {LUA_STRLIBNAME, luaopen_string},
                                    {LUA_TABLIBNAME, luaopen_table},  {LUA_MATHLIBNAME, luaopen_math},
                                    {LUA_UTF8LIBNAME, luaopen_utf8},  {NULL, NULL}};
    for (const luaL_Reg *l = libs; l->func; l++) {
        luaL_requiref(L, l->name, l->func, 1);
        lua_pop(L, 1);
    }
    /* what no rule may reach, removed before any rule code runs */
    static const char *const drop[] = {"dofile", "loadfile", "load", "require", "collectgarbage",
                                       "print", NULL};
    for (const char *const *d = drop; *d; d++) {
        lua_pushnil(L);
        lua_setglobal(L, *d);
    }
    lua_getglobal(L, "string");
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    lua_pop(L, 1);
    return 0;
}

lua_State *maal_sb_new_state(struct run *run)
{
    lua_State *L = lua_newstate(maal_sb_alloc, run);
    if (!L) {
        maal_sb_pool_release(&run->pool);
        return NULL;
    }
    *(struct run **)lua_getextraspace(L) = run;
    /* a collection cycle when the heap reaches 3 times what the last one kept (Lua's default
     * is 2): a worker's state keeps its libraries, prelude and rules, and most of what a goal
     * makes is garbage at its end, so half the cycles mark the same objects again for little.
     * Garbage past the goal's memory limit is collected by Lua before the limit counts
     * (maal_sb_alloc), and eval.c collects after a goal that left half its limit behind. Measured
     * (docs/performance.md): 2 -> 4: -4.3 M instructions on 100 files, +0.6 MB peak RSS;
     * generational mode was slower. 4 -> 3 (issue 19's last step): +1.3 M instructions
     * (+0.35 %), peak RSS of 2000 files 5.9 -> 5.2 MB: with libxlsxwriter no longer loaded at
     * start the 10-file run is smaller, and at 4 the RSS all/10 ratio reached 1.23-1.30. */
    lua_gc(L, LUA_GCINC, 300, 0, 0);
    lua_pushcfunction(L, open_libs);
    if (lua_pcall(L, 0, 0, 0) != LUA_OK) {
        lua_close(L);
        maal_sb_pool_release(&run->pool);
        return NULL;
    }
    return L;
}

static int bc_writer(lua_State *L, const void *p, size_t sz, void *ud)
{
    (void)L;
    struct maal_buf *b = ud;
    maal_buf_add(b, p, sz);
    return b->oom;
}

/* Load a chunk from maal's own compiled copy when there is one, else from the text (mode
 * "t": the only way code from outside gets in) and keep a compiled copy for the next goal.
 * Parsing the prelude and a rule for every goal was most of the time of a check. */
static int load_cached(lua_State *L, const char *text, size_t len, const char *name, char **bc,
                       size_t *bclen)
{
    if (bc && *bc)
        return luaL_loadbufferx(L, *bc, *bclen, name, "b");
    int rc = luaL_loadbufferx(L, text, len, name, "t");
    if (rc == LUA_OK && bc) {
        struct maal_buf b = MAAL_BUF_INIT;
        if (lua_dump(L, bc_writer, &b, 0) == 0 && !b.oom && b.s) {
            *bc = b.s;
            *bclen = b.len;
        } else {
            maal_buf_release(&b);
        }
    }
    return rc;
}

/* The kept main function of a rule file lets go of this goal's _ENV once it has run: the
 * closures it made (evaluate) keep theirs for this goal, and the goal's globals become garbage
 * when the goal ends, not when the same rule file runs again (40 rule files each keeping 60
 * MiB in a global held 2.4 GB). */
static void forget_env(lua_State *L, int host, unsigned long serial)
{
    lua_getfield(L, host, "rule_fns");
    lua_rawgeti(L, -1, (lua_Integer)serial);
    lua_getfield(L, host, "upvalue_of");
    lua_pushnil(L);
    lua_call(L, 1, 1);
    if (lua_type(L, -2) == LUA_TFUNCTION)
        lua_upvaluejoin(L, -2, 1, -1, 1);
    lua_pop(L, 3);
}

/* require(NAME) in a rule: NAME.lua from the folder the rule itself is in, for helper code
 * shared by a partnership's rules. Only a plain name ([a-z0-9_], no path), a regular file
 * inside that folder (no symlink out), loaded as text with the goal's own globals; the
 * text is kept per worker state (registry "maal.modules"), the module's value per run of the
 * rule's main chunk (per goal, or kept with the rule: keep.h).
 * Upvalues: 1 the folder, 2 the goal's loaded modules, 3 the keeper of the rule's _ENV box: a
 * module's _ENV is the rule's own box, so its functions see the globals the rule's closures
 * see (each goal's own when the rule is kept, keep.h). */
static int l_require(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    enum maal_lang lang = run_of(L)->lang;
    size_t n = strlen(name);
    bool ok = n > 0 && n <= 64;
    for (const char *c = name; ok && *c; c++)
        ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_';
    if (!ok)
        return luaL_error(L, TR(lang, "require: '%s' er ikke et modulnavn, forventede et navn "
                                      "af a-z, 0-9 og _ (filen NAVN.lua i reglens mappe)",
                                "require: '%s' is not a module name, expected a name of a-z, "
                                "0-9 and _ (the file NAME.lua in the rule's folder)"),
                          name);
    lua_getfield(L, lua_upvalueindex(2), name);
    if (lua_toboolean(L, -1))
        return 1;
    if (lua_type(L, -1) == LUA_TBOOLEAN)
        return luaL_error(L, TR(lang, "require: '%s' kræver sig selv (en kreds af require)",
                                "require: '%s' requires itself (a cycle of requires)"), name);
    lua_pop(L, 1);
    const char *dir = lua_tostring(L, lua_upvalueindex(1));
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s.lua", dir, name);
    if (lua_getfield(L, LUA_REGISTRYINDEX, "maal.modules") != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, "maal.modules");
    }
    if (lua_getfield(L, -1, path) != LUA_TSTRING) {
        lua_pop(L, 1);
        /* a regular file, inside the folder also after links (as rules.c) */
        bool inside = maal_entry_inside(dir, path, name);
        if (!inside)
            return luaL_error(L, TR(lang, "require: intet modul '%s', forventede filen %s",
                                    "require: no module '%s', expected the file %s"),
                              name, path);
        char *text;
        size_t len;
        struct maal_error e;
        if (maal_read_capped(path, 1u << 20, &text, &len, &e, lang) != MAAL_OK)
            return luaL_error(L, "require: %s", e.msg);
        lua_pushlstring(L, text, len);
        maal_free(text);
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, path);
    }
    size_t len;
    const char *text = lua_tolstring(L, -1, &len);
    lua_pushfstring(L, "@%s", path);
    if (luaL_loadbufferx(L, text, len, lua_tostring(L, -1), "t") != LUA_OK)
        return lua_error(L);
    lua_pushvalue(L, lua_upvalueindex(3));
    lua_upvaluejoin(L, -2, 1, -1, 1); /* _ENV: the rule's own (the goal's globals) */
    lua_pop(L, 1);
    lua_pushboolean(L, 0);    /* loading: a require of it now is a cycle */
    lua_setfield(L, lua_upvalueindex(2), name);
    lua_call(L, 0, 1);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, lua_upvalueindex(2), name);
    return 1;
}

const lua_CFunction maal_sb_require_fn = l_require;

/* env.require for the rule file at 'path' (env and the keeper of its box at these indexes) */
static void set_require(lua_State *L, int env, int keeper, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash)
        lua_pushlstring(L, path, (size_t)(slash - path));
    else
        lua_pushliteral(L, ".");
    lua_newtable(L);
    lua_pushvalue(L, keeper);
    lua_pushcclosure(L, l_require, 3);
    lua_setfield(L, env, "require");
}

/* 'secs' of the thread's CPU time from now (at least: cpu_bounds), and
 * MAAL_WALL_CEILING(secs) of wall time; 'now' the monotonic clock read */
static void set_deadline(struct run *run, double secs, struct timespec *now)
{
    clock_gettime(CLOCK_MONOTONIC, now);
    run->deadline = run->cpu_from = *now;
    ts_add(&run->cpu_from, secs);
    ts_add(&run->deadline, MAAL_WALL_CEILING(secs));
    cpu_bounds(now, NULL, &run->cpu_deadline);
    ts_add(&run->cpu_deadline, secs);
}

void maal_sb_start(lua_State *L, struct run *run, const struct maal_limits *lim,
                   enum maal_sb_deadline policy)
{
    bool timers = watch_begin(L);
    double secs = policy == MAAL_SB_DESCRIBE ? (double)(1 + (time_t)lim->rule_timeout)
                  : policy == MAAL_SB_REPORT ? (double)(time_t)(lim->rule_timeout * 10 + 1)
                                             : lim->rule_timeout;
    struct timespec now;
    set_deadline(run, secs, &now);
    run->timers = timers && watch_arm(run, &now);
    if (!run->timers)
        lua_sethook(L, hook, LUA_MASKCOUNT, 1000);
}

void maal_sb_stop(lua_State *L)
{
    struct run *r = run_of(L);
    watch_stop(L);
    if (r->timers && !r->timed_out)
        lua_sethook(L, hook, LUA_MASKCOUNT, 1000); /* as in the count mode, till the next start */
    r->timers = false;
}

void maal_sb_idle(void)
{
    watch_idle();
}

void maal_sb_close(lua_State *L)
{
    maal_sb_stop(L);
    maal_sb_idle();
    lua_gc(L, LUA_GCCOLLECT);
    struct run *r = run_of(L);
    lua_close(L);
    maal_sb_pool_release(&r->pool);
}

void maal_sb_host(lua_State *L, char **bc, size_t *bclen, int *host_ref)
{
    lua_settop(L, 0);
    lua_pushcfunction(L, msgh); /* 1 */
    if (host_ref && *host_ref != LUA_NOREF) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, *host_ref);
        return;
    }
    /* the bytecode made at build time, or the worker's own copy; the text when a Lua other
     * than the build's refuses the bytecode (its header names the Lua version and sizes) */
    bool loaded = (!bc || !*bc) &&
                  luaL_loadbufferx(L, maal_prelude_bc, maal_prelude_bc_len, "=maal", "b") == LUA_OK;
    if (!loaded && (!bc || !*bc))
        lua_pop(L, 1); /* the message */
    if (!loaded &&
        load_cached(L, maal_prelude_lua, maal_prelude_lua_len, "=maal", bc, bclen) != LUA_OK)
        lua_error(L);
    push_c_helpers(L);
    if (lua_pcall(L, 1, 1, 1) != LUA_OK)
        lua_error(L);
    if (host_ref) {
        lua_pushvalue(L, -1);
        *host_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    }
}

int maal_sb_run_chunk(lua_State *L, const struct maal_sb_chunk *c)
{
    const int host = 2;
    /* 3: the chunk's environment */
    lua_getfield(L, host, "env");
    lua_newtable(L); /* native functions of plugins given with --plugin: name -> {fn} */
    const struct maal_plugins *ps = c->plugins;
    for (size_t i = 0; ps && i < ps->n; i++) {
        const struct maal_plugin *pl = &ps->v[i];
        if (!pl->nfns || maal_plugin_has_problem(pl))
            continue;
        lua_createtable(L, 0, (int)pl->nfns);
        for (size_t k = 0; k < pl->nfns; k++) {
            lua_pushcfunction(L, pl->fns[k].fn);
            lua_setfield(L, -2, pl->fns[k].name);
        }
        lua_setfield(L, -2, pl->name);
    }
    lua_call(L, 1, 1);
    const int env = 3;
    /* 4: the keeper of the box that holds the chunk's _ENV: a new box holding this run's env,
     * taken from a closure made for it (a chunk kept from an earlier goal must not share that
     * goal's box); the closures the chunk makes and the modules it requires share it */
    lua_getfield(L, host, "upvalue_of");
    lua_pushvalue(L, env);
    lua_call(L, 1, 1);
    const int keeper = 4;
    if (c->require)
        set_require(L, env, keeper, c->path);
    bool loaded = false;
    if (c->keep) {
        /* in a session the chunk's main function is loaded once (H.rule_fns, by the serial of
         * the rule text in the worker's cache) and run again for every goal, each time with a
         * new _ENV upvalue: the closures one run makes (evaluate) keep their own _ENV, never
         * the next goal's */
        lua_getfield(L, host, "rule_fns");
        lua_rawgeti(L, -1, (lua_Integer)c->serial);
        loaded = lua_type(L, -1) == LUA_TFUNCTION;
        if (loaded)
            lua_remove(L, -2);
        else
            lua_pop(L, 1); /* the table stays for the new function */
    }
    if (!loaded) {
        int rc = load_cached(L, c->text, c->len, lua_pushfstring(L, "@%s", c->path), c->bc,
                             c->bclen);
        if (rc != LUA_OK)
            return rc; /* the message is on top */
        lua_remove(L, -2); /* the chunk name */
        if (c->keep) {
            lua_pushvalue(L, -1);
            lua_rawseti(L, -3, (lua_Integer)c->serial);
            lua_remove(L, -2); /* rule_fns */
        }
    }
    lua_upvaluejoin(L, -1, 1, keeper, 1);
    if (c->keep) {
        /* the box of this run's _ENV, for eval to keep with the rule's table (H.keeper) */
        lua_pushvalue(L, keeper);
        lua_setfield(L, host, "keeper");
    }
    lua_remove(L, keeper);
    int rc = lua_pcall(L, 0, 1, 1);
    if (rc == LUA_OK && c->keep)
        forget_env(L, host, c->serial);
    return rc;
}
