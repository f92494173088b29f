/* msgfmt: the standard rules' common messages, formatted in C (issue 19). Internal to
 * libmaal: the prelude receives maal_lua_msg as C.msg; no rule can reach it. */
#ifndef MAAL_MSGFMT_H
#define MAAL_MSGFMT_H

#include <lua.h>

/* C.msg(kind, lang, ...) -> the message, or nil for anything it does not format exactly as
 * the prelude's Lua would (then the prelude formats it, with the same result or error):
 *   "target", lang, label, value, unit, year, want, by_year|nil, state
 *       state 0: due or no by_year, 1: met before by_year, 2: not met, by_year not due yet
 *   "baseline", lang, name, value, unit, year, base, base_year, change, dir, strict
 *   "annual", lang, name, value, unit, year, prev, change, dir
 *   "monitor", lang, name, value, unit, year [, base, base_year, change]
 *   "want", lang, op ("<=", ">=", "<", ">"), target, or "range", min, max
 *   "share", lang, k, n, pct, min_partners, threshold, year, counted_names, counted_counts,
 *       below_names, below_counts, #below, later_names (share_of_activities)
 *   "on_track", lang, #off, off_names, off_partly, n, concern_names, flagged
 *       (activities_on_track; off_partly[i]: true for "partly", false for "no")
 *   "budget", lang, ok, rows, sum, stated, diff (budget_balance)
 * lang is "en" or anything else for Danish, as maal.msg reads it. */
int maal_lua_msg(lua_State *L);

/* C.say(lang, da, en, ...) -> string.format(maal.msg(da, en), ...) for a template with only
 * %s (of a string), %d (of a number with an integer form) and %%, written without
 * string.format's snprintf; nil for anything else (another conversion, an argument of another
 * type or missing, a template that is not text): the prelude's maal.std.say then calls
 * string.format itself, with the same result or the same error. lang as for C.msg. */
int maal_lua_say(lua_State *L);

#endif
