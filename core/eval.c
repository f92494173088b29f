/* eval: judges each goal by running its Lua rule in the sandbox (sandbox.h), with the
 * partnership's data as Lua tables (views.h), and decodes what the rule returns (results.h).
 * (Plugins' Lua reporters and the rule descriptions of 'maal rules' run in core/hosted.c.)
 *
 * Every goal gets fresh globals, a fresh ctx, its own deadline and memory allowance. With a
 * worker (opts.worker, what 'maal check' runs) one lua_State serves all the goals of that
 * worker (see struct session below), and any error verdict throws it away; without one, the
 * goal gets a state of its own. */
#include "eval.h"

#include <lauxlib.h>
#include <lua.h>
#include <stdlib.h>
#include <string.h>

#include "keep.h"
#include "params.h"
#include "plugin.h"
#include "results.h"
#include "rules.h"
#include "sandbox.h"
#include "stdrules.h"
#include "views.h"

const char *const maal_verdict_names[] = {"pass", "fail", "info", "nodata", "error", "waived", NULL};

/* What eval keeps for one worker (one thread, one rule set): the compiled prelude, for every
 * state the worker makes, and the session. The caller owns it (maal_eval_worker_new/_free)
 * and passes it in opts.worker. */
struct maal_eval_worker {
    char *prelude_bc;
    size_t prelude_bclen;
    struct session *session;
    const struct maal_ruleset *rules; /* the set whose serials name the rules in 'session' */
};

/* How a goal's run in the sandbox ended (besides time and memory, which struct run says). */
enum job_stage {
    JOB_OK,
    JOB_LUA_ERROR,  /* the rule (or the prelude on its behalf) raised: the message is on top */
    JOB_BAD_RESULT, /* the rule file or its result does not fit: r is the verdict 'error' with
                     * the reason as its message (maal_result_error) */
    JOB_BAD_PARAMS, /* the goal's params do not fit the rule: r as for JOB_BAD_RESULT, and the
                     * key on top */
};

/* A params problem's key, for the place of the error (params_place). */
struct bad_param {
    bool set;
    bool at_key; /* the key itself is wrong (unknown): point at the key, not its value */
    char key[128];
};

/* Everything that runs in one state; called through lua_pcall so that an error raised by the
 * Lua API itself (out of memory while building tables) is caught, never a longjmp past us. */
struct job {
    const struct maal_eval_opts *o;
    const struct maal_partnership *p;
    const struct maal_goal *g;
    const struct maal_rule_src *src;
    struct maal_result *r;
    bool check_only;
    enum job_stage stage; /* what went wrong, if anything */
    bool at_key; /* a params error is about the key itself (unknown parameter) */
    /* a session: the prelude's table and the data, kept in the registry between goals */
    bool keep;
    int host_ref, data_ref;
    struct run *run;
    bool kept; /* this goal runs a rule kept from an earlier goal (or kept by this one) */
};

/* A kept rule (keep.h): the fields of its entry in H.rule_kept. */
enum { KEPT_RULE = 1, KEPT_ENV, KEPT_MT, KEPT_KEEPER, KEPT_RECORD, KEPT_ANCHOR, KEPT_BYTES };
/* A rule whose main chunk allocates more than this is not kept: what it holds would stay in
 * the state for every later goal (its main chunk runs for every goal instead); nor is one
 * more once the rules kept in a state have allocated a quarter of a goal's allowance
 * (H.kept_bytes), so that many kept rules never crowd the goals' memory (MAAL_STATE_CAP). */
#define KEEP_MAX_ALLOC ((size_t)1 << 20)
/* The key of a kept rule in H.rule_kept: its text's serial and the report language, which its
 * main chunk may have used (a worker's goals may differ in language: 'maal test'). */
static lua_Integer kept_key(const struct job *j)
{
    return (lua_Integer)j->src->serial * 2 + (j->o->lang == MAAL_LANG_EN);
}

/* The rule: its main chunk run with a new _ENV (3), its table (4) and 'evaluate' (5) checked.
 * -1 when they are there; else what run_job returns (the problem in j). */
static int load_rule(lua_State *L, struct job *j, struct maal_rule_src *src)
{
    /* a standard rule's text: the bytecode the build made of it, when this Lua took the
     * build's bytecode of the prelude (the worker then kept no compilation of its own) */
    const struct maal_eval_worker *w = j->o->worker;
    if (!src->bc && w && !w->prelude_bc)
        maal_stdrule_bc(src->text, src->len, src->path, &src->bc, &src->bclen);
    /* 3: the rule's environment; 4: the rule table */
    struct maal_sb_chunk chunk = {.path = src->path, .text = src->text, .len = src->len,
                                  .bc = &src->bc, .bclen = &src->bclen, .require = true,
                                  .keep = j->keep, .serial = src->serial,
                                  .plugins = j->o->plugins};
    if (maal_sb_run_chunk(L, &chunk) != LUA_OK) {
        j->stage = JOB_LUA_ERROR;
        return 1; /* the message is on top */
    }
    const int rule = 4;
    if (lua_type(L, rule) != LUA_TTABLE) {
        maal_result_error(j->r,
                          TR(j->o->lang,
                             "regelfilen returnerede %s, forventede en tabel med 'evaluate'",
                             "the rule file returned %s, expected a table with 'evaluate'"),
                          luaL_typename(L, rule));
        j->stage = JOB_BAD_RESULT;
        return 0;
    }
    lua_pushstring(L, "evaluate");
    lua_rawget(L, rule);
    if (lua_type(L, -1) != LUA_TFUNCTION) {
        maal_result_error(j->r, "%s",
                          TR(j->o->lang, "reglen mangler det krævede felt 'evaluate' (en funktion)",
                             "the rule is missing the required field 'evaluate' (a function)"));
        j->stage = JOB_BAD_RESULT;
        return 0;
    }
    return -1;
}

/* The goal's globals for a kept rule (entry at 'entry'): a new table with only _G (itself)
 * and the natives of --plugin, reading everything else through a metatable that the goal
 * cannot see or change (__index: the globals the rule's main chunk left). The box that holds
 * _ENV for all of the rule's closures gets it. Then the stack is 3 the globals, 4 the rule
 * table, 5 'evaluate', as load_rule leaves it. */
static void kept_goal_env(lua_State *L, struct job *j, int entry)
{
    lua_createtable(L, 0, 1);
    int g = lua_gettop(L);
    lua_pushvalue(L, g);
    lua_setfield(L, g, "_G");
    const struct maal_plugins *ps = j->o->plugins;
    for (size_t i = 0; ps && i < ps->n; i++) {
        const struct maal_plugin *pl = &ps->v[i];
        if (!pl->nfns || maal_plugin_has_problem(pl))
            continue;
        lua_rawgeti(L, entry, KEPT_ENV);
        lua_getfield(L, -1, pl->name);
        lua_setfield(L, g, pl->name);
        lua_pop(L, 1);
    }
    lua_rawgeti(L, entry, KEPT_MT);
    lua_setmetatable(L, g);
    lua_rawgeti(L, entry, KEPT_KEEPER);
    lua_pushvalue(L, g);
    lua_setupvalue(L, -2, 1);
    lua_pop(L, 1);
    lua_rawgeti(L, entry, KEPT_RULE);
    lua_pushliteral(L, "evaluate");
    lua_rawget(L, -2);
    lua_copy(L, g, 3);
    lua_copy(L, g + 1, 4);
    lua_copy(L, g + 2, 5);
    lua_settop(L, 5);
    j->kept = true;
}

/* After the first run of a rule's main chunk in a session (3 its globals, 4 the rule table,
 * 5 'evaluate', 6 the keeper of its _ENV box): keep the rule when its main chunk left no trace
 * outside what it returned (nothing printed, math.random not drawn, not much allocated) and
 * everything it reaches can be recorded; else mark it as not kept. A kept rule runs this goal
 * with goal globals already. Leaves the stack at 5. */
static void keep_rule(lua_State *L, struct job *j, size_t used0, const unsigned char *rs0)
{
    const int host = 2, rule_kept = 7;
    luaL_checkstack(L, 12, "kept rule");
    lua_getfield(L, host, "rule_kept");
    size_t grew = j->run->used > used0 ? j->run->used - used0 : 0;
    lua_getfield(L, host, "kept_bytes");
    size_t kept_bytes = (size_t)lua_tointeger(L, -1) + grew;
    lua_pop(L, 1);
    bool keep = rs0 && grew <= KEEP_MAX_ALLOC && kept_bytes <= j->o->limits->rule_memory / 4 &&
                lua_type(L, 6) == LUA_TFUNCTION;
    unsigned char rs[64];
    keep = keep && maal_keep_random_state(L, rs, sizeof(rs)) && memcmp(rs, rs0, sizeof(rs)) == 0;
    if (keep) {
        lua_getfield(L, host, "log");
        lua_call(L, 0, 1);
        size_t len = 1;
        lua_tolstring(L, -1, &len);
        keep = len == 0;
        lua_pop(L, 1);
    }
    if (keep) {
        lua_createtable(L, 7, 0); /* 8: the entry */
        lua_createtable(L, 0, 2); /* 9: the metatable of a goal's globals */
        lua_pushvalue(L, 3);
        lua_setfield(L, 9, "__index");
        lua_pushboolean(L, 0);
        lua_setfield(L, 9, "__metatable");
        lua_getfield(L, host, "ro"); /* 10 */
        keep = maal_keep_record(L, 5, 3, lua_upvalueid(L, 6, 1), 10); /* 11, 12 */
        if (keep) {
            lua_rawseti(L, 8, KEPT_ANCHOR);
            lua_rawseti(L, 8, KEPT_RECORD);
            lua_pop(L, 1);
            lua_rawseti(L, 8, KEPT_MT);
            lua_pushvalue(L, 6);
            lua_rawseti(L, 8, KEPT_KEEPER);
            lua_pushvalue(L, 3);
            lua_rawseti(L, 8, KEPT_ENV);
            lua_pushvalue(L, 4);
            lua_rawseti(L, 8, KEPT_RULE);
            lua_pushinteger(L, (lua_Integer)grew);
            lua_rawseti(L, 8, KEPT_BYTES);
            lua_pushvalue(L, 8);
            lua_rawseti(L, rule_kept, kept_key(j));
            lua_pushinteger(L, (lua_Integer)kept_bytes);
            lua_setfield(L, host, "kept_bytes");
            kept_goal_env(L, j, 8);
            return;
        }
    }
    lua_pushboolean(L, 0);
    lua_rawseti(L, rule_kept, kept_key(j));
    lua_settop(L, 5);
}

/* After a goal of a kept rule: the rule stays kept only when the goal changed nothing it
 * reaches (keep.h); the _ENV box lets go of the goal's globals. */
static void kept_goal_done(lua_State *L, struct job *j)
{
    const int host = 2;
    int top = lua_gettop(L);
    luaL_checkstack(L, 12, "kept rule");
    lua_getfield(L, host, "rule_kept");
    lua_rawgeti(L, -1, kept_key(j));
    int entry = lua_gettop(L);
    if (lua_istable(L, entry)) {
        lua_rawgeti(L, entry, KEPT_RECORD);
        lua_rawgeti(L, entry, KEPT_ANCHOR);
        bool same = maal_keep_same(L, -2, -1);
        lua_rawgeti(L, entry, KEPT_KEEPER);
        lua_pushnil(L);
        lua_setupvalue(L, -2, 1);
        if (!same) {
            /* not kept any more: what it held is garbage, and no longer counts */
            lua_rawgeti(L, entry, KEPT_BYTES);
            lua_getfield(L, host, "kept_bytes");
            lua_Integer left = lua_tointeger(L, -1) - lua_tointeger(L, -2);
            lua_pushinteger(L, left > 0 ? left : 0);
            lua_setfield(L, host, "kept_bytes");
            lua_pushboolean(L, 0);
            lua_rawseti(L, entry - 1, kept_key(j));
        }
    }
    lua_settop(L, top);
}

static int run_job(lua_State *L)
{
    struct job *j = lua_touserdata(L, 1);
    /* 1: message handler; 2: the host table from the prelude (kept from the previous goal in
     * a session) */
    struct maal_eval_worker *w = j->o->worker; /* NULL: nothing kept */
    maal_sb_host(L, w ? &w->prelude_bc : NULL, w ? &w->prelude_bclen : NULL,
                 j->keep ? &j->host_ref : NULL);
    const int host = 2;
    struct maal_rule_src *src = (struct maal_rule_src *)j->src; /* the cache is the worker's */
    /* a check of params alone (validate) needs only the rule's schema: kept per rule in the
     * state from the first goal's run of its main chunk (a chunk has no input: each run
     * builds the same), so no rule code runs for the goals after */
    const bool schema_kept = j->check_only && j->keep;
    /* a check keeps the rule's table itself, with each goal's globals its own (keep.h) */
    const bool may_keep = j->keep && !j->check_only;
    int known = 0; /* 1 kept, -1 not kept, 0 not known yet */
    if (schema_kept || may_keep) {
        lua_getfield(L, host, schema_kept ? "rule_schemas" : "rule_kept"); /* 3 */
        /* 4: {params = the schema} / the entry */
        lua_rawgeti(L, 3, schema_kept ? (lua_Integer)src->serial : kept_key(j));
        known = lua_istable(L, 4) ? 1 : lua_isnil(L, 4) ? 0 : -1;
    }
    if (!(schema_kept && known == 1)) {
        /* nothing of the previous goal's sources or log; math.random starts from the same
         * seed for every goal (deterministic output, and no trace of an earlier goal); the
         * language (a main chunk may use it) */
        lua_getfield(L, host, "reset");
        lua_pushstring(L, j->o->lang == MAAL_LANG_EN ? "en" : "da");
        lua_call(L, 1, 0);
    }
    if (schema_kept && known == 1) {
        lua_pushnil(L); /* 5: no 'evaluate', none is run */
    } else if (known == 1) {
        kept_goal_env(L, j, 4);
    } else {
        lua_settop(L, host);
        size_t used0 = j->run ? j->run->used : 0;
        unsigned char rs0[64];
        bool decide = may_keep && known == 0 && j->run &&
                      maal_keep_random_state(L, rs0, sizeof(rs0));
        int rc = load_rule(L, j, src);
        if (rc >= 0) {
            lua_pushnil(L);
            lua_setfield(L, host, "keeper");
            return rc;
        }
        lua_getfield(L, host, "keeper"); /* 6 */
        lua_pushnil(L);
        lua_setfield(L, host, "keeper");
        if (decide)
            keep_rule(L, j, used0, rs0);
        lua_settop(L, 5);
        if (schema_kept) {
            lua_getfield(L, host, "rule_schemas");
            lua_createtable(L, 0, 1);
            lua_pushliteral(L, "params");
            lua_pushliteral(L, "params");
            lua_rawget(L, 4);
            lua_rawset(L, -3);
            lua_rawseti(L, -2, (lua_Integer)src->serial);
            lua_pop(L, 1);
        }
    }
    const int rule = 4;
    const int evaluate = 5;
    /* 6: checked params (in C: no rule code runs) */
    lua_pushcfunction(L, maal_params_check);
    lua_pushvalue(L, rule);
    if (j->g->params)
        maal_push_node(L, j->g->params);
    else
        lua_newtable(L);
    lua_pushstring(L, j->o->lang == MAAL_LANG_EN ? "en" : "da");
    if (lua_pcall(L, 3, 4, 1) != LUA_OK) {
        j->stage = JOB_LUA_ERROR;
        return 1;
    }
    if (lua_isnil(L, -4)) {
        maal_result_error(j->r, "%s", lua_tostring(L, -3) ? lua_tostring(L, -3) : "?");
        j->stage = JOB_BAD_PARAMS;
        j->at_key = lua_isstring(L, -1);
        lua_pop(L, 1);
        return 1; /* the offending key is on top */
    }
    lua_pop(L, 3);
    if (j->check_only) {
        /* the report language for the next goal's main chunk, as the check in Lua set it */
        lua_getfield(L, host, "set_lang");
        lua_pushstring(L, j->o->lang == MAAL_LANG_EN ? "en" : "da");
        lua_call(L, 1, 0);
        return 0;
    }
    const int params = 6;
    /* 7: the data (its srcmap records the goal's sources: none yet) */
    if (j->data_ref != LUA_NOREF) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, j->data_ref);
    } else {
        maal_sb_pause(L);
        maal_push_data(L, j->p);
        maal_sb_resume(L);
        if (j->o->data_built)
            j->o->data_built(j->o->data_built_ud);
        if (j->keep) {
            lua_pushvalue(L, -1);
            j->data_ref = luaL_ref(L, LUA_REGISTRYINDEX);
        }
    }
    const int data = 7;
    maal_views_sources_reset(L, data);
    /* 8: ctx */
    lua_getfield(L, host, "make_ctx");
    lua_pushvalue(L, data);
    lua_pushinteger(L, j->o->year ? j->o->year : j->p->latest_year);
    lua_pushstring(L, j->o->lang == MAAL_LANG_EN ? "en" : "da");
    if (lua_pcall(L, 3, 1, 1) != LUA_OK) {
        j->stage = JOB_LUA_ERROR;
        return 1;
    }
    lua_pushvalue(L, evaluate);
    lua_pushvalue(L, -2);
    lua_pushvalue(L, params);
    if (lua_pcall(L, 2, 1, 1) != LUA_OK) {
        j->stage = JOB_LUA_ERROR;
        return 1;
    }
    /* decode without running rule code: raw access only */
    if (!maal_decode_result(L, lua_gettop(L), j->o->lang, j->r)) {
        j->stage = JOB_BAD_RESULT;
        return 0;
    }
    if (!j->r->message) {
        /* only 'evaluate' and 'verdict' are required: a message from what the result holds */
        int t = lua_gettop(L);
        lua_getfield(L, host, "default_message");
        lua_pushvalue(L, t);
        lua_pushstring(L, j->o->lang == MAAL_LANG_EN ? "en" : "da");
        if (lua_pcall(L, 2, 1, 1) != LUA_OK) {
            j->stage = JOB_LUA_ERROR;
            return 1;
        }
        j->r->message = maal_clean_text(lua_tostring(L, -1) ? lua_tostring(L, -1) : "?", 4096);
        lua_settop(L, t);
    }
    maal_views_sources(L, data, &j->r->sources, &j->r->nsources);
    lua_getfield(L, host, "log");
    if (lua_pcall(L, 0, 1, 0) == LUA_OK && lua_tostring(L, -1) && *lua_tostring(L, -1))
        j->r->log = maal_clean_lines(lua_tostring(L, -1), 8192);
    if (j->kept)
        kept_goal_done(L, j);
    return 0;
}

/* A session keeps one sandboxed state for the goals of one worker (one rule set): the
 * prelude is loaded once per worker, a partnership's data once per partnership. Every goal
 * still gets fresh globals, a fresh ctx, its own deadline and memory allowance; the shared
 * objects (the string metatable, the library tables, 'maal') are read-only, and the prelude's
 * per-goal state (sources, log, math.random's seed) is reset. After any error verdict the
 * state is thrown away, so a goal that was stopped (time, memory) never leaves anything
 * behind for the next one. */
struct session {
    lua_State *L;
    struct run run;
    const struct maal_partnership *p;
    int host_ref, data_ref;
};

static void session_free(struct session *s)
{
    if (!s)
        return;
    if (s->L)
        maal_sb_close(s->L);
    maal_free(s);
}

/* Drop the partnership's data from the session: unreachable from Lua from now on. */
static void session_drop_data(struct session *s)
{
    if (s->L && s->data_ref != LUA_NOREF)
        luaL_unref(s->L, LUA_REGISTRYINDEX, s->data_ref);
    s->data_ref = LUA_NOREF;
    s->p = NULL;
}

struct maal_eval_worker *maal_eval_worker_new(void)
{
    return maal_calloc(1, sizeof(struct maal_eval_worker));
}

void maal_eval_worker_free(struct maal_eval_worker *w)
{
    if (!w)
        return;
    session_free(w->session);
    maal_free(w->prelude_bc);
    maal_free(w);
}

void maal_eval_next(struct maal_eval_worker *w)
{
    maal_sb_idle(); /* the thread goes back to the host: its timers off */
    if (w && w->session)
        session_drop_data(w->session);
}

void maal_eval_end(struct maal_eval_worker *w)
{
    maal_sb_idle();
    if (!w)
        return;
    session_free(w->session);
    w->session = NULL;
}

static int eval_in_state(const struct maal_eval_opts *o, const struct maal_partnership *p,
                         const struct maal_goal *g, struct maal_result *r, bool check_only,
                         struct bad_param *bad)
{
    struct maal_error e;
    const struct maal_rule_src *src = maal_ruleset_find(o->rules, p->file, g->rule, &e);
    if (!src) {
        /* a goal naming a rule that does not exist is invalid input, like a bad param */
        maal_result_error(r, "%s", e.msg);
        r->invalid_params = true;
        r->err_line = g->rule_line;
        r->err_col = g->rule_col;
        return MAAL_OK;
    }
    r->rule_path = maal_strdup(src->path);
    r->rule_origin = maal_strdup(src->origin);
    struct maal_eval_worker *w = o->worker;
    if (w && w->rules != o->rules) {
        maal_eval_end(w); /* rules of another set: their serials would name the wrong ones */
        w->rules = o->rules;
    }
    struct session *s = w ? w->session : NULL;
    if (s && s->p != p)
        session_drop_data(s); /* another partnership: the state stays, the data goes */
    if (w && !s) {
        s = maal_calloc(1, sizeof(*s));
        if (s) {
            s->run.lang = o->lang;
            s->run.limit = o->limits->rule_memory;
            s->L = maal_sb_new_state(&s->run);
            s->host_ref = s->data_ref = LUA_NOREF;
            if (!s->L) {
                maal_free(s);
                s = NULL;
            }
        }
        w->session = s;
    }
    struct run local = {.limit = o->limits->rule_memory, .lang = o->lang};
    struct run *run = s ? &s->run : &local;
    lua_State *L = s ? s->L : maal_sb_new_state(&local);
    if (!L) {
        maal_result_error(r, TR(o->lang, "kunne ikke oprette en Lua-tilstand (hukommelse)",
                        "could not create a Lua state (memory)"));
        return MAAL_OK;
    }
    run->timed_out = run->mem_exceeded = run->refused = false;
    run->lang = o->lang; /* a worker's goals may differ in language ('maal test' cases) */
    size_t cap = MAAL_STATE_CAP(o->limits->rule_memory);
    if (s && run->used + o->limits->rule_memory > cap) {
        lua_gc(L, LUA_GCCOLLECT); /* earlier goals' garbage, before it could count as this one's */
        run->kept = run->used;
    }
    run->limit = run->used + o->limits->rule_memory; /* this goal's allowance */
    if (s && run->limit > cap)
        run->limit = cap; /* what goals keep cannot grow the state past the cap */
    maal_sb_start(L, run, o->limits, MAAL_SB_RULE);
    struct job j = {.o = o, .p = p, .g = g, .src = src, .r = r, .check_only = check_only,
                    .keep = s != NULL, .host_ref = s ? s->host_ref : LUA_NOREF,
                    .data_ref = s ? s->data_ref : LUA_NOREF, .run = run};
    lua_settop(L, 0);
    lua_pushcfunction(L, run_job);
    lua_pushlightuserdata(L, &j);
    int status = lua_pcall(L, 1, LUA_MULTRET, 0);
    maal_sb_stop(L);
    if (s) {
        s->host_ref = j.host_ref;
        s->data_ref = j.data_ref;
        s->p = p;
    }
    bool clean = status == LUA_OK && !run->timed_out && !run->mem_exceeded && j.stage == JOB_OK;
    if (status != LUA_OK || run->timed_out || run->mem_exceeded) {
        maal_result_reason(run, status, L, r);
    } else if (j.stage == JOB_LUA_ERROR) {
        maal_result_reason(run, LUA_ERRRUN, L, r);
    } else if (j.stage == JOB_BAD_PARAMS) { /* the reason is r's message already */
        r->invalid_params = true;
        if (lua_type(L, -1) == LUA_TSTRING) {
            snprintf(bad->key, sizeof(bad->key), "%s", lua_tostring(L, -1));
            bad->at_key = j.at_key;
            bad->set = true;
        }
    }
    if (s && clean) {
        lua_settop(L, 0);
        /* garbage of earlier goals; measured from what stayed after the last collection, so a
         * partnership's large data does not make every goal collect all of it again */
        if (run->used > run->kept + o->limits->rule_memory / 2) {
            lua_gc(L, LUA_GCCOLLECT);
            run->kept = run->used;
        }
        return MAAL_OK;
    }
    if (s) {
        maal_eval_end(w); /* an error: this state is not used again */
        return MAAL_OK;
    }
    /* Collect fully under the same limits before closing (Redis CVE-2024-46981), then
     * close; the count hook stays set so even this cannot run past the deadline. */
    maal_sb_close(L);
    return MAAL_OK;
}

/* Where a params problem is: the param's own node, else the goal's params, else the goal. */
static void params_place(const struct maal_goal *g, const struct bad_param *bad, int *line,
                         int *col)
{
    const struct maal_node *n = NULL;
    if (bad->set && g->params && bad->at_key) {
        for (size_t i = 0; i < g->params->n && !n; i++) {
            const struct maal_node *k = g->params->items[2 * i];
            if (k->type == MAAL_NODE_SCALAR && !strcmp(k->str, bad->key))
                n = k;
        }
    } else if (bad->set && g->params) {
        n = maal_node_get(g->params, bad->key);
    }
    if (n) {
        *line = n->line;
        *col = n->col;
    } else if (g->params) {
        *line = g->params->line;
        *col = g->params->col;
    } else {
        *line = g->line;
        *col = g->col;
    }
}

/* A date YYYY-MM-DD as the number YYYYMMDD: dates compare as numbers, never as text (a year
 * of five digits sorted before 2023 as a string). 0 for anything else. */
static long date_num(const char *s)
{
    int y, m, d;
    char tail;
    if (sscanf(s, "%d-%d-%d%c", &y, &m, &d, &tail) != 3 || y < 0 || m < 1 || m > 12 || d < 1 ||
        d > 31)
        return 0;
    return (long)y * 10000 + m * 100 + d;
}

int maal_eval_goal(const struct maal_eval_opts *o, const struct maal_partnership *p,
                   const struct maal_goal *g, struct maal_result *out)
{
    memset(out, 0, sizeof(*out));
    out->goal = g;
    struct bad_param bad = {.set = false};
    eval_in_state(o, p, g, out, false, &bad);
    if (out->invalid_params && !out->err_line) {
        int line, col;
        params_place(g, &bad, &line, &col);
        char *m = out->message;
        out->message = NULL;
        out->err_line = line;
        out->err_col = col;
        maal_result_error(out, "%s '%s': %s", TR(o->lang, "målet", "goal"), g->id, m ? m : "?");
        maal_free(m);
    }
    const struct maal_waiver *w = maal_waiver_find(p, g->id);
    /* a waiver excuses a verdict the partnership agreed on: never a rule error (a timed-out
     * or broken rule is maal's to fix, and must fail the run), and missing data only when the
     * waiver says so (covers_nodata) */
    if (w && (out->verdict == MAAL_ERROR || (out->verdict == MAAL_NODATA && !w->covers_nodata)))
        w = NULL;
    if (w && out->message && !out->invalid_params) {
        struct maal_buf b = MAAL_BUF_INIT;
        bool expired = o->today && w->expires && date_num(w->expires) < date_num(o->today);
        maal_buf_printf(&b, TR(o->lang, "%s (aftalt af %s, gælder til og med %s; linje %d)",
                               "%s (agreed by %s, valid until %s; line %d)"),
                        w->reason ? w->reason : "?", w->agreed_by ? w->agreed_by : "?",
                        w->expires ? w->expires : "?", w->line);
        out->waiver = b.s;
        if (expired) {
            out->waiver_expired = true;
        } else if (out->waiver) {
            out->waived_verdict = out->verdict;
            out->verdict = MAAL_WAIVED;
        }
    }
    if (!out->message) {
        maal_result_error(out, TR(o->lang, "ikke nok hukommelse", "out of memory"));
        if (!out->message) {
            /* what the result holds (the rule's path and origin, a waiver's text) goes with
             * it: the callers drop a result that could not be made without releasing it */
            maal_result_release(out);
            return MAAL_ERR_NOMEM;
        }
    }
    return MAAL_OK;
}

int maal_eval_check_params(const struct maal_eval_opts *o, const struct maal_partnership *p,
                           const struct maal_goal *g, struct maal_diags *diags)
{
    struct maal_result r;
    memset(&r, 0, sizeof(r));
    r.goal = g;
    struct bad_param bad = {.set = false};
    eval_in_state(o, p, g, &r, true, &bad);
    int rc = MAAL_OK;
    if (r.verdict == MAAL_ERROR) {
        int line = g->rule_line, col = g->rule_col;
        if (r.invalid_params)
            params_place(g, &bad, &line, &col);
        maal_diags_add(diags, MAAL_SEV_ERROR, p->file, line, col, "%s '%s': %s",
                       TR(o->lang, "målet", "goal"), g->id, r.message ? r.message : "?");
        /* params that do not fit are the data's fault; a rule that does not load, the rule's */
        rc = r.invalid_params ? MAAL_ERR_INVALID : MAAL_ERR_RULE;
    }
    maal_result_release(&r);
    return rc;
}

void maal_result_release(struct maal_result *r)
{
    maal_free(r->op);
    maal_free(r->unit);
    maal_free(r->message);
    maal_free(r->significance);
    maal_free(r->log);
    maal_free(r->trace);
    maal_free(r->rule_path);
    maal_free(r->rule_origin);
    maal_free(r->waiver);
    for (size_t i = 0; i < r->nsources; i++)
        maal_free(r->sources[i].what); /* its file is the model's */
    maal_free(r->sources);
    maal_free(r->history);
    maal_free(r->outlook);
    memset(r, 0, sizeof(*r));
}
