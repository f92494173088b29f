/* maal_plugin.h: the interface a native plugin (.so) implements. A native plugin is loaded
 * only from a plugin folder named explicitly with --plugin DIR (maal_engine_add_plugin),
 * never found by search.
 *
 *   int maal_plugin_init_v1(struct maal_plugin_host *host);
 *
 * is called once after dlopen; it checks host->api and host->lua_version (the plugin must be
 * built against the same Lua 5.4 as maal: MAAL_PLUGIN_LUA_OK(host)) and registers Lua C
 * functions with host->add_function. Rules then find them in a read-only global table named
 * after the plugin (e.g. stats.fisher). Return 0 on success.
 *
 * Threads: with --jobs N (or one maal_engine per thread) the registered functions run
 * concurrently in several worker threads, each in its own Lua state. They must be reentrant:
 * no static or global mutable state, nothing kept between calls outside the Lua state they
 * are given.
 *
 * The functions run inside the rule's sandbox and its limits: check every argument with
 * luaL_check*, never block, never call exit, and keep the work bounded by the arguments (the
 * time limit of a goal cannot interrupt C code). */
#ifndef MAAL_PLUGIN_H
#define MAAL_PLUGIN_H

#include <lua.h>

#define MAAL_PLUGIN_API 1

struct maal_plugin_host {
    int api; /* MAAL_PLUGIN_API of the host */
    void *ud;
    int (*add_function)(struct maal_plugin_host *host, const char *name, lua_CFunction fn);
    int lua_version; /* LUA_VERSION_NUM of the Lua the host runs (504 for 5.4) */
};

/* Whether the host speaks this header's API and runs the Lua this plugin is built for. */
#define MAAL_PLUGIN_LUA_OK(host)                                                               \
    ((host) && (host)->api == MAAL_PLUGIN_API && (host)->lua_version == LUA_VERSION_NUM)

typedef int (*maal_plugin_init_fn)(struct maal_plugin_host *host);

#endif
