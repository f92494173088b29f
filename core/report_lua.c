/* report_lua: runs a plugin's Lua reporter (reporters/NAME.lua) on the JSON result, in the
 * sandbox; the reporter writes through a sink, never with io. */
#include <jansson.h>
#include <string.h>

#include "report.h"

json_t *maal_json_finish(struct maal_report *rp);

extern const struct maal_reporter maal_reporter_json_tree;

static void lua_begin(struct maal_report *rp)
{
    maal_reporter_json_tree.begin(rp);
}

static void lua_partnership(struct maal_report *rp, const struct maal_presults *pr)
{
    maal_reporter_json_tree.partnership(rp, pr);
}

/* What a reporter wrote, from byte 'from' on, cleaned in place: each character
 * maal_unsafe_char names (ESC, C1, bidi overrides, U+2028, a NUL, invalid UTF-8) becomes one
 * space, as in maal's own formats; a line feed, a tab and a CR before a line feed (CSV's line
 * end) stay. A reporter of a plugin found by searching is not trusted, and its output goes to
 * a terminal or a CI log as it is: an OSC 52 sequence in it set the clipboard. Lines that
 * start a workflow command are the reporter's format, as the github format's are maal's. */
static void clean_output(struct maal_buf *b, size_t from)
{
    if (!b->s || b->len <= from)
        return;
    char *w = b->s + from;
    const char *r = w, *end = b->s + b->len;
    while (r < end) {
        size_t n = 1;
        if (*r == '\n' || *r == '\t' || (*r == '\r' && r + 1 < end && r[1] == '\n')) {
            *w++ = *r;
        } else if ((n = maal_unsafe_char(r))) {
            *w++ = ' ';
        } else {
            n = maal_char_len(r);
            memmove(w, r, n);
            w += n;
        }
        r += n;
    }
    b->len = (size_t)(w - b->s);
    *w = '\0';
}

static void lua_end(struct maal_report *rp)
{
    json_t *root = maal_json_finish(rp);
    if (!root) {
        rp->out.oom = true;
        return;
    }
    /* the reason goes to the report's diagnostics, as maal_report_fail's would; when even it
     * could not be kept, the report fails as out of memory */
    size_t had = rp->diags.n, start = rp->out.len;
    if (maal_eval_reporter(rp->lua_path, rp->limits, rp->lang, root, &rp->out, &rp->diags) !=
            MAAL_OK) {
        if (rp->diags.n == had)
            rp->out.oom = true;
    } else {
        clean_output(&rp->out, start);
    }
    json_decref(root);
}

const struct maal_reporter maal_reporter_lua = {"lua", lua_begin, lua_partnership, lua_end,
                                                NULL,  NULL};
