/* msgfmt: the standard rules' common messages (maal.std's target_check, baseline_check,
 * annual, and monitor) formatted in C from the numbers the result carries, in one call: no
 * string.format, no number made a Lua string, no concatenation in Lua (issue 19).
 *
 * The text is the prelude's byte for byte: the same templates, maal_fmt_number for every
 * number as maal.fmt does (C.fmt), the units of maal.with_unit and the signs of maal.signed.
 * Whatever the Lua would have done differently (a value that is not a number, a label that
 * is not text, a unit it does not know, a year with no integer form) is not formatted here:
 * maal_lua_msg returns nil and the prelude formats it as before, raising the same errors.
 * tests/unit/test_msgfmt.c holds the two against each other on a table of cases. */
#include "msgfmt.h"

#include <lauxlib.h>
#include <string.h>

#include "util.h"

/* one message's arguments, read from the stack */
struct margs {
    lua_State *L;
    bool en;
};

/* maal.fmt(x): maal_fmt_number with the -1 decimals and the 64-byte buffer of C.fmt */
static void add_num(luaL_Buffer *b, double x, bool en)
{
    char out[64];
    maal_fmt_number(out, sizeof(out), x, -1, en ? MAAL_LANG_EN : MAAL_LANG_DA);
    luaL_addstring(b, out);
}

/* %d of string.format: the integer (already checked to have one) */
static void add_int(luaL_Buffer *b, lua_Integer v)
{
    char tmp[24];
    size_t n = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        luaL_addchar(b, '-');
    while (n)
        luaL_addchar(b, tmp[--n]);
}

/* maal.signed(x): "+" and "−" (U+2212) before the number, 0 (also for NaN) without */
static void add_signed(luaL_Buffer *b, double x, bool en)
{
    if (x > 0) {
        luaL_addchar(b, '+');
        add_num(b, x, en);
    } else if (x < 0) {
        luaL_addstring(b, "−");
        add_num(b, -x, en);
    } else {
        add_num(b, 0, en);
    }
}

/* maal.with_unit's word for a unit (nil: "number"); NULL for one it does not know */
static const char *unit_word(lua_State *L, int i, bool en)
{
    static const char *const names[] = {"percent", "per_1000", "count", "kr", "number", "pp"};
    static const char *const da[] = {"%", "pr. 1000 indb.", "", "kr.", "", "pct.-point"};
    static const char *const eng[] = {"%", "per 1000 inh.", "", "DKK", "", "percentage points"};
    if (lua_isnoneornil(L, i))
        return "";
    if (lua_type(L, i) != LUA_TSTRING)
        return NULL;
    const char *u = lua_tostring(L, i);
    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
        if (!strcmp(u, names[k]))
            return en ? eng[k] : da[k];
    return NULL;
}

/* maal.with_unit(x, unit) */
static void add_with_unit(luaL_Buffer *b, double x, const char *word, bool en)
{
    add_num(b, x, en);
    if (*word) {
        luaL_addchar(b, ' ');
        luaL_addstring(b, word);
    }
}

/* the argument checks: each false when the Lua would format it otherwise (or fail) */
static bool num_at(lua_State *L, int i, double *out)
{
    if (lua_type(L, i) != LUA_TNUMBER)
        return false;
    *out = (double)lua_tonumber(L, i);
    return true;
}

/* a number for maal.signed: not the one integer whose negation wraps (-mininteger is itself in
 * Lua, "−-9,22337e+18") */
static bool signed_at(lua_State *L, int i, double *out)
{
    return num_at(L, i, out) && !(lua_isinteger(L, i) && lua_tointeger(L, i) == LUA_MININTEGER);
}

static bool int_at(lua_State *L, int i, lua_Integer *out)
{
    int isnum = 0;
    if (lua_type(L, i) != LUA_TNUMBER)
        return false;
    *out = lua_tointegerx(L, i, &isnum);
    return isnum != 0;
}

static bool text_at(lua_State *L, int i, const char **s, size_t *len)
{
    if (lua_type(L, i) != LUA_TSTRING)
        return false;
    *s = lua_tolstring(L, i, len);
    return true;
}

#define TX(en, da_, en_) ((en) ? (en_) : (da_))

/* "target", lang, label, value, unit, year, want, by_year|nil, state */
static int msg_target(lua_State *L, bool en)
{
    const char *label, *want, *uw;
    size_t llen, wlen;
    double v;
    lua_Integer y, by = 0, state;
    if (!text_at(L, 3, &label, &llen) || !num_at(L, 4, &v) || !(uw = unit_word(L, 5, en)) ||
        !int_at(L, 6, &y) || !text_at(L, 7, &want, &wlen) ||
        (!lua_isnil(L, 8) && !int_at(L, 8, &by)) || !int_at(L, 9, &state) || state < 0 ||
        state > 2 || (state && lua_isnil(L, 8)))
        return 0;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addlstring(&b, label, llen);
    luaL_addstring(&b, ": ");
    add_with_unit(&b, v, uw, en);
    luaL_addstring(&b, TX(en, " i ", " in "));
    add_int(&b, y);
    luaL_addstring(&b, TX(en, "; målet er ", "; the goal is "));
    luaL_addlstring(&b, want, wlen);
    if (!lua_isnil(L, 8)) {
        luaL_addstring(&b, TX(en, " senest ", " by "));
        add_int(&b, by);
        if (state == 1) {
            luaL_addstring(&b, TX(en, ", og det er allerede nået", ", and it is met already"));
        } else if (state == 2) {
            luaL_addstring(&b, TX(en, "; endnu ikke nået, men først krævet i ",
                                  "; not met yet, but only due in "));
            add_int(&b, by);
        }
    }
    luaL_pushresult(&b);
    return 1;
}

/* "name: v in y against b in by (±change)" of baseline_check, annual and monitor */
static void add_against(luaL_Buffer *b, const char *name, size_t nlen, double v, lua_Integer y,
                        double base, lua_Integer by, const char *uw, bool en)
{
    luaL_addlstring(b, name, nlen);
    luaL_addstring(b, ": ");
    add_with_unit(b, v, uw, en);
    luaL_addstring(b, TX(en, " i ", " in "));
    add_int(b, y);
    luaL_addstring(b, TX(en, " mod ", " against "));
    add_with_unit(b, base, uw, en);
    luaL_addstring(b, TX(en, " i ", " in "));
    add_int(b, by);
    luaL_addstring(b, " (");
}

/* the unit of a change of two shares (the unit at index i is percent): percentage points,
 * "+5 pct.-point", not "+5" beside "26 %" (which reads as 5 %) */
static void add_pp(luaL_Buffer *b, lua_State *L, int i, bool en)
{
    if (lua_type(L, i) == LUA_TSTRING && !strcmp(lua_tostring(L, i), "percent"))
        luaL_addstring(b, TX(en, " pct.-point", " pp"));
}

/* "baseline", lang, name, value, unit, year, base, base_year, change, dir, strict */
static int msg_baseline(lua_State *L, bool en)
{
    const char *name, *uw;
    size_t nlen;
    double v, base, change;
    lua_Integer y, by, dir;
    if (!text_at(L, 3, &name, &nlen) || !num_at(L, 4, &v) || !(uw = unit_word(L, 5, en)) ||
        !int_at(L, 6, &y) || !num_at(L, 7, &base) || !int_at(L, 8, &by) ||
        !signed_at(L, 9, &change) || !int_at(L, 10, &dir) || (dir != 1 && dir != -1) ||
        lua_type(L, 11) != LUA_TBOOLEAN)
        return 0;
    bool strict = lua_toboolean(L, 11);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    add_against(&b, name, nlen, v, y, base, by, uw, en);
    add_signed(&b, change, en);
    add_pp(&b, L, 5, en);
    luaL_addstring(&b, TX(en, "); målet er ", "); the goal is "));
    if (dir < 0)
        luaL_addstring(&b, strict ? TX(en, "et fald fra ", "a decrease from the ")
                                  : TX(en, "højst ", "at most the "));
    else
        luaL_addstring(&b, strict ? TX(en, "en stigning fra ", "an increase from the ")
                                  : TX(en, "mindst ", "at least the "));
    add_int(&b, by);
    luaL_addstring(&b, TX(en, "-niveau", " level"));
    luaL_pushresult(&b);
    return 1;
}

/* "annual", lang, name, value, unit, year, prev, change, dir */
static int msg_annual(lua_State *L, bool en)
{
    const char *name, *uw;
    size_t nlen;
    double v, prev, change;
    lua_Integer y, dir;
    if (!text_at(L, 3, &name, &nlen) || !num_at(L, 4, &v) || !(uw = unit_word(L, 5, en)) ||
        !int_at(L, 6, &y) || y == LUA_MININTEGER || !num_at(L, 7, &prev) ||
        !signed_at(L, 8, &change) || !int_at(L, 9, &dir))
        return 0;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    add_against(&b, name, nlen, v, y, prev, y - 1, uw, en);
    add_signed(&b, change, en);
    add_pp(&b, L, 5, en);
    luaL_addstring(&b, TX(en, "); målet er ", "); the goal is "));
    luaL_addstring(&b, dir < 0 ? TX(en, "et fald", "a decrease") : TX(en, "en stigning", "an increase"));
    luaL_addstring(&b, TX(en, " hvert år", " every year"));
    luaL_pushresult(&b);
    return 1;
}

/* "monitor", lang, name, value, unit, year [, base, base_year, change] */
static int msg_monitor(lua_State *L, bool en)
{
    const char *name, *uw;
    size_t nlen;
    double v, base, change;
    lua_Integer y, by;
    if (!text_at(L, 3, &name, &nlen) || !num_at(L, 4, &v) || !(uw = unit_word(L, 5, en)) ||
        !int_at(L, 6, &y))
        return 0;
    luaL_Buffer b;
    if (lua_isnoneornil(L, 7)) {
        luaL_buffinit(L, &b);
        luaL_addlstring(&b, name, nlen);
        luaL_addstring(&b, ": ");
        add_with_unit(&b, v, uw, en);
        luaL_addstring(&b, TX(en, " i ", " in "));
        add_int(&b, y);
        luaL_addstring(&b, TX(en, " (monitoreres; ingen sammenlignelig baseline)",
                              " (monitored; no comparable baseline)"));
        luaL_pushresult(&b);
        return 1;
    }
    if (!num_at(L, 7, &base) || !int_at(L, 8, &by) || !signed_at(L, 9, &change))
        return 0;
    luaL_buffinit(L, &b);
    add_against(&b, name, nlen, v, y, base, by, uw, en);
    add_signed(&b, change, en);
    add_pp(&b, L, 5, en);
    luaL_addstring(&b, TX(en, "); monitoreres uden mål", "); monitored, no target"));
    luaL_pushresult(&b);
    return 1;
}

/* "want", lang, op, a [, b [, unit]]: the target as at_least, at_most and range word it, with
 * the unit after the last number (maal.with_unit): maal.opword(op)
 * .. " " .. maal.fmt(a) for "<=", ">=", "<" and ">"; maal.fmt(a) .. "–" .. maal.fmt(b) for
 * "range" */
static int msg_want(lua_State *L, bool en)
{
    static const char *const ops[] = {"<=", ">=", "<", ">"};
    static const char *const da[] = {"højst", "mindst", "under", "over"};
    static const char *const eng[] = {"at most", "at least", "below", "above"};
    double a, b;
    const char *uw = unit_word(L, 6, en);
    if (lua_type(L, 3) != LUA_TSTRING || !num_at(L, 4, &a) || !uw)
        return 0;
    const char *op = lua_tostring(L, 3);
    luaL_Buffer buf;
    if (!strcmp(op, "range")) {
        if (!num_at(L, 5, &b))
            return 0;
        luaL_buffinit(L, &buf);
        add_num(&buf, a, en);
        luaL_addstring(&buf, "–");
        add_with_unit(&buf, b, uw, en);
        luaL_pushresult(&buf);
        return 1;
    }
    for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
        if (strcmp(op, ops[k]))
            continue;
        luaL_buffinit(L, &buf);
        luaL_addstring(&buf, en ? eng[k] : da[k]);
        luaL_addchar(&buf, ' ');
        add_with_unit(&buf, a, uw, en);
        luaL_pushresult(&buf);
        return 1;
    }
    return 0;
}

/* the i-th element of the table at t: a string (its bytes stay in the table) or NULL */
static const char *list_str(lua_State *L, int t, lua_Integer i, size_t *len)
{
    const char *s = NULL;
    if (lua_rawgeti(L, t, i) == LUA_TSTRING)
        s = lua_tolstring(L, -1, len);
    lua_pop(L, 1);
    return s;
}

static bool list_int(lua_State *L, int t, lua_Integer i, lua_Integer *out)
{
    lua_rawgeti(L, t, i);
    bool ok = int_at(L, -1, out);
    lua_pop(L, 1);
    return ok;
}

/* share_of_activities' lists: n names (and counts, when counts is not 0) all of the kind the
 * Lua writes as the C does */
static bool share_list_ok(lua_State *L, int names, int counts, lua_Integer n)
{
    size_t len;
    lua_Integer c;
    if (lua_type(L, names) != LUA_TTABLE || (counts && lua_type(L, counts) != LUA_TTABLE))
        return false;
    for (lua_Integer i = 1; i <= n; i++)
        if (!list_str(L, names, i, &len) || (counts && !list_int(L, counts, i, &c)))
            return false;
    return true;
}

#define SHARE_MAXNAMES 30

/* "name (count), ..." or "name, ...", at most SHARE_MAXNAMES, then " og N flere" */
static void add_share_list(luaL_Buffer *b, lua_State *L, int names, int counts, lua_Integer n,
                           bool en)
{
    size_t len;
    lua_Integer c = 0;
    for (lua_Integer i = 1; i <= n && i <= SHARE_MAXNAMES; i++) {
        if (i > 1)
            luaL_addstring(b, ", ");
        const char *s = list_str(L, names, i, &len);
        luaL_addlstring(b, s, len);
        if (counts) {
            list_int(L, counts, i, &c);
            luaL_addstring(b, " (");
            add_int(b, c);
            luaL_addchar(b, ')');
        }
    }
    if (n > SHARE_MAXNAMES) {
        luaL_addstring(b, TX(en, " og ", " and "));
        add_int(b, n - SHARE_MAXNAMES);
        luaL_addstring(b, TX(en, " flere", " more"));
    }
}

/* "share", lang, k, n, pct, min_partners, threshold, year, counted_names, counted_counts,
 * below_names, below_counts, #below, later_names */
static int msg_share(lua_State *L, bool en)
{
    lua_Integer k, n, minp, year, nb;
    double pct, threshold;
    if (!int_at(L, 3, &k) || !int_at(L, 4, &n) || !num_at(L, 5, &pct) || !int_at(L, 6, &minp) ||
        !num_at(L, 7, &threshold) || !int_at(L, 8, &year) || !int_at(L, 13, &nb) || k < 0 ||
        nb < 0 || lua_type(L, 14) != LUA_TTABLE)
        return 0;
    lua_Integer nl = (lua_Integer)lua_rawlen(L, 14);
    if (!share_list_ok(L, 9, 10, k) || !share_list_ok(L, 11, 12, nb) ||
        !share_list_ok(L, 14, 0, nl))
        return 0;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    add_int(&b, k);
    luaL_addstring(&b, TX(en, " af ", " of "));
    add_int(&b, n);
    luaL_addstring(&b, TX(en, " aktiviteter (", " activities ("));
    add_num(&b, pct, en);
    luaL_addstring(&b, TX(en, " %) har mindst ", " %) have at least "));
    add_int(&b, minp);
    luaL_addstring(&b, TX(en, " samarbejdspartnere; målet er mindst ",
                          " partners; the goal is at least "));
    add_num(&b, threshold, en);
    luaL_addstring(&b, " %");
    if (k > 0) {
        luaL_addstring(&b, TX(en, ". Med mindst ", ". With at least "));
        add_int(&b, minp);
        luaL_addstring(&b, ": ");
        add_share_list(&b, L, 9, 10, k, en);
    }
    if (nb > 0) {
        luaL_addstring(&b, TX(en, ". Færre end ", ". Fewer than "));
        add_int(&b, minp);
        luaL_addstring(&b, ": ");
        add_share_list(&b, L, 11, 12, nb, en);
    }
    if (nl > 0) {
        luaL_addstring(&b, TX(en, ". Kører ikke i ", ". Not running in "));
        add_int(&b, year);
        luaL_addstring(&b, TX(en, " og tæller ikke med: ", " and not counted: "));
        add_share_list(&b, L, 14, 0, nl, en);
    }
    luaL_pushresult(&b);
    return 1;
}

/* "on_track", lang, #off, off_names, off_partly, n, concern_names, flagged
 * (activities_on_track): off_partly[i] true for "partly", false for "no" */
static int msg_on_track(lua_State *L, bool en)
{
    lua_Integer no, n, flagged;
    size_t len;
    if (!int_at(L, 3, &no) || no < 0 || !int_at(L, 6, &n) || !int_at(L, 8, &flagged) ||
        lua_type(L, 5) != LUA_TTABLE || !share_list_ok(L, 4, 0, no) ||
        lua_type(L, 7) != LUA_TTABLE)
        return 0;
    for (lua_Integer i = 1; i <= no; i++) {
        int t = lua_rawgeti(L, 5, i);
        lua_pop(L, 1);
        if (t != LUA_TBOOLEAN)
            return 0;
    }
    lua_Integer nc = (lua_Integer)lua_rawlen(L, 7);
    if (!share_list_ok(L, 7, 0, nc))
        return 0;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    add_int(&b, no);
    luaL_addstring(&b, TX(en, " af ", " of "));
    add_int(&b, n);
    luaL_addstring(&b, TX(en, " aktiviteter kører ikke fuldt som planlagt",
                          " activities do not fully run as planned"));
    for (lua_Integer i = 1; i <= no; i++) {
        luaL_addstring(&b, i == 1 ? ": " : ", ");
        const char *s = list_str(L, 4, i, &len);
        luaL_addlstring(&b, s, len);
        lua_rawgeti(L, 5, i);
        bool partly = lua_toboolean(L, -1);
        lua_pop(L, 1);
        luaL_addstring(&b, partly ? TX(en, " (delvist)", " (partly)") : TX(en, " (nej)", " (no)"));
    }
    luaL_addstring(&b, "; ");
    add_int(&b, nc);
    luaL_addstring(&b, TX(en, " rapporterer bekymringer", " report concerns"));
    for (lua_Integer i = 1; i <= nc; i++) {
        luaL_addstring(&b, i == 1 ? ": " : ", ");
        const char *s = list_str(L, 7, i, &len);
        luaL_addlstring(&b, s, len);
    }
    luaL_addstring(&b, TX(en, "; i alt ", "; "));
    add_int(&b, flagged);
    luaL_addstring(&b, TX(en, " af ", " of "));
    add_int(&b, n);
    luaL_addstring(&b, TX(en, " kræver opmærksomhed", " need attention in all"));
    luaL_pushresult(&b);
    return 1;
}

/* "budget", lang, ok, rows, sum, stated, diff (budget_balance) */
static int msg_budget(lua_State *L, bool en)
{
    lua_Integer rows;
    double sum, stated = 0, diff = 0;
    const char *kr = TX(en, "kr.", "DKK");
    if (lua_type(L, 3) != LUA_TBOOLEAN || !int_at(L, 4, &rows) || !num_at(L, 5, &sum))
        return 0;
    bool ok = lua_toboolean(L, 3);
    if (!ok && (!num_at(L, 6, &stated) || !signed_at(L, 7, &diff)))
        return 0;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    add_int(&b, rows);
    luaL_addstring(&b, TX(en, " rækker summerer til ", " rows add up to "));
    add_with_unit(&b, sum, kr, en);
    if (ok) {
        luaL_addstring(&b, TX(en, ", som angivet", ", as stated"));
    } else {
        luaL_addstring(&b, TX(en, ", men tabellen angiver ", ", but the table states "));
        add_with_unit(&b, stated, kr, en);
        luaL_addstring(&b, TX(en, " (forskel ", " (difference "));
        add_signed(&b, diff, en);
        luaL_addchar(&b, ' ');
        luaL_addstring(&b, kr);
        luaL_addchar(&b, ')');
    }
    luaL_pushresult(&b);
    return 1;
}

int maal_lua_msg(lua_State *L)
{
    const char *kind = lua_type(L, 1) == LUA_TSTRING ? lua_tostring(L, 1) : "";
    bool en = lua_type(L, 2) == LUA_TSTRING && !strcmp(lua_tostring(L, 2), "en");
    lua_settop(L, 14); /* absent arguments are nil */
    int n = !strcmp(kind, "target")     ? msg_target(L, en)
            : !strcmp(kind, "baseline") ? msg_baseline(L, en)
            : !strcmp(kind, "annual")   ? msg_annual(L, en)
            : !strcmp(kind, "monitor")  ? msg_monitor(L, en)
            : !strcmp(kind, "want")     ? msg_want(L, en)
            : !strcmp(kind, "share")    ? msg_share(L, en)
            : !strcmp(kind, "on_track") ? msg_on_track(L, en)
            : !strcmp(kind, "budget")   ? msg_budget(L, en)
                                        : 0;
    if (!n)
        lua_pushnil(L);
    return 1;
}

/* the conversions of a C.say template, checked against its arguments (from index first) */
static bool say_ok(lua_State *L, const char *t, size_t len, int first)
{
    int arg = first, top = lua_gettop(L);
    for (size_t i = 0; i < len; i++) {
        if (t[i] != '%')
            continue;
        if (++i == len)
            return false;
        if (t[i] == '%')
            continue;
        if (arg > top)
            return false;
        if (t[i] == 's') {
            if (lua_type(L, arg) != LUA_TSTRING)
                return false;
        } else if (t[i] == 'd') {
            int isnum = 0;
            if (lua_type(L, arg) != LUA_TNUMBER)
                return false;
            (void)lua_tointegerx(L, arg, &isnum);
            if (!isnum)
                return false;
        } else {
            return false;
        }
        arg++;
    }
    return true;
}

int maal_lua_say(lua_State *L)
{
    bool en = lua_type(L, 1) == LUA_TSTRING && !strcmp(lua_tostring(L, 1), "en");
    int ti = en && lua_toboolean(L, 3) ? 3 : 2; /* maal.msg: en or da */
    if (lua_type(L, ti) != LUA_TSTRING) {
        lua_pushnil(L);
        return 1;
    }
    size_t len;
    const char *t = lua_tolstring(L, ti, &len);
    if (!say_ok(L, t, len, 4)) {
        lua_pushnil(L);
        return 1;
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    int arg = 4;
    size_t run = 0; /* start of the literal text not yet added */
    for (size_t i = 0; i < len; i++) {
        if (t[i] != '%')
            continue;
        luaL_addlstring(&b, t + run, i - run);
        char c = t[++i];
        run = i + 1;
        if (c == '%') {
            luaL_addchar(&b, '%');
        } else if (c == 's') {
            size_t sl;
            const char *s = lua_tolstring(L, arg++, &sl);
            luaL_addlstring(&b, s, sl);
        } else {
            add_int(&b, lua_tointegerx(L, arg++, NULL));
        }
    }
    luaL_addlstring(&b, t + run, len - run);
    luaL_pushresult(&b);
    return 1;
}
