/* test_stdrules: the standard rules' build-time bytecode (core/stdrules.c) against what a run
 * would have made of their text: for every rule file in rules/, compiled at run time with the
 * chunk name "@PATH" and dumped (lua_dump, debug information kept, as core/sandbox.c keeps its
 * own compilation), the same bytes as maal_stdrule_bc gives for that text and PATH, for a
 * short path and one whose length takes two bytes in the dump; the bytecode loads and runs to
 * the rule's table, and an error in it names PATH; any other text gets none. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <lauxlib.h>
#include <lualib.h>

#include "stdrules.h"
#include "util.h"

#ifndef MAAL_SOURCE_DIR
#error "MAAL_SOURCE_DIR"
#endif

static int writer(lua_State *L, const void *p, size_t sz, void *ud)
{
    (void)L;
    struct maal_buf *b = ud;
    maal_buf_add(b, p, sz);
    return b->oom;
}

/* the text's bytecode as a run compiles it under "@path" */
static struct maal_buf compiled(const char *text, size_t len, const char *path)
{
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    char name[600];
    snprintf(name, sizeof(name), "@%s", path);
    assert_int_equal(luaL_loadbufferx(L, text, len, name, "t"), LUA_OK);
    struct maal_buf b = MAAL_BUF_INIT;
    assert_int_equal(lua_dump(L, writer, &b, 0), 0);
    lua_close(L);
    return b;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 20];
    *len = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    char *s = malloc(*len + 1);
    assert_non_null(s);
    memcpy(s, buf, *len);
    s[*len] = '\0';
    return s;
}

static void test_every_rule_same_as_compiled(void **state)
{
    (void)state;
    DIR *d = opendir(MAAL_SOURCE_DIR "/rules");
    assert_non_null(d);
    struct dirent *e;
    int n = 0;
    char longpath[400];
    memset(longpath, 'x', sizeof(longpath) - 1);
    longpath[0] = '/';
    longpath[sizeof(longpath) - 1] = '\0'; /* 399 bytes: the dump's size takes two bytes */
    while ((e = readdir(d))) {
        size_t nl = strlen(e->d_name);
        if (nl < 5 || strcmp(e->d_name + nl - 4, ".lua") != 0)
            continue;
        char path[512];
        snprintf(path, sizeof(path), "%s/rules/%s", MAAL_SOURCE_DIR, e->d_name);
        size_t len;
        char *text = slurp(path, &len);
        const char *paths[] = {path, "r.lua", longpath};
        for (size_t k = 0; k < 3; k++) {
            char *bc = NULL;
            size_t bclen = 0;
            assert_true(maal_stdrule_bc(text, len, paths[k], &bc, &bclen));
            struct maal_buf want = compiled(text, len, paths[k]);
            assert_int_equal(bclen, want.len);
            assert_memory_equal(bc, want.s, bclen);
            maal_buf_release(&want);
            maal_free(bc);
        }
        /* one byte more, or one changed: compiled as before */
        char *bc = NULL;
        size_t bclen = 0;
        char *more = malloc(len + 2);
        assert_non_null(more);
        memcpy(more, text, len);
        more[len] = '\n';
        assert_false(maal_stdrule_bc(more, len + 1, path, &bc, &bclen));
        more[len / 2] ^= 1;
        assert_false(maal_stdrule_bc(more, len, path, &bc, &bclen));
        assert_null(bc);
        free(more);
        free(text);
        n++;
    }
    closedir(d);
    assert_true(n >= 10); /* the standard rules were there to compare */
}

/* The bytecode runs: the rule file returns its table; an error raised in its code names the
 * path given. */
static void test_loads_and_names_the_path(void **state)
{
    (void)state;
    size_t len;
    char *text = slurp(MAAL_SOURCE_DIR "/rules/at_most.lua", &len);
    char *bc = NULL;
    size_t bclen = 0;
    assert_true(maal_stdrule_bc(text, len, "/some/where/at_most.lua", &bc, &bclen));
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    assert_int_equal(luaL_loadbufferx(L, bc, bclen, "ignored", "b"), LUA_OK);
    lua_Debug ar;
    lua_pushvalue(L, -1);
    assert_true(lua_getinfo(L, ">S", &ar));
    assert_string_equal(ar.source, "@/some/where/at_most.lua");
    /* the rule reads 'maal' (the prelude's library) when it runs: none here, so it fails in
     * its own code, at a line of the given path */
    if (lua_pcall(L, 0, 1, 0) == LUA_OK) {
        assert_int_equal(lua_type(L, -1), LUA_TTABLE);
    } else {
        assert_non_null(strstr(lua_tostring(L, -1), "/some/where/at_most.lua:"));
    }
    lua_close(L);
    maal_free(bc);
    free(text);
}

static void test_other_text_none(void **state)
{
    (void)state;
    char *bc = NULL;
    size_t bclen = 0;
    assert_false(maal_stdrule_bc("return {}", 9, "x.lua", &bc, &bclen));
    assert_false(maal_stdrule_bc("", 0, "x.lua", &bc, &bclen));
    assert_null(bc);
    assert_int_equal(bclen, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_rule_same_as_compiled),
        cmocka_unit_test(test_loads_and_names_the_path),
        cmocka_unit_test(test_other_text_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
