/* report_junit: one testsuite per partnership, one testcase per goal (classname = partnership). */
#include <string.h>

#include "report.h"

static void junit_begin(struct maal_report *rp)
{
    maal_buf_puts(&rp->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"maal\">\n");
}

static void junit_part(const struct maal_report *rp, const struct maal_presults *pr,
                       struct maal_part *pt)
{
    struct maal_buf *b = &pt->text;
    maal_buf_puts(b, "  <testsuite name=\"");
    maal_escape_xml(b, pr->p->id);
    maal_buf_printf(b, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\">\n",
                    pr->n, pr->counts[MAAL_FAIL], pr->counts[MAAL_ERROR],
                    pr->counts[MAAL_INFO] + pr->counts[MAAL_NODATA] + pr->counts[MAAL_WAIVED]);
    for (size_t i = 0; i < pr->n; i++) {
        const struct maal_result *r = &pr->r[i];
        maal_buf_puts(b, "    <testcase classname=\"");
        maal_escape_xml(b, pr->p->id);
        maal_buf_puts(b, "\" name=\"");
        maal_escape_xml(b, r->goal->id);
        maal_buf_puts(b, ": ");
        maal_escape_xml(b, r->goal->title);
        maal_buf_printf(b, "\" file=\"");
        maal_escape_xml(b, r->nsources && r->sources[0].file ? r->sources[0].file : pr->p->file);
        maal_buf_printf(b, "\" line=\"%d\"", r->sources && r->nsources ? r->sources[0].line
                                                                        : r->goal->line);
        const char *tag = r->verdict == MAAL_FAIL    ? "failure"
                          : r->verdict == MAAL_ERROR ? "error"
                          : r->verdict == MAAL_PASS  ? NULL
                                                     : "skipped";
        if (!tag) {
            maal_buf_puts(b, "/>\n");
            continue;
        }
        maal_buf_printf(b, ">\n      <%s message=\"", tag);
        maal_escape_xml(b, r->message);
        if (r->verdict == MAAL_WAIVED && r->waiver) {
            maal_buf_puts(b, TR(rp->lang, " (dispenseret: ", " (waived: "));
            maal_escape_xml(b, r->waiver);
            maal_buf_printf(b, "; %s: %s)", TR(rp->lang, "uden dispensation", "without the waiver"),
                            maal_verdict_word(r->waived_verdict, rp->lang));
        }
        if (r->cmp && r->cmp != MAAL_CMP_UNCHANGED) {
            struct maal_buf c = MAAL_BUF_INIT;
            maal_fmt_cmp(&c, r, rp->lang);
            maal_buf_puts(b, " (");
            maal_escape_xml(b, maal_buf_str(&c));
            maal_buf_puts(b, ")");
            maal_scratch_release(b, &c);
        }
        maal_buf_printf(b, "\" type=\"%s\"/>\n    </testcase>\n", maal_verdict_names[r->verdict]);
    }
    maal_buf_puts(b, "  </testsuite>\n");
}

static void junit_end(struct maal_report *rp)
{
    maal_buf_puts(&rp->out, "</testsuites>\n");
}

static void junit_partnership(struct maal_report *rp, const struct maal_presults *pr)
{
    maal_part_now(&maal_reporter_junit, rp, pr);
}

const struct maal_reporter maal_reporter_junit = {"junit",   junit_begin, junit_partnership,
                                                  junit_end, junit_part,  NULL};
