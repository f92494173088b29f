/* api_report: the public interface's previous results (--compare, diff), reports (streamed
 * or whole, any format) and output files (replaced together or not at all); split from
 * api.c, whose engine and checks it reads through api.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "compare.h"
#include "report.h"

/* ---- comparing ---- */

struct maal_previous {
    struct maal_prev prev;
    struct maal_changes changes;
};

int maal_previous_load(const char *path, enum maal_lang lang, maal_previous **out, maal_diags *d)
{
    if (out)
        *out = NULL;
    if (!path || !out)
        return MAAL_ERR_USAGE;
    maal_previous *p = maal_calloc(1, sizeof(*p));
    if (!p)
        return MAAL_ERR_NOMEM;
    struct maal_error e;
    int rc = maal_prev_load(path, &p->prev, &e, lang);
    if (rc != MAAL_OK) {
        if (d)
            maal_diags_add(d, MAAL_SEV_ERROR, e.file, e.line, e.col, "%s",
                           maal_error_text(&e, lang));
        maal_free(p);
        return rc;
    }
    *out = p;
    return MAAL_OK;
}

void maal_previous_free(maal_previous *p)
{
    if (!p)
        return;
    maal_prev_release(&p->prev);
    maal_changes_release(&p->changes);
    maal_free(p);
}

void maal_check_compare_lookup(maal_check *c, const maal_previous *prev)
{
    if (!c || !prev)
        return;
    for (size_t g = 0; g < c->pr.n; g++) {
        struct maal_result *r = &c->pr.r[g];
        struct maal_cmp_info ci = maal_prev_lookup(
            &prev->prev, c->pr.p->id, r->goal->id, (int)r->verdict, r->has_actual, r->actual,
            r->has_target, r->target, r->has_baseline, r->baseline);
        r->cmp = (int)ci.cmp;
        r->prev_verdict = ci.prev_verdict;
        r->has_prev_actual = ci.has_prev_actual;
        r->prev_actual = ci.prev_actual;
        r->prev_entry = ci.entry;
    }
}

void maal_previous_note(maal_previous *prev, maal_check *c)
{
    if (!c || !prev)
        return;
    for (size_t g = 0; g < c->pr.n; g++) {
        struct maal_result *r = &c->pr.r[g];
        if (!r->cmp)
            continue; /* not looked up */
        struct maal_cmp_info ci = {.cmp = (enum maal_cmp)r->cmp, .prev_verdict = r->prev_verdict,
                                   .has_prev_actual = r->has_prev_actual,
                                   .prev_actual = r->prev_actual, .entry = r->prev_entry};
        maal_prev_note(&ci, (int)r->verdict, &prev->changes);
        r->cmp = (int)ci.cmp;
        r->prev_verdict = ci.prev_verdict;
        r->has_prev_actual = ci.has_prev_actual;
        r->prev_actual = ci.prev_actual;
        r->prev_entry = NULL; /* noted: not again */
    }
}

void maal_check_compare(maal_check *c, maal_previous *prev)
{
    maal_check_compare_lookup(c, prev);
    maal_previous_note(prev, c);
}

void maal_previous_not_run(maal_previous *prev, const char *file)
{
    for (size_t i = 0; prev && file && i < prev->prev.n; i++)
        if (prev->prev.v[i].file && !strcmp(prev->prev.v[i].file, file))
            prev->prev.v[i].seen = true;
}

int maal_previous_finish(maal_previous *prev, const maal_engine *e)
{
    if (!prev)
        return MAAL_ERR_USAGE;
    /* goals left out by the selection were not run: they are not 'removed' */
    for (size_t i = 0; e && i < prev->prev.n; i++)
        if (!maal_api_selected(e, prev->prev.v[i].goal))
            prev->prev.v[i].seen = true;
    maal_prev_finish(&prev->prev, &prev->changes);
    return MAAL_OK;
}

size_t maal_previous_regressions(const maal_previous *prev)
{
    return prev ? prev->changes.regressions : 0;
}

void maal_previous_counts(const maal_previous *prev, struct maal_change_counts *c)
{
    if (!c)
        return;
    memset(c, 0, sizeof(*c));
    if (!prev)
        return;
    c->unchanged = prev->changes.unchanged;
    c->added = prev->changes.added;
    c->verdict = prev->changes.verdict;
    c->values = prev->changes.values;
    c->removed = prev->changes.nremoved;
    c->regressions = prev->changes.regressions;
}

char *maal_previous_summary(const maal_previous *prev, enum maal_lang lang)
{
    struct maal_buf b = MAAL_BUF_INIT;
    if (prev)
        maal_fmt_changes(&b, &prev->changes, lang);
    char *t = b.oom ? NULL : maal_strndup(maal_buf_str(&b), b.len);
    maal_buf_release(&b);
    return t;
}

int maal_previous_diff(maal_previous *old, const maal_previous *cur, struct maal_change **out,
                       size_t *n)
{
    if (out)
        *out = NULL;
    if (n)
        *n = 0;
    if (!old || !cur || !out || !n)
        return MAAL_ERR_USAGE;
    struct maal_change *v = maal_calloc(cur->prev.n + old->prev.n + 1, sizeof(*v));
    if (!v)
        return MAAL_ERR_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < cur->prev.n; i++) {
        const struct maal_prev_entry *c = &cur->prev.v[i];
        struct maal_cmp_info ci = maal_prev_compare(
            &old->prev, c->pid, c->goal, c->verdict, c->has_actual, c->actual, c->has_target,
            c->target, c->has_baseline, c->baseline, &old->changes);
        struct maal_change d = {.partnership = c->pid, .goal = c->goal,
                                .from = ci.prev_verdict, .to = c->verdict, .actual = c->actual,
                                .prev_actual = ci.prev_actual,
                                .has_actual = ci.has_prev_actual && c->has_actual};
        if (ci.cmp == MAAL_CMP_NEW)
            d.kind = '+';
        else if (ci.cmp == MAAL_CMP_VERDICT)
            d.kind = '~';
        else if (ci.cmp == MAAL_CMP_VALUES)
            d.kind = '~', d.values = true;
        if (d.kind)
            v[k++] = d;
    }
    maal_prev_finish(&old->prev, &old->changes);
    for (size_t i = 0; i < old->changes.nremoved; i++)
        v[k++] = (struct maal_change){.kind = '-', .removed = old->changes.removed[i],
                                      .from = -1, .to = -1};
    *out = v;
    *n = k;
    return MAAL_OK;
}

/* The entry of (partnership, goal) or of "partnership/goal" (goal NULL), or NULL. */
static const struct maal_prev_entry *find(const maal_previous *prev, const char *partnership,
                                          const char *goal)
{
    if (!prev || !partnership)
        return NULL;
    if (goal)
        return maal_prev_find(&prev->prev, partnership, goal);
    const char *slash = strchr(partnership, '/'); /* ids have no '/' */
    char pid[256];
    if (!slash || (size_t)(slash - partnership) >= sizeof(pid))
        return NULL;
    snprintf(pid, sizeof(pid), "%.*s", (int)(slash - partnership), partnership);
    return maal_prev_find(&prev->prev, pid, slash + 1);
}

int maal_previous_unit(const maal_previous *prev, const char *partnership, const char *goal,
                       const char **unit)
{
    const struct maal_prev_entry *e = find(prev, partnership, goal);
    if (!e)
        return MAAL_ERR_USAGE;
    if (unit)
        *unit = e->unit;
    return MAAL_OK;
}

int maal_previous_number(const maal_previous *prev, const char *partnership, const char *goal,
                         const char *name, bool *has, double *v)
{
    const struct maal_prev_entry *e = find(prev, partnership, goal);
    if (!e || !name)
        return MAAL_ERR_USAGE;
    bool h;
    double x;
    if (!strcmp(name, "actual"))
        h = e->has_actual, x = e->actual;
    else if (!strcmp(name, "target"))
        h = e->has_target, x = e->target;
    else if (!strcmp(name, "baseline"))
        h = e->has_baseline, x = e->baseline;
    else
        return MAAL_ERR_USAGE;
    if (has)
        *has = h;
    if (v)
        *v = h ? x : 0;
    return MAAL_OK;
}

int maal_previous_source(const maal_previous *prev, const char *partnership, const char *goal,
                         const char **file, int *line, int *col, const char **what)
{
    const struct maal_prev_entry *e = find(prev, partnership, goal);
    if (!e)
        return MAAL_ERR_USAGE;
    if (file)
        *file = e->src_file;
    if (line)
        *line = e->src_file ? e->src_line : 0;
    if (col)
        *col = e->src_file ? e->src_col : 0;
    if (what)
        *what = e->src_file ? e->src_what : NULL;
    return MAAL_OK;
}

char *maal_escape(const char *s, const char *format)
{
    if (!format)
        return NULL;
    struct maal_buf b = MAAL_BUF_INIT;
    if (!strcmp(format, "text"))
        maal_buf_put_clean(&b, s ? s : "");
    else if (!strcmp(format, "markdown"))
        maal_md_escape(&b, s);
    else if (!strcmp(format, "github") || !strcmp(format, "github-property"))
        maal_github_escape(&b, s, format[6] != '\0');
    else
        return NULL;
    if (b.oom) {
        maal_buf_release(&b);
        return NULL;
    }
    return b.s ? b.s : maal_strdup("");
}

char *maal_fmt_quantity(char *out, size_t size, double v, const char *unit, enum maal_lang lang)
{
    char num[64];
    maal_fmt_number(num, sizeof(num), v, -1, lang);
    snprintf(out, size, "%s%s", num, maal_unit_suffix(unit, lang));
    return out;
}

/* ---- reports ---- */

struct maal_report_stream {
    const struct maal_reporter *rep;
    char lua_path[4096];
    struct maal_report rp;
    bool ended;
    bool taken; /* rp.out was taken: emptied at the next call */
};

/* The reporter of 'format', a built-in one or a plugin's (its Lua file into lua_path). */
static const struct maal_reporter *reporter_of(maal_engine *e, const char *format,
                                               char *lua_path, size_t size)
{
    const struct maal_reporter *rep = maal_reporter_find(format);
    if (!rep && strchr(format, '/') && maal_plugins_reporter(&e->plugins, format, lua_path, size))
        rep = &maal_reporter_lua;
    return rep;
}

bool maal_report_known(maal_engine *e, const char *format)
{
    char lua_path[4096];
    if (!format)
        return false;
    if (!e)
        return maal_reporter_find(format) != NULL;
    return maal_api_ready(e, NULL) == MAAL_OK && reporter_of(e, format, lua_path, sizeof(lua_path));
}

const char *maal_report_format_of_path(maal_engine *e, const char *path, char *buf,
                                       size_t size)
{
    static const char *const ext[][2] = {{".html", "html"}, {".htm", "html"},
                                         {".md", "markdown"}, {".markdown", "markdown"},
                                         {".json", "json"}, {".xml", "junit"}, {".tap", "tap"},
                                         {".xlsx", "xlsx"}};
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (!dot || strchr(dot, '/'))
        return "text";
    for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
        if (!strcasecmp(dot, ext[i][0]))
            return ext[i][1];
    char lua[4096];
    if (!e || !buf || maal_api_ready(e, NULL) != MAAL_OK)
        return "text";
    for (size_t i = 0; dot[1] && strlen(dot + 1) < 32 && i < e->plugins.n; i++) {
        snprintf(buf, size, "%s/%s", e->plugins.v[i].name, dot + 1);
        if (maal_plugins_reporter(&e->plugins, buf, lua, sizeof(lua)))
            return buf;
    }
    return "text";
}

int maal_report_begin(maal_engine *e, const char *format, const struct maal_report_opts *o,
                      maal_report_stream **out, maal_diags *d)
{
    if (out)
        *out = NULL;
    if (!e || !format || !out)
        return MAAL_ERR_USAGE;
    int rc = maal_api_ready(e, d);
    if (rc != MAAL_OK)
        return rc;
    maal_report_stream *s = maal_calloc(1, sizeof(*s));
    if (!s)
        return MAAL_ERR_NOMEM;
    if (!(s->rep = reporter_of(e, format, s->lua_path, sizeof(s->lua_path)))) {
        maal_free(s);
        return MAAL_ERR_USAGE;
    }
    s->rp.lang = e->lang;
    s->rp.lua_path = s->lua_path;
    s->rp.limits = &e->limits;
    if (o) {
        s->rp.color = o->color;
        s->rp.verbose = o->verbose;
        s->rp.annotate = (int)o->annotate;
    }
    s->rep->begin(&s->rp);
    *out = s;
    return MAAL_OK;
}

static void untake(maal_report_stream *s)
{
    if (s->taken && !s->rp.out.oom)
        s->rp.out.len = 0;
    s->taken = false;
}

void maal_report_add(maal_report_stream *s, const maal_check *c)
{
    if (!s || !c || s->ended)
        return;
    untake(s);
    s->rp.npartnerships++;
    for (int v = 0; v < MAAL_NVERDICTS; v++)
        s->rp.totals[v] += c->pr.counts[v];
    s->rep->partnership(&s->rp, &c->pr);
}

struct maal_report_part {
    const maal_report_stream *s;
    const maal_check *c; /* a reporter without part() renders it when it is added */
    size_t counts[MAAL_NVERDICTS];
    struct maal_part pt;
};

maal_report_part *maal_report_format_part(const maal_report_stream *s, const maal_check *c)
{
    if (!s || !c)
        return NULL;
    maal_report_part *part = maal_calloc(1, sizeof(*part));
    if (!part)
        return NULL;
    part->s = s;
    memcpy(part->counts, c->pr.counts, sizeof(part->counts));
    if (s->ended || !s->rep->part)
        part->c = c;
    else
        s->rep->part(&s->rp, &c->pr, &part->pt);
    return part;
}

void maal_report_part_free(maal_report_part *part)
{
    if (!part)
        return;
    maal_part_release(&part->pt);
    maal_free(part);
}

void maal_report_add_part(maal_report_stream *s, maal_report_part *part)
{
    if (!s || s->ended) {
        maal_report_part_free(part);
        return;
    }
    untake(s);
    if (!part || part->s != s) { /* out of memory when it was made, or another report's */
        s->rp.out.oom = s->rp.out.oom || !part;
        maal_report_part_free(part);
        return;
    }
    s->rp.npartnerships++;
    for (int v = 0; v < MAAL_NVERDICTS; v++)
        s->rp.totals[v] += part->counts[v];
    if (part->c)
        s->rep->partnership(&s->rp, &part->c->pr);
    else
        maal_part_apply(s->rep, &s->rp, &part->pt);
    maal_report_part_free(part);
}

void maal_report_add_problems(maal_report_stream *s, const maal_diags *d)
{
    if (!s || !d || s->ended || s->rep != &maal_reporter_github)
        return;
    untake(s);
    maal_github_diags(&s->rp.out, d, s->rp.lang);
}

const char *maal_report_take(maal_report_stream *s, size_t *len)
{
    if (len)
        *len = 0;
    if (!s)
        return NULL;
    untake(s);
    if (s->rp.out.oom)
        return NULL;
    s->taken = true;
    if (len)
        *len = s->rp.out.len;
    return s->rp.out.s ? s->rp.out.s : "";
}

int maal_report_end(maal_report_stream *s, const maal_previous *prev, maal_diags *d)
{
    if (!s || s->ended)
        return MAAL_ERR_USAGE;
    untake(s);
    s->rp.changes = prev ? &prev->changes : NULL;
    s->rep->end(&s->rp);
    s->ended = true;
    if (maal_report_error(&s->rp)) {
        for (size_t i = 0; d && i < s->rp.diags.n; i++) {
            const struct maal_diag *x = &s->rp.diags.v[i];
            maal_diags_add(d, x->sev, x->file, x->line, x->col, "%s", x->msg);
        }
        return MAAL_ERR_INVALID;
    }
    return s->rp.out.oom ? MAAL_ERR_NOMEM : MAAL_OK;
}

void maal_report_free(maal_report_stream *s)
{
    if (!s)
        return;
    if (!s->ended)
        s->rep->end(&s->rp); /* the reporter's own state goes; its text is dropped */
    maal_buf_release(&s->rp.out);
    maal_diags_release(&s->rp.diags);
    maal_free(s);
}

int maal_report_render(maal_engine *e, const maal_check *const *checks, size_t n,
                       const char *format, char **text, size_t *len, maal_diags *d)
{
    if (text)
        *text = NULL;
    if (len)
        *len = 0;
    if (!e || (!checks && n) || !format || !text)
        return MAAL_ERR_USAGE;
    maal_report_stream *s;
    int rc = maal_report_begin(e, format, NULL, &s, d);
    if (rc != MAAL_OK)
        return rc;
    for (size_t i = 0; i < n; i++)
        maal_report_add(s, checks[i]);
    rc = maal_report_end(s, NULL, d);
    size_t l;
    const char *t = rc == MAAL_OK ? maal_report_take(s, &l) : NULL;
    if (rc == MAAL_OK && !(*text = maal_strndup(t ? t : "", t ? l : 0)))
        rc = MAAL_ERR_NOMEM;
    else if (rc == MAAL_OK && len)
        *len = l;
    maal_report_free(s);
    return rc;
}

void maal_text_free(void *text) { maal_free(text); }

/* ---- output files ---- */

/* A system error's text in 'lang' at 'path'. */
static void out_error(maal_diags *d, const struct maal_error *e, const char *path,
                      enum maal_lang lang)
{
    if (d)
        maal_diags_add(d, MAAL_SEV_ERROR, e->file[0] ? e->file : path, 0, 0, "%s",
                       maal_error_text(e, lang));
}

int maal_output_open(const char *path, enum maal_lang lang, maal_output **out, maal_diags *d)
{
    if (out)
        *out = NULL;
    if (!path || !out)
        return MAAL_ERR_USAGE;
    struct maal_out *o = maal_calloc(1, sizeof(*o));
    struct maal_error e = {.sys = ENOMEM};
    int rc = o ? maal_out_open(o, path, &e) : MAAL_ERR_NOMEM;
    if (rc != MAAL_OK) {
        out_error(d, &e, path, lang);
        maal_free(o);
        return rc;
    }
    *out = o;
    return MAAL_OK;
}

void maal_output_write(maal_output *o, const char *data, size_t len)
{
    if (o)
        maal_out_write(o, data, len);
}

bool maal_output_replaces(const maal_output *o) { return o && o->spool; }

int maal_output_commit_all(maal_output *const *v, size_t n, enum maal_lang lang, maal_diags *d,
                           size_t *failed)
{
    struct maal_error e;
    size_t at = 0;
    int rc = maal_out_commit_all(v, n, &e, &at);
    if (rc != MAAL_OK)
        out_error(d, &e, v[at]->path ? v[at]->path : "-", lang);
    if (failed)
        *failed = at;
    for (size_t i = 0; i < n; i++)
        maal_free(v[i]);
    return rc;
}

void maal_output_abort(maal_output *o)
{
    if (!o)
        return;
    maal_out_abort(o);
    maal_free(o);
}
