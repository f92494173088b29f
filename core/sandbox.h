/* sandbox: the one place that runs Lua code from outside maal (a rule, a plugin's reporter,
 * a rule read for its description). Internal to libmaal.
 *
 * A state has a counting allocator (memory limit), a deadline in the thread's CPU time (and a
 * wall-clock ceiling, MAAL_WALL_CEILING) watched by a timer of the thread whose signal
 * (MAAL_TIMER_SIGNAL) sets a hook, or where timers cannot serve by an instruction-count hook;
 * once a deadline has passed the hook raises on every instruction so pcall cannot swallow it;
 * and only
 * base/string/table/math/utf8, filtered by the prelude. Code from outside loads as text only;
 * maal's own compiled copies (lua_dump of that text) load as binary. */
#ifndef MAAL_SANDBOX_H
#define MAAL_SANDBOX_H

#include <lua.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "util.h"

struct maal_plugins;

/* A Lua state's small blocks (up to MAAL_POOL_MAX bytes, in classes of 16): carved from
 * chunks and reused through a free list per class, freed with the state (maal_sb_close). */
#define MAAL_POOL_MAX 512
struct maal_pool {
    void *free[MAAL_POOL_MAX / 16];
    char *cur;    /* the rest of the newest chunk */
    size_t left;
    void *chunks; /* each chunk's first word: the chunk before it */
};

/* Per-run state, found from the lua_State through its extra space (never a C global). */
struct run {
    struct maal_pool pool;
    size_t used, limit;
    size_t kept; /* used after the last full collection: what the session keeps */
    bool mem_exceeded;
    /* the last request refused at the limit, which Lua retries after an emergency full
     * collection: if that retry fits, the refusal did not count (garbage is not use) */
    const void *refused_ptr;
    size_t refused_osize, refused_nsize;
    bool refused, exceeded_before;
    struct timespec deadline;     /* CLOCK_MONOTONIC: the wall-clock ceiling */
    struct timespec cpu_from;     /* CLOCK_MONOTONIC: when the CPU time can have run out */
    struct timespec cpu_deadline; /* CLOCK_THREAD_CPUTIME_ID: the limit */
    struct timespec paused, paused_cpu; /* maal_sb_pause */
    bool timed_out;
    bool timers; /* this run is watched by the thread's timers, not by the count hook */
    enum maal_lang lang;
};

/* How long sandboxed code may run, counted from maal_sb_start: seconds of the thread's CPU
 * time, and at most MAAL_WALL_CEILING of them on the wall clock. */
enum maal_sb_deadline {
    MAAL_SB_RULE,     /* one goal: limits->rule_timeout */
    MAAL_SB_DESCRIBE, /* reading a rule file for 'maal rules': 1 s + the rule's limit */
    MAAL_SB_REPORT,   /* a plugin's reporter, a whole report: 10 times the rule's limit + 1 s */
};

/* sbmem.c: Lua's allocator for a sandboxed state (ud: its struct run): small blocks from
 * run->pool, the rest from malloc; a request past run->limit is refused (Lua collects and asks
 * once more, which counts only if refused again: run->mem_exceeded). */
void *maal_sb_alloc(void *ud, void *ptr, size_t osize, size_t nsize);
/* Every chunk of a pool, once its state is closed (all its blocks are back then). */
void maal_sb_pool_release(struct maal_pool *pl);

/* A new state with the allowed libraries, counting its memory in 'run' (run->limit must be
 * set); NULL when out of memory. */
lua_State *maal_sb_new_state(struct run *run);
/* Start the clock: the deadline by 'policy', and the timers or the hook that enforce it. */
void maal_sb_start(lua_State *L, struct run *run, const struct maal_limits *lim,
                   enum maal_sb_deadline policy);
/* The run has ended (call it on the thread that started it, after its last lua_pcall): no
 * timer acts on the state any more, and the count hook with the run's deadline stays set until
 * the next start. The timers may stay armed (a signal finds no state) until maal_sb_idle. */
void maal_sb_stop(lua_State *L);
/* This thread goes back to its caller (the end of a worker's call: maal_eval_next): its timers
 * are disarmed, so no signal comes while the host runs. No effect while a run is on. */
void maal_sb_idle(void);
/* maal_sb_stop, maal_sb_idle, a full collection (Redis CVE-2024-46981) and lua_close: the way
 * every state that was started ends, never lua_close alone (a timer would name a freed state). */
void maal_sb_close(lua_State *L);
/* Tests: true makes every later start use the count hook (as MAAL_COUNT_HOOK=1 does). */
void maal_sb_count_hook_only(bool on);
/* Time maal spends building data in the state is not the rule's: between pause and resume
 * the deadlines stand still (both clocks). */
void maal_sb_pause(lua_State *L);
void maal_sb_resume(lua_State *L);

/* Called in a protected call, on an empty stack: pushes 1 the message handler and 2 the
 * prelude's host table. The host is taken from *host_ref when it is set; otherwise the prelude
 * runs (from *bc, maal's compiled copy, when there is one, and one is made when bc is not
 * NULL) and, when host_ref is not NULL, the host is kept there. Raises on error. */
void maal_sb_host(lua_State *L, char **bc, size_t *bclen, int *host_ref);

/* A chunk of code from outside, run with fresh globals (the prelude's env). */
struct maal_sb_chunk {
    const char *path; /* the chunk is named "@path"; require() looks in its folder */
    const char *text;
    size_t len;
    char **bc; /* maal's compiled copy of 'text': used when set, made when NULL; or bc NULL */
    size_t *bclen;
    bool require; /* env.require: NAME.lua from the chunk's own folder */
    /* a session: the loaded function is kept in the host by 'serial' and run again with a new
     * _ENV each time; after the run it lets go of that _ENV */
    bool keep;
    unsigned long serial;
    const struct maal_plugins *plugins; /* native functions given to env, or NULL */
};

/* With the stack as maal_sb_host leaves it (1 message handler, 2 host): pushes 3 the chunk's
 * environment, loads the chunk with it as _ENV and runs it. Returns LUA_OK with the chunk's
 * one result at 4, or the error status with the message (and traceback) on top. Errors of the
 * Lua API itself (memory) raise. */
int maal_sb_run_chunk(lua_State *L, const struct maal_sb_chunk *c);
/* With c->keep, the run also leaves H.keeper: a function whose one upvalue is the box that
 * holds _ENV for every closure the chunk made (lua_setupvalue on it gives them another). */

/* The C function of a rule's require() (keep.c walks its upvalues). */
extern const lua_CFunction maal_sb_require_fn;

#endif
