/* hang: a native plugin function that never returns (hang.forever()), for tests/backstop,
 * and hang.pid():
 * the count hook cannot stop it, only the backstop can. Built by tests/backstop/run.sh. */
#include <unistd.h>

#include "maal_plugin.h"

static int l_forever(lua_State *L)
{
    (void)L;
    for (;;)
        sleep(1);
    return 0;
}

/* hang.pid(): the process id, which differs from one child of the backstop to the next */
static int l_pid(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)getpid());
    return 1;
}

int maal_plugin_init_v1(struct maal_plugin_host *host);

int maal_plugin_init_v1(struct maal_plugin_host *host)
{
    if (!MAAL_PLUGIN_LUA_OK(host) || !host->add_function)
        return -1;
    if (host->add_function(host, "pid", l_pid) != 0)
        return -1;
    return host->add_function(host, "forever", l_forever) != 0 ? -1 : 0;
}
