/* report_markdown: the status report as Markdown, for a pull request or a wiki page. */
#include <string.h>

#include "report.h"

/* The same structure as the HTML report (title, summary, a section per goal group, notes),
 * with text sparklines where the HTML report has charts. */

static void md_cell(struct maal_buf *b, const char *s)
{
    for (; s && *s; s++) {
        /* '\r' is a line end to CommonMark, like '\n': with every other control character it
         * becomes a space, so text from data cannot start a heading, a list or a link. '&' is
         * escaped too: CommonMark decodes an entity ("&#x202E;", "&#8238;") into the character
         * it names, which let a bidi override into the rendered page; '$' starts GitHub's
         * math, which typesets the data's text as TeX */
        size_t n = maal_unsafe_char(s);
        if (n) {
            maal_buf_putc(b, ' ');
            s += n - 1;
            continue;
        }
        if (*s == '|' || *s == '\\' || *s == '*' || *s == '_' || *s == '`' || *s == '<' ||
            *s == '>' || *s == '[' || *s == ']' || *s == '&' || *s == '$')
            maal_buf_putc(b, '\\');
        n = maal_char_len(s);
        maal_buf_add(b, s, n);
        s += n - 1;
    }
}

void maal_md_escape(struct maal_buf *b, const char *s)
{
    md_cell(b, s);
}

/* md_cell of what a formatter wrote into 't', then empty it. */
static void md_take(struct maal_buf *b, struct maal_buf *t)
{
    md_cell(b, maal_buf_str(t));
    if (t->oom)
        b->oom = true; /* running out in the scratch buffer is running out */
    maal_buf_release(t);
}

static const char *md_symbol(enum maal_verdict v)
{
    switch (v) {
    case MAAL_PASS: return "✅";
    case MAAL_FAIL: return "❌";
    case MAAL_INFO: return "ℹ️";
    case MAAL_NODATA: return "❔";
    case MAAL_ERROR: return "⚠️";
    case MAAL_WAIVED: return "🔕";
    default: return "·";
    }
}

/* What needs attention first. */
static const enum maal_verdict md_order[] = {MAAL_FAIL, MAAL_ERROR, MAAL_NODATA, MAAL_WAIVED,
                                             MAAL_PASS, MAAL_INFO};
#define MD_NORDER (sizeof(md_order) / sizeof(md_order[0]))

static void md_begin(struct maal_report *rp)
{
    (void)rp;
}

static void goal_table(struct maal_buf *b, const struct maal_presults *pr, const char *group,
                       enum maal_lang L)
{
    bool history = pr->n && pr->r[0].history; /* --history: a column with each goal's years */
    maal_buf_printf(b, "| %s | %s | %s | %s | %s | %s | %s |%s%s%s\n|---|---|---|---:|---:|---:|---|%s\n",
                    TR(L, "Dom", "Verdict"), TR(L, "Mål", "Goal"), TR(L, "År", "Year"),
                    TR(L, "Faktisk", "Actual"), TR(L, "Mål/baseline", "Target/baseline"),
                    TR(L, "Ændring", "Change"), TR(L, "Forklaring", "Explanation"),
                    history ? " " : "", history ? TR(L, "Historik", "History") : "",
                    history ? " |" : "", history ? "---|" : "");
    for (size_t i = 0; i < pr->n; i++) {
        const struct maal_result *r = &pr->r[i];
        if (group ? strcmp(r->goal->group, group) != 0 : false)
            continue;
        struct maal_buf t = MAAL_BUF_INIT;
        maal_buf_printf(b, "| %s %s | ", md_symbol(r->verdict), maal_verdict_word(r->verdict, L));
        md_cell(b, r->goal->title);
        maal_buf_printf(b, " `%s` | ", r->goal->id);
        if (r->year)
            maal_buf_printf(b, "%d", r->year);
        maal_buf_puts(b, " | ");
        if (r->has_actual)
            maal_fmt_value(&t, r->actual, r->unit, L);
        md_take(b, &t);
        maal_buf_puts(b, " | ");
        maal_fmt_target(&t, r, L);
        md_take(b, &t);
        maal_buf_puts(b, " | ");
        if (r->has_change)
            maal_fmt_change(&t, r->change, r->unit, L);
        md_take(b, &t);
        maal_buf_puts(b, " | ");
        md_cell(b, r->message);
        if (r->significance) {
            maal_buf_printf(b, " (%s: ", TR(L, "signifikans", "significance"));
            md_cell(b, r->significance);
            maal_buf_putc(b, ')');
        }
        if (r->outlook) { /* --outlook: "prognose 2024: 14 % (11–17 %), på vej" */
            maal_buf_puts(b, " (");
            maal_fmt_outlook(&t, r, L);
            md_take(b, &t);
            maal_buf_putc(b, ')');
        }
        if (r->waiver) {
            maal_buf_printf(b, " (%s: ", TR(L, "dispensation", "waiver"));
            md_cell(b, r->waiver);
            if (r->verdict == MAAL_WAIVED)
                maal_buf_printf(b, "; %s: %s", TR(L, "uden dispensation", "without the waiver"),
                                maal_verdict_word(r->waived_verdict, L));
            maal_buf_putc(b, ')');
        }
        if (r->cmp && r->cmp != MAAL_CMP_UNCHANGED) {
            maal_buf_puts(b, " **");
            maal_fmt_cmp(&t, r, L);
            md_take(b, &t);
            maal_buf_puts(b, "**");
        }
        if (history) {
            maal_buf_puts(b, " | ");
            maal_fmt_history(&t, r);
            md_take(b, &t);
        }
        maal_buf_puts(b, " |\n");
    }
    maal_buf_putc(b, '\n');
}

/* One of the groups with a section of its own (else the goal is under "Øvrige mål"). */
static bool group_known(const char *group)
{
    for (size_t gi = 0; maal_group_order[gi]; gi++)
        if (!strcmp(group, maal_group_order[gi]))
            return true;
    return false;
}

/* A source's place, "file:line:col", as a code span, so the place reads apart from what it
 * names; a path a code span cannot hold as it is (a backtick, a blank at an end, an unsafe
 * character) or that has a '$' or '&' (literal in a code span, but GitHub's math and entity
 * handling are not to be trusted with it) is escaped as a cell instead. */
static void md_place(struct maal_buf *b, const char *file, int line, int col)
{
    bool plain = !*file || file[0] == ' ' || file[strlen(file) - 1] == ' ';
    for (const char *s = file; *s && !plain; s++)
        plain = *s == '`' || *s == '$' || *s == '&' || maal_unsafe_char(s);
    if (plain) {
        md_cell(b, file);
        maal_buf_printf(b, ":%d:%d", line, col);
    } else {
        maal_buf_printf(b, "`%s:%d:%d`", file, line, col);
    }
}

/* Under a goal table (a line under a row would be read as another row, and a column would
 * make the table too wide to read): each goal's sources, the first five and how many more
 * (every one with --verbose), as the text report has them; a YAML source is in 'file'. */
static void source_list(struct maal_buf *b, const struct maal_presults *pr, const char *group,
                        bool verbose, enum maal_lang L)
{
    bool any = false;
    for (size_t i = 0; i < pr->n; i++) {
        const struct maal_result *r = &pr->r[i];
        if (!r->nsources || (group ? strcmp(r->goal->group, group) != 0
                                   : group_known(r->goal->group)))
            continue;
        if (!any)
            maal_buf_printf(b, "%s\n\n", TR(L, "Kilder (fil:linje:kolonne):",
                                             "Sources (file:line:col):"));
        any = true;
        const size_t shown = verbose ? r->nsources : r->nsources < 6 ? r->nsources : 5;
        maal_buf_printf(b, "- `%s`: ", r->goal->id);
        for (size_t k = 0; k < shown; k++) {
            const struct maal_source *src = &r->sources[k];
            if (k)
                maal_buf_puts(b, " · ");
            md_place(b, src->file ? src->file : pr->p->file, src->line, src->col);
            maal_buf_putc(b, ' ');
            md_cell(b, src->what);
        }
        if (shown < r->nsources)
            maal_buf_printf(b, TR(L, " og %zu flere", " and %zu more"), r->nsources - shown);
        maal_buf_putc(b, '\n');
    }
    if (any)
        maal_buf_putc(b, '\n');
}

static bool area_break(const struct maal_partnership *p, enum maal_kind k, int y1, int y2)
{
    for (size_t i = 0; i < p->nchanges; i++)
        if (p->changes[i].affects[k] && y1 < p->changes[i].year && p->changes[i].year <= y2)
            return true;
    return false;
}

static bool scope_has_values(const struct maal_yearmap *m, int year)
{
    for (size_t i = 0; i < m->n; i++)
        if (!m->v[i].unknown && m->v[i].year <= year)
            return true;
    return false;
}

/* One row per series and scope: a sparkline scaled to the series' range over every scope, so
 * the area's line and the city's can be compared; '┊' marks a break in comparability. */
static void spark_table(struct maal_buf *b, const struct maal_presults *pr, enum maal_kind kind,
                        enum maal_lang L)
{
    static const char *const bars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    static const char *const sda[] = {"området", "bydelen", "hele byen"};
    static const char *const sen[] = {"area", "district", "city"};
    const struct maal_partnership *p = pr->p;
    bool header = false;
    for (size_t i = 0; i < p->nseries; i++) {
        const struct maal_series *s = &p->series[i];
        if (s->kind != kind)
            continue;
        double lo = 0, hi = 0;
        bool any = false;
        for (int sc = 0; sc < MAAL_NSCOPES; sc++)
            for (size_t k = 0; k < s->values[sc].n; k++) {
                const struct maal_yearval *v = &s->values[sc].v[k];
                if (v->unknown || v->year > pr->year)
                    continue;
                if (!any || v->v < lo)
                    lo = v->v;
                if (!any || v->v > hi)
                    hi = v->v;
                any = true;
            }
        if (!any)
            continue;
        if (!header) {
            maal_buf_printf(b, "| %s | %s | %s | %s |\n|---|---|---|---|\n",
                            TR(L, "Serie", "Series"), TR(L, "Niveau", "Scope"),
                            TR(L, "Forløb", "Trend"), TR(L, "Værdier", "Values"));
            header = true;
        }
        for (int sc = 0; sc < MAAL_NSCOPES; sc++) {
            const struct maal_yearmap *m = &s->values[sc];
            if (!scope_has_values(m, pr->year))
                continue;
            maal_buf_puts(b, "| ");
            md_cell(b, s->name);
            maal_buf_printf(b, " | %s | `", TR(L, sda, sen)[sc]);
            int prev = 0;
            for (size_t k = 0; k < m->n; k++) {
                const struct maal_yearval *v = &m->v[k];
                if (v->unknown || v->year > pr->year)
                    continue;
                if (prev && area_break(p, kind, prev, v->year))
                    maal_buf_puts(b, "┊");
                int idx = hi > lo ? (int)((v->v - lo) / (hi - lo) * 7 + 0.5) : 3;
                maal_buf_puts(b, bars[idx < 0 ? 0 : idx > 7 ? 7 : idx]);
                prev = v->year;
            }
            maal_buf_puts(b, "` | ");
            prev = 0;
            for (size_t k = 0; k < m->n; k++) {
                const struct maal_yearval *v = &m->v[k];
                if (v->unknown || v->year > pr->year)
                    continue;
                if (prev)
                    maal_buf_puts(b, area_break(p, kind, prev, v->year) ? " ┊ " : " · ");
                struct maal_buf t = MAAL_BUF_INIT;
                maal_buf_printf(&t, "%d: ", v->year);
                maal_fmt_value(&t, v->v, maal_unit_names[s->unit], L);
                md_take(b, &t);
                prev = v->year;
            }
            maal_buf_puts(b, " |\n");
        }
    }
    if (header) {
        maal_buf_putc(b, '\n');
        bool brk = false;
        for (size_t c = 0; c < p->nchanges; c++)
            brk = brk || p->changes[c].affects[kind];
        if (brk)
            maal_buf_printf(b, "%s\n\n", TR(L, "┊ = området er ændret; værdierne på hver side kan "
                                               "ikke sammenlignes.",
                                            "┊ = the area changed; the values on either side "
                                            "cannot be compared."));
    }
}

/* Per year: the computed sum of the rows next to the stated total. */
static void budget_table(struct maal_buf *b, const struct maal_partnership *p, enum maal_lang L)
{
    int years[64];
    size_t ny = 0;
    for (size_t i = 0; i < p->nactivities; i++)
        for (size_t k = 0; k < p->activities[i].financing.n; k++) {
            int y = p->activities[i].financing.v[k].year;
            size_t j = 0;
            while (j < ny && years[j] != y)
                j++;
            if (j == ny && ny < 64)
                years[ny++] = y;
        }
    if (!ny)
        return;
    for (size_t i = 1; i < ny; i++) /* few years: insertion sort */
        for (size_t j = i; j > 0 && years[j - 1] > years[j]; j--) {
            int t = years[j];
            years[j] = years[j - 1];
            years[j - 1] = t;
        }
    maal_buf_printf(b, "| %s | %s | %s | %s |\n|---|---:|---:|---:|\n", TR(L, "År", "Year"),
                    TR(L, "Sum af rækkerne", "Sum of the rows"),
                    TR(L, "Angivet sum", "Stated total"), TR(L, "Difference", "Difference"));
    bool any_unknown = false;
    for (size_t c = 0; c < ny; c++) {
        double sum = 0;
        size_t unknown = 0;
        for (size_t i = 0; i < p->nactivities; i++) {
            const struct maal_yearval *v = maal_yearmap_get(&p->activities[i].financing, years[c]);
            if (v && v->unknown)
                unknown++;
            else if (v)
                sum += v->v;
        }
        const struct maal_yearval *st = maal_yearmap_get(&p->budget, years[c]);
        struct maal_buf t = MAAL_BUF_INIT;
        maal_buf_printf(b, "| %d | ", years[c]);
        maal_fmt_value(&t, sum, "kr", L);
        if (unknown) {
            maal_buf_printf(&t, " (%zu × ?)", unknown);
            any_unknown = true;
        }
        md_take(b, &t);
        maal_buf_puts(b, " | ");
        if (st && !st->unknown)
            maal_fmt_value(&t, st->v, "kr", L);
        md_take(b, &t);
        maal_buf_puts(b, " | ");
        if (st && !st->unknown && !unknown)
            maal_fmt_change(&t, sum - st->v, "kr", L);
        else if (st && !st->unknown)
            maal_buf_puts(&t, "?");
        md_take(b, &t);
        maal_buf_puts(b, " |\n");
    }
    maal_buf_putc(b, '\n');
    if (any_unknown)
        maal_buf_printf(b, "%s\n\n", TR(L, "'?' = finansieringen er ikke besluttet; de rækker er "
                                           "udeladt af summen, og differencen beregnes ikke.",
                                        "'?' = financing not decided; those rows are left out "
                                        "of the sum, and no difference is computed."));
}

/* Activities that do not run as planned or report concerns. */
static void status_list(struct maal_buf *b, const struct maal_partnership *p, enum maal_lang L)
{
    size_t n = 0;
    for (size_t i = 0; i < p->nactivities; i++) {
        const struct maal_activity *a = &p->activities[i];
        const struct maal_act_status *st = &a->status;
        if (!st->present)
            continue;
        bool ok = st->as_planned && !strcmp(st->as_planned, "yes");
        if (ok && !st->concerns)
            continue;
        if (!n++)
            maal_buf_printf(b, "%s\n\n",
                            TR(L, "Midtvejsstatus, aktiviteter der kræver opmærksomhed:",
                               "Midway status, activities that need attention:"));
        maal_buf_puts(b, "- **");
        md_cell(b, a->name);
        maal_buf_puts(b, "**");
        if (a->number > 0)
            maal_buf_printf(b, " (%s %ld)", TR(L, "nr.", "no."), a->number);
        maal_buf_puts(b, ": ");
        const char *ap = st->as_planned ? st->as_planned : "";
        maal_buf_puts(b, !strcmp(ap, "no") ? TR(L, "kører ikke som planlagt", "not as planned")
                         : !strcmp(ap, "partly") ? TR(L, "kører delvist som planlagt",
                                                      "partly as planned")
                         : TR(L, "kører som planlagt", "as planned"));
        if (st->concerns) {
            maal_buf_printf(b, "; %s: ", TR(L, "bekymring", "concern"));
            md_cell(b, st->concerns);
        }
        if (st->adjustments) {
            maal_buf_printf(b, "; %s: ", TR(L, "justering", "adjustment"));
            md_cell(b, st->adjustments);
        }
        maal_buf_putc(b, '\n');
    }
    if (n)
        maal_buf_putc(b, '\n');
}

static void md_part(const struct maal_report *rp, const struct maal_presults *pr,
                    struct maal_part *pt)
{
    struct maal_buf *b = &pt->text;
    enum maal_lang L = rp->lang;
    const struct maal_partnership *p = pr->p;
    /* title block */
    maal_buf_puts(b, "## ");
    md_cell(b, p->name);
    maal_buf_printf(b, " (%s %d)\n\n", TR(L, "data til og med", "data up to"), pr->year);
    maal_buf_printf(b, "%s · %s %d–%d", TR(L, "Status på tryghed og kriminalitet",
                                          "Status of safety and crime"),
                    TR(L, "periode", "period"), p->from, p->to);
    if (p->district) {
        maal_buf_printf(b, " · %s ", TR(L, "bydel", "district"));
        md_cell(b, p->district);
    }
    maal_buf_puts(b, "  \n");
    if (p->area) {
        maal_buf_printf(b, "%s: ", TR(L, "Område", "Area"));
        md_cell(b, p->area);
        maal_buf_puts(b, "  \n");
    }
    if (p->source) {
        maal_buf_printf(b, "%s: ", TR(L, "Kilde", "Source"));
        md_cell(b, p->source);
        maal_buf_putc(b, '\n');
    }
    maal_buf_putc(b, '\n');
    /* summary */
    maal_buf_printf(b, "### %s\n\n%s: ", TR(L, "Sammenfatning", "Summary"),
                    TR(L, "I alt", "Total"));
    for (int v = 0; v < MAAL_NVERDICTS; v++)
        maal_buf_printf(b, "%s%zu %s", v ? ", " : "", pr->counts[v],
                        maal_verdict_word((enum maal_verdict)v, L));
    maal_buf_puts(b, "\n\n");
    maal_buf_printf(b, "| %s | %s | %s |\n|---|---|---|\n", TR(L, "Dom", "Verdict"),
                    TR(L, "Mål", "Goal"), TR(L, "Afsnit", "Section"));
    for (size_t k = 0; k < MD_NORDER; k++)
        for (size_t i = 0; i < pr->n; i++) {
            const struct maal_result *r = &pr->r[i];
            if (r->verdict != md_order[k])
                continue;
            maal_buf_printf(b, "| %s %s | ", md_symbol(r->verdict),
                            maal_verdict_word(r->verdict, L));
            md_cell(b, r->goal->title);
            maal_buf_puts(b, " | ");
            md_cell(b, maal_group_title(r->goal->group, L));
            maal_buf_puts(b, " |\n");
        }
    maal_buf_putc(b, '\n');
    /* a section per group */
    int num = 0;
    for (size_t gi = 0; maal_group_order[gi]; gi++) {
        const char *g = maal_group_order[gi];
        size_t n = 0;
        for (size_t i = 0; i < pr->n; i++)
            n += !strcmp(pr->r[i].goal->group, g);
        if (!n)
            continue;
        maal_buf_printf(b, "### %d. %s\n\n", ++num, maal_group_title(g, L));
        goal_table(b, pr, g, L);
        source_list(b, pr, g, rp->verbose, L);
        if (!strcmp(g, "tryghed"))
            spark_table(b, pr, MAAL_KIND_SURVEY, L);
        else if (!strcmp(g, "kriminalitet"))
            spark_table(b, pr, MAAL_KIND_CRIME, L);
        else if (!strcmp(g, "budget"))
            budget_table(b, p, L);
        else if (!strcmp(g, "aktiviteter"))
            status_list(b, p, L);
    }
    bool other = false;
    for (size_t i = 0; i < pr->n; i++) {
        if (group_known(pr->r[i].goal->group))
            continue;
        if (!other) {
            maal_buf_printf(b, "### %d. %s\n\n", ++num, TR(L, "Øvrige mål", "Other goals"));
            maal_buf_printf(b, "| %s | %s | %s | %s | %s | %s | %s |\n"
                               "|---|---|---|---:|---:|---:|---|\n",
                            TR(L, "Dom", "Verdict"), TR(L, "Mål", "Goal"), TR(L, "År", "Year"),
                            TR(L, "Faktisk", "Actual"), TR(L, "Mål/baseline", "Target/baseline"),
                            TR(L, "Ændring", "Change"), TR(L, "Forklaring", "Explanation"));
            other = true;
        }
        const struct maal_result *r = &pr->r[i];
        maal_buf_printf(b, "| %s %s | ", md_symbol(r->verdict), maal_verdict_word(r->verdict, L));
        md_cell(b, r->goal->title);
        maal_buf_puts(b, " | | | | | ");
        md_cell(b, r->message);
        maal_buf_puts(b, " |\n");
    }
    if (other) {
        maal_buf_putc(b, '\n');
        source_list(b, pr, NULL, rp->verbose, L);
    }
    /* notes */
    bool nodata = pr->counts[MAAL_NODATA] > 0;
    if (p->nchanges || nodata) {
        maal_buf_printf(b, "### %s\n\n", TR(L, "Bemærkninger om data", "Notes on the data"));
        for (size_t i = 0; i < p->nchanges; i++) {
            maal_buf_printf(b, "- %s %d: ",
                            TR(L, "Brud på sammenlignelighed", "Comparability break"),
                            p->changes[i].year);
            md_cell(b, p->changes[i].note);
            maal_buf_putc(b, '\n');
        }
        for (size_t i = 0; i < pr->n; i++) {
            const struct maal_result *r = &pr->r[i];
            if (r->verdict != MAAL_NODATA)
                continue;
            maal_buf_printf(b, "- %s `%s`: ", TR(L, "Mangler data", "No data"), r->goal->id);
            md_cell(b, r->message);
            maal_buf_putc(b, '\n');
        }
        maal_buf_putc(b, '\n');
    }
}

static void md_end(struct maal_report *rp)
{
    if (rp->changes && rp->changes->active) {
        maal_buf_puts(&rp->out, "### ");
        maal_buf_puts(&rp->out, TR(rp->lang, "Ændringer", "Changes"));
        maal_buf_puts(&rp->out, "\n\n");
        struct maal_buf t = MAAL_BUF_INIT;
        maal_fmt_changes(&t, rp->changes, rp->lang);
        md_take(&rp->out, &t);
        maal_buf_puts(&rp->out, "\n");
    }
}

static void md_partnership(struct maal_report *rp, const struct maal_presults *pr)
{
    maal_part_now(&maal_reporter_markdown, rp, pr);
}

const struct maal_reporter maal_reporter_markdown = {"markdown", md_begin, md_partnership,
                                                     md_end,     md_part,  NULL};
