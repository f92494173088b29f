/* report_charts: the HTML report's SVG charts (survey shares by year, crime counts by offence
 * type, financing per activity and year), drawn into its sections (report_html.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_html.h"

/* The charts must read in black and white: lines differ by dash and marker, bars by pattern,
 * and every value is written next to its mark. */

static const char *unit_name(enum maal_unit u)
{
    return maal_unit_names[u];
}

/* Characters, not bytes, of UTF-8 text. */
static size_t u8len(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Escape 's', cut to 'max' characters with an ellipsis. */
static void esc_cut(struct maal_buf *b, const char *s, size_t max)
{
    if (!s)
        return;
    if (u8len(s) <= max) {
        esc(b, s);
        return;
    }
    struct maal_buf t = MAAL_BUF_INIT;
    size_t n = 0;
    const char *p = s;
    for (; *p; p++) {
        if (((unsigned char)*p & 0xC0) != 0x80 && ++n > max - 1)
            break;
    }
    maal_buf_add(&t, s, (size_t)(p - s));
    maal_buf_puts(&t, "…");
    esc_take(b, &t);
}

static bool changes_between(const struct maal_partnership *p, enum maal_kind k, int y1, int y2)
{
    for (size_t i = 0; i < p->nchanges; i++)
        if (p->changes[i].affects[k] && y1 < p->changes[i].year && p->changes[i].year <= y2)
            return true;
    return false;
}

static double nice_step(double raw)
{
    double e = pow(10, floor(log10(raw)));
    double f = raw / e;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * e;
}

static void figure_open(struct hx *h, const char *title, const char *cls)
{
    h->fig++;
    maal_buf_printf(h->b, "<figure class=\"chart %s\" id=\"%s-fig%d\"><figcaption><span "
                          "class=\"fno\">%s %d</span> ", cls, h->pid, h->fig,
                    TR(h->L, "Figur", "Figure"), h->fig);
    esc(h->b, title);
    maal_buf_puts(h->b, "</figcaption>\n");
}

void maal_html_figure_close(struct hx *h, const char *source, const char *note)
{
    if ((source && *source) || (note && *note)) {
        maal_buf_puts(h->b, "<p class=\"src\">");
        if (source && *source) {
            maal_buf_printf(h->b, "%s: ", TR(h->L, "Kilde", "Source"));
            esc(h->b, source);
            maal_buf_puts(h->b, ". ");
        }
        if (note && *note)
            esc(h->b, note);
        maal_buf_puts(h->b, "</p>");
    }
    maal_buf_puts(h->b, "</figure>\n");
}

/* ---- chart: survey shares by year, one line per scope ---------------------------------- */

/* The mark of a scope: filled circle, open square, open diamond. */
static void marker(struct maal_buf *b, int sc, double x, double y)
{
    if (sc == MAAL_SCOPE_AREA)
        maal_buf_printf(b, "<circle class=\"mk mk0\" cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\"/>", x, y);
    else if (sc == MAAL_SCOPE_DISTRICT)
        maal_buf_printf(b, "<rect class=\"mk mk1\" x=\"%.1f\" y=\"%.1f\" width=\"8\" "
                           "height=\"8\"/>", x - 4, y - 4);
    else
        maal_buf_printf(b, "<path class=\"mk mk2\" d=\"M%.1f %.1fl5 5l-5 5l-5 -5z\"/>", x, y - 5);
}

/* A value label and where it goes relative to its mark. */
enum side { RIGHT, LEFT, ABOVE, BELOW };
struct vlabel {
    double x, y;
    int year;
    enum side side;
    char text[48];
};

static int cmp_vlabel(const void *a, const void *b)
{
    const struct vlabel *x = a, *y = b;
    if (x->year != y->year)
        return x->year < y->year ? -1 : 1;
    if (x->side != y->side)
        return x->side < y->side ? -1 : 1;
    return x->y < y->y ? -1 : x->y > y->y;
}

/* Put a label where its line does not run: left of a line's start, right of its end, above
 * a peak and below a dip. */
static enum side label_side(const struct maal_yearval *prev, const struct maal_yearval *v,
                            const struct maal_yearval *next)
{
    if (!prev)
        return next ? LEFT : RIGHT;
    if (!next)
        return RIGHT;
    return v->v <= prev->v && v->v <= next->v ? BELOW : ABOVE;
}

/* --outlook: the first goal's projection of this series, or NULL. */
static const struct maal_outlook *series_outlook(const struct hx *h, const struct maal_series *s)
{
    for (size_t i = 0; i < h->pr->n; i++) {
        const struct maal_outlook *o = h->pr->r[i].outlook;
        if (o && o->series == s && o->has_projected && o->last_year)
            return o;
    }
    return NULL;
}

/* Returns false when the series has no value to draw. */
bool maal_html_chart_survey(struct hx *h, const struct maal_series *s)
{
    const int year = h->pr->year;
    int y0 = 0, y1 = 0;
    double vmax = 0, vmin = 0;
    size_t npoints = 0;
    for (int sc = 0; sc < MAAL_NSCOPES; sc++)
        for (size_t i = 0; i < s->values[sc].n; i++) {
            const struct maal_yearval *v = &s->values[sc].v[i];
            if (v->unknown || v->year > year)
                continue;
            if (!y0 || v->year < y0)
                y0 = v->year;
            if (v->year > y1)
                y1 = v->year;
            if (v->v > vmax)
                vmax = v->v;
            if (v->v < vmin)
                vmin = v->v;
            npoints++;
        }
    if (!npoints)
        return false;
    /* --outlook: the axis runs on to the target year, and holds the interval */
    const struct maal_outlook *ol = series_outlook(h, s);
    if (ol) {
        y1 = ol->target_year > y1 ? ol->target_year : y1;
        double top_v = ol->has_interval ? ol->high : ol->projected;
        double bot_v = ol->has_interval ? ol->low : ol->projected;
        vmax = top_v > vmax ? top_v : vmax;
        vmin = bot_v < vmin ? bot_v : vmin;
    }
    const bool pct = s->unit == MAAL_UNIT_PERCENT;
    const double W = 680, H = 310, ml = 60, mr = 64, mt = 50, mb = 36;
    const double px0 = ml, px1 = W - mr, py0 = mt, py1 = H - mb;
    /* the axis starts at 0 unless a value is below it */
    double raw = vmax - vmin > 0 ? (vmax - vmin) * 1.12 : 1;
    double step = nice_step(raw / 4);
    double bot = vmin < 0 ? floor(vmin / step) * step : 0;
    double top = vmax > 0 ? ceil(vmax * 1.12 / step) * step : bot + 4 * step;
    if (pct && top > 100) {
        top = 100;
        step = 25;
    }
    const double d0 = y0 - 0.5, d1 = y1 + 0.5;
#define SX(yr) (px0 + ((yr) - d0) / (d1 - d0) * (px1 - px0))
#define SY(v) (py1 - ((v) - bot) / (top - bot) * (py1 - py0))
    struct maal_buf *b = h->b;
    figure_open(h, s->name, "line");
    maal_buf_printf(b, "<svg class=\"svgchart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
                       "aria-labelledby=\"%s-fig%d-t\"><title id=\"%s-fig%d-t\">",
                    W, H, h->pid, h->fig, h->pid, h->fig);
    esc(b, s->name);
    maal_buf_puts(b, "</title>\n");
    /* grid and y axis */
    for (double t = bot; t <= top + step / 1000; t += step) {
        maal_buf_printf(b, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
                           "y2=\"%.1f\"/>", px0, px1, SY(t), SY(t));
        maal_buf_printf(b, "<text class=\"ax\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
                        px0 - 8, SY(t) + 4);
        put_num(b, t, h->L);
        if (pct)
            maal_buf_puts(b, " %");
        maal_buf_puts(b, "</text>\n");
    }
    maal_buf_printf(b, "<line class=\"axis\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>",
                    px0, px1, py1, py1);
    /* x axis: every year, or every other one when there are many */
    int xstep = y1 - y0 > 12 ? 2 : 1;
    for (int yr = y0; yr <= y1; yr += xstep) {
        maal_buf_printf(b, "<line class=\"axis\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
                           "y2=\"%.1f\"/>", SX(yr), SX(yr), py1, py1 + 4);
        maal_buf_printf(b, "<text class=\"ax\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d"
                           "</text>\n", SX(yr), py1 + 19, yr);
    }
    /* comparability breaks: a dashed line between the years on either side */
    for (size_t i = 0; i < h->p->nchanges; i++) {
        const struct maal_area_change *c = &h->p->changes[i];
        if (!c->affects[s->kind] || c->year <= y0 || c->year > y1)
            continue;
        double x = SX(c->year - 0.5);
        maal_buf_printf(b, "<line class=\"brk\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
                           "y2=\"%.1f\"/>", x, x, py0 - 6, py1);
        bool left = x > px1 - 150;
        maal_buf_printf(b, "<text class=\"brkl\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">",
                        left ? x - 6 : x + 6, py0 + 4, left ? "end" : "start");
        maal_buf_printf(b, TR(h->L, "Nyt område fra %d", "Area changed %d"), c->year);
        maal_buf_printf(b, "</text><text class=\"brkl brks\" x=\"%.1f\" y=\"%.1f\" "
                           "text-anchor=\"%s\">%s</text>\n", left ? x - 6 : x + 6, py0 + 17,
                        left ? "end" : "start",
                        TR(h->L, "ikke sammenligneligt på tværs", "not comparable across"));
    }
    /* lines, broken where the area changed, then the marks */
    struct vlabel labels[MAAL_NSCOPES * NYEARS];
    size_t nl = 0;
    for (int sc = MAAL_NSCOPES - 1; sc >= 0; sc--) {
        const struct maal_yearmap *m = &s->values[sc];
        maal_buf_printf(b, "<path class=\"ln ln%d\" d=\"", sc);
        int prev = 0;
        for (size_t i = 0; i < m->n; i++) {
            const struct maal_yearval *v = &m->v[i];
            if (v->unknown || v->year > year)
                continue;
            bool move = !prev || changes_between(h->p, s->kind, prev, v->year);
            maal_buf_printf(b, "%s%.1f %.1f", move ? (prev ? " M" : "M") : " L", SX(v->year),
                            SY(v->v));
            prev = v->year;
        }
        maal_buf_puts(b, "\"/>\n");
        const struct maal_yearval *prevv = NULL;
        for (size_t i = 0; i < m->n; i++) {
            const struct maal_yearval *v = &m->v[i];
            if (v->unknown || v->year > year)
                continue;
            const struct maal_yearval *nextv = NULL;
            for (size_t k = i + 1; k < m->n && !nextv; k++)
                if (!m->v[k].unknown && m->v[k].year <= year)
                    nextv = &m->v[k];
            if (prevv && changes_between(h->p, s->kind, prevv->year, v->year))
                prevv = NULL;
            if (nextv && changes_between(h->p, s->kind, v->year, nextv->year))
                nextv = NULL;
            marker(b, sc, SX(v->year), SY(v->v));
            if (nl < sizeof(labels) / sizeof(labels[0])) {
                struct maal_buf t = MAAL_BUF_INIT;
                maal_fmt_value(&t, v->v, unit_name(s->unit), h->L);
                snprintf(labels[nl].text, sizeof(labels[nl].text), "%s", maal_buf_str(&t));
                drop(b, &t);
                labels[nl].x = SX(v->year);
                labels[nl].y = SY(v->v);
                labels[nl].year = v->year;
                labels[nl].side = label_side(prevv, v, nextv);
                nl++;
            }
            prevv = v;
        }
    }
    /* --outlook: the line carried on dashed to the target year, its interval as a band */
    if (ol) {
        double x0 = SX(ol->last_year), yv0 = SY(ol->last_value), x1 = SX(ol->target_year);
        if (ol->has_interval)
            maal_buf_printf(b, "<path class=\"band\" d=\"M%.1f %.1f L%.1f %.1f L%.1f %.1f Z\"/>",
                            x0, yv0, x1, SY(ol->high), x1, SY(ol->low));
        maal_buf_printf(b, "<path class=\"proj ln%d\" d=\"M%.1f %.1f L%.1f %.1f\"/>", ol->scope,
                        x0, yv0, x1, SY(ol->projected));
        marker(b, ol->scope, x1, SY(ol->projected));
        struct maal_buf t = MAAL_BUF_INIT;
        maal_fmt_value(&t, ol->projected, unit_name(s->unit), h->L);
        maal_buf_printf(b, "<text class=\"vl proj-l\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s ",
                        x1 - 9, SY(ol->projected) - 10, TR(h->L, "prognose", "outlook"));
        esc_take(b, &t);
        maal_buf_puts(b, "</text>\n");
    }
    /* value labels, pushed apart when marks of one year on one side are close */
    qsort(labels, nl, sizeof(labels[0]), cmp_vlabel);
    for (size_t i = 0; i < nl; i++) {
        struct vlabel *l = &labels[i];
        if (i > 0 && labels[i - 1].year == l->year && labels[i - 1].side == l->side &&
            l->y < labels[i - 1].y + 15)
            l->y = labels[i - 1].y + 15;
        static const char *const anchor[] = {"start", "end", "middle", "middle"};
        double dx = l->side == RIGHT ? 9 : l->side == LEFT ? -9 : 0;
        double dy = l->side == ABOVE ? -10 : l->side == BELOW ? 19 : 4.5;
        maal_buf_printf(b, "<text class=\"vl\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">",
                        l->x + dx, l->y + dy, anchor[l->side]);
        esc(b, l->text);
        maal_buf_puts(b, "</text>");
    }
    maal_buf_putc(b, '\n');
    /* legend: line samples with their marks */
    double lx = px0;
    for (int sc = 0; sc < MAAL_NSCOPES; sc++) {
        bool any = false;
        for (size_t i = 0; i < s->values[sc].n; i++)
            any = any || (!s->values[sc].v[i].unknown && s->values[sc].v[i].year <= year);
        if (!any)
            continue;
        struct maal_buf t = MAAL_BUF_INIT;
        const char *name = maal_scope_label(h->p, sc, h->L, &t);
        maal_buf_printf(b, "<path class=\"ln ln%d\" d=\"M%.1f 17 L%.1f 17\"/>", sc, lx, lx + 30);
        marker(b, sc, lx + 15, 17);
        maal_buf_printf(b, "<text class=\"lg\" x=\"%.1f\" y=\"21.5\">", lx + 38);
        esc(b, name);
        maal_buf_puts(b, "</text>\n");
        lx += 38 + (double)u8len(name) * 7.2 + 28;
        drop(b, &t);
    }
    maal_buf_puts(b, "</svg>\n");
#undef SX
#undef SY
    return true;
}

/* ---- chart: crime counts by offence type, baseline against the latest year -------------- */

static bool crime_count_series(const struct maal_series *s, int year)
{
    return s->kind == MAAL_KIND_CRIME && s->unit == MAAL_UNIT_COUNT &&
           latest_le(&s->values[MAAL_SCOPE_AREA], year);
}

/* The baseline year and the latest year of the crime counts; false when there are none. */
bool maal_html_crime_years(const struct hx *h, int *base, int *last)
{
    *base = h->p->baseline[MAAL_KIND_CRIME];
    *last = 0;
    int first = 0;
    for (size_t i = 0; i < h->p->nseries; i++) {
        const struct maal_series *s = &h->p->series[i];
        if (!crime_count_series(s, h->pr->year))
            continue;
        const struct maal_yearmap *m = &s->values[MAAL_SCOPE_AREA];
        const struct maal_yearval *v = latest_le(m, h->pr->year);
        if (v->year > *last)
            *last = v->year;
        for (size_t k = 0; k < m->n; k++)
            if (!m->v[k].unknown && (!first || m->v[k].year < first))
                first = m->v[k].year;
    }
    if (!*last)
        return false;
    if (!*base || *base > *last)
        *base = first;
    return true;
}

void maal_html_chart_crime(struct hx *h)
{
    int base, last;
    if (!maal_html_crime_years(h, &base, &last))
        return;
    const bool two = base != last;
    double vmax = 0;
    size_t rows = 0;
    for (size_t i = 0; i < h->p->nseries; i++) {
        const struct maal_series *s = &h->p->series[i];
        if (!crime_count_series(s, h->pr->year))
            continue;
        rows++;
        const struct maal_yearval *a = known(&s->values[MAAL_SCOPE_AREA], base);
        const struct maal_yearval *c = known(&s->values[MAAL_SCOPE_AREA], last);
        if (a && two && a->v > vmax)
            vmax = a->v;
        if (c && c->v > vmax)
            vmax = c->v;
    }
    if (vmax <= 0)
        vmax = 1;
    const double W = 680, ml = 10, mt = 44, row = two ? 60 : 44, barh = 13;
    const double bx = ml + 2, bmax = W - ml - 170, cx = W - 10;
    const double H = mt + row * (double)rows + 6;
    struct maal_buf *b = h->b;
    char title[160];
    if (two)
        snprintf(title, sizeof(title), TR(h->L, "Antal anmeldelser pr. gerningstype, %d "
                                                "(baseline) og %d", "Reports by offence type, "
                                                "%d (baseline) and %d"), base, last);
    else
        snprintf(title, sizeof(title), TR(h->L, "Antal anmeldelser pr. gerningstype, %d",
                                          "Reports by offence type, %d"), last);
    figure_open(h, title, "bars");
    maal_buf_printf(b, "<svg class=\"svgchart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
                       "aria-labelledby=\"%s-fig%d-t\"><title id=\"%s-fig%d-t\">",
                    W, H, h->pid, h->fig, h->pid, h->fig);
    esc(b, title);
    maal_buf_printf(b, "</title>\n<defs><pattern id=\"%s-hatch\" patternUnits=\"userSpaceOnUse\" "
                       "width=\"5\" height=\"5\" patternTransform=\"rotate(45)\"><rect "
                       "width=\"5\" height=\"5\" fill=\"#fff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" "
                       "y2=\"5\" stroke=\"#555\" stroke-width=\"1.6\"/></pattern></defs>\n",
                    h->pid);
    /* legend */
    double lx = ml;
    if (two) {
        maal_buf_printf(b, "<rect class=\"bar0\" x=\"%.1f\" y=\"8\" width=\"22\" height=\"12\" "
                           "fill=\"url(#%s-hatch)\"/><text class=\"lg\" x=\"%.1f\" y=\"18\">%d "
                           "(baseline)</text>", lx, h->pid, lx + 28, base);
        lx += 150;
    }
    maal_buf_printf(b, "<rect class=\"bar1\" x=\"%.1f\" y=\"8\" width=\"22\" height=\"12\"/>"
                       "<text class=\"lg\" x=\"%.1f\" y=\"18\">%d</text>", lx, lx + 28, last);
    if (two)
        maal_buf_printf(b, "<text class=\"lg lgb\" x=\"%.1f\" y=\"18\" text-anchor=\"end\">%s"
                           "</text>", cx, TR(h->L, "Ændring", "Change"));
    maal_buf_puts(b, "\n");
    double y = mt;
    for (size_t i = 0; i < h->p->nseries; i++) {
        const struct maal_series *s = &h->p->series[i];
        if (!crime_count_series(s, h->pr->year))
            continue;
        const struct maal_yearval *a = two ? known(&s->values[MAAL_SCOPE_AREA], base) : NULL;
        const struct maal_yearval *c = known(&s->values[MAAL_SCOPE_AREA], last);
        maal_buf_printf(b, "<line class=\"rowrule\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
                           "y2=\"%.1f\"/>", ml, W - ml, y - 4, y - 4);
        maal_buf_printf(b, "<text class=\"rl\" x=\"%.1f\" y=\"%.1f\">", ml, y + 10);
        esc_cut(b, s->name, 90);
        maal_buf_puts(b, "</text>\n");
        double by = y + 16;
        const struct maal_yearval *bars[2] = {a, c};
        for (int k = two ? 0 : 1; k < 2; k++, by += barh + 3) {
            const struct maal_yearval *v = bars[k];
            if (!v) {
                maal_buf_printf(b, "<text class=\"na\" x=\"%.1f\" y=\"%.1f\">%s %d</text>", bx,
                                by + barh - 3, TR(h->L, "ingen tal for", "no value for"),
                                k ? last : base);
                continue;
            }
            double w = v->v / vmax * bmax;
            if (w < 1 && v->v > 0)
                w = 1;
            if (k == 0)
                maal_buf_printf(b, "<rect class=\"bar0\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                                   "height=\"%.1f\" fill=\"url(#%s-hatch)\"/>", bx, by, w, barh,
                                h->pid);
            else
                maal_buf_printf(b, "<rect class=\"bar1\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                                   "height=\"%.1f\"/>", bx, by, w, barh);
            maal_buf_printf(b, "<text class=\"vl%s\" x=\"%.1f\" y=\"%.1f\">", k ? "" : " vl0",
                            bx + w + 5, by + barh - 2.5);
            put_num(b, v->v, h->L);
            maal_buf_printf(b, "<tspan class=\"yr\"> (%d)</tspan></text>", k ? last : base);
        }
        if (a && c) {
            struct maal_buf t = MAAL_BUF_INIT;
            maal_fmt_change(&t, c->v - a->v, NULL, h->L);
            maal_buf_printf(b, "<text class=\"chg\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
                            cx, y + 16 + barh + 3);
            esc_take(b, &t);
            maal_buf_puts(b, "</text>");
        }
        maal_buf_puts(b, "\n");
        y += row;
    }
    maal_buf_puts(b, "</svg>\n");
    if (two)
        maal_html_figure_close(h, NULL, TR(h->L, "Skraverede søjler: baseline-året; sorte søjler: seneste "
                                       "år. Ændringen er beregnet af maal (seneste år minus "
                                       "baseline).",
                                 "Hatched bars: the baseline year; solid bars: the latest year. "
                                 "The change is computed by maal (latest minus baseline)."));
    else
        maal_html_figure_close(h, NULL, TR(h->L, "Kun ét år med tal; der er intet at sammenligne med.",
                                 "Only one year with figures; nothing to compare with."));
}

/* ---- budget: financing per activity and year -------------------------------------------- */

bool maal_html_has_financing(const struct maal_activity *a)
{
    return a->financing.n > 0;
}

/* The years of the plan: financing and stated totals. Returns how many. */
size_t maal_html_budget_years(const struct maal_partnership *p, int *out, bool with_stated)
{
    bool seen[NYEARS] = {false};
    for (size_t i = 0; i < p->nactivities; i++)
        for (size_t k = 0; k < p->activities[i].financing.n; k++) {
            int y = p->activities[i].financing.v[k].year;
            if (y >= YMIN && y < YMIN + NYEARS)
                seen[y - YMIN] = true;
        }
    if (with_stated)
        for (size_t k = 0; k < p->budget.n; k++) {
            int y = p->budget.v[k].year;
            if (y >= YMIN && y < YMIN + NYEARS)
                seen[y - YMIN] = true;
        }
    size_t n = 0;
    for (int y = 0; y < NYEARS; y++)
        if (seen[y])
            out[n++] = YMIN + y;
    return n;
}

void maal_html_activity_label(struct maal_buf *b, const struct maal_activity *a, size_t max)
{
    struct maal_buf t = MAAL_BUF_INIT;
    if (a->number > 0)
        maal_buf_printf(&t, "%ld. ", a->number);
    maal_buf_puts(&t, a->name ? a->name : a->id);
    esc_cut(b, maal_buf_str(&t), max);
    drop(b, &t);
}

/* A table-like bar chart: a row per activity, a column per year, each cell its own bar. */
void maal_html_chart_budget(struct hx *h)
{
    int years[NYEARS];
    size_t ny = maal_html_budget_years(h->p, years, false);
    size_t rows = 0;
    double vmax = 0;
    for (size_t i = 0; i < h->p->nactivities; i++) {
        const struct maal_activity *a = &h->p->activities[i];
        if (!maal_html_has_financing(a))
            continue;
        rows++;
        for (size_t k = 0; k < a->financing.n; k++)
            if (!a->financing.v[k].unknown && a->financing.v[k].v > vmax)
                vmax = a->financing.v[k].v;
    }
    if (!rows || !ny)
        return;
    if (vmax <= 0)
        vmax = 1;
    const double W = 680, lw = 250, mt = 32, row = 23, barh = 13;
    const double colw = (W - lw - 6) / (double)ny, bmax = colw - 48;
    const double H = mt + row * (double)rows + 4;
    struct maal_buf *b = h->b;
    const char *title = TR(h->L, "Finansiering pr. aktivitet og år (1.000 kr.)",
                           "Financing by activity and year (DKK 1,000)");
    figure_open(h, title, "budget");
    maal_buf_printf(b, "<svg class=\"svgchart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
                       "aria-labelledby=\"%s-fig%d-t\"><title id=\"%s-fig%d-t\">%s</title>\n",
                    W, H, h->pid, h->fig, h->pid, h->fig, title);
    for (size_t c = 0; c < ny; c++)
        maal_buf_printf(b, "<text class=\"colh\" x=\"%.1f\" y=\"19\">%d</text>",
                        lw + colw * (double)c, years[c]);
    maal_buf_printf(b, "<line class=\"axis\" x1=\"0\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\"/>\n", W,
                    mt - 6, mt - 6);
    double y = mt;
    size_t r = 0;
    for (size_t i = 0; i < h->p->nactivities; i++) {
        const struct maal_activity *a = &h->p->activities[i];
        if (!maal_html_has_financing(a))
            continue;
        if (r++ % 2 == 0)
            maal_buf_printf(b, "<rect class=\"zebra\" x=\"0\" y=\"%.1f\" width=\"%.0f\" "
                               "height=\"%.0f\"/>", y - 4, W, row);
        maal_buf_printf(b, "<text class=\"rl2\" x=\"4\" y=\"%.1f\">", y + barh - 1.5);
        maal_html_activity_label(b, a, 36);
        maal_buf_puts(b, "</text>");
        for (size_t c = 0; c < ny; c++) {
            double x = lw + colw * (double)c;
            const struct maal_yearval *v = maal_yearmap_get(&a->financing, years[c]);
            if (!v)
                continue;
            if (v->unknown) {
                maal_buf_printf(b, "<rect class=\"unk\" x=\"%.1f\" y=\"%.1f\" width=\"16\" "
                                   "height=\"%.0f\"/><text class=\"vl unkt\" x=\"%.1f\" "
                                   "y=\"%.1f\" text-anchor=\"middle\">?</text>", x, y, barh,
                                x + 8, y + barh - 2);
                continue;
            }
            double w = v->v / vmax * bmax;
            if (w < 1 && v->v > 0)
                w = 1;
            maal_buf_printf(b, "<rect class=\"bar1\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                               "height=\"%.0f\"/><text class=\"vl\" x=\"%.1f\" y=\"%.1f\">", x,
                            y, w, barh, x + w + 4, y + barh - 2);
            put_num(b, v->v / 1000, h->L);
            maal_buf_puts(b, "</text>");
        }
        maal_buf_putc(b, '\n');
        y += row;
    }
    maal_buf_puts(b, "</svg>\n");
    maal_html_figure_close(h, NULL, TR(h->L, "Værdier i 1.000 kr. '?' = finansieringen er ikke besluttet.",
                             "Values in DKK 1,000. '?' = financing not decided."));
}
