/* params: a goal's params against its rule's schema, checked in C. Internal to libmaal.
 * It was the prelude's Lua check_params (core/prelude/params.lua), ≈ 47 000 instructions a
 * goal; the messages, their keys and their order are the same, byte for byte. */
#ifndef MAAL_PARAMS_H
#define MAAL_PARAMS_H

#include <lua.h>

/* A lua_CFunction, called with lua_pcall: (rule, params, lang) -> the checked params (the
 * goal's params table, a new one for each goal, with the schema's defaults filled in), or
 * nil, the message and, when the problem is one param's, its name, and "key" when it is
 * about the key itself (an unknown parameter). The rule's tables are read with raw access
 * only and compared with rawequal: no rule code runs, except a __tostring of a schema's type
 * that is not a type name, as Lua's tostring did. */
int maal_params_check(lua_State *L);

#endif
