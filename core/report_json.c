/* report_json: the versioned machine-readable result (docs/json-output.md).
 *
 * One description of the document (the write_* functions below) drives two backends of a
 * small writer: text, what --format json prints, written straight from the results with no
 * tree; and a jansson tree, what the Lua reporters of plugins are given (report_lua.c). The
 * text is byte for byte what jansson's json_dumps(tree, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
 * JSON_REAL_PRECISION(15)) writes for that tree (tests/unit/test_report_json.c holds the two
 * against each other): the same string escapes (\" \\ \b \f \n \r \t, other controls as
 * \u00XX, non-ASCII as is), integers and reals ("%.15g", ".0" added to a whole real, no '+'
 * or leading zeros in an exponent), and a value jansson would not take (a string that is not
 * valid UTF-8, a real that is not finite) leaves its key out, as json_object_set_new did. */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "outlook.h"
#include "report.h"

/* The document nests 7 deep: root, partnerships, one, results, one, sources, one. */
#define JW_MAX 16

struct jw {
    struct maal_buf *out; /* the text backend; NULL for the tree */
    int depth;            /* containers open (text: the base depth counts too) */
    bool first[JW_MAX];   /* text: the container at this depth has nothing in it yet */
    json_t *stack[JW_MAX]; /* tree: the open containers; stack[0] the root once made */
    json_t *root;
};

static const char spaces[] = "                                ";

static void indent(struct maal_buf *b, int depth)
{
    maal_buf_putc(b, '\n');
    for (int n = 2 * depth; n > 0; n -= 32)
        maal_buf_add(b, spaces, n < 32 ? (size_t)n : 32);
}

/* A string as jansson dumps it; false (nothing written) when it is not valid UTF-8. */
bool maal_json_put_string(struct maal_buf *b, const char *s)
{
    size_t n = strlen(s), i = 0;
    bool high = false, plain = true;
    /* eight bytes at a time: whether any is >= 0x80, < 0x20, '"' or '\\' (the SWAR tests
     * say only whether such a byte exists, which is all that is asked here) */
    const uint64_t ones = 0x0101010101010101ULL, top = 0x8080808080808080ULL;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t q = w ^ (ones * '"'), bs = w ^ (ones * '\\');
        high |= (w & top) != 0;
        plain &= !(((w - ones * 0x20) & ~w & top) | ((q - ones) & ~q & top) |
                   ((bs - ones) & ~bs & top));
    }
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        high |= c >= 0x80;
        plain &= c >= 0x20 && c != '"' && c != '\\';
    }
    if (high && !maal_utf8_check(s, n, &(int){0}, &(int){0}))
        return false;
    if (plain && n < 256) { /* most of them: one copy */
        char t[258];
        t[0] = '"';
        memcpy(t + 1, s, n);
        t[n + 1] = '"';
        maal_buf_add(b, t, n + 2);
        return true;
    }
    maal_buf_putc(b, '"');
    const char *run = s;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        maal_buf_add(b, run, (size_t)(p - run));
        run = p + 1;
        char seq[8];
        const char *text = seq;
        switch (c) {
        case '"': text = "\\\""; break;
        case '\\': text = "\\\\"; break;
        case '\b': text = "\\b"; break;
        case '\f': text = "\\f"; break;
        case '\n': text = "\\n"; break;
        case '\r': text = "\\r"; break;
        case '\t': text = "\\t"; break;
        default: snprintf(seq, sizeof(seq), "\\u%04X", c); break;
        }
        maal_buf_puts(b, text);
    }
    maal_buf_add(b, run, (size_t)(s + n - run));
    maal_buf_putc(b, '"');
    return true;
}

/* A real as jansson's jsonp_dtostr writes it with precision 15; false when not finite. */
bool maal_json_put_real(struct maal_buf *b, double v)
{
    if (!isfinite(v))
        return false;
    char buf[64];
    /* v == k / 10^d for a whole k below 10^15 and d <= 3 (the data's short decimals): the
     * quotient of two exact doubles is the correctly rounded k / 10^d, and a decimal of at
     * most 15 significant digits comes back from its double unchanged (DBL_DIG), so "%.15g"
     * writes k's digits with the point d from the right and no trailing zeros: written here
     * without printf. 0 (and -0) goes the long way. */
    static const double scales[] = {1, 10, 100, 1000};
    for (int d = 0; d <= 3 && v != 0 && fabs(v) < 1e11; d++) {
        double k = round(v * scales[d]);
        if (k / scales[d] != v)
            continue;
        unsigned long long u = (unsigned long long)fabs(k);
        while (d > 0 && u % 10 == 0) /* %g drops trailing zeros */
            u /= 10, d--;
        char dig[24];
        size_t n = maal_digits(dig + sizeof(dig), u, (size_t)d + 1);
        size_t len = 0, intlen = n - (size_t)d;
        if (v < 0)
            buf[len++] = '-';
        memcpy(buf + len, dig + sizeof(dig) - n, intlen);
        len += intlen;
        buf[len++] = '.';
        if (d) {
            memcpy(buf + len, dig + sizeof(dig) - n + intlen, (size_t)d);
            len += (size_t)d;
        } else {
            buf[len++] = '0';
        }
        maal_buf_add(b, buf, len);
        return true;
    }
    int len = snprintf(buf, sizeof(buf) - 3, "%.15g", v);
    if (len < 0 || len >= (int)sizeof(buf) - 3)
        return false;
    for (char *p = buf; *p; p++)
        if (*p == ',')
            *p = '.'; /* a locale's decimal comma, as jansson's from_locale */
    if (!strchr(buf, '.') && !strchr(buf, 'e')) {
        memcpy(buf + len, ".0", 3);
        len += 2;
    }
    char *e = strchr(buf, 'e');
    if (e) { /* "1e+20" -> "1e20", "1e-05" -> "1e-5" */
        char *start = e + 1, *end = start + 1;
        if (*start == '-')
            start++;
        while (*end == '0')
            end++;
        if (end != start) {
            memmove(start, end, (size_t)len - (size_t)(end - buf) + 1);
            len -= (int)(end - start);
        }
    }
    maal_buf_add(b, buf, (size_t)len);
    return true;
}

/* Text: the separator, the indent and the key of the next value, added at once. The keys are
 * this file's ASCII names: nothing to escape, and short. */
static void put_key(struct jw *w, const char *key)
{
    char t[2 + 2 * JW_MAX + 64] = "";
    size_t n = 0, k = key ? strlen(key) : 0;
    if (w->depth > 0) {
        if (!w->first[w->depth])
            t[n++] = ',';
        w->first[w->depth] = false;
        t[n++] = '\n';
        memset(t + n, ' ', 2 * (size_t)w->depth);
        n += 2 * (size_t)w->depth;
    }
    if (key && k < 60) {
        t[n++] = '"';
        memcpy(t + n, key, k);
        n += k;
        memcpy(t + n, "\": ", 3);
        n += 3;
    }
    maal_buf_add(w->out, t, n);
    if (key && k >= 60) { /* not reached */
        maal_buf_putc(w->out, '"');
        maal_buf_add(w->out, key, k);
        maal_buf_add(w->out, "\": ", 3);
    }
}

/* Tree: v (NULL: left out) into the open container, or as the root. */
static void add(struct jw *w, const char *key, json_t *v)
{
    if (!v)
        return;
    if (w->depth == 0) {
        json_decref(w->root);
        w->root = v;
    } else if (key) {
        json_object_set_new(w->stack[w->depth - 1], key, v);
    } else {
        json_array_append_new(w->stack[w->depth - 1], v);
    }
}

static void jw_open(struct jw *w, const char *key, bool object)
{
    if (w->depth + 1 >= JW_MAX)
        return; /* not reached: the document's shape is fixed */
    if (w->out) {
        put_key(w, key);
        maal_buf_putc(w->out, object ? '{' : '[');
        w->first[++w->depth] = true;
        return;
    }
    json_t *c = object ? json_object() : json_array();
    if (c)
        json_incref(c); /* kept on the stack until closed */
    add(w, key, c);
    w->stack[w->depth++] = c;
}

static void jw_close(struct jw *w, bool object)
{
    if (w->out) {
        if (!w->first[w->depth])
            indent(w->out, w->depth - 1);
        maal_buf_putc(w->out, object ? '}' : ']');
        w->depth--;
        return;
    }
    w->depth--;
    json_decref(w->stack[w->depth]);
}

static void jw_null(struct jw *w, const char *key)
{
    if (w->out) {
        put_key(w, key);
        maal_buf_puts(w->out, "null");
    } else {
        add(w, key, json_null());
    }
}

static void jw_str(struct jw *w, const char *key, const char *s)
{
    if (!s) {
        jw_null(w, key);
    } else if (!w->out) {
        add(w, key, json_string(s));
    } else {
        size_t len = w->out->len;
        bool first = w->first[w->depth];
        put_key(w, key);
        if (!maal_json_put_string(w->out, s)) { /* jansson refused it: no key either */
            w->out->len = len;
            if (w->out->s)
                w->out->s[len] = '\0'; /* the buffer stays a string */
            w->first[w->depth] = first;
        }
    }
}

static void jw_int(struct jw *w, const char *key, long long v)
{
    if (w->out) {
        put_key(w, key);
        char d[24], *e = d + sizeof(d), *p = e;
        unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
        do
            *--p = (char)('0' + u % 10);
        while ((u /= 10));
        if (v < 0)
            *--p = '-';
        maal_buf_add(w->out, p, (size_t)(e - p));
    } else {
        add(w, key, json_integer((json_int_t)v));
    }
}

static void jw_real(struct jw *w, const char *key, double v)
{
    if (!w->out) {
        add(w, key, json_real(v));
        return;
    }
    if (!isfinite(v))
        return;
    put_key(w, key);
    maal_json_put_real(w->out, v);
}

static void jw_bool(struct jw *w, const char *key, bool v)
{
    if (w->out) {
        put_key(w, key);
        maal_buf_puts(w->out, v ? "true" : "false");
    } else {
        add(w, key, json_boolean(v));
    }
}

/* A number of the result: a whole number below 9e15 as an integer, else a real. */
static void jw_num(struct jw *w, const char *key, bool has, double v)
{
    if (!has)
        jw_null(w, key);
    else if (v == floor(v) && fabs(v) < 9e15)
        jw_int(w, key, (long long)v);
    else
        jw_real(w, key, v);
}

static void jw_year(struct jw *w, const char *key, int year)
{
    if (year)
        jw_int(w, key, year);
    else
        jw_null(w, key);
}

/* ---- the document ---- */

static void write_summary(struct jw *w, const char *key, const size_t *c)
{
    jw_open(w, key, true);
    for (int v = 0; v < MAAL_NVERDICTS; v++)
        jw_int(w, maal_verdict_names[v], (long long)c[v]);
    jw_close(w, true);
}

/* Where the goal's rule came from: {"origin": "standard"}, or with the file's path for a rule
 * of the partnership's own ("local"), of --rules, MAAL_PATH or a plugin (and its name). */
static void write_rule_source(struct jw *w, const struct maal_result *r)
{
    if (!r->rule_origin) {
        jw_null(w, "rule_source");
        return;
    }
    jw_open(w, "rule_source", true);
    const char *origin = r->rule_origin;
    if (!strncmp(origin, "plugin:", 7)) {
        jw_str(w, "origin", "plugin");
        jw_str(w, "plugin", origin + 7);
    } else {
        jw_str(w, "origin", !strcmp(origin, "--rules") ? "rules" : origin);
    }
    if (strcmp(origin, "standard") != 0) /* a standard rule's path is the installation's */
        jw_str(w, "path", r->rule_path);
    jw_close(w, true);
}

static void write_source(struct jw *w, const char *file, int line, int col, const char *what)
{
    jw_open(w, NULL, true);
    jw_str(w, "file", file);
    jw_int(w, "line", line);
    jw_int(w, "col", col);
    jw_str(w, "what", what);
    jw_close(w, true);
}

static void write_result(struct jw *w, const struct maal_presults *pr, const struct maal_result *r)
{
    const struct maal_goal *g = r->goal;
    jw_open(w, NULL, true);
    jw_str(w, "goal", g->id);
    jw_str(w, "title", g->title);
    jw_str(w, "group", g->group);
    jw_str(w, "rule", g->rule);
    write_rule_source(w, r);
    jw_str(w, "verdict", maal_verdict_names[r->verdict]);
    jw_year(w, "year", r->year);
    jw_num(w, "actual", r->has_actual, r->actual);
    jw_str(w, "op", r->op);
    jw_num(w, "target", r->has_target, r->target);
    jw_num(w, "baseline", r->has_baseline, r->baseline);
    jw_year(w, "baseline_year", r->baseline_year);
    jw_num(w, "change", r->has_change, r->change);
    jw_str(w, "unit", r->unit);
    jw_num(w, "numerator", r->has_ratio, r->numerator);
    jw_num(w, "denominator", r->has_ratio, r->denominator);
    jw_str(w, "message", r->message);
    jw_str(w, "significance", r->significance);
    jw_open(w, "sources", false);
    write_source(w, pr->p->file, g->line, g->col, "goal");
    for (size_t i = 0; i < r->nsources; i++) {
        const struct maal_source *s = &r->sources[i];
        write_source(w, s->file ? s->file : pr->p->file, s->line, s->col, s->what);
    }
    jw_close(w, false);
    if (r->cmp) {
        jw_open(w, "compare", true);
        jw_str(w, "status", maal_cmp_names[r->cmp]);
        if (r->prev_verdict >= 0)
            jw_str(w, "previous_verdict", maal_verdict_names[r->prev_verdict]);
        else
            jw_null(w, "previous_verdict");
        jw_num(w, "previous_actual", r->has_prev_actual, r->prev_actual);
        jw_close(w, true);
    }
    if (r->waiver) {
        jw_open(w, "waiver", true);
        jw_str(w, "text", r->waiver);
        jw_bool(w, "expired", r->waiver_expired);
        jw_str(w, "verdict_without",
               maal_verdict_names[r->verdict == MAAL_WAIVED ? r->waived_verdict : r->verdict]);
        jw_close(w, true);
    }
    if (r->log)
        jw_str(w, "log", r->log);
    if (r->history) {
        jw_open(w, "history", false);
        for (size_t i = 0; i < r->nhistory; i++) {
            const struct maal_hist *e = &r->history[i];
            jw_open(w, NULL, true);
            jw_int(w, "year", e->year);
            jw_str(w, "verdict", maal_verdict_names[e->verdict]);
            jw_num(w, "actual", e->has_actual, e->actual);
            jw_num(w, "target", e->has_target, e->target);
            jw_num(w, "baseline", e->has_baseline, e->baseline);
            jw_close(w, true);
        }
        jw_close(w, false);
    }
    if (r->outlook) {
        const struct maal_outlook *ol = r->outlook;
        jw_open(w, "outlook", true);
        jw_int(w, "target_year", ol->target_year);
        jw_num(w, "projected", ol->has_projected, ol->projected);
        if (ol->has_interval) {
            jw_real(w, "low", ol->low);
            jw_real(w, "high", ol->high);
        } else {
            jw_null(w, "low");
            jw_null(w, "high");
        }
        if (ol->on_track < 0)
            jw_null(w, "on_track");
        else
            jw_bool(w, "on_track", ol->on_track);
        jw_str(w, "method", ol->method);
        jw_int(w, "points", ol->points);
        jw_str(w, "reason", ol->reason[0] ? ol->reason : NULL);
        jw_close(w, true);
    }
    jw_close(w, true);
}

static void write_partnership(struct jw *w, const struct maal_presults *pr)
{
    jw_open(w, NULL, true);
    jw_str(w, "id", pr->p->id);
    jw_str(w, "name", pr->p->name);
    jw_str(w, "file", pr->p->file);
    jw_int(w, "year", pr->year);
    jw_open(w, "results", false);
    for (size_t i = 0; i < pr->n; i++)
        write_result(w, pr, &pr->r[i]);
    jw_close(w, false);
    write_summary(w, "summary", pr->counts);
    jw_close(w, true);
}

static void write_changes(struct jw *w, const struct maal_report *rp)
{
    if (!rp->changes || !rp->changes->active)
        return;
    const struct maal_changes *ch = rp->changes;
    jw_open(w, "changes", true);
    jw_int(w, "new", (long long)ch->added);
    jw_int(w, "verdict_changed", (long long)ch->verdict);
    jw_int(w, "regressions", (long long)ch->regressions);
    jw_int(w, "values_changed", (long long)ch->values);
    jw_int(w, "unchanged", (long long)ch->unchanged);
    jw_open(w, "removed", false);
    for (size_t i = 0; i < ch->nremoved; i++)
        jw_str(w, NULL, ch->removed[i]);
    jw_close(w, false);
    jw_close(w, true);
}

/* The document's start: written to 'out', or built as a tree when 'out' is NULL. */
static void doc_begin(struct maal_report *rp, struct maal_buf *out)
{
    struct jw *w = maal_calloc(1, sizeof(*w));
    rp->state = w;
    if (!w) {
        rp->out.oom = true;
        return;
    }
    w->out = out;
    jw_open(w, NULL, true);
    jw_str(w, "maal_version", MAAL_VERSION);
    jw_int(w, "format_version", MAAL_JSON_FORMAT_VERSION);
    jw_open(w, "partnerships", false);
}

static void doc_partnership(struct maal_report *rp, const struct maal_presults *pr)
{
    struct jw *w = rp->state;
    if (w)
        write_partnership(w, pr);
}

/* The document's end; the writer is the caller's to free (NULL when out of memory). */
static struct jw *doc_end(struct maal_report *rp)
{
    struct jw *w = rp->state;
    rp->state = NULL;
    if (w) {
        jw_close(w, false);
        write_summary(w, "summary", rp->totals);
        write_changes(w, rp);
        jw_close(w, true);
    }
    return w;
}

/* ---- the tree, for the Lua reporters of plugins (report_lua.c) ---- */

static void tree_begin(struct maal_report *rp)
{
    doc_begin(rp, NULL);
}

/* The finished document; the caller owns it. */
json_t *maal_json_finish(struct maal_report *rp);
json_t *maal_json_finish(struct maal_report *rp)
{
    struct jw *w = doc_end(rp);
    json_t *root = w ? w->root : NULL;
    maal_free(w);
    return root;
}

const struct maal_reporter maal_reporter_json_tree = {"json-tree", tree_begin, doc_partnership,
                                                      NULL,        NULL,       NULL};

/* ---- --format json: the text, one partnership at a time (memory does not grow with the
 * number of files) ---- */

static void stream_begin(struct maal_report *rp)
{
    doc_begin(rp, &rp->out);
}

static void stream_end(struct maal_report *rp)
{
    struct jw *w = doc_end(rp);
    if (w)
        maal_buf_putc(&rp->out, '\n');
    maal_free(w);
}

/* A partnership's object on its own, indented as the document's third level: the separating
 * ',' is the part's, put before every partnership but the first. */
static void stream_part(const struct maal_report *rp, const struct maal_presults *pr,
                        struct maal_part *pt)
{
    (void)rp;
    struct jw w = {.out = &pt->text, .depth = 2};
    w.first[2] = true;
    write_partnership(&w, pr);
    pt->sep = ",";
}

static void stream_add_part(struct maal_report *rp, struct maal_part *pt)
{
    struct jw *w = rp->state;
    if (!w)
        return;
    if (!w->first[w->depth])
        maal_buf_putc(w->out, ',');
    w->first[w->depth] = false;
    maal_part_put(w->out, pt, 0, 0);
}

static void stream_partnership(struct maal_report *rp, const struct maal_presults *pr)
{
    maal_part_now(&maal_reporter_json, rp, pr);
}

const struct maal_reporter maal_reporter_json = {"json",     stream_begin, stream_partnership,
                                                 stream_end, stream_part,  stream_add_part};
