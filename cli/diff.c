/* diff: 'maal diff OLD.json NEW.json': what changed between two saved results, as text,
 * Markdown, GitHub annotations or JSON. Only the public interface (maal.h) and jansson. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *verdict_or_q(int v, enum maal_lang lang)
{
    return v >= 0 ? maal_verdict_word((enum maal_verdict)v, lang) : "?";
}

/* What a line says beyond the verdicts: the numbers of both results and where the number
 * came from (in the new result; for a removed goal, in the old one). The strings are the
 * files' own (untrusted): printed only escaped for the format. */
struct detail {
    bool has_from, has_to;
    double from, to;
    /* target and baseline of both results: [0] old, [1] new */
    bool has_target[2], has_baseline[2];
    double target[2], baseline[2];
    const char *from_unit, *to_unit;
    const char *file, *what;
    int line, col;
};

static struct detail detail_of(const struct maal_change *d, const maal_previous *old,
                               const maal_previous *cur)
{
    struct detail x = {0};
    if (d->kind == '-') {
        maal_previous_number(old, d->removed, NULL, "actual", &x.has_from, &x.from);
        maal_previous_unit(old, d->removed, NULL, &x.from_unit);
        maal_previous_source(old, d->removed, NULL, &x.file, &x.line, &x.col, &x.what);
        return x;
    }
    if (d->kind == '~') {
        maal_previous_number(old, d->partnership, d->goal, "actual", &x.has_from, &x.from);
        maal_previous_unit(old, d->partnership, d->goal, &x.from_unit);
        for (int i = 0; i < 2; i++) {
            const maal_previous *p = i ? cur : old;
            maal_previous_number(p, d->partnership, d->goal, "target", &x.has_target[i],
                                 &x.target[i]);
            maal_previous_number(p, d->partnership, d->goal, "baseline", &x.has_baseline[i],
                                 &x.baseline[i]);
        }
    }
    maal_previous_number(cur, d->partnership, d->goal, "actual", &x.has_to, &x.to);
    maal_previous_unit(cur, d->partnership, d->goal, &x.to_unit);
    maal_previous_source(cur, d->partnership, d->goal, &x.file, &x.line, &x.col, &x.what);
    return x;
}

static void put_quantity(FILE *b, bool has, double v, const char *unit, enum maal_lang lang)
{
    char q[128];
    fputs(has ? maal_fmt_quantity(q, sizeof(q), v, unit, lang)
              : TR(lang, "intet tal", "no value"),
          b);
}

static bool differ(const bool has[2], const double v[2])
{
    return has[0] != has[1] || (has[0] && fabs(v[0] - v[1]) > 1e-9 * (fabs(v[0]) + fabs(v[1]) + 1));
}

/* ", mål: 25 → 30" when the target (or baseline) differs */
static void put_other(FILE *b, const char *name, const bool has[2], const double v[2],
                      const struct detail *x, enum maal_lang lang)
{
    if (!differ(has, v))
        return;
    fprintf(b, ", %s: ", name);
    put_quantity(b, has[0], v[0], x->from_unit, lang);
    fputs(" → ", b);
    put_quantity(b, has[1], v[1], x->to_unit, lang);
}

/* One line, as the files say it (escape it for the format): "+ p/g: opfyldt, 27 (nyt)",
 * "~ p/g: ikke opfyldt → opfyldt, 27 → 22", "~ p/g: monitoreret, ændrede tal: 100 → 97",
 * "~ p/g: monitoreret, ændrede tal: 65 → 65, baseline: 65 → 60" (a target or baseline is said
 * when it changed), "- p/g (fjernet)", each followed by "; kilde: FILE:LINE:COL WHAT" when the result says where
 * its number came from. */
static void diff_line(FILE *b, const struct maal_change *d, const struct detail *x,
                      enum maal_lang lang)
{
    if (d->kind == '+') {
        fprintf(b, "+ %s/%s: %s", d->partnership, d->goal, verdict_or_q(d->to, lang));
        if (x->has_to) {
            fputs(", ", b);
            put_quantity(b, true, x->to, x->to_unit, lang);
        }
        fprintf(b, " (%s)", TR(lang, "nyt", "new"));
    } else if (d->kind == '-') {
        fprintf(b, "- %s (%s)", d->removed, TR(lang, "fjernet", "removed"));
    } else {
        if (!d->values)
            fprintf(b, "~ %s/%s: %s → %s", d->partnership, d->goal, verdict_or_q(d->from, lang),
                    verdict_or_q(d->to, lang));
        else
            fprintf(b, "~ %s/%s: %s, %s", d->partnership, d->goal, verdict_or_q(d->to, lang),
                    TR(lang, "ændrede tal", "values changed"));
        if (x->has_from || x->has_to) {
            fputs(d->values ? ": " : ", ", b);
            put_quantity(b, x->has_from, x->from, x->from_unit, lang);
            fputs(" → ", b);
            put_quantity(b, x->has_to, x->to, x->to_unit, lang);
        }
        put_other(b, TR(lang, "mål", "target"), x->has_target, x->target, x, lang);
        put_other(b, "baseline", x->has_baseline, x->baseline, x, lang);
    }
    if (x->file) {
        fprintf(b, "; %s: %s", TR(lang, "kilde", "source"), x->file);
        if (x->line > 0)
            fprintf(b, ":%d:%d", x->line, x->col);
        if (x->what && !strcmp(x->what, "goal")) /* a result without data: its goal's entry */
            fprintf(b, " %s", TR(lang, "målet", "the goal"));
        else if (x->what && *x->what)
            fprintf(b, " %s", x->what);
    }
}

/* A line without its line feed, escaped for 'fmt' ("text", "markdown", "github"), without
 * its mark ("~ ") unless 'mark': the caller's (maal_text_free), NULL when out of memory. */
static char *line_text(const struct maal_change *d, const struct detail *x, const char *fmt,
                       bool mark, enum maal_lang lang)
{
    char *t = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&t, &len);
    if (!f)
        return NULL;
    diff_line(f, d, x, lang);
    if (fclose(f) != 0 || !t || len < 2) {
        free(t);
        return NULL;
    }
    char *e = maal_escape(mark ? t : t + 2, fmt);
    free(t);
    return e;
}

/* diff as text, Markdown (a job summary's "Ændringer" section), JSON or GitHub annotations;
 * false when out of memory */
static bool diff_render(FILE *b, const char *fmt, const struct maal_change *l, size_t n,
                        const maal_previous *old, const maal_previous *cur, enum maal_lang lang)
{
    char *sum = maal_previous_summary(old, lang);
    bool ok = sum != NULL;
    size_t sl = sum ? strlen(sum) : 0;
    if (sl && sum[sl - 1] == '\n')
        sum[--sl] = '\0';
    if (!strcmp(fmt, "text")) {
        for (size_t i = 0; i < n; i++) {
            struct detail x = detail_of(&l[i], old, cur);
            char *t = line_text(&l[i], &x, "text", true, lang);
            ok = ok && t;
            fprintf(b, "%s\n", t ? t : "");
            maal_text_free(t);
        }
        fprintf(b, "%s%s", sum ? sum : "", sl ? "\n" : "");
    } else if (!strcmp(fmt, "markdown")) {
        fprintf(b, "## %s\n\n", TR(lang, "Ændringer", "Changes"));
        for (size_t i = 0; i < n; i++) {
            struct detail x = detail_of(&l[i], old, cur);
            char *t = line_text(&l[i], &x, "markdown", false, lang);
            ok = ok && t;
            fprintf(b, "- `%c` %s\n", l[i].kind, t ? t : "");
            maal_text_free(t);
        }
        fprintf(b, "%s%s\n", n ? "\n" : "", sum ? sum : "");
    } else if (!strcmp(fmt, "github")) {
        for (size_t i = 0; i < n; i++) {
            const struct maal_change *d = &l[i];
            struct detail x = detail_of(d, old, cur);
            bool worse = d->kind == '~' && !d->values && d->to == MAAL_FAIL;
            char *t = line_text(d, &x, "github", false, lang);
            ok = ok && t;
            fprintf(b, "::%s ", worse ? "error" : "notice");
            if (x.file) { /* at the number's line, as the github report puts a goal */
                char *f = maal_escape(x.file, "github-property");
                ok = ok && f;
                fprintf(b, "file=%s,", f ? f : "");
                if (x.line > 0)
                    fprintf(b, "line=%d,col=%d,", x.line, x.col);
                maal_text_free(f);
            }
            fprintf(b, "title=maal diff::%s\n", t ? t : "");
            maal_text_free(t);
        }
        fprintf(b, "::notice title=maal diff::%s\n", sum ? sum : "");
    } else { /* json */
        struct maal_change_counts ch;
        maal_previous_counts(old, &ch);
        json_t *arr = json_array();
        static const char *const kinds[] = {"new", "verdict", "values", "removed"};
        for (size_t i = 0; i < n; i++) {
            const struct maal_change *d = &l[i];
            struct detail x = detail_of(d, old, cur);
            int k = d->kind == '+' ? 0 : d->kind == '-' ? 3 : d->values ? 2 : 1;
            json_t *e = json_pack("{s:s}", "change", kinds[k]);
            if (d->kind == '-') {
                json_object_set_new(e, "id", json_string(d->removed));
            } else {
                json_object_set_new(e, "partnership", json_string(d->partnership));
                json_object_set_new(e, "goal", json_string(d->goal));
                if (d->kind == '~' && d->from >= 0)
                    json_object_set_new(e, "from", json_string(maal_verdict_name(
                                                       (enum maal_verdict)d->from)));
                if (d->to >= 0)
                    json_object_set_new(e, "to", json_string(maal_verdict_name(
                                                     (enum maal_verdict)d->to)));
            }
            if (x.has_from)
                json_object_set_new(e, "from_actual", json_real(x.from));
            if (x.has_to)
                json_object_set_new(e, "to_actual", json_real(x.to));
            static const char *const keys[] = {"from_target", "to_target", "from_baseline",
                                               "to_baseline"};
            for (int j = 0; d->kind == '~' && j < 2; j++) {
                if (x.has_target[j])
                    json_object_set_new(e, keys[j], json_real(x.target[j]));
                if (x.has_baseline[j])
                    json_object_set_new(e, keys[2 + j], json_real(x.baseline[j]));
            }
            const char *unit = d->kind == '-' ? x.from_unit : x.to_unit;
            if (unit)
                json_object_set_new(e, "unit", json_string(unit));
            if (x.file) {
                json_t *src = json_pack("{s:s, s:i, s:i}", "file", x.file, "line",
                                        (json_int_t)x.line, "col", (json_int_t)x.col);
                if (src && x.what)
                    json_object_set_new(src, "what", json_string(x.what));
                json_object_set_new(e, "source", src);
            }
            json_array_append_new(arr, e);
        }
        json_t *doc = json_pack("{s:i, s:o, s:i, s:i, s:i, s:i, s:i, s:i}", "format_version", 1,
                                "changes", arr, "added", (json_int_t)ch.added, "verdict",
                                (json_int_t)ch.verdict, "values", (json_int_t)ch.values,
                                "removed", (json_int_t)ch.removed, "unchanged",
                                (json_int_t)ch.unchanged, "regressions",
                                (json_int_t)ch.regressions);
        size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15);
        char *out = doc ? json_dumps(doc, flags) : NULL; /* 18.7, not 18.699999999999999 */
        ok = ok && out;
        fprintf(b, "%s\n", out ? out : "{}");
        free(out);
        json_decref(doc);
    }
    maal_text_free(sum);
    return ok;
}

/* 'text' into the file at 'path' (replaced when complete; "-": standard output). MAAL_OK, or
 * an error said on stderr. */
static int write_output(const struct opts *o, const char *path, const char *text, size_t len)
{
    maal_diags *d = maal_diags_new();
    maal_output *out;
    int rc = d ? maal_output_open(path, o->lang, &out, d) : MAAL_ERR_NOMEM;
    if (rc == MAAL_OK) {
        maal_output_write(out, text, len);
        rc = maal_output_commit_all(&out, 1, o->lang, d, NULL);
    }
    if (rc != MAAL_OK)
        cannot_write(o->lang, path, d);
    maal_diags_free(d);
    return rc;
}

/* The result at 'path', or NULL (the error said on stderr). */
static maal_previous *load(const struct opts *o, const char *path)
{
    maal_diags *d = maal_diags_new();
    maal_previous *p = NULL;
    if (d && maal_previous_load(path, o->lang, &p, d) != MAAL_OK)
        maal_diags_write(d, "text", stderr, o->lang);
    else if (!d)
        out_of_memory(o->lang);
    maal_diags_free(d);
    return p;
}

/* maal diff OLD.json NEW.json: what changed between two saved results. Exit 0 when nothing
 * changed, 1 when something did (like diff(1)), 2 on trouble. -o FILE and --format text,
 * json, markdown or github; --fail-on regression: exit 1 only for a pass turned fail. */
int cmd_diff(struct opts *o, int n, char **files)
{
    if (n != 2)
        return usage_error(o->lang, "%s", TR(o->lang, "diff skal have to filer: GAMMEL.json NY.json",
                                             "diff takes two files: OLD.json NEW.json"));
    if (o->fail_on_set && (o->fail_on[MAAL_FAIL] || o->fail_on[MAAL_NODATA] || o->fail_on[MAAL_ERROR]))
        return usage_error(o->lang, "%s", TR(o->lang, "diff kender kun --fail-on regression",
                                             "diff knows only --fail-on regression"));
    if (o->noutputs > 1)
        return usage_error(o->lang, "%s", TR(o->lang, "diff skriver én fil: højst ét -o",
                                             "diff writes one file: at most one -o"));
    const char *path = o->noutputs ? o->outputs[0] : "-";
    const char *fmt = o->format ? o->format : "text";
    char fbuf[16];
    const char *eq = strchr(path, '=');
    if (eq && eq - path < (long)sizeof(fbuf)) {
        snprintf(fbuf, sizeof(fbuf), "%.*s", (int)(eq - path), path);
        if (!strcmp(fbuf, "text") || !strcmp(fbuf, "json") || !strcmp(fbuf, "markdown") ||
            !strcmp(fbuf, "github")) {
            fmt = fbuf;
            path = eq + 1;
        }
    } else if (!o->format && o->noutputs) {
        const char *dot = strrchr(path, '.');
        fmt = dot && !strcmp(dot, ".json") ? "json" : dot && !strcmp(dot, ".md") ? "markdown"
                                                                                  : "text";
    }
    if (strcmp(fmt, "text") && strcmp(fmt, "json") && strcmp(fmt, "markdown") &&
        strcmp(fmt, "github"))
        return usage_error(o->lang, TR(o->lang, "diff kender --format text, json, markdown og "
                                       "github, ikke '%s'",
                                       "diff knows --format text, json, markdown and github, "
                                       "not '%s'"),
                           fmt);
    maal_previous *old = load(o, files[0]), *cur = old ? load(o, files[1]) : NULL;
    if (!cur) {
        maal_previous_free(old);
        return MAAL_EXIT_INVALID;
    }
    struct maal_change *lines = NULL;
    size_t nl = 0;
    int rc = maal_previous_diff(old, cur, &lines, &nl) == MAAL_OK ? MAAL_EXIT_OK
                                                                  : MAAL_EXIT_INVALID;
    char *text = NULL;
    size_t len = 0;
    FILE *b = rc == MAAL_EXIT_OK ? open_memstream(&text, &len) : NULL;
    bool rendered = b && diff_render(b, fmt, lines, nl, old, cur, o->lang);
    if (!b || fclose(b) != 0 || !rendered) {
        out_of_memory(o->lang);
        rc = MAAL_EXIT_INVALID;
    } else if (write_output(o, path, text, len) != MAAL_OK) {
        rc = MAAL_EXIT_INVALID;
    }
    free(text);
    maal_text_free(lines);
    struct maal_change_counts ch;
    maal_previous_counts(old, &ch);
    bool changed = ch.added || ch.verdict || ch.values || ch.removed;
    maal_previous_free(old);
    maal_previous_free(cur);
    if (rc != MAAL_EXIT_OK)
        return rc;
    if (o->fail_on_regression)
        return ch.regressions ? MAAL_EXIT_FAIL : MAAL_EXIT_OK;
    return changed ? MAAL_EXIT_FAIL : MAAL_EXIT_OK;
}
