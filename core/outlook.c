/* outlook: a goal whose target year is still ahead, projected to that year from the values so
 * far (check --outlook; the method in words: docs/rules.md, "Prognose").
 *
 * The line is the least-squares line through every known value up to the evaluated year, read
 * off at the target year. For a survey share whose every point has its number of respondents,
 * the projection is a weighted sum of the points (projected = sum w_i y_i), so its sampling
 * variance is sum w_i^2 p_i (1 - p_i) / n_i (with Agresti-Coull's (x + 2) / (n + 4) where n p
 * or n (1 - p) is under 5), and the interval is 1.96 standard errors either side. on_track is
 * decided only when the whole interval (or, without one, the projected value) is on one side
 * of the target. */
#include <math.h>
#include <string.h>

#include "outlook.h"

static const char *param_str(const struct maal_goal *g, const char *key)
{
    const struct maal_node *n = g->params ? maal_node_get(g->params, key) : NULL;
    return n && n->type == MAAL_NODE_SCALAR ? n->str : NULL;
}

static bool param_num(const struct maal_goal *g, const char *key, double *v)
{
    const char *s = param_str(g, key);
    return s && maal_parse_double(s, v);
}

static int param_year(const struct maal_goal *g, const char *key)
{
    long y;
    const char *s = param_str(g, key);
    return s && maal_parse_int(s, &y) && y >= MAAL_YEAR_MIN && y <= MAAL_YEAR_MAX ? (int)y : 0;
}

static int scope_of(const char *s, int dflt)
{
    for (int i = 0; s && i < MAAL_NSCOPES; i++)
        if (!strcmp(s, maal_scope_names[i]))
            return i;
    return dflt;
}

static const struct maal_yearval *latest_known(const struct maal_yearmap *m, int year)
{
    for (size_t i = m->n; i-- > 0;)
        if (!m->v[i].unknown && m->v[i].year <= year)
            return &m->v[i];
    return NULL;
}

/* The latest area change that moves 's' (of the area) between 'from' (excluded) and 'year', or
 * NULL: as ctx.comparable, values on either side of it cannot be compared. */
static const struct maal_area_change *change_after(const struct maal_partnership *p,
                                                   const struct maal_series *s, int from, int year)
{
    const struct maal_area_change *last = NULL;
    for (size_t i = 0; s && i < p->nchanges; i++) {
        const struct maal_area_change *c = &p->changes[i];
        if (c->affects[s->kind] && from < c->year && c->year <= year &&
            (!last || c->year > last->year))
            last = c;
    }
    return last;
}

/* The line through the known values up to 'year', read off at 'target': its value, and with
 * samples (survey shares in percent) the sampling standard error. */
static int project(const struct maal_yearmap *m, const struct maal_yearmap *samples, bool percent,
                   int from, int year, int target, double *proj, double *se)
{
    double sx = 0, sy = 0;
    int n = 0;
    for (size_t i = 0; i < m->n; i++)
        if (!m->v[i].unknown && m->v[i].year >= from && m->v[i].year <= year) {
            sx += m->v[i].year;
            sy += m->v[i].v;
            n++;
        }
    *se = -1;
    if (n < 2)
        return n;
    double mx = sx / n, my = sy / n, sxx = 0, sxy = 0;
    for (size_t i = 0; i < m->n; i++)
        if (!m->v[i].unknown && m->v[i].year >= from && m->v[i].year <= year) {
            sxx += (m->v[i].year - mx) * (m->v[i].year - mx);
            sxy += (m->v[i].year - mx) * (m->v[i].v - my);
        }
    if (sxx <= 0)
        return 0;
    *proj = my + sxy / sxx * (target - mx);
    if (!samples || !percent)
        return n;
    double var = 0;
    for (size_t i = 0; i < m->n; i++) {
        const struct maal_yearval *v = &m->v[i];
        if (v->unknown || v->year < from || v->year > year)
            continue;
        const struct maal_yearval *ns = maal_yearmap_get(samples, v->year);
        if (!ns || ns->unknown || ns->v < 1)
            return n; /* a point without its respondents: no interval */
        double w = 1.0 / n + (target - mx) * (v->year - mx) / sxx;
        double pr = v->v / 100.0;
        if (pr < 0)
            pr = 0;
        if (pr > 1)
            pr = 1;
        double nr = ns->v;
        if (nr * pr < 5 || nr * (1 - pr) < 5) {
            /* near 0 or 100 % p(1 - p)/n shrinks to nothing (0 of 500 asked: 0-0 %), where the
             * normal approximation does not hold: Agresti-Coull's two added on either side */
            pr = (nr * pr + 2) / (nr + 4);
            nr += 4;
        }
        var += w * w * pr * (1 - pr) / nr;
    }
    *se = sqrt(var) * 100.0;
    return n;
}

/* on_track against "value OP limit" over [lo, hi]: 1 when all of it meets it, 0 when none of
 * it does, -1 when the interval straddles the limit. */
static int side(double lo, double hi, const char *op, double limit)
{
    bool up = op[0] == '>';
    bool strict = op[1] == '\0';
    bool lo_ok = up ? (strict ? lo > limit : lo >= limit - 1e-9) : (strict ? lo < limit : lo <= limit + 1e-9);
    bool hi_ok = up ? (strict ? hi > limit : hi >= limit - 1e-9) : (strict ? hi < limit : hi <= limit + 1e-9);
    return lo_ok && hi_ok ? 1 : !lo_ok && !hi_ok ? 0 : -1;
}

int maal_outlook_compute(const struct maal_partnership *p, int year, enum maal_lang lang,
                         struct maal_result *r)
{
    const struct maal_goal *g = r->goal;
    const char *rule = g->rule ? g->rule : "";
    bool approach = !strcmp(rule, "approach_level");
    bool target_rule = !strcmp(rule, "at_least") || !strcmp(rule, "at_most") ||
                       !strcmp(rule, "range");
    /* an annual target runs to the end of the period */
    int annual = !strcmp(rule, "annual_decrease") ? -1 : !strcmp(rule, "annual_increase") ? 1 : 0;
    /* parameters the rule refused (an error result) would give a prognose of a goal that was
     * never judged */
    if ((!approach && !target_rule && !annual) || r->invalid_params)
        return MAAL_OK;
    int ty = annual ? p->to : param_year(g, approach ? "target_year" : "by_year");
    if (!ty || ty <= year)
        return MAAL_OK;
    /* the values, and the samples of a survey series */
    const struct maal_yearmap *m = NULL, *samples = NULL;
    bool percent = false;
    const struct maal_series *s = NULL;
    int scope = scope_of(param_str(g, "scope"), MAAL_SCOPE_AREA);
    const char *sid = param_str(g, "series");
    if (sid && (s = maal_series_find(p, sid))) {
        m = &s->values[scope];
        samples = &s->samples[scope];
        percent = s->unit == MAAL_UNIT_PERCENT;
    } else if (target_rule) {
        const struct maal_activity *a = maal_activity_find(p, param_str(g, "activity") ? param_str(g, "activity") : "");
        const char *cid = param_str(g, "criterion");
        for (size_t i = 0; a && cid && i < a->ncriteria; i++)
            if (a->criteria[i].id && !strcmp(a->criteria[i].id, cid))
                m = &a->criteria[i].values;
    }
    if (!m)
        return MAAL_OK;
    /* what the projection must meet: "value OP limit" (range: both ends) */
    const char *op = NULL, *op2 = NULL;
    double limit = 0, limit2 = 0;
    const char *why = ""; /* why on_track stays undecided when there is no limit */
    char o_why[120];
    if (annual) {
        /* still falling (rising) by the end of the period: below (above) the latest value */
        const struct maal_yearval *l = latest_known(m, year);
        if (l) {
            op = annual < 0 ? "<" : ">";
            limit = l->v;
        }
    } else if (!strcmp(rule, "at_least") && param_num(g, "target", &limit)) {
        op = ">=";
    } else if (!strcmp(rule, "at_most") && param_num(g, "target", &limit)) {
        op = "<=";
    } else if (!strcmp(rule, "range") && param_num(g, "min", &limit) &&
               param_num(g, "max", &limit2)) {
        op = ">=";
        op2 = "<=";
    } else if (approach) {
        /* the gap to the reference must be smaller than in the baseline year, on the side the
         * area starts on; the reference is held at its latest value */
        int ref = scope_of(param_str(g, "reference"), MAAL_SCOPE_CITY);
        int by = param_year(g, "baseline_year");
        if (!by)
            by = p->baseline[s->kind];
        const struct maal_yearval *b = by ? maal_yearmap_get(&s->values[scope], by) : NULL;
        const struct maal_yearval *rb = by ? maal_yearmap_get(&s->values[ref], by) : NULL;
        const struct maal_yearval *rl = latest_known(&s->values[ref], year);
        const struct maal_area_change *c =
            scope == MAAL_SCOPE_AREA && by ? change_after(p, s, by, year) : NULL;
        if (c) {
            /* the baseline gap is the old area's: the rule itself says nodata */
            snprintf(o_why, sizeof(o_why),
                     TR(lang, "området blev ændret i %d, efter baseline-året %d",
                        "the area changed in %d, after the baseline year %d"),
                     c->year, by);
            why = o_why;
        } else if (b && rb && rl && !b->unknown && !rb->unknown) {
            double gap0 = b->v - rb->v;
            op = gap0 < 0 ? ">" : "<";
            limit = rl->v + gap0;
        } else {
            why = TR(lang, "referencen eller baseline-året mangler værdier",
                     "the reference or the baseline year lacks values");
        }
    }
    struct maal_outlook *o = maal_calloc(1, sizeof(*o));
    if (!o)
        return MAAL_ERR_NOMEM;
    o->target_year = ty;
    o->on_track = -1;
    o->method = "least_squares";
    double proj = 0, se = -1;
    /* the values so far: from the goal's baseline year (else the period's start) on */
    int from = p->from;
    if (s) {
        int by = param_year(g, "baseline_year");
        if (!by)
            by = p->baseline[s->kind];
        if (by)
            from = by;
        /* an area change makes the area's values before it incomparable with those after:
         * the line starts at the latest change (the city's and the district's go on) */
        const struct maal_area_change *c =
            scope == MAAL_SCOPE_AREA ? change_after(p, s, from, year) : NULL;
        if (c)
            from = c->year;
    }
    o->points = project(m, samples, percent, from, year, ty, &proj, &se);
    o->series = s;
    o->scope = scope;
    const struct maal_yearval *last = latest_known(m, year);
    if (last) {
        o->last_year = last->year;
        o->last_value = last->v;
    }
    if (o->points < 2) {
        snprintf(o->reason, sizeof(o->reason),
                 TR(lang, "kun %d måling%s fra %d til og med %d; en prognose kræver mindst to",
                    "only %d value%s from %d up to %d; a projection needs at least two"),
                 o->points, o->points == 1 ? TR(lang, "", "") : TR(lang, "er", "s"), from, year);
        o->points = o->points < 0 ? 0 : o->points;
    } else {
        o->has_projected = true;
        double lo = proj, hi = proj;
        if (se >= 0) {
            o->has_interval = true;
            o->method = "least_squares_sampling";
            lo = proj - 1.96 * se;
            hi = proj + 1.96 * se;
        }
        o->clamped = (proj < 0 && (percent || !s || s->unit != MAAL_UNIT_NUMBER)) ||
                     (percent && proj > 100);
        if (percent) { /* a share stays within 0-100 % however steep the line */
            proj = proj < 0 ? 0 : proj > 100 ? 100 : proj;
            lo = lo < 0 ? 0 : lo > 100 ? 100 : lo;
            hi = hi < 0 ? 0 : hi > 100 ? 100 : hi;
        } else if (!s || s->unit != MAAL_UNIT_NUMBER) {
            /* a count, a rate, an amount or an activity's tally is never below 0, however
             * steeply the line falls (100, 60 read off as -20 reports in 2025) */
            proj = proj < 0 ? 0 : proj;
            lo = lo < 0 ? 0 : lo;
            hi = hi < 0 ? 0 : hi;
        }
        o->projected = proj;
        o->low = lo;
        o->high = hi;
        if (op) {
            int a = side(lo, hi, op, limit);
            int b = op2 ? side(lo, hi, op2, limit2) : 1;
            o->on_track = a == 0 || b == 0 ? 0 : a == 1 && b == 1 ? 1 : -1;
            if (o->on_track < 0)
                snprintf(o->reason, sizeof(o->reason), "%s",
                         TR(lang, "usikkerhedsintervallet ligger på begge sider af målet",
                            "the interval lies on both sides of the target"));
        } else {
            snprintf(o->reason, sizeof(o->reason), "%s", why);
        }
    }
    maal_free(r->outlook);
    r->outlook = o;
    return MAAL_OK;
}
