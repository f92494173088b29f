/* views: a partnership's data (and a report's JSON) built as Lua tables for sandboxed code
 * (views.h). Plain values and tables only: the prelude wraps them in read-only proxies. */
#include "views.h"

#include <lauxlib.h>
#include <math.h>
#include <string.h>

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

/* A CSV table's file name as a Lua string: the one pushed last, kept in the registry, when
 * it is the same text (a table's values name one file; a path over 40 bytes is a long string
 * in Lua, allocated and copied at each push otherwise). */
static const char last_file_key;

static void push_file(lua_State *L, const char *file)
{
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &last_file_key) == LUA_TSTRING &&
        strcmp(lua_tostring(L, -1), file) == 0)
        return;
    lua_pop(L, 1);
    lua_pushstring(L, file);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &last_file_key);
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
    if (file) {
        push_file(L, file);
        lua_setfield(L, -2, "f");
    }
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

void maal_push_data(lua_State *L, const struct maal_partnership *p)
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
void maal_push_node(lua_State *L, const struct maal_node *n)
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
            maal_push_node(L, n->items[k]);
            lua_rawseti(L, -2, (lua_Integer)k + 1);
        }
    } else {
        lua_createtable(L, 0, (int)n->n);
        for (size_t k = 0; k < n->n; k++) {
            maal_push_node(L, n->items[2 * k]);
            maal_push_node(L, n->items[2 * k + 1]);
            if (lua_isnil(L, -2))
                lua_pop(L, 2);
            else
                lua_rawset(L, -3);
        }
    }
}

void maal_push_json(lua_State *L, json_t *j, int depth)
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
            maal_push_json(L, v, depth + 1);
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
            maal_push_json(L, v, depth + 1);
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
