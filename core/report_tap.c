/* report_tap: TAP version 13; fail and error are 'not ok', info and nodata are SKIP. */
#include <string.h>

#include "report.h"

struct tap {
    size_t n;
    struct maal_buf body;
};

static struct tap *tap_state(struct maal_report *rp)
{
    return rp->state;
}

static void tap_begin(struct maal_report *rp)
{
    rp->state = maal_calloc(1, sizeof(struct tap));
    if (!rp->state)
        rp->out.oom = true;
}

/* TAP descriptions end at a newline and '#' starts a directive: keep both out, and every
 * character that could move the cursor or rewrite the line ('\r', ESC: a "not ok" shown as
 * "ok"). 'quoted': inside the YAML block's double quotes, where '"' and '\' are escaped. */
static void tap_put(struct maal_buf *b, const char *s, bool quoted)
{
    struct maal_buf c = MAAL_BUF_INIT;
    maal_buf_put_clean(&c, s);
    for (const char *p = maal_buf_str(&c); *p; p++) {
        if (quoted && (*p == '"' || *p == '\\'))
            maal_buf_putc(b, '\\');
        maal_buf_putc(b, !quoted && *p == '#' ? '-' : *p);
    }
    if (c.oom)
        b->oom = true;
    maal_buf_release(&c);
}

static void tap_text(struct maal_buf *b, const char *s)
{
    tap_put(b, s, false);
}

/* A double-quoted YAML string on one line. */
static void yaml_str(struct maal_buf *b, const char *s)
{
    maal_buf_putc(b, '"');
    tap_put(b, s ? s : "", true); /* cleaned: one line, no control character */
    maal_buf_putc(b, '"');
}

/* Each goal's test; its number is a mark, filled in when the part is added. */
static void tap_part(const struct maal_report *rp, const struct maal_presults *pr,
                     struct maal_part *pt)
{
    (void)rp;
    struct maal_buf *b = &pt->text;
    for (size_t i = 0; i < pr->n; i++) {
        const struct maal_result *r = &pr->r[i];
        bool bad = r->verdict == MAAL_FAIL || r->verdict == MAAL_ERROR;
        maal_buf_puts(b, bad ? "not ok " : "ok ");
        maal_part_mark(pt);
        maal_buf_printf(b, " - %s/%s: ", pr->p->id ? pr->p->id : "?", r->goal->id);
        tap_text(b, r->goal->title);
        if (r->verdict == MAAL_INFO || r->verdict == MAAL_NODATA || r->verdict == MAAL_WAIVED) {
            maal_buf_printf(b, " # SKIP %s: ", maal_verdict_names[r->verdict]);
            tap_text(b, r->message);
        }
        maal_buf_puts(b, "\n  ---\n  verdict: ");
        maal_buf_puts(b, maal_verdict_names[r->verdict]);
        maal_buf_puts(b, "\n  message: ");
        yaml_str(b, r->message);
        if (r->verdict == MAAL_WAIVED && r->waiver) { /* what the waiver hides, and why */
            maal_buf_printf(b, "\n  waived_verdict: %s\n  waiver: ",
                            maal_verdict_names[r->waived_verdict]);
            yaml_str(b, r->waiver);
        }
        maal_buf_puts(b, "\n  at: \"");
        tap_put(b, r->nsources && r->sources[0].file ? r->sources[0].file : pr->p->file, true);
        maal_buf_printf(b, ":%d\"\n  ...\n",
                        r->nsources ? r->sources[0].line : r->goal->line);
    }
}

static void tap_add_part(struct maal_report *rp, struct maal_part *pt)
{
    struct tap *t = tap_state(rp);
    if (!t)
        return;
    maal_part_put(&t->body, pt, t->n + 1, 1);
    t->n += pt->nmarks;
}

static void tap_partnership(struct maal_report *rp, const struct maal_presults *pr)
{
    maal_part_now(&maal_reporter_tap, rp, pr);
}

static void tap_end(struct maal_report *rp)
{
    struct tap *t = tap_state(rp);
    if (!t)
        return;
    maal_buf_printf(&rp->out, "TAP version 13\n1..%zu\n", t->n);
    maal_buf_add(&rp->out, maal_buf_str(&t->body), t->body.len);
    maal_scratch_release(&rp->out, &t->body);
    maal_free(t);
    rp->state = NULL;
}

const struct maal_reporter maal_reporter_tap = {"tap",   tap_begin, tap_partnership,
                                                tap_end, tap_part,  tap_add_part};
