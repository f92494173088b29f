/* report_html: what the HTML report's sections and its charts (report_charts.c) share.
 * Internal to the HTML reporter. */
#ifndef MAAL_REPORT_HTML_H
#define MAAL_REPORT_HTML_H

#include "outlook.h"
#include "report.h"

/* What one partnership's section is written with. */
struct hx {
    struct maal_buf *b;
    enum maal_lang L;
    const struct maal_presults *pr;
    const struct maal_partnership *p;
    char pid[32]; /* anchor of the section: "p1", "p2", ... */
    int fig, tab;
};

#define YMIN MAAL_YEAR_MIN
#define NYEARS 201

/* ---- small helpers, for both files ------------------------------------------------------ */

static inline void esc(struct maal_buf *b, const char *s)
{
    maal_escape_xml(b, s);
}

/* Empty a scratch buffer; running out of memory in it is running out of memory in 'b'. */
static inline void drop(struct maal_buf *b, struct maal_buf *t)
{
    if (t->oom)
        b->oom = true;
    maal_buf_release(t);
}

/* Escape what a formatter wrote into 't', then empty it. */
static inline void esc_take(struct maal_buf *b, struct maal_buf *t)
{
    esc(b, maal_buf_str(t));
    drop(b, t);
}

static inline void put_num(struct maal_buf *b, double v, enum maal_lang L)
{
    char n[64];
    maal_fmt_number(n, sizeof(n), v, -1, L);
    maal_buf_puts(b, n);
}

/* The value of a year, ignoring '?'; NULL when absent. */
static inline const struct maal_yearval *known(const struct maal_yearmap *m, int year)
{
    const struct maal_yearval *v = maal_yearmap_get(m, year);
    return v && !v->unknown ? v : NULL;
}

/* The latest known value in a year <= 'year'; NULL when none. */
static inline const struct maal_yearval *latest_le(const struct maal_yearmap *m, int year)
{
    const struct maal_yearval *best = NULL;
    for (size_t i = 0; i < m->n; i++)
        if (!m->v[i].unknown && m->v[i].year <= year)
            best = &m->v[i];
    return best;
}

/* ---- report_charts.c: the SVG charts, and the data they share with the tables ------------- */

/* A survey series' values by year, one line per scope, as a figure left open for its source
 * note (maal_html_figure_close); false, and nothing written, when it has no value to draw. */
bool maal_html_chart_survey(struct hx *h, const struct maal_series *s);
/* Crime counts by offence type, the baseline year against the latest, as a whole figure. */
void maal_html_chart_crime(struct hx *h);
/* Financing per activity and year, as a whole figure. */
void maal_html_chart_budget(struct hx *h);
/* Close a figure, with its source and a note when they are given. */
void maal_html_figure_close(struct hx *h, const char *source, const char *note);
/* The baseline year and the latest year of the crime counts; false when there are none. */
bool maal_html_crime_years(const struct hx *h, int *base, int *last);
bool maal_html_has_financing(const struct maal_activity *a);
/* The years of the plan: financing and stated totals. Returns how many. */
size_t maal_html_budget_years(const struct maal_partnership *p, int *out, bool with_stated);
/* An activity's number and name, escaped, cut to 'max' characters. */
void maal_html_activity_label(struct maal_buf *b, const struct maal_activity *a, size_t max);

#endif
