/* report_html: the secretariat's status report ("Bilag 2") as one self-contained HTML file;
 * its SVG charts are drawn by report_charts.c (report_html.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_html.h"

/* Self-contained on purpose: inline CSS and SVG, no scripts, fonts, images or requests, and
 * nothing that changes between runs (no timestamps), so a report can be diffed and archived. */

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

/* ---- small helpers (and report_html.h's) --------------------------------------------------- */

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

static void table_caption(struct hx *h, const char *title)
{
    h->tab++;
    maal_buf_printf(h->b, "<caption><span class=\"fno\">%s %d</span> ",
                    TR(h->L, "Tabel", "Table"), h->tab);
    esc(h->b, title);
    maal_buf_puts(h->b, "</caption>\n");
}

/* The plan's financing table with the computed column sums next to the stated totals. */
static void table_financing(struct hx *h)
{
    int years[NYEARS];
    size_t ny = maal_html_budget_years(h->p, years, true);
    bool any = false;
    for (size_t i = 0; i < h->p->nactivities; i++)
        any = any || maal_html_has_financing(&h->p->activities[i]);
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
        if (!maal_html_has_financing(a))
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
            maal_html_activity_label(b, a, 200);
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
        if (maal_html_has_financing(&p->activities[i]))
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
        data = maal_html_crime_years(h, &crime_base, &crime_last);
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
            if (maal_html_chart_survey(h, s))
                maal_html_figure_close(h, s->source, note);
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
            maal_html_chart_crime(h);
        else
            maal_buf_printf(b, "<p class=\"nodata-note\">%s</p>\n",
                            TR(h->L, "Ingen anmeldelsestal at vise.", "No crime counts to show."));
    } else if (!strcmp(g, "samarbejde")) {
        table_partners(h);
    } else if (!strcmp(g, "budget")) {
        table_financing(h);
        maal_html_chart_budget(h);
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

/* What a partnership's part brings to the report's end: its overview row, and whether it
 * has histories or outlooks (their style, the history grid). */
struct html_side {
    struct toc_row row;
    bool named; /* the partnership has a name: <title> has it, else its id */
    bool history, outlook;
};

static void row_release(struct toc_row *row)
{
    maal_free(row->name);
    maal_free(row->id);
    for (size_t g = 0; g < row->nhist; g++) {
        maal_free(row->hist[g].goal);
        maal_free(row->hist[g].v);
    }
    maal_free(row->hist);
}

static void side_free(void *side)
{
    struct html_side *sd = side;
    if (sd)
        row_release(&sd->row);
    maal_free(sd);
}

/* The overview row of a partnership; false when out of memory. */
static bool make_row(struct html_side *sd, const struct maal_presults *pr)
{
    struct toc_row *row = &sd->row;
    bool ok = true;
    sd->named = pr->p->name != NULL;
    row->name = maal_strdup(pr->p->name ? pr->p->name : "");
    row->id = maal_strdup(pr->p->id ? pr->p->id : "");
    if (!row->name || !row->id)
        ok = false;
    row->from = pr->p->from;
    row->to = pr->p->to;
    row->year = pr->year;
    memcpy(row->counts, pr->counts, sizeof(row->counts));
    for (size_t i = 0; i < pr->n; i++)
        sd->outlook = sd->outlook || pr->r[i].outlook;
    if (pr->n && pr->r[0].history) {
        sd->history = true;
        if (!(row->hist = maal_calloc(pr->n, sizeof(*row->hist))))
            ok = false;
        for (size_t i = 0; row->hist && i < pr->n; i++) {
            const struct maal_result *r = &pr->r[i];
            struct hist_row *hr = &row->hist[row->nhist++];
            hr->goal = maal_strdup(r->goal->id);
            hr->v = maal_malloc(r->nhistory ? r->nhistory : 1);
            if (!hr->goal || !hr->v) {
                ok = false;
                continue;
            }
            hr->first = r->nhistory ? r->history[0].year : 0;
            hr->n = r->nhistory;
            for (size_t k = 0; k < r->nhistory; k++)
                hr->v[k] = (unsigned char)r->history[k].verdict;
        }
    }
    return ok;
}

/* The section's ordinal ("p1", "p2", ...) is known when the part is added: it is written as
 * "p" and a marker byte, which escaping never lets data write (a C0 control becomes a space). */
#define PID_MARK '\x01'

static void html_part(const struct maal_report *rp, const struct maal_presults *pr,
                      struct maal_part *pt)
{
    struct html_side *sd = maal_calloc(1, sizeof(*sd));
    if (!sd) {
        pt->text.oom = true;
        return;
    }
    pt->side = sd;
    pt->side_free = side_free;
    if (!make_row(sd, pr))
        pt->text.oom = true;
    struct hx h = {.b = &pt->text, .L = rp->lang, .pr = pr, .p = pr->p};
    snprintf(h.pid, sizeof(h.pid), "p%c", PID_MARK);
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
    maal_part_marks_at(pt, PID_MARK);
}

static void html_add_part(struct maal_report *rp, struct maal_part *pt)
{
    struct html_state *st = rp->state;
    struct html_side *sd = pt->side;
    if (!st)
        return;
    if (!sd) {
        st->body.oom = true;
        return;
    }
    if (!st->title.len)
        maal_buf_puts(&st->title, sd->named ? sd->row.name : sd->row.id);
    struct toc_row *rows = maal_realloc(st->rows, (st->nrows + 1) * sizeof(*rows));
    if (!rows) {
        st->body.oom = true;
        return;
    }
    st->rows = rows;
    rows[st->nrows++] = sd->row; /* the row is the report's now */
    memset(&sd->row, 0, sizeof(sd->row));
    st->history = st->history || sd->history;
    st->outlook = st->outlook || sd->outlook;
    maal_part_put(&st->body, pt, rp->npartnerships, 0);
}

static void html_partnership(struct maal_report *rp, const struct maal_presults *pr)
{
    maal_part_now(&maal_reporter_html, rp, pr);
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
    for (size_t i = 0; i < st->nrows; i++)
        row_release(&st->rows[i]);
    maal_free(st->rows);
    maal_buf_release(&st->body);
    maal_buf_release(&st->title);
    maal_free(st);
    rp->state = NULL;
}

const struct maal_reporter maal_reporter_html = {"html",   html_begin, html_partnership,
                                                 html_end, html_part,  html_add_part};
