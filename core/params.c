/* params: a goal's params against its rule's schema (params.h). */
#include "params.h"

#include <lauxlib.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "maal.h"

enum ptype { P_STRING, P_NUMBER, P_INTEGER, P_BOOLEAN, P_YEAR, P_LIST, P_TABLE, P_N };
static const char *const PNAME[P_N] = {"string", "number", "integer", "boolean",
                                       "year",   "list",   "table"};
static const char *const PWORD[2][P_N] = {
    {"tekst", "et tal", "et helt tal", "true eller false", "et årstal", "en liste", "en tabel"},
    {"text", "a number", "a whole number", "true or false", "a year", "a list", "a table"},
};

/* A schema's key: a string key itself, another key its type's name. */
struct name {
    const char *s; /* NUL-terminated (a Lua string or a type's name) */
    size_t len;
};

/* The type named by the value at 'i', or -1. */
static int ptype_of(lua_State *L, int i)
{
    if (lua_type(L, i) != LUA_TSTRING)
        return -1;
    size_t n;
    const char *s = lua_tolstring(L, i, &n);
    for (int t = 0; t < P_N; t++)
        if (strlen(PNAME[t]) == n && memcmp(PNAME[t], s, n) == 0)
            return t;
    return -1;
}

static bool ptype_ok(lua_State *L, int ty, int i)
{
    int lt = lua_type(L, i);
    switch (ty) {
    case P_STRING: return lt == LUA_TSTRING;
    case P_NUMBER: return lt == LUA_TNUMBER;
    case P_BOOLEAN: return lt == LUA_TBOOLEAN;
    case P_LIST:
    case P_TABLE: return lt == LUA_TTABLE;
    default: break;
    }
    if (lt != LUA_TNUMBER)
        return false;
    if (lua_isinteger(L, i)) {
        lua_Integer v = lua_tointeger(L, i);
        return ty == P_INTEGER || (v >= MAAL_YEAR_MIN && v <= MAAL_YEAR_MAX);
    }
    double v = lua_tonumber(L, i);
    if (!(floor(v) == v)) /* NaN too, as v ~= math.floor(v) in Lua */
        return false;
    return ty == P_INTEGER || (v >= MAAL_YEAR_MIN && v <= MAAL_YEAR_MAX);
}

/* Lua's string order (l_strcmp of lvm.c): strcoll, piece by piece past embedded zeros. */
static int name_cmp(const struct name *a, const struct name *b)
{
    const char *l = a->s, *r = b->s;
    size_t ll = a->len, lr = b->len;
    for (;;) {
        int t = strcoll(l, r);
        if (t != 0)
            return t;
        size_t len = strlen(l);
        if (len == lr)
            return len == ll ? 0 : 1;
        if (len == ll)
            return -1;
        len++;
        l += len;
        ll -= len;
        r += len;
        lr -= len;
    }
}

/* Levenshtein distance in bytes; 99 past 64 bytes (proxies.lua's distance). Not
 * maal_edit_distance of util.c: a schema's name is a Lua string, which can hold a NUL. */
static size_t distance(const char *a, size_t na, const char *b, size_t nb)
{
    if (na > 64 || nb > 64)
        return 99;
    size_t prev[65], cur[65];
    for (size_t j = 0; j <= nb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= na; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t x = prev[j] + 1, y = cur[j - 1] + 1,
                   z = prev[j - 1] + ((unsigned char)a[i - 1] != (unsigned char)b[j - 1]);
            cur[j] = x < y ? (x < z ? x : z) : (y < z ? y : z);
        }
        memcpy(prev, cur, (nb + 1) * sizeof(prev[0]));
    }
    return prev[nb];
}

/* The closest name to s, or NULL (proxies.lua's did_you_mean). */
static const struct name *did_you_mean(const char *s, size_t n, const struct name *names,
                                       size_t nn)
{
    const struct name *best = NULL;
    size_t bestd = (n <= 3 ? 1 : n <= 8 ? 2 : 3) + 1;
    for (size_t i = 0; i < nn; i++) {
        size_t d = distance(s, n, names[i].s, names[i].len);
        if (d < bestd) {
            best = &names[i];
            bestd = d;
        }
    }
    return best;
}

/* describe(v) of params.lua: a string in quotes, anything else as tostring shows it. */
static void push_described(lua_State *L, int i)
{
    if (lua_type(L, i) == LUA_TSTRING) {
        lua_pushliteral(L, "'");
        lua_pushvalue(L, i);
        lua_pushliteral(L, "'");
        lua_concat(L, 3);
    } else {
        luaL_tolstring(L, i, NULL);
    }
}

/* The schema's keys at 'schema' into names[0..max): their number (which can be more). */
static size_t read_names(lua_State *L, int schema, struct name *names, size_t max)
{
    size_t k = 0;
    lua_pushnil(L);
    while (lua_next(L, schema)) {
        lua_pop(L, 1);
        if (k < max) {
            if (lua_type(L, -1) == LUA_TSTRING) {
                /* anchored: a key of the schema, which is on the stack */
                names[k].s = lua_tolstring(L, -1, &names[k].len);
            } else {
                names[k].s = luaL_typename(L, -1);
                names[k].len = strlen(names[k].s);
            }
        }
        k++;
    }
    return k;
}

#define TRL(da, en) (en_ ? (en) : (da))

/* nil and the start of a message about the value v of the param named at 'name', in four
 * pieces: "parameteren 'k' er 3" (room for the rest: 50 slots). */
static void push_param_is(lua_State *L, int name, int v, bool en_)
{
    luaL_checkstack(L, 50, NULL);
    lua_pushnil(L);
    lua_pushstring(L, TRL("parameteren '", "parameter '"));
    lua_pushvalue(L, name);
    lua_pushstring(L, TRL("' er ", "' is "));
    push_described(L, v);
}

/* Whether the key at a sorts before the key at b: numbers before text, numbers by value, text
 * byte by byte (then the shorter first). */
static bool key_before(lua_State *L, int a, int b)
{
    int ta = lua_type(L, a), tb = lua_type(L, b);
    if (ta != tb)
        return ta == LUA_TNUMBER || (tb != LUA_TNUMBER && ta < tb);
    if (ta == LUA_TNUMBER)
        return lua_tonumber(L, a) < lua_tonumber(L, b);
    if (ta != LUA_TSTRING)
        return false;
    size_t na, nb;
    const char *sa = lua_tolstring(L, a, &na), *sb = lua_tolstring(L, b, &nb);
    int c = memcmp(sa, sb, na < nb ? na : nb);
    return c < 0 || (c == 0 && na < nb);
}

int maal_params_check(lua_State *L)
{
    enum { RULE = 1, PARAMS = 2, LANG = 3, SCHEMA = 4 };
    const char *lang = lua_tostring(L, LANG);
    const bool en_ = lang && strcmp(lang, "en") == 0;
    lua_settop(L, LANG);
    lua_pushliteral(L, "params");
    lua_rawget(L, RULE); /* SCHEMA */
    if (lua_isnil(L, SCHEMA)) {
        lua_pushvalue(L, PARAMS);
        return 1;
    }
    if (!lua_istable(L, SCHEMA)) {
        lua_pushnil(L);
        lua_pushstring(L, TRL("reglens 'params' er ikke en tabel",
                              "the rule's 'params' is not a table"));
        return 2;
    }
    /* the schema's names, sorted: a few, or a userdata for more (then below 'out') */
    struct name small[32];
    struct name *names = small;
    size_t nn = read_names(L, SCHEMA, names, sizeof(small) / sizeof(small[0]));
    if (nn > sizeof(small) / sizeof(small[0])) {
        names = lua_newuserdatauv(L, nn * sizeof(*names), 0);
        size_t got = read_names(L, SCHEMA, names, nn);
        nn = got < nn ? got : nn; /* a weak schema can only lose keys meanwhile */
    }
    /* the checked params: the goal's own table (a new one for each goal) with the defaults */
    lua_pushvalue(L, PARAMS);
    const int out = lua_gettop(L);
    for (size_t i = 1; i < nn; i++) { /* insertion sort: a schema has a few names */
        struct name x = names[i];
        size_t j = i;
        for (; j > 0 && name_cmp(&x, &names[j - 1]) < 0; j--)
            names[j] = names[j - 1];
        names[j] = x;
    }
    /* no key the schema does not name; of several, the first in byte order is named (a table's
     * order is seeded per state, so naming the first one met changed from run to run) */
    lua_pushnil(L);
    const int unknown = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, PARAMS)) {
        lua_pop(L, 1); /* the value */
        lua_pushvalue(L, -1);
        bool named = lua_rawget(L, SCHEMA) != LUA_TNIL;
        lua_pop(L, 1);
        if (!named && (lua_isnil(L, unknown) || key_before(L, -1, unknown))) {
            lua_pushvalue(L, -1);
            lua_replace(L, unknown);
        }
    }
    if (!lua_isnil(L, unknown)) {
        const int key = unknown;
        {
            luaL_checkstack(L, 50, NULL); /* a message's pieces: concatenated by 40 at most */
            lua_pushnil(L); /* result 1 */
            lua_pushstring(L, TRL("ukendt parameter '", "unknown parameter '"));
            luaL_tolstring(L, key, NULL);
            lua_pushliteral(L, "'");
            int parts = 3;
            const struct name *dym = NULL;
            if (lua_type(L, key) == LUA_TSTRING) {
                size_t n;
                const char *s = lua_tolstring(L, key, &n);
                dym = did_you_mean(s, n, names, nn);
            }
            if (dym) {
                lua_pushstring(L, TRL(" (mente du '", " (did you mean '"));
                lua_pushlstring(L, dym->s, dym->len);
                lua_pushliteral(L, "'?)");
                parts += 3;
            }
            lua_pushstring(L, TRL(", forventede en af ", ", expected one of "));
            parts++;
            if (nn == 0) {
                lua_pushliteral(L, "-");
                parts++;
            }
            for (size_t i = 0; i < nn; i++) {
                if (i)
                    lua_pushliteral(L, ", ");
                lua_pushlstring(L, names[i].s, names[i].len);
                parts += i ? 2 : 1;
                if (parts > 40) {
                    lua_concat(L, parts);
                    parts = 1;
                }
            }
            lua_concat(L, parts); /* result 2 */
            lua_pushvalue(L, key);
            lua_pushliteral(L, "key");
            return 4;
        }
    }
    lua_pop(L, 1); /* the unknown-key slot */
    /* each name's check, in the names' order */
    for (size_t i = 0; i < nn; i++) {
        const int name = out + 1, spec = out + 2, ty_at = out + 3, v = out + 4;
        lua_settop(L, out);
        lua_pushlstring(L, names[i].s, names[i].len); /* name */
        lua_pushvalue(L, name);
        lua_rawget(L, SCHEMA); /* spec */
        int ty;
        if (lua_type(L, spec) == LUA_TSTRING) {
            lua_pushvalue(L, spec); /* ty_at */
        } else if (lua_istable(L, spec)) {
            lua_pushliteral(L, "type");
            lua_rawget(L, spec);
            if (!lua_toboolean(L, -1)) {
                lua_pop(L, 1);
                lua_pushliteral(L, "string");
            }
        } else {
            luaL_checkstack(L, 20, NULL);
            lua_pushnil(L);
            lua_pushstring(L, TRL("reglens skema for '", "the rule's schema for '"));
            lua_pushvalue(L, name);
            lua_pushstring(L, TRL("' er ikke en tabel", "' is not a table"));
            lua_concat(L, 3);
            return 2;
        }
        ty = ptype_of(L, ty_at);
        if (ty < 0) {
            luaL_checkstack(L, 20, NULL);
            lua_pushnil(L);
            lua_pushstring(L, TRL("reglens skema for '", "the rule's schema for '"));
            lua_pushvalue(L, name);
            lua_pushstring(L, TRL("' har den ukendte type '", "' has the unknown type '"));
            luaL_tolstring(L, ty_at, NULL);
            lua_pushliteral(L, "'");
            lua_concat(L, 5);
            return 2;
        }
        const bool spec_table = lua_istable(L, spec);
        lua_pushvalue(L, name);
        lua_rawget(L, out); /* v */
        if (lua_isnil(L, v)) {
            if (spec_table) {
                lua_pushliteral(L, "required");
                if (lua_rawget(L, spec) != LUA_TNIL && lua_toboolean(L, -1)) {
                    luaL_checkstack(L, 20, NULL);
                    lua_pushnil(L);
                    lua_pushstring(L, TRL("parameteren '", "parameter '"));
                    lua_pushvalue(L, name);
                    lua_pushstring(L, TRL("' mangler (", "' is missing ("));
                    lua_pushstring(L, PWORD[en_][ty]);
                    lua_pushliteral(L, ")");
                    lua_concat(L, 5);
                    lua_pushvalue(L, name);
                    return 3;
                }
                lua_pushliteral(L, "default");
                if (lua_rawget(L, spec) != LUA_TNIL) {
                    lua_pushvalue(L, name);
                    lua_insert(L, -2);
                    lua_rawset(L, out);
                }
            }
            continue;
        }
        if (!ptype_ok(L, ty, v)) {
            push_param_is(L, name, v, en_);
            lua_pushstring(L, TRL(", forventede ", ", expected "));
            lua_pushstring(L, PWORD[en_][ty]);
            lua_concat(L, 6);
            lua_pushvalue(L, name);
            return 3;
        }
        if (!spec_table)
            continue;
        lua_pushliteral(L, "enum");
        const int enm = lua_gettop(L);
        if (lua_rawget(L, spec) != LUA_TTABLE)
            continue;
        /* the rule's table, beside the goal's params: raw reads and rawequal only */
        bool ok = false;
        lua_Integer n = 0;
        for (lua_Integer e = 1; lua_rawgeti(L, enm, e) != LUA_TNIL; e++) {
            ok = ok || lua_rawequal(L, -1, v);
            lua_pop(L, 1);
            n = e;
        }
        lua_pop(L, 1);
        if (ok)
            continue;
        push_param_is(L, name, v, en_);
        lua_pushstring(L, TRL(", forventede en af ", ", expected one of "));
        int parts = 5;
        for (lua_Integer e = 1; e <= n; e++) {
            if (e > 1) {
                lua_pushliteral(L, ", ");
                parts++;
            }
            int et = lua_rawgeti(L, enm, e);
            if (et == LUA_TSTRING || et == LUA_TNUMBER || et == LUA_TBOOLEAN) {
                luaL_tolstring(L, -1, NULL);
                lua_remove(L, -2);
            } else {
                lua_pop(L, 1);
                lua_pushstring(L, lua_typename(L, et));
            }
            parts++;
            if (parts > 40) {
                lua_concat(L, parts);
                parts = 1;
            }
        }
        lua_concat(L, parts);
        lua_pushvalue(L, name);
        return 3;
    }
    lua_settop(L, out);
    return 1;
}
