/* report_json: the versioned machine-readable result (docs/json-output.md), via jansson. */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "outlook.h"
#include "report.h"

static json_t *num(bool has, double v)
{
    if (!has)
        return json_null();
    if (v == floor(v) && fabs(v) < 9e15)
        return json_integer((json_int_t)v);
    return json_real(v);
}

static json_t *str(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *summary(const size_t *c)
{
    json_t *o = json_object();
    for (int v = 0; v < MAAL_NVERDICTS; v++)
        json_object_set_new(o, maal_verdict_names[v], json_integer((json_int_t)c[v]));
    return o;
}

static void json_begin(struct maal_report *rp)
{
    json_t *root = json_object();
    json_object_set_new(root, "maal_version", json_string(MAAL_VERSION));
    json_object_set_new(root, "format_version", json_integer(MAAL_JSON_FORMAT_VERSION));
    json_object_set_new(root, "partnerships", json_array());
    rp->state = root;
}

/* Where the goal's rule came from: {"origin": "standard"}, or with the file's path for a rule
 * of the partnership's own ("local"), of --rules, MAAL_PATH or a plugin (and its name). */
static json_t *rule_source(const struct maal_result *r)
{
    if (!r->rule_origin)
        return json_null();
    json_t *o = json_object();
    const char *origin = r->rule_origin;
    if (!strncmp(origin, "plugin:", 7)) {
        json_object_set_new(o, "origin", json_string("plugin"));
        json_object_set_new(o, "plugin", str(origin + 7));
    } else {
        json_object_set_new(o, "origin", str(!strcmp(origin, "--rules") ? "rules" : origin));
    }
    if (strcmp(origin, "standard") != 0) /* a standard rule's path is the installation's */
        json_object_set_new(o, "path", str(r->rule_path));
    return o;
}

json_t *maal_json_result(const struct maal_presults *pr, const struct maal_result *r);
json_t *maal_json_result(const struct maal_presults *pr, const struct maal_result *r)
{
    json_t *o = json_object();
    const struct maal_goal *g = r->goal;
    json_object_set_new(o, "goal", str(g->id));
    json_object_set_new(o, "title", str(g->title));
    json_object_set_new(o, "group", str(g->group));
    json_object_set_new(o, "rule", str(g->rule));
    json_object_set_new(o, "rule_source", rule_source(r));
    json_object_set_new(o, "verdict", json_string(maal_verdict_names[r->verdict]));
    json_object_set_new(o, "year", r->year ? json_integer(r->year) : json_null());
    json_object_set_new(o, "actual", num(r->has_actual, r->actual));
    json_object_set_new(o, "op", str(r->op));
    json_object_set_new(o, "target", num(r->has_target, r->target));
    json_object_set_new(o, "baseline", num(r->has_baseline, r->baseline));
    json_object_set_new(o, "baseline_year",
                        r->baseline_year ? json_integer(r->baseline_year) : json_null());
    json_object_set_new(o, "change", num(r->has_change, r->change));
    json_object_set_new(o, "unit", str(r->unit));
    json_object_set_new(o, "numerator", num(r->has_ratio, r->numerator));
    json_object_set_new(o, "denominator", num(r->has_ratio, r->denominator));
    json_object_set_new(o, "message", str(r->message));
    json_object_set_new(o, "significance", str(r->significance));
    json_t *src = json_array();
    json_t *gsrc = json_object();
    json_object_set_new(gsrc, "file", str(pr->p->file));
    json_object_set_new(gsrc, "line", json_integer(g->line));
    json_object_set_new(gsrc, "col", json_integer(g->col));
    json_object_set_new(gsrc, "what", json_string("goal"));
    json_array_append_new(src, gsrc);
    for (size_t i = 0; i < r->nsources; i++) {
        json_t *s = json_object();
        json_object_set_new(s, "file", str(r->sources[i].file ? r->sources[i].file : pr->p->file));
        json_object_set_new(s, "line", json_integer(r->sources[i].line));
        json_object_set_new(s, "col", json_integer(r->sources[i].col));
        json_object_set_new(s, "what", str(r->sources[i].what));
        json_array_append_new(src, s);
    }
    json_object_set_new(o, "sources", src);
    if (r->cmp) {
        json_t *c = json_object();
        json_object_set_new(c, "status", json_string(maal_cmp_names[r->cmp]));
        json_object_set_new(c, "previous_verdict",
                            r->prev_verdict >= 0 ? json_string(maal_verdict_names[r->prev_verdict])
                                                 : json_null());
        json_object_set_new(c, "previous_actual", num(r->has_prev_actual, r->prev_actual));
        json_object_set_new(o, "compare", c);
    }
    if (r->waiver) {
        json_t *w = json_object();
        json_object_set_new(w, "text", str(r->waiver));
        json_object_set_new(w, "expired", json_boolean(r->waiver_expired));
        json_object_set_new(w, "verdict_without",
                            json_string(maal_verdict_names[r->verdict == MAAL_WAIVED
                                                               ? r->waived_verdict
                                                               : r->verdict]));
        json_object_set_new(o, "waiver", w);
    }
    if (r->log)
        json_object_set_new(o, "log", str(r->log));
    if (r->history) {
        json_t *h = json_array();
        for (size_t i = 0; i < r->nhistory; i++) {
            const struct maal_hist *e = &r->history[i];
            json_t *x = json_object();
            json_object_set_new(x, "year", json_integer(e->year));
            json_object_set_new(x, "verdict", json_string(maal_verdict_names[e->verdict]));
            json_object_set_new(x, "actual", num(e->has_actual, e->actual));
            json_object_set_new(x, "target", num(e->has_target, e->target));
            json_object_set_new(x, "baseline", num(e->has_baseline, e->baseline));
            json_array_append_new(h, x);
        }
        json_object_set_new(o, "history", h);
    }
    if (r->outlook) {
        const struct maal_outlook *ol = r->outlook;
        json_t *x = json_object();
        json_object_set_new(x, "target_year", json_integer(ol->target_year));
        json_object_set_new(x, "projected", num(ol->has_projected, ol->projected));
        json_object_set_new(x, "low", ol->has_interval ? json_real(ol->low) : json_null());
        json_object_set_new(x, "high", ol->has_interval ? json_real(ol->high) : json_null());
        json_object_set_new(x, "on_track", ol->on_track < 0 ? json_null()
                                                            : json_boolean(ol->on_track));
        json_object_set_new(x, "method", json_string(ol->method));
        json_object_set_new(x, "points", json_integer(ol->points));
        json_object_set_new(x, "reason", ol->reason[0] ? json_string(ol->reason) : json_null());
        json_object_set_new(o, "outlook", x);
    }
    return o;
}

static json_t *partnership_object(const struct maal_presults *pr)
{
    json_t *p = json_object();
    json_object_set_new(p, "id", str(pr->p->id));
    json_object_set_new(p, "name", str(pr->p->name));
    json_object_set_new(p, "file", str(pr->p->file));
    json_object_set_new(p, "year", json_integer(pr->year));
    json_t *res = json_array();
    for (size_t i = 0; i < pr->n; i++)
        json_array_append_new(res, maal_json_result(pr, &pr->r[i]));
    json_object_set_new(p, "results", res);
    json_object_set_new(p, "summary", summary(pr->counts));
    return p;
}

static void json_partnership(struct maal_report *rp, const struct maal_presults *pr)
{
    json_t *root = rp->state;
    if (!root)
        return;
    json_array_append_new(json_object_get(root, "partnerships"), partnership_object(pr));
}

static json_t *changes_object(const struct maal_report *rp);

/* The finished document; the caller owns it. */
json_t *maal_json_finish(struct maal_report *rp);
json_t *maal_json_finish(struct maal_report *rp)
{
    json_t *root = rp->state;
    rp->state = NULL;
    if (!root)
        return NULL;
    json_object_set_new(root, "summary", summary(rp->totals));
    json_t *c = changes_object(rp);
    if (c)
        json_object_set_new(root, "changes", c);
    return root;
}

static json_t *changes_object(const struct maal_report *rp)
{
    if (rp->changes && rp->changes->active) {
        const struct maal_changes *ch = rp->changes;
        json_t *c = json_object();
        json_object_set_new(c, "new", json_integer((json_int_t)ch->added));
        json_object_set_new(c, "verdict_changed", json_integer((json_int_t)ch->verdict));
        json_object_set_new(c, "regressions", json_integer((json_int_t)ch->regressions));
        json_object_set_new(c, "values_changed", json_integer((json_int_t)ch->values));
        json_object_set_new(c, "unchanged", json_integer((json_int_t)ch->unchanged));
        json_t *rm = json_array();
        for (size_t i = 0; i < ch->nremoved; i++)
            json_array_append_new(rm, json_string(ch->removed[i]));
        json_object_set_new(c, "removed", rm);
        return c;
    }
    return NULL;
}

/* The tree, for the Lua reporters of plugins (report_lua.c). */
const struct maal_reporter maal_reporter_json_tree = {"json-tree", json_begin, json_partnership,
                                                      NULL};

/* --format json streams: one partnership at a time is dumped and appended, so memory does not
 * grow with the number of files. The bytes are those jansson writes for the whole document
 * with JSON_INDENT(2): each piece is dumped alone and indented to its depth. */
#define DUMP_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

static void put_indented(struct maal_report *rp, json_t *v, int indent)
{
    char *s = json_dumps(v, DUMP_FLAGS);
    json_decref(v);
    if (!s) {
        rp->out.oom = true;
        return;
    }
    static const char spaces[] = "        ";
    const char *p = s;
    for (const char *nl; (nl = strchr(p, '\n')); p = nl + 1) {
        maal_buf_add(&rp->out, p, (size_t)(nl - p) + 1); /* JSON strings hold no raw newline */
        maal_buf_add(&rp->out, spaces, (size_t)indent);
    }
    maal_buf_puts(&rp->out, p);
    free(s);
}

struct stream {
    size_t n;
};

static void stream_begin(struct maal_report *rp)
{
    json_t *v = json_string(MAAL_VERSION);
    char *ver = json_dumps(v, JSON_ENCODE_ANY);
    json_decref(v);
    maal_buf_printf(&rp->out, "{\n  \"maal_version\": %s,\n  \"format_version\": %d,\n"
                              "  \"partnerships\": [",
                    ver ? ver : "null", MAAL_JSON_FORMAT_VERSION);
    free(ver);
    rp->state = maal_calloc(1, sizeof(struct stream));
    if (!rp->state)
        rp->out.oom = true;
}

static void stream_partnership(struct maal_report *rp, const struct maal_presults *pr)
{
    struct stream *st = rp->state;
    if (!st)
        return;
    maal_buf_puts(&rp->out, st->n++ ? ",\n    " : "\n    ");
    put_indented(rp, partnership_object(pr), 4);
}

static void stream_end(struct maal_report *rp)
{
    struct stream *st = rp->state;
    maal_buf_puts(&rp->out, st && st->n ? "\n  ],\n  \"summary\": " : "],\n  \"summary\": ");
    put_indented(rp, summary(rp->totals), 2);
    json_t *c = changes_object(rp);
    if (c) {
        maal_buf_puts(&rp->out, ",\n  \"changes\": ");
        put_indented(rp, c, 2);
    }
    maal_buf_puts(&rp->out, "\n}\n");
    maal_free(st);
    rp->state = NULL;
}

const struct maal_reporter maal_reporter_json = {"json", stream_begin, stream_partnership,
                                                 stream_end};
