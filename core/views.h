/* views: maal's data as Lua tables for sandboxed code. Internal to libmaal. Each function
 * pushes one value and may raise (memory): call it in a protected call. */
#ifndef MAAL_VIEWS_H
#define MAAL_VIEWS_H

#include <jansson.h>
#include <lua.h>

#include "model.h"

/* The partnership's data, as the prelude's ctx reads it (docs/writing-rules.md), with its
 * sources: the place of every value a rule may read, kept in C (a userdata in the table), and
 * 'rec', the C function the prelude records a goal's reads with. */
void maal_push_data(lua_State *L, const struct maal_partnership *p);
/* A goal starts with the data at index 'data': nothing is recorded yet. */
void maal_views_sources_reset(lua_State *L, int data);
/* The sources the goal read, in the order it read them, each place once (at most 200), with
 * their text: a new array in *out (NULL when none; fewer when out of memory), owned by the
 * caller as a result's sources are. Raises nothing. */
void maal_views_sources(lua_State *L, int data, struct maal_source **out, size_t *n);
/* A YAML node (a goal's params): mappings and sequences as tables, numbers as numbers. */
void maal_push_node(lua_State *L, const struct maal_node *n);
/* A JSON value (a report for a plugin's reporter); its strings cleaned. Call with depth 0. */
void maal_push_json(lua_State *L, json_t *j, int depth);

#endif
