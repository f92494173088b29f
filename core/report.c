/* report: the reporter table and what every reporter shares (words, units, escaping). */
#include "outlook.h"
#include "report.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

void maal_report_fail(struct maal_report *rp, const char *fmt, ...)
{
    struct maal_buf b = MAAL_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    maal_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (!b.oom)
        maal_diags_add(&rp->diags, MAAL_SEV_ERROR, rp->lua_path ? rp->lua_path : "", 0, 0, "%s",
                       maal_buf_str(&b));
    if (b.oom || rp->diags.oom)
        rp->out.oom = true;
    maal_buf_release(&b);
}

const char *maal_report_error(const struct maal_report *rp)
{
    for (size_t i = 0; i < rp->diags.n; i++)
        if (rp->diags.v[i].sev == MAAL_SEV_ERROR)
            return rp->diags.v[i].msg;
    return NULL;
}

void maal_part_mark(struct maal_part *pt)
{
    if (pt->nmarks == pt->cap) {
        size_t cap = pt->cap ? 2 * pt->cap : 16;
        size_t *m = maal_realloc(pt->marks, cap * sizeof(*m));
        if (!m) {
            pt->text.oom = true;
            return;
        }
        pt->marks = m;
        pt->cap = cap;
    }
    pt->marks[pt->nmarks++] = pt->text.len;
}

void maal_part_marks_at(struct maal_part *pt, char marker)
{
    char *s = pt->text.s, *end = s + pt->text.len;
    char *m = s ? memchr(s, marker, pt->text.len) : NULL;
    if (!m)
        return;
    char *w = m; /* the text without the markers is written back from here */
    while (m) {
        pt->text.len = (size_t)(w - s); /* the mark's offset in the text without the markers */
        maal_part_mark(pt);
        char *next = memchr(m + 1, marker, (size_t)(end - m - 1));
        size_t n = (size_t)((next ? next : end) - (m + 1));
        memmove(w, m + 1, n);
        w += n;
        m = next;
    }
    pt->text.len = (size_t)(w - s);
    *w = '\0';
}

void maal_part_put(struct maal_buf *b, const struct maal_part *pt, size_t first, size_t step)
{
    if (pt->text.oom)
        b->oom = true;
    if (!pt->text.s)
        return; /* nothing, or nothing kept */
    size_t at = 0;
    for (size_t k = 0; k < pt->nmarks; k++) {
        maal_buf_add(b, pt->text.s + at, pt->marks[k] - at);
        char d[24];
        size_t n = maal_digits(d + sizeof(d), first + k * step, 1);
        maal_buf_add(b, d + sizeof(d) - n, n);
        at = pt->marks[k];
    }
    maal_buf_add(b, pt->text.s + at, pt->text.len - at);
}

void maal_part_release(struct maal_part *pt)
{
    maal_buf_release(&pt->text);
    maal_free(pt->marks);
    if (pt->side_free)
        pt->side_free(pt->side);
    memset(pt, 0, sizeof(*pt));
}

void maal_part_apply(const struct maal_reporter *rep, struct maal_report *rp,
                     struct maal_part *pt)
{
    if (rep->add_part) {
        rep->add_part(rp, pt);
    } else {
        if (rp->npartnerships > 1 && pt->sep)
            maal_buf_puts(&rp->out, pt->sep);
        maal_part_put(&rp->out, pt, rp->npartnerships, 0);
    }
    if (pt->text.oom)
        rp->out.oom = true;
}

void maal_part_now(const struct maal_reporter *rep, struct maal_report *rp,
                   const struct maal_presults *pr)
{
    struct maal_part pt = {.text = MAAL_BUF_INIT};
    rep->part(rp, pr, &pt);
    maal_part_apply(rep, rp, &pt);
    maal_part_release(&pt);
}

const struct maal_reporter *maal_reporter_find(const char *name)
{
    static const struct maal_reporter *const all[] = {
        &maal_reporter_text, &maal_reporter_json,     &maal_reporter_junit,
        &maal_reporter_tap,  &maal_reporter_markdown, &maal_reporter_github,
        &maal_reporter_html,  &maal_reporter_xlsx, NULL};
    for (size_t i = 0; all[i]; i++)
        if (strcmp(all[i]->name, name) == 0)
            return all[i];
    return NULL;
}

const char *maal_verdict_word(enum maal_verdict v, enum maal_lang lang)
{
    static const char *const da[] = {"opfyldt", "ikke opfyldt", "monitoreret", "mangler data",
                                     "fejl", "dispenseret"};
    static const char *const en[] = {"pass", "fail", "info", "no data", "error", "waived"};
    return (lang == MAAL_LANG_EN ? en : da)[v];
}

const char *maal_unit_suffix(const char *unit, enum maal_lang lang)
{
    if (!unit)
        return "";
    if (!strcmp(unit, "percent"))
        return " %";
    if (!strcmp(unit, "per_1000"))
        return TR(lang, " pr. 1000 indb.", " per 1000 inh.");
    if (!strcmp(unit, "kr"))
        return TR(lang, " kr.", " DKK");
    if (!strcmp(unit, "pp"))
        return TR(lang, " pct.-point", " percentage points");
    return "";
}

void maal_fmt_value(struct maal_buf *b, double v, const char *unit, enum maal_lang lang)
{
    char num[64];
    maal_fmt_number(num, sizeof(num), v, -1, lang);
    maal_buf_printf(b, "%s%s", num, maal_unit_suffix(unit, lang));
}

void maal_fmt_change(struct maal_buf *b, double v, const char *unit, enum maal_lang lang)
{
    char num[64];
    maal_fmt_number(num, sizeof(num), v < 0 ? -v : v, -1, lang);
    const char *sign = v > 0 ? "+" : v < 0 ? "−" : "±";
    const char *u = unit && !strcmp(unit, "percent") ? TR(lang, " pct.-point", " pp")
                                                     : maal_unit_suffix(unit, lang);
    maal_buf_printf(b, "%s%s%s", sign, num, u);
}

void maal_fmt_target(struct maal_buf *b, const struct maal_result *r, enum maal_lang lang)
{
    const char *op = r->op ? r->op : "";
    const char *sym = !strcmp(op, "<=") ? "≤ " : !strcmp(op, ">=") ? "≥ " : !strcmp(op, "<") ? "< "
                      : !strcmp(op, ">") ? "> " : !strcmp(op, "==") ? "= " : "";
    if (r->has_target) {
        maal_buf_puts(b, sym);
        maal_fmt_value(b, r->target, r->unit, lang);
    } else if (r->has_baseline) {
        maal_buf_puts(b, sym);
        maal_fmt_value(b, r->baseline, r->unit, lang);
        if (r->baseline_year)
            maal_buf_printf(b, " (%d)", r->baseline_year);
    }
}

void maal_escape_xml(struct maal_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': maal_buf_puts(b, "&lt;"); break;
        case '>': maal_buf_puts(b, "&gt;"); break;
        case '&': maal_buf_puts(b, "&amp;"); break;
        case '"': maal_buf_puts(b, "&quot;"); break;
        case '\'': maal_buf_puts(b, "&#39;"); break;
        case '\n': maal_buf_puts(b, "&#10;"); break; /* the same text, and no line starts in data */
        default: {
            /* what XML 1.0 forbids (C0 controls, U+FFFE, U+FFFF, invalid UTF-8) and what reorders
             * or hides text (C1 controls, bidi overrides) becomes a space */
            size_t n = *s == '\t' ? 0 : maal_unsafe_char(s);
            if (n) {
                maal_buf_putc(b, ' ');
            } else {
                n = maal_char_len(s);
                maal_buf_add(b, s, n);
            }
            s += n - 1;
        }
        }
    }
}

void maal_fmt_cmp(struct maal_buf *b, const struct maal_result *r, enum maal_lang lang)
{
    if (r->cmp == MAAL_CMP_NEW) {
        maal_buf_puts(b, TR(lang, "nyt mål siden sidste kørsel", "new goal since the last run"));
    } else if (r->cmp == MAAL_CMP_VERDICT) {
        maal_buf_printf(b, "%s: %s → %s", TR(lang, "ændret dom", "verdict changed"),
                        r->prev_verdict >= 0 ? maal_verdict_word(r->prev_verdict, lang) : "?",
                        maal_verdict_word(r->verdict, lang));
    } else if (r->cmp == MAAL_CMP_VALUES) {
        maal_buf_puts(b, TR(lang, "ændrede tal", "values changed"));
        if (r->has_prev_actual && r->has_actual) {
            maal_buf_puts(b, ": ");
            maal_fmt_value(b, r->prev_actual, r->unit, lang);
            maal_buf_puts(b, " → ");
            maal_fmt_value(b, r->actual, r->unit, lang);
        }
    }
}

void maal_fmt_changes(struct maal_buf *b, const struct maal_changes *ch, enum maal_lang lang)
{
    if (!ch || !ch->active)
        return;
    /* "1 nyt (mål)", "2 nye" */
    maal_buf_printf(b,
                    TR(lang,
                       "Ændringer siden sidste kørsel: %zu %s, %zu med ændret dom (%zu fra "
                       "opfyldt til ikke opfyldt), %zu med ændrede tal, %zu fjernet, %zu uændret",
                       "Changes since the last run: %zu %s, %zu verdict changed (%zu from pass "
                       "to fail), %zu values changed, %zu removed, %zu unchanged"),
                    ch->added, ch->added == 1 ? TR(lang, "nyt", "new") : TR(lang, "nye", "new"),
                    ch->verdict, ch->regressions, ch->values, ch->nremoved, ch->unchanged);
    for (size_t i = 0; i < ch->nremoved; i++)
        maal_buf_printf(b, "%s%s", i ? ", " : TR(lang, "; fjernet: ", "; removed: "), ch->removed[i]);
    maal_buf_putc(b, '\n');
}

const char *maal_group_title(const char *group, enum maal_lang lang)
{
    static const char *const da[] = {"Tryghed", "Kriminalitet", "Samarbejde", "Budget",
                                     "Aktiviteter", "Andet"};
    static const char *const en[] = {"Felt safety", "Crime", "Cooperation", "Budget",
                                     "Activities", "Other"};
    for (size_t i = 0; maal_group_order[i]; i++)
        if (group && !strcmp(group, maal_group_order[i]))
            return (lang == MAAL_LANG_EN ? en : da)[i];
    return (lang == MAAL_LANG_EN ? en : da)[MAAL_GROUP_OTHER];
}

const char *maal_verdict_symbol(enum maal_verdict v)
{
    static const char *const s[] = {"✓", "✗", "i", "?", "!", "~"};
    return (int)v >= 0 && v < MAAL_NVERDICTS ? s[v] : "·";
}

void maal_fmt_history(struct maal_buf *b, const struct maal_result *r)
{
    for (size_t i = 0; i < r->nhistory; i++)
        maal_buf_printf(b, "%s%d %s", i ? "  " : "", r->history[i].year,
                        maal_verdict_symbol(r->history[i].verdict));
}

void maal_fmt_outlook(struct maal_buf *b, const struct maal_result *r, enum maal_lang lang)
{
    const struct maal_outlook *o = r->outlook;
    if (!o)
        return;
    maal_buf_printf(b, "%s %d: ", TR(lang, "prognose", "outlook"), o->target_year);
    /* the projection is the series' own value, in its unit: approach_level's result is a gap
     * (pp for a share), its outlook the area's share */
    const char *unit = o->series ? maal_unit_names[o->series->unit] : r->unit;
    if (o->has_projected) {
        maal_fmt_value(b, o->projected, unit, lang);
        if (o->clamped) {
            /* read off at the bound: an interval squeezed to 0-0 % would look certain */
            char at[64];
            maal_fmt_number(at, sizeof(at), o->projected, -1, lang);
            maal_buf_printf(b, TR(lang, " (den rette linje når %s%s før %d)",
                                  " (the straight line reaches %s%s before %d)"),
                            at, maal_unit_suffix(unit, lang), o->target_year);
        } else if (o->has_interval) {
            char lo[64], hi[64];
            maal_fmt_number(lo, sizeof(lo), round(o->low * 10) / 10, -1, lang);
            maal_fmt_number(hi, sizeof(hi), round(o->high * 10) / 10, -1, lang);
            maal_buf_printf(b, " (%s–%s%s)", lo, hi, maal_unit_suffix(unit, lang));
        } else {
            /* without the sampling error the line's value looks exact: say what it rests on
             * (two values of a count make a line as readily as ten surveys) */
            maal_buf_printf(b, TR(lang, " (lineært fra %d målinger, uden usikkerhedsinterval)",
                                  " (linear from %d values, no interval)"),
                            o->points);
        }
        maal_buf_puts(b, ", ");
    }
    maal_buf_puts(b, o->on_track == 1   ? TR(lang, "på vej", "on track")
                     : o->on_track == 0 ? TR(lang, "ikke på vej", "not on track")
                                        : TR(lang, "uafklaret", "undecided"));
    if (o->on_track < 0 && o->reason[0])
        maal_buf_printf(b, " (%s)", o->reason);
}

const char *maal_scope_label(const struct maal_partnership *p, int sc, enum maal_lang L,
                             struct maal_buf *t)
{
    if (sc == MAAL_SCOPE_AREA)
        return TR(L, "Partnerskabsområdet", "Partnership area");
    if (sc == MAAL_SCOPE_CITY)
        return TR(L, "Hele byen", "Whole city");
    if (!p->district)
        return TR(L, "Bydelen", "District");
    maal_buf_printf(t, "%s (%s)", TR(L, "Bydelen", "District"), p->district);
    return maal_buf_str(t);
}
