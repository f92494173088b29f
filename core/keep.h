/* keep: a rule's table kept between the goals of one worker state, and the check that no goal
 * changed what it keeps (issue 19; docs/security.md 4.4). Internal to libmaal.
 *
 * A rule file's main chunk runs once per state; its table (params, title, evaluate) and the
 * closures and tables they reach serve every later goal of that rule, each goal with globals
 * of its own. What a goal could change there (a module-level local, a module-level table, the
 * main chunk's globals, the rule's params) is recorded after the main chunk ran: every table
 * reachable from the rule (keys, values, order, length, metatable) and every upvalue of every
 * function reachable from it. After each goal the same objects are compared with the record,
 * reading them raw (no rule code runs): when anything differs, the rule is not kept any more,
 * and its main chunk runs again for each later goal, so no goal ever sees what an earlier one
 * changed. */
#ifndef MAAL_KEEP_H
#define MAAL_KEEP_H

#include <lua.h>
#include <stdbool.h>
#include <stddef.h>

/* What a kept rule may reach, at most: a larger one is not kept (its main chunk runs per goal). */
#define MAAL_KEEP_MAX_VALUES 4096

/* Records what a goal of the rule can reach and change: what is reachable from 'evaluate' (at
 * stack index evaluate) and from the values and metatable of the main chunk's globals (env),
 * which a goal reads through its own globals' __index. 'box' is the upvalue (lua_upvalueid)
 * that holds each goal's _ENV: its value is left out. 'ro' is the index of the prelude's
 * table of read-only proxies (a key there is a proxy, which cannot be changed: not walked). Functions of the prelude
 * (source "=maal") are not walked: their state is the host's. On success pushes the record (a
 * userdata) and its anchor (a table that keeps every recorded object alive) and returns true;
 * returns false, pushing nothing, when the rule reaches something whose changes cannot be
 * seen (a userdata, a C function with state of its own such as a string.gmatch iterator, a
 * coroutine) or more than MAAL_KEEP_MAX_VALUES values. Raises on out of memory. */
bool maal_keep_record(lua_State *L, int evaluate, int env, const void *box, int ro);

/* Whether every recorded object is as recorded (record and anchor at these indexes). Raw
 * reads only; allocates nothing. */
bool maal_keep_same(lua_State *L, int record, int anchor);

/* The state of math.random (32 bytes in Lua 5.4) into out; false when it cannot be read. */
bool maal_keep_random_state(lua_State *L, unsigned char *out, size_t size);

#endif
