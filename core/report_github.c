/* report_github: GitHub Actions workflow commands, one annotation per goal that needs a look,
 * placed at the data line of the value that decided it. */
#include <string.h>

#include "report.h"

/* Workflow-command escaping: data needs %, CR, LF escaped; properties also ':' and ','. Every
 * other control character (ESC, C1, bidi overrides) becomes a space: the log is a terminal. */
static void esc(struct maal_buf *b, const char *s, bool property)
{
    for (; s && *s; s++) {
        size_t n = *s == '\r' || *s == '\n' ? 0 : maal_unsafe_char(s);
        if (n) {
            maal_buf_putc(b, ' ');
            s += n - 1;
            continue;
        }
        switch (*s) {
        case '%': maal_buf_puts(b, "%25"); break;
        case '\r': maal_buf_puts(b, "%0D"); break;
        case '\n': maal_buf_puts(b, "%0A"); break;
        case ':':
            if (property) {
                maal_buf_puts(b, "%3A");
                break;
            }
            maal_buf_putc(b, *s);
            break;
        case ',':
            if (property) {
                maal_buf_puts(b, "%2C");
                break;
            }
            maal_buf_putc(b, *s);
            break;
        default:
            n = maal_char_len(s);
            maal_buf_add(b, s, n);
            s += n - 1;
        }
    }
}

void maal_github_escape(struct maal_buf *b, const char *s, bool property)
{
    esc(b, s, property);
}

void maal_github_diags(struct maal_buf *b, const struct maal_diags *d, enum maal_lang lang)
{
    for (size_t i = 0; i < d->n; i++) {
        const struct maal_diag *g = &d->v[i];
        maal_buf_printf(b, "::%s ", g->sev == MAAL_SEV_ERROR ? "error" : "warning");
        if (g->file) {
            maal_buf_puts(b, "file=");
            esc(b, g->file, true);
            if (g->line)
                maal_buf_printf(b, ",line=%d,col=%d", g->line, g->col);
            maal_buf_putc(b, ',');
        }
        maal_buf_puts(b, "title=");
        esc(b, TR(lang, "maal: ugyldige data", "maal: invalid data"), true);
        maal_buf_puts(b, "::");
        esc(b, g->msg, false);
        maal_buf_putc(b, '\n');
    }
    struct maal_buf t = MAAL_BUF_INIT;
    maal_diags_dropped(&t, d, lang);
    if (t.len) {
        maal_buf_printf(b, "::%s title=", d->dropped_errors ? "error" : "warning");
        esc(b, TR(lang, "maal: ugyldige data", "maal: invalid data"), true);
        maal_buf_puts(b, "::");
        esc(b, maal_buf_str(&t), false);
        maal_buf_putc(b, '\n');
    }
    maal_scratch_release(b, &t);
}

static void gh_begin(struct maal_report *rp)
{
    (void)rp;
}

static void gh_part(const struct maal_report *rp, const struct maal_presults *pr,
                    struct maal_part *pt)
{
    struct maal_buf *b = &pt->text;
    for (size_t i = 0; i < pr->n; i++) {
        const struct maal_result *r = &pr->r[i];
        const char *level = r->verdict == MAAL_FAIL                               ? "error"
                            : r->verdict == MAAL_NODATA || r->verdict == MAAL_ERROR ? "warning"
                            : r->cmp == MAAL_CMP_VERDICT || r->verdict == MAAL_WAIVED
                                ? "notice"
                                : NULL;
        /* with --compare, a failure that was already failing before is old news: a notice
         * (or nothing), so a pull request's errors are what the pull request changed */
        bool old = (r->cmp == MAAL_CMP_UNCHANGED || r->cmp == MAAL_CMP_VALUES) &&
                   r->prev_verdict == (int)r->verdict;
        if (level && old && rp->annotate == MAAL_ANNOTATE_CHANGED)
            level = "notice";
        else if (old && rp->annotate == MAAL_ANNOTATE_ONLY_CHANGED)
            level = NULL;
        if (!level)
            continue;
        /* the first source is the number that decided it; without one, the goal itself */
        int line = r->nsources ? r->sources[0].line : r->goal->line;
        int col = r->nsources ? r->sources[0].col : r->goal->col;
        maal_buf_printf(b, "::%s file=", level);
        esc(b, r->nsources && r->sources[0].file ? r->sources[0].file : pr->p->file, true);
        maal_buf_printf(b, ",line=%d,col=%d,title=", line, col);
        struct maal_buf t = MAAL_BUF_INIT;
        maal_buf_printf(&t, "%s %s: %s", maal_verdict_word(r->verdict, rp->lang), r->goal->id,
                        r->goal->title ? r->goal->title : "");
        esc(b, maal_buf_str(&t), true);
        maal_scratch_release(b, &t);
        maal_buf_puts(b, "::");
        esc(b, r->message, false);
        if (r->verdict == MAAL_WAIVED && r->waiver) { /* a waived goal is seen, with why */
            maal_buf_printf(&t, " (%s: %s; %s: %s)", TR(rp->lang, "dispenseret", "waived"),
                            r->waiver, TR(rp->lang, "uden dispensation", "without the waiver"),
                            maal_verdict_word(r->waived_verdict, rp->lang));
            esc(b, maal_buf_str(&t), false);
            maal_scratch_release(b, &t);
        }
        if (r->cmp && r->cmp != MAAL_CMP_UNCHANGED) {
            maal_fmt_cmp(&t, r, rp->lang);
            maal_buf_puts(b, " (");
            esc(b, maal_buf_str(&t), false);
            maal_buf_puts(b, ")");
            maal_scratch_release(b, &t);
        }
        maal_buf_putc(b, '\n');
    }
}

static void gh_end(struct maal_report *rp)
{
    const size_t *t = rp->totals;
    maal_buf_printf(&rp->out, "maal: ");
    for (int v = 0; v < MAAL_NVERDICTS; v++)
        maal_buf_printf(&rp->out, "%s%zu %s", v ? ", " : "", t[v],
                        maal_verdict_word((enum maal_verdict)v, rp->lang));
    maal_buf_putc(&rp->out, '\n');
    if (rp->changes && rp->changes->active) {
        struct maal_buf c = MAAL_BUF_INIT;
        maal_fmt_changes(&c, rp->changes, rp->lang);
        if (c.len && c.s[c.len - 1] == '\n')
            c.s[--c.len] = '\0';
        maal_buf_puts(&rp->out, "::notice title=maal::");
        esc(&rp->out, maal_buf_str(&c), false);
        maal_buf_putc(&rp->out, '\n');
        maal_scratch_release(&rp->out, &c);
    }
}

static void gh_partnership(struct maal_report *rp, const struct maal_presults *pr)
{
    maal_part_now(&maal_reporter_github, rp, pr);
}

const struct maal_reporter maal_reporter_github = {"github", gh_begin, gh_partnership, gh_end,
                                                   gh_part,  NULL};
