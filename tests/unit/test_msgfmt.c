/* test_msgfmt: the standard rules' common messages made in C (core/msgfmt.c, C.msg) against
 * the Lua that made them before (the prelude's string.format templates, maal.fmt, maal.signed
 * and maal.with_unit, copied below as they were), on a table of cases in both languages: the
 * same bytes, or nil from C where the Lua would format otherwise or fail (the prelude then
 * runs that Lua itself). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <lauxlib.h>
#include <lualib.h>

#include "msgfmt.h"
#include "util.h"

/* C.fmt as core/sandbox.c gives it to the prelude */
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

/* The Lua before C.msg (core/prelude/maal.lua, std.lua, rules/monitor.lua at d300e75), with
 * the pct.-point of a percent change in baseline and monitor as annual has it. */
static const char old_lua[] =
    "local cfmt, cmsg = ...\n"
    "local sfmt = string.format\n"
    "local LANG = 'da'\n"
    "local function m2(da, en) if LANG == 'en' then return en or da end return da end\n"
    "local function fmt(x, d) if type(x) ~= 'number' then return tostring(x) end\n"
    "  return cfmt(x, d or -1, LANG) end\n"
    "local function signed(x, d)\n"
    "  if type(x) ~= 'number' then return tostring(x) end\n"
    "  if x > 0 then return '+' .. fmt(x, d) end\n"
    "  if x < 0 then return '\\u{2212}' .. fmt(-x, d) end\n"
    "  return fmt(0, d) end\n"
    "local UNIT = {\n"
    "  da = {percent = '%', per_1000 = 'pr. 1000 indb.', count = '', kr = 'kr.', number = '',\n"
    "        pp = 'pct.-point'},\n"
    "  en = {percent = '%', per_1000 = 'per 1000 inh.', count = '', kr = 'DKK', number = '',\n"
    "        pp = 'percentage points'}}\n"
    "local function with_unit(x, unit, d)\n"
    "  local u = (UNIT[LANG] or UNIT.da)[unit or 'number']\n"
    "  if not u then error('unknown unit', 2) end\n"
    "  local s = fmt(x, d)\n"
    "  if u == '' then return s end\n"
    "  return s .. ' ' .. u end\n"
    "local BASEWORD = {\n"
    "  [-1] = {[false] = {'højst %d-niveau', 'at most the %d level'},\n"
    "          [true] = {'et fald fra %d-niveau', 'a decrease from the %d level'}},\n"
    "  [1] = {[false] = {'mindst %d-niveau', 'at least the %d level'},\n"
    "         [true] = {'en stigning fra %d-niveau', 'an increase from the %d level'}}}\n"
    "local old = {}\n"
    "function old.target(label, v, u, y, want, by_year, state)\n"
    "  local base = sfmt(m2('%s: %s i %d; målet er %s', '%s: %s in %d; the goal is %s'), label,\n"
    "    with_unit(v, u), y, want)\n"
    "  if state == 1 then return base .. sfmt(m2(' senest %d, og det er allerede nået',\n"
    "    ' by %d, and it is met already'), by_year) end\n"
    "  if state == 2 then return base .. sfmt(m2(' senest %d; endnu ikke nået, men først "
    "krævet i %d',\n"
    "    ' by %d; not met yet, but only due in %d'), by_year, by_year) end\n"
    "  return base .. (by_year and sfmt(m2(' senest %d', ' by %d'), by_year) or '') end\n"
    "function old.baseline(name, v, unit, y, b, by, change, dir, strict)\n"
    "  local word = BASEWORD[dir][strict]\n"
    "  return sfmt(m2('%s: %s i %d mod %s i %d (%s); målet er ' .. word[1],\n"
    "    '%s: %s in %d against %s in %d (%s); the goal is ' .. word[2]), name,\n"
    "    with_unit(v, unit), y, with_unit(b, unit), by,\n"
    "    signed(change) .. (unit == 'percent' and m2(' pct.-point', ' pp') or ''), by) end\n"
    "function old.annual(name, v, unit, y, prev, change, dir)\n"
    "  local word = dir < 0 and m2('et fald', 'a decrease') or m2('en stigning', 'an increase')\n"
    "  return sfmt(m2('%s: %s i %d mod %s i %d (%s); målet er %s hvert år',\n"
    "    '%s: %s in %d against %s in %d (%s); the goal is %s every year'), name,\n"
    "    with_unit(v, unit), y, with_unit(prev, unit), y - 1,\n"
    "    signed(change) .. (unit == 'percent' and m2(' pct.-point', ' pp') or ''), word) end\n"
    "function old.monitor(name, v, unit, y, b, by, change)\n"
    "  if b == nil then\n"
    "    return sfmt(m2('%s: %s i %d (monitoreres; ingen sammenlignelig baseline)',\n"
    "      '%s: %s in %d (monitored; no comparable baseline)'), name, with_unit(v, unit), y)\n"
    "  end\n"
    "  return sfmt(m2('%s: %s i %d mod %s i %d (%s); monitoreres uden mål',\n"
    "    '%s: %s in %d against %s in %d (%s); monitored, no target'), name,\n"
    "    with_unit(v, unit), y, with_unit(b, unit), by,\n"
    "    signed(change) .. (unit == 'percent' and m2(' pct.-point', ' pp') or '')) end\n"
    /* the cases: every kind over values, units, years and names, in both languages */
    "local nums = {0, -0.0, 1, -1, 7, 18.7, 18.7 - 24.8, 1234.5, -1234.567, 0.1 + 0.2, 1 / 3,\n"
    "  999999.995, 1e15, -2e48, 12345678901234, 0 / 0, math.huge, -math.huge, math.mininteger,\n"
    "  3 // 1, 2.0}\n"
    "local units = {false, 'count', 'per_1000', 'percent', 'pp', 'kr', 'number', 'bad', 7}\n"
    "local years = {2021, 2021.0, 2021.5, -5, '2021', math.maxinteger}\n"
    "local names = {'Indbrud', 'Andel utrygge (%), \\u{e6}\\u{f8}\\u{e5} %s %d', 'a\\0b', '', 42}\n"
    "local same, fallback, bad = 0, 0, {}\n"
    "local function try(kind, ...)\n"
    "  local n = select('#', ...)\n"
    "  local args = {...}\n"
    "  for i = 1, n do if args[i] == false and (i == 3) then args[i] = nil end end\n"
    "  local c = cmsg(kind, LANG, table.unpack(args, 1, n))\n"
    "  local ok, o = pcall(old[kind], table.unpack(args, 1, n))\n"
    "  if c == nil then fallback = fallback + 1; return end\n"
    "  if ok and o == c then same = same + 1; return end\n"
    "  if #bad < 5 then bad[#bad + 1] = kind .. ' ' .. LANG .. ': C \"' .. c .. '\" Lua \"' ..\n"
    "    tostring(o) .. '\"' end\n"
    "end\n"
    "for _, lang in ipairs({'da', 'en'}) do\n"
    "  LANG = lang\n"
    "  for _, name in ipairs(names) do\n"
    "    for _, u in ipairs(units) do\n"
    "      for _, y in ipairs(years) do\n"
    "        for i, v in ipairs(nums) do\n"
    "          local w = nums[#nums + 1 - i]\n"
    "          for _, by in ipairs({false, 2024, 2024.5}) do\n"
    "            for state = 0, 3 do\n"
    "              try('target', name, v, u, y, (i % 3 == 0) and 5 or 'højst 5', by or nil, state)\n"
    "            end\n"
    "          end\n"
    "          for _, dir in ipairs({-1, 1, 0}) do\n"
    "            try('baseline', name, v, u, y, w, 2020, v - w, dir, dir == 1)\n"
    "            try('baseline', name, v, u, y, w, 2020, w, dir, dir ~= 1)\n"
    "            try('annual', name, v, u, y, w, v - w, dir)\n"
    "          end\n"
    "          try('monitor', name, v, u, y)\n"
    "          try('monitor', name, v, u, y, w, 2020, v - w)\n"
    "        end\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n"
    "return same, fallback, table.concat(bad, '\\n')\n";

static lua_State *state(void)
{
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    luaL_openlibs(L);
    return L;
}

static void test_msgfmt_same_as_lua_on_every_case(void **st)
{
    (void)st;
    lua_State *L = state();
    assert_int_equal(luaL_loadbuffer(L, old_lua, sizeof(old_lua) - 1, "=old"), LUA_OK);
    lua_pushcfunction(L, l_fmt);
    lua_pushcfunction(L, maal_lua_msg);
    if (lua_pcall(L, 2, 3, 0) != LUA_OK)
        fail_msg("%s", lua_tostring(L, -1));
    long same = (long)lua_tointeger(L, -3), fallback = (long)lua_tointeger(L, -2);
    const char *bad = lua_tostring(L, -1);
    if (*bad)
        fail_msg("C.msg differs from the Lua:\n%s", bad);
    print_message("%ld cases the same from C and Lua, %ld left to the Lua\n", same, fallback);
    /* most cases are formatted by C (not all left to the fallback), and some are not */
    assert_true(same > 30000);
    assert_true(fallback > 10000);
    lua_close(L);
}

/* call C.msg with the arguments after kind and lang given as Lua source */
static char *msg(lua_State *L, const char *args)
{
    char code[512];
    snprintf(code, sizeof(code), "local m = ... return m(%s)", args);
    assert_int_equal(luaL_loadstring(L, code), LUA_OK);
    lua_pushcfunction(L, maal_lua_msg);
    assert_int_equal(lua_pcall(L, 1, 1, 0), LUA_OK);
    char *s = lua_isnil(L, -1) ? NULL : maal_strdup(lua_tostring(L, -1));
    lua_pop(L, 1);
    return s;
}

static void expect(lua_State *L, const char *args, const char *want)
{
    char *got = msg(L, args);
    if (!want) {
        if (got)
            fail_msg("%s: expected nil, got \"%s\"", args, got);
        return;
    }
    if (!got)
        fail_msg("%s: expected \"%s\", got nil", args, want);
    assert_string_equal(got, want);
    maal_free(got);
}

/* whole messages, written out: what the goldens show, in both languages */
static void test_msgfmt_messages_exact(void **st)
{
    (void)st;
    lua_State *L = state();
    expect(L, "'target', 'da', 'Indbrud', 1234.5, 'per_1000', 2022, 'højst 5', 2024, 2",
           "Indbrud: 1.234,5 pr. 1000 indb. i 2022; målet er højst 5 senest 2024; endnu ikke "
           "nået, men først krævet i 2024");
    expect(L, "'target', 'en', 'Burglary', 1234.5, 'per_1000', 2022, 'at most 5', 2024, 1",
           "Burglary: 1,234.5 per 1000 inh. in 2022; the goal is at most 5 by 2024, and it is "
           "met already");
    expect(L, "'target', 'da', 'Frivillige', 40, nil, 2023, 'mindst 40', nil, 0",
           "Frivillige: 40 i 2023; målet er mindst 40");
    expect(L, "'baseline', 'da', 'Vold', 12.25, 'count', 2023, 14, 2020, -1.75, -1, true",
           "Vold: 12,25 i 2023 mod 14 i 2020 (−1,75); målet er et fald fra 2020-niveau");
    expect(L, "'baseline', 'en', 'Violence', 14, 'kr', 2023, 14, 2020, 0, 1, false",
           "Violence: 14 DKK in 2023 against 14 DKK in 2020 (0); the goal is at least the 2020 "
           "level");
    expect(L, "'annual', 'da', 'Utrygge', 18.7, 'percent', 2023, 24.8, -6.1, -1",
           "Utrygge: 18,7 % i 2023 mod 24,8 % i 2022 (−6,1 pct.-point); målet er et fald hvert "
           "år");
    expect(L, "'annual', 'en', 'Safe', 30, 'percent', 2023, 25, 5, 1",
           "Safe: 30 % in 2023 against 25 % in 2022 (+5 pp); the goal is an increase every "
           "year");
    /* the target in the value's unit (at_least, at_most, range) */
    expect(L, "'want', 'da', '<=', 25, nil, 'percent'", "højst 25 %");
    expect(L, "'want', 'da', 'range', 14000, 15000, 'kr'", "14.000–15.000 kr.");
    expect(L, "'want', 'en', '>=', 40, nil, 'count'", "at least 40");
    expect(L, "'want', 'da', '>=', 40", "mindst 40");
    expect(L, "'want', 'da', '>=', 40, nil, 'meter'", NULL);
    /* a change of two shares is in percentage points, as annual says it */
    expect(L, "'baseline', 'da', 'Utrygge', 18, 'percent', 2021, 20, 2020, -2, -1, false",
           "Utrygge: 18 % i 2021 mod 20 % i 2020 (−2 pct.-point); målet er højst 2020-niveau");
    expect(L, "'monitor', 'en', 'Satisfied', 68, 'percent', 2022, 70.5, 2021, -2.5",
           "Satisfied: 68 % in 2022 against 70.5 % in 2021 (−2.5 pp); monitored, no target");
    expect(L, "'monitor', 'da', 'Tryghed', 1500000, 'kr', 2021",
           "Tryghed: 1.500.000 kr. i 2021 (monitoreres; ingen sammenlignelig baseline)");
    expect(L, "'monitor', 'en', 'Safety', 3, 'pp', 2021, 2, 2019, 1",
           "Safety: 3 percentage points in 2021 against 2 percentage points in 2019 (+1); "
           "monitored, no target");
    /* not formatted in C: the prelude's Lua says it (or fails) as before */
    expect(L, "'target', 'da', 'X', 1, 'meter', 2022, 'højst 5', nil, 0", NULL);
    expect(L, "'target', 'da', 'X', 1, nil, 2022.5, 'højst 5', nil, 0", NULL);
    expect(L, "'target', 'da', 'X', '1', nil, 2022, 'højst 5', nil, 0", NULL);
    expect(L, "'target', 'da', 'X', 1, nil, 2022, 5, nil, 0", NULL);
    expect(L, "'target', 'da', {}, 1, nil, 2022, 'højst 5', nil, 0", NULL);
    expect(L, "'target', 'da', 'X', 1, nil, 2022, 'højst 5', nil, 1", NULL);
    expect(L, "'baseline', 'da', 'X', 1, nil, 2022, 1, 2020, 0, 2, false", NULL);
    expect(L, "'annual', 'da', 'X', 1, nil, math.mininteger, 1, 0, 1", NULL);
    expect(L, "'nokind', 'da', 'X', 1, nil, 2022", NULL);
    expect(L, "nil", NULL);
    lua_close(L);
}

/* run a chunk of cases with the C functions f1 (and f2) as its arguments; it returns the count
 * of cases written the same by C, the count left to the Lua, and the differences: none may
 * differ, at least min_same must be written by C and min_fallback left to the Lua */
static lua_State *run_cases(const char *src, size_t len, const char *what, lua_CFunction f1,
                            lua_CFunction f2, long min_same, long min_fallback)
{
    lua_State *L = state();
    assert_int_equal(luaL_loadbuffer(L, src, len, what), LUA_OK);
    lua_pushcfunction(L, f1);
    if (f2)
        lua_pushcfunction(L, f2);
    if (lua_pcall(L, f2 ? 2 : 1, 3, 0) != LUA_OK)
        fail_msg("%s", lua_tostring(L, -1));
    long same = (long)lua_tointeger(L, -3), fallback = (long)lua_tointeger(L, -2);
    const char *bad = lua_tostring(L, -1);
    if (*bad)
        fail_msg("%s: C differs from the Lua:\n%s", what, bad);
    print_message("%s: %ld cases the same from C and Lua, %ld left to the Lua\n", what, same,
                  fallback);
    assert_true(same >= min_same);
    assert_true(fallback >= min_fallback);
    lua_pop(L, 3);
    return L;
}

/* C.say (maal.std.say) against string.format(maal.msg(da, en), ...), the Lua it replaces:
 * templates with every conversion it writes and some it leaves to string.format, templates of
 * each language given or not, arguments of every type, too few and too many of them. */
static const char say_lua[] =
    "local csay = ...\n"
    "local sfmt = string.format\n"
    "local function m2(lang, da, en) if lang == 'en' then return en or da end return da end\n"
    "local tpls = {'', 'plain', '%d', '%s', '%%', '100 %%', '%d %%', '%s (%d)', '%%d %s',\n"
    "  'ingen værdi for \\'%s\\' i %d at sammenligne %d med', '%d og %d: %s', '%5d', '%x',\n"
    "  '%', 'a%', '%q', '%i', '%.1s', 'a\\0%sb', '%s%s%s', '%d%d', '\\u{2212}%s'}\n"
    "local ens = {nil, false, 'EN %s (%d)', 7, {}}\n"
    "local vals = {'', 'Indbrud', 'a\\0b', '\\u{e6}\\u{f8}\\u{e5}', '%s %d', 0, -0.0, 1, -1,\n"
    "  2021, 2021.0, 2021.5, '2021', math.mininteger, math.maxinteger, 1e300, 0 / 0,\n"
    "  math.huge, true, {}, nil}\n"
    "local nv = 21\n"
    "local same, fallback, bad = 0, 0, {}\n"
    "local function try(lang, da, en, ...)\n"
    "  local c = csay(lang, da, en, ...)\n"
    "  local ok, o = pcall(sfmt, m2(lang, da, en), ...)\n"
    "  if c == nil then fallback = fallback + 1; return end\n"
    "  if ok and o == c then same = same + 1; return end\n"
    "  if #bad < 5 then bad[#bad + 1] = tostring(lang) .. ' ' .. tostring(da) .. ': C \"' ..\n"
    "    tostring(c) .. '\" Lua \"' .. tostring(o) .. '\"' end\n"
    "end\n"
    "for _, lang in ipairs({'da', 'en', 'EN', 5}) do\n"
    "  for _, da in ipairs(tpls) do\n"
    "    for e = 1, #ens + 1 do\n"
    "      local en = ens[e]\n"
    "      if e == #ens + 1 then en = da:upper() end\n"
    "      for i = 1, nv do\n"
    "        for j = 1, nv do\n"
    "          local a, b, k = vals[i], vals[j], vals[(i * 7 + j) % nv + 1]\n"
    "          try(lang, da, en, a, b, k)\n"
    "          try(lang, da, en, a, b)\n"
    "          if j == 1 then try(lang, da, en, a); try(lang, da, en) end\n"
    "        end\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n"
    "try('da', 42, nil, 1); try('en', 'x', nil, 1); try(nil, nil, 'x')\n"
    "return same, fallback, table.concat(bad, '\\n')\n";

static void test_say_same_as_string_format(void **st)
{
    (void)st;
    lua_State *L =
        run_cases(say_lua, sizeof(say_lua) - 1, "say", maal_lua_say, NULL, 20000, 20000);
    lua_close(L);
}

/* call C.say with the arguments given as Lua source */
static void expect_say(lua_State *L, const char *args, const char *want)
{
    char code[512];
    snprintf(code, sizeof(code), "local say = ... return say(%s)", args);
    assert_int_equal(luaL_loadstring(L, code), LUA_OK);
    lua_pushcfunction(L, maal_lua_say);
    assert_int_equal(lua_pcall(L, 1, 1, 0), LUA_OK);
    if (!want) {
        if (!lua_isnil(L, -1))
            fail_msg("%s: expected nil, got \"%s\"", args, lua_tostring(L, -1));
    } else {
        if (lua_isnil(L, -1))
            fail_msg("%s: expected \"%s\", got nil", args, want);
        assert_string_equal(lua_tostring(L, -1), want);
    }
    lua_pop(L, 1);
}

/* the rules' messages as the goldens show them, and what is left to string.format */
static void test_say_messages_exact(void **st)
{
    (void)st;
    lua_State *L = state();
    expect_say(L,
               "'da', \"ingen værdi for '%s' i %d at sammenligne %d med\", \"no value for '%s' "
               "in %d to compare %d with\", 'Indbrud', 2021, 2022",
               "ingen værdi for 'Indbrud' i 2021 at sammenligne 2022 med");
    expect_say(L,
               "'en', \"ingen værdi for '%s' i %d at sammenligne %d med\", \"no value for '%s' "
               "in %d to compare %d with\", 'Burglary', 2021.0, 2022",
               "no value for 'Burglary' in 2021 to compare 2022 with");
    expect_say(L, "'en', '%s (%d)', nil, 'Gadeplan', 3", "Gadeplan (3)");
    expect_say(L, "'da', '%d af %d (%s %%)', nil, -3, math.mininteger, '75'",
               "-3 af -9223372036854775808 (75 %)");
    expect_say(L, "'en', 'da %d', false, 1", "da 1");
    expect_say(L, "'da', 'x %d', nil, 2021.5", NULL);   /* no integer form: format's error */
    expect_say(L, "'da', 'x %d', nil, '2021'", NULL);   /* a string: format converts it */
    expect_say(L, "'da', 'x %s', nil, 7", NULL);        /* a number: format's %.14g */
    expect_say(L, "'da', 'x %s %s', nil, 'a'", NULL);   /* missing: format's error */
    expect_say(L, "'da', 'x %5d', nil, 1", NULL);       /* a width */
    expect_say(L, "'da', 'x %', nil", NULL);            /* an incomplete conversion */
    expect_say(L, "'en', 'x', 7", NULL);                /* an English template not text */
    lua_close(L);
}

/* C.msg("want", ...) against the Lua of at_least, at_most and range before it (maal.opword,
 * maal.fmt, concatenation) */
static const char want_lua[] =
    "local cfmt, cmsg = ...\n"
    "local OPWORD = {\n"
    "  da = {['<='] = 'højst', ['>='] = 'mindst', ['<'] = 'under', ['>'] = 'over'},\n"
    "  en = {['<='] = 'at most', ['>='] = 'at least', ['<'] = 'below', ['>'] = 'above'}}\n"
    "local LANG\n"
    "local function fmt(x, d) if type(x) ~= 'number' then return tostring(x) end\n"
    "  return cfmt(x, d or -1, LANG) end\n"
    "local function old2(op, a, b)\n"
    "  if op == 'range' then return fmt(a) .. '\\u{2013}' .. fmt(b) end\n"
    "  return ((OPWORD[LANG] or OPWORD.da)[op] or op) .. ' ' .. fmt(a) end\n"
    "local nums = {0, -0.0, 5, -5, 40, 12.5, 1 / 3, 1234567.891, 1e15, 0 / 0, math.huge,\n"
    "  math.mininteger, '5', true, nil}\n"
    "local same, fallback, bad = 0, 0, {}\n"
    "for _, lang in ipairs({'da', 'en', 'EN'}) do\n"
    "  LANG = lang\n"
    "  for _, op in ipairs({'<=', '>=', '<', '>', '==', 'range', 'x', 5}) do\n"
    "    for i = 1, #nums + 1 do\n"
    "      for j = 1, #nums + 1 do\n"
    "        local a, b = nums[i], nums[j]\n"
    "        local c = cmsg('want', lang, op, a, b)\n"
    "        local ok, o = pcall(old2, op, a, b)\n"
    "        if c == nil then fallback = fallback + 1\n"
    "        elseif ok and o == c then same = same + 1\n"
    "        elseif #bad < 5 then\n"
    "          bad[#bad + 1] = lang .. ' ' .. tostring(op) .. ': C \"' .. c .. '\" Lua \"' ..\n"
    "            tostring(o) .. '\"' end\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n"
    "return same, fallback, table.concat(bad, '\\n')\n";

static void test_want_same_as_lua(void **st)
{
    (void)st;
    lua_State *L =
        run_cases(want_lua, sizeof(want_lua) - 1, "want", l_fmt, maal_lua_msg, 500, 500);
    expect(L, "'want', 'da', '>=', 40", "mindst 40");
    expect(L, "'want', 'en', '<=', 1234.5", "at most 1,234.5");
    expect(L, "'want', 'da', 'range', 25, 30.5", "25–30,5");
    expect(L, "'want', 'da', '==', 5", NULL);
    expect(L, "'want', 'da', 'range', 25, '30'", NULL);
    lua_close(L);
}

/* C.msg("share", ...) against rules/share_of_activities.lua's Lua before it (string.format of
 * each "name (count)", table.concat, at most 30 names a list) */
static const char share_lua[] =
    "local cfmt, cmsg = ...\n"
    "local sfmt = string.format\n"
    "local LANG\n"
    "local function m(da, en) if LANG == 'en' then return en or da end return da end\n"
    "local function fmt(x, d) if type(x) ~= 'number' then return tostring(x) end\n"
    "  return cfmt(x, d or -1, LANG) end\n"
    "local MAXNAMES = 30\n"
    "local function names(list)\n"
    "  if #list <= MAXNAMES then return table.concat(list, ', ') end\n"
    "  return table.concat(list, ', ', 1, MAXNAMES) ..\n"
    "    sfmt(m(' og %d flere', ' and %d more'), #list - MAXNAMES) end\n"
    "local function old(k, n, pct, minp, threshold, year, cn, cc, bn, bc, nb, later)\n"
    "  local counted, below = {}, {}\n"
    "  for i = 1, k do counted[#counted + 1] = sfmt('%s (%d)', cn[i], cc[i]) end\n"
    "  for i = 1, nb do below[#below + 1] = sfmt('%s (%d)', bn[i], bc[i]) end\n"
    "  local msg = sfmt(m('%d af %d aktiviteter (%s %%) har mindst %d samarbejdspartnere; "
    "målet er mindst %s %%',\n"
    "    '%d of %d activities (%s %%) have at least %d partners; the goal is at least %s %%'),\n"
    "    k, n, fmt(pct), minp, fmt(threshold))\n"
    "  if #counted > 0 then\n"
    "    msg = msg .. sfmt(m('. Med mindst %d: %s', '. With at least %d: %s'), minp,\n"
    "      names(counted)) end\n"
    "  if #below > 0 then msg = msg .. sfmt(m('. Færre end %d: %s', '. Fewer than %d: %s'),\n"
    "    minp, names(below)) end\n"
    "  if #later > 0 then msg = msg .. sfmt(m('. Kører ikke i %d og tæller ikke med: %s',\n"
    "    '. Not running in %d and not counted: %s'), year, names(later)) end\n"
    "  return msg end\n"
    "local pool = {'Gadeplan', 'Åbne byrum', 'a\\0b', '%s %d', ''}\n"
    "local odd = {false, 7, {}}\n"
    "local function list(len, oddat)\n"
    "  local ns, cs = {}, {}\n"
    "  for i = 1, len do ns[i] = pool[i % #pool + 1]; cs[i] = i % 4 end\n"
    "  if oddat and len > 0 then\n"
    "    local o = odd[oddat]\n"
    "    if o == false then ns[len] = nil else ns[len] = o end\n"
    "  end\n"
    "  return ns, cs end\n"
    "local same, fallback, bad = 0, 0, {}\n"
    "local function try(...)\n"
    "  local c = cmsg('share', LANG, ...)\n"
    "  local ok, o = pcall(old, ...)\n"
    "  if c == nil then fallback = fallback + 1\n"
    "  elseif ok and o == c then same = same + 1\n"
    "  elseif #bad < 5 then\n"
    "    bad[#bad + 1] = LANG .. ': C \"' .. c .. '\" Lua \"' .. tostring(o) .. '\"' end\n"
    "end\n"
    "for _, lang in ipairs({'da', 'en'}) do\n"
    "  LANG = lang\n"
    "  for _, k in ipairs({0, 1, 2, 30, 31, 35}) do\n"
    "    for _, nb in ipairs({0, 1, 31}) do\n"
    "      for _, nl in ipairs({0, 2, 40}) do\n"
    "        for oddat = 0, #odd do\n"
    "          local cn, cc = list(k, oddat > 0 and oddat)\n"
    "          local bn, bc = list(nb)\n"
    "          local later = list(nl)\n"
    "          local n = k + nb\n"
    "          local pct = n > 0 and math.floor(k / n * 1000 + 0.5) / 10 or 0\n"
    "          for _, th in ipairs({75, 12.5, 1 / 3}) do\n"
    "            try(k, n, pct, 2, th, 2022, cn, cc, bn, bc, nb, later)\n"
    "          end\n"
    "          if k > 0 then\n"
    "            local cc2 = {table.unpack(cc)}\n"
    "            cc2[k] = 2.5\n"
    "            try(k, n, pct, 2, 75, 2022, cn, cc2, bn, bc, nb, later)\n"
    "            cc2[k] = 3.0\n"
    "            try(k, n, pct, 2, 75, 2022, cn, cc2, bn, bc, nb, later)\n"
    "          end\n"
    "          try(k, n, pct, 2.0, '75', 2022, cn, cc, bn, bc, nb, later)\n"
    "          try(k, n, pct, 2, 75, 2022.5, cn, cc, bn, bc, nb, later)\n"
    "        end\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n"
    "return same, fallback, table.concat(bad, '\\n')\n";

static void test_share_same_as_lua(void **st)
{
    (void)st;
    lua_State *L =
        run_cases(share_lua, sizeof(share_lua) - 1, "share", l_fmt, maal_lua_msg, 500, 300);
    expect(L,
           "'share', 'da', 1, 2, 50, 2, 75, 2022, {'Gadeplan'}, {3}, {'Byrum'}, {1}, 1, "
           "{'Festival'}",
           "1 af 2 aktiviteter (50 %) har mindst 2 samarbejdspartnere; målet er mindst 75 %. "
           "Med mindst 2: Gadeplan (3). Færre end 2: Byrum (1). Kører ikke i 2022 og tæller "
           "ikke med: Festival");
    expect(L, "'share', 'en', 2, 2, 100, 2, 66.5, 2023, {'A', 'B'}, {2, 4}, {}, {}, 0, {}",
           "2 of 2 activities (100 %) have at least 2 partners; the goal is at least 66.5 %. "
           "With at least 2: A (2), B (4)");
    expect(L, "'share', 'da', 1, 1, 100, 2, 75, 2022, {7}, {2}, {}, {}, 0, {}", NULL);
    lua_close(L);
}

/* C.msg("on_track", ...) against rules/activities_on_track.lua's Lua before it */
static const char on_track_lua[] =
    "local cmsg = ...\n"
    "local sfmt = string.format\n"
    "local LANG\n"
    "local function m(da, en) if LANG == 'en' then return en or da end return da end\n"
    "local function old(no, on, op, n, concerns, flagged)\n"
    "  local off = {}\n"
    "  for i = 1, no do off[#off + 1] = sfmt('%s (%s)', on[i],\n"
    "    op[i] and m('delvist', 'partly') or m('nej', 'no')) end\n"
    "  local msg = sfmt(m('%d af %d aktiviteter kører ikke fuldt som planlagt%s; %d "
    "rapporterer bekymringer%s',\n"
    "    '%d of %d activities do not fully run as planned%s; %d report concerns%s'), #off, n,\n"
    "    #off > 0 and ': ' .. table.concat(off, ', ') or '', #concerns,\n"
    "    #concerns > 0 and ': ' .. table.concat(concerns, ', ') or '')\n"
    "  return msg .. sfmt(m('; i alt %d af %d kræver opmærksomhed',\n"
    "    '; %d of %d need attention in all'), flagged, n) end\n"
    "local pool = {'Gadeplan', 'Åbne byrum', 'a\\0b', '%s %d', ''}\n"
    "local same, fallback, bad = 0, 0, {}\n"
    "local function try(...)\n"
    "  local c = cmsg('on_track', LANG, ...)\n"
    "  local ok, o = pcall(old, ...)\n"
    "  if c == nil then fallback = fallback + 1\n"
    "  elseif ok and o == c then same = same + 1\n"
    "  elseif #bad < 5 then\n"
    "    bad[#bad + 1] = LANG .. ': C \"' .. c .. '\" Lua \"' .. tostring(o) .. '\"' end\n"
    "end\n"
    "for _, lang in ipairs({'da', 'en'}) do\n"
    "  LANG = lang\n"
    "  for no = 0, 4 do\n"
    "    for nc = 0, 3 do\n"
    "      for odd = 0, 4 do\n"
    "        local on, op, concerns = {}, {}, {}\n"
    "        for i = 1, no do on[i] = pool[i % #pool + 1]; op[i] = i % 2 == 0 end\n"
    "        for i = 1, nc do concerns[i] = pool[(i + 2) % #pool + 1] end\n"
    "        if odd == 1 and no > 0 then on[no] = 7 end\n"
    "        if odd == 2 and no > 0 then op[no] = nil end\n"
    "        if odd == 3 and nc > 0 then concerns[nc] = {} end\n"
    "        if odd == 4 and no > 0 then op[no] = 'partly' end\n"
    "        try(no, on, op, no + 2, concerns, no + nc)\n"
    "        try(no, on, op, 6.0, concerns, 2.5)\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n"
    "return same, fallback, table.concat(bad, '\\n')\n";

static void test_on_track_same_as_lua(void **st)
{
    (void)st;
    lua_State *L =
        run_cases(on_track_lua, sizeof(on_track_lua) - 1, "on_track", maal_lua_msg, NULL, 50, 50);
    expect(L, "'on_track', 'da', 2, {'Gadeplan', 'Byrum'}, {true, false}, 5, {'Byrum'}, 2",
           "2 af 5 aktiviteter kører ikke fuldt som planlagt: Gadeplan (delvist), Byrum (nej); "
           "1 rapporterer bekymringer: Byrum; i alt 2 af 5 kræver opmærksomhed");
    expect(L, "'on_track', 'en', 0, {}, {}, 3, {}, 0",
           "0 of 3 activities do not fully run as planned; 0 report concerns; 0 of 3 need "
           "attention in all");
    expect(L, "'on_track', 'da', 1, {'A'}, {'partly'}, 3, {}, 1", NULL);
    lua_close(L);
}

/* C.msg("budget", ...) against rules/budget_balance.lua's Lua before it */
static const char budget_lua[] =
    "local cfmt, cmsg = ...\n"
    "local sfmt = string.format\n"
    "local LANG\n"
    "local function m(da, en) if LANG == 'en' then return en or da end return da end\n"
    "local function fmt(x, d) if type(x) ~= 'number' then return tostring(x) end\n"
    "  return cfmt(x, d or -1, LANG) end\n"
    "local function signed(x, d)\n"
    "  if type(x) ~= 'number' then return tostring(x) end\n"
    "  if x > 0 then return '+' .. fmt(x, d) end\n"
    "  if x < 0 then return '\\u{2212}' .. fmt(-x, d) end\n"
    "  return fmt(0, d) end\n"
    "local function kr(x) return fmt(x) .. ' ' .. m('kr.', 'DKK') end\n"
    "local function old(ok, rows, sum, stated, diff)\n"
    "  return ok and sfmt(m('%d rækker summerer til %s, som angivet',\n"
    "    '%d rows add up to %s, as stated'), rows, kr(sum))\n"
    "    or sfmt(m('%d rækker summerer til %s, men tabellen angiver %s (forskel %s)',\n"
    "      '%d rows add up to %s, but the table states %s (difference %s)'), rows,\n"
    "      kr(sum), kr(stated), signed(diff) .. m(' kr.', ' DKK')) end\n"
    "local nums = {0, -0.0, 1500000, 1234.5, -250000.25, 1 / 3, 1e15, 0 / 0, math.huge,\n"
    "  math.mininteger, '5', nil}\n"
    "local same, fallback, bad = 0, 0, {}\n"
    "for _, lang in ipairs({'da', 'en'}) do\n"
    "  LANG = lang\n"
    "  for _, ok in ipairs({true, false, 1}) do\n"
    "    for _, rows in ipairs({0, 3, 3.0, 2.5}) do\n"
    "      for i = 1, #nums + 1 do\n"
    "        for j = 1, #nums + 1 do\n"
    "          local sum, stated = nums[i], nums[j]\n"
    "          local diff = nums[(i * 5 + j) % (#nums + 1) + 1]\n"
    "          local c = cmsg('budget', lang, ok, rows, sum, stated, diff)\n"
    "          local okk, o = pcall(old, ok, rows, sum, stated, diff)\n"
    "          if c == nil then fallback = fallback + 1\n"
    "          elseif okk and o == c then same = same + 1\n"
    "          elseif #bad < 5 then bad[#bad + 1] = lang .. ': C \"' .. c .. '\" Lua \"' ..\n"
    "            tostring(o) .. '\"' end\n"
    "        end\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n"
    "return same, fallback, table.concat(bad, '\\n')\n";

static void test_budget_same_as_lua(void **st)
{
    (void)st;
    lua_State *L =
        run_cases(budget_lua, sizeof(budget_lua) - 1, "budget", l_fmt, maal_lua_msg, 300, 300);
    expect(L, "'budget', 'da', true, 4, 1500000, 1500000, 0",
           "4 rækker summerer til 1.500.000 kr., som angivet");
    expect(L, "'budget', 'en', false, 3, 1250000.5, 1500000, -249999.5",
           "3 rows add up to 1,250,000.5 DKK, but the table states 1,500,000 DKK (difference "
           "−249,999.5 DKK)");
    expect(L, "'budget', 'da', false, 3, 1, 2, nil", NULL);
    lua_close(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_msgfmt_same_as_lua_on_every_case),
        cmocka_unit_test(test_msgfmt_messages_exact),
        cmocka_unit_test(test_say_same_as_string_format),
        cmocka_unit_test(test_say_messages_exact),
        cmocka_unit_test(test_want_same_as_lua),
        cmocka_unit_test(test_share_same_as_lua),
        cmocka_unit_test(test_on_track_same_as_lua),
        cmocka_unit_test(test_budget_same_as_lua),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
