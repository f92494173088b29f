/* luac: the build's compiler of maal's own Lua prelude. Reads a chunk on standard input and
 * writes its bytecode (lua_dump, debug information kept: tracebacks name "maal:LINE" as when
 * the text is compiled at run time) on standard output; argv[1] is the chunk's name ("=maal").
 * The Makefile embeds the result as maal_prelude_bc[] (core/sandbox.c loads it). */
#include <lauxlib.h>
#include <lua.h>
#include <stdio.h>
#include <stdlib.h>

static int writer(lua_State *L, const void *p, size_t sz, void *ud)
{
    (void)L;
    return fwrite(p, 1, sz, ud) != sz;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: luac NAME <chunk.lua >chunk.luac\n");
        return 2;
    }
    size_t len = 0, cap = 1 << 16;
    char *text = malloc(cap);
    size_t n;
    while (text && (n = fread(text + len, 1, cap - len, stdin)) > 0) {
        len += n;
        if (len == cap) {
            char *t = realloc(text, cap *= 2);
            if (!t)
                free(text);
            text = t;
        }
    }
    lua_State *L = luaL_newstate();
    if (!text || !L) {
        fprintf(stderr, "luac: out of memory\n");
        return 1;
    }
    if (luaL_loadbufferx(L, text, len, argv[1], "t") != LUA_OK) {
        fprintf(stderr, "luac: %s\n", lua_tostring(L, -1));
        return 1;
    }
    if (lua_dump(L, writer, stdout, 0) != 0 || fflush(stdout) != 0) {
        fprintf(stderr, "luac: could not write the bytecode\n");
        return 1;
    }
    lua_close(L);
    free(text);
    return 0;
}
