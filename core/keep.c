/* keep: the record of what a kept rule reaches, and its comparison after each goal (keep.h). */
#include "keep.h"

#include <lauxlib.h>
#include <lualib.h>
#include <string.h>

#include "sandbox.h"

/* One recorded value, or the head of one object's values: a table's head (n pairs, its length,
 * then its metatable and its n keys and values in the order of lua_next) or a function's (its
 * n upvalues' values, the _ENV box left out as SKIP). */
enum { KV_SKIP = 100, KV_TABLE, KV_FUNC };

struct kv {
    int tt; /* a Lua type (LUA_TNIL ...), or KV_* */
    int n;  /* a head: how many values follow (a table: pairs); a number: 1 when an integer */
    union {
        const void *p; /* a collectable value or light userdata: its address */
        lua_Integer i;
        lua_Number f;
        int b;
        lua_Unsigned len; /* a table's head: its border (#t raw) */
    } u;
};

static void encode(lua_State *L, int idx, struct kv *v)
{
    memset(v, 0, sizeof(*v));
    v->tt = lua_type(L, idx);
    switch (v->tt) {
    case LUA_TNIL: break;
    case LUA_TBOOLEAN: v->u.b = lua_toboolean(L, idx); break;
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) {
            v->n = 1;
            v->u.i = lua_tointeger(L, idx);
        } else {
            v->u.f = lua_tonumber(L, idx);
        }
        break;
    default: v->u.p = lua_topointer(L, idx); break;
    }
}

static bool same(const struct kv *a, const struct kv *b)
{
    if (a->tt != b->tt || a->n != b->n)
        return false;
    switch (a->tt) {
    case LUA_TNIL: return true;
    case LUA_TBOOLEAN: return a->u.b == b->u.b;
    case LUA_TNUMBER:
        /* bit for bit: -0.0 is not 0.0, a NaN is itself */
        return a->n ? a->u.i == b->u.i : memcmp(&a->u.f, &b->u.f, sizeof(a->u.f)) == 0;
    default: return a->u.p == b->u.p;
    }
}

struct walk {
    lua_State *L;
    struct kv *v;
    size_t n, cap;
    int anchor;   /* array part: the objects walked, in order; hash part: every value kept alive */
    int buf;      /* the stack slot of the userdata that holds v (Lua's memory: an error raised
                   * while walking, out of memory, leaks nothing) */
    int nobj;
    const void *box;
    int ro; /* the prelude's table of read-only views (keys) */
    lua_CFunction random, randomseed;
    bool ok;
};

static struct kv *add(struct walk *w)
{
    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 64;
        if (cap > MAAL_KEEP_MAX_VALUES + 16) {
            w->ok = false;
            return NULL;
        }
        struct kv *v = lua_newuserdatauv(w->L, cap * sizeof(*v), 0);
        if (w->n)
            memcpy(v, w->v, w->n * sizeof(*v));
        lua_replace(w->L, w->buf);
        w->v = v;
        w->cap = cap;
    }
    return &w->v[w->n++];
}

/* Whether the function at idx has state of its own to walk: not a C function without
 * upvalues, not math.random's (its state is set again for every goal), not the prelude's (its
 * state is the host's, reset for every goal). A C function with state of its own that is not
 * require (a string.gmatch iterator) cannot be walked: w->ok false. */
static bool has_state(struct walk *w, int idx)
{
    lua_State *L = w->L;
    if (lua_iscfunction(L, idx)) {
        lua_CFunction f = lua_tocfunction(L, idx);
        if (!lua_getupvalue(L, idx, 1))
            return false;
        lua_pop(L, 1);
        if (f == w->random || f == w->randomseed)
            return false;
        if (f == maal_sb_require_fn)
            return true;
        w->ok = false;
        return false;
    }
    lua_Debug ar;
    lua_pushvalue(L, idx);
    lua_getinfo(L, ">S", &ar);
    return strcmp(ar.source, "=maal") != 0;
}

/* Records the value at idx (absolute) and keeps it alive; a table or function not seen
 * before is queued to be walked, except a read-only proxy (it cannot be changed) and a
 * function without state of its own. A value whose changes the record cannot see makes the
 * rule not kept. */
static void take(struct walk *w, int idx)
{
    lua_State *L = w->L;
    struct kv *v = add(w);
    if (!v)
        return;
    encode(L, idx, v);
    switch (v->tt) {
    case LUA_TUSERDATA:
    case LUA_TTHREAD: w->ok = false; return;
    case LUA_TTABLE:
    case LUA_TFUNCTION:
    case LUA_TSTRING: break;
    default: return;
    }
    lua_pushvalue(L, idx);
    if (lua_rawget(L, w->anchor) != LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    lua_pop(L, 1);
    lua_pushvalue(L, idx);
    lua_pushboolean(L, 1);
    lua_rawset(L, w->anchor);
    if (v->tt == LUA_TSTRING)
        return;
    if (v->tt == LUA_TTABLE) {
        lua_pushvalue(L, idx);
        bool proxy = lua_rawget(L, w->ro) != LUA_TNIL;
        lua_pop(L, 1);
        if (proxy)
            return;
    }
    if (v->tt == LUA_TFUNCTION && !has_state(w, idx))
        return;
    lua_pushvalue(L, idx);
    lua_rawseti(L, w->anchor, ++w->nobj);
}

/* Walks the object at the top of the stack (popped). */
static void walk_object(struct walk *w)
{
    lua_State *L = w->L;
    int o = lua_gettop(L);
    size_t head = w->n;
    if (!add(w))
        return;
    if (lua_type(L, o) == LUA_TTABLE) {
        w->v[head].tt = KV_TABLE;
        w->v[head].u.len = lua_rawlen(L, o);
        if (!lua_getmetatable(L, o))
            lua_pushnil(L);
        take(w, lua_gettop(L));
        lua_pop(L, 1);
        int pairs = 0;
        lua_pushnil(L);
        while (w->ok && lua_next(L, o)) {
            take(w, lua_gettop(L) - 1);
            take(w, lua_gettop(L));
            lua_pop(L, 1);
            pairs++;
        }
        if (!w->ok) {
            lua_settop(L, o - 1);
            return;
        }
        w->v[head].n = pairs;
    } else {
        w->v[head].tt = KV_FUNC;
        int nup = 0;
        bool lua = !lua_iscfunction(L, o);
        while (w->ok && lua_getupvalue(L, o, nup + 1)) {
            if (lua && lua_upvalueid(L, o, nup + 1) == w->box) {
                struct kv *s = add(w);
                if (s)
                    s->tt = KV_SKIP;
            } else {
                take(w, lua_gettop(L));
            }
            lua_pop(L, 1);
            nup++;
        }
        w->v[head].n = nup;
    }
    lua_settop(L, o - 1);
}

static void random_fns(lua_State *L, lua_CFunction *random, lua_CFunction *randomseed)
{
    *random = *randomseed = NULL;
    lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    if (lua_istable(L, -1) && lua_getfield(L, -1, LUA_MATHLIBNAME) == LUA_TTABLE) {
        lua_getfield(L, -1, "random");
        *random = lua_tocfunction(L, -1);
        lua_getfield(L, -2, "randomseed");
        *randomseed = lua_tocfunction(L, -1);
        lua_pop(L, 2);
    }
    lua_pop(L, 2);
}

bool maal_keep_record(lua_State *L, int evaluate, int env, const void *box, int ro)
{
    evaluate = lua_absindex(L, evaluate);
    env = lua_absindex(L, env);
    luaL_checkstack(L, 16, "keep");
    struct walk w = {.L = L, .box = box, .ro = lua_absindex(L, ro), .ok = true};
    random_fns(L, &w.random, &w.randomseed);
    int top = lua_gettop(L);
    lua_newtable(L);
    w.anchor = lua_gettop(L);
    lua_pushnil(L);
    w.buf = lua_gettop(L);
    /* what a goal can reach: 'evaluate', the values of the main chunk's globals and their
     * metatable (a goal reads them through its own globals' __index), recorded as one list
     * (not compared: only what they reach can change). The rule's table itself and the
     * globals' table are walked only when something the goal reaches holds them. */
    size_t head = w.n;
    if (add(&w)) {
        w.v[head].tt = KV_FUNC;
        int n = 0;
        take(&w, evaluate);
        n++;
        if (!lua_getmetatable(L, env))
            lua_pushnil(L);
        take(&w, lua_gettop(L));
        lua_pop(L, 1);
        n++;
        lua_pushnil(L);
        while (w.ok && lua_next(L, env)) {
            if (!lua_rawequal(L, -1, env)) {
                take(&w, lua_gettop(L));
                n++;
            }
            lua_pop(L, 1);
        }
        if (!w.ok)
            lua_settop(L, w.buf);
        w.v[head].n = n;
    }
    for (int i = 1; w.ok && i <= w.nobj; i++) {
        lua_rawgeti(L, w.anchor, i);
        walk_object(&w);
    }
    if (!w.ok || w.n > MAAL_KEEP_MAX_VALUES) {
        lua_settop(L, top);
        return false;
    }
    /* the roots' list is not compared (maal_keep_same skips it): what a goal can change is
     * in the objects they reach */
    struct kv *rec = lua_newuserdatauv(L, (w.n + 1) * sizeof(*rec), 0);
    rec[0].tt = KV_TABLE; /* the record's own head: its length and its objects' count */
    rec[0].n = w.nobj;
    rec[0].u.len = w.n;
    memcpy(rec + 1, w.v, w.n * sizeof(*rec));
    lua_replace(L, w.buf);
    lua_settop(L, w.buf);
    lua_insert(L, w.anchor); /* record, anchor */
    return true;
}

bool maal_keep_same(lua_State *L, int record, int anchor)
{
    record = lua_absindex(L, record);
    anchor = lua_absindex(L, anchor);
    if (!lua_checkstack(L, 8))
        return false;
    const struct kv *rec = lua_touserdata(L, record);
    if (!rec)
        return false;
    const struct kv *v = rec + 1, *end = rec + 1 + rec[0].u.len;
    v += 1 + v->n; /* the roots' list: its objects are the first ones below */
    int top = lua_gettop(L);
    bool ok = true;
    struct kv now;
    for (int i = 1; ok && i <= rec[0].n && v < end; i++) {
        const struct kv *h = v++;
        lua_rawgeti(L, anchor, i);
        int o = lua_gettop(L);
        if (h->tt == KV_TABLE) {
            if (lua_rawlen(L, o) != h->u.len) {
                ok = false;
                break;
            }
            if (!lua_getmetatable(L, o))
                lua_pushnil(L);
            encode(L, -1, &now);
            lua_pop(L, 1);
            ok = same(&now, v++);
            int pairs = 0;
            lua_pushnil(L);
            while (ok && lua_next(L, o)) {
                if (++pairs > h->n) {
                    ok = false;
                    break;
                }
                encode(L, -2, &now);
                ok = same(&now, v++);
                encode(L, -1, &now);
                ok = ok && same(&now, v++);
                lua_pop(L, 1);
            }
            ok = ok && pairs == h->n;
        } else {
            for (int k = 1; ok && k <= h->n; k++, v++) {
                if (v->tt == KV_SKIP)
                    continue;
                if (!lua_getupvalue(L, o, k)) {
                    ok = false;
                    break;
                }
                encode(L, -1, &now);
                lua_pop(L, 1);
                ok = same(&now, v);
            }
        }
        lua_settop(L, top);
    }
    lua_settop(L, top);
    return ok;
}

bool maal_keep_random_state(lua_State *L, unsigned char *out, size_t size)
{
    bool ok = false;
    lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    if (lua_istable(L, -1) && lua_getfield(L, -1, LUA_MATHLIBNAME) == LUA_TTABLE) {
        lua_getfield(L, -1, "random");
        if (lua_getupvalue(L, -1, 1)) {
            const void *s = lua_touserdata(L, -1);
            size_t n = lua_rawlen(L, -1);
            if (s && n <= size) {
                memset(out, 0, size);
                memcpy(out, s, n);
                ok = true;
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 2);
    return ok;
}
