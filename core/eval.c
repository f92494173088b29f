/* eval: runs each goal's Lua rule in its own sandboxed state and collects verdicts.
 *
 * Each goal gets a fresh lua_State: nothing one rule does (globals, the string metatable)
 * can reach another goal. The state has a counting allocator (memory limit), an
 * instruction-count hook with a monotonic deadline that, once passed, raises on every
 * instruction so pcall cannot swallow it, and only base/string/table/math/utf8, filtered
 * by the prelude. Rules load as text only. */
#include "eval.h"

#include <jansson.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "plugin.h"
#include "rules.h"

extern const char maal_prelude_lua[];
extern const size_t maal_prelude_lua_len;

const char *const maal_verdict_names[] = {"pass", "fail", "info", "nodata", "error", "waived", NULL};

/* Per-run state, found from the lua_State through its extra space (never a C global). */
struct run {
    size_t used, limit;
    size_t kept; /* used after the last full collection: what the session keeps */
    bool mem_exceeded;
    struct timespec deadline;
    bool timed_out;
    enum maal_lang lang;
};

static struct run *run_of(lua_State *L)
{
    return *(struct run **)lua_getextraspace(L);
}

static void *l_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    struct run *r = ud;
    size_t old = ptr ? osize : 0; /* when ptr is NULL, osize is a type tag */
    if (nsize == 0) {
        maal_free(ptr);
        r->used -= old;
        return NULL;
    }
    if (nsize > old && r->used - old + nsize > r->limit) {
        r->mem_exceeded = true;
        return NULL;
    }
    void *p = maal_realloc(ptr, nsize);
    if (p)
        r->used = r->used - old + nsize;
    return p;
}

static bool past(const struct timespec *deadline)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > deadline->tv_sec ||
           (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec);
}

/* Time maal spends building the partnership's tables in the state (push_data) is
 * not the rule's: the deadline moves by it. */
static void extend_deadline(lua_State *L, const struct timespec *since)
{
    struct run *r = run_of(L);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    r->deadline.tv_sec += now.tv_sec - since->tv_sec;
    r->deadline.tv_nsec += now.tv_nsec - since->tv_nsec;
    if (r->deadline.tv_nsec >= 1000000000L) {
        r->deadline.tv_sec++;
        r->deadline.tv_nsec -= 1000000000L;
    } else if (r->deadline.tv_nsec < 0) {
        r->deadline.tv_sec--;
        r->deadline.tv_nsec += 1000000000L;
    }
}

static void hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    struct run *r = run_of(L);
    if (r->timed_out || past(&r->deadline)) {
        if (!r->timed_out) {
            r->timed_out = true;
            /* from now on raise at every instruction: a pcall in the rule cannot carry on */
            lua_sethook(L, hook, LUA_MASKCOUNT, 1);
        }
        luaL_error(L, "%s", TR(r->lang, "tidsgrænsen er overskredet", "time limit exceeded"));
    }
}

static int msgh(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (!msg) /* never call __tostring here: it could raise or loop */
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    luaL_traceback(L, L, msg, 1);
    return 1;
}

static int l_fmt(lua_State *L)
{
    lua_Number x = luaL_checknumber(L, 1);
    lua_Integer dec = luaL_optinteger(L, 2, -1);
    const char *lang = luaL_optstring(L, 3, "da");
    char out[64];
    maal_fmt_number(out, sizeof(out), (double)x, dec < -1 ? -1 : dec > 6 ? 6 : (int)dec,
                    strcmp(lang, "en") == 0 ? MAAL_LANG_EN : MAAL_LANG_DA);
    lua_pushstring(L, out);
    return 1;
}

/* Whether a value has a metatable, whatever its __metatable field pretends. */
static int l_has_meta(lua_State *L)
{
    int has = lua_getmetatable(L, 1);
    if (has)
        lua_pop(L, 1);
    lua_pushboolean(L, has);
    return 1;
}

static int l_timed_out(lua_State *L)
{
    lua_pushboolean(L, run_of(L)->timed_out);
    return 1;
}

/* The hook looks at the clock every 1000 instructions, and a call of a guarded C function is
 * a few of them: the guards call this first, so a loop of long C calls stops at the first one
 * that starts after the deadline. */
static int l_deadline(lua_State *L)
{
    hook(L, NULL);
    return 0;
}

/* The C helpers the prelude receives as its argument. */
static void push_c_helpers(lua_State *L)
{
    lua_createtable(L, 0, 6);
    lua_pushcfunction(L, l_deadline);
    lua_setfield(L, -2, "deadline");
    lua_pushcfunction(L, l_fmt);
    lua_setfield(L, -2, "fmt");
    lua_pushcfunction(L, l_timed_out);
    lua_setfield(L, -2, "timed_out");
    lua_pushcfunction(L, l_has_meta);
    lua_setfield(L, -2, "has_meta");
    lua_pushinteger(L, MAAL_YEAR_MIN);
    lua_setfield(L, -2, "year_min");
    lua_pushinteger(L, MAAL_YEAR_MAX);
    lua_setfield(L, -2, "year_max");
}

/* ---- the data table ---- */

static void set_str(lua_State *L, const char *k, const char *v)
{
    if (!v)
        return;
    lua_pushstring(L, v);
    lua_setfield(L, -2, k);
}

static void set_int(lua_State *L, const char *k, lua_Integer v)
{
    lua_pushinteger(L, v);
    lua_setfield(L, -2, k);
}

/* A value and its place: a line and column of the data file, or a CSV table's 'file' (with
 * 'what' it is there), each NULL otherwise. */
static void push_cell(lua_State *L, double v, int line, int col, bool unknown, const char *file,
                      const char *what)
{
    lua_createtable(L, 0, file ? 6 : 4);
    if (v == floor(v) && fabs(v) < 1e15)
        lua_pushinteger(L, (lua_Integer)v);
    else
        lua_pushnumber(L, v);
    lua_setfield(L, -2, "v");
    set_int(L, "l", line);
    set_int(L, "c", col);
    if (unknown) {
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, "u");
    }
    set_str(L, "f", file);
    set_str(L, "w", what);
}

static void push_located(lua_State *L, double v, int line, int col, bool unknown)
{
    push_cell(L, v, line, col, unknown, NULL, NULL);
}

static void push_yearmap(lua_State *L, const struct maal_yearmap *m)
{
    lua_createtable(L, 0, (int)m->n);
    for (size_t i = 0; i < m->n; i++) {
        push_cell(L, m->v[i].v, m->v[i].line, m->v[i].col, m->v[i].unknown, m->v[i].file,
                  m->v[i].what);
        lua_rawseti(L, -2, m->v[i].year);
    }
}

static void push_strlist(lua_State *L, const char **v, size_t n)
{
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushstring(L, v[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

static void push_series(lua_State *L, const struct maal_series *s)
{
    lua_createtable(L, 0, 10);
    set_str(L, "id", s->id);
    set_str(L, "name", s->name);
    set_str(L, "source", s->source);
    set_str(L, "kind", maal_kind_names[s->kind]);
    set_str(L, "unit", maal_unit_names[s->unit]);
    lua_createtable(L, 0, MAAL_NSCOPES);
    for (int sc = 0; sc < MAAL_NSCOPES; sc++) {
        push_yearmap(L, &s->values[sc]);
        lua_setfield(L, -2, maal_scope_names[sc]);
    }
    lua_setfield(L, -2, "values");
    lua_createtable(L, 0, MAAL_NSCOPES);
    for (int sc = 0; sc < MAAL_NSCOPES; sc++) {
        push_yearmap(L, &s->samples[sc]);
        lua_setfield(L, -2, maal_scope_names[sc]);
    }
    lua_setfield(L, -2, "samples");
    lua_createtable(L, (int)s->nsig, 0);
    for (size_t i = 0; i < s->nsig; i++) {
        const struct maal_signif *g = &s->sig[i];
        lua_createtable(L, 0, 8);
        set_str(L, "scope", maal_scope_names[g->scope]);
        if (g->from)
            set_int(L, "from", g->from);
        if (g->to)
            set_int(L, "to", g->to);
        if (g->year)
            set_int(L, "year", g->year);
        lua_pushboolean(L, g->significant);
        lua_setfield(L, -2, "significant");
        set_str(L, "note", g->note);
        set_int(L, "l", g->line);
        set_int(L, "c", g->col);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "sig");
}

static void push_activity(lua_State *L, const struct maal_activity *a)
{
    lua_createtable(L, 0, 16);
    set_str(L, "id", a->id);
    set_str(L, "name", a->name);
    set_str(L, "focus_area", a->focus_area);
    set_str(L, "note", a->note);
    if (a->number)
        set_int(L, "number", a->number);
    lua_pushboolean(L, a->is_new);
    lua_setfield(L, -2, "new");
    lua_pushboolean(L, a->in_partner_share);
    lua_setfield(L, -2, "in_partner_share");
    set_int(L, "partner_count", (lua_Integer)maal_activity_partner_count(a));
    set_int(L, "l", a->line);
    set_int(L, "c", a->col);
    if (a->start) {
        lua_createtable(L, 0, 3);
        set_int(L, "v", a->start);
        set_int(L, "l", a->start_line);
        set_int(L, "c", a->start_col);
        lua_setfield(L, -2, "start");
    }
    if (a->end) {
        lua_createtable(L, 0, 3);
        set_int(L, "v", a->end);
        set_int(L, "l", a->end_line);
        set_int(L, "c", a->end_col);
        lua_setfield(L, -2, "end");
    }
    push_strlist(L, a->responsible, a->nresponsible);
    lua_setfield(L, -2, "responsible");
    push_strlist(L, a->partners, a->npartners);
    lua_setfield(L, -2, "partners");
    push_yearmap(L, &a->financing);
    lua_setfield(L, -2, "financing");
    /* status: the latest year's; statuses: year -> that year's */
    lua_createtable(L, 0, (int)a->nstatuses);
    for (size_t i = 0; i < a->nstatuses; i++) {
        const struct maal_act_status *st = &a->statuses[i];
        lua_createtable(L, 0, 7);
        set_int(L, "year", st->year);
        set_str(L, "as_planned", st->as_planned);
        set_str(L, "concerns", st->concerns);
        set_str(L, "adjustments", st->adjustments);
        set_str(L, "note", st->note);
        set_int(L, "l", st->line);
        set_int(L, "c", st->col);
        if (st->year == a->status.year) {
            lua_pushvalue(L, -1);
            lua_setfield(L, -4, "status");
        }
        lua_rawseti(L, -2, st->year);
    }
    lua_setfield(L, -2, "statuses");
    lua_createtable(L, (int)a->ncriteria, 0);
    for (size_t i = 0; i < a->ncriteria; i++) {
        const struct maal_criterion *c = &a->criteria[i];
        lua_createtable(L, 0, 10);
        set_str(L, "id", c->id);
        set_str(L, "text", c->text);
        if (c->has_unit)
            set_str(L, "unit", maal_unit_names[c->unit]);
        if (c->has_target) {
            lua_pushnumber(L, c->target);
            lua_setfield(L, -2, "target");
        }
        if (c->by_year)
            set_int(L, "by_year", c->by_year);
        set_str(L, "due", c->due);
        set_str(L, "done", c->done);
        if (c->done_no) {
            lua_pushboolean(L, 0);
            lua_setfield(L, -2, "done");
        }
        if (c->due) {
            push_located(L, 0, c->due_line, c->due_col, false);
            lua_setfield(L, -2, "due_src");
        }
        if (c->done || c->done_no) {
            push_located(L, 0, c->done_line, c->done_col, false);
            lua_setfield(L, -2, "done_src");
        }
        push_yearmap(L, &c->values);
        lua_setfield(L, -2, "values");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "criteria");
}

static void push_data(lua_State *L, const struct maal_partnership *p)
{
    lua_checkstack(L, 16);
    lua_createtable(L, 0, 4);
    lua_createtable(L, 0, 12);
    set_str(L, "id", p->id);
    set_str(L, "name", p->name);
    set_str(L, "area", p->area);
    set_str(L, "district", p->district);
    set_str(L, "source", p->source);
    set_int(L, "from", p->from);
    set_int(L, "to", p->to);
    push_strlist(L, p->partners, p->npartners);
    lua_setfield(L, -2, "partners");
    lua_createtable(L, 0, MAAL_NKINDS);
    for (int k = 0; k < MAAL_NKINDS; k++)
        if (p->baseline[k]) {
            push_located(L, p->baseline[k], p->baseline_line[k], p->baseline_col[k], false);
            lua_setfield(L, -2, maal_kind_names[k]);
        }
    lua_setfield(L, -2, "baselines");
    push_yearmap(L, &p->population);
    lua_setfield(L, -2, "population");
    push_yearmap(L, &p->budget);
    lua_setfield(L, -2, "budget");
    lua_createtable(L, (int)p->nchanges, 0);
    for (size_t i = 0; i < p->nchanges; i++) {
        const struct maal_area_change *c = &p->changes[i];
        lua_createtable(L, 0, 5);
        set_int(L, "year", c->year);
        set_str(L, "note", c->note);
        set_int(L, "l", c->line);
        set_int(L, "c", c->col);
        lua_createtable(L, 0, MAAL_NKINDS);
        for (int k = 0; k < MAAL_NKINDS; k++)
            if (c->affects[k]) {
                lua_pushboolean(L, 1);
                lua_setfield(L, -2, maal_kind_names[k]);
            }
        lua_setfield(L, -2, "affects");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "changes");
    lua_setfield(L, -2, "partnership");
    lua_createtable(L, (int)p->nseries, 0);
    for (size_t i = 0; i < p->nseries; i++) {
        push_series(L, &p->series[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "series");
    lua_createtable(L, (int)p->nactivities, 0);
    for (size_t i = 0; i < p->nactivities; i++) {
        push_activity(L, &p->activities[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "activities");
    set_int(L, "latest_year", p->latest_year);
}

/* YAML params -> Lua values: plain scalars that read as numbers or booleans become those. */
static void push_node(lua_State *L, const struct maal_node *n)
{
    lua_checkstack(L, 4);
    if (n->type == MAAL_NODE_SCALAR) {
        double d;
        long i;
        if (n->plain && maal_parse_int(n->str, &i))
            lua_pushinteger(L, i);
        else if (n->plain && maal_parse_double(n->str, &d))
            lua_pushnumber(L, d);
        else if (n->plain && strcmp(n->str, "true") == 0)
            lua_pushboolean(L, 1);
        else if (n->plain && strcmp(n->str, "false") == 0)
            lua_pushboolean(L, 0);
        else if (n->plain && (n->len == 0 || !strcmp(n->str, "~") || !strcmp(n->str, "null")))
            lua_pushnil(L);
        else
            lua_pushlstring(L, n->str, n->len);
    } else if (n->type == MAAL_NODE_SEQ) {
        lua_createtable(L, (int)n->n, 0);
        for (size_t k = 0; k < n->n; k++) {
            push_node(L, n->items[k]);
            lua_rawseti(L, -2, (lua_Integer)k + 1);
        }
    } else {
        lua_createtable(L, 0, (int)n->n);
        for (size_t k = 0; k < n->n; k++) {
            push_node(L, n->items[2 * k]);
            push_node(L, n->items[2 * k + 1]);
            if (lua_isnil(L, -2))
                lua_pop(L, 2);
            else
                lua_rawset(L, -3);
        }
    }
}

/* ---- decoding what a rule returns: raw access only, every type checked ---- */

static char *dup_or_null(const char *s)
{
    return s ? maal_strdup(s) : NULL;
}

static const char *const result_keys[] = {
    "verdict", "actual", "target",  "baseline", "baseline_year", "change",  "unit",
    "message", "year",   "op",      "numerator", "denominator",  "significance", NULL};

static bool get_num(lua_State *L, int t, const char *k, bool *has, double *out, char *why,
                    size_t wsize, enum maal_lang lang)
{
    lua_pushstring(L, k);
    lua_rawget(L, t);
    int ty = lua_type(L, -1);
    bool ok = true;
    if (ty == LUA_TNUMBER) {
        double v = lua_tonumber(L, -1);
        if (!isfinite(v)) {
            snprintf(why, wsize, TR(lang, "resultatets '%s' er %s, forventede et endeligt tal",
                                    "the result's '%s' is %s, expected a finite number"),
                     k, isnan(v) ? "NaN" : "inf");
            ok = false;
        } else {
            *has = true;
            *out = v;
        }
    } else if (ty != LUA_TNIL) {
        snprintf(why, wsize, TR(lang, "resultatets '%s' er %s, forventede et tal",
                                "the result's '%s' is %s, expected a number"),
                 k, lua_typename(L, ty));
        ok = false;
    }
    lua_pop(L, 1);
    return ok;
}

/* C0 and C1 controls, DEL, bidi overrides and the rest of maal_unsafe_char (s is valid UTF-8) */
static bool has_control(const char *s)
{
    for (; *s; s += maal_char_len(s))
        if (maal_unsafe_char(s))
            return true;
    return false;
}

/* Text from a rule for a report: at most 'max' bytes, cut at a character boundary; invalid
 * UTF-8 and what maal_unsafe_char names (but tab; a line feed is a space) become '?'. */
static char *clean_text(const char *s, size_t max)
{
    struct maal_buf b = MAAL_BUF_INIT;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && b.len < max) {
        size_t n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : 4;
        size_t bad = maal_unsafe_char((const char *)p);
        if (bad) {
            maal_buf_putc(&b, *p == '\t' ? '\t' : *p == '\n' ? ' ' : '?');
            p += bad;
        } else {
            maal_buf_add(&b, (const char *)p, n);
            p += n;
        }
    }
    if (*p)
        maal_buf_puts(&b, "…");
    return b.s ? b.s : maal_strdup("");
}

/* The same, keeping line breaks: what a rule printed, a traceback. */
static char *clean_lines(const char *s, size_t max)
{
    struct maal_buf b = MAAL_BUF_INIT;
    const char *p = s;
    while (*p && b.len < max) {
        size_t n = strcspn(p, "\n");
        char *line = maal_strndup(p, n);
        char *c = line ? clean_text(line, max) : NULL;
        maal_buf_printf(&b, "%s%s", b.len ? "\n" : "", c ? c : "?");
        maal_free(c);
        maal_free(line);
        p += n;
        if (*p == '\n')
            p++;
    }
    if (*p)
        maal_buf_puts(&b, "…");
    return b.s ? b.s : maal_strdup("");
}

/* A traceback with the rule's own frames: the prelude's ("maal:148: in upvalue
 * 'check_year'") and the host's C frames are not the rule author's to read. */
static char *rule_frames(const char *m)
{
    struct maal_buf b = MAAL_BUF_INIT;
    const char *p = m;
    while (*p) {
        size_t n = strcspn(p, "\n");
        const char *f = p + strspn(p, "\t ");
        bool internal = p != m && (!strncmp(f, "maal:", 5) || !strncmp(f, "[C]: in ?", 9) ||
                                   !strncmp(f, "[C]: in function 'error'", 24) ||
                                   !strncmp(f, "(...tail calls...)", 18));
        if (!internal)
            maal_buf_printf(&b, "%s%.*s", b.len ? "\n" : "", (int)n, p);
        p += n;
        if (*p == '\n')
            p++;
    }
    char *out = clean_lines(maal_buf_str(&b), 16384);
    maal_buf_release(&b);
    return out;
}

/* A string field (or {da=, en=}); at most 'max' bytes. */
static bool get_text_field(lua_State *L, int t, const char *k, enum maal_lang lang, size_t max,
                           char **out, char *why, size_t wsize)
{
    lua_pushstring(L, k);
    lua_rawget(L, t);
    if (lua_type(L, -1) == LUA_TTABLE) {
        lua_pushstring(L, lang == MAAL_LANG_EN ? "en" : "da");
        lua_rawget(L, -2);
        if (lua_type(L, -1) != LUA_TSTRING) {
            lua_pop(L, 1);
            lua_pushstring(L, "da");
            lua_rawget(L, -2);
        }
        lua_remove(L, -2);
    }
    int ty = lua_type(L, -1);
    bool ok = true;
    if (ty == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        if (len > max) {
            snprintf(why, wsize, TR(lang, "resultatets '%s' er %zu byte lang, forventede højst %zu",
                                    "the result's '%s' is %zu bytes long, expected at most %zu"),
                     k, len, max);
            ok = false;
        } else if (strlen(s) != len) {
            snprintf(why, wsize, TR(lang, "resultatets '%s' indeholder en NUL-byte",
                                    "the result's '%s' contains a NUL byte"), k);
            ok = false;
        } else if (!maal_utf8_check(s, len, &(int){0}, &(int){0})) {
            snprintf(why, wsize, TR(lang, "resultatets '%s' er ikke gyldig UTF-8",
                                    "the result's '%s' is not valid UTF-8"), k);
            ok = false;
        } else if (has_control(s)) {
            /* a message must not be able to forge report lines or terminal titles */
            snprintf(why, wsize, TR(lang, "resultatets '%s' indeholder kontroltegn",
                                    "the result's '%s' contains control characters"), k);
            ok = false;
        } else {
            *out = maal_strdup(s);
        }
    } else if (ty != LUA_TNIL) {
        snprintf(why, wsize, TR(lang, "resultatets '%s' er %s, forventede tekst",
                                "the result's '%s' is %s, expected text"),
                 k, lua_typename(L, ty));
        ok = false;
    }
    lua_pop(L, 1);
    return ok;
}

/* A result's 'unit' or 'op' must be one the reports know, or it would vanish from them. */
static bool known_word(const char *val, const char *const *known, const char *key,
                       const char *list, enum maal_lang lang, char *why, size_t wsize)
{
    for (size_t i = 0; val && known[i]; i++)
        if (!strcmp(val, known[i]))
            return true;
    if (!val)
        return true;
    const char *dym = maal_did_you_mean(val, known);
    snprintf(why, wsize, TR(lang, "resultatets '%s' er '%s'%s%s%s, forventede en af %s",
                            "the result's '%s' is '%s'%s%s%s, expected one of %s"),
             key, val, dym ? TR(lang, " (mente du '", " (did you mean '") : "", dym ? dym : "",
             dym ? "'?)" : "", list);
    return false;
}

static bool decode_result(lua_State *L, int t, enum maal_lang lang, struct maal_result *r,
                          char *why, size_t wsize)
{
    if (lua_type(L, t) != LUA_TTABLE) {
        snprintf(why, wsize,
                 TR(lang, "evaluate returnerede %s, forventede en resultattabel",
                    "evaluate returned %s, expected a result table"),
                 lua_typename(L, lua_type(L, t)));
        return false;
    }
    /* unknown keys: a typo like 'verdikt' must not pass silently */
    lua_pushnil(L);
    int count = 0;
    while (lua_next(L, t)) {
        lua_pop(L, 1);
        if (++count > 64 || lua_type(L, -1) != LUA_TSTRING) {
            lua_pop(L, 1);
            snprintf(why, wsize, TR(lang, "resultattabellen har ukendte nøgler",
                                    "the result table has unknown keys"));
            return false;
        }
        const char *k = lua_tostring(L, -1);
        bool known = false;
        for (size_t i = 0; result_keys[i]; i++)
            known = known || strcmp(result_keys[i], k) == 0;
        if (!known) {
            const char *dym = maal_did_you_mean(k, result_keys);
            snprintf(why, wsize,
                     TR(lang, "resultattabellen har den ukendte nøgle '%s'%s%s%s",
                        "the result table has the unknown key '%s'%s%s%s"),
                     k, dym ? TR(lang, " (mente du '", " (did you mean '") : "", dym ? dym : "",
                     dym ? "'?)" : "");
            lua_pop(L, 1);
            return false;
        }
    }
    lua_pushstring(L, "verdict");
    lua_rawget(L, t);
    const char *v = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    int verdict = -1;
    for (int i = 0; v && i < MAAL_ERROR; i++)
        if (strcmp(v, maal_verdict_names[i]) == 0)
            verdict = i;
    if (verdict < 0) {
        snprintf(why, wsize,
                 TR(lang, "'verdict' er %s%s%s, forventede pass, fail, info eller nodata",
                    "'verdict' is %s%s%s, expected pass, fail, info or nodata"),
                 v ? "'" : "", v ? v : luaL_typename(L, -1), v ? "'" : "");
        lua_pop(L, 1);
        return false;
    }
    lua_pop(L, 1);
    r->verdict = (enum maal_verdict)verdict;
    double by = 0, yr = 0;
    bool has_by = false, has_yr = false, has_num = false, has_den = false;
    if (!get_num(L, t, "actual", &r->has_actual, &r->actual, why, wsize, lang) ||
        !get_num(L, t, "target", &r->has_target, &r->target, why, wsize, lang) ||
        !get_num(L, t, "baseline", &r->has_baseline, &r->baseline, why, wsize, lang) ||
        !get_num(L, t, "change", &r->has_change, &r->change, why, wsize, lang) ||
        !get_num(L, t, "numerator", &has_num, &r->numerator, why, wsize, lang) ||
        !get_num(L, t, "denominator", &has_den, &r->denominator, why, wsize, lang) ||
        !get_num(L, t, "baseline_year", &has_by, &by, why, wsize, lang) ||
        !get_num(L, t, "year", &has_yr, &yr, why, wsize, lang))
        return false;
    if ((has_by && (by != floor(by) || by < MAAL_YEAR_MIN || by > MAAL_YEAR_MAX)) ||
        (has_yr && (yr != floor(yr) || yr < MAAL_YEAR_MIN || yr > MAAL_YEAR_MAX))) {
        snprintf(why, wsize, TR(lang, "'year'/'baseline_year' er ikke et årstal",
                                "'year'/'baseline_year' is not a year"));
        return false;
    }
    if (has_num != has_den) {
        snprintf(why, wsize, TR(lang, "resultatet har kun den ene af 'numerator' og 'denominator'",
                                "the result has only one of 'numerator' and 'denominator'"));
        return false;
    }
    r->has_ratio = has_num;
    r->baseline_year = has_by ? (int)by : 0;
    r->year = has_yr ? (int)yr : 0;
    char *msg = NULL, *unit = NULL, *op = NULL, *sig = NULL;
    bool ok = get_text_field(L, t, "message", lang, 4096, &msg, why, wsize) &&
              get_text_field(L, t, "unit", lang, 32, &unit, why, wsize) &&
              get_text_field(L, t, "op", lang, 4, &op, why, wsize) &&
              get_text_field(L, t, "significance", lang, 512, &sig, why, wsize);
    r->message = msg;
    r->unit = unit;
    r->op = op;
    r->significance = sig;
    if (!ok)
        return false;
    /* a unit or operator the reports do not know would vanish from them: refuse it */
    static const char *const units[] = {"count", "per_1000", "percent", "pp", "kr", "number", NULL};
    static const char *const ops[] = {"<=", "<", ">=", ">", "==", NULL};
    if (!known_word(unit, units, "unit", "count, per_1000, percent, pp, kr, number", lang, why,
                    wsize) ||
        !known_word(op, ops, "op", "<=, <, >=, >, ==", lang, why, wsize))
        return false;
    if (msg && !*msg) { /* an empty message is no message: one is written (run_job) */
        maal_free(msg);
        r->message = NULL;
    }
    return true;
}

static void read_sources(lua_State *L, int host, struct maal_result *r)
{
    lua_getfield(L, host, "sources");
    if (lua_pcall(L, 0, 1, 0) != LUA_OK || lua_type(L, -1) != LUA_TTABLE) {
        lua_pop(L, 1);
        return;
    }
    lua_Unsigned n = lua_rawlen(L, -1);
    if (n > 1000)
        n = 1000;
    r->sources = maal_calloc(n ? n : 1, sizeof(*r->sources));
    for (lua_Unsigned i = 1; r->sources && i <= n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        if (lua_type(L, -1) == LUA_TTABLE) {
            struct maal_source *s = &r->sources[r->nsources];
            lua_getfield(L, -1, "line");
            s->line = (int)lua_tointeger(L, -1);
            lua_getfield(L, -2, "col");
            s->col = (int)lua_tointeger(L, -1);
            lua_getfield(L, -3, "what");
            s->what = dup_or_null(lua_tostring(L, -1));
            lua_getfield(L, -4, "file");
            s->file = dup_or_null(lua_tostring(L, -1));
            lua_pop(L, 4);
            if (s->what)
                r->nsources++;
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* The first line of an error message or traceback. */
static char *first_line(const char *s)
{
    const char *nl = strchr(s, '\n');
    return maal_strndup(s, nl ? (size_t)(nl - s) : strlen(s));
}

static void set_error(struct maal_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void set_error(struct maal_result *r, const char *fmt, ...)
{
    struct maal_buf b = MAAL_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    maal_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    maal_free(r->message);
    /* the reason may quote what a rule returned (a verdict, a key, a param name): clean it */
    r->message = b.s ? clean_text(b.s, 4096) : NULL;
    maal_free(b.s);
    if (!r->message)
        r->message = maal_strdup("error");
    r->verdict = MAAL_ERROR;
}

/* Lua's own runtime messages are English: in a Danish report the common ones are said in
 * Danish. Only Lua's sentence patterns are replaced (a rule's own error text is kept as it
 * is): "attempt to index a nil value (global 'io')", "bad argument #1 to 'f' (number
 * expected, got nil)", and, in a traceback, its frame words. */
static const char *eat(const char *s, const char *w)
{
    size_t n = strlen(w);
    return strncmp(s, w, n) ? NULL : s + n;
}

static const char *put_word(struct maal_buf *b, const char *s)
{
    size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz");
    maal_buf_add(b, s, n);
    return s + n;
}

static const char *danish_attempt(struct maal_buf *b, const char *s)
{
    static const char *const verbs[][2] = {
        {"attempt to index a ", "kan ikke slå op i en "},
        {"attempt to call a ", "kan ikke kalde en "},
        {"attempt to perform arithmetic on a ", "kan ikke regne med en "},
        {"attempt to concatenate a ", "kan ikke sætte tekst sammen med en "},
        {"attempt to get length of a ", "kan ikke tage længden af en "},
    };
    static const char *const vars[][2] = {
        {" (global '", " (den globale variabel '"}, {" (local '", " (den lokale variabel '"},
        {" (field '", " (feltet '"},               {" (upvalue '", " (den ydre variabel '"},
        {" (method '", " (metoden '"},             {" (constant '", " (konstanten '"},
    };
    const char *p;
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
        if (!(p = eat(s, verbs[i][0])))
            continue;
        maal_buf_puts(b, verbs[i][1]);
        p = put_word(b, p);
        if (!(s = eat(p, " value")))
            return p;
        maal_buf_puts(b, "-værdi");
        for (size_t k = 0; k < sizeof(vars) / sizeof(vars[0]); k++)
            if ((p = eat(s, vars[k][0]))) {
                maal_buf_puts(b, vars[k][1]);
                return p;
            }
        return s;
    }
    if ((p = eat(s, "attempt to compare two "))) {
        maal_buf_puts(b, "kan ikke sammenligne to ");
        p = put_word(b, p);
        if ((s = eat(p, " values"))) {
            maal_buf_puts(b, "-værdier");
            return s;
        }
        return p;
    }
    if ((p = eat(s, "attempt to compare "))) {
        maal_buf_puts(b, "kan ikke sammenligne ");
        p = put_word(b, p);
        if ((s = eat(p, " with "))) {
            maal_buf_puts(b, " med ");
            return put_word(b, s);
        }
        return p;
    }
    if ((p = eat(s, "attempt to load a binary chunk"))) {
        maal_buf_puts(b, "forsøg på at indlæse en binær (oversat) fil");
        return p;
    }
    if ((p = eat(s, "bad argument #"))) {
        maal_buf_puts(b, "forkert argument nr. ");
        size_t n = strspn(p, "0123456789");
        maal_buf_add(b, p, n);
        p += n;
        if ((s = eat(p, " to '"))) {
            maal_buf_puts(b, " til '");
            p = s;
        }
        return p;
    }
    if ((p = eat(s, " expected, got "))) {
        maal_buf_puts(b, " forventet, fik ");
        return p;
    }
    return NULL;
}

static char *danish_lua(const char *s)
{
    static const char *const frames[][2] = {
        {"stack traceback:", "kaldstak:"},         {"in main chunk", "i filens hovedblok"},
        {"in function <", "i funktionen <"},       {"in function '", "i funktionen '"},
        {"in local '", "i den lokale funktion '"}, {"in upvalue '", "i den ydre funktion '"},
        {"in field '", "i feltet '"},              {"in method '", "i metoden '"},
    };
    struct maal_buf b = MAAL_BUF_INIT;
    bool trace = false; /* frame words only in the traceback, after the first line */
    const char *end = s + strnlen(s, 20000); /* what the report keeps, at most */
    while (s < end) {
        if (!strchr("abis (", *s)) { /* no pattern starts here: the fast way */
            trace = trace || *s == '\n';
            maal_buf_putc(&b, *s++);
            continue;
        }
        const char *next = danish_attempt(&b, s);
        for (size_t i = 0; !next && trace && i < sizeof(frames) / sizeof(frames[0]); i++)
            if ((next = eat(s, frames[i][0])))
                maal_buf_puts(&b, frames[i][1]);
        if (next) {
            s = next;
            continue;
        }
        trace = trace || *s == '\n';
        maal_buf_putc(&b, *s++);
    }
    return b.s ? b.s : maal_strdup("");
}

static void reason_for(struct run *run, int status, lua_State *L, struct maal_result *r)
{
    if (run->timed_out) {
        set_error(r, TR(run->lang, "reglen overskred tidsgrænsen", "the rule exceeded the time limit"));
    } else if (run->mem_exceeded || status == LUA_ERRMEM) {
        set_error(r, TR(run->lang, "reglen overskred hukommelsesgrænsen på %zu MiB",
                        "the rule exceeded the memory limit of %zu MiB"),
                  run->limit >> 20);
    } else {
        const char *m = lua_tostring(L, -1);
        char *da = m && run->lang == MAAL_LANG_DA ? danish_lua(m) : NULL;
        char *line = first_line(da ? da : m ? m : "?");
        char *clean = clean_text(line ? line : "?", 1000);
        set_error(r, "%s", clean ? clean : "?");
        maal_free(clean);
        maal_free(line);
        maal_free(r->trace);
        char *frames = m ? rule_frames(m) : NULL; /* filtered on Lua's own words */
        r->trace = frames && run->lang == MAAL_LANG_DA ? danish_lua(frames) : frames;
        if (r->trace != frames)
            maal_free(frames);
        maal_free(da);
    }
}

/* Opening the libraries allocates: done under lua_pcall so running out of memory is an error
 * and not Lua's panic (abort). */
static int open_libs(lua_State *L)
{
    static const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base},        {LUA_STRLIBNAME, luaopen_string},
                                    {LUA_TABLIBNAME, luaopen_table},  {LUA_MATHLIBNAME, luaopen_math},
                                    {LUA_UTF8LIBNAME, luaopen_utf8},  {NULL, NULL}};
    for (const luaL_Reg *l = libs; l->func; l++) {
        luaL_requiref(L, l->name, l->func, 1);
        lua_pop(L, 1);
    }
    /* what no rule may reach, removed before any rule code runs */
    static const char *const drop[] = {"dofile", "loadfile", "load", "require", "collectgarbage",
                                       "print", NULL};
    for (const char *const *d = drop; *d; d++) {
        lua_pushnil(L);
        lua_setglobal(L, *d);
    }
    lua_getglobal(L, "string");
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    lua_pop(L, 1);
    return 0;
}

static lua_State *new_state(struct run *run)
{
    lua_State *L = lua_newstate(l_alloc, run);
    if (!L)
        return NULL;
    *(struct run **)lua_getextraspace(L) = run;
    lua_pushcfunction(L, open_libs);
    if (lua_pcall(L, 0, 0, 0) != LUA_OK) {
        lua_close(L);
        return NULL;
    }
    return L;
}

/* Everything that runs in one state; called through lua_pcall so that an error raised by the
 * Lua API itself (out of memory while building tables) is caught, never a longjmp past us. */
struct job {
    const struct maal_eval_opts *o;
    const struct maal_partnership *p;
    const struct maal_goal *g;
    const struct maal_rule_src *src;
    struct maal_result *r;
    bool check_only;
    char why[512];
    int stage; /* 0 ok; 1 rule error; 2 decode error; 3 params error */
    bool at_key; /* a params error is about the key itself (unknown parameter) */
    /* a session: the prelude's table and the data, kept in the registry between goals */
    bool keep;
    int host_ref, data_ref;
};

static int bc_writer(lua_State *L, const void *p, size_t sz, void *ud)
{
    (void)L;
    struct maal_buf *b = ud;
    maal_buf_add(b, p, sz);
    return b->oom;
}

/* Load a chunk from maal's own compiled copy when there is one, else from the text (mode
 * "t": the only way code from outside gets in) and keep a compiled copy for the next goal.
 * Parsing the prelude and a rule for every goal was most of the time of a check. */
static int load_cached(lua_State *L, const char *text, size_t len, const char *name, char **bc,
                       size_t *bclen)
{
    if (bc && *bc)
        return luaL_loadbufferx(L, *bc, *bclen, name, "b");
    int rc = luaL_loadbufferx(L, text, len, name, "t");
    if (rc == LUA_OK && bc) {
        struct maal_buf b = MAAL_BUF_INIT;
        if (lua_dump(L, bc_writer, &b, 0) == 0 && !b.oom && b.s) {
            *bc = b.s;
            *bclen = b.len;
        } else {
            maal_buf_release(&b);
        }
    }
    return rc;
}

/* The kept main function of a rule file lets go of this goal's _ENV once it has run: the
 * closures it made (evaluate) keep theirs for this goal, and the goal's globals become garbage
 * when the goal ends, not when the same rule file runs again (40 rule files each keeping 60
 * MiB in a global held 2.4 GB). */
static void forget_env(lua_State *L, int host, unsigned long serial)
{
    lua_getfield(L, host, "rule_fns");
    lua_rawgeti(L, -1, (lua_Integer)serial);
    lua_getfield(L, host, "upvalue_of");
    lua_pushnil(L);
    lua_call(L, 1, 1);
    if (lua_type(L, -2) == LUA_TFUNCTION)
        lua_upvaluejoin(L, -2, 1, -1, 1);
    lua_pop(L, 3);
}

/* require(NAME) in a rule: NAME.lua from the folder the rule itself is in, for helper code
 * shared by a partnership's rules. Only a plain name ([a-z0-9_], no path), a regular file
 * inside that folder (no symlink out), loaded as text with the goal's own globals; the
 * text is kept per worker state (registry "maal.modules"), the module's value per goal.
 * Upvalues: 1 the folder, 2 the goal's loaded modules, 3 the goal's globals. */
static int l_require(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    enum maal_lang lang = run_of(L)->lang;
    size_t n = strlen(name);
    bool ok = n > 0 && n <= 64;
    for (const char *c = name; ok && *c; c++)
        ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_';
    if (!ok)
        return luaL_error(L, TR(lang, "require: '%s' er ikke et modulnavn, forventede et navn "
                                      "af a-z, 0-9 og _ (filen NAVN.lua i reglens mappe)",
                                "require: '%s' is not a module name, expected a name of a-z, "
                                "0-9 and _ (the file NAME.lua in the rule's folder)"),
                          name);
    lua_getfield(L, lua_upvalueindex(2), name);
    if (lua_toboolean(L, -1))
        return 1;
    if (lua_type(L, -1) == LUA_TBOOLEAN)
        return luaL_error(L, TR(lang, "require: '%s' kræver sig selv (en kreds af require)",
                                "require: '%s' requires itself (a cycle of requires)"), name);
    lua_pop(L, 1);
    const char *dir = lua_tostring(L, lua_upvalueindex(1));
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s.lua", dir, name);
    if (lua_getfield(L, LUA_REGISTRYINDEX, "maal.modules") != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, "maal.modules");
    }
    if (lua_getfield(L, -1, path) != LUA_TSTRING) {
        lua_pop(L, 1);
        char rd[PATH_MAX], rf[PATH_MAX];
        struct stat st;
        bool inside = realpath(dir, rd) && realpath(path, rf) && stat(rf, &st) == 0 &&
                      S_ISREG(st.st_mode) && !strncmp(rd, rf, strlen(rd)) && rf[strlen(rd)] == '/';
        if (!inside)
            return luaL_error(L, TR(lang, "require: intet modul '%s', forventede filen %s",
                                    "require: no module '%s', expected the file %s"),
                              name, path);
        char *text;
        size_t len;
        struct maal_error e;
        if (maal_read_file(path, 1u << 20, &text, &len, &e, lang) != MAAL_OK)
            return luaL_error(L, "require: %s", e.msg);
        lua_pushlstring(L, text, len);
        maal_free(text);
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, path);
    }
    size_t len;
    const char *text = lua_tolstring(L, -1, &len);
    lua_pushfstring(L, "@%s", path);
    if (luaL_loadbufferx(L, text, len, lua_tostring(L, -1), "t") != LUA_OK)
        return lua_error(L);
    lua_pushvalue(L, lua_upvalueindex(3));
    lua_setupvalue(L, -2, 1); /* _ENV: the goal's globals */
    lua_pushboolean(L, 0);    /* loading: a require of it now is a cycle */
    lua_setfield(L, lua_upvalueindex(2), name);
    lua_call(L, 0, 1);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, lua_upvalueindex(2), name);
    return 1;
}

/* env.require for the rule file at 'path' (env at stack index 'env') */
static void set_require(lua_State *L, int env, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash)
        lua_pushlstring(L, path, (size_t)(slash - path));
    else
        lua_pushliteral(L, ".");
    lua_newtable(L);
    lua_pushvalue(L, env);
    lua_pushcclosure(L, l_require, 3);
    lua_setfield(L, env, "require");
}

static int run_job(lua_State *L)
{
    struct job *j = lua_touserdata(L, 1);
    lua_settop(L, 0);
    /* 1: message handler */
    lua_pushcfunction(L, msgh);
    /* 2: the host table from the prelude (kept from the previous goal in a session) */
    struct maal_ruleset *rs = j->o->rules;
    if (j->host_ref != LUA_NOREF) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, j->host_ref);
    } else {
        if (load_cached(L, maal_prelude_lua, maal_prelude_lua_len, "=maal", &rs->prelude_bc,
                        &rs->prelude_bclen) != LUA_OK)
            return lua_error(L);
        push_c_helpers(L);
        if (lua_pcall(L, 1, 1, 1) != LUA_OK)
            return lua_error(L);
        if (j->keep) {
            lua_pushvalue(L, -1);
            j->host_ref = luaL_ref(L, LUA_REGISTRYINDEX);
        }
    }
    const int host = 2;
    /* nothing of the previous goal's sources or log; math.random starts from the same seed
     * for every goal (deterministic output, and no trace of an earlier goal) */
    lua_getfield(L, host, "reset");
    lua_call(L, 0, 0);
    /* 3: the rule's environment; 4: the rule table */
    lua_getfield(L, host, "env");
    lua_newtable(L); /* native functions of plugins given with --plugin: name -> {fn} */
    const struct maal_plugins *ps = j->o->plugins;
    for (size_t i = 0; ps && i < ps->n; i++) {
        const struct maal_plugin *pl = &ps->v[i];
        if (!pl->nfns || pl->problem)
            continue;
        lua_createtable(L, 0, (int)pl->nfns);
        for (size_t k = 0; k < pl->nfns; k++) {
            lua_pushcfunction(L, pl->fns[k].fn);
            lua_setfield(L, -2, pl->fns[k].name);
        }
        lua_setfield(L, -2, pl->name);
    }
    lua_call(L, 1, 1);
    const int env = 3;
    struct maal_rule_src *src = (struct maal_rule_src *)j->src; /* the cache is the worker's */
    set_require(L, env, src->path);
    bool loaded = false;
    if (j->keep) {
        /* in a session the rule file's main function is loaded once (H.rule_fns, by the
         * serial of the rule text in the worker's cache) and run again for every goal, each
         * time with a new _ENV upvalue: the closures one run makes (evaluate) keep their own
         * _ENV, never the next goal's */
        lua_getfield(L, host, "rule_fns");
        lua_rawgeti(L, -1, (lua_Integer)src->serial);
        loaded = lua_type(L, -1) == LUA_TFUNCTION;
        if (loaded)
            lua_remove(L, -2);
        else
            lua_pop(L, 1); /* the table stays for the new function */
    }
    if (!loaded) {
        if (load_cached(L, src->text, src->len, lua_pushfstring(L, "@%s", src->path), &src->bc,
                        &src->bclen) != LUA_OK) {
            j->stage = 1;
            return 1; /* the message is on top */
        }
        lua_remove(L, -2); /* the chunk name */
        if (j->keep) {
            lua_pushvalue(L, -1);
            lua_rawseti(L, -3, (lua_Integer)src->serial);
            lua_remove(L, -2); /* rule_fns */
        }
    }
    /* _ENV of the chunk: a new upvalue box holding this goal's env, taken from a closure
     * made for it (a chunk kept from an earlier goal must not share that goal's box) */
    lua_getfield(L, host, "upvalue_of");
    lua_pushvalue(L, env);
    lua_call(L, 1, 1);
    lua_upvaluejoin(L, -2, 1, -1, 1);
    lua_pop(L, 1);
    if (lua_pcall(L, 0, 1, 1) != LUA_OK) {
        j->stage = 1;
        return 1;
    }
    if (j->keep)
        forget_env(L, host, src->serial);
    const int rule = 4;
    if (lua_type(L, rule) != LUA_TTABLE) {
        snprintf(j->why, sizeof(j->why),
                 TR(j->o->lang, "regelfilen returnerede %s, forventede en tabel med 'evaluate'",
                    "the rule file returned %s, expected a table with 'evaluate'"),
                 luaL_typename(L, rule));
        j->stage = 2;
        return 0;
    }
    lua_pushstring(L, "evaluate");
    lua_rawget(L, rule);
    if (lua_type(L, -1) != LUA_TFUNCTION) {
        snprintf(j->why, sizeof(j->why),
                 TR(j->o->lang, "reglen mangler det krævede felt 'evaluate' (en funktion)",
                    "the rule is missing the required field 'evaluate' (a function)"));
        j->stage = 2;
        return 0;
    }
    const int evaluate = 5;
    /* 6: checked params */
    lua_getfield(L, host, "check_params");
    lua_pushvalue(L, rule);
    if (j->g->params)
        push_node(L, j->g->params);
    else
        lua_newtable(L);
    lua_pushstring(L, j->o->lang == MAAL_LANG_EN ? "en" : "da");
    if (lua_pcall(L, 3, 4, 1) != LUA_OK) {
        j->stage = 1;
        return 1;
    }
    if (lua_isnil(L, -4)) {
        snprintf(j->why, sizeof(j->why), "%s", lua_tostring(L, -3) ? lua_tostring(L, -3) : "?");
        j->stage = 3;
        j->at_key = lua_isstring(L, -1);
        lua_pop(L, 1);
        return 1; /* the offending key is on top */
    }
    lua_pop(L, 3);
    if (j->check_only)
        return 0;
    const int params = 6;
    /* 7: ctx */
    lua_getfield(L, host, "make_ctx");
    if (j->data_ref != LUA_NOREF) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, j->data_ref);
    } else {
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        push_data(L, j->p);
        extend_deadline(L, &t0);
        if (j->o->data_built)
            j->o->data_built(j->o->data_built_ud);
        if (j->keep) {
            lua_pushvalue(L, -1);
            j->data_ref = luaL_ref(L, LUA_REGISTRYINDEX);
        }
    }
    lua_pushinteger(L, j->o->year ? j->o->year : j->p->latest_year);
    lua_pushstring(L, j->o->lang == MAAL_LANG_EN ? "en" : "da");
    if (lua_pcall(L, 3, 1, 1) != LUA_OK) {
        j->stage = 1;
        return 1;
    }
    lua_pushvalue(L, evaluate);
    lua_pushvalue(L, -2);
    lua_pushvalue(L, params);
    if (lua_pcall(L, 2, 1, 1) != LUA_OK) {
        j->stage = 1;
        return 1;
    }
    /* decode without running rule code: raw access only */
    if (!decode_result(L, lua_gettop(L), j->o->lang, j->r, j->why, sizeof(j->why))) {
        j->stage = 2;
        return 0;
    }
    if (!j->r->message) {
        /* only 'evaluate' and 'verdict' are required: a message from what the result holds */
        int t = lua_gettop(L);
        lua_getfield(L, host, "default_message");
        lua_pushvalue(L, t);
        lua_pushstring(L, j->o->lang == MAAL_LANG_EN ? "en" : "da");
        if (lua_pcall(L, 2, 1, 1) != LUA_OK) {
            j->stage = 1;
            return 1;
        }
        j->r->message = clean_text(lua_tostring(L, -1) ? lua_tostring(L, -1) : "?", 4096);
        lua_settop(L, t);
    }
    read_sources(L, host, j->r);
    lua_getfield(L, host, "log");
    if (lua_pcall(L, 0, 1, 0) == LUA_OK && lua_tostring(L, -1) && *lua_tostring(L, -1))
        j->r->log = clean_lines(lua_tostring(L, -1), 8192);
    return 0;
}

/* A session keeps one sandboxed state for the goals of one worker (one rule set): the
 * prelude is loaded once per worker, a partnership's data once per partnership. Every goal
 * still gets fresh globals, a fresh ctx, its own deadline and memory allowance; the shared
 * objects (the string metatable, the library tables, 'maal') are read-only, and the prelude's
 * per-goal state (sources, log, math.random's seed) is reset. After any error verdict the
 * state is thrown away, so a goal that was stopped (time, memory) never leaves anything
 * behind for the next one. */
struct session {
    lua_State *L;
    struct run run;
    const struct maal_partnership *p;
    int host_ref, data_ref;
};

static void session_free(void *v)
{
    struct session *s = v;
    if (!s)
        return;
    if (s->L) {
        lua_gc(s->L, LUA_GCCOLLECT);
        lua_close(s->L);
    }
    maal_free(s);
}

/* Drop the partnership's data from the session: unreachable from Lua from now on. */
static void session_drop_data(struct session *s)
{
    if (s->L && s->data_ref != LUA_NOREF)
        luaL_unref(s->L, LUA_REGISTRYINDEX, s->data_ref);
    s->data_ref = LUA_NOREF;
    s->p = NULL;
}

void maal_eval_next(struct maal_ruleset *rs)
{
    if (rs->session)
        session_drop_data(rs->session);
}

void maal_eval_end(struct maal_ruleset *rs)
{
    session_free(rs->session);
    rs->session = NULL;
}

static void set_deadline(struct run *run, double secs)
{
    clock_gettime(CLOCK_MONOTONIC, &run->deadline);
    run->deadline.tv_sec += (time_t)secs;
    run->deadline.tv_nsec += (long)((secs - floor(secs)) * 1e9);
    if (run->deadline.tv_nsec >= 1000000000L) {
        run->deadline.tv_sec++;
        run->deadline.tv_nsec -= 1000000000L;
    }
}

static int eval_in_state(const struct maal_eval_opts *o, const struct maal_partnership *p,
                         const struct maal_goal *g, struct maal_result *r, bool check_only,
                         const char **bad_key_out, char *bad_key, size_t bad_size)
{
    struct maal_error e;
    const struct maal_rule_src *src = maal_ruleset_find(o->rules, p->file, g->rule, &e);
    if (!src) {
        /* a goal naming a rule that does not exist is invalid input, like a bad param */
        set_error(r, "%s", e.msg);
        r->invalid_params = true;
        r->err_line = g->rule_line;
        r->err_col = g->rule_col;
        return MAAL_OK;
    }
    r->rule_path = maal_strdup(src->path);
    r->rule_origin = maal_strdup(src->origin);
    struct maal_ruleset *rs = o->rules;
    struct session *s = o->reuse ? rs->session : NULL;
    if (s && s->p != p)
        session_drop_data(s); /* another partnership: the state stays, the data goes */
    if (o->reuse && !s) {
        s = maal_calloc(1, sizeof(*s));
        if (s) {
            s->run.lang = o->lang;
            s->run.limit = o->limits->rule_memory;
            s->L = new_state(&s->run);
            s->host_ref = s->data_ref = LUA_NOREF;
            if (!s->L) {
                maal_free(s);
                s = NULL;
            }
        }
        rs->session = s;
        rs->session_free = session_free;
    }
    struct run local = {.limit = o->limits->rule_memory, .lang = o->lang};
    struct run *run = s ? &s->run : &local;
    lua_State *L = s ? s->L : new_state(&local);
    if (!L) {
        set_error(r, TR(o->lang, "kunne ikke oprette en Lua-tilstand (hukommelse)",
                        "could not create a Lua state (memory)"));
        return MAAL_OK;
    }
    run->timed_out = run->mem_exceeded = false;
    size_t cap = MAAL_STATE_CAP(o->limits->rule_memory);
    if (s && run->used + o->limits->rule_memory > cap) {
        lua_gc(L, LUA_GCCOLLECT); /* earlier goals' garbage, before it could count as this one's */
        run->kept = run->used;
    }
    run->limit = run->used + o->limits->rule_memory; /* this goal's allowance */
    if (s && run->limit > cap)
        run->limit = cap; /* what goals keep cannot grow the state past the cap */
    set_deadline(run, o->limits->rule_timeout);
    lua_sethook(L, hook, LUA_MASKCOUNT, 1000);
    struct job j = {.o = o, .p = p, .g = g, .src = src, .r = r, .check_only = check_only,
                    .keep = s != NULL, .host_ref = s ? s->host_ref : LUA_NOREF,
                    .data_ref = s ? s->data_ref : LUA_NOREF};
    lua_settop(L, 0);
    lua_pushcfunction(L, run_job);
    lua_pushlightuserdata(L, &j);
    int status = lua_pcall(L, 1, LUA_MULTRET, 0);
    if (s) {
        s->host_ref = j.host_ref;
        s->data_ref = j.data_ref;
        s->p = p;
    }
    bool clean = status == LUA_OK && !run->timed_out && !run->mem_exceeded && j.stage == 0;
    if (status != LUA_OK || run->timed_out || run->mem_exceeded) {
        reason_for(run, status, L, r);
    } else if (j.stage == 1) {
        reason_for(run, LUA_ERRRUN, L, r);
    } else if (j.stage == 2) {
        set_error(r, "%s", j.why);
    } else if (j.stage == 3) {
        set_error(r, "%s", j.why);
        r->invalid_params = true;
        if (bad_key_out && lua_type(L, -1) == LUA_TSTRING) {
            /* '\1' first: the key itself is wrong, so point at the key, not its value */
            snprintf(bad_key, bad_size, "%s%s", j.at_key ? "\1" : "", lua_tostring(L, -1));
            *bad_key_out = bad_key;
        }
    }
    if (s && clean) {
        lua_settop(L, 0);
        /* garbage of earlier goals; measured from what stayed after the last collection, so a
         * partnership's large data does not make every goal collect all of it again */
        if (run->used > run->kept + o->limits->rule_memory / 2) {
            lua_gc(L, LUA_GCCOLLECT);
            run->kept = run->used;
        }
        return MAAL_OK;
    }
    if (s) {
        maal_eval_end(rs); /* an error: this state is not used again */
        return MAAL_OK;
    }
    /* Collect fully under the same limits before closing (Redis CVE-2024-46981), then
     * close; the hook stays set so even this cannot run past the deadline. */
    lua_gc(L, LUA_GCCOLLECT);
    lua_close(L);
    return MAAL_OK;
}

/* Where a params problem is: the param's own node, else the goal's params, else the goal. */
static void params_place(const struct maal_goal *g, const char *key, int *line, int *col)
{
    const struct maal_node *n = NULL;
    if (key && g->params && key[0] == '\1') {
        for (size_t i = 0; i < g->params->n && !n; i++) {
            const struct maal_node *k = g->params->items[2 * i];
            if (k->type == MAAL_NODE_SCALAR && !strcmp(k->str, key + 1))
                n = k;
        }
    } else if (key && g->params) {
        n = maal_node_get(g->params, key);
    }
    if (n) {
        *line = n->line;
        *col = n->col;
    } else if (g->params) {
        *line = g->params->line;
        *col = g->params->col;
    } else {
        *line = g->line;
        *col = g->col;
    }
}

/* A date YYYY-MM-DD as the number YYYYMMDD: dates compare as numbers, never as text (a year
 * of five digits sorted before 2023 as a string). 0 for anything else. */
static long date_num(const char *s)
{
    int y, m, d;
    char tail;
    if (sscanf(s, "%d-%d-%d%c", &y, &m, &d, &tail) != 3 || y < 0 || m < 1 || m > 12 || d < 1 ||
        d > 31)
        return 0;
    return (long)y * 10000 + m * 100 + d;
}

int maal_eval_goal(const struct maal_eval_opts *o, const struct maal_partnership *p,
                   const struct maal_goal *g, struct maal_result *out)
{
    memset(out, 0, sizeof(*out));
    out->goal = g;
    char key[128];
    const char *bad_key = NULL;
    eval_in_state(o, p, g, out, false, &bad_key, key, sizeof(key));
    if (out->invalid_params && !out->err_line) {
        int line, col;
        params_place(g, bad_key, &line, &col);
        char *m = out->message;
        out->message = NULL;
        out->err_line = line;
        out->err_col = col;
        set_error(out, "%s '%s': %s", TR(o->lang, "målet", "goal"), g->id, m ? m : "?");
        maal_free(m);
    }
    const struct maal_waiver *w = maal_waiver_find(p, g->id);
    /* a waiver excuses a verdict the partnership agreed on: never a rule error (a timed-out
     * or broken rule is maal's to fix, and must fail the run), and missing data only when the
     * waiver says so (covers_nodata) */
    if (w && (out->verdict == MAAL_ERROR || (out->verdict == MAAL_NODATA && !w->covers_nodata)))
        w = NULL;
    if (w && out->message && !out->invalid_params) {
        struct maal_buf b = MAAL_BUF_INIT;
        bool expired = o->today && w->expires && date_num(w->expires) < date_num(o->today);
        maal_buf_printf(&b, TR(o->lang, "%s (aftalt af %s, gælder til og med %s; linje %d)",
                               "%s (agreed by %s, valid until %s; line %d)"),
                        w->reason ? w->reason : "?", w->agreed_by ? w->agreed_by : "?",
                        w->expires ? w->expires : "?", w->line);
        out->waiver = b.s;
        if (expired) {
            out->waiver_expired = true;
        } else if (out->waiver) {
            out->waived_verdict = out->verdict;
            out->verdict = MAAL_WAIVED;
        }
    }
    if (!out->message) {
        set_error(out, TR(o->lang, "ikke nok hukommelse", "out of memory"));
        if (!out->message)
            return MAAL_ERR_NOMEM;
    }
    return MAAL_OK;
}

int maal_eval_check_params(const struct maal_eval_opts *o, const struct maal_partnership *p,
                           const struct maal_goal *g, struct maal_diags *diags)
{
    struct maal_result r;
    memset(&r, 0, sizeof(r));
    r.goal = g;
    char key[128];
    const char *bad_key = NULL;
    eval_in_state(o, p, g, &r, true, &bad_key, key, sizeof(key));
    int rc = MAAL_OK;
    if (r.verdict == MAAL_ERROR) {
        int line = g->rule_line, col = g->rule_col;
        if (r.invalid_params)
            params_place(g, bad_key, &line, &col);
        maal_diags_add(diags, MAAL_SEV_ERROR, p->file, line, col, "%s '%s': %s",
                       TR(o->lang, "målet", "goal"), g->id, r.message ? r.message : "?");
        /* params that do not fit are the data's fault; a rule that does not load, the rule's */
        rc = r.invalid_params ? MAAL_ERR_INVALID : MAAL_ERR_RULE;
    }
    maal_result_release(&r);
    return rc;
}

void maal_result_release(struct maal_result *r)
{
    maal_free(r->op);
    maal_free(r->unit);
    maal_free(r->message);
    maal_free(r->significance);
    maal_free(r->log);
    maal_free(r->trace);
    maal_free(r->rule_path);
    maal_free(r->rule_origin);
    maal_free(r->waiver);
    for (size_t i = 0; i < r->nsources; i++) {
        maal_free(r->sources[i].what);
        maal_free(r->sources[i].file);
    }
    maal_free(r->sources);
    maal_free(r->history);
    maal_free(r->outlook);
    memset(r, 0, sizeof(*r));
}

/* ---- Lua reporters (plugins' reporters/NAME.lua) ---- */

struct sink {
    struct maal_buf *out;
    size_t cap;
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
            return luaL_error(L, "output larger than %d MiB", (int)(s->cap >> 20));
        maal_buf_add(s->out, str, len);
        if (s->out->oom)
            return luaL_error(L, "not enough memory");
    }
    return 0;
}

static void push_json(lua_State *L, json_t *j, int depth)
{
    lua_checkstack(L, 4);
    if (depth > 32) {
        lua_pushnil(L);
        return;
    }
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        lua_createtable(L, 0, (int)json_object_size(j));
        const char *k;
        json_t *v;
        json_object_foreach(j, k, v)
        {
            push_json(L, v, depth + 1);
            lua_setfield(L, -2, k);
        }
        break;
    }
    case JSON_ARRAY: {
        lua_createtable(L, (int)json_array_size(j), 0);
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v)
        {
            push_json(L, v, depth + 1);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        break;
    }
    case JSON_STRING: {
        /* a reporter writes what it gets: the data's text reaches it cleaned, as it reaches
         * every built-in format (no control characters but line feeds, no line that starts a
         * workflow command) */
        char *c = maal_clean_dup(json_string_value(j), true);
        lua_pushstring(L, c ? c : "");
        maal_free(c);
        break;
    }
    case JSON_INTEGER: lua_pushinteger(L, (lua_Integer)json_integer_value(j)); break;
    case JSON_REAL: lua_pushnumber(L, json_real_value(j)); break;
    case JSON_TRUE: lua_pushboolean(L, 1); break;
    case JSON_FALSE: lua_pushboolean(L, 0); break;
    default: lua_pushnil(L); break;
    }
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
    lua_settop(L, 0);
    lua_pushcfunction(L, msgh);
    if (luaL_loadbufferx(L, maal_prelude_lua, maal_prelude_lua_len, "=maal", "t") != LUA_OK)
        return lua_error(L);
    push_c_helpers(L);
    if (lua_pcall(L, 1, 1, 1) != LUA_OK)
        return lua_error(L);
    lua_getfield(L, 2, "env");
    lua_newtable(L);
    lua_call(L, 1, 1); /* 3: env */
    if (luaL_loadbufferx(L, j->src, j->len, lua_pushfstring(L, "@%s", j->path), "t") != LUA_OK)
        return lua_error(L);
    lua_remove(L, -2);
    lua_pushvalue(L, 3);
    lua_setupvalue(L, -2, 1);
    if (lua_pcall(L, 0, 1, 1) != LUA_OK)
        return lua_error(L);
    if (!lua_istable(L, -1))
        return luaL_error(L, "%s: the reporter must return a table with 'report'", j->path);
    lua_pushstring(L, "report");
    lua_rawget(L, -2);
    if (!lua_isfunction(L, -1))
        return luaL_error(L, "%s: the reporter lacks the function 'report'", j->path);
    push_json(L, j->data, 0);
    lua_createtable(L, 0, 1);
    lua_pushlightuserdata(L, &j->sink);
    lua_pushcclosure(L, l_sink_write, 1);
    lua_setfield(L, -2, "write");
    if (lua_pcall(L, 2, 0, 1) != LUA_OK)
        return lua_error(L);
    return 0;
}

int maal_eval_reporter(const char *path, const struct maal_limits *lim, enum maal_lang lang,
                       json_t *data, struct maal_buf *out, char *why, size_t wsize)
{
    char *src;
    size_t len;
    struct maal_error e;
    if (maal_read_file(path, 1u << 20, &src, &len, &e, lang) != MAAL_OK) {
        snprintf(why, wsize, "%s", e.msg);
        return MAAL_ERR_IO;
    }
    struct run run = {.limit = lim->rule_memory, .lang = lang};
    clock_gettime(CLOCK_MONOTONIC, &run.deadline);
    run.deadline.tv_sec += (time_t)(lim->rule_timeout * 10 + 1); /* a whole report: more time */
    lua_State *L = new_state(&run);
    if (!L) {
        maal_free(src);
        snprintf(why, wsize, "%s", TR(lang, "ikke nok hukommelse", "out of memory"));
        return MAAL_ERR_NOMEM;
    }
    lua_sethook(L, hook, LUA_MASKCOUNT, 1000);
    struct rjob j = {.path = path, .src = src, .len = len, .data = data,
                     .sink = {out, lim->rule_memory}, .lang = lang};
    lua_pushcfunction(L, run_reporter);
    lua_pushlightuserdata(L, &j);
    int status = lua_pcall(L, 1, 0, 0);
    int rc = MAAL_OK;
    if (status != LUA_OK || run.timed_out || run.mem_exceeded) {
        const char *m = run.timed_out      ? TR(lang, "tidsgrænsen er overskredet", "time limit exceeded")
                        : run.mem_exceeded ? TR(lang, "hukommelsesgrænsen er overskredet",
                                                "memory limit exceeded")
                                           : lua_tostring(L, -1);
        char *line = first_line(m ? m : "?");
        char *clean = line ? clean_text(line, wsize) : NULL; /* the reporter's text */
        snprintf(why, wsize, "%s", clean ? clean : "?");
        maal_free(line);
        maal_free(clean);
        rc = MAAL_ERR_INVALID;
    }
    lua_gc(L, LUA_GCCOLLECT);
    lua_close(L);
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
    lua_settop(L, 0);
    lua_pushcfunction(L, msgh);
    if (luaL_loadbufferx(L, maal_prelude_lua, maal_prelude_lua_len, "=maal", "t") != LUA_OK)
        return lua_error(L);
    push_c_helpers(L);
    if (lua_pcall(L, 1, 1, 1) != LUA_OK)
        return lua_error(L);
    lua_getfield(L, 2, "env");
    lua_newtable(L);
    lua_call(L, 1, 1);
    set_require(L, 3, j->path);
    if (luaL_loadbufferx(L, j->src, j->len, lua_pushfstring(L, "@%s", j->path), "t") != LUA_OK)
        return lua_error(L);
    lua_remove(L, -2);
    lua_pushvalue(L, 3);
    lua_setupvalue(L, -2, 1);
    if (lua_pcall(L, 0, 1, 1) != LUA_OK)
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

int maal_rule_describe(const char *path, const struct maal_limits *lim, enum maal_lang lang,
                       struct maal_rule_info *info)
{
    memset(info, 0, sizeof(*info));
    char *src;
    size_t len;
    struct maal_error e;
    if (maal_read_file(path, 1u << 20, &src, &len, &e, lang) != MAAL_OK) {
        info->problem = maal_strdup(e.msg);
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
    clock_gettime(CLOCK_MONOTONIC, &run.deadline);
    run.deadline.tv_sec += 1 + (time_t)lim->rule_timeout;
    lua_State *L = new_state(&run);
    int rc = MAAL_OK;
    if (L) {
        lua_sethook(L, hook, LUA_MASKCOUNT, 1000);
        struct djob j = {.path = path, .src = src, .len = len, .lang = lang, .info = info};
        lua_pushcfunction(L, run_describe);
        lua_pushlightuserdata(L, &j);
        if (lua_pcall(L, 1, 0, 0) != LUA_OK || run.timed_out || run.mem_exceeded) {
            const char *m = run.timed_out || run.mem_exceeded ? "limit exceeded" : lua_tostring(L, -1);
            info->problem = first_line(m ? m : "?");
            rc = MAAL_ERR_INVALID;
        } else if (!info->has_evaluate) {
            info->problem = maal_strdup(TR(lang, "mangler 'evaluate'", "lacks 'evaluate'"));
            rc = MAAL_ERR_INVALID;
        }
        lua_gc(L, LUA_GCCOLLECT);
        lua_close(L);
    }
    maal_free(src);
    /* all of it is the rule file's text, printed by 'maal rules' to a terminal or a CI log */
    char **texts[] = {&info->title, &info->description, &info->params, &info->doc, &info->problem};
    for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
        if (!*texts[i])
            continue;
        char *c = maal_clean_dup(*texts[i], texts[i] == &info->doc);
        maal_free(*texts[i]);
        *texts[i] = c;
    }
    return rc;
}

void maal_rule_info_release(struct maal_rule_info *info)
{
    maal_free(info->title);
    maal_free(info->description);
    maal_free(info->params);
    maal_free(info->doc);
    maal_free(info->problem);
    memset(info, 0, sizeof(*info));
}
