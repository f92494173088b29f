/* maal_plugin.h: the interface a native plugin (.so) implements. A native plugin is loaded
 * only from a plugin folder named explicitly with --plugin DIR, never found by search.
 *
 *   int maal_plugin_init_v1(struct maal_plugin_host *host);
 *
 * is called once after dlopen; it registers Lua C functions with host->add_function. Rules
 * then find them in a read-only global table named after the plugin (e.g. stats.fisher).
 * The functions run inside the rule's sandbox and its limits, so they must check their
 * arguments with luaL_check* and never block. Return 0 on success. */
#ifndef MAAL_PLUGIN_H
#define MAAL_PLUGIN_H

#include <lua.h>

#define MAAL_PLUGIN_API 1

struct maal_plugin_host {
    int api; /* MAAL_PLUGIN_API of the host */
    void *ud;
    int (*add_function)(struct maal_plugin_host *host, const char *name, lua_CFunction fn);
};

typedef int (*maal_plugin_init_fn)(struct maal_plugin_host *host);

#endif
