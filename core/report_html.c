/* report_html: the secretariat's status report ("Bilag 2") as one self-contained HTML file. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "outlook.h"
#include "report.h"

/* Self-contained on purpose: inline CSS and SVG, no scripts, fonts, images or requests, and
 * nothing that changes between runs (no timestamps), so a report can be diffed and archived.
 * The charts must read in black and white: lines differ by dash and marker, bars by pattern,
 * and every value is written next to its mark. */

/* Sections are buffered: the overview of several partnerships goes first but is known last. */
/* --history: a goal's verdicts by year, for the overview's goals × years grid */
struct hist_row {
    char *goal;
    int first;           /* the year of v[0] */
    size_t n;
    unsigned char *v;    /* enum maal_verdict per year */
};

struct toc_row {
    char *name, *id;
    int from, to, year;
    size_t counts[MAAL_NVERDICTS];
    struct hist_row *hist; /* --history only */
    size_t nhist;
};

struct html_state {
    struct toc_row *rows; /* one overview row per partnership */
    size_t nrows;
    struct maal_buf body;  /* the partnerships' sections */
    struct maal_buf title; /* the first partnership's name, for <title> */
    bool history;          /* --history: some goal has a history (marks, grid, their style) */
    bool outlook;          /* --outlook: some goal has an outlook (chart projections' style) */
};

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

/* ---- small helpers ---------------------------------------------------------------------- */

static void esc(struct maal_buf *b, const char *s)
{
    maal_escape_xml(b, s);
}

/* Empty a scratch buffer; running out of memory in it is running out of memory in 'b'. */
static void drop(struct maal_buf *b, struct maal_buf *t)
{
    if (t->oom)
        b->oom = true;
    maal_buf_release(t);
}

/* Escape what a formatter wrote into 't', then empty it. */
static void esc_take(struct maal_buf *b, struct maal_buf *t)
{
    esc(b, maal_buf_str(t));
    drop(b, t);
}

static void put_num(struct maal_buf *b, double v, enum maal_lang L)
{
    char n[64];
    maal_fmt_number(n, sizeof(n), v, -1, L);
    maal_buf_puts(b, n);
}

static const char *unit_name(enum maal_unit u)
{
    return maal_unit_names[u];
}

static const char *vclass(enum maal_verdict v)
{
    switch (v) {
    case MAAL_PASS: return "pass";
    case MAAL_FAIL: return "fail";
    case MAAL_INFO: return "info";
    case MAAL_NODATA: return "nodata";
    case MAAL_ERROR: return "error";
    case MAAL_WAIVED: return "waived";
    default: return "other";
    }
}

static const char *vsymbol(enum maal_verdict v)
{
    switch (v) {
    case MAAL_PASS: return "✓";
    case MAAL_FAIL: return "✗";
    case MAAL_INFO: return "i";
    case MAAL_NODATA: return "?";
    case MAAL_ERROR: return "!";
    case MAAL_WAIVED: return "–";
    default: return "·";
    }
}

/* The order of the summary: what needs attention first. */
static const enum maal_verdict attention_order[] = {MAAL_FAIL, MAAL_ERROR, MAAL_NODATA,
                                                    MAAL_WAIVED, MAAL_PASS, MAAL_INFO};
#define NATTENTION (sizeof(attention_order) / sizeof(attention_order[0]))
/* The order of the count tiles: rare verdicts last. */
static const enum maal_verdict tile_order[] = {MAAL_FAIL, MAAL_NODATA, MAAL_PASS, MAAL_INFO,
                                               MAAL_ERROR, MAAL_WAIVED};

static void badge(struct maal_buf *b, enum maal_verdict v, enum maal_lang L)
{
    maal_buf_printf(b, "<span class=\"badge b-%s\"><span class=\"sym\" aria-hidden=\"true\">%s"
                       "</span>%s</span>", vclass(v), vsymbol(v), maal_verdict_word(v, L));
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

/* The value of a year, ignoring '?'; NULL when absent. */
static const struct maal_yearval *known(const struct maal_yearmap *m, int year)
{
    const struct maal_yearval *v = maal_yearmap_get(m, year);
    return v && !v->unknown ? v : NULL;
}

/* The latest known value in a year <= 'year'; NULL when none. */
static const struct maal_yearval *latest_le(const struct maal_yearmap *m, int year)
{
    const struct maal_yearval *best = NULL;
    for (size_t i = 0; i < m->n; i++)
        if (!m->v[i].unknown && m->v[i].year <= year)
            best = &m->v[i];
    return best;
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

static void figure_close(struct hx *h, const char *source, const char *note)
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

static void table_caption(struct hx *h, const char *title)
{
    h->tab++;
    maal_buf_printf(h->b, "<caption><span class=\"fno\">%s %d</span> ",
                    TR(h->L, "Tabel", "Table"), h->tab);
    esc(h->b, title);
    maal_buf_puts(h->b, "</caption>\n");
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
static bool chart_survey(struct hx *h, const struct maal_series *s)
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
static bool crime_years(const struct hx *h, int *base, int *last)
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

static void chart_crime(struct hx *h)
{
    int base, last;
    if (!crime_years(h, &base, &last))
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
        figure_close(h, NULL, TR(h->L, "Skraverede søjler: baseline-året; sorte søjler: seneste "
                                       "år. Ændringen er beregnet af maal (seneste år minus "
                                       "baseline).",
                                 "Hatched bars: the baseline year; solid bars: the latest year. "
                                 "The change is computed by maal (latest minus baseline)."));
    else
        figure_close(h, NULL, TR(h->L, "Kun ét år med tal; der er intet at sammenligne med.",
                                 "Only one year with figures; nothing to compare with."));
}

/* ---- budget: financing per activity and year -------------------------------------------- */

static bool has_financing(const struct maal_activity *a)
{
    return a->financing.n > 0;
}

/* The years of the plan: financing and stated totals. Returns how many. */
static size_t budget_years(const struct maal_partnership *p, int *out, bool with_stated)
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

static void activity_label(struct maal_buf *b, const struct maal_activity *a, size_t max)
{
    struct maal_buf t = MAAL_BUF_INIT;
    if (a->number > 0)
        maal_buf_printf(&t, "%ld. ", a->number);
    maal_buf_puts(&t, a->name ? a->name : a->id);
    esc_cut(b, maal_buf_str(&t), max);
    drop(b, &t);
}

/* A table-like bar chart: a row per activity, a column per year, each cell its own bar. */
static void chart_budget(struct hx *h)
{
    int years[NYEARS];
    size_t ny = budget_years(h->p, years, false);
    size_t rows = 0;
    double vmax = 0;
    for (size_t i = 0; i < h->p->nactivities; i++) {
        const struct maal_activity *a = &h->p->activities[i];
        if (!has_financing(a))
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
        if (!has_financing(a))
            continue;
        if (r++ % 2 == 0)
            maal_buf_printf(b, "<rect class=\"zebra\" x=\"0\" y=\"%.1f\" width=\"%.0f\" "
                               "height=\"%.0f\"/>", y - 4, W, row);
        maal_buf_printf(b, "<text class=\"rl2\" x=\"4\" y=\"%.1f\">", y + barh - 1.5);
        activity_label(b, a, 36);
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
    figure_close(h, NULL, TR(h->L, "Værdier i 1.000 kr. '?' = finansieringen er ikke besluttet.",
                             "Values in DKK 1,000. '?' = financing not decided."));
}

/* The plan's financing table with the computed column sums next to the stated totals. */
static void table_financing(struct hx *h)
{
    int years[NYEARS];
    size_t ny = budget_years(h->p, years, true);
    bool any = false;
    for (size_t i = 0; i < h->p->nactivities; i++)
        any = any || has_financing(&h->p->activities[i]);
    struct maal_buf *b = h->b;
    if (!any || !ny) {
        maal_buf_printf(b, "<p class=\"nodata-note\">%s</p>\n",
                        TR(h->L, "Tryghedsplanen angiver ingen finansiering pr. aktivitet.",
                           "The safety plan states no financing per activity."));
        return;
    }
    double sum[NYEARS] = {0};
    size_t nunk[NYEARS] = {0};
    maal_buf_puts(b, "<table class=\"data fin\">");
    table_caption(h, TR(h->L, "Tryghedsplanens finansiering (kr.)",
                        "Financing of the safety plan (DKK)"));
    maal_buf_printf(b, "<thead><tr><th class=\"nr\">%s</th><th>%s</th>", TR(h->L, "Nr.", "No."),
                    TR(h->L, "Aktivitet", "Activity"));
    for (size_t c = 0; c < ny; c++)
        maal_buf_printf(b, "<th class=\"num\">%d</th>", years[c]);
    maal_buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < h->p->nactivities; i++) {
        const struct maal_activity *a = &h->p->activities[i];
        if (!has_financing(a))
            continue;
        maal_buf_puts(b, "<tr><td class=\"nr\">");
        if (a->number > 0)
            maal_buf_printf(b, "%ld", a->number);
        maal_buf_puts(b, "</td><td>");
        esc(b, a->name);
        if (a->is_new)
            maal_buf_printf(b, " <span class=\"tag\">%s</span>", TR(h->L, "ny", "new"));
        maal_buf_puts(b, "</td>");
        for (size_t c = 0; c < ny; c++) {
            const struct maal_yearval *v = maal_yearmap_get(&a->financing, years[c]);
            if (!v) {
                maal_buf_puts(b, "<td class=\"num empty\"></td>");
            } else if (v->unknown) {
                nunk[c]++;
                maal_buf_printf(b, "<td class=\"num unknown\" title=\"%s\">?</td>",
                                TR(h->L, "ikke besluttet", "not decided"));
            } else {
                sum[c] += v->v;
                maal_buf_puts(b, "<td class=\"num\">");
                put_num(b, v->v, h->L);
                maal_buf_puts(b, "</td>");
            }
        }
        maal_buf_puts(b, "</tr>\n");
    }
    maal_buf_puts(b, "</tbody>\n<tfoot>\n");
    maal_buf_printf(b, "<tr class=\"sum\"><td></td><th scope=\"row\">%s</th>",
                    TR(h->L, "Sum af rækkerne (beregnet)", "Sum of the rows (computed)"));
    bool any_unk = false;
    for (size_t c = 0; c < ny; c++) {
        maal_buf_puts(b, "<td class=\"num\">");
        put_num(b, sum[c], h->L);
        if (nunk[c]) {
            maal_buf_puts(b, "<sup>*</sup>");
            any_unk = true;
        }
        maal_buf_puts(b, "</td>");
    }
    maal_buf_printf(b, "</tr>\n<tr class=\"stated\"><td></td><th scope=\"row\">%s</th>",
                    TR(h->L, "Angivet sum (budget)", "Stated total (budget)"));
    for (size_t c = 0; c < ny; c++) {
        const struct maal_yearval *s = known(&h->p->budget, years[c]);
        maal_buf_puts(b, "<td class=\"num\">");
        if (s)
            put_num(b, s->v, h->L);
        else
            maal_buf_puts(b, "<span class=\"muted\">–</span>");
        maal_buf_puts(b, "</td>");
    }
    maal_buf_printf(b, "</tr>\n<tr class=\"diff\"><td></td><th scope=\"row\">%s</th>",
                    TR(h->L, "Difference (beregnet − angivet)", "Difference (computed − stated)"));
    for (size_t c = 0; c < ny; c++) {
        const struct maal_yearval *s = known(&h->p->budget, years[c]);
        if (!s) {
            maal_buf_puts(b, "<td class=\"num\"><span class=\"muted\">–</span></td>");
        } else if (nunk[c]) {
            maal_buf_printf(b, "<td class=\"num\" title=\"%s\">?</td>",
                            TR(h->L, "kan ikke beregnes: '?' i kolonnen",
                               "cannot be computed: '?' in the column"));
        } else {
            double d = sum[c] - s->v;
            struct maal_buf t = MAAL_BUF_INIT;
            maal_fmt_change(&t, d, NULL, h->L);
            maal_buf_printf(b, "<td class=\"num %s\">%s", fabs(d) > 0.005 ? "off" : "even",
                            fabs(d) > 0.005 ? "<span class=\"sym\" aria-hidden=\"true\">≠</span> "
                                            : "");
            esc_take(b, &t);
            maal_buf_puts(b, "</td>");
        }
    }
    maal_buf_puts(b, "</tr>\n</tfoot></table>\n");
    if (any_unk) {
        maal_buf_printf(b, "<p class=\"tnote\"><sup>*</sup> %s ",
                        TR(h->L, "'?' betyder, at finansieringen ikke er besluttet. Disse rækker "
                                 "er udeladt af summen, og differencen beregnes ikke:",
                           "'?' means the financing is not decided. These rows are left out of "
                           "the sum, and no difference is computed:"));
        for (size_t c = 0; c < ny; c++) {
            if (!nunk[c])
                continue;
            maal_buf_printf(b, "<span class=\"unkyear\"><b>%d</b> (%zu): ", years[c], nunk[c]);
            size_t k = 0;
            for (size_t i = 0; i < h->p->nactivities; i++) {
                const struct maal_yearval *v =
                    maal_yearmap_get(&h->p->activities[i].financing, years[c]);
                if (v && v->unknown) {
                    maal_buf_puts(b, k++ ? ", " : "");
                    esc(b, h->p->activities[i].name);
                }
            }
            maal_buf_puts(b, ".</span> ");
        }
        maal_buf_puts(b, "</p>\n");
    }
}

/* ---- activities: partners, midway status -------------------------------------------------- */

static void name_list(struct maal_buf *b, const char **names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        maal_buf_puts(b, i ? ", " : "");
        esc(b, names[i]);
    }
}

static void table_partners(struct hx *h)
{
    struct maal_buf *b = h->b;
    if (!h->p->nactivities) {
        maal_buf_printf(b, "<p class=\"nodata-note\">%s</p>\n",
                        TR(h->L, "Filen har ingen aktiviteter.", "The file has no activities."));
        return;
    }
    maal_buf_puts(b, "<table class=\"data acts\">");
    table_caption(h, TR(h->L, "Aktiviteter, ansvarlige og samarbejdspartnere",
                        "Activities, responsible actors and partners"));
    maal_buf_printf(b, "<colgroup><col class=\"c-nr\"><col class=\"c-act\"><col class=\"c-resp\">"
                       "<col><col class=\"c-np\"></colgroup>"
                       "<thead><tr><th class=\"nr\">%s</th><th>%s</th><th>%s</th><th>%s</th>"
                       "<th class=\"num\">%s</th></tr></thead>\n<tbody>\n",
                    TR(h->L, "Nr.", "No."), TR(h->L, "Aktivitet", "Activity"),
                    TR(h->L, "Ansvarlig", "Responsible"),
                    TR(h->L, "Samarbejdspartnere", "Partners"), TR(h->L, "Parter", "Parties"));
    bool any_out = false;
    for (size_t i = 0; i < h->p->nactivities; i++) {
        const struct maal_activity *a = &h->p->activities[i];
        size_t np = maal_activity_partner_count(a);
        maal_buf_printf(b, "<tr%s><td class=\"nr\">", a->in_partner_share ? "" : " class=\"out\"");
        if (a->number > 0)
            maal_buf_printf(b, "%ld", a->number);
        maal_buf_puts(b, "</td><td><span class=\"aname\">");
        esc(b, a->name);
        maal_buf_puts(b, "</span>");
        if (a->is_new)
            maal_buf_printf(b, " <span class=\"tag\">%s</span>", TR(h->L, "ny", "new"));
        if (!a->in_partner_share) {
            maal_buf_printf(b, " <span class=\"tag\">%s</span>",
                            TR(h->L, "tælles ikke med", "not counted"));
            any_out = true;
        }
        if (a->focus_area) {
            maal_buf_puts(b, "<div class=\"sub\">");
            esc(b, a->focus_area);
            maal_buf_puts(b, "</div>");
        }
        if (a->note) {
            maal_buf_puts(b, "<div class=\"note\">");
            esc(b, a->note);
            maal_buf_puts(b, "</div>");
        }
        maal_buf_puts(b, "</td><td>");
        name_list(b, a->responsible, a->nresponsible);
        maal_buf_puts(b, "</td><td>");
        if (a->npartners)
            name_list(b, a->partners, a->npartners);
        else
            maal_buf_printf(b, "<span class=\"muted\">%s</span>",
                            TR(h->L, "ingen nævnt", "none named"));
        maal_buf_printf(b, "</td><td class=\"num\"><span class=\"pc%s\">%zu</span></td></tr>\n",
                        np >= 2 ? " two" : "", np);
    }
    maal_buf_puts(b, "</tbody></table>\n");
    maal_buf_printf(b, "<p class=\"tnote\">%s%s</p>\n",
                    TR(h->L, "Antal parter = forskellige organisationer blandt ansvarlige og "
                             "samarbejdspartnere tilsammen.",
                       "Parties = distinct organisations among the responsible actors and "
                       "partners together."),
                    any_out ? TR(h->L, " Rækker mærket 'tælles ikke med' er budgetlinjer, der "
                                       "ikke er aktiviteter.",
                                 " Rows marked 'not counted' are budget lines that are no "
                                 "activities.") : "");
}

static void status_answer(struct maal_buf *b, const char *text, bool attention,
                          enum maal_lang L)
{
    if (!text) {
        maal_buf_printf(b, "<span class=\"st st-none\"><span class=\"sym\" aria-hidden=\"true\">"
                           "–</span>%s</span>", TR(L, "Nej", "No"));
        return;
    }
    if (attention)
        maal_buf_puts(b, "<span class=\"st st-warn\"><span class=\"sym\" aria-hidden=\"true\">"
                         "▲</span>");
    else
        maal_buf_puts(b, "<span class=\"st st-adj\"><span class=\"sym\" aria-hidden=\"true\">"
                         "↻</span>");
    esc(b, text);
    maal_buf_puts(b, "</span>");
}

static void table_status(struct hx *h)
{
    struct maal_buf *b = h->b;
    size_t with = 0, status_year = 0;
    for (size_t i = 0; i < h->p->nactivities; i++)
        if (h->p->activities[i].status.present) {
            with++;
            if (h->p->activities[i].status.year)
                status_year = (size_t)h->p->activities[i].status.year;
        }
    if (!with) {
        maal_buf_printf(b, "<p class=\"nodata-note\">%s</p>\n",
                        TR(h->L, "Ingen midtvejsstatus i data.", "No midway status in the data."));
        return;
    }
    maal_buf_puts(b, "<table class=\"data status\">");
    char title[96];
    if (status_year)
        snprintf(title, sizeof(title), TR(h->L, "Midtvejsstatus for aktiviteterne %zu",
                                          "Midway status of the activities %zu"), status_year);
    else
        snprintf(title, sizeof(title), "%s", TR(h->L, "Midtvejsstatus for aktiviteterne",
                                                "Midway status of the activities"));
    table_caption(h, title);
    maal_buf_printf(b, "<colgroup><col class=\"c-nr\"><col class=\"c-act\"><col class=\"c-plan\">"
                       "<col><col></colgroup>"
                       "<thead><tr><th class=\"nr\">%s</th><th>%s</th><th>%s</th><th>%s</th>"
                       "<th>%s</th></tr></thead>\n<tbody>\n",
                    TR(h->L, "Nr.", "No."), TR(h->L, "Aktivitet", "Activity"),
                    TR(h->L, "Som planlagt?", "As planned?"),
                    TR(h->L, "Bekymringer", "Concerns"), TR(h->L, "Justeringer", "Adjustments"));
    for (size_t i = 0; i < h->p->nactivities; i++) {
        const struct maal_activity *a = &h->p->activities[i];
        const struct maal_act_status *st = &a->status;
        if (!st->present)
            continue;
        const char *ap = st->as_planned ? st->as_planned : "";
        bool ok = !strcmp(ap, "yes");
        maal_buf_printf(b, "<tr%s><td class=\"nr\">",
                        ok && !st->concerns ? "" : " class=\"attn\"");
        if (a->number > 0)
            maal_buf_printf(b, "%ld", a->number);
        maal_buf_puts(b, "</td><td><span class=\"aname\">");
        esc(b, a->name);
        maal_buf_puts(b, "</span>");
        if (st->note) {
            maal_buf_puts(b, "<div class=\"note\">");
            esc(b, st->note);
            maal_buf_puts(b, "</div>");
        }
        maal_buf_puts(b, "</td><td>");
        if (ok)
            maal_buf_printf(b, "<span class=\"st st-ok\"><span class=\"sym\" aria-hidden=\"true\">"
                               "✓</span>%s</span>", TR(h->L, "Ja", "Yes"));
        else if (!strcmp(ap, "partly"))
            maal_buf_printf(b, "<span class=\"st st-warn\"><span class=\"sym\" "
                               "aria-hidden=\"true\">◐</span>%s</span>",
                            TR(h->L, "Delvist", "Partly"));
        else if (!strcmp(ap, "no"))
            maal_buf_printf(b, "<span class=\"st st-bad\"><span class=\"sym\" "
                               "aria-hidden=\"true\">✗</span>%s</span>", TR(h->L, "Nej", "No"));
        else
            maal_buf_puts(b, "<span class=\"muted\">?</span>");
        maal_buf_puts(b, "</td><td>");
        status_answer(b, st->concerns, true, h->L);
        maal_buf_puts(b, "</td><td>");
        status_answer(b, st->adjustments, false, h->L);
        maal_buf_puts(b, "</td></tr>\n");
    }
    maal_buf_puts(b, "</tbody></table>\n");
    if (with < h->p->nactivities) {
        maal_buf_printf(b, "<p class=\"tnote\">%s ", TR(h->L, "Ingen midtvejsstatus for:",
                                                        "No midway status for:"));
        size_t k = 0;
        for (size_t i = 0; i < h->p->nactivities; i++) {
            const struct maal_activity *a = &h->p->activities[i];
            if (a->status.present)
                continue;
            maal_buf_puts(b, k++ ? ", " : "");
            activity_label(b, a, 200);
        }
        maal_buf_puts(b, ".</p>\n");
    }
}

/* ---- goals ------------------------------------------------------------------------------ */

/* Numbers and their units stay together; a line may break only before a unit word or a
 * year in brackets, so narrow columns wrap as "24,8 / pr. 1000 indb. / (2020)". */
static void esc_num(struct maal_buf *b, struct maal_buf *t)
{
    const char *s = maal_buf_str(t);
    struct maal_buf o = MAAL_BUF_INIT;
    bool in_unit = false;
    for (const char *p = s; *p; p++) {
        if (*p != ' ' || !p[1]) {
            maal_buf_putc(&o, *p);
            continue;
        }
        bool word = (p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z');
        size_t unit_len = strcspn(p + 1, "(");
        if (p[1] == '(') {
            in_unit = false;
            maal_buf_putc(&o, ' ');
        } else if (word && !in_unit && unit_len > 5) {
            in_unit = true;
            maal_buf_putc(&o, ' ');
        } else {
            maal_buf_puts(&o, "\xc2\xa0"); /* no-break space */
        }
    }
    esc(b, maal_buf_str(&o));
    drop(b, &o);
    drop(b, t);
}

/* --history: one small mark, the verdict's symbol over the year, coloured like its badge */
static void hist_mark(struct maal_buf *b, int year, enum maal_verdict v, enum maal_lang L)
{
    maal_buf_printf(b, "<span class=\"hm v-%s\" title=\"%d: %s\">%s<small>%d</small></span>",
                    vclass(v), year, maal_verdict_word(v, L), vsymbol(v), year);
}

static void goal_row(struct hx *h, const struct maal_result *r)
{
    struct maal_buf *b = h->b;
    enum maal_lang L = h->L;
    struct maal_buf t = MAAL_BUF_INIT;
    maal_buf_printf(b, "<tbody class=\"goal v-%s\"><tr class=\"gr\" id=\"%s-g-",
                    vclass(r->verdict), h->pid);
    esc(b, r->goal->id);
    maal_buf_puts(b, "\" data-goal=\"");
    esc(b, r->goal->id);
    maal_buf_puts(b, "\"><td class=\"verdict\" rowspan=\"2\">");
    badge(b, r->verdict, L);
    if (r->nhistory) {
        maal_buf_printf(b, "<div class=\"hist\" aria-label=\"%s\">", TR(L, "Historik", "History"));
        for (size_t i = 0; i < r->nhistory; i++)
            hist_mark(b, r->history[i].year, r->history[i].verdict, L);
        maal_buf_puts(b, "</div>");
    }
    maal_buf_puts(b, "</td><td class=\"gtitle\">");
    esc(b, r->goal->title ? r->goal->title : r->goal->id);
    maal_buf_puts(b, "</td><td class=\"num strong\">");
    if (r->has_actual)
        maal_fmt_value(&t, r->actual, r->unit, L);
    esc_num(b, &t);
    if (r->year)
        maal_buf_printf(b, "<div class=\"yr\">%d</div>", r->year);
    maal_buf_puts(b, "</td><td class=\"num\">");
    maal_fmt_target(&t, r, L);
    esc_num(b, &t);
    maal_buf_puts(b, "</td><td class=\"num\">");
    if (r->has_change)
        maal_fmt_change(&t, r->change, r->unit, L);
    esc_num(b, &t);
    maal_buf_puts(b, "</td></tr>\n<tr class=\"gd\"><td colspan=\"4\"><div class=\"msg\">");
    esc(b, r->message);
    maal_buf_puts(b, "</div>");
    if (r->significance) {
        maal_buf_printf(b, "<div class=\"sig\"><span class=\"lbl\">%s:</span> ",
                        TR(L, "Signifikans", "Significance"));
        esc(b, r->significance);
        maal_buf_puts(b, "</div>");
    }
    if (r->verdict == MAAL_WAIVED || r->waiver) {
        maal_buf_printf(b, "<div class=\"sig\"><span class=\"lbl\">%s:</span> ",
                        r->waiver_expired ? TR(L, "Udløbet dispensation", "Expired waiver")
                                          : TR(L, "Dispensation", "Waiver"));
        if (r->verdict == MAAL_WAIVED)
            maal_buf_printf(b, "%s %s. ", TR(L, "dommen var", "the verdict was"),
                            maal_verdict_word(r->waived_verdict, L));
        esc(b, r->waiver);
        maal_buf_puts(b, "</div>");
    }
    /* the cells of CSV tables a number came from (values written in the YAML are not listed:
     * the report is for readers, the data file names them in --format text and json) */
    size_t ncells = 0;
    for (size_t i = 0; i < r->nsources; i++) {
        if (!r->sources[i].file)
            continue;
        if (!ncells++)
            maal_buf_printf(b, "<div class=\"sig\"><span class=\"lbl\">%s:</span> ",
                            TR(L, "Fra tabel", "From table"));
        else
            maal_buf_puts(b, "; ");
        maal_buf_printf(&t, "%s:%d:%d", r->sources[i].file, r->sources[i].line, r->sources[i].col);
        esc_take(b, &t);
        maal_buf_putc(b, ' ');
        esc(b, r->sources[i].what);
    }
    if (ncells)
        maal_buf_puts(b, "</div>");
    if (r->outlook) {
        maal_fmt_outlook(&t, r, L);
        maal_buf_puts(b, "<div class=\"sig outlook\">");
        esc_take(b, &t);
        maal_buf_puts(b, "</div>");
    }
    if (r->cmp && r->cmp != MAAL_CMP_UNCHANGED) {
        maal_fmt_cmp(&t, r, L);
        maal_buf_puts(b, "<div class=\"cmp\"><span class=\"sym\" aria-hidden=\"true\">Δ</span> ");
        esc_take(b, &t);
        maal_buf_puts(b, "</div>");
    }
    if (r->goal->note) {
        maal_buf_puts(b, "<div class=\"note\">");
        esc(b, r->goal->note);
        maal_buf_puts(b, "</div>");
    }
    maal_buf_puts(b, "<div class=\"gid\">");
    esc(b, r->goal->id);
    if (r->goal->rule) {
        maal_buf_puts(b, " · ");
        esc(b, r->goal->rule);
    }
    if (r->rule_origin && strcmp(r->rule_origin, "standard") != 0) {
        /* a rule that is not maal's own says whose it is (a plugin's, the data's, --rules) */
        maal_buf_puts(b, " · <span class=\"rsrc\">");
        if (!strncmp(r->rule_origin, "plugin:", 7)) {
            maal_buf_puts(b, "plugin ");
            esc(b, r->rule_origin + 7);
        } else {
            esc(b, !strcmp(r->rule_origin, "local") ? TR(L, "egen regel", "own rule")
                                                    : r->rule_origin);
        }
        maal_buf_puts(b, ": ");
        esc(b, r->rule_path ? r->rule_path : "?");
        maal_buf_puts(b, "</span>");
    }
    maal_buf_puts(b, "</div></td></tr></tbody>\n");
}

static void goals_head(struct maal_buf *b, enum maal_lang L)
{
    maal_buf_printf(b, "<table class=\"data goals\"><colgroup><col class=\"c-v\"><col>"
                       "<col class=\"c-a\"><col class=\"c-t\"><col class=\"c-c\"></colgroup>"
                       "<thead><tr><th>%s</th><th>%s</th><th class=\"num\">%s</th>"
                       "<th class=\"num\">%s</th><th class=\"num\">%s</th></tr></thead>\n",
                    TR(L, "Vurdering", "Verdict"), TR(L, "Målsætning", "Objective"),
                    TR(L, "Faktisk (år)", "Actual (year)"),
                    TR(L, "Mål / baseline", "Target / baseline"), TR(L, "Ændring", "Change"));
}

static void goals_table(struct hx *h, const char *group)
{
    goals_head(h->b, h->L);
    for (size_t i = 0; i < h->pr->n; i++)
        if (!strcmp(h->pr->r[i].goal->group, group))
            goal_row(h, &h->pr->r[i]);
    maal_buf_puts(h->b, "</table>\n");
}

static size_t group_count(const struct maal_presults *pr, const char *group)
{
    size_t n = 0;
    for (size_t i = 0; i < pr->n; i++)
        n += !strcmp(pr->r[i].goal->group, group);
    return n;
}

static bool has_survey(const struct hx *h)
{
    for (size_t i = 0; i < h->p->nseries; i++) {
        const struct maal_series *s = &h->p->series[i];
        if (s->kind != MAAL_KIND_SURVEY)
            continue;
        for (int sc = 0; sc < MAAL_NSCOPES; sc++)
            if (latest_le(&s->values[sc], h->pr->year))
                return true;
    }
    return false;
}

static bool has_financing_any(const struct maal_partnership *p)
{
    for (size_t i = 0; i < p->nactivities; i++)
        if (has_financing(&p->activities[i]))
            return true;
    return p->budget.n > 0;
}

static bool has_status_any(const struct maal_partnership *p)
{
    for (size_t i = 0; i < p->nactivities; i++)
        if (p->activities[i].status.present)
            return true;
    return false;
}

/* One section per goal group, with the charts and tables that belong to it. */
static void group_section(struct hx *h, size_t gi, int *num)
{
    const char *g = maal_group_order[gi];
    size_t n = group_count(h->pr, g);
    int crime_base, crime_last;
    bool data = false;
    if (!strcmp(g, "tryghed"))
        data = has_survey(h);
    else if (!strcmp(g, "kriminalitet"))
        data = crime_years(h, &crime_base, &crime_last);
    else if (!strcmp(g, "samarbejde"))
        data = h->p->nactivities > 0;
    else if (!strcmp(g, "budget"))
        data = has_financing_any(h->p);
    else if (!strcmp(g, "aktiviteter"))
        data = has_status_any(h->p);
    if (!n && !data)
        return;
    struct maal_buf *b = h->b;
    (*num)++;
    maal_buf_printf(b, "<section class=\"group g-%s\" id=\"%s-s-%s\">\n<h2><span class=\"secno\">"
                       "%d</span>", g, h->pid, g, *num);
    esc(b, maal_group_title(g, h->L));
    if (n)
        maal_buf_printf(b, " <span class=\"count\">%zu %s</span>", n,
                        n == 1 ? TR(h->L, "mål", "goal") : TR(h->L, "mål", "goals"));
    maal_buf_puts(b, "</h2>\n");
    if (n)
        goals_table(h, g);
    if (!strcmp(g, "tryghed")) {
        for (size_t i = 0; i < h->p->nseries; i++) {
            const struct maal_series *s = &h->p->series[i];
            if (s->kind != MAAL_KIND_SURVEY)
                continue;
            const char *note = NULL;
            for (size_t c = 0; c < h->p->nchanges && !note; c++)
                if (h->p->changes[c].affects[MAAL_KIND_SURVEY])
                    note = h->p->changes[c].note;
            if (chart_survey(h, s))
                figure_close(h, s->source, note);
        }
        size_t k = 0;
        for (size_t i = 0; i < h->p->nseries; i++) {
            const struct maal_series *s = &h->p->series[i];
            bool any = false;
            for (int sc = 0; sc < MAAL_NSCOPES; sc++)
                any = any || latest_le(&s->values[sc], h->pr->year);
            if (s->kind != MAAL_KIND_SURVEY || any)
                continue;
            if (k++)
                maal_buf_puts(b, ", ");
            else
                maal_buf_printf(b, "<p class=\"nodata-note\">%s ",
                                TR(h->L, "Ingen måleværdier at vise for:",
                                   "No values to show for:"));
            esc(b, s->name);
        }
        if (k)
            maal_buf_puts(b, ".</p>\n");
    } else if (!strcmp(g, "kriminalitet")) {
        if (data)
            chart_crime(h);
        else
            maal_buf_printf(b, "<p class=\"nodata-note\">%s</p>\n",
                            TR(h->L, "Ingen anmeldelsestal at vise.", "No crime counts to show."));
    } else if (!strcmp(g, "samarbejde")) {
        table_partners(h);
    } else if (!strcmp(g, "budget")) {
        table_financing(h);
        chart_budget(h);
    } else if (!strcmp(g, "aktiviteter")) {
        table_status(h);
    }
    maal_buf_puts(b, "</section>\n");
}

/* ---- title block, summary, notes ------------------------------------------------------- */

static void meta_item(struct maal_buf *b, const char *label, const char *value, bool wide)
{
    if (!value || !*value)
        return;
    maal_buf_printf(b, "<div class=\"mi%s\"><dt>%s</dt><dd>", wide ? " wide" : "", label);
    esc(b, value);
    maal_buf_puts(b, "</dd></div>\n");
}

static void title_block(struct hx *h)
{
    struct maal_buf *b = h->b;
    const struct maal_partnership *p = h->p;
    enum maal_lang L = h->L;
    maal_buf_printf(b, "<header class=\"titleblock\">\n<p class=\"eyebrow\">%s</p>\n<h1>",
                    TR(L, "Statusrapport · Sekretariatet for tryghedspartnerskaberne",
                       "Status report · The safety partnerships' secretariat"));
    maal_buf_printf(b, "%s <span class=\"pname\">", TR(L, "Status på tryghed og kriminalitet for",
                                                    "Status of safety and crime for"));
    esc(b, p->name ? p->name : p->id);
    maal_buf_puts(b, "</span></h1>\n<dl class=\"meta\">\n");
    char buf[64];
    snprintf(buf, sizeof(buf), "%d–%d", p->from, p->to);
    meta_item(b, TR(L, "Aftaleperiode", "Period"), buf, false);
    snprintf(buf, sizeof(buf), "%d", h->pr->year);
    meta_item(b, TR(L, "Dataår", "Data year"), buf, false);
    meta_item(b, TR(L, "Bydel", "District"), p->district, false);
    meta_item(b, TR(L, "Område", "Area"), p->area, true);
    if (p->npartners) {
        struct maal_buf t = MAAL_BUF_INIT;
        for (size_t i = 0; i < p->npartners; i++)
            maal_buf_printf(&t, "%s%s", i ? ", " : "", p->partners[i]);
        meta_item(b, TR(L, "Parter", "Parties"), maal_buf_str(&t), true);
        drop(b, &t);
    }
    meta_item(b, TR(L, "Kilde", "Source"), p->source, true);
    meta_item(b, TR(L, "Datafil", "Data file"), p->file, true);
    maal_buf_puts(b, "</dl>\n</header>\n");
}

static void summary(struct hx *h)
{
    struct maal_buf *b = h->b;
    enum maal_lang L = h->L;
    const struct maal_presults *pr = h->pr;
    maal_buf_printf(b, "<section class=\"summary\" id=\"%s-summary\">\n<h2>%s</h2>\n", h->pid,
                    TR(L, "Sammenfatning", "Summary"));
    maal_buf_printf(b, "<p class=\"lead\">");
    maal_buf_printf(b, TR(L, "%zu mål er vurderet på data til og med %d.",
                          "%zu goals were assessed on data up to %d."), pr->n, pr->year);
    if (pr->counts[MAAL_FAIL])
        maal_buf_printf(b, TR(L, " <strong>%zu er ikke opfyldt</strong> og står først herunder.",
                              " <strong>%zu failed</strong> and are listed first below."),
                        pr->counts[MAAL_FAIL]);
    else
        maal_buf_puts(b, TR(L, " Intet mål er vurderet som ikke opfyldt.", " No goal failed."));
    if (pr->counts[MAAL_NODATA])
        maal_buf_printf(b, TR(L, " %zu mål kan ikke vurderes, fordi data mangler.",
                              " %zu goals cannot be assessed for lack of data."),
                        pr->counts[MAAL_NODATA]);
    maal_buf_puts(b, "</p>\n<ul class=\"tiles\">\n");
    for (size_t k = 0; k < NATTENTION; k++) {
        enum maal_verdict v = tile_order[k];
        if (v == MAAL_WAIVED && !pr->counts[v])
            continue;
        maal_buf_printf(b, "<li class=\"tile t-%s%s\"><span class=\"sym\" aria-hidden=\"true\">"
                           "%s</span><span class=\"n\">%zu</span><span class=\"w\">%s</span>"
                           "</li>\n",
                        vclass(v), pr->counts[v] ? "" : " zero", vsymbol(v), pr->counts[v],
                        maal_verdict_word(v, L));
    }
    maal_buf_printf(b, "</ul>\n<table class=\"data index\"><thead><tr><th class=\"vcol\">%s</th>"
                       "<th>%s</th><th>%s</th></tr></thead>\n<tbody>\n",
                    TR(L, "Vurdering", "Verdict"), TR(L, "Målsætning", "Objective"),
                    TR(L, "Afsnit", "Section"));
    for (size_t k = 0; k < NATTENTION; k++)
        for (size_t i = 0; i < pr->n; i++) {
            const struct maal_result *r = &pr->r[i];
            if (r->verdict != attention_order[k])
                continue;
            maal_buf_printf(b, "<tr class=\"v-%s\"><td>", vclass(r->verdict));
            badge(b, r->verdict, L);
            maal_buf_printf(b, "</td><td><a href=\"#%s-g-", h->pid);
            esc(b, r->goal->id);
            maal_buf_puts(b, "\">");
            esc(b, r->goal->title ? r->goal->title : r->goal->id);
            maal_buf_puts(b, "</a></td><td class=\"muted\">");
            esc(b, maal_group_title(r->goal->group, L));
            maal_buf_puts(b, "</td></tr>\n");
        }
    maal_buf_puts(b, "</tbody></table>\n</section>\n");
}

static void notes(struct hx *h, int *num)
{
    struct maal_buf *b = h->b;
    enum maal_lang L = h->L;
    const struct maal_partnership *p = h->p;
    (*num)++;
    maal_buf_printf(b, "<section class=\"group notes\" id=\"%s-notes\">\n<h2>"
                       "<span class=\"secno\">%d</span>%s</h2>\n", h->pid, *num,
                    TR(L, "Bemærkninger om data", "Notes on the data"));
    maal_buf_printf(b, "<h3>%s</h3>\n", TR(L, "Brud på sammenlignelighed",
                                           "Breaks in comparability"));
    if (!p->nchanges) {
        maal_buf_printf(b, "<p class=\"muted\">%s</p>\n",
                        TR(L, "Området er ikke ændret i data; alle år kan sammenlignes.",
                           "The area did not change in the data; all years are comparable."));
    } else {
        maal_buf_puts(b, "<ul class=\"notelist\">\n");
        for (size_t i = 0; i < p->nchanges; i++) {
            const struct maal_area_change *c = &p->changes[i];
            maal_buf_printf(b, "<li><span class=\"nyear\">%d</span> ", c->year);
            esc(b, c->note);
            maal_buf_printf(b, ". <span class=\"muted\">%s ", TR(L, "Gælder", "Applies to"));
            static const char *const kda[] = {"tryghedsmålinger", "kriminalitetstal",
                                              "andre serier"};
            static const char *const ken[] = {"survey data", "crime figures", "other series"};
            size_t k = 0;
            for (int kind = 0; kind < MAAL_NKINDS; kind++)
                if (c->affects[kind])
                    maal_buf_printf(b, "%s%s", k++ ? ", " : "", TR(L, kda, ken)[kind]);
            maal_buf_printf(b, TR(L, ": værdier før %d sammenlignes ikke med senere.",
                                  ": values before %d are not compared with later ones."),
                            c->year);
            maal_buf_puts(b, "</span></li>\n");
        }
        maal_buf_puts(b, "</ul>\n");
    }
    maal_buf_printf(b, "<h3>%s</h3>\n", TR(L, "Manglende data", "Missing data"));
    size_t nd = h->pr->counts[MAAL_NODATA];
    if (!nd) {
        maal_buf_printf(b, "<p class=\"muted\">%s</p>\n",
                        TR(L, "Alle vurderede mål havde de nødvendige data.",
                           "Every assessed goal had the data it needs."));
    } else {
        maal_buf_printf(b, "<p>%s</p>\n<ul class=\"notelist\">\n",
                        TR(L, "Disse mål kan ikke vurderes, før data foreligger. Manglende data "
                              "tælles aldrig som opfyldt.",
                           "These goals cannot be assessed until the data is there. Missing data "
                           "never counts as a pass."));
        for (size_t i = 0; i < h->pr->n; i++) {
            const struct maal_result *r = &h->pr->r[i];
            if (r->verdict != MAAL_NODATA)
                continue;
            maal_buf_printf(b, "<li><a href=\"#%s-g-", h->pid);
            esc(b, r->goal->id);
            maal_buf_puts(b, "\">");
            esc(b, r->goal->title ? r->goal->title : r->goal->id);
            maal_buf_puts(b, "</a>: <span class=\"muted\">");
            esc(b, r->message);
            maal_buf_puts(b, "</span></li>\n");
        }
        maal_buf_puts(b, "</ul>\n");
    }
    if (h->pr->counts[MAAL_ERROR]) {
        maal_buf_printf(b, "<h3>%s</h3>\n<ul class=\"notelist\">\n",
                        TR(L, "Fejl i regler", "Rule errors"));
        for (size_t i = 0; i < h->pr->n; i++) {
            const struct maal_result *r = &h->pr->r[i];
            if (r->verdict != MAAL_ERROR)
                continue;
            maal_buf_puts(b, "<li><code>");
            esc(b, r->goal->id);
            maal_buf_puts(b, "</code>: ");
            esc(b, r->message);
            maal_buf_puts(b, "</li>\n");
        }
        maal_buf_puts(b, "</ul>\n");
    }
    maal_buf_puts(b, "</section>\n");
}

/* ---- the reporter ------------------------------------------------------------------------ */

/* The stylesheet: core/report_html.css, embedded at build time (build/report_html_css.c). */
extern const char maal_report_html_css[];

static void html_begin(struct maal_report *rp)
{
    struct html_state *st = maal_calloc(1, sizeof(*st));
    if (!st)
        rp->out.oom = true;
    rp->state = st;
}

static void html_partnership(struct maal_report *rp, const struct maal_presults *pr)
{
    struct html_state *st = rp->state;
    if (!st)
        return;
    struct hx h = {.b = &st->body, .L = rp->lang, .pr = pr, .p = pr->p};
    snprintf(h.pid, sizeof(h.pid), "p%zu", rp->npartnerships);
    if (!st->title.len)
        maal_buf_puts(&st->title, pr->p->name ? pr->p->name : pr->p->id);
    /* the overview row */
    struct toc_row *rows = maal_realloc(st->rows, (st->nrows + 1) * sizeof(*rows));
    if (!rows) {
        st->body.oom = true;
        return;
    }
    st->rows = rows;
    struct toc_row *row = &rows[st->nrows++];
    row->name = maal_strdup(pr->p->name ? pr->p->name : "");
    row->id = maal_strdup(pr->p->id ? pr->p->id : "");
    if (!row->name || !row->id)
        st->body.oom = true;
    row->from = pr->p->from;
    row->to = pr->p->to;
    row->year = pr->year;
    memcpy(row->counts, pr->counts, sizeof(row->counts));
    row->hist = NULL;
    row->nhist = 0;
    for (size_t i = 0; i < pr->n; i++)
        st->outlook = st->outlook || pr->r[i].outlook;
    if (pr->n && pr->r[0].history) {
        st->history = true;
        if (!(row->hist = maal_calloc(pr->n, sizeof(*row->hist))))
            st->body.oom = true;
        for (size_t i = 0; row->hist && i < pr->n; i++) {
            const struct maal_result *r = &pr->r[i];
            struct hist_row *hr = &row->hist[row->nhist++];
            hr->goal = maal_strdup(r->goal->id);
            hr->v = maal_malloc(r->nhistory ? r->nhistory : 1);
            if (!hr->goal || !hr->v) {
                st->body.oom = true;
                continue;
            }
            hr->first = r->nhistory ? r->history[0].year : 0;
            hr->n = r->nhistory;
            for (size_t k = 0; k < r->nhistory; k++)
                hr->v[k] = (unsigned char)r->history[k].verdict;
        }
    }

    struct maal_buf *b = h.b;
    maal_buf_printf(b, "<article class=\"partnership\" id=\"%s\" data-partnership=\"", h.pid);
    esc(b, pr->p->id);
    maal_buf_puts(b, "\">\n");
    title_block(&h);
    summary(&h);
    int num = 0;
    for (size_t gi = 0; maal_group_order[gi]; gi++)
        group_section(&h, gi, &num);
    /* goals in a group the table does not know still get a section */
    bool other = false;
    for (size_t i = 0; i < pr->n && !other; i++) {
        bool known_group = false;
        for (size_t gi = 0; maal_group_order[gi]; gi++)
            known_group = known_group || !strcmp(pr->r[i].goal->group, maal_group_order[gi]);
        other = !known_group;
    }
    if (other) {
        num++;
        maal_buf_printf(b, "<section class=\"group\" id=\"%s-s-other\"><h2><span class=\"secno\">"
                           "%d</span>%s</h2>\n", h.pid, num, TR(h.L, "Øvrige mål", "Other goals"));
        goals_head(b, h.L);
        for (size_t i = 0; i < pr->n; i++) {
            bool known_group = false;
            for (size_t gi = 0; maal_group_order[gi]; gi++)
                known_group = known_group || !strcmp(pr->r[i].goal->group, maal_group_order[gi]);
            if (!known_group)
                goal_row(&h, &pr->r[i]);
        }
        maal_buf_puts(b, "</table></section>\n");
    }
    notes(&h, &num);
    maal_buf_puts(b, "</article>\n");
}

/* --history with several partnerships: a row per goal, a column per year, a mark in each cell
 * the goal was judged. */
static void history_grid(struct maal_report *rp, struct html_state *st)
{
    struct maal_buf *b = &rp->out;
    enum maal_lang L = rp->lang;
    int lo = 0, hi = 0;
    for (size_t i = 0; i < st->nrows; i++)
        for (size_t g = 0; g < st->rows[i].nhist; g++) {
            const struct hist_row *hr = &st->rows[i].hist[g];
            if (!hr->n)
                continue;
            if (!lo || hr->first < lo)
                lo = hr->first;
            if (hr->first + (int)hr->n - 1 > hi)
                hi = hr->first + (int)hr->n - 1;
        }
    if (!lo)
        return;
    maal_buf_printf(b, "<table class=\"data histgrid\">\n<caption>%s</caption>\n<thead><tr>"
                       "<th>%s</th><th>%s</th>",
                    TR(L, "Historik: hvert mål vurderet år for år", "History: each goal judged year by year"),
                    TR(L, "Partnerskab", "Partnership"), TR(L, "Mål", "Goal"));
    for (int y = lo; y <= hi; y++)
        maal_buf_printf(b, "<th class=\"num\">%d</th>", y);
    maal_buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < st->nrows; i++)
        for (size_t g = 0; g < st->rows[i].nhist; g++) {
            const struct hist_row *hr = &st->rows[i].hist[g];
            maal_buf_printf(b, "<tr><td><a href=\"#p%zu\">", i + 1);
            esc(b, st->rows[i].id);
            maal_buf_puts(b, "</a></td><td>");
            esc(b, hr->goal);
            maal_buf_puts(b, "</td>");
            for (int y = lo; y <= hi; y++) {
                maal_buf_puts(b, "<td class=\"hcell\">");
                if (hr->n && y >= hr->first && y < hr->first + (int)hr->n)
                    hist_mark(b, y, (enum maal_verdict)hr->v[y - hr->first], L);
                maal_buf_puts(b, "</td>");
            }
            maal_buf_puts(b, "</tr>\n");
        }
    maal_buf_puts(b, "</tbody></table>\n");
}

static void overview(struct maal_report *rp, struct html_state *st)
{
    struct maal_buf *b = &rp->out;
    enum maal_lang L = rp->lang;
    maal_buf_printf(b, "<section class=\"overview-block\">\n<header class=\"titleblock doc-head\">"
                       "<p class=\"eyebrow\">%s</p>\n<h1>%s <span class=\"pname\">",
                    TR(L, "Statusrapport · Sekretariatet for tryghedspartnerskaberne",
                       "Status report · The safety partnerships' secretariat"),
                    TR(L, "Status på tryghed og kriminalitet", "Status of safety and crime"));
    maal_buf_printf(b, TR(L, "%zu partnerskaber", "%zu partnerships"), rp->npartnerships);
    maal_buf_printf(b, "</span></h1></header>\n<table class=\"data overview\">\n<caption>%s"
                       "</caption>\n<colgroup><col class=\"c-pn\"><col class=\"c-per\">"
                       "<col class=\"c-yr\"></colgroup>\n<thead><tr><th>%s</th>"
                       "<th class=\"num\">%s</th><th class=\"num\">%s</th>",
                    TR(L, "Overblik: antal mål pr. vurdering", "Overview: goals by verdict"),
                    TR(L, "Partnerskab", "Partnership"), TR(L, "Periode", "Period"),
                    TR(L, "Dataår", "Data year"));
    for (size_t k = 0; k < NATTENTION; k++) {
        enum maal_verdict v = tile_order[k];
        if (v == MAAL_WAIVED && !rp->totals[v])
            continue;
        maal_buf_printf(b, "<th class=\"cnt\"><span class=\"osym\" aria-hidden=\"true\">%s</span>"
                           "%s</th>", vsymbol(v), maal_verdict_word(v, L));
    }
    maal_buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < st->nrows; i++) {
        const struct toc_row *r = &st->rows[i];
        maal_buf_printf(b, "<tr><td><a href=\"#p%zu\">", i + 1);
        esc(b, r->name && *r->name ? r->name : r->id);
        maal_buf_puts(b, "</a><div class=\"gid\">");
        esc(b, r->id);
        maal_buf_printf(b, "</div></td><td class=\"num\">%d–%d</td><td class=\"num\">%d</td>",
                        r->from, r->to, r->year);
        for (size_t k = 0; k < NATTENTION; k++) {
            enum maal_verdict v = tile_order[k];
            if (v == MAAL_WAIVED && !rp->totals[v])
                continue;
            maal_buf_printf(b, "<td class=\"cnt%s\">%zu</td>", r->counts[v] ? "" : " z",
                            r->counts[v]);
        }
        maal_buf_puts(b, "</tr>\n");
    }
    maal_buf_printf(b, "</tbody>\n<tfoot><tr><td>%s</td><td></td><td></td>",
                    TR(L, "I alt", "Total"));
    for (size_t k = 0; k < NATTENTION; k++) {
        enum maal_verdict v = tile_order[k];
        if (v == MAAL_WAIVED && !rp->totals[v])
            continue;
        maal_buf_printf(b, "<td class=\"cnt\">%zu</td>", rp->totals[v]);
    }
    maal_buf_puts(b, "</tr></tfoot></table>\n");
    if (st->history)
        history_grid(rp, st);
    maal_buf_puts(b, "</section>\n");
}

static void html_end(struct maal_report *rp)
{
    struct html_state *st = rp->state;
    if (!st)
        return;
    struct maal_buf *b = &rp->out;
    enum maal_lang L = rp->lang;
    maal_buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                       "<meta name=\"generator\" content=\"maal %s\">\n<title>",
                    TR(L, "da", "en"), MAAL_VERSION);
    maal_buf_puts(b, TR(L, "Status på tryghed og kriminalitet", "Status of safety and crime"));
    if (rp->npartnerships == 1) {
        maal_buf_puts(b, " – ");
        esc(b, maal_buf_str(&st->title));
    }
    maal_buf_printf(b, "</title>\n<style>\n%s</style>\n", maal_report_html_css);
    if (st->history) /* only with --history: the report without it stays as it was */
        maal_buf_puts(b, "<style>\n"
                         ".hist{display:flex;flex-wrap:wrap;gap:2px;margin-top:.35em}\n"
                         ".hm{display:inline-block;min-width:2.6em;padding:0 2px;border:1px solid;"
                         "border-radius:2px;font-size:7.5pt;line-height:1.25;text-align:center}\n"
                         ".hm small{display:block;font-size:6.5pt}\n"
                         ".hm.v-pass{color:var(--pass);background:#e8f4ec}\n"
                         ".hm.v-fail{color:#fff;background:var(--fail);border-color:var(--fail)}\n"
                         ".hm.v-info{color:var(--info);background:#eef3f9;border-style:dotted}\n"
                         ".hm.v-nodata{color:var(--nodata);background:#fdf5e2;border-style:dashed}\n"
                         ".hm.v-error{color:var(--error);background:#f6ecf9;border-style:double}\n"
                         ".hm.v-waived{color:var(--muted);background:#fff;border-style:dotted}\n"
                         "table.histgrid td.hcell{text-align:center;padding:2px}\n"
                         "</style>\n");
    if (st->outlook) /* likewise only with --outlook */
        maal_buf_puts(b, "<style>\n"
                         "svg .proj{fill:none;stroke-dasharray:3 4;stroke-width:2}\n"
                         "svg .band{fill:#1d3f63;fill-opacity:.12;stroke:none}\n"
                         "svg .proj-l{font-style:italic}\n"
                         "</style>\n");
    maal_buf_puts(b, "</head>\n<body>\n<main>\n");
    if (rp->npartnerships > 1)
        overview(rp, st);
    if (rp->changes && rp->changes->active) {
        struct maal_buf t = MAAL_BUF_INIT;
        maal_fmt_changes(&t, rp->changes, L);
        maal_buf_puts(b, "<p class=\"changes\">");
        esc_take(b, &t);
        maal_buf_puts(b, "</p>\n");
    }
    maal_buf_add(b, st->body.s ? st->body.s : "", st->body.len);
    maal_buf_printf(b, "<footer class=\"colophon\">%s maal %s. %s</footer>\n</main>\n</body>\n"
                       "</html>\n", TR(L, "Lavet med", "Made with"), MAAL_VERSION,
                    TR(L, "Vurderingerne er beregnet af reglerne på de angivne data; ændringer "
                          "er beregnet af maal, ikke afskrevet.",
                       "The verdicts are computed by the rules from the data given; changes are "
                       "computed by maal, not copied."));
    if (st->body.oom || st->title.oom)
        b->oom = true;
    for (size_t i = 0; i < st->nrows; i++) {
        maal_free(st->rows[i].name);
        maal_free(st->rows[i].id);
        for (size_t g = 0; g < st->rows[i].nhist; g++) {
            maal_free(st->rows[i].hist[g].goal);
            maal_free(st->rows[i].hist[g].v);
        }
        maal_free(st->rows[i].hist);
    }
    maal_free(st->rows);
    maal_buf_release(&st->body);
    maal_buf_release(&st->title);
    maal_free(st);
    rp->state = NULL;
}

const struct maal_reporter maal_reporter_html = {"html", html_begin, html_partnership, html_end};
