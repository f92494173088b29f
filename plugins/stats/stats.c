/* stats: exact statistics for small survey samples, registered as Lua functions for rules.
 *
 *   stats.fisher(a, b, c, d) -> p
 *       Fisher's exact test for the 2x2 table {{a, b}, {c, d}}: the two-sided p-value, the sum
 *       of the hypergeometric probabilities of all tables with the same margins that are at most
 *       as probable as the observed one (relative tolerance 1e-7, as R's fisher.test). Terms are
 *       computed as logarithms with log-gamma, so large counts do not overflow.
 *   stats.wilson(k, n [, z]) -> lower, upper
 *       The Wilson score interval for the proportion k/n (0..1) at the normal quantile z
 *       (default 1.959963984540054, 95 %).
 *
 * The functions run inside a rule's sandbox: they check their arguments with luaL_check*
 * (whole, non-negative counts; a bounded table size, so a call cannot outlast the rule's time
 * limit) and raise a Lua error otherwise. No state, no allocation, no I/O.
 * Build: make plugins (mk/plugins.mk). Load: maal ... --plugin plugins/stats */
#define _DEFAULT_SOURCE /* lgamma_r: lgamma without the global signgam (rules run in threads) */
#include <float.h>
#include <math.h>

#include <lauxlib.h>
#include <lua.h>

#include "maal_plugin.h"

/* At most this many observations in a table (survey samples are a few thousand): the test
 * sums at most MAX_TOTAL / 2 + 1 terms. Above it the normal approximation is exact enough. */
#define MAX_TOTAL 1000000
#define WILSON_MAX_N 1000000000LL

static lua_Integer count_arg(lua_State *L, int i, lua_Integer max)
{
    lua_Integer v = luaL_checkinteger(L, i);
    luaL_argcheck(L, v >= 0, i, "expected a non-negative whole number");
    luaL_argcheck(L, v <= max, i, "count too large");
    return v;
}

static double log_factorial(lua_Integer k)
{
    int sign;
    return lgamma_r((double)k + 1.0, &sign);
}

/* log P(X = x) up to the constant -log C(n, r1): log C(c1, x) + log C(n - c1, r1 - x) */
static double log_term(lua_Integer x, lua_Integer r1, lua_Integer c1, lua_Integer n)
{
    return -log_factorial(x) - log_factorial(c1 - x) - log_factorial(r1 - x) -
           log_factorial(n - c1 - r1 + x);
}

static int l_fisher(lua_State *L)
{
    if (lua_gettop(L) != 4)
        return luaL_error(L, "stats.fisher: expected 4 counts (a, b, c, d), got %d arguments",
                          lua_gettop(L));
    lua_Integer a = count_arg(L, 1, MAX_TOTAL), b = count_arg(L, 2, MAX_TOTAL),
                c = count_arg(L, 3, MAX_TOTAL), d = count_arg(L, 4, MAX_TOTAL);
    lua_Integer n = a + b + c + d;
    if (n > MAX_TOTAL)
        return luaL_error(L, "stats.fisher: the table has %I observations, at most %d are allowed",
                          n, MAX_TOTAL);
    lua_Integer r1 = a + b, c1 = a + c, r2 = c + d;
    lua_Integer lo = c1 - r2 > 0 ? c1 - r2 : 0, hi = r1 < c1 ? r1 : c1;
    if (lo == hi) { /* one possible table (also the empty one) */
        lua_pushnumber(L, 1.0);
        return 1;
    }
    /* the most probable table is at the mode; scale every term by it so exp never underflows
     * for the terms that matter and the constant C(n, r1) cancels */
    lua_Integer mode = (lua_Integer)floor((double)(r1 + 1) * (double)(c1 + 1) / (double)(n + 2));
    if (mode < lo)
        mode = lo;
    if (mode > hi)
        mode = hi;
    double lmax = log_term(mode, r1, c1, n);
    double lobs = log_term(a, r1, c1, n);
    double cut = lobs + log1p(1e-7);
    double total = 0.0, tail = 0.0;
    for (lua_Integer x = lo; x <= hi; x++) {
        double lx = log_term(x, r1, c1, n);
        double px = exp(lx - lmax);
        total += px;
        if (lx <= cut)
            tail += px;
    }
    double p = tail / total;
    lua_pushnumber(L, p > 1.0 ? 1.0 : p);
    return 1;
}

static int l_wilson(lua_State *L)
{
    int top = lua_gettop(L);
    if (top < 2 || top > 3)
        return luaL_error(L, "stats.wilson: expected (successes, n [, z]), got %d arguments", top);
    lua_Integer k = count_arg(L, 1, WILSON_MAX_N);
    lua_Integer n = count_arg(L, 2, WILSON_MAX_N);
    luaL_argcheck(L, n > 0, 2, "n must be at least 1");
    luaL_argcheck(L, k <= n, 1, "successes must be at most n");
    double z = luaL_optnumber(L, 3, 1.959963984540054);
    luaL_argcheck(L, isfinite(z) && z > 0 && z <= 10, 3, "z must be a number in (0, 10]");
    double nn = (double)n, ph = (double)k / nn, z2 = z * z;
    double denom = 1.0 + z2 / nn;
    double center = (ph + z2 / (2.0 * nn)) / denom;
    double half = z * sqrt(ph * (1.0 - ph) / nn + z2 / (4.0 * nn * nn)) / denom;
    double lower = k == 0 ? 0.0 : center - half, upper = k == n ? 1.0 : center + half;
    lua_pushnumber(L, lower < 0.0 ? 0.0 : lower);
    lua_pushnumber(L, upper > 1.0 ? 1.0 : upper);
    return 2;
}

int maal_plugin_init_v1(struct maal_plugin_host *host);

int maal_plugin_init_v1(struct maal_plugin_host *host)
{
    if (!MAAL_PLUGIN_LUA_OK(host) || !host->add_function)
        return -1;
    if (host->add_function(host, "fisher", l_fisher) != 0)
        return -1;
    if (host->add_function(host, "wilson", l_wilson) != 0)
        return -1;
    return 0;
}
