/* views: a partnership's data (and a report's JSON) built as Lua tables for sandboxed code
 * (views.h). Plain values and tables only: the prelude wraps them in read-only proxies. */
#include "views.h"

#include <lauxlib.h>
#include <math.h>
#include <string.h>

/* ---- sources ----
 *
 * Every value a rule may read as a source (a number with its place, a significance
 * statement, an activity's status, start, end, partners, an area change) is a node: its
 * place and what it is, in C, in the srcmap that the data table holds (a userdata); the Lua
 * side has only the node's number (its 'i'). Reading a value records the pair (node, what)
 * in the srcmap's per-goal buffer through 'rec', a C function that only the prelude holds;
 * the pairs become struct maal_source, with their text, when the goal's result is built
 * (maal_views_sources). A value from a CSV table costs the Lua side what one from the YAML
 * costs: its file and its 'what' there stay in the model. */

/* What a recorded read is: the prelude's W_* (core/prelude/proxies.lua), in this order. */
enum src_what {
    W_VALUE = 1, /* "ID SCOPE YEAR": a series value */
    W_SAMPLE,    /* "ID n SCOPE YEAR" */
    W_SIG_RANGE, /* "ID significance SCOPE FROM-TO" */
    W_SIG_YEAR,  /* "ID significance SCOPE YEAR" */
    W_CRIT,      /* "ACTIVITY.CRITERION YEAR" */
    W_DUE,       /* "ACTIVITY.CRITERION due" */
    W_DONE,      /* "ACTIVITY.CRITERION done" */
    W_START,     /* "ACTIVITY start YEAR" */
    W_END,       /* "ACTIVITY end YEAR" */
    W_STATUS,    /* "ACTIVITY status" */
    W_FINANCING, /* "ACTIVITY financing YEAR" */
    W_PARTNERS,  /* "ACTIVITY partners" */
    W_BASELINE,  /* "baselines.KIND" */
    W_POPULATION,
    W_BUDGET,
    W_CHANGE, /* "area change YEAR" */
    W_END_
};

/* the most sources a goal records (docs/security.md, section 9): reads after it are not */
#define MAX_SOURCES 200

struct srcnode {
    const char *file;     /* a CSV cell: its table's file, else NULL */
    const char *w, *wc;   /* and what it is there: the table and row label, the column */
    const char *a, *b;    /* whose: a series' or an activity's id; a criterion's id */
    int line, col;
    int y1, y2, y3;     /* the year (y1), or the years of a change (y1-y2); a significance
                         * statement's year (y3) */
    int sub;            /* a series value's scope, a baseline's kind */
    unsigned gen;       /* recorded in the goal of this number */
    unsigned cnt;       /* the first of a year map's values: how many it has (its nodes follow
                         * in the order of their years) */
};

struct srcmap {
    size_t n, cap;
    unsigned gen; /* the goal's number: a node with another gen is not recorded in it */
    size_t nrec;
    struct {
        unsigned node;
        unsigned char what;
    } rec[MAX_SOURCES];
    struct srcnode node[];
};

/* A new node (its number is pushed as the table's 'i') */
static struct srcnode *node_new(lua_State *L, struct srcmap *m)
{
    if (m->n >= m->cap)
        luaL_error(L, "srcmap full"); /* counted wrong: maal's bug, never the rule's */
    struct srcnode *nd = &m->node[m->n];
    memset(nd, 0, sizeof(*nd));
    lua_pushinteger(L, (lua_Integer)m->n++);
    lua_setfield(L, -2, "i");
    return nd;
}

/* rec(i, what): the read of node i as 'what' becomes one of the goal's sources, unless the
 * same place is one already, or the goal has MAX_SOURCES; rec(i, what, year): the value of
 * 'year' in the year map whose first node is i. A value written in the YAML is one source
 * per line and column (an alias may show the same place under two names: the first read
 * names it); a CSV cell per node. */
static int l_rec(lua_State *L)
{
    struct srcmap *m = lua_touserdata(L, lua_upvalueindex(1));
    int isnum;
    lua_Integer i = lua_tointegerx(L, 1, &isnum);
    lua_Integer what = lua_tointeger(L, 2);
    if (!isnum || i < 0 || (size_t)i >= m->n || what < 1 || what >= W_END_)
        return 0;
    if (lua_gettop(L) >= 3) { /* a year map's value: its node by year (they are in order) */
        lua_Integer y = lua_tointegerx(L, 3, &isnum);
        size_t lo = (size_t)i, hi = lo + m->node[lo].cnt;
        if (!isnum || hi > m->n)
            return 0;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (m->node[mid].y1 < y)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo >= (size_t)i + m->node[i].cnt || m->node[lo].y1 != y)
            return 0;
        i = (lua_Integer)lo;
    }
    struct srcnode *nd = &m->node[i];
    if (nd->gen == m->gen || m->nrec >= MAX_SOURCES)
        return 0;
    if (!nd->file)
        for (size_t k = 0; k < m->nrec; k++) {
            const struct srcnode *o = &m->node[m->rec[k].node];
            if (!o->file && o->line == nd->line && o->col == nd->col)
                return 0;
        }
    nd->gen = m->gen;
    m->rec[m->nrec].node = (unsigned)i;
    m->rec[m->nrec++].what = (unsigned char)what;
    return 0;
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

/* A value and its node, as a table {v, i} (a baseline). */
static struct srcnode *push_cell(lua_State *L, struct srcmap *m, double v, int line, int col,
                                 bool unknown)
{
    lua_createtable(L, 0, unknown ? 3 : 2);
    if (v == floor(v) && fabs(v) < 1e15)
        lua_pushinteger(L, (lua_Integer)v);
    else
        lua_pushnumber(L, v);
    lua_setfield(L, -2, "v");
    if (unknown) {
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, "u");
    }
    struct srcnode *nd = node_new(L, m);
    nd->line = line;
    nd->col = col;
    return nd;
}

/* A year -> value map whose values are a's (and b's: a criterion's) in scope 'sub': year ->
 * the number ('?' for one not decided), and a node per value, in the order of the years (the
 * model's); its first node's number is set as field 'key' of the table below the map (the
 * prelude records a value by that number and the year: rec(first, what, year)). */
static void push_yearmap(lua_State *L, struct srcmap *m, const struct maal_yearmap *ym,
                         const char *a, const char *b, int sub, const char *key)
{
    if (m->n + ym->n > m->cap)
        luaL_error(L, "srcmap full"); /* counted wrong: maal's bug, never the rule's */
    lua_pushinteger(L, (lua_Integer)m->n);
    lua_setfield(L, -2, key);
    lua_createtable(L, 0, (int)ym->n);
    struct srcnode *first = &m->node[m->n];
    for (size_t i = 0; i < ym->n; i++) {
        const struct maal_yearval *x = &ym->v[i];
        if (x->unknown)
            lua_pushliteral(L, "?");
        else if (x->v == floor(x->v) && fabs(x->v) < 1e15)
            lua_pushinteger(L, (lua_Integer)x->v);
        else
            lua_pushnumber(L, x->v);
        lua_rawseti(L, -2, x->year);
        m->node[m->n++] = (struct srcnode){.file = x->file, .w = x->what, .wc = x->what_col,
                                           .a = a, .b = b, .sub = sub, .line = x->line,
                                           .col = x->col, .y1 = x->year};
    }
    first->cnt = (unsigned)ym->n;
}

static void push_strlist(lua_State *L, const char **v, size_t n)
{
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushstring(L, v[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

/* A table whose only field is its node's number 'i' (a criterion's due or done, ...). */
static struct srcnode *push_node(lua_State *L, struct srcmap *m, int line, int col)
{
    lua_createtable(L, 0, 1);
    struct srcnode *nd = node_new(L, m);
    nd->line = line;
    nd->col = col;
    return nd;
}

static void push_series(lua_State *L, struct srcmap *m, const struct maal_series *s)
{
    lua_createtable(L, 0, 10);
    set_str(L, "id", s->id);
    set_str(L, "name", s->name);
    set_str(L, "source", s->source);
    set_str(L, "kind", maal_kind_names[s->kind]);
    set_str(L, "unit", maal_unit_names[s->unit]);
    /* values and samples: scope -> year map; vb and sb: scope -> its first node */
    static const char *const maps[] = {"values", "samples"}, *const firsts[] = {"vb", "sb"};
    for (int k = 0; k < 2; k++) {
        const struct maal_yearmap *ym = k ? s->samples : s->values;
        lua_createtable(L, 0, MAAL_NSCOPES);
        lua_createtable(L, 0, MAAL_NSCOPES);
        for (int sc = 0; sc < MAAL_NSCOPES; sc++) {
            push_yearmap(L, m, &ym[sc], s->id, NULL, sc, maal_scope_names[sc]);
            lua_setfield(L, -3, maal_scope_names[sc]);
        }
        lua_setfield(L, -3, firsts[k]);
        lua_setfield(L, -2, maps[k]);
    }
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
        struct srcnode *nd = node_new(L, m);
        *nd = (struct srcnode){.a = s->id, .sub = g->scope, .line = g->line, .col = g->col,
                               .y1 = g->from, .y2 = g->to, .y3 = g->year};
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "sig");
}

static void push_activity(lua_State *L, struct srcmap *m, const struct maal_activity *a)
{
    lua_createtable(L, 0, 17);
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
    struct srcnode *nd = node_new(L, m); /* the activity itself: its partners */
    *nd = (struct srcnode){.a = a->id, .line = a->line, .col = a->col};
    if (a->start) {
        nd = push_node(L, m, a->start_line, a->start_col);
        nd->a = a->id;
        nd->y1 = a->start;
        set_int(L, "v", a->start);
        lua_setfield(L, -2, "start");
    }
    if (a->end) {
        nd = push_node(L, m, a->end_line, a->end_col);
        nd->a = a->id;
        nd->y1 = a->end;
        set_int(L, "v", a->end);
        lua_setfield(L, -2, "end");
    }
    push_strlist(L, a->responsible, a->nresponsible);
    lua_setfield(L, -2, "responsible");
    push_strlist(L, a->partners, a->npartners);
    lua_setfield(L, -2, "partners");
    push_yearmap(L, m, &a->financing, a->id, NULL, 0, "fb");
    lua_setfield(L, -2, "financing");
    /* status: the latest year's; statuses: year -> that year's; sids: year -> its node (the
     * status tables are the rule's to read: 'i' is not among their fields) */
    lua_createtable(L, 0, (int)a->nstatuses);
    lua_createtable(L, 0, (int)a->nstatuses);
    for (size_t i = 0; i < a->nstatuses; i++) {
        const struct maal_act_status *st = &a->statuses[i];
        lua_pushinteger(L, (lua_Integer)m->n);
        lua_rawseti(L, -2, st->year);
        if (m->n >= m->cap)
            luaL_error(L, "srcmap full");
        m->node[m->n++] = (struct srcnode){.a = a->id, .line = st->line, .col = st->col};
    }
    lua_setfield(L, -3, "sids");
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
            nd = push_node(L, m, c->due_line, c->due_col);
            nd->a = a->id;
            nd->b = c->id;
            lua_setfield(L, -2, "due_src");
        }
        if (c->done || c->done_no) {
            nd = push_node(L, m, c->done_line, c->done_col);
            nd->a = a->id;
            nd->b = c->id;
            lua_setfield(L, -2, "done_src");
        }
        push_yearmap(L, m, &c->values, a->id, c->id, 0, "vb");
        lua_setfield(L, -2, "values");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "criteria");
}

/* The nodes push_data makes for p: the srcmap is made this size. */
static size_t count_nodes(const struct maal_partnership *p)
{
    size_t n = MAAL_NKINDS + p->population.n + p->budget.n + p->nchanges;
    for (size_t i = 0; i < p->nseries; i++) {
        const struct maal_series *s = &p->series[i];
        for (int sc = 0; sc < MAAL_NSCOPES; sc++)
            n += s->values[sc].n + s->samples[sc].n;
        n += s->nsig;
    }
    for (size_t i = 0; i < p->nactivities; i++) {
        const struct maal_activity *a = &p->activities[i];
        n += 3 + a->financing.n + a->nstatuses;
        for (size_t k = 0; k < a->ncriteria; k++)
            n += 2 + a->criteria[k].values.n;
    }
    return n;
}

void maal_push_data(lua_State *L, const struct maal_partnership *p)
{
    lua_checkstack(L, 16);
    lua_createtable(L, 0, 6);
    size_t cap = count_nodes(p);
    struct srcmap *m = lua_newuserdatauv(L, sizeof(*m) + cap * sizeof(m->node[0]), 0);
    m->n = m->nrec = 0;
    m->cap = cap;
    m->gen = 1;
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "srcmap");
    lua_pushcclosure(L, l_rec, 1);
    lua_setfield(L, -2, "rec");
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
            struct srcnode *nd = push_cell(L, m, p->baseline[k], p->baseline_line[k],
                                           p->baseline_col[k], false);
            nd->sub = k;
            lua_setfield(L, -2, maal_kind_names[k]);
        }
    lua_setfield(L, -2, "baselines");
    push_yearmap(L, m, &p->population, NULL, NULL, 0, "popb");
    lua_setfield(L, -2, "population");
    push_yearmap(L, m, &p->budget, NULL, NULL, 0, "budb");
    lua_setfield(L, -2, "budget");
    lua_createtable(L, (int)p->nchanges, 0);
    for (size_t i = 0; i < p->nchanges; i++) {
        const struct maal_area_change *c = &p->changes[i];
        lua_createtable(L, 0, 5);
        set_int(L, "year", c->year);
        set_str(L, "note", c->note);
        struct srcnode *nd = node_new(L, m);
        *nd = (struct srcnode){.line = c->line, .col = c->col, .y1 = c->year};
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
        push_series(L, m, &p->series[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "series");
    lua_createtable(L, (int)p->nactivities, 0);
    for (size_t i = 0; i < p->nactivities; i++) {
        push_activity(L, m, &p->activities[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "activities");
    set_int(L, "latest_year", p->latest_year);
}

static struct srcmap *srcmap_of(lua_State *L, int data)
{
    lua_getfield(L, data, "srcmap");
    struct srcmap *m = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return m;
}

void maal_views_sources_reset(lua_State *L, int data)
{
    struct srcmap *m = srcmap_of(L, data);
    if (!m)
        return;
    m->nrec = 0;
    if (++m->gen == 0) { /* after 2^32 goals on one data: no node may look recorded */
        for (size_t i = 0; i < m->n; i++)
            m->node[i].gen = 0;
        m->gen = 1;
    }
}

/* The text of each W_* (from 1): %a and %b the node's ids, %s its scope, %k its kind, %1, %2
 * and %3 its years; as the prelude wrote them before the pairs (the goldens hold them). */
static const char *const what_text[W_END_] = {
    NULL,
    "%a %s %1",
    "%a n %s %1",
    "%a significance %s %1-%2",
    "%a significance %s %3",
    "%a.%b %1",
    "%a.%b due",
    "%a.%b done",
    "%a start %1",
    "%a end %1",
    "%a status",
    "%a financing %1",
    "%a partners",
    "baselines.%k",
    "population %1",
    "budget %1",
    "area change %1",
};

static void put_int(struct maal_buf *b, int v)
{
    char d[16], *p = d + sizeof(d);
    unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    maal_buf_add(b, p, (size_t)(d + sizeof(d) - p));
}

/* The text of a source: a source's text is made for every source written, so without
 * printf. */
static void source_what(struct maal_buf *b, const struct srcnode *nd, int what)
{
    const char *t = what_text[what];
    int sub = nd->sub >= 0 && nd->sub < MAAL_NSCOPES ? nd->sub : 0; /* MAAL_NKINDS too */
    for (const char *p = t; *p; p++) {
        size_t k = strcspn(p, "%");
        maal_buf_add(b, p, k);
        p += k;
        if (!*p)
            break;
        switch (*++p) {
        case 'a': maal_buf_puts(b, nd->a ? nd->a : "?"); break;
        case 'b': maal_buf_puts(b, nd->b ? nd->b : "?"); break;
        case 's': maal_buf_puts(b, maal_scope_names[sub]); break;
        case 'k': maal_buf_puts(b, maal_kind_names[sub]); break;
        case '1': put_int(b, nd->y1); break;
        case '2': put_int(b, nd->y2); break;
        default: put_int(b, nd->y3); break;
        }
    }
    if (nd->w) {
        maal_buf_add(b, " (", 2);
        maal_buf_puts(b, nd->w);
        if (nd->wc)
            maal_buf_puts(b, nd->wc);
        maal_buf_putc(b, ')');
    }
}

void maal_views_sources(lua_State *L, int data, struct maal_source **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    struct srcmap *m = srcmap_of(L, data);
    if (!m || !m->nrec)
        return;
    struct maal_source *v = maal_calloc(m->nrec, sizeof(*v));
    if (!v)
        return;
    struct maal_buf b = MAAL_BUF_INIT;
    for (size_t k = 0; k < m->nrec; k++) {
        const struct srcnode *nd = &m->node[m->rec[k].node];
        b.len = 0;
        source_what(&b, nd, m->rec[k].what);
        struct maal_source *s = &v[*n];
        s->line = nd->line;
        s->col = nd->col;
        s->what = b.oom ? NULL : maal_strndup(b.s, b.len);
        s->file = nd->file;
        if (!s->what)
            continue;
        (*n)++;
    }
    maal_buf_release(&b);
    *out = v;
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
