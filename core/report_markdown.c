/* report_markdown: a table per partnership, fit for a pull request or a report. */
#include <string.h>

#include "report.h"

static void md_cell(struct maal_buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|' || *s == '\\' || *s == '*' || *s == '_' || *s == '`' || *s == '<' ||
            *s == '>' || *s == '[' || *s == ']')
            maal_buf_putc(b, '\\');
        maal_buf_putc(b, *s == '\n' ? ' ' : *s);
    }
}

static const char *md_symbol(enum maal_verdict v)
{
    static const char *const s[] = {"✅", "❌", "ℹ️", "❔", "⚠️", "🔕"};
    return s[v];
}

static void md_begin(struct maal_report *rp)
{
    (void)rp;
}

static void md_partnership(struct maal_report *rp, const struct maal_presults *pr)
{
    struct maal_buf *b = &rp->out;
    enum maal_lang L = rp->lang;
    maal_buf_puts(b, "## ");
    md_cell(b, pr->p->name);
    maal_buf_printf(b, " (%s %d)\n\n", TR(L, "data til og med", "data up to"), pr->year);
    maal_buf_printf(b, "%s: ", TR(L, "I alt", "Total"));
    for (int v = 0; v < MAAL_NVERDICTS; v++)
        maal_buf_printf(b, "%s%zu %s", v ? ", " : "", pr->counts[v],
                        maal_verdict_word((enum maal_verdict)v, L));
    maal_buf_puts(b, "\n\n");
    maal_buf_printf(b, "| %s | %s | %s | %s | %s | %s | %s |\n|---|---|---|---:|---:|---:|---|\n",
                    TR(L, "Dom", "Verdict"), TR(L, "Mål", "Goal"), TR(L, "År", "Year"),
                    TR(L, "Faktisk", "Actual"), TR(L, "Mål/baseline", "Target/baseline"),
                    TR(L, "Ændring", "Change"), TR(L, "Forklaring", "Explanation"));
    for (size_t gi = 0; maal_group_order[gi]; gi++)
        for (size_t i = 0; i < pr->n; i++) {
            const struct maal_result *r = &pr->r[i];
            if (strcmp(r->goal->group, maal_group_order[gi]) != 0)
                continue;
            maal_buf_printf(b, "| %s %s | ", md_symbol(r->verdict), maal_verdict_word(r->verdict, L));
            md_cell(b, r->goal->title);
            maal_buf_puts(b, " | ");
            if (r->year)
                maal_buf_printf(b, "%d", r->year);
            maal_buf_puts(b, " | ");
            struct maal_buf t = MAAL_BUF_INIT;
            if (r->has_actual)
                maal_fmt_value(&t, r->actual, r->unit, L);
            md_cell(b, maal_buf_str(&t));
            maal_buf_release(&t);
            maal_buf_puts(b, " | ");
            maal_fmt_target(&t, r, L);
            md_cell(b, maal_buf_str(&t));
            maal_buf_release(&t);
            maal_buf_puts(b, " | ");
            if (r->has_change)
                maal_fmt_change(&t, r->change, r->unit, L);
            md_cell(b, maal_buf_str(&t));
            maal_buf_release(&t);
            maal_buf_puts(b, " | ");
            md_cell(b, r->message);
            if (r->cmp && r->cmp != MAAL_CMP_UNCHANGED) {
                maal_buf_puts(b, " **");
                maal_fmt_cmp(&t, r, L);
                md_cell(b, maal_buf_str(&t));
                maal_buf_release(&t);
                maal_buf_puts(b, "**");
            }
            maal_buf_puts(b, " |\n");
        }
    maal_buf_putc(b, '\n');
}

static void md_end(struct maal_report *rp)
{
    if (rp->changes && rp->changes->active) {
        maal_buf_puts(&rp->out, "### ");
        maal_buf_puts(&rp->out, TR(rp->lang, "Ændringer", "Changes"));
        maal_buf_puts(&rp->out, "\n\n");
        struct maal_buf t = MAAL_BUF_INIT;
        maal_fmt_changes(&t, rp->changes, rp->lang);
        md_cell(&rp->out, maal_buf_str(&t));
        maal_buf_release(&t);
        maal_buf_puts(&rp->out, "\n");
    }
}

const struct maal_reporter maal_reporter_markdown = {"markdown", md_begin, md_partnership, md_end};
