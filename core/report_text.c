/* report_text: the default terminal report, in Danish unless --lang en. */
#include <string.h>

#include "report.h"

/* Text of several lines (a traceback, what a rule printed), each line indented under the
 * goal: 'first' before the first line, 'rest' before the others. */
static void put_lines(struct maal_buf *b, const char *first, const char *rest, const char *text)
{
    /* each line cleaned on its own (rule text: no control character, no workflow command) */
    char *clean = maal_clean_dup(text, true);
    if (!clean) {
        b->oom = true;
        return;
    }
    for (const char *p = clean; *p;) {
        size_t n = strcspn(p, "\n");
        maal_buf_printf(b, "%s%.*s\n", p == clean ? first : rest, (int)n, p);
        p += n;
        if (*p)
            p++;
    }
    maal_free(clean);
}

static const char *colour(enum maal_verdict v)
{
    static const char *const c[] = {"\033[32m", "\033[31m", "\033[36m", "\033[33m", "\033[1;35m", "\033[34m"};
    return c[v];
}

static const char *symbol(enum maal_verdict v)
{
    static const char *const s[] = {"✓", "✗", "i", "?", "!", "~"};
    return s[v];
}

/* Pad to a display width counting UTF-8 characters, not bytes. */
static size_t display_width(const char *s);

static void pad(struct maal_buf *b, const char *s, size_t width)
{
    size_t w = display_width(s);
    maal_buf_puts(b, s);
    for (; w < width; w++)
        maal_buf_putc(b, ' ');
}

static void text_begin(struct maal_report *rp)
{
    (void)rp;
}

struct widths {
    size_t id, actual, target;
};

static size_t display_width(const char *s)
{
    size_t w = 0;
    for (const char *p = s; *p; p++)
        w += ((unsigned char)*p & 0xC0) != 0x80;
    return w;
}

static void one(const struct maal_report *rp, struct maal_buf *b, const struct maal_presults *pr,
                const struct maal_result *r, const struct widths *w)
{
    enum maal_lang L = rp->lang;
    char word[64];
    snprintf(word, sizeof(word), "%s %s", symbol(r->verdict), maal_verdict_word(r->verdict, L));
    maal_buf_puts(b, "  ");
    if (rp->color)
        maal_buf_puts(b, colour(r->verdict));
    pad(b, word, 15);
    if (rp->color)
        maal_buf_puts(b, "\033[0m");
    pad(b, r->goal->id, w->id);
    maal_buf_putc(b, ' ');
    char year[16] = "";
    if (r->year)
        snprintf(year, sizeof(year), "%d", r->year);
    pad(b, year, 6);
    struct maal_buf v = MAAL_BUF_INIT;
    if (r->has_actual)
        maal_fmt_value(&v, r->actual, r->unit, L);
    pad(b, maal_buf_str(&v), w->actual);
    maal_scratch_release(b, &v);
    struct maal_buf t = MAAL_BUF_INIT;
    maal_fmt_target(&t, r, L);
    pad(b, maal_buf_str(&t), w->target);
    maal_scratch_release(b, &t);
    if (r->has_change) {
        struct maal_buf c = MAAL_BUF_INIT;
        maal_fmt_change(&c, r->change, r->unit, L);
        maal_buf_puts(b, maal_buf_str(&c));
        maal_scratch_release(b, &c);
    }
    while (b->len && b->s[b->len - 1] == ' ')
        b->s[--b->len] = '\0';
    maal_buf_putc(b, '\n');
    maal_buf_printf(b, "  %15s ", "");
    maal_buf_put_clean(b, r->goal->title);
    maal_buf_printf(b, "\n  %15s → ", "");
    maal_buf_put_clean(b, r->message);
    maal_buf_putc(b, '\n');
    if (r->nhistory) {
        maal_buf_printf(b, "  %15s   %s ", "", TR(L, "historik:", "history:"));
        for (size_t i = 0; i < r->nhistory; i++) {
            enum maal_verdict hv = r->history[i].verdict;
            maal_buf_printf(b, "%s%d %s%s%s", i ? "  " : "", r->history[i].year,
                            rp->color ? colour(hv) : "", maal_verdict_symbol(hv),
                            rp->color ? "\033[0m" : "");
        }
        maal_buf_putc(b, '\n');
    }
    if (r->outlook) {
        struct maal_buf o = MAAL_BUF_INIT;
        maal_fmt_outlook(&o, r, L);
        maal_buf_printf(b, "  %15s   ", "");
        maal_buf_put_clean(b, maal_buf_str(&o));
        maal_buf_putc(b, '\n');
        maal_scratch_release(b, &o);
    }
    if (r->cmp && r->cmp != MAAL_CMP_UNCHANGED) {
        struct maal_buf c = MAAL_BUF_INIT;
        maal_fmt_cmp(&c, r, L);
        maal_buf_printf(b, "  %15s   %s\n", "", maal_buf_str(&c));
        maal_scratch_release(b, &c);
    }
    /* the waiver text comes from the data file: cleaned like every other data text */
    if (r->verdict == MAAL_WAIVED) {
        maal_buf_printf(b, "  %15s   %s ", "", TR(L, "dispenseret:", "waived:"));
        maal_buf_put_clean(b, r->waiver);
        maal_buf_printf(b, "; %s: %s\n", TR(L, "uden dispensation", "without the waiver"),
                        maal_verdict_word(r->waived_verdict, L));
    } else if (r->waiver_expired) {
        maal_buf_printf(b, "  %15s   %s ", "", TR(L, "udløbet dispensation:", "expired waiver:"));
        maal_buf_put_clean(b, r->waiver);
        maal_buf_putc(b, '\n');
    }
    if (r->significance) {
        maal_buf_printf(b, "  %15s   ", "");
        maal_buf_put_clean(b, r->significance);
        maal_buf_putc(b, '\n');
    }
    if (r->nsources) {
        /* the first few places here; every one in --format json */
        const size_t shown = rp->verbose ? r->nsources : r->nsources < 6 ? r->nsources : 5;
        /* the paths and what each source names (a table's label, a CSV header) come from the
         * data folder: cleaned like every other data text, so a row label with a line feed
         * cannot start a line (a workflow command) or move the terminal's cursor */
        maal_buf_printf(b, "  %15s   %s ", "", TR(L, "kilder i", "sources in"));
        maal_buf_put_clean(b, pr->p->file);
        maal_buf_putc(b, ':');
        for (size_t i = 0; i < shown; i++) {
            maal_buf_puts(b, i ? ", " : " ");
            if (r->sources[i].file) {
                maal_buf_put_clean(b, r->sources[i].file);
                maal_buf_putc(b, ':');
            }
            maal_buf_printf(b, "%d:%d ", r->sources[i].line, r->sources[i].col);
            maal_buf_put_clean(b, r->sources[i].what);
        }
        if (shown < r->nsources)
            maal_buf_printf(b, TR(L, " og %zu flere", " and %zu more"), r->nsources - shown);
        maal_buf_putc(b, '\n');
    }
    if (rp->verbose && r->trace)
        put_lines(b, "                    ", "                    ", r->trace);
    if (rp->verbose && r->log)
        put_lines(b, "                    log: ", "                         ", r->log);
}

/* A blank line before every partnership but the first (the part's separator). */
static void text_part(const struct maal_report *rp, const struct maal_presults *pr,
                      struct maal_part *pt)
{
    struct maal_buf *b = &pt->text;
    enum maal_lang L = rp->lang;
    const struct maal_partnership *p = pr->p;
    pt->sep = "\n";
    if (rp->color)
        maal_buf_puts(b, "\033[1m");
    maal_buf_put_clean(b, p->name ? p->name : "?");
    maal_buf_printf(b, " (%s)", p->id ? p->id : "?");
    if (rp->color)
        maal_buf_puts(b, "\033[0m");
    maal_buf_puts(b, " — ");
    maal_buf_put_clean(b, p->file);
    maal_buf_printf(b, ", %s %d\n", TR(L, "data til og med", "data up to"), pr->year);
    struct widths w = {4, 6, 6};
    for (size_t i = 0; i < pr->n; i++) {
        const struct maal_result *r = &pr->r[i];
        struct maal_buf t = MAAL_BUF_INIT;
        if (display_width(r->goal->id) > w.id)
            w.id = display_width(r->goal->id);
        if (r->has_actual)
            maal_fmt_value(&t, r->actual, r->unit, L);
        if (display_width(maal_buf_str(&t)) > w.actual)
            w.actual = display_width(maal_buf_str(&t));
        maal_scratch_release(b, &t);
        maal_fmt_target(&t, r, L);
        if (display_width(maal_buf_str(&t)) > w.target)
            w.target = display_width(maal_buf_str(&t));
        maal_scratch_release(b, &t);
    }
    w.actual += 2;
    w.target += 2;
    for (size_t gi = 0; maal_group_order[gi]; gi++) {
        bool any = false;
        for (size_t i = 0; i < pr->n; i++) {
            const struct maal_result *r = &pr->r[i];
            if (strcmp(r->goal->group, maal_group_order[gi]) != 0)
                continue;
            if (!any) {
                maal_buf_printf(b, "\n %s\n", maal_group_title(maal_group_order[gi], L));
                any = true;
            }
            one(rp, b, pr, r, &w);
        }
    }
    maal_buf_printf(b, "\n %s: ", TR(L, "I alt", "Total"));
    maal_buf_printf(b, TR(L, "%zu mål: %zu opfyldt, %zu ikke opfyldt, %zu monitoreret, "
                             "%zu mangler data, %zu fejl, %zu dispenseret\n",
                          "%zu goals: %zu pass, %zu fail, %zu info, %zu no data, %zu error, "
                          "%zu waived\n"),
                    pr->n, pr->counts[MAAL_PASS], pr->counts[MAAL_FAIL], pr->counts[MAAL_INFO],
                    pr->counts[MAAL_NODATA], pr->counts[MAAL_ERROR], pr->counts[MAAL_WAIVED]);
}

static void text_end(struct maal_report *rp)
{
    if (rp->changes && rp->changes->active) {
        maal_buf_putc(&rp->out, '\n');
        maal_fmt_changes(&rp->out, rp->changes, rp->lang);
    }
    if (rp->npartnerships < 2)
        return;
    const size_t *t = rp->totals;
    size_t n = t[0] + t[1] + t[2] + t[3] + t[4] + t[5];
    maal_buf_printf(&rp->out,
                    TR(rp->lang,
                       "\n%zu partnerskaber, %zu mål: %zu opfyldt, %zu ikke opfyldt, "
                       "%zu monitoreret, %zu mangler data, %zu fejl, %zu dispenseret\n",
                       "\n%zu partnerships, %zu goals: %zu pass, %zu fail, %zu info, "
                       "%zu no data, %zu error, %zu waived\n"),
                    rp->npartnerships, n, t[0], t[1], t[2], t[3], t[4], t[5]);
}

static void text_partnership(struct maal_report *rp, const struct maal_presults *pr)
{
    maal_part_now(&maal_reporter_text, rp, pr);
}

const struct maal_reporter maal_reporter_text = {"text", text_begin, text_partnership, text_end,
                                                 text_part, NULL};
