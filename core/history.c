/* history: each goal judged for every year from the period's start to the evaluated year, in
 * one run (check --history). Each year is evaluated exactly as '--year Y' evaluates it: the same
 * rule, the same data, the evaluation year set to Y. */
#include "history.h"

static int first_in(const struct maal_yearmap *m, int first)
{
    for (size_t i = 0; i < m->n; i++)
        if (!m->v[i].unknown)
            return !first || m->v[i].year < first ? m->v[i].year : first;
    return first;
}

/* The first year of any figure in the file: the counterpart of the latest (model.c). */
static int first_year(const struct maal_partnership *p)
{
    int first = first_in(&p->budget, 0);
    for (size_t i = 0; i < p->nseries; i++)
        for (int sc = 0; sc < MAAL_NSCOPES; sc++)
            first = first_in(&p->series[i].values[sc], first);
    for (size_t i = 0; i < p->nactivities; i++) {
        const struct maal_activity *a = &p->activities[i];
        if (a->status.present && a->status.year && (!first || a->status.year < first))
            first = a->status.year;
        for (size_t c = 0; c < a->ncriteria; c++)
            first = first_in(&a->criteria[c].values, first);
    }
    return first;
}

int maal_history_start(const struct maal_partnership *p, int year)
{
    int start = p->from ? p->from : year;
    int first = first_year(p);
    if (first > start)
        start = first;
    if (start < MAAL_YEAR_MIN)
        start = MAAL_YEAR_MIN;
    return start > year ? year : start;
}

static void entry(struct maal_hist *h, int year, const struct maal_result *r)
{
    h->year = year;
    h->verdict = r->verdict;
    h->has_actual = r->has_actual;
    h->actual = r->actual;
    h->has_target = r->has_target;
    h->target = r->target;
    h->has_baseline = r->has_baseline;
    h->baseline = r->baseline;
}

int maal_eval_history(const struct maal_eval_opts *o, const struct maal_partnership *p, int year,
                      struct maal_result *r)
{
    int start = maal_history_start(p, year);
    size_t n = (size_t)(year - start) + 1;
    struct maal_hist *h = maal_calloc(n, sizeof(*h));
    if (!h)
        return MAAL_ERR_NOMEM;
    struct maal_eval_opts yo = *o;
    for (int y = start; y < year; y++) {
        struct maal_result t;
        yo.year = y;
        int rc = maal_eval_goal(&yo, p, r->goal, &t);
        if (rc != MAAL_OK) {
            maal_result_release(&t);
            maal_free(h);
            return rc;
        }
        entry(&h[y - start], y, &t);
        maal_result_release(&t);
    }
    entry(&h[n - 1], year, r);
    maal_free(r->history);
    r->history = h;
    r->nhistory = n;
    return MAAL_OK;
}
