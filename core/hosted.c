/* hosted: the code other than goals' rules that runs in the sandbox: a plugin's Lua reporter
 * (reporters/NAME.lua, given the report as JSON) and the description of a rule file that
 * 'maal rules' shows (its main chunk run, evaluate not called). Split from eval.c, which
 * runs goals; both use the one way to run a chunk, core/sandbox.c. */
#include "eval.h"

#include <jansson.h>
#include <lauxlib.h>
#include <limits.h>
#include <lua.h>
#include <stdlib.h>
#include <string.h>

#include "results.h"
#include "sandbox.h"
#include "views.h"

/* ---- Lua reporters (plugins' reporters/NAME.lua) ---- */

struct sink {
    struct maal_buf *out;
    size_t cap;
    enum maal_lang lang; /* of what the reporter is told */
};

static int l_sink_write(lua_State *L)
{
    struct sink *s = lua_touserdata(L, lua_upvalueindex(1));
    int n = lua_gettop(L);
    for (int i = 1; i <= n; i++) {
        if (i == 1 && lua_istable(L, 1))
            continue; /* out:write(...) passes the sink itself first */
        size_t len;
        const char *str = luaL_checklstring(L, i, &len);
        if (s->out->len + len > s->cap)
            return luaL_error(L, TR(s->lang, "uddata større end %d MiB", "output larger than %d MiB"),
                              (int)(s->cap >> 20));
        maal_buf_add(s->out, str, len);
        if (s->out->oom)
            return luaL_error(L, "%s", TR(s->lang, "ikke nok hukommelse", "out of memory"));
    }
    return 0;
}

struct rjob {
    const char *path, *src;
    size_t len;
    json_t *data;
    struct sink sink;
    enum maal_lang lang;
};

static int run_reporter(lua_State *L)
{
    struct rjob *j = lua_touserdata(L, 1);
    maal_sb_host(L, NULL, NULL, NULL);
    struct maal_sb_chunk chunk = {.path = j->path, .text = j->src, .len = j->len};
    if (maal_sb_run_chunk(L, &chunk) != LUA_OK)
        return lua_error(L);
    if (!lua_istable(L, -1))
        return luaL_error(L, TR(j->lang, "%s: rapporten skal returnere en tabel med 'report'",
                                "%s: the reporter must return a table with 'report'"),
                          j->path);
    lua_pushstring(L, "report");
    lua_rawget(L, -2);
    if (!lua_isfunction(L, -1))
        return luaL_error(L, TR(j->lang, "%s: rapporten mangler funktionen 'report'",
                                "%s: the reporter lacks the function 'report'"),
                          j->path);
    maal_push_json(L, j->data, 0);
    lua_createtable(L, 0, 1);
    lua_pushlightuserdata(L, &j->sink);
    lua_pushcclosure(L, l_sink_write, 1);
    lua_setfield(L, -2, "write");
    if (lua_pcall(L, 2, 0, 1) != LUA_OK)
        return lua_error(L);
    return 0;
}

/* What a reporter's failure says is one line; as long as it was when it was said through a
 * buffer of 512 bytes, but now cut visibly. */
#define REPORTER_WHY_MAX 511

int maal_eval_reporter(const char *path, const struct maal_limits *lim, enum maal_lang lang,
                       json_t *data, struct maal_buf *out, struct maal_diags *diags)
{
    char *src;
    size_t len;
    struct maal_error e;
    if (maal_read_capped(path, 1u << 20, &src, &len, &e, lang) != MAAL_OK) {
        maal_diags_add(diags, MAAL_SEV_ERROR, path, 0, 0, "%s", e.msg);
        return MAAL_ERR_IO;
    }
    struct run run = {.limit = lim->rule_memory, .lang = lang};
    lua_State *L = maal_sb_new_state(&run);
    if (!L) {
        maal_free(src);
        maal_diags_add(diags, MAAL_SEV_ERROR, path, 0, 0, "%s",
                       TR(lang, "ikke nok hukommelse", "out of memory"));
        return MAAL_ERR_NOMEM;
    }
    maal_sb_start(L, &run, lim, MAAL_SB_REPORT); /* a whole report: more time */
    struct rjob j = {.path = path, .src = src, .len = len, .data = data,
                     .sink = {out, lim->rule_memory, lang}, .lang = lang};
    lua_pushcfunction(L, run_reporter);
    lua_pushlightuserdata(L, &j);
    int status = lua_pcall(L, 1, 0, 0);
    maal_sb_stop(L);
    int rc = MAAL_OK;
    if (status != LUA_OK || run.timed_out || run.mem_exceeded) {
        const char *m = run.timed_out      ? TR(lang, "tidsgrænsen er overskredet", "time limit exceeded")
                        : run.mem_exceeded ? TR(lang, "hukommelsesgrænsen er overskredet",
                                                "memory limit exceeded")
                                           : lua_tostring(L, -1);
        char *line = maal_first_line(m ? m : "?");
        /* the reporter's text: cleaned, and cut (with '…') after REPORTER_WHY_MAX bytes */
        char *clean = line ? maal_clean_text(line, REPORTER_WHY_MAX) : NULL;
        maal_diags_add(diags, MAAL_SEV_ERROR, path, 0, 0, "%s", clean ? clean : "?");
        maal_free(line);
        maal_free(clean);
        rc = MAAL_ERR_INVALID;
    }
    maal_sb_close(L);
    maal_free(src);
    return rc;
}

/* ---- describing a rule (maal rules) ---- */

static void describe_text(lua_State *L, int t, const char *k, enum maal_lang lang, char **out)
{
    lua_pushstring(L, k);
    lua_rawget(L, t);
    if (lua_istable(L, -1)) {
        lua_pushstring(L, lang == MAAL_LANG_EN ? "en" : "da");
        lua_rawget(L, -2);
        if (!lua_isstring(L, -1)) {
            lua_pop(L, 1);
            lua_pushstring(L, "da");
            lua_rawget(L, -2);
        }
        lua_remove(L, -2);
    }
    if (lua_type(L, -1) == LUA_TSTRING)
        *out = maal_strdup(lua_tostring(L, -1));
    lua_pop(L, 1);
}

struct djob {
    const char *path, *src;
    size_t len;
    enum maal_lang lang;
    struct maal_rule_info *info;
};

/* Reading the rule table uses raw access only: a hostile metatable must not run code (and
 * free the strings being read) while the host looks. */
static const char *raw_string(lua_State *L, int t, const char *k)
{
    lua_pushstring(L, k);
    lua_rawget(L, t);
    const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1); /* the string stays alive: the table holds it */
    return s;
}

static int run_describe(lua_State *L)
{
    struct djob *j = lua_touserdata(L, 1);
    maal_sb_host(L, NULL, NULL, NULL);
    struct maal_sb_chunk chunk = {.path = j->path, .text = j->src, .len = j->len, .require = true};
    if (maal_sb_run_chunk(L, &chunk) != LUA_OK)
        return lua_error(L);
    int t = lua_gettop(L);
    if (!lua_istable(L, t))
        return luaL_error(L, "the rule file does not return a table");
    describe_text(L, t, "title", j->lang, &j->info->title);
    describe_text(L, t, "description", j->lang, &j->info->description);
    lua_pushstring(L, "evaluate");
    lua_rawget(L, t);
    j->info->has_evaluate = lua_isfunction(L, -1);
    lua_pop(L, 1);
    lua_pushstring(L, "params");
    lua_rawget(L, t);
    if (lua_istable(L, -1)) {
        int pt = lua_gettop(L);
        /* names copied out, sorted for a stable listing */
        char *names[64];
        int n = 0;
        lua_pushnil(L);
        while (lua_next(L, pt) && n < 64) {
            lua_pop(L, 1);
            if (lua_type(L, -1) == LUA_TSTRING && (names[n] = maal_strdup(lua_tostring(L, -1))))
                n++;
        }
        for (int a = 1; a < n; a++)
            for (int c = a; c > 0 && strcmp(names[c - 1], names[c]) > 0; c--) {
                char *x = names[c];
                names[c] = names[c - 1];
                names[c - 1] = x;
            }
        struct maal_buf b = MAAL_BUF_INIT;
        for (int i = 0; i < n; i++) {
            lua_pushstring(L, names[i]);
            lua_rawget(L, pt);
            int spec = lua_gettop(L);
            if (lua_type(L, spec) == LUA_TTABLE) {
                const char *ty = raw_string(L, spec, "type");
                lua_pushstring(L, "required");
                lua_rawget(L, spec);
                bool req = lua_toboolean(L, -1);
                lua_pop(L, 1);
                lua_pushstring(L, "default");
                lua_rawget(L, spec);
                char dflt[64] = "";
                if (lua_type(L, -1) == LUA_TNUMBER)
                    snprintf(dflt, sizeof(dflt), "%g", lua_tonumber(L, -1));
                else if (lua_type(L, -1) == LUA_TSTRING)
                    snprintf(dflt, sizeof(dflt), "%s", lua_tostring(L, -1));
                else if (lua_type(L, -1) == LUA_TBOOLEAN)
                    snprintf(dflt, sizeof(dflt), "%s", lua_toboolean(L, -1) ? "true" : "false");
                lua_pop(L, 1);
                maal_buf_printf(&b, "%s%s (%s%s%s%s)", i ? ", " : "", names[i], ty ? ty : "string",
                                req ? TR(j->lang, ", påkrævet", ", required") : "",
                                dflt[0] ? " = " : "", dflt);
            } else {
                maal_buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
            }
            lua_settop(L, pt);
        }
        for (int i = 0; i < n; i++)
            maal_free(names[i]);
        j->info->params = b.s;
    }
    return 0;
}

/* The rule's problem, at 'path' (line 0: unknown); the text, from the rule file, is cleaned
 * for a terminal or a CI log. */
static void set_problem(struct maal_rule_info *info, const char *path, int line, const char *msg)
{
    char *c = maal_clean_dup(msg, false);
    if (c)
        maal_diags_add(&info->problems, MAAL_SEV_ERROR, path, line, 0, "%s", c);
    else
        info->problems.oom = true;
    maal_free(c);
}

/* The line of 'path' that Lua's message 'm' names ("path:12: ..."), or 0: none, or another
 * file (a helper the rule requires), or a path Lua shortened in the message. */
static int line_in(const char *path, const char *m)
{
    size_t n = strlen(path);
    if (!m || strncmp(m, path, n) != 0 || m[n] != ':')
        return 0;
    char *end;
    long line = strtol(m + n + 1, &end, 10);
    return end != m + n + 1 && *end == ':' && line > 0 && line <= INT_MAX ? (int)line : 0;
}

int maal_rule_describe(const char *path, const struct maal_limits *lim, enum maal_lang lang,
                       struct maal_rule_info *info)
{
    memset(info, 0, sizeof(*info));
    char *src;
    size_t len;
    struct maal_error e;
    if (maal_read_capped(path, 1u << 20, &src, &len, &e, lang) != MAAL_OK) {
        set_problem(info, path, 0, e.msg);
        return MAAL_ERR_IO;
    }
    /* the leading comment block is the rule's documentation */
    struct maal_buf doc = MAAL_BUF_INIT;
    for (const char *p = src; *p == '-' && p[1] == '-';) {
        const char *nl = strchr(p, '\n');
        size_t l = nl ? (size_t)(nl - p) : strlen(p);
        const char *t = p + 2;
        if (*t == ' ')
            t++;
        maal_buf_add(&doc, t, l - (size_t)(t - p));
        maal_buf_putc(&doc, '\n');
        if (!nl)
            break;
        p = nl + 1;
    }
    info->doc = doc.s;
    struct run run = {.limit = lim->rule_memory, .lang = lang};
    lua_State *L = maal_sb_new_state(&run);
    int rc = MAAL_OK;
    if (L) {
        maal_sb_start(L, &run, lim, MAAL_SB_DESCRIBE);
        struct djob j = {.path = path, .src = src, .len = len, .lang = lang, .info = info};
        lua_pushcfunction(L, run_describe);
        lua_pushlightuserdata(L, &j);
        int status = lua_pcall(L, 1, 0, 0);
        maal_sb_stop(L);
        if (status != LUA_OK || run.timed_out || run.mem_exceeded) {
            const char *m = run.timed_out || run.mem_exceeded ? "limit exceeded" : lua_tostring(L, -1);
            char *line = maal_first_line(m ? m : "?");
            set_problem(info, path, line_in(path, line), line ? line : "?");
            maal_free(line);
            rc = MAAL_ERR_INVALID;
        } else if (!info->has_evaluate) {
            set_problem(info, path, 0, TR(lang, "mangler 'evaluate'", "lacks 'evaluate'"));
            rc = MAAL_ERR_INVALID;
        }
        maal_sb_close(L);
    }
    maal_free(src);
    /* all of it is the rule file's text, printed by 'maal rules' to a terminal or a CI log */
    char **texts[] = {&info->title, &info->description, &info->params, &info->doc};
    for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
        if (!*texts[i])
            continue;
        char *c = maal_clean_dup(*texts[i], texts[i] == &info->doc);
        maal_free(*texts[i]);
        *texts[i] = c;
    }
    return rc;
}

const char *maal_rule_info_problem(const struct maal_rule_info *info, enum maal_lang lang)
{
    if (info->problems.n)
        return info->problems.v[0].msg;
    return info->problems.oom ? TR(lang, "ikke nok hukommelse", "out of memory") : NULL;
}

void maal_rule_info_release(struct maal_rule_info *info)
{
    maal_free(info->title);
    maal_free(info->description);
    maal_free(info->params);
    maal_free(info->doc);
    maal_diags_release(&info->problems);
    memset(info, 0, sizeof(*info));
}

