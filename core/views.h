/* views: maal's data as Lua tables for sandboxed code. Internal to libmaal. Each function
 * pushes one value and may raise (memory): call it in a protected call. */
#ifndef MAAL_VIEWS_H
#define MAAL_VIEWS_H

#include <jansson.h>
#include <lua.h>

#include "model.h"

/* The partnership's data, as the prelude's ctx reads it (docs/writing-rules.md). */
void maal_push_data(lua_State *L, const struct maal_partnership *p);
/* A YAML node (a goal's params): mappings and sequences as tables, numbers as numbers. */
void maal_push_node(lua_State *L, const struct maal_node *n);
/* A JSON value (a report for a plugin's reporter); its strings cleaned. Call with depth 0. */
void maal_push_json(lua_State *L, json_t *j, int depth);

#endif
